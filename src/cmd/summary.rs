//! `sesinspect summary`: one row per event (or per recipient with `--per-recipient`). For people,
//! a table per family with its totals: received mail with time, from, to, subject, the five
//! verdicts and the action; sent mail with time, type, sender, recipients, subject and what
//! happened. For scripts, every named field of every event as JSON, NDJSON, TSV or CSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use super::{Env, Shown, count, reading};
use crate::cli::SummaryArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::{self, FIELDS, Field, Value};
use crate::model::{Event, Message, Recipient, Sending, Verdict, words};
use crate::outcome;
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::columns::{self, Cell, Column, Economy, Kind, Spec};
use crate::render::sheet::{Sheet, SheetPart, escaped_pieces};
use crate::render::{Delimiting, Format};
use crate::sanitize::{Escaping, escaped};
use crate::select::{Filter, Tree};
use crate::tally::VerdictCounts;

pub fn run(args: SummaryArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let per_recipient = args.per_recipient;
    if args.count {
        return count(
            &reading(&args.inputs, env, Shown::AtEnd, per_recipient)?,
            env,
        );
    }
    let shown = if args.format == Format::Table {
        Shown::AtEnd
    } else {
        Shown::AsFound
    };
    let reading = reading(&args.inputs, env, shown, per_recipient)?;
    let fields: Vec<&'static Field> = FIELDS
        .iter()
        .filter(|f| per_recipient || !f.per_recipient_only())
        .collect();
    let sheet = |spec: Spec| {
        let columns = fields.iter().map(|f| f.name.to_string()).collect();
        let delimiting = Delimiting {
            header: true,
            null: false,
            spreadsheet_safe: args.spreadsheet.safe,
        };
        Sheet::new(args.format, columns, spec, delimiting, env.palette)
    };
    let received = sheet(received_table(per_recipient));
    let layout = if received.is_table() {
        Layout::Tables {
            received,
            sending: sheet(sending_table()),
        }
    } else {
        Layout::Records(received)
    };
    let summary = Arc::new(Summary {
        layout,
        fields,
        filter: reading.filter.clone(),
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
            let rows = received_sink.finish(width, out)?;
            if rows > 1 {
                let line = received_totals(&totals, env.palette);
                writeln!(out, "{}", columns::wrap_parts(&line, width))?;
            }
            if rows > 0 && totals.sending_events > 0 {
                writeln!(out)?;
            }
            if sending_sink.finish(width, out)? > 1 {
                writeln!(
                    out,
                    "{}",
                    columns::wrap_parts(&sending_totals(&totals), width)
                )?;
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

fn column(title: &str, kind: Kind) -> Column {
    Column {
        title: title.to_string(),
        kind,
    }
}

/// The table of received messages: time, from, to (and with `--per-recipient` the row's
/// recipient), subject, the verdicts (DMARC with its policy) and the action. Narrower, it shows
/// compact times, then verdict codes, then leaves out To, then the action.
fn received_table(per_recipient: bool) -> Spec {
    let mut columns = vec![
        column(TIME, Kind::Time),
        column(FROM, Kind::Text { narrowest: 24 }),
        column(TO, Kind::Text { narrowest: 20 }),
    ];
    if per_recipient {
        columns.push(column(RECIPIENT, Kind::Text { narrowest: 20 }));
    }
    columns.push(column(SUBJECT, Kind::Text { narrowest: 24 }));
    columns.push(column(VERDICTS, Kind::Verdicts(&Verdict::ALL)));
    columns.push(column(ACTION, Kind::Word));
    let verdicts = columns.len() - 2;
    Spec {
        economies: vec![
            Economy::Shorten(0),
            Economy::Shorten(verdicts),
            Economy::Drop(2),
            Economy::Drop(columns.len() - 1),
        ],
        columns,
    }
}

/// The table of sent mail: time, type, sender, recipients (the row's recipient with
/// `--per-recipient`), subject and outcome, the type and outcome coloured by severity.
/// Narrower, it shows compact times, then leaves out the sender, then the subject.
fn sending_table() -> Spec {
    Spec {
        columns: vec![
            column(TIME, Kind::Time),
            column(TYPE, Kind::Word),
            column(FROM, Kind::Text { narrowest: 20 }),
            column(RECIPIENTS, Kind::Text { narrowest: 20 }),
            column(SUBJECT, Kind::Text { narrowest: 20 }),
            column(OUTCOME, Kind::Text { narrowest: 24 }),
        ],
        economies: vec![Economy::Shorten(0), Economy::Drop(2), Economy::Drop(4)],
    }
}

const TIME: &str = "Time";
const FROM: &str = "From";
const TO: &str = "To";
const RECIPIENT: &str = "Recipient";
const RECIPIENTS: &str = "Recipients";
const SUBJECT: &str = "Subject";
const VERDICTS: &str = "Verdicts";
const ACTION: &str = "Action";
const TYPE: &str = "Type";
const OUTCOME: &str = "Outcome";

struct Summary {
    layout: Layout,
    /// The fields records carry, in order.
    fields: Vec<&'static Field>,
    /// With `--per-recipient`, which rows of a message to show.
    filter: Filter,
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
        let tree = Tree::new(self.filter.paths());
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
                        let row = ReceivedRow {
                            message,
                            per_recipient: self.filter.per_recipient,
                            recipient,
                        };
                        row.add_to(received, &mut part.rows);
                    }
                    Some(event) => {
                        sending_row(sending, message, event, recipient, &mut part.sending_rows)
                    }
                },
            }
        }
        if !rows.is_empty() && matches!(self.layout, Layout::Tables { .. }) {
            part.totals.add(message);
        }
    }
}

