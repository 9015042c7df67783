//! What `headers`, `hops` and `auth` share: each reads a message's headers and says what they
//! show, as records for the data formats or as a titled block for people (titles shown once
//! there is more than one message), with problems and notes handed on in input order. An event
//! that carries no headers (most sending events unless the sender asked for them) gets a block
//! that says so, and no records.

use std::io::{self, Write};
use std::sync::Arc;

use super::Env;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::model::{Header, Message};
use crate::pipeline::{self, Collect, Delivery, Findings, Reading};
use crate::problem::{Problem, ProblemKind};
use crate::render::records::{Records, RecordsPart, RecordsSink};
use crate::render::{Delimiting, Format};
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
    records: RecordsPart,
    blocks: Vec<Block>,
}

/// How results are shown: records in a data format, or blocks for people.
enum Layout {
    Records(Records),
    Blocks,
}

/// How blocks for people are drawn.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub palette: Palette,
    /// The terminal's width, to wrap tables to.
    pub width: Option<usize>,
}

/// What a report command says about one message's headers, for machines and for people.
pub trait Report: Sync + Send + 'static {
    /// The record keys, in order.
    const COLUMNS: &'static [&'static str];

    /// Adds the message's records (values in `COLUMNS` order) with `add`.
    fn records(
        &self,
        message: &Message,
        headers: &[Header],
        findings: &mut Findings,
        add: &mut dyn FnMut(&[Value]),
    );

    /// The message's block for people.
    fn block(
        &self,
        message: &Message,
        headers: &[Header],
        findings: &mut Findings,
        view: View,
    ) -> Block;
}

/// A report with its layout: what collects from each message on the pipeline's threads.
struct Reporting<R> {
    report: R,
    layout: Layout,
    view: View,
}

impl<R: Report> Collect for Reporting<R> {
    type Part = ReportPart;

    fn collect(&self, message: &Message, part: &mut ReportPart, findings: &mut Findings) {
        if message.mail.headers.is_none() {
            if let Layout::Blocks = self.layout {
                let event_type = escaped(message.event_type(), Escaping::Display);
                let note = match message.unreadable_at("mail.headers") {
                    Some(_) => format!("the headers of this {event_type} event cannot be read"),
                    None => format!("this {event_type} event carries no headers"),
                };
                part.blocks.push(Block {
                    title: title(message, self.view.palette),
                    body: format!("{}\n", self.view.palette.dim(&note)).into_bytes(),
                });
            }
            return;
        }
        let headers = match message.mail.headers() {
            Ok(headers) => headers,
            Err(e) => {
                return findings.problems.push(Problem::new(
                    ProblemKind::WrongType,
                    message.origin.clone(),
                    format!("mail.headers: {e}"),
                ));
            }
        };
        match &self.layout {
            Layout::Records(records) => {
                let part = &mut part.records;
                self.report
                    .records(message, &headers, findings, &mut |values| {
                        records.add(values, part)
                    });
            }
            Layout::Blocks => {
                let block = self.report.block(message, &headers, findings, self.view);
                part.blocks.push(block);
            }
        }
    }
}

/// Runs a report command in `format` over its reading and delivers the results in order (TSV
/// and CSV cells guarded against formulas when `spreadsheet_safe`).
pub fn run<R: Report>(
    reading: &Reading,
    report: R,
    format: Format,
    spreadsheet_safe: bool,
    env: &mut Env,
) -> anyhow::Result<Outcome> {
    let columns = R::COLUMNS.iter().map(|c| c.to_string()).collect();
    let delimiting = Delimiting {
        header: true,
        null: false,
        spreadsheet_safe,
    };
    let layout = match Records::new(format, columns, delimiting) {
        Some(records) => Layout::Records(records),
        None => Layout::Blocks,
    };
    let view = View {
        palette: env.palette,
        width: env.stdout.width,
    };
    let reporting = Arc::new(Reporting {
        report,
        layout,
        view,
    });
    let out = &mut env.stdout.writer;
    let mut sink = ReportSink::begin(&reporting.layout, out)?;
    pipeline::run(
        reading,
        Arc::clone(&reporting),
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

/// The values every report record starts with: `input` (the message's origin as text, made once
/// for all of a message's records) and `ses_id`.
pub fn identity<'m>(message: &'m Message, input: &'m str) -> [Value<'m>; 2] {
    [
        Value::Text(input),
        message
            .mail
            .message_id
            .as_deref()
            .map_or(Value::Missing, Value::Text),
    ]
}

/// `input · SES id · subject`, escaped and in bold; for a sending event its type comes before the
/// SES id, which every event about the same message shares.
pub fn title(message: &Message, palette: Palette) -> String {
    let common = message.mail.common_headers.as_ref();
    let parts = [
        Some(message.origin.to_string()),
        message.sending().map(|s| s.type_name().to_string()),
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
