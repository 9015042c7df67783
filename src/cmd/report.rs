//! What `headers`, `hops` and `auth` share: for each message, rows for the data formats or a
//! titled block for people (titles shown once there is more than one message), with problems
//! and notes handed on in input order.

use std::io::{self, Write};
use std::sync::Arc;

use super::Env;
use crate::color::Palette;
use crate::diagnostic::InputError;
use crate::exit::Outcome;
use crate::input::frame::Position;
use crate::model::{Header, Message};
use crate::pipeline::{self, Collect, Delivery, Found, Reading};
use crate::render::Format;
use crate::render::rows::{Rows, RowsPart, RowsSink};
use crate::sanitize::{Escaping, escaped};

/// One message's part for people: its title and what goes under it.
#[derive(Debug)]
pub struct Block {
    pub title: String,
    pub body: Vec<u8>,
}

/// A batch's results.
#[derive(Debug, Default)]
pub struct ReportPart {
    pub rows: RowsPart,
    pub blocks: Vec<Block>,
}

/// How results are shown: rows in a data format, or blocks.
pub enum Shape {
    Rows(Rows),
    Blocks,
}

impl Shape {
    /// Blocks for a table; otherwise rows with these columns.
    pub fn new(format: Format, columns: &[&str], palette: Palette) -> Shape {
        match format {
            Format::Table => Shape::Blocks,
            _ => Shape::Rows(Rows::new(
                columns.iter().map(|c| c.to_string()).collect(),
                format,
                true,
                palette,
            )),
        }
    }
}

/// A report command's collector, which knows its shape.
pub trait Report: Collect<Part = ReportPart> + Send + 'static {
    fn shape(&self) -> &Shape;
}

/// Runs a report command over its reading and delivers the results in order.
pub fn run<R: Report>(reading: &Reading, report: R, env: &mut Env) -> anyhow::Result<Outcome> {
    let report = Arc::new(report);
    let shape = report.shape();
    let out = &mut env.stdout.writer;
    let mut sink = ReportSink::begin(shape, out)?;
    pipeline::run(
        reading,
        Arc::clone(&report),
        &mut env.reporter,
        |delivery: Delivery<ReportPart>| sink.deliver(shape, delivery, out),
    )?;
    sink.finish(shape, out)?;
    Ok(env.outcome())
}

/// Delivers parts in order.
pub struct ReportSink {
    rows: Option<RowsSink>,
    /// The first block, held until a second one shows whether titles are needed.
    held: Option<Block>,
    blocks: usize,
}

impl ReportSink {
    pub fn begin(shape: &Shape, out: &mut impl Write) -> io::Result<ReportSink> {
        Ok(ReportSink {
            rows: match shape {
                Shape::Rows(rows) => Some(rows.begin(&[], out)?),
                Shape::Blocks => None,
            },
            held: None,
            blocks: 0,
        })
    }

    pub fn deliver(
        &mut self,
        shape: &Shape,
        delivery: Delivery<ReportPart>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let part = delivery.part;
        if let (Shape::Rows(rows), Some(sink)) = (shape, self.rows.as_mut()) {
            rows.deliver(sink, part.rows, delivery.input_paused, out)?;
        }
        for block in part.blocks {
            match self.held.take() {
                None if self.blocks == 0 => self.held = Some(block),
                held => {
                    for block in held.into_iter().chain([block]) {
                        if self.blocks > 0 {
                            writeln!(out)?;
                        }
                        writeln!(out, "{}", block.title)?;
                        out.write_all(&block.body)?;
                        self.blocks += 1;
                    }
                }
            }
        }
        Ok(())
    }

    pub fn finish(self, shape: &Shape, out: &mut impl Write) -> io::Result<()> {
        if let (Shape::Rows(rows), Some(sink)) = (shape, self.rows) {
            rows.finish(sink, None, out)?;
        }
        if let Some(only) = self.held {
            out.write_all(&only.body)?;
        }
        out.flush()
    }
}

/// `input · SES id · subject`, escaped and in bold.
pub fn title(message: &Message, palette: Palette) -> String {
    let common = message.mail.common_headers.as_ref();
    let parts = [
        Some(message.origin.to_string()),
        message.mail.message_id.as_deref().map(str::to_string),
        common
            .and_then(|c| c.subject.as_deref())
            .map(str::to_string),
    ];
    let text: Vec<String> = parts
        .into_iter()
        .flatten()
        .map(|p| escaped(&p, Escaping::Display))
        .collect();
    palette.bold(&text.join(" · "))
}

/// The message's headers; when they cannot be read, the problem goes to `found` and the
/// message is skipped.
pub fn headers<'a>(message: &Message<'a>, found: &mut Found) -> Option<Vec<Header<'a>>> {
    match message.mail.headers() {
        Ok(headers) => Some(headers),
        Err(e) => {
            found
                .problems
                .push(problem(message, format!("mail.headers: {e}")));
            None
        }
    }
}

/// A problem with one message, placed at its document.
fn problem(message: &Message, text: String) -> InputError {
    let at = Position {
        line: message.origin.line,
        column: message.origin.column.unwrap_or(1),
    };
    InputError::at(
        &message.origin.input,
        at,
        message.origin.steps.clone(),
        text,
    )
}
