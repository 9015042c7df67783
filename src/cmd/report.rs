//! What `headers`, `hops` and `auth` share: each reads a message's headers and says what they
//! show, as records for the data formats or as a titled block for people (titles shown once
//! there is more than one message), with problems and notes handed on in input order. An event
//! that carries no headers (most sending events unless the sender asked for them) gets a block
//! that says so, and no records.

use std::fmt;
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
use crate::sanitize::{Escaping, escaped, escaped_cow};
use owo_colors::OwoColorize;

/// A batch's blocks for people, one a message: each its title and what goes under it, written
/// one after another into one buffer (a block's body grows there, not in a buffer of its own).
#[derive(Debug, Default)]
struct Blocks {
    text: Vec<u8>,
    /// Where each block's title ends and where the block ends.
    ends: Vec<(usize, usize)>,
}

impl Blocks {
    /// Adds a block: `message`'s title, then what `body` writes.
    fn add(&mut self, message: &Message, palette: Palette, body: impl FnOnce(&mut Vec<u8>)) {
        write_title(message, palette, &mut self.text);
        let title_end = self.text.len();
        body(&mut self.text);
        self.ends.push((title_end, self.text.len()));
    }

    /// Each block's title and body.
    fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&(_, end)| end));
        starts.zip(&self.ends).map(|(start, &(title_end, end))| {
            (&self.text[start..title_end], &self.text[title_end..end])
        })
    }
}

/// A batch's results.
#[derive(Debug, Default)]
pub struct ReportPart {
    records: RecordsPart,
    blocks: Blocks,
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

    /// Writes what goes under the message's title for people.
    fn block(
        &self,
        message: &Message,
        headers: &[Header],
        findings: &mut Findings,
        view: View,
        out: &mut Vec<u8>,
    );
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
                let note = self.view.palette.dim(&note);
                part.blocks.add(message, self.view.palette, |body| {
                    body.extend_from_slice(note.as_bytes());
                    body.push(b'\n');
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
            Layout::Blocks => part.blocks.add(message, self.view.palette, |body| {
                self.report
                    .block(message, &headers, findings, self.view, body)
            }),
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
    /// The first block's title and body, held until a second block shows whether titles are
    /// needed.
    held: Option<(Vec<u8>, Vec<u8>)>,
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
        for (title, body) in part.blocks.iter() {
            if self.blocks == 0 && self.held.is_none() {
                self.held = Some((title.to_vec(), body.to_vec()));
                continue;
            }
            if let Some((title, body)) = self.held.take() {
                self.write_block(&title, &body, out)?;
            }
            self.write_block(title, body, out)?;
        }
        Ok(())
    }

    /// Writes a block under its title, after a blank line unless it is the first.
    fn write_block(&mut self, title: &[u8], body: &[u8], out: &mut impl Write) -> io::Result<()> {
        if self.blocks > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(title)?;
        out.write_all(b"\n")?;
        out.write_all(body)?;
        self.blocks += 1;
        Ok(())
    }

    fn finish(self, out: &mut impl Write) -> io::Result<()> {
        if let Some(sink) = self.records {
            sink.finish(out)?;
        }
        if let Some((_, body)) = self.held {
            out.write_all(&body)?;
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

/// Writes `input · SES id · subject`, escaped and in bold; for a sending event its type comes
/// before the SES id, which every event about the same message shares. Headers that SES cut
/// short are flagged.
fn write_title(message: &Message, palette: Palette, out: &mut Vec<u8>) {
    let title = Title {
        origin: message.origin.to_string(),
        message,
    };
    // Writing into memory cannot fail.
    let _ = match palette.enabled {
        true => write!(out, "{}", title.bold()),
        false => write!(out, "{title}"),
    };
    if message.mail.headers_truncated == Some(true) {
        let _ = write!(out, "{}", palette.warning(" (headers truncated by SES)"));
    }
}

/// A message's title, without colour.
struct Title<'m> {
    origin: String,
    message: &'m Message<'m>,
}

impl fmt::Display for Title<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let message = self.message;
        let parts = [
            Some(self.origin.as_str()),
            message.sending().map(|s| s.type_name()),
            message.mail.message_id.as_deref(),
            message
                .mail
                .common_headers
                .as_ref()
                .and_then(|c| c.subject.as_deref()),
        ];
        for (i, part) in parts.into_iter().flatten().enumerate() {
            if i > 0 {
                f.write_str(" · ")?;
            }
            f.write_str(&escaped_cow(part, Escaping::Display))?;
        }
        Ok(())
    }
}
