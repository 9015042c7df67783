//! The forms redacted: a stream of JSON documents (one per line or spread over lines, with the
//! whitespace between them kept), lines of log text with JSON after a prefix, Python repr
//! lines, and base64 (gzip) payloads; each written back in its own form, changed.

use std::io::{self, BufRead, Read, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde_json::Value;

use super::{Redactor, text};
use crate::input::repr;

/// The longest document or line held in memory; past it, the document is skipped and reported.
pub const MAX_DOCUMENT: usize = 64 << 20;

/// How many brackets of a log line are tried as the start of its JSON.
const MAX_STARTS_TRIED: usize = 4;

/// How deep payloads may hold payloads (base64 inside base64…): each level holds its decoded
/// bytes while the next is redacted.
const MAX_PAYLOAD_DEPTH: usize = 4;

/// The most a base64 or gzip payload may decode to.
pub const MAX_PAYLOAD: u64 = 64 << 20;

/// Words of Lambda's and CloudWatch's own log lines, kept in text.
const LOG_WORDS: &[&str] = &[
    "START",
    "END",
    "REPORT",
    "RequestId:",
    "Version:",
    "$LATEST",
    "Duration:",
    "Billed",
    "Memory",
    "Size:",
    "Max",
    "Used:",
    "Init",
    "ms",
    "MB",
    "INIT_START",
    "Runtime",
    "Runtime:",
    "ARN:",
    "INFO",
    "ERROR",
    "WARN",
    "WARNING",
    "DEBUG",
    "TRACE",
    "FATAL",
    "Status:",
    "timeout",
];

/// Something in the input that was skipped, at a line (1-based) and column of the input.
#[derive(Debug)]
pub struct Skipped {
    pub line: u64,
    pub column: u64,
    pub kind: crate::problem::ProblemKind,
    pub message: String,
}

/// Why a stream could not be redacted to its end.
#[derive(Debug)]
pub enum Failed {
    /// The input could not be read (a broken gzip stream, a disk error).
    Read(io::Error),
    /// The output could not be written (a closed pipe, a full disk).
    Write(io::Error),
}

/// Redacts a stream of documents and log lines from `reader` to `out`. With `strict`, a
/// document or line holding a value that could not be classified is not written but reported.
pub fn redact_stream(
    redactor: &mut Redactor,
    reader: &mut dyn BufRead,
    out: &mut dyn Write,
    strict: bool,
    report: &mut dyn FnMut(Skipped),
) -> Result<(), Failed> {
    use crate::problem::ProblemKind;
    let mut line = Vec::new();
    let mut document = Vec::new();
    let mut scan = Scan::default();
    let mut line_number: u64 = 0;
    let mut document_line: u64 = 0;
    loop {
        line.clear();
        let read = reader
            .take(MAX_DOCUMENT as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(Failed::Read)?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if line.len() > MAX_DOCUMENT || document.len() + line.len() > MAX_DOCUMENT {
            report(Skipped {
                line: if document.is_empty() {
                    line_number
                } else {
                    document_line
                },
                column: 1,
                kind: ProblemKind::OverLimit,
                message: format!(
                    "a document longer than {} MiB: skipped, up to the next line that starts one",
                    MAX_DOCUMENT >> 20
                ),
            });
            document.clear();
            scan = Scan::default();
            if !line.ends_with(b"\n") {
                skip_line(reader).map_err(Failed::Read)?;
            }
            continue;
        }
        if document.is_empty() {
            let start = line.iter().position(|b| !b" \t\r\n".contains(b));
            match start.map(|i| line[i]) {
                None => {
                    out.write_all(&line).map_err(Failed::Write)?;
                    continue;
                }
                Some(b'{' | b'[') => document_line = line_number,
                Some(_) => {
                    let Ok(text) = std::str::from_utf8(&line) else {
                        report(Skipped {
                            line: line_number,
                            column: 1,
                            kind: ProblemKind::Encoding,
                            message: "a line that is not UTF-8: skipped".to_string(),
                        });
                        continue;
                    };
                    let redacted = text_line(redactor, text);
                    finish(
                        redactor,
                        strict,
                        redacted.as_bytes(),
                        out,
                        line_number,
                        report,
                    )
                    .map_err(Failed::Write)?;
                    continue;
                }
            }
        }
        scan.feed(&line);
        document.extend_from_slice(&line);
        if scan.depth == 0 {
            let written = documents(redactor, &document, document_line, report);
            finish(redactor, strict, &written, out, document_line, report)
                .map_err(Failed::Write)?;
            document.clear();
            scan = Scan::default();
        }
    }
    if !document.is_empty() {
        let written = documents(redactor, &document, document_line, report);
        finish(redactor, strict, &written, out, document_line, report).map_err(Failed::Write)?;
    }
    Ok(())
}

/// Writes what was redacted, or under `strict` reports it instead when it held values that
/// could not be classified; reports problems inside payloads either way.
fn finish(
    redactor: &mut Redactor,
    strict: bool,
    written: &[u8],
    out: &mut dyn Write,
    line: u64,
    report: &mut dyn FnMut(Skipped),
) -> io::Result<()> {
    use crate::problem::ProblemKind;
    for problem in redactor.take_payload_problems() {
        report(Skipped {
            line,
            column: 1,
            kind: ProblemKind::Encoding,
            message: format!("{problem}: the payload was replaced by an empty string"),
        });
    }
    let missed = redactor.take_unclassified_here();
    if strict && !missed.is_empty() {
        let mut paths = missed;
        paths.dedup();
        report(Skipped {
            line,
            column: 1,
            kind: ProblemKind::Unclassified,
            message: format!(
                "not written (--strict): values redact cannot classify at {}",
                paths.join(", ")
            ),
        });
        return Ok(());
    }
    out.write_all(written)
}

/// Skips the rest of a line too long to hold.
fn skip_line(reader: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(end) = memchr::memchr(b'\n', buffer) {
            reader.consume(end + 1);
            return Ok(());
        }
        let length = buffer.len();
        reader.consume(length);
    }
}

/// Where a document ends: nesting depth outside strings, fed line by line (linear).
#[derive(Debug, Default)]
struct Scan {
    depth: u64,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
    }
}

