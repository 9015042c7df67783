//! Delimited text: TSV (escaped as jq's `@tsv`, plus visible escapes for terminal controls) and
//! CSV (RFC 4180, exact values), records ending with a line end or, for `xargs -0`, with NUL.
//! A list's items are joined with `, `; a comma or backslash inside an item is escaped with a
//! backslash (`\,`, `\\`), so that `, ` always separates items. Values are exact by default (they
//! are for programs); for spreadsheets, a cell that would start a formula can be guarded with a
//! leading `'`, as OWASP recommends against CSV injection.

use std::cell::Cell;

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
    /// End records with NUL instead of a line end.
    pub null: bool,
    /// Start cells that a spreadsheet would take for a formula with `'`.
    pub spreadsheet_safe: bool,
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

    /// Appends one cell: pieces joined with ", " (list items escaped), missing as nothing, then
    /// escaped or quoted.
    fn write_cell(
        self,
        value: &Value,
        spreadsheet_safe: bool,
        cell: &mut String,
        out: &mut Vec<u8>,
    ) {
        cell.clear();
        let list = value.is_list();
        value.each_piece(&mut |piece| {
            if !cell.is_empty() {
                cell.push_str(LIST_SEPARATOR);
            }
            match self {
                Dialect::Tsv if list => {
                    let start = cell.len();
                    escape_into(piece, Escaping::Tsv, cell);
                    escape_commas(cell, start);
                }
                Dialect::Tsv => escape_into(piece, Escaping::Tsv, cell),
                Dialect::Csv if list => {
                    let start = cell.len();
                    cell.push_str(&piece.replace('\\', "\\\\"));
                    escape_commas(cell, start);
                }
                Dialect::Csv => cell.push_str(piece),
            }
        });
        if spreadsheet_safe && cell.starts_with(FORMULA_STARTS) {
            cell.insert(0, '\'');
        }
        if self == Dialect::Csv && cell.contains([',', '"', '\r', '\n']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
}

/// What a spreadsheet takes for the start of a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes each comma of `cell[start..]` as `\,`.
fn escape_commas(cell: &mut String, start: usize) {
    if cell[start..].contains(',') {
        let escaped = cell[start..].replace(',', "\\,");
        cell.truncate(start);
        cell.push_str(&escaped);
    }
}

thread_local! {
    /// The cell being written, kept for its buffer: a record's cells are many small strings.
    static CELL: Cell<String> = const { Cell::new(String::new()) };
}

impl Delimited {
    fn record_end(&self) -> &'static [u8] {
        if self.null {
            b"\0"
        } else {
            self.dialect.line_end()
        }
    }
}

impl RecordFormat for Delimited {
    fn begin(&self, columns: &[String], out: &mut Vec<u8>) {
        if self.header {
            for (i, column) in columns.iter().enumerate() {
                if i > 0 {
                    out.push(self.dialect.separator());
                }
                out.extend_from_slice(column.as_bytes());
            }
            out.extend_from_slice(self.record_end());
        }
    }

    fn record(&self, _columns: &[String], values: &[Value], out: &mut Vec<u8>) {
        let mut cell = CELL.take();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(self.dialect.separator());
            }
            self.dialect
                .write_cell(value, self.spreadsheet_safe, &mut cell, out);
        }
        out.extend_from_slice(self.record_end());
        CELL.set(cell);
    }
}
