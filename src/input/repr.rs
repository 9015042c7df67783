//! Python's `repr` of an event (`{'Records': [...], 'x': True, 'y': None}`), as `print(event)`
//! writes it, turned into JSON by a real tokenizer: quotes and escapes, True/False/None, nesting.
//! Nothing is evaluated.

/// The JSON for a Python literal of dicts, lists, tuples, strings, numbers, booleans and None;
/// `None` when the text is not one.
pub fn to_json(text: &str) -> Option<String> {
    let mut json = String::with_capacity(text.len());
    let mut chars = text.trim().char_indices().peekable();
    let text = text.trim();
    let mut depth: Vec<char> = Vec::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' | '[' | '(' => {
                depth.push(c);
                json.push(if c == '(' { '[' } else { c });
            }
            '}' | ']' | ')' => {
                let open = depth.pop()?;
                if !matches!((open, c), ('{', '}') | ('[', ']') | ('(', ')')) {
                    return None;
                }
                trim_trailing_comma(&mut json);
                json.push(if c == ')' { ']' } else { c });
            }
            ',' | ':' => json.push(c),
            ' ' | '\t' | '\n' | '\r' => {}
            '\'' | '"' => {
                let value = string(&mut chars, c)?;
                json.push_str(&serde_json::to_string(&value).ok()?);
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let end = scan_while(&mut chars, at, |c| {
                    c.is_ascii_alphanumeric() || "+-._".contains(c)
                });
                let number = text[at..end].replace('_', "");
                serde_json::from_str::<serde_json::Number>(&number).ok()?;
                json.push_str(&number);
            }
            c if c.is_ascii_alphabetic() => {
                let end = scan_while(&mut chars, at, |c| c.is_ascii_alphanumeric() || c == '_');
                json.push_str(match &text[at..end] {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => return None,
                });
            }
            _ => return None,
        }
        if depth.is_empty() {
            // One literal only: what follows it is not part of it.
            return chars.next().is_none().then_some(json);
        }
    }
    None
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn scan_while(chars: &mut Chars, start: usize, keep: impl Fn(char) -> bool) -> usize {
    let mut end = start + 1;
    while let Some(&(at, c)) = chars.peek() {
        if !keep(c) {
            break;
        }
        end = at + c.len_utf8();
        chars.next();
    }
    end
}

/// A Python string body after its opening quote, escapes decoded.
fn string(chars: &mut Chars, quote: char) -> Option<String> {
    let mut value = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            c if c == quote => return Some(value),
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'r' => value.push('\r'),
                    '0' => value.push('\0'),
                    'a' => value.push('\u{7}'),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'v' => value.push('\u{b}'),
                    'x' => value.push(hex(chars, 2)?),
                    'u' => value.push(hex(chars, 4)?),
                    'U' => value.push(hex(chars, 8)?),
                    '\\' | '\'' | '"' => value.push(escaped),
                    other => {
                        value.push('\\');
                        value.push(other);
                    }
                }
            }
            c => value.push(c),
        }
    }
    None
}

fn hex(chars: &mut Chars, digits: usize) -> Option<char> {
    let mut code = String::new();
    for _ in 0..digits {
        code.push(chars.next()?.1);
    }
    char::from_u32(u32::from_str_radix(&code, 16).ok()?)
}

fn trim_trailing_comma(json: &mut String) {
    if json.ends_with(',') {
        json.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::to_json;

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
        let json = to_json(r#"{'a': 'it\'s \u00e9\x41\n', 'b': "q\"uote", 'c': 'Zo\xeb 会议', 'd': (1, 2,), 'e': -1.5e3}"#).expect("a literal");
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(value["a"], "it's éA\n");
        assert_eq!(value["b"], "q\"uote");
        assert_eq!(value["c"], "Zoë 会议");
        assert_eq!(value["d"], serde_json::json!([1, 2]));
        assert_eq!(value["e"], -1500.0);
    }

    #[test]
    fn refuses_what_is_not_a_literal() {
        assert_eq!(to_json("{'a': datetime(2024, 1, 1)}"), None);
        assert_eq!(to_json("{'a': 1"), None);
        assert_eq!(to_json("{'a': [1}"), None);
        assert_eq!(to_json("{'a': 1} trailing"), None);
        assert_eq!(to_json("{Records: [ { ses: [Object] } ]}"), None);
    }
}