/// The JSON documents in `bytes` (one, or several on a line), each redacted and written in the
/// same layout (pretty when it was spread over lines), with the whitespace between them. A
/// Python repr document is written back as a Python repr. Broken JSON is reported and skipped.
fn documents(
    redactor: &mut Redactor,
    bytes: &[u8],
    first_line: u64,
    report: &mut dyn FnMut(Skipped),
) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    let mut end = 0;
    loop {
        let start = end
            + bytes[end..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        out.extend_from_slice(&bytes[end..start]);
        if start == bytes.len() {
            return out;
        }
        match values.next() {
            Some(Ok(mut value)) => {
                end = values.byte_offset();
                redactor.document(&mut value);
                write_like(&value, &bytes[start..end], &mut out);
            }
            Some(Err(error)) => {
                if end == 0 {
                    if let Some(redacted) = repr_document(redactor, bytes) {
                        return redacted;
                    }
                }
                report(Skipped {
                    line: first_line + error.line().saturating_sub(1) as u64,
                    column: error.column() as u64,
                    kind: crate::problem::ProblemKind::Syntax,
                    message: format!("{error}: the rest of this document was skipped"),
                });
                return out;
            }
            None => return out,
        }
    }
}

/// Writes `value` in the layout of `source`: compact on one line, or pretty with its indent.
fn write_like(value: &Value, source: &[u8], out: &mut Vec<u8>) {
    let Some(newline) = memchr::memchr(b'\n', source) else {
        // Writing a Value to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, value);
        return;
    };
    let indent: Vec<u8> = source[newline + 1..]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .copied()
        .collect();
    let indent = if indent.is_empty() {
        b"  ".to_vec()
    } else {
        indent
    };
    let formatter = serde_json::ser::PrettyFormatter::with_indent(&indent);
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    let _ = value.serialize(&mut serializer);
}

