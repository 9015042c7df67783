//! TSV (escaped as jq's `@tsv`, plus visible escapes for terminal controls) and CSV (RFC 4180,
//! exact values).

use std::fmt::Write;

use super::{LIST_SEPARATOR, RowFormat};
use crate::fields::Value;
use crate::sanitize::{Escaping, escape_into};

pub struct Tsv {
    pub header: bool,
}

pub struct Csv {
    pub header: bool,
}

impl RowFormat for Tsv {
    fn begin(&self, columns: &[&str], out: &mut Vec<u8>) {
        if self.header {
            out.extend_from_slice(columns.join("\t").as_bytes());
            out.push(b'\n');
        }
    }

    fn row(&self, _columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
        let mut cell = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            cell.clear();
            write_text(value, &mut cell, |text, cell| {
                escape_into(text, Escaping::Tsv, cell)
            });
            out.extend_from_slice(cell.as_bytes());
        }
        out.push(b'\n');
    }
}

impl RowFormat for Csv {
    fn begin(&self, columns: &[&str], out: &mut Vec<u8>) {
        if self.header {
            out.extend_from_slice(columns.join(",").as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }

    fn row(&self, _columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
        let mut cell = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            cell.clear();
            write_text(value, &mut cell, |text, cell| cell.push_str(text));
            if cell.contains([',', '"', '\r', '\n']) {
                out.push(b'"');
                out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
                out.push(b'"');
            } else {
                out.extend_from_slice(cell.as_bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// A value as text: lists joined, missing as nothing; `push` writes each piece of text.
fn write_text(value: &Value, cell: &mut String, push: impl Fn(&str, &mut String)) {
    match value {
        Value::Missing => {}
        Value::Text(text) => push(text, cell),
        Value::Owned(text) => push(text, cell),
        Value::Verdict(status) => push(status.as_str(), cell),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    cell.push_str(LIST_SEPARATOR);
                }
                push(item, cell);
            }
        }
        Value::Number(n) => {
            let _ = write!(cell, "{n}");
        }
        Value::Bool(b) => cell.push_str(if *b { "true" } else { "false" }),
    }
}
