//! Delimited text: TSV (escaped as jq's `@tsv`, plus visible escapes for terminal controls) and
//! CSV (RFC 4180, exact values).

use super::{LIST_SEPARATOR, RecordFormat};
use crate::fields::Value;
use crate::sanitize::{Escaping, escape_into};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Tsv,
    Csv,
}

pub struct Delimited {
    pub dialect: Dialect,
    pub header: bool,
}

impl Dialect {
    fn separator(self) -> u8 {
        match self {
            Dialect::Tsv => b'\t',
            Dialect::Csv => b',',
        }
    }

    fn line_end(self) -> &'static [u8] {
        match self {
            Dialect::Tsv => b"\n",
            Dialect::Csv => b"\r\n",
        }
    }

    /// Appends one cell: pieces joined with ", ", missing as nothing, then escaped or quoted.
    fn write_cell(self, value: &Value, cell: &mut String, out: &mut Vec<u8>) {
        cell.clear();
        value.each_piece(&mut |piece| {
            if !cell.is_empty() {
                cell.push_str(LIST_SEPARATOR);
            }
            match self {
                Dialect::Tsv => escape_into(piece, Escaping::Tsv, cell),
                Dialect::Csv => cell.push_str(piece),
            }
        });
        if self == Dialect::Csv && cell.contains([',', '"', '\r', '\n']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
}

impl RecordFormat for Delimited {
    fn begin(&self, columns: &[&str], out: &mut Vec<u8>) {
        if self.header {
            for (i, column) in columns.iter().enumerate() {
                if i > 0 {
                    out.push(self.dialect.separator());
                }
                out.extend_from_slice(column.as_bytes());
            }
            out.extend_from_slice(self.dialect.line_end());
        }
    }

    fn record(&self, _columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
        let mut cell = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(self.dialect.separator());
            }
            self.dialect.write_cell(value, &mut cell, out);
        }
        out.extend_from_slice(self.dialect.line_end());
    }
}