/// A Python repr document (what `print(event)` writes), redacted and written back as one.
fn repr_document(redactor: &mut Redactor, bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_end();
    let json = repr::to_json(trimmed)?;
    let mut value: Value = serde_json::from_str(&json).ok()?;
    redactor.document(&mut value);
    let mut out = String::with_capacity(bytes.len());
    write_repr(&value, &mut out);
    out.push_str(&text[trimmed.len()..]);
    Some(out.into_bytes())
}

/// A line of text: JSON (or a Python repr) after a prefix redacted in place, the prefix's
/// words kept when they are a log's own (times, request ids, levels), else replaced.
fn text_line(redactor: &mut Redactor, line: &str) -> String {
    if let Some(redacted) = line_with_json(redactor, line) {
        return redacted;
    }
    words(redactor, line)
}

/// `line` with the JSON value that follows its prefix redacted; `None` when there is none.
/// Only the first few brackets are tried as the start, so that a line of brackets costs a
/// bounded number of parses, not one per bracket.
fn line_with_json(redactor: &mut Redactor, line: &str) -> Option<String> {
    for (start, _) in line.match_indices(['{', '[']).take(MAX_STARTS_TRIED) {
        let rest = &line[start..];
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let mut value = match values.next() {
            Some(Ok(value @ (Value::Object(_) | Value::Array(_)))) => value,
            _ => {
                let trimmed = rest.trim_end();
                let Some(json) = repr::to_json(trimmed) else {
                    continue;
                };
                let Ok(mut value) = serde_json::from_str::<Value>(&json) else {
                    continue;
                };
                redactor.document(&mut value);
                let mut out = words(redactor, &line[..start]);
                write_repr(&value, &mut out);
                out.push_str(&rest[trimmed.len()..]);
                return Some(out);
            }
        };
        let end = start + values.byte_offset();
        redactor.document(&mut value);
        let mut out = words(redactor, &line[..start]);
        let mut json = Vec::new();
        write_like(&value, &line.as_bytes()[start..end], &mut json);
        out.push_str(&String::from_utf8_lossy(&json));
        out.push_str(&words(redactor, &line[end..]));
        return Some(out);
    }
    None
}

/// A string value holding JSON (an SNS `Message`, a log event's `message`), redacted line by
/// line; `None` when no line holds JSON.
pub fn text_with_json(redactor: &mut Redactor, value: &str) -> Option<String> {
    // Each line is either JSON redacted, or text to redact once we know the string holds JSON.
    let mut pieces: Vec<Result<String, &str>> = Vec::new();
    for line in value.split_inclusive('\n') {
        pieces.push(line_with_json(redactor, line).ok_or(line));
    }
    if !pieces.iter().any(Result::is_ok) {
        return None;
    }
    let mut out = String::with_capacity(value.len());
    for piece in pieces {
        match piece {
            Ok(redacted) => out.push_str(&redacted),
            Err(line) => out.push_str(&words(redactor, line)),
        }
    }
    Some(out)
}

/// Free text outside JSON, word by word: a log's own words (times, ids, levels, Lambda's
/// report words, numbers) kept; addresses, hosts, IPs and ARNs replaced by pseudonyms; any other
/// word replaced by a placeholder and noted as not classified.
pub fn words(redactor: &mut Redactor, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut unclassified = false;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        if word.is_empty() || super::is_uuid(word) {
            // Request ids say which invocation, not who.
            out.push_str(word);
        } else if let Some(redacted) = redactor.by_shape(word) {
            // Times (shifted), addresses, IPs, ARNs, account ids, domains.
            out.push_str(&redacted);
        } else if is_log_word(word) {
            out.push_str(word);
        } else {
            let free = text::free_text(&redactor.names, word);
            if free == word {
                unclassified = true;
                out.push_str(&redactor.names.placeholder("Text", word));
            } else {
                out.push_str(&free);
            }
        }
        out.push_str(space);
    }
    if unclassified {
        redactor.note_unclassified("(text)");
    }
    out
}

