//! Rows of named values, one per message (`summary`, `fields`): streamed as records in a data
//! format, or gathered and laid out as one table at the end.

use std::io::{self, Write};

use super::Format;
use super::records::{Records, RecordsPart, RecordsSink};
use super::table::{self, Table};
use crate::color::Palette;
use crate::fields::Value;

/// Where rows go: records, or a table with these column titles.
pub enum Sheet {
    Records(Records),
    Table {
        titles: Vec<String>,
        palette: Palette,
    },
}

/// The rows of one batch: rendered records, or finished table cells.
#[derive(Debug, Default)]
pub struct SheetPart {
    records: RecordsPart,
    cells: Vec<Vec<String>>,
}

/// Delivers parts in order: records written as they come, or the table being gathered.
pub enum SheetSink<'s> {
    Records(RecordsSink<'s>),
    Table(Table, Palette),
}

impl Sheet {
    /// Rows in `format`: records with `columns` as keys, or a table headed by `titles`.
    pub fn new(
        format: Format,
        columns: Vec<String>,
        titles: Vec<String>,
        header: bool,
        palette: Palette,
    ) -> Sheet {
        match Records::new(format, columns, header) {
            Some(records) => Sheet::Records(records),
            None => Sheet::Table { titles, palette },
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Sheet::Table { .. })
    }

    /// Adds one row of values.
    pub fn add(&self, values: &[Value], part: &mut SheetPart) {
        match self {
            Sheet::Records(records) => records.add(values, &mut part.records),
            Sheet::Table { palette, .. } => part
                .cells
                .push(values.iter().map(|v| table::cell(v, *palette)).collect()),
        }
    }

    /// Adds one row of finished table cells (for tables whose cells are composed).
    pub fn add_cells(&self, cells: Vec<String>, part: &mut SheetPart) {
        part.cells.push(cells);
    }

    /// Writes what comes before the first row.
    pub fn begin(&self, out: &mut impl Write) -> io::Result<SheetSink<'_>> {
        Ok(match self {
            Sheet::Records(records) => SheetSink::Records(records.begin(out)?),
            Sheet::Table { titles, palette } => {
                SheetSink::Table(Table::new(titles.iter().cloned()), *palette)
            }
        })
    }
}

impl SheetSink<'_> {
    /// Writes a part's records, or keeps its cells for the table; flushes when `urgent`.
    pub fn deliver(
        &mut self,
        part: SheetPart,
        urgent: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        match self {
            SheetSink::Records(sink) => sink.deliver(part.records, urgent, out),
            SheetSink::Table(table, _) => {
                for cells in part.cells {
                    table.push(cells);
                }
                Ok(())
            }
        }
    }

    /// Writes the table (wrapped to `width`), or what comes after the last record; returns how
    /// many rows there were.
    pub fn finish(self, width: Option<usize>, out: &mut impl Write) -> io::Result<usize> {
        match self {
            SheetSink::Records(sink) => sink.finish(out),
            SheetSink::Table(table, palette) => {
                if !table.is_empty() {
                    table.write(palette, width, out)?;
                }
                Ok(table.len())
            }
        }
    }
}
