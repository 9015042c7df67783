//! `sesinspect summary`: one row per event (or per recipient with `--per-recipient`). For people,
//! a table per family with its totals: received mail with time, from, to, subject, the five
//! verdicts and the action; sent mail with time, type, sender, recipients, subject and what
//! happened. For scripts, every named field of every event as JSON, NDJSON, TSV or CSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use super::{Env, selection};
use crate::cli::SummaryArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::{self, FIELDS, Field, Value};
use crate::model::{Event, Message, Recipient, Sending, words};
use crate::outcome;
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::sheet::{Sheet, SheetPart};
use crate::render::table;
use crate::sanitize::{Escaping, escaped};
use crate::select::{Filter, Tree};
use crate::tally::VerdictCounts;

pub fn run(args: SummaryArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs, args.per_recipient)?;
    let per_recipient = args.per_recipient;
    let fields: Vec<&'static Field> = FIELDS
        .iter()
        .filter(|f| per_recipient || !f.per_recipient_only())
        .collect();
    let layout = if args.format == Format::Table {
        let table = |titles: Vec<&str>| {
            let titles = titles.into_iter().map(str::to_string).collect();
            Sheet::new(Format::Table, Vec::new(), titles, true, env.palette)
        };
        Layout::Tables {
            received: table(received_titles(per_recipient)),
            sending: table(SENDING_TITLES.to_vec()),
        }
    } else {
        let columns = fields.iter().map(|f| f.name.to_string()).collect();
        Layout::Records(Sheet::new(
            args.format,
            columns,
            Vec::new(),
            true,
            env.palette,
        ))
    };
    let summary = Arc::new(Summary {
        layout,
        fields,
        filter: reading.filter.clone(),
        palette: env.palette,
    });
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    match &summary.layout {
        Layout::Records(sheet) => {
            let mut sink = sheet.begin(out)?;
            pipeline::run(
                &reading,
                Arc::clone(&summary),
                &mut env.reporter,
                |delivery: Delivery<Part>| {
                    sink.deliver(delivery.part.rows, delivery.input_paused, out)
                },
            )?;
            sink.finish(width, out)?;
        }
        Layout::Tables { received, sending } => {
            let mut received_sink = received.begin(out)?;
            let mut sending_sink = sending.begin(out)?;
            let mut totals = Totals::default();
            pipeline::run(
                &reading,
                Arc::clone(&summary),
                &mut env.reporter,
                |delivery: Delivery<Part>| {
                    totals.merge(&delivery.part.totals);
                    received_sink.deliver(delivery.part.rows, false, out)?;
                    sending_sink.deliver(delivery.part.sending_rows, false, out)
                },
            )?;
            let palette = env.palette;
            let rows = received_sink.finish(width, out)?;
            if rows > 1 {
                writeln!(out, "{}", received_totals(&totals, palette))?;
            }
            if rows > 0 && totals.sending_events > 0 {
                writeln!(out)?;
            }
            if sending_sink.finish(width, out)? > 1 {
                writeln!(out, "{}", sending_totals(&totals))?;
            }
        }
    }
    out.flush()?;
    Ok(env.outcome())
}

/// Records of every field, or a table for each family.
enum Layout {
    Records(Sheet),
    Tables { received: Sheet, sending: Sheet },
}

/// The received-mail table's titles; DMARC also shows its policy.
fn received_titles(per_recipient: bool) -> Vec<&'static str> {
    let mut titles = vec![
        "Time", "From", "To", "Subject", "SPF", "DKIM", "DMARC", "Spam", "Virus", "Action",
    ];
    if per_recipient {
        titles.insert(3, "Recipient");
    }
    titles
}

