//! `sesinspect summary`: one row per message — time, from, to, subject, the five verdicts and
//! the action — as a table with totals, or every named field as JSON, NDJSON, TSV or CSV.

use std::io::Write;

use super::{Env, inputs};
use crate::cli::SummaryArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::{self, FIELDS, Value};
use crate::model::{Message, Status};
use crate::pipeline::{self, Collect, Delivery};
use crate::render::{Format, RowFormat, row_format, table};
use crate::sanitize::{Escaping, escaped};

pub fn run(args: SummaryArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let inputs = inputs(&args.inputs);
    let format: Format = args.format.into();
    let collector = Summary {
        columns: FIELDS.iter().map(|f| f.name).collect(),
        rows: row_format(format, true),
        palette: env.palette,
    };
    let mut head = Vec::new();
    if let Some(rows) = &collector.rows {
        rows.begin(&collector.columns, &mut head);
    }
    let out = &mut env.stdout.writer;
    out.write_all(&head)?;
    let mut written = 0;
    let mut table_rows = Vec::new();
    let mut totals = Totals::default();
    pipeline::run(
        &inputs,
        &collector,
        &mut env.reporter,
        |delivery: Delivery<Part>| {
            let part = delivery.part;
            if let Some(rows) = &collector.rows {
                if written > 0 && part.rows > 0 {
                    out.write_all(rows.separator())?;
                }
                written += part.rows;
                out.write_all(&part.bytes)?;
                if delivery.input_paused {
                    out.flush()?;
                }
            }
            table_rows.extend(part.table);
            totals.merge(part.totals);
            Ok(())
        },
    )?;
    match &collector.rows {
        Some(rows) => {
            let mut tail = Vec::new();
            rows.end(&mut tail);
            out.write_all(&tail)?;
        }
        None if !table_rows.is_empty() => {
            let count = table_rows.len();
            table::write(&TABLE_HEADER, table_rows, env.palette, out)?;
            if count > 1 {
                writeln!(out, "{}", totals.line(env.palette))?;
            }
        }
        None => {}
    }
    out.flush()?;
    Ok(env.outcome())
}

const TABLE_HEADER: [&str; 10] = [
    "Time", "From", "To", "Subject", "SPF", "DKIM", "DMARC", "Spam", "Virus", "Action",
];

/// Fields shown in the table, in `TABLE_HEADER` order; DMARC also shows its policy.
const TABLE_FIELDS: [&str; 10] = [
    "timestamp",
    "from",
    "to",
    "subject",
    "spf",
    "dkim",
    "dmarc",
    "spam",
    "virus",
    "action",
];

/// The verdicts the totals line counts, with their labels.
const VERDICTS: [(&str, &str); 5] = [
    ("spf", "SPF"),
    ("dkim", "DKIM"),
    ("dmarc", "DMARC"),
    ("spam", "spam"),
    ("virus", "virus"),
];

struct Summary {
    columns: Vec<&'static str>,
    /// `None` for a table.
    rows: Option<Box<dyn RowFormat>>,
    palette: Palette,
}

#[derive(Default)]
struct Part {
    bytes: Vec<u8>,
    rows: usize,
    table: Vec<Vec<String>>,
    totals: Totals,
}

impl Collect for Summary {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part) {
        match &self.rows {
            Some(rows) => {
                let values: Vec<Value> = FIELDS.iter().map(|f| (f.get)(message)).collect();
                if part.rows > 0 {
                    part.bytes.extend_from_slice(rows.separator());
                }
                rows.row(&self.columns, &values, &mut part.bytes);
                part.rows += 1;
            }
            None => {
                part.table.push(self.table_row(message));
                part.totals.add(message);
            }
        }
    }
}

impl Summary {
    fn table_row(&self, message: &Message) -> Vec<String> {
        TABLE_FIELDS
            .iter()
            .map(|name| {
                let cell = table::cell(&field(name, message), self.palette);
                match (
                    *name,
                    message.receipt().and_then(|r| r.dmarc_policy.as_deref()),
                ) {
                    ("dmarc", Some(policy)) => {
                        format!("{cell} ({})", escaped(policy, Escaping::Display))
                    }
                    _ => cell,
                }
            })
            .collect()
    }
}

fn field<'m>(name: &str, message: &'m Message) -> Value<'m> {
    fields::find(name).map_or(Value::Missing, |f| (f.get)(message))
}

/// How many messages had each status, per verdict.
#[derive(Default)]
struct Totals {
    messages: usize,
    /// Per verdict (in `VERDICTS` order): each status seen, `None` for missing, with its count.
    counts: [Vec<(Option<String>, usize)>; 5],
}

impl Totals {
    fn add(&mut self, message: &Message) {
        self.messages += 1;
        for ((name, _), counts) in VERDICTS.iter().zip(&mut self.counts) {
            let status = match field(name, message) {
                Value::Verdict(status) => Some(status.as_str().to_string()),
                _ => None,
            };
            bump(counts, status, 1);
        }
    }

    fn merge(&mut self, other: Totals) {
        self.messages += other.messages;
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (status, n) in theirs {
                bump(mine, status, n);
            }
        }
    }

    /// `3 messages · SPF 2 PASS, 1 FAIL · DKIM 3 PASS · …`
    fn line(&self, palette: Palette) -> String {
        let mut line = format!("{} messages", self.messages);
        for ((_, label), counts) in VERDICTS.iter().zip(&self.counts) {
            let mut sorted: Vec<_> = counts.iter().collect();
            sorted.sort_by_key(|(status, _)| rank(status.as_deref()));
            let parts: Vec<String> = sorted
                .iter()
                .map(|(status, n)| match status {
                    Some(text) => {
                        let status = status_of(text);
                        format!(
                            "{n} {}",
                            palette.status(&status, &escaped(text, Escaping::Display))
                        )
                    }
                    None => format!("{n} {}", palette.dim("missing")),
                })
                .collect();
            line.push_str(&format!(" · {label} {}", parts.join(", ")));
        }
        line
    }
}

fn bump(counts: &mut Vec<(Option<String>, usize)>, status: Option<String>, n: usize) {
    match counts.iter_mut().find(|(s, _)| *s == status) {
        Some((_, count)) => *count += n,
        None => counts.push((status, n)),
    }
}

/// Display order: PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED, others, missing.
fn rank(status: Option<&str>) -> (u8, String) {
    match status {
        None => (7, String::new()),
        Some(text) => match status_of(text) {
            Status::Pass => (0, String::new()),
            Status::Fail => (1, String::new()),
            Status::Gray => (2, String::new()),
            Status::ProcessingFailed => (3, String::new()),
            Status::Disabled => (4, String::new()),
            Status::Other(other) => (5, other.into_owned()),
        },
    }
}

fn status_of(text: &str) -> Status<'_> {
    Status::from_text(text.into())
}
