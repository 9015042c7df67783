//! TSV (escaped as jq's `@tsv`, plus visible escapes for terminal controls) and CSV (RFC 4180,
//! exact values).

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

/// A value as text: pieces joined with ", ", missing as nothing; `push` writes each piece.
fn write_text(value: &Value, cell: &mut String, push: impl Fn(&str, &mut String)) {
    let mut first = true;
    value.each_piece(&mut |piece| {
        if !first {
            cell.push_str(LIST_SEPARATOR);
        }
        first = false;
        push(piece, cell);
    });
}
