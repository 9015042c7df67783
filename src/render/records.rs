//! Records — rows of named values — in a data format: rendered into a batch's part on whichever
//! thread decoded the batch, then written in input order with the format's separators between.

use std::io::{self, Write};

use super::{Delimiting, Format, RecordFormat, record_format};
use crate::fields::Value;

/// Writes records with fixed columns in one data format.
pub struct Records {
    columns: Vec<String>,
    format: Box<dyn RecordFormat>,
}

/// The records of one batch, rendered.
#[derive(Debug, Default)]
pub struct RecordsPart {
    bytes: Vec<u8>,
    count: usize,
}

/// Writes parts in order, counting the records written.
pub struct RecordsSink<'r> {
    records: &'r Records,
    written: usize,
}

impl Records {
    /// Records in `format` with these columns (keys in JSON), TSV and CSV delimited as asked.
    /// `None` when `format` is one for people.
    pub fn new(format: Format, columns: Vec<String>, delimiting: Delimiting) -> Option<Records> {
        Some(Records {
            format: record_format(format, &columns, delimiting)?,
            columns,
        })
    }

    /// Adds one record; `values` are in column order.
    pub fn add(&self, values: &[Value], part: &mut RecordsPart) {
        if part.count > 0 {
            part.bytes.extend_from_slice(self.format.separator());
        }
        self.format.record(&self.columns, values, &mut part.bytes);
        part.count += 1;
    }

    /// Writes what comes before the first record.
    pub fn begin(&self, out: &mut impl Write) -> io::Result<RecordsSink<'_>> {
        let mut head = Vec::new();
        self.format.begin(&self.columns, &mut head);
        out.write_all(&head)?;
        Ok(RecordsSink {
            records: self,
            written: 0,
        })
    }
}

impl RecordsSink<'_> {
    /// Writes a part's records; flushes when `urgent` (the input is waiting for more).
    pub fn deliver(
        &mut self,
        part: RecordsPart,
        urgent: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if self.written > 0 && part.count > 0 {
            out.write_all(self.records.format.separator())?;
        }
        out.write_all(&part.bytes)?;
        self.written += part.count;
        if urgent {
            out.flush()?;
        }
        Ok(())
    }

    /// Writes what comes after the last record; returns how many there were.
    pub fn finish(self, out: &mut impl Write) -> io::Result<usize> {
        let mut tail = Vec::new();
        self.records.format.end(&mut tail);
        out.write_all(&tail)?;
        Ok(self.written)
    }
}