/// Words a log line is made of that name nobody: Lambda's and CloudWatch's own, log levels,
/// numbers, hexadecimal ids and Lambda log stream names.
fn is_log_word(word: &str) -> bool {
    LOG_WORDS.contains(&word)
        || word
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"-.:,/".contains(&b))
        || is_log_stream(word)
        || word.chars().all(|c| c.is_ascii_punctuation())
}

/// `2024/06/01/[$LATEST]0a1b…`: a Lambda log stream.
fn is_log_stream(word: &str) -> bool {
    let Some((date, rest)) = word.split_once("/[") else {
        return false;
    };
    let Some((version, id)) = rest.split_once(']') else {
        return false;
    };
    date.bytes().all(|b| b.is_ascii_digit() || b == b'/')
        && (version == "$LATEST" || version.bytes().all(|b| b.is_ascii_digit()))
        && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A base64 payload, gzip or not, holding JSON documents or log text: decoded, redacted and
/// encoded the same way. `Ok(None)` when `value` is not base64 of text; `Err` when it is gzip
/// that cannot be read or decodes past [`MAX_PAYLOAD`].
pub fn payload(redactor: &mut Redactor, value: &str) -> Result<Option<String>, String> {
    if redactor.payload_depth >= MAX_PAYLOAD_DEPTH {
        return Err(format!(
            "a payload nested more than {MAX_PAYLOAD_DEPTH} deep"
        ));
    }
    let Ok(decoded) = STANDARD.decode(value.trim()) else {
        return Ok(None);
    };
    let gzip = decoded.starts_with(&[0x1f, 0x8b]);
    let plain = if gzip {
        let mut plain = Vec::new();
        MultiGzDecoder::new(&decoded[..])
            .take(MAX_PAYLOAD + 1)
            .read_to_end(&mut plain)
            .map_err(|e| format!("gzip data that cannot be read ({e})"))?;
        if plain.len() as u64 > MAX_PAYLOAD {
            return Err(format!(
                "gzip data that decodes past {} MiB",
                MAX_PAYLOAD >> 20
            ));
        }
        plain
    } else {
        decoded
    };
    let Ok(text) = std::str::from_utf8(&plain) else {
        return Ok(None);
    };
    if !text.trim_start().starts_with(['{', '[']) {
        return Ok(None);
    }
    let mut redacted = Vec::with_capacity(plain.len());
    let mut problems = Vec::new();
    let mut reader = text.as_bytes();
    redactor.payload_depth += 1;
    let result = redact_stream(
        redactor,
        &mut reader,
        &mut redacted,
        false,
        &mut |skipped| {
            problems.push(format!(
                "in the payload, line {} column {}: {}",
                skipped.line, skipped.column, skipped.message
            ));
        },
    );
    redactor.payload_depth -= 1;
    result.map_err(|failed| match failed {
        Failed::Read(e) | Failed::Write(e) => e.to_string(),
    })?;
    redactor.payload_problems.extend(problems);
    let bytes = if gzip {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&redacted).map_err(|e| e.to_string())?;
        encoder.finish().map_err(|e| e.to_string())?
    } else {
        redacted
    };
    Ok(Some(STANDARD.encode(bytes)))
}

/// `value` as Python's `repr` writes it: dicts, lists, strings in single quotes (double when
/// they hold a single quote and no double one), True, False, None.
fn write_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => write_repr_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr_string(key, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

fn write_repr_string(text: &str, out: &mut String) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}
