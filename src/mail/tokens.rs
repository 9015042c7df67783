//! Splits a structured header value into words, `(comments)` (nested, kept apart) and
//! `"quoted strings"`, the way RFC 5322 reads them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Word(&'a str),
    /// The text inside a comment's outer parentheses.
    Comment(&'a str),
    /// The text inside quotes, escapes left as they are.
    Quoted(&'a str),
    /// `;`
    Semicolon,
}

/// The tokens of `value`, one at a time; unclosed comments and quotes run to the end.
pub fn tokenize(value: &str) -> Tokens<'_> {
    Tokens { value, at: 0 }
}

/// The tokens of a value, read as they are asked for.
pub struct Tokens<'a> {
    value: &'a str,
    /// Where the next token starts, or white space before it.
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let (value, bytes) = (self.value, self.value.as_bytes());
        let mut i = self.at;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        let (token, end) = match *bytes.get(i)? {
            b';' => (Token::Semicolon, i + 1),
            b'(' => {
                let (end, inner_end) = close(bytes, i + 1, b'(', b')');
                (Token::Comment(&value[i + 1..inner_end]), end)
            }
            b'"' => {
                let (end, inner_end) = close(bytes, i + 1, 0, b'"');
                (Token::Quoted(&value[i + 1..inner_end]), end)
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | b';' | b'(')
                {
                    // A quoted part inside a word (reason="…") belongs to the word.
                    if bytes[i] == b'"' {
                        i = close(bytes, i + 1, 0, b'"').0;
                    } else {
                        i += 1;
                    }
                }
                (Token::Word(&value[start..i]), i)
            }
        };
        self.at = end;
        Some(token)
    }
}

/// From just inside an opening delimiter: (index after the closing one, index of the closing
/// one), honouring backslash escapes and nesting of `open`.
fn close(bytes: &[u8], mut i: usize, open: u8, closing: u8) -> (usize, usize) {
    let mut depth = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b if b == closing => {
                depth -= 1;
                if depth == 0 {
                    return (i + 1, i);
                }
            }
            b if open != 0 && b == open => depth += 1,
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_words_comments_quotes_and_semicolons() {
        assert_eq!(
            tokenize(r#"from a (b [1.2.3.4] (nested)) by c; reason="x; y" "q\"z""#)
                .collect::<Vec<_>>(),
            [
                Token::Word("from"),
                Token::Word("a"),
                Token::Comment("b [1.2.3.4] (nested)"),
                Token::Word("by"),
                Token::Word("c"),
                Token::Semicolon,
                Token::Word(r#"reason="x; y""#),
                Token::Quoted(r#"q\"z"#),
            ]
        );
    }

    #[test]
    fn unclosed_parts_run_to_the_end() {
        assert_eq!(
            tokenize("a (b").collect::<Vec<_>>(),
            [Token::Word("a"), Token::Comment("b")]
        );
    }
}
