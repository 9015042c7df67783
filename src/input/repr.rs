//! Python's `repr` of an event (`{'Records': [...], 'x': True, 'y': None}`), as `print(event)`
//! writes it, turned into JSON by a small parser of that grammar. Nothing is evaluated, and
//! nothing is repaired: text that is not exactly a repr (broken JSON) is refused.
//!
//! What "is a Python repr" means here — the literals `repr` writes, and nothing else:
//!
//! ```text
//! value  = dict | list | tuple | string | number | True | False | None
//! dict   = "{" [ string ":" value { "," string ":" value } ] "}"
//! list   = "[" [ value { "," value } ] "]"
//! tuple  = "(" ")" | "(" value "," ")" | "(" value "," value { "," value } ")"
//! string = 'single' or "double" quoted, on one line, with Python's escapes
//!          (\\ \' \" \n \r \t \a \b \f \v \0 \xHH \uHHHH \UHHHHHHHH)
//! number = what JSON accepts as a number (repr writes ints and floats that way;
//!          inf and nan have no JSON form and are refused)
//! ```
//!
//! Whitespace may separate tokens. `repr` never writes a trailing comma (but in a one-item
//! tuple), two commas in a row, a key that is not a string, or an unknown escape: each of these
//! makes the text not a repr. Nesting deeper than [`MAX_DEPTH`] is refused, so the parser's
//! recursion is bounded whatever the input.

/// The deepest nesting accepted, below serde_json's own limit so that the JSON written always
/// parses.
pub const MAX_DEPTH: usize = 100;

/// The JSON for a Python literal of dicts, lists, tuples, strings, numbers, booleans and None;
/// `None` when the text is not exactly one (see the module's grammar).
pub fn to_json(text: &str) -> Option<String> {
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        json: String::with_capacity(text.len()),
    };
    parser.value(0)?;
    parser.skip_space();
    (parser.at == parser.text.len()).then_some(parser.json)
}

