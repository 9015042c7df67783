//! RFC 2047 encoded-words (`=?UTF-8?Q?…?=`) in header values, decoded in one pass.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use charset::Charset;

/// `value` with its encoded-words decoded (B and Q, any charset the `charset` crate knows),
/// folded lines unfolded, and the white space between adjacent encoded-words dropped (RFC 2047
/// §6.2). Adjacent words in one charset are decoded together, so a character split across two
/// words stays whole. A word that cannot be read (unknown charset or encoding, bad base64) is
/// kept as written. One pass over the value: the time is linear in its length.
pub fn decode(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    // Most values hold no `?` at all: one quick search tells them.
    if !memchr::memchr_iter(b'?', bytes).any(|at| at > 0 && bytes[at - 1] == b'=') {
        return Cow::Borrowed(value);
    }
    let mut decoded = Decoded::default();
    let mut at = 0;
    let mut plain_from = 0;
    while let Some(found) = find(value, at, "=?") {
        match Word::at(value, found) {
            Some(word) => {
                decoded.text(&value[plain_from..found]);
                if !decoded.word(&word) {
                    decoded.text(&value[found..word.end]);
                }
                at = word.end;
                plain_from = word.end;
            }
            None => at = found + 2,
        }
    }
    decoded.text(&value[plain_from..]);
    Cow::Owned(decoded.finish())
}

/// The position of `needle` in `haystack` at or after `from`.
fn find(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    haystack.get(from..)?.find(needle).map(|at| from + at)
}

/// One encoded-word: `=?charset?encoding?text?=`, standing alone (at the start or end, or next to
/// white space or one of `"(),<>`).
struct Word<'a> {
    charset: &'a str,
    base64: bool,
    text: &'a str,
    /// Just after the closing `?=`.
    end: usize,
}

impl<'a> Word<'a> {
    /// The encoded-word starting at `start` (where `=?` is), if one does. Each part stops at the
    /// next `?` or white space, so a failed attempt reads past at most three `?`s: trying every
    /// `=?` of a value stays linear.
    fn at(value: &'a str, start: usize) -> Option<Word<'a>> {
        if !value[..start].chars().next_back().is_none_or(separates) {
            return None;
        }
        let rest = &value[start + 2..];
        let part = |text: &'a str| -> Option<(&'a str, &'a str)> {
            let end = text.find(|c: char| c == '?' || c.is_whitespace())?;
            text[end..]
                .starts_with('?')
                .then(|| (&text[..end], &text[end + 1..]))
        };
        let (charset, rest) = part(rest)?;
        let (encoding, rest) = part(rest)?;
        let (text, rest) = part(rest)?;
        let rest = rest.strip_prefix('=')?;
        if charset.is_empty() || !rest.chars().next().is_none_or(separates) {
            return None;
        }
        let base64 = match encoding {
            "B" | "b" => true,
            "Q" | "q" => false,
            _ => return None,
        };
        Some(Word {
            // RFC 2231 lets a language follow the charset: `UTF-8*en`.
            charset: charset.split('*').next().unwrap_or(charset),
            base64,
            text,
            end: value.len() - rest.len(),
        })
    }

    /// The bytes the word encodes, when they can be read.
    fn bytes(&self) -> Option<Vec<u8>> {
        if self.base64 {
            const LENIENT: GeneralPurpose = GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                GeneralPurposeConfig::new()
                    .with_decode_allow_trailing_bits(true)
                    .with_decode_padding_mode(DecodePaddingMode::Indifferent),
            );
            LENIENT.decode(self.text).ok()
        } else {
            Some(quoted_printable(self.text))
        }
    }
}

/// Whether `c` may stand next to an encoded-word.
fn separates(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '(' | ')' | '<' | '>' | ',')
}

