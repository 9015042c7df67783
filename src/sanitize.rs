//! Makes untrusted text safe for a terminal: control characters, escape sequences, bidi
//! overrides, zero-width and other invisible characters are written as visible escapes
//! (`\u{1b}`), never raw.

use std::borrow::Cow;

/// How to write text for a human-facing output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    /// Tables: every unsafe character visible; backslashes as they are.
    Display,
    /// TSV: as jq's `@tsv` (`\\`, `\t`, `\n`, `\r`), and every other unsafe character visible.
    Tsv,
}

/// Appends `text` to `out`, escaped.
pub fn escape_into(text: &str, escaping: Escaping, out: &mut String) {
    match first_to_escape(text, escaping) {
        None => out.push_str(text),
        Some(at) => {
            out.push_str(&text[..at]);
            escape_chars(&text[at..], escaping, out);
        }
    }
}

/// Appends `text` to `out` a character at a time, each escaped if it must be.
fn escape_chars(text: &str, escaping: Escaping, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' if escaping == Escaping::Tsv => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// `text` escaped, as a new string.
pub fn escaped(text: &str, escaping: Escaping) -> String {
    escaped_cow(text, escaping).into_owned()
}

/// `text` escaped: itself when nothing in it needs escaping (most text), else a new string.
pub fn escaped_cow(text: &str, escaping: Escaping) -> Cow<'_, str> {
    let Some(at) = first_to_escape(text, escaping) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..at]);
    escape_chars(&text[at..], escaping, &mut out);
    Cow::Owned(out)
}

/// Where the first character that must be escaped starts, if any. Plain ASCII, most text, is
/// told at once; otherwise only the characters beyond printable ASCII are decoded and looked at.
fn first_to_escape(text: &str, escaping: Escaping) -> Option<usize> {
    if is_plain(text, escaping) {
        return None;
    }
    let mut at = 0;
    loop {
        // `at` is where a character starts: the search stops on a character's first byte.
        at += text.as_bytes()[at..]
            .iter()
            .position(|&b| !is_plain_ascii(b, escaping))?;
        let c = text[at..].chars().next()?;
        if is_unsafe(c) || (c == '\\' && escaping == Escaping::Tsv) {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

/// Whether `text` is printable ASCII that needs no escaping.
fn is_plain(text: &str, escaping: Escaping) -> bool {
    // Every byte is tested (a fold, not `all`), so that the compiler tests many at a time.
    !text
        .bytes()
        .fold(false, |other, b| other | !is_plain_ascii(b, escaping))
}

fn is_plain_ascii(byte: u8, escaping: Escaping) -> bool {
    (0x20..0x7f).contains(&byte) & !(byte == b'\\' && escaping == Escaping::Tsv)
}

/// Characters that can move the cursor, change colours, reorder or hide text.
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi marks, embeddings, overrides and isolates
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
        // zero-width characters and the invisible separators
        | '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{2028}' | '\u{2029}'
        // word joiner, invisible operators, the bidi isolates (2066–2069) and the deprecated
        // format characters (206A–206F), and the unassigned 2065 between them
        | '\u{2060}'..='\u{206f}'
        // soft hyphen and Mongolian vowel separator: invisible in most terminals
        | '\u{ad}' | '\u{180e}'
        // interlinear annotation anchors, which hide the text between them
        | '\u{fff9}'..='\u{fffb}'
        // tag characters: invisible, and able to carry hidden text
        | '\u{e0000}'..='\u{e007f}'
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn passes_plain_text_through() {
        assert_eq!(
            escaped("Re: Bob's report — ünïcødé 会议", Escaping::Display),
            "Re: Bob's report — ünïcødé 会议"
        );
    }

    #[test]
    fn escapes_terminal_control() {
        let hostile = "a\u{1b}[31mred\u{7}\u{9b}b\u{202e}txt.exe\u{200b}";
        assert_eq!(
            escaped(hostile, Escaping::Display),
            "a\\u{1b}[31mred\\u{7}\\u{9b}b\\u{202e}txt.exe\\u{200b}"
        );
    }

    #[test]
    fn escapes_invisible_characters_to_the_edges_of_each_range() {
        let unsafe_edges = [
            '\u{ad}',
            '\u{180e}',
            '\u{2060}',
            '\u{2064}',
            '\u{2065}',
            '\u{206f}',
            '\u{fff9}',
            '\u{fffb}',
            '\u{e0000}',
            '\u{e0001}',
            '\u{e007f}',
        ];
        for c in unsafe_edges {
            assert_eq!(
                escaped(&format!("a{c}b"), Escaping::Display),
                format!("a\\u{{{:x}}}b", c as u32),
                "U+{:04X}",
                c as u32
            );
        }
        let safe_neighbours = [
            '\u{ac}',
            '\u{ae}',
            '\u{180d}',
            '\u{180f}',
            '\u{205f}',
            '\u{2070}',
            '\u{fff8}',
            '\u{fffc}',
            '\u{dffff}',
            '\u{e0080}',
        ];
        for c in safe_neighbours {
            let text = format!("a{c}b");
            assert_eq!(
                escaped(&text, Escaping::Display),
                text,
                "U+{:04X}",
                c as u32
            );
        }
    }

    /// Every string of up to three pieces: plain ASCII, text beyond ASCII, and characters that
    /// must be escaped, in every order.
    pub(crate) fn mixtures() -> Vec<String> {
        const PIECES: [&str; 10] = [
            "ab c",
            "plain text longer than sixteen bytes",
            "é",
            "会议",
            "\u{1b}[31m",
            "\u{202e}",
            "\t",
            "\\",
            "\u{200b}",
            "—",
        ];
        let mut texts = vec![String::new()];
        let mut longest = texts.clone();
        for _ in 0..3 {
            longest = longest
                .iter()
                .flat_map(|text| PIECES.iter().map(move |piece| format!("{text}{piece}")))
                .collect();
            texts.extend(longest.iter().cloned());
        }
        texts
    }

    #[test]
    fn escapes_alike_wherever_the_first_character_to_escape_is() {
        let texts = mixtures();
        assert_eq!(texts.len(), 1 + 10 + 100 + 1000);
        for text in texts {
            for escaping in [Escaping::Display, Escaping::Tsv] {
                let mut every_character = String::new();
                escape_chars(&text, escaping, &mut every_character);
                let escaped = escaped_cow(&text, escaping);
                assert_eq!(escaped, every_character, "{text:?}");
                assert_eq!(
                    matches!(escaped, Cow::Borrowed(_)),
                    every_character == text,
                    "{text:?}"
                );
                let mut into = String::from(">");
                escape_into(&text, escaping, &mut into);
                assert_eq!(into, format!(">{every_character}"), "{text:?}");
            }
        }
    }

    #[test]
    fn escapes_tsv_like_jq() {
        assert_eq!(
            escaped("a\tb\nc\rd\\e", Escaping::Tsv),
            "a\\tb\\nc\\rd\\\\e"
        );
        assert_eq!(escaped("a\\e", Escaping::Display), "a\\e");
    }
}
