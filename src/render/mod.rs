//! Output formats: how rows of field values become bytes. Streaming formats implement
//! [`RowFormat`] and write into any buffer; tables are laid out once all rows are in.

mod delimited;
mod json;
pub mod rows;
pub mod table;

use crate::fields::Value;
use delimited::{Delimited, Dialect};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Tsv,
    Csv,
}

/// A row-at-a-time format: a header, rows with separators between them, a footer.
pub trait RowFormat: Sync + Send {
    fn begin(&self, columns: &[&str], out: &mut Vec<u8>);
    fn row(&self, columns: &[&str], values: &[Value], out: &mut Vec<u8>);
    /// Written between two rows.
    fn separator(&self) -> &'static [u8] {
        b""
    }
    fn end(&self, _out: &mut Vec<u8>) {}
}

/// The streaming implementation of `format`; `None` for a table.
pub fn row_format(format: Format, header: bool) -> Option<Box<dyn RowFormat>> {
    match format {
        Format::Table => None,
        Format::Json => Some(Box::new(json::JsonArray)),
        Format::Ndjson => Some(Box::new(json::JsonLines)),
        Format::Tsv => Some(Box::new(Delimited {
            dialect: Dialect::Tsv,
            header,
        })),
        Format::Csv => Some(Box::new(Delimited {
            dialect: Dialect::Csv,
            header,
        })),
    }
}

/// A list's items as one text, joined with ", ".
pub const LIST_SEPARATOR: &str = ", ";
