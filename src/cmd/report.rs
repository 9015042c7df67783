//! What `headers`, `hops` and `auth` share: for each message, rows for the data formats or a
//! titled block for people (titles shown once there is more than one message), with problems
//! and notes handed on in input order.

use std::io::{self, Write};
use std::sync::Arc;

use super::Env;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::model::{Header, Message};
use crate::pipeline::{self, Collect, Delivery, Findings, Reading};
use crate::problem::{Problem, ProblemKind};
use crate::render::Format;
use crate::render::records::{Records, RecordsPart, RecordsSink};
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
    pub records: RecordsPart,
    pub blocks: Vec<Block>,
}

/// How results are shown: records in a data format, or blocks for people.
pub enum Layout {
    Records(Records),
    Blocks,
}

impl Layout {
    /// Records with these columns in a data format; blocks in a table.
    pub fn new(format: Format, columns: &[&str]) -> Layout {
        let columns = columns.iter().map(|c| c.to_string()).collect();
        match Records::new(format, columns, true) {
            Some(records) => Layout::Records(records),
            None => Layout::Blocks,
        }
    }
}

/// A report command's collector, which knows its layout.
pub trait Report: Collect<Part = ReportPart> + Send + 'static {
    fn layout(&self) -> &Layout;
}

/// Runs a report command over its reading and delivers the results in order.
pub fn run<R: Report>(reading: &Reading, report: R, env: &mut Env) -> anyhow::Result<Outcome> {
    let report = Arc::new(report);
    let out = &mut env.stdout.writer;
    let mut sink = ReportSink::begin(report.layout(), out)?;
    pipeline::run(
        reading,
        Arc::clone(&report),
        &mut env.reporter,
        |delivery: Delivery<ReportPart>| sink.deliver(delivery, out),
    )?;
    sink.finish(out)?;
    Ok(env.outcome())
}

/// Delivers parts in order.
struct ReportSink<'l> {
    records: Option<RecordsSink<'l>>,
    /// The first block, held until a second one shows whether titles are needed.
    held: Option<Block>,
    blocks: usize,
}

impl<'l> ReportSink<'l> {
    fn begin(layout: &'l Layout, out: &mut impl Write) -> io::Result<ReportSink<'l>> {
        Ok(ReportSink {
            records: match layout {
                Layout::Records(records) => Some(records.begin(out)?),
                Layout::Blocks => None,
            },
            held: None,
            blocks: 0,
        })
    }

    fn deliver(&mut self, delivery: Delivery<ReportPart>, out: &mut impl Write) -> io::Result<()> {
        let part = delivery.part;
        if let Some(sink) = self.records.as_mut() {
            sink.deliver(part.records, delivery.input_paused, out)?;
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

    fn finish(self, out: &mut impl Write) -> io::Result<()> {
        if let Some(sink) = self.records {
            sink.finish(out)?;
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

/// The message's headers; when they cannot be read, the problem goes to `findings` and the
/// message is skipped.
pub fn headers<'a>(message: &Message<'a>, findings: &mut Findings) -> Option<Vec<Header<'a>>> {
    match message.mail.headers() {
        Ok(headers) => Some(headers),
        Err(e) => {
            findings.problems.push(Problem::new(
                ProblemKind::WrongType,
                message.origin.clone(),
                format!("mail.headers: {e}"),
            ));
            None
        }
    }
}