/// Q encoding: `_` is a space, `=XX` a byte; anything else (a stray `=`) is kept as written.
fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match bytes[i] {
            b'_' => out.push(b' '),
            b'=' => {
                if let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                } else {
                    out.push(b'=');
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    out
}

/// The decoded value as it is built: the bytes of the encoded-words just read (decoded once the
/// run ends), and the white space after them, dropped if another word follows.
#[derive(Default)]
struct Decoded {
    out: String,
    run: Option<(Charset, Vec<u8>)>,
    space_after_word: String,
}

impl Decoded {
    /// Adds a decoded word; `false` when it cannot be read (nothing is added then).
    fn word(&mut self, word: &Word) -> bool {
        let (Some(charset), Some(bytes)) = (
            Charset::for_label_no_replacement(word.charset.as_bytes()),
            word.bytes(),
        ) else {
            return false;
        };
        self.space_after_word.clear();
        match &mut self.run {
            Some((same, run)) if *same == charset => run.extend_from_slice(&bytes),
            _ => {
                self.end_run();
                self.run = Some((charset, bytes));
            }
        }
        true
    }

    /// Adds text that is not an encoded-word, unfolding folded lines.
    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let unfolded = unfold(text);
        if self.run.is_some() && unfolded.chars().all(char::is_whitespace) {
            self.space_after_word.push_str(&unfolded);
            return;
        }
        self.end_run();
        self.out.push_str(&unfolded);
    }

    fn end_run(&mut self) {
        if let Some((charset, bytes)) = self.run.take() {
            self.out
                .push_str(&charset.decode_without_bom_handling(&bytes).0);
            self.out.push_str(&self.space_after_word);
            self.space_after_word.clear();
        }
    }

    fn finish(mut self) -> String {
        self.end_run();
        self.out
    }
}

/// `text` with each line break that is followed by white space removed (RFC 5322 unfolding).
fn unfold(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        match lines.peek() {
            Some(next) if next.starts_with([' ', '\t']) => {
                out.push_str(line.strip_suffix('\r').unwrap_or(line))
            }
            Some(_) => {
                out.push_str(line);
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
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
        assert_eq!(decode("=?UTF-8*en?Q?hi?="), "hi");
        assert_eq!(decode("=?UTF-8?B?aGk?="), "hi", "padding left out");
    }

    #[test]
    fn joins_adjacent_words_and_keeps_plain_text() {
        assert_eq!(decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?= c"), "ab c");
        assert_eq!(decode("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?="), "ab");
        assert_eq!(decode("x =?UTF-8?Q?a?= y"), "x a y");
        assert_eq!(decode("plain"), "plain");
        assert_eq!(decode("a\r\n b =?UTF-8?Q?c?="), "a b c");
        assert_eq!(decode("(=?UTF-8?Q?a?=) <=?UTF-8?Q?b?=>"), "(a) <b>");
    }

    #[test]
    fn keeps_a_character_split_across_two_words_whole() {
        assert_eq!(decode("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?="), "café");
        assert_eq!(decode("=?UTF-8?B?w6k=?= =?ISO-8859-1?Q?=E9?="), "éé");
    }

    #[test]
    fn leaves_malformed_words_as_they_are() {
        assert_eq!(decode("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
        assert_eq!(decode("=?broken"), "=?broken");
        assert_eq!(decode("=?nope?Q?abc?="), "=?nope?Q?abc?=");
        assert_eq!(decode("=?UTF-8?B?***?="), "=?UTF-8?B?***?=");
        assert_eq!(
            decode("a=?UTF-8?Q?b?="),
            "a=?UTF-8?Q?b?=",
            "not standing alone"
        );
        assert_eq!(decode("=?UTF-8?Q?b?=c"), "=?UTF-8?Q?b?=c");
        assert_eq!(decode("=?UTF-8?Q?a b?="), "=?UTF-8?Q?a b?=");
        assert_eq!(decode("=?UTF-8?Q?100=?="), "100=", "a stray = is kept");
    }

    #[test]
    fn runs_in_linear_time_on_many_words_and_many_openings() {
        let started = std::time::Instant::now();
        let words = "=?utf-8?q?caf=C3=A9?= ".repeat(50_000);
        assert_eq!(decode(&words), "café".repeat(50_000) + " ");
        let openings = "=? ".repeat(300_000);
        assert_eq!(decode(&openings), openings);
        let closings = format!("=?utf-8?q?{}", "a?=".repeat(300_000));
        assert_eq!(decode(&closings), closings);
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 2, "took {elapsed:?}");
    }
}