struct Parser<'t> {
    text: &'t [u8],
    at: usize,
    json: String,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips whitespace, then takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        self.skip_space();
        match self.peek()? {
            b'{' => self.dict(depth + 1),
            b'[' => self.sequence(b']', depth + 1),
            b'(' => self.sequence(b')', depth + 1),
            b'\'' | b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            _ => self.word(),
        }
    }

    fn dict(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.json.push('{');
        if !self.eat(b'}') {
            loop {
                self.skip_space();
                if !matches!(self.peek()?, b'\'' | b'"') {
                    return None;
                }
                self.string()?;
                if !self.eat(b':') {
                    return None;
                }
                self.json.push(':');
                self.value(depth)?;
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
                self.json.push(',');
            }
        }
        self.json.push('}');
        Some(())
    }

    /// A list up to `close` (`]`), or a tuple (`)`), written as a JSON array.
    fn sequence(&mut self, close: u8, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.json.push('[');
        let mut items = 0;
        if !self.eat(close) {
            loop {
                self.value(depth)?;
                items += 1;
                if self.eat(close) {
                    // `(1)` is not a tuple but the number 1 in parentheses, which repr never writes.
                    if close == b')' && items == 1 {
                        return None;
                    }
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
                // A one-item tuple is the only place repr writes a comma before the end.
                if close == b')' && items == 1 && self.eat(b')') {
                    break;
                }
                self.json.push(',');
            }
        }
        self.json.push(']');
        Some(())
    }

    fn word(&mut self) -> Option<()> {
        let rest = &self.text[self.at..];
        let (word, json) = [
            (&b"True"[..], "true"),
            (b"False", "false"),
            (b"None", "null"),
        ]
        .into_iter()
        .find(|(word, _)| rest.starts_with(word))?;
        // `Nonesuch` is a name, not None.
        if rest
            .get(word.len())
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        self.at += word.len();
        self.json.push_str(json);
        Some(())
    }

    fn number(&mut self) -> Option<()> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.at += 1;
        }
        let number = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        serde_json::from_str::<serde_json::Number>(number).ok()?;
        self.json.push_str(number);
        Some(())
    }

    /// A quoted string, its escapes decoded, written as a JSON string.
    fn string(&mut self) -> Option<()> {
        let quote = self.text[self.at];
        self.at += 1;
        let mut value = String::new();
        loop {
            // Copy the run of plain characters at once.
            let plain = self.text[self.at..]
                .iter()
                .position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'\r')?;
            value.push_str(std::str::from_utf8(&self.text[self.at..self.at + plain]).ok()?);
            self.at += plain;
            match self.text[self.at] {
                b'\\' => {
                    self.at += 1;
                    value.push(self.escape()?);
                }
                b'\n' | b'\r' => return None,
                _ => {
                    self.at += 1;
                    break;
                }
            }
        }
        self.json.push_str(&serde_json::to_string(&value).ok()?);
        Some(())
    }

    /// The character an escape stands for, after its backslash.
    fn escape(&mut self) -> Option<char> {
        let escaped = self.peek()?;
        self.at += 1;
        Some(match escaped {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'v' => '\u{b}',
            b'\\' => '\\',
            b'\'' => '\'',
            b'"' => '"',
            b'x' => self.hex(2)?,
            b'u' => self.hex(4)?,
            b'U' => self.hex(8)?,
            _ => return None,
        })
    }

    fn hex(&mut self, digits: usize) -> Option<char> {
        let code = self.text.get(self.at..self.at + digits)?;
        if !code.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.at += digits;
        char::from_u32(u32::from_str_radix(std::str::from_utf8(code).ok()?, 16).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, to_json};

    #[test]
    fn converts_a_python_event() {
        let repr = r#"{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'commonHeaders': {'subject': "Re: Bob's report", 'to': ['a@b']}, 'headersTruncated': False}, 'receipt': {'processingTimeMillis': 574, 'dmarcPolicy': None, 'x': True}}}]}"#;
        let json = to_json(repr).expect("a literal");
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        let ses = &value["Records"][0]["ses"];
        assert_eq!(ses["mail"]["commonHeaders"]["subject"], "Re: Bob's report");
        assert_eq!(ses["mail"]["headersTruncated"], false);
        assert_eq!(ses["receipt"]["processingTimeMillis"], 574);
        assert_eq!(ses["receipt"]["dmarcPolicy"], serde_json::Value::Null);
    }

    #[test]
    fn decodes_escapes_and_unicode() {
        let json = to_json(r#"{'a': 'it\'s \u00e9\x41\n', 'b': "q\"uote", 'c': 'Zo\xeb 会议', 'd': (1, 2), 'e': -1.5e+30, 'f': (1,), 'g': (), 'h': '\\'}"#).expect("a literal");
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(value["a"], "it's éA\n");
        assert_eq!(value["b"], "q\"uote");
        assert_eq!(value["c"], "Zoë 会议");
        assert_eq!(value["d"], serde_json::json!([1, 2]));
        assert_eq!(value["e"], -1.5e30);
        assert_eq!(value["f"], serde_json::json!([1]));
        assert_eq!(value["g"], serde_json::json!([]));
        assert_eq!(value["h"], "\\");
    }

    #[test]
    fn refuses_what_is_not_a_literal() {
        assert_eq!(to_json("{'a': datetime(2024, 1, 1)}"), None);
        assert_eq!(to_json("{'a': 1"), None);
        assert_eq!(to_json("{'a': [1}"), None);
        assert_eq!(to_json("{'a': 1} trailing"), None);
        assert_eq!(to_json("{Records: [ { ses: [Object] } ]}"), None);
        assert_eq!(to_json("{'a': Nonesuch}"), None);
        assert_eq!(to_json("{'a': inf}"), None);
        assert_eq!(to_json("{1: 'a'}"), None);
        assert_eq!(to_json(r"{'a': 'x\q'}"), None);
        assert_eq!(to_json("{'a': 'two\nlines'}"), None);
        assert_eq!(to_json("{'a': (1)}"), None);
    }

    /// Broken JSON is not a repr: `,,` and trailing commas are refused, not repaired.
    #[test]
    fn refuses_broken_json() {
        assert_eq!(to_json(r#"{"a":1,}"#), None);
        assert_eq!(to_json(r#"{"a":1,,"b":2}"#), None);
        assert_eq!(to_json(r#"{"a":[1,2,]}"#), None);
        assert_eq!(to_json("{'a': [1, 2,]}"), None);
        assert_eq!(to_json("{'a': (1, 2,)}"), None);
        assert_eq!(to_json(&format!("{{\"a\":1{}}}", ",".repeat(500))), None);
        assert_eq!(to_json(r#"{"a":true}"#), None);
    }

    /// Whatever the text, no panic, and what is accepted is JSON.
    #[test]
    fn accepts_only_what_becomes_json() {
        let alphabet: Vec<char> = "{}[](),: '\"\\xuU0a9-.e+TrueFalsNon\né".chars().collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let length = random(24);
            let text: String = (0..length)
                .map(|_| alphabet[random(alphabet.len())])
                .collect();
            if let Some(json) = to_json(&format!("{{'k': {text}}}")) {
                accepted += 1;
                assert!(
                    serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                    "{text} gave {json}"
                );
            }
        }
        assert!(accepted > 0, "the test reaches the accepting paths");
    }

    #[test]
    fn bounds_its_depth() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(to_json(&deep(MAX_DEPTH)).is_some());
        assert_eq!(to_json(&deep(MAX_DEPTH + 1)), None);
        assert_eq!(to_json(&deep(1_000_000)), None);
    }
}
