//! How results become bytes. One [`Format`] names every output; each command offers the subset
//! that fits its results. Data formats write records — rows of named values — through a
//! [`RecordFormat`] ([`records`]); people get a view: a table ([`table`]), blocks or lines.
//! Renderers never parse: they receive values, escape what is shown to people, and write.

pub mod chart;
pub mod columns;
mod delimited;
mod json;
pub mod records;
pub mod sheet;
pub mod table;

use crate::fields::Value;
use delimited::{Delimited, Dialect};

/// `--format`: every output sesinspect can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for people (blocks of them for per-message reports).
    Table,
    /// Lines for people (`check`).
    Text,
    /// JSON: an array of records, one per line, or one object for whole-run results.
    Json,
    /// One JSON record per line.
    Ndjson,
    /// Tab-separated values, escaped like jq's `@tsv`.
    Tsv,
    /// Comma-separated values (RFC 4180), exact values.
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Text => "text",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
        }
    }
}

/// A data format that writes records one at a time: what comes before the first, each record,
/// what separates two, and what comes after the last.
pub trait RecordFormat: Sync + Send {
    fn begin(&self, columns: &[String], out: &mut Vec<u8>);
    fn record(&self, columns: &[String], values: &[Value], out: &mut Vec<u8>);
    /// Written between two records.
    fn separator(&self) -> &'static [u8] {
        b""
    }
    fn end(&self, _out: &mut Vec<u8>) {}
}

/// How TSV and CSV records begin and end.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delimiting {
    /// A header row first.
    pub header: bool,
    /// NUL after each record instead of a line end.
    pub null: bool,
    /// Cells a spreadsheet would run as a formula start with `'`.
    pub spreadsheet_safe: bool,
}

/// The record format for `format`; `None` for the formats for people.
fn record_format(
    format: Format,
    columns: &[String],
    delimiting: Delimiting,
) -> Option<Box<dyn RecordFormat>> {
    match format {
        Format::Table | Format::Text => None,
        Format::Json => Some(Box::new(json::JsonArray(json::Keys::new(columns)))),
        Format::Ndjson => Some(Box::new(json::JsonLines(json::Keys::new(columns)))),
        Format::Tsv => Some(Box::new(Delimited {
            dialect: Dialect::Tsv,
            header: delimiting.header,
            null: delimiting.null,
            spreadsheet_safe: delimiting.spreadsheet_safe,
        })),
        Format::Csv => Some(Box::new(Delimited {
            dialect: Dialect::Csv,
            header: delimiting.header,
            null: delimiting.null,
            spreadsheet_safe: delimiting.spreadsheet_safe,
        })),
    }
}

/// A list's items as one text, joined with ", " (in TSV and CSV, commas inside items escaped).
pub const LIST_SEPARATOR: &str = ", ";