/// Fields shown in the received-mail table, in title order (without the per-recipient column).
const RECEIVED_FIELDS: [&str; 10] = [
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

const SENDING_TITLES: [&str; 6] = ["Time", "Type", "From", "Recipients", "Subject", "Outcome"];

struct Summary {
    layout: Layout,
    /// The fields records carry, in order.
    fields: Vec<&'static Field>,
    /// With `--per-recipient`, which rows of a message to show.
    filter: Filter,
    palette: Palette,
}

#[derive(Default)]
struct Part {
    /// Records, or the received-mail table's rows.
    rows: SheetPart,
    /// The sent-mail table's rows.
    sending_rows: SheetPart,
    /// Counted for the tables' totals lines only.
    totals: Totals,
}

/// What the totals lines count: the received messages' verdicts, the sending events by type.
#[derive(Default)]
struct Totals {
    received: usize,
    verdicts: VerdictCounts,
    sending_events: usize,
    sending_types: BTreeMap<String, usize>,
}

impl Totals {
    fn add(&mut self, message: &Message) {
        match &message.event {
            Event::Received(_) => {
                self.received += 1;
                self.verdicts.add(message);
            }
            Event::Sending(sending) => {
                self.sending_events += 1;
                *self
                    .sending_types
                    .entry(sending.type_name().to_string())
                    .or_default() += 1;
            }
        }
    }

    fn merge(&mut self, other: &Totals) {
        self.received += other.received;
        self.verdicts.merge(&other.verdicts);
        self.sending_events += other.sending_events;
        for (name, n) in &other.sending_types {
            *self.sending_types.entry(name.clone()).or_default() += n;
        }
    }
}

impl Collect for Summary {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part, _: &mut Findings) {
        let tree = Tree::default();
        let recipients = if self.filter.per_recipient {
            message.recipients()
        } else {
            Vec::new()
        };
        let rows = self.filter.rows(message, &recipients, &tree);
        for &recipient in &rows {
            match &self.layout {
                Layout::Records(sheet) => {
                    let values: Vec<Value> = self
                        .fields
                        .iter()
                        .map(|f| f.value(message, recipient))
                        .collect();
                    sheet.add(&values, &mut part.rows);
                }
                Layout::Tables { received, sending } => match message.sending() {
                    None => {
                        received.add_cells(self.received_row(message, recipient), &mut part.rows)
                    }
                    Some(event) => sending.add_cells(
                        self.sending_row(message, event, recipient),
                        &mut part.sending_rows,
                    ),
                },
            }
        }
        if !rows.is_empty() && matches!(self.layout, Layout::Tables { .. }) {
            part.totals.add(message);
        }
    }
}

impl Summary {
    fn cell(&self, message: &Message, name: &str) -> String {
        let value = fields::find(name).map_or(Value::Missing, |f| f.value(message, None));
        table::cell(&value, self.palette)
    }

    fn received_row(&self, message: &Message, recipient: Option<&Recipient>) -> Vec<String> {
        let policy = message.receipt().and_then(|r| r.dmarc_policy.as_deref());
        let mut row: Vec<String> = RECEIVED_FIELDS
            .iter()
            .map(|name| {
                let cell = self.cell(message, name);
                match (*name, policy) {
                    ("dmarc", Some(policy)) => {
                        format!("{cell} ({})", escaped(policy, Escaping::Display))
                    }
                    _ => cell,
                }
            })
            .collect();
        if self.filter.per_recipient {
            row.insert(3, self.recipient_cell(recipient));
        }
        row
    }

    fn sending_row(
        &self,
        message: &Message,
        sending: &Sending,
        recipient: Option<&Recipient>,
    ) -> Vec<String> {
        let time = match message.event_time() {
            Some(time) => table::cell(&Value::Text(time), self.palette),
            None => self.cell(message, "timestamp"),
        };
        let about: Vec<Recipient> = match recipient {
            Some(one) => vec![*one],
            None => message.recipients(),
        };
        let outcome = outcome::of(sending, &about);
        let words = if outcome.words.is_empty() {
            self.palette.dim(table::MISSING)
        } else {
            self.palette.severity(
                outcome.severity,
                &escaped(&outcome.words, Escaping::Display),
            )
        };
        vec![
            time,
            self.palette.severity(
                outcome.severity,
                &escaped(sending.type_name(), Escaping::Display),
            ),
            // Senders' display names may be RFC 2047 encoded-words here (SES does not decode
            // them in `mail.source`).
            message.mail.source.as_deref().map_or_else(
                || self.palette.dim(table::MISSING),
                |source| escaped(&words::decode(source), Escaping::Display),
            ),
            match recipient {
                Some(_) => self.recipient_cell(recipient),
                None => self.cell(message, "recipients"),
            },
            self.cell(message, "subject"),
            words,
        ]
    }

    fn recipient_cell(&self, recipient: Option<&Recipient>) -> String {
        let address = recipient.and_then(|r| r.address);
        table::cell(&address.map_or(Value::Missing, Value::Text), self.palette)
    }
}

/// `3 messages · SPF 2 PASS, 1 FAIL · DKIM 3 PASS · …`
fn received_totals(totals: &Totals, palette: Palette) -> String {
    let mut line = format!("{} messages", totals.received);
    for (verdict, counts) in totals.verdicts.iter() {
        let parts: Vec<String> = counts
            .sorted()
            .into_iter()
            .map(|(status, n)| match status {
                Some(status) => format!("{n} {}", palette.status_name(status)),
                None => format!("{n} {}", palette.dim("missing")),
            })
            .collect();
        line.push_str(&format!(" · {} {}", verdict.label(), parts.join(", ")));
    }
    line
}

/// `5 events · 2 Bounce, 1 Complaint, 2 Delivery`
fn sending_totals(totals: &Totals) -> String {
    let types: Vec<String> = totals
        .sending_types
        .iter()
        .map(|(name, n)| format!("{n} {}", escaped(name, Escaping::Display)))
        .collect();
    format!("{} events · {}", totals.sending_events, types.join(", "))
}
