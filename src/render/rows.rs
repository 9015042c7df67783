//! Rows of values in input order: streamed through a row format as they come, or gathered and
//! laid out as one table at the end. The output machinery `summary` and `fields` share.

use std::io::{self, Write};

use super::table::{self, Table};
use super::{Format, RowFormat, row_format};
use crate::color::Palette;
use crate::fields::Value;

/// Writes rows in one format; built once, used from any thread for parts, then on the main
/// thread to deliver them.
pub struct Rows {
    columns: Vec<String>,
    /// `None` for a table.
    format: Option<Box<dyn RowFormat>>,
    palette: Palette,
}

/// The rows of one batch, rendered (streaming formats) or as table cells.
#[derive(Debug, Default)]
pub struct RowsPart {
    bytes: Vec<u8>,
    rows: usize,
    cells: Vec<Vec<String>>,
}

/// Delivers parts to stdout in order; gathers a table until the end.
pub struct RowsSink {
    written: usize,
    table: Table,
}

impl Rows {
    /// `header` asks TSV and CSV for a header row (JSON needs none, tables always have one).
    pub fn new(columns: Vec<String>, format: Format, header: bool, palette: Palette) -> Rows {
        Rows {
            columns,
            format: row_format(format, header),
            palette,
        }
    }

    pub fn is_table(&self) -> bool {
        self.format.is_none()
    }

    /// Adds one row of values.
    pub fn add(&self, values: &[Value], part: &mut RowsPart) {
        match &self.format {
            Some(format) => {
                if part.rows > 0 {
                    part.bytes.extend_from_slice(format.separator());
                }
                let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
                format.row(&columns, values, &mut part.bytes);
                part.rows += 1;
            }
            None => part.cells.push(
                values
                    .iter()
                    .map(|v| table::cell(v, self.palette))
                    .collect(),
            ),
        }
    }

    /// Adds one row of finished table cells (for tables whose cells are composed).
    pub fn add_cells(&self, cells: Vec<String>, part: &mut RowsPart) {
        part.cells.push(cells);
    }

    /// Writes what comes before the first row; `titles` head the columns of a table.
    pub fn begin(&self, titles: &[&str], out: &mut impl Write) -> io::Result<RowsSink> {
        if let Some(format) = &self.format {
            let mut head = Vec::new();
            let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
            format.begin(&columns, &mut head);
            out.write_all(&head)?;
        }
        Ok(RowsSink {
            written: 0,
            table: Table::new(titles.iter().copied()),
        })
    }

    /// Writes a part's rows, or keeps its cells for the table; flushes when `urgent`.
    pub fn deliver(
        &self,
        sink: &mut RowsSink,
        part: RowsPart,
        urgent: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if let Some(format) = &self.format {
            if sink.written > 0 && part.rows > 0 {
                out.write_all(format.separator())?;
            }
            out.write_all(&part.bytes)?;
            if urgent {
                out.flush()?;
            }
        }
        sink.written += part.rows + part.cells.len();
        for cells in part.cells {
            sink.table.push(cells);
        }
        Ok(())
    }

    /// Writes the table (wrapped to `width`), or what comes after the last row; returns how
    /// many rows there were.
    pub fn finish(
        &self,
        sink: RowsSink,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> io::Result<usize> {
        match &self.format {
            Some(format) => {
                let mut tail = Vec::new();
                format.end(&mut tail);
                out.write_all(&tail)?;
            }
            None if !sink.table.is_empty() => sink.table.write(self.palette, width, out)?,
            None => {}
        }
        Ok(sink.written)
    }
}
