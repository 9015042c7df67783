//! JSON output: one object per message with exact values — an array (`json`) or one object
//! per line (`ndjson`).

use serde::ser::{Serialize, Serializer};

use super::RecordFormat;
use crate::fields::Value;

/// Records as an array of objects.
pub struct JsonArray(pub Keys);
/// Records as one object a line.
pub struct JsonLines(pub Keys);

/// The columns as object keys, each written once as `"column":` rather than for every record.
pub struct Keys(Vec<Vec<u8>>);

impl Keys {
    pub fn new(columns: &[String]) -> Keys {
        let key = |column: &String| {
            let mut key = Vec::with_capacity(column.len() + 3);
            write_str(column, &mut key);
            key.push(b':');
            key
        };
        Keys(columns.iter().map(key).collect())
    }
}

impl RecordFormat for JsonArray {
    fn begin(&self, _columns: &[String], out: &mut Vec<u8>) {
        out.push(b'[');
    }

    fn record(&self, _columns: &[String], values: &[Value], out: &mut Vec<u8>) {
        out.push(b'\n');
        write_object(&self.0, values, out);
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn end(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\n]\n");
    }
}

impl RecordFormat for JsonLines {
    fn begin(&self, _columns: &[String], _out: &mut Vec<u8>) {}

    fn record(&self, _columns: &[String], values: &[Value], out: &mut Vec<u8>) {
        write_object(&self.0, values, out);
        out.push(b'\n');
    }
}

/// Writes one record as a JSON object. Text and numbers, most of what records hold, are written
/// here directly; other values go through serde. Either way the bytes are serde_json's.
fn write_object(keys: &Keys, values: &[Value], out: &mut Vec<u8>) {
    out.push(b'{');
    for (n, (key, value)) in keys.0.iter().zip(values).enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(key);
        match value {
            Value::Missing => out.extend_from_slice(b"null"),
            Value::Text(text) => write_str(text, out),
            Value::Owned(text) => write_str(text, out),
            Value::Number(number) => {
                out.extend_from_slice(itoa::Buffer::new().format(*number).as_bytes())
            }
            Value::Signed(number) => {
                out.extend_from_slice(itoa::Buffer::new().format(*number).as_bytes())
            }
            // Writing JSON into memory fails only for non-string map keys, which no value has.
            other => {
                let _ = serde_json::to_writer(&mut *out, other);
            }
        }
    }
    out.push(b'}');
}

/// Appends `text` as a JSON string escaped as serde_json escapes it: `"` and `\\` with a
/// backslash, the control characters below U+0020 as `\n`, `\t`… or `\u00xx`, everything else
/// as it is. Text is scanned 16 bytes at a time: most holds nothing to escape.
pub fn write_str(text: &str, out: &mut Vec<u8>) {
    const CHUNK: usize = 16;
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut escape_in = |from: usize, part: &[u8], out: &mut Vec<u8>| {
        for (at, &byte) in (from..).zip(part) {
            if needs_escape(byte) {
                out.extend_from_slice(&bytes[copied..at]);
                write_escape(byte, out);
                copied = at + 1;
            }
        }
    };
    // Branch-free over a chunk, so that the compiler compares 16 bytes at once.
    let plain = |part: &[u8]| {
        !part
            .iter()
            .fold(false, |any, &byte| any | needs_escape(byte))
    };
    let chunks = bytes.chunks_exact(CHUNK);
    let tail = chunks.remainder();
    for (n, chunk) in chunks.enumerate() {
        if !plain(chunk) {
            escape_in(n * CHUNK, chunk, out);
        }
    }
    // The tail is checked with the last whole chunk of the text, which ends with it.
    let tail_plain = match bytes.last_chunk::<CHUNK>() {
        Some(last) => plain(last),
        None => plain(tail),
    };
    if !tail_plain {
        escape_in(bytes.len() - tail.len(), tail, out);
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn write_escape(byte: u8, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 0xf)],
        ]),
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Missing => serializer.serialize_none(),
            Value::Text(text) => serializer.serialize_str(text),
            Value::Owned(text) => serializer.serialize_str(text),
            Value::Verdict(status) => serializer.serialize_str(status.as_str()),
            Value::List(items) => serializer.collect_seq(items.iter()),
            Value::Slots(items) => serializer.collect_seq(items.iter()),
            Value::Number(n) => serializer.serialize_u64(*n),
            Value::Signed(n) => serializer.serialize_i64(*n),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Json(value) => value.serialize(serializer),
            Value::Tags(tags) => {
                serializer.collect_map(tags.0.iter().map(|(name, values)| (name, &values.0)))
            }
            Value::Unreadable(found) => {
                let found: &serde_json::value::RawValue =
                    serde_json::from_str(found).map_err(serde::ser::Error::custom)?;
                serializer.collect_map([("unreadable", found)])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Keys, Value, write_object, write_str};

    #[test]
    fn escapes_strings_as_serde_json_does() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for length in [15, 16, 17, 31, 32, 33, 47] {
            for at in [0, 7, length - 1] {
                for odd in [
                    '"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', '会', '\u{202e}',
                ] {
                    let mut text: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLM"
                        .chars()
                        .take(length)
                        .collect();
                    text[at] = odd;
                    texts.push(text.into_iter().collect());
                }
            }
        }
        texts.push("\"\\\u{8}\u{c}\t\r\n\u{0}".repeat(9));
        for text in texts {
            let mut written = Vec::new();
            write_str(&text, &mut written);
            let expected = serde_json::to_string(&text).expect("a string");
            assert_eq!(String::from_utf8(written).as_deref(), Ok(expected.as_str()));
        }
    }

    #[test]
    fn writes_records_as_serde_json_does() {
        let json = serde_json::json!({"k": [1, "x"]});
        let columns = [
            "text", "owned", "missing", "number", "signed", "bool", "json", "q\"k",
        ]
        .map(String::from);
        let values = [
            Value::Text("a\u{1b}b"),
            Value::Owned("c\"d".to_string()),
            Value::Missing,
            Value::Number(u64::MAX),
            Value::Signed(-42),
            Value::Bool(true),
            Value::Json(&json),
            Value::Text(""),
        ];
        let mut written = Vec::new();
        write_object(&Keys::new(&columns), &values, &mut written);
        let expected = serde_json::json!({
            "text": "a\u{1b}b", "owned": "c\"d", "missing": null, "number": u64::MAX,
            "signed": -42, "bool": true, "json": {"k": [1, "x"]}, "q\"k": "",
        });
        assert_eq!(String::from_utf8(written), Ok(expected.to_string()));
    }
}