/// A list field's pieces, escaped and joined, for a table cell.
fn list(message: &Message, name: &str) -> Option<String> {
    fields::find(name).and_then(|f| escaped_pieces(&f.value(message, None)))
}

/// A row of the received-mail table: a message, and with `--per-recipient` one of its
/// recipients.
struct ReceivedRow<'r, 'm> {
    message: &'r Message<'m>,
    per_recipient: bool,
    recipient: Option<&'r Recipient<'r>>,
}

impl ReceivedRow<'_, '_> {
    fn add_to(&self, sheet: &Sheet, rows: &mut SheetPart) {
        let message = self.message;
        let receipt = message.receipt();
        let policy = receipt.and_then(|r| r.dmarc_policy.as_deref());
        let verdicts = Verdict::ALL.map(|verdict| {
            let note = (verdict == Verdict::Dmarc).then_some(policy).flatten();
            (message.verdict(verdict), note)
        });
        let common = message.mail.common_headers.as_ref();
        let (from, to) = (list(message, "from"), list(message, "to"));
        let action = receipt
            .and_then(|r| r.action.as_ref())
            .and_then(|a| a.type_name());
        let mut cells = vec![
            Cell::Time(message.mail.timestamp.as_deref()),
            from.as_deref().map_or(Cell::Text(None), Cell::Escaped),
            to.as_deref().map_or(Cell::Text(None), Cell::Escaped),
        ];
        if self.per_recipient {
            cells.push(Cell::Text(self.recipient.and_then(|r| r.address)));
        }
        cells.extend([
            Cell::Text(common.and_then(|c| c.subject.as_deref())),
            Cell::Verdicts(&verdicts),
            Cell::Text(action),
        ]);
        sheet.add_cells(&cells, rows);
    }
}

fn sending_row(
    sheet: &Sheet,
    message: &Message,
    sending: &Sending,
    recipient: Option<&Recipient>,
    rows: &mut SheetPart,
) {
    let about: Vec<Recipient> = match recipient {
        Some(one) => vec![*one],
        None => message.recipients(),
    };
    let outcome = outcome::of(sending, &about);
    // Senders' display names may be RFC 2047 encoded-words here (SES does not decode them in
    // `mail.source`).
    let source = message.mail.source.as_deref().map(words::decode);
    let recipients = match recipient {
        Some(one) => one.address.map(|a| escaped(a, Escaping::Display)),
        None => list(message, "recipients"),
    };
    let common = message.mail.common_headers.as_ref();
    sheet.add_cells(
        &[
            Cell::Time(
                message
                    .event_time()
                    .or(message.mail.timestamp.as_ref())
                    .map(|t| &**t),
            ),
            Cell::Graded(outcome.severity, sending.type_name()),
            Cell::Text(source.as_deref()),
            recipients
                .as_deref()
                .map_or(Cell::Text(None), Cell::Escaped),
            Cell::Text(common.and_then(|c| c.subject.as_deref())),
            if outcome.words.is_empty() {
                Cell::Text(None)
            } else {
                Cell::Graded(outcome.severity, &outcome.words)
            },
        ],
        rows,
    );
}

/// `3 messages`, `SPF 2 PASS, 1 FAIL`, `DKIM 3 PASS`, …: the parts of the received-mail totals.
fn received_totals(totals: &Totals, palette: Palette) -> Vec<String> {
    let mut parts = vec![format!("{} messages", totals.received)];
    for (verdict, counts) in totals.verdicts.iter() {
        let counted: Vec<String> = counts
            .sorted()
            .into_iter()
            .map(|(status, n)| match status {
                Some(status) => format!("{n} {}", palette.status_name(status)),
                None => format!("{n} {}", palette.dim("missing")),
            })
            .collect();
        parts.push(format!("{} {}", verdict.label(), counted.join(", ")));
    }
    parts
}

/// `5 events`, `2 Bounce, 1 Complaint, 2 Delivery`: the parts of the sent-mail totals.
fn sending_totals(totals: &Totals) -> Vec<String> {
    let types: Vec<String> = totals
        .sending_types
        .iter()
        .map(|(name, n)| format!("{n} {}", escaped(name, Escaping::Display)))
        .collect();
    vec![
        format!("{} events", totals.sending_events),
        types.join(", "),
    ]
}
