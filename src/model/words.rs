//! RFC 2047 encoded-words (`=?UTF-8?Q?…?=`) in header values, decoded with mailparse.

use std::borrow::Cow;

/// `value` with its encoded-words decoded (B and Q, any charset mailparse knows; adjacent words
/// joined). A value with none, or one mailparse cannot read, is returned as it is.
pub fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains("=?") {
        return Cow::Borrowed(value);
    }
    let line = format!("X: {value}");
    match mailparse::parse_header(line.as_bytes()) {
        Ok((header, used)) if used == line.len() => header
            .get_value_utf8()
            .map_or(Cow::Borrowed(value), Cow::Owned),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_b_and_q_in_several_charsets() {
        assert_eq!(
            decode("=?UTF-8?B?QmrDtnJuIFJvZQ==?= <b@x>"),
            "Björn Roe <b@x>"
        );
        assert_eq!(decode("=?UTF-8?Q?Bj=C3=B6rn_Nakamura?="), "Björn Nakamura");
        assert_eq!(
            decode("=?iso-8859-1?Q?=A1Hola,_se=F1or!?="),
            "¡Hola, señor!"
        );
        assert_eq!(decode("=?windows-1252?Q?=80_5?="), "€ 5");
    }

    #[test]
    fn joins_adjacent_words_and_keeps_plain_text() {
        assert_eq!(decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?= c"), "ab c");
        assert_eq!(decode("plain"), "plain");
    }

    #[test]
    fn leaves_malformed_words_as_they_are() {
        assert_eq!(decode("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
        assert_eq!(decode("=?broken"), "=?broken");
    }
}
