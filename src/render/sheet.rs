//! Rows of named values, one per message (`summary`, `fields`): streamed as records in a data
//! format, or gathered and laid out as one table at the end ([`columns`]).

use std::io::{self, Write};

use super::columns::{Cell, Column, Kind, Spec};
use super::records::{Records, RecordsPart, RecordsSink};
use super::{Delimiting, Format, LIST_SEPARATOR};
use crate::color::Palette;
use crate::fields::Value;
use crate::model::Verdict;
use crate::sanitize::{Escaping, escape_into};

/// Where rows go: records, or a table laid out by its spec.
pub enum Sheet {
    Records(Records),
    Table { spec: Spec, palette: Palette },
}

/// The rows of one batch: rendered records, or gathered table rows.
#[derive(Debug, Default)]
pub struct SheetPart {
    records: RecordsPart,
    rows: Vec<Box<str>>,
}

/// Delivers parts in order: records written as they come, or the table's rows gathered.
pub enum SheetSink<'s> {
    Records(RecordsSink<'s>),
    Table {
        spec: &'s Spec,
        palette: Palette,
        rows: Vec<Box<str>>,
    },
}

/// The verdicts, for columns that hold one of them.
static VERDICTS: [Verdict; 5] = Verdict::ALL;

impl Sheet {
    /// Rows in `format`: records with `columns` as keys, or a table laid out by `spec`.
    pub fn new(
        format: Format,
        columns: Vec<String>,
        spec: Spec,
        delimiting: Delimiting,
        palette: Palette,
    ) -> Sheet {
        match Records::new(format, columns, delimiting) {
            Some(records) => Sheet::Records(records),
            None => Sheet::Table { spec, palette },
        }
    }

    /// A table spec with a column for each name, titled by it: a verdict's name gets a verdict
    /// column, anything else wrapping text.
    pub fn plain_spec(names: &[String]) -> Spec {
        let columns = names
            .iter()
            .map(|name| Column {
                title: name.clone(),
                kind: match Verdict::named(name) {
                    Some(verdict) => Kind::Verdicts(&VERDICTS[verdict.index()..=verdict.index()]),
                    None => Kind::Text { narrowest: 8 },
                },
            })
            .collect();
        Spec {
            columns,
            economies: Vec::new(),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Sheet::Table { .. })
    }

    /// Adds one row of values.
    pub fn add(&self, values: &[Value], part: &mut SheetPart) {
        match self {
            Sheet::Records(records) => records.add(values, &mut part.records),
            Sheet::Table { spec, .. } => {
                let texts: Vec<String> = values
                    .iter()
                    .map(|v| escaped_pieces(v).unwrap_or_default())
                    .collect();
                let statuses: Vec<[_; 1]> = values
                    .iter()
                    .map(|value| match value {
                        Value::Verdict(status) => [(Some(*status), None)],
                        _ => [(None, None)],
                    })
                    .collect();
                let cells: Vec<Cell> = values
                    .iter()
                    .zip(&spec.columns)
                    .enumerate()
                    .map(|(i, (value, column))| match (value, column.kind) {
                        (Value::Missing | Value::Json(serde_json::Value::Null), _) => {
                            Cell::Text(None)
                        }
                        (Value::Verdict(_), Kind::Verdicts(_)) => Cell::Verdicts(&statuses[i]),
                        _ => Cell::Escaped(&texts[i]),
                    })
                    .collect();
                part.rows.push(spec.gather(&cells));
            }
        }
    }

    /// Adds one row of table cells (for tables whose cells are composed).
    pub fn add_cells(&self, cells: &[Cell], part: &mut SheetPart) {
        if let Sheet::Table { spec, .. } = self {
            part.rows.push(spec.gather(cells));
        }
    }

    /// Writes what comes before the first row.
    pub fn begin(&self, out: &mut impl Write) -> io::Result<SheetSink<'_>> {
        Ok(match self {
            Sheet::Records(records) => SheetSink::Records(records.begin(out)?),
            Sheet::Table { spec, palette } => SheetSink::Table {
                spec,
                palette: *palette,
                rows: Vec::new(),
            },
        })
    }
}

/// A value's pieces, escaped and joined as tables show a list; `None` when it is missing.
pub fn escaped_pieces(value: &Value) -> Option<String> {
    if matches!(value, Value::Missing | Value::Json(serde_json::Value::Null)) {
        return None;
    }
    let mut text = String::new();
    value.each_piece(&mut |piece| {
        if !text.is_empty() {
            text.push_str(LIST_SEPARATOR);
        }
        escape_into(piece, Escaping::Display, &mut text);
    });
    Some(text)
}

impl SheetSink<'_> {
    /// Writes a part's records, or keeps its rows for the table; flushes when `urgent`.
    pub fn deliver(
        &mut self,
        part: SheetPart,
        urgent: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        match self {
            SheetSink::Records(sink) => sink.deliver(part.records, urgent, out),
            SheetSink::Table { rows, .. } => {
                rows.extend(part.rows);
                Ok(())
            }
        }
    }

    /// Writes the table (laid out for `width`), or what comes after the last record; returns
    /// how many rows there were.
    pub fn finish(self, width: Option<usize>, out: &mut impl Write) -> io::Result<usize> {
        match self {
            SheetSink::Records(sink) => sink.finish(out),
            SheetSink::Table {
                spec,
                palette,
                rows,
            } => {
                let count = rows.len();
                if count > 0 {
                    spec.write(rows, palette, width, out)?;
                }
                Ok(count)
            }
        }
    }
}
