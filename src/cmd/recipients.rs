//! `sesinspect recipients`: one row per recipient address (lower-cased) across the sending events
//! of all input — what was sent to it, delivered, bounced, complained, opened and clicked, its
//! last event — and whether to put it on the suppression list (`BOUNCE`, `COMPLAINT`);
//! `--suppress` writes only those, in the form SES's suppression-list import reads. Memory grows
//! with the distinct addresses, and nothing else.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;
use std::sync::Arc;

use foldhash::HashMap;

use super::{Env, Shown, reading};
use crate::cli::RecipientsArgs;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::mail;
use crate::model::{Message, Recipient, Sending};
use crate::outcome::{self, BounceClass, Severity};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::problem::Reporter;
use crate::render::columns::{Cell, Column, Economy, Kind, Spec, wrap_parts};
use crate::render::records::{Records, RecordsPart};
use crate::render::{Delimiting, Format};
use crate::select::{Filter, Tree};

pub fn run(args: RecipientsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let output = if args.suppress {
        match args.format {
            Format::Table | Format::Csv => Output::SuppressCsv,
            Format::Json | Format::Ndjson => Output::SuppressJson,
            other => anyhow::bail!(
                "--suppress writes csv or json (the forms SES's suppression-list import reads), \
                 not {}",
                other.name()
            ),
        }
    } else {
        Output::Rows(args.format)
    };
    let reading = reading(&args.inputs, env, Shown::AtEnd, true)?;
    let rule = Rule {
        soft_bounces: args.soft_bounces.map(usize::from),
    };
    let tally = Arc::new(Tally {
        filter: reading.filter.clone(),
        rule,
    });
    let mut book = Book::default();
    pipeline::run(
        &reading,
        tally,
        &mut env.reporter,
        |delivery: Delivery<Book>| {
            book.merge(delivery.part, rule);
            Ok(())
        },
    )?;
    if book.received > 0 {
        env.reporter.note(format!(
            "{} left out: recipients reads sending events",
            plural(book.received, "received-mail event", "received-mail events")
        ));
    }
    let mut rows: Vec<(Box<str>, Row)> = book.rows.into_iter().collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    match output {
        Output::SuppressCsv | Output::SuppressJson => {
            write_suppressed(&rows, rule, output, &env.reporter, out)?
        }
        Output::Rows(Format::Table) => {
            let spec = table();
            let gathered: Vec<Box<str>> = rows
                .iter()
                .map(|(address, row)| table_row(&spec, address, row, rule))
                .collect();
            if !gathered.is_empty() {
                spec.write(gathered, env.palette, width, out)?;
                writeln!(out, "{}", wrap_parts(&totals(&rows, rule), width))?;
            }
        }
        Output::Rows(format) => {
            let delimiting = Delimiting {
                header: true,
                null: false,
                spreadsheet_safe: args.spreadsheet.safe,
            };
            write_records(&rows, rule, format, delimiting, out)?;
        }
    }
    out.flush()?;
    Ok(env.outcome())
}

/// `--suppress`: the addresses to suppress with their reasons, as SES's import reads them.
fn write_suppressed(
    rows: &[(Box<str>, Row)],
    rule: Rule,
    output: Output,
    reporter: &Reporter,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for (address, row) in rows {
        let Some((reason, _)) = rule.recommend(row) else {
            continue;
        };
        if output == Output::SuppressJson {
            let line = serde_json::json!({ "emailAddress": address, "reason": reason.name() });
            writeln!(out, "{line}")?;
        } else if plain_address(address) {
            writeln!(out, "{address},{}", reason.name())?;
        } else {
            reporter.note(format!(
                "left out of the CSV: {address} (an address with a comma, quote, space or \
                 control character, or without @, has no safe CSV form: use -f json)"
            ));
        }
    }
    Ok(())
}

/// Every address's record in a data format, written a chunk at a time: the rendered records
/// never all sit in memory at once.
fn write_records(
    rows: &[(Box<str>, Row)],
    rule: Rule,
    format: Format,
    delimiting: Delimiting,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let columns = KEYS.iter().map(|k| k.to_string()).collect();
    let records = Records::new(format, columns, delimiting)
        .ok_or_else(|| anyhow::anyhow!("{} is not a data format", format.name()))?;
    let mut sink = records.begin(out)?;
    for chunk in rows.chunks(RECORDS_AT_ONCE) {
        let mut part = RecordsPart::default();
        for (address, row) in chunk {
            records.add(&record(address, row, rule), &mut part);
        }
        sink.deliver(part, false, out)?;
    }
    sink.finish(out)?;
    Ok(())
}

/// How many records are rendered before they are written.
const RECORDS_AT_ONCE: usize = 1024;

/// What is written: every address's row, or only the addresses to suppress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Rows(Format),
    /// `address,REASON` lines, no header: SES's import with `DataFormat=CSV`.
    SuppressCsv,
    /// `{"emailAddress":…,"reason":…}` lines: SES's import with `DataFormat=JSON`.
    SuppressJson,
}

/// When an address should be suppressed.
#[derive(Debug, Clone, Copy)]
struct Rule {
    /// This many soft bounces in a row (the latest ones, with no delivery after the first of
    /// them) also recommend `BOUNCE`.
    soft_bounces: Option<usize>,
}

/// A reason SES's suppression list accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Bounce,
    Complaint,
}

impl Reason {
    fn name(self) -> &'static str {
        match self {
            Reason::Bounce => "BOUNCE",
            Reason::Complaint => "COMPLAINT",
        }
    }
}

impl Rule {
    /// The reason to suppress an address, and why in words: a complaint first (someone
    /// objected), then a hard bounce, then soft bounces in a row. A bounce because the address
    /// is already on the account's suppression list recommends nothing: it is there, and an
    /// import (`PUT`) would overwrite the reason it was listed for.
    fn recommend(self, row: &Row) -> Option<(Reason, String)> {
        if row.complaints > 0 {
            return Some((Reason::Complaint, "complaint".to_string()));
        }
        if row.hard_bounces > 0 {
            return Some((Reason::Bounce, "hard bounce".to_string()));
        }
        let needed = self.soft_bounces?;
        let in_a_row = row
            .recent_soft_bounces
            .iter()
            .filter(|&&Reverse(at)| row.last_delivery.is_none_or(|delivery| at > delivery))
            .count();
        (in_a_row >= needed).then(|| {
            (
                Reason::Bounce,
                format!("{needed} or more soft bounces in a row"),
            )
        })
    }
}

/// When an event happened, as milliseconds since the epoch, for ordering an address's events
/// whatever order the input has them in; an event without a readable time comes before every
/// timed one.
type At = i64;

const UNTIMED: At = At::MIN;

fn at(text: Option<&str>) -> At {
    text.and_then(|t| t.trim().parse::<jiff::Timestamp>().ok())
        .map_or(UNTIMED, |t| t.as_millisecond())
}

/// What the input says about one address.
#[derive(Debug, Default)]
struct Row {
    sent: u32,
    delivered: u32,
    hard_bounces: u32,
    soft_bounces: u32,
    /// Bounces because the address is on the account's suppression list (SES did not send).
    listed_bounces: u32,
    complaints: u32,
    opens: u32,
    clicks: u32,
    /// The latest delivery, if any.
    last_delivery: Option<At>,
    /// The latest soft bounces, no more than `--soft-bounces` asks about (none without it),
    /// the earliest of them on top.
    recent_soft_bounces: BinaryHeap<Reverse<At>>,
    last: Option<Box<Last>>,
}

/// An address's latest event.
#[derive(Debug)]
struct Last {
    at: At,
    event_type: Box<str>,
    /// As the event writes it.
    time: Option<Box<str>>,
    /// What happened, in words (the server's reply, the bounce type and status…).
    detail: Box<str>,
}

impl Row {
    fn add(&mut self, message: &Message, sending: &Sending, recipient: &Recipient, rule: Rule) {
        let time = message
            .event_time()
            .or(message.mail.timestamp.as_ref())
            .map(|t| &**t);
        let when = at(time);
        let count = |n: &mut u32| *n = n.saturating_add(1);
        match sending {
            Sending::Send => count(&mut self.sent),
            Sending::Delivery(_) => {
                count(&mut self.delivered);
                self.last_delivery = self.last_delivery.max(Some(when));
            }
            Sending::Bounce(bounce) => match outcome::bounce_class(bounce) {
                BounceClass::Hard => count(&mut self.hard_bounces),
                BounceClass::OnAccountSuppressionList => count(&mut self.listed_bounces),
                // Transient, Undetermined, or a type SES does not document.
                BounceClass::Soft | BounceClass::Unknown => {
                    count(&mut self.soft_bounces);
                    if let Some(kept) = rule.soft_bounces {
                        keep_latest(&mut self.recent_soft_bounces, [Reverse(when)], kept);
                    }
                }
            },
            Sending::Complaint(_) => count(&mut self.complaints),
            Sending::Open(_) => count(&mut self.opens),
            Sending::Click(_) => count(&mut self.clicks),
            _ => {}
        }
        // Equal times: the later in the input is the last.
        if self.last.as_ref().is_none_or(|last| when >= last.at) {
            self.last = Some(Box::new(Last {
                at: when,
                event_type: sending.type_name().into(),
                time: time.map(Into::into),
                detail: outcome::of(sending, std::slice::from_ref(recipient))
                    .words
                    .into(),
            }));
        }
    }

    /// Adds `later`'s counts: `later` comes after `self` in the input.
    fn merge(&mut self, later: Row, rule: Rule) {
        self.sent = self.sent.saturating_add(later.sent);
        self.delivered = self.delivered.saturating_add(later.delivered);
        self.hard_bounces = self.hard_bounces.saturating_add(later.hard_bounces);
        self.soft_bounces = self.soft_bounces.saturating_add(later.soft_bounces);
        self.listed_bounces = self.listed_bounces.saturating_add(later.listed_bounces);
        self.complaints = self.complaints.saturating_add(later.complaints);
        self.opens = self.opens.saturating_add(later.opens);
        self.clicks = self.clicks.saturating_add(later.clicks);
        self.last_delivery = self.last_delivery.max(later.last_delivery);
        if let Some(kept) = rule.soft_bounces {
            keep_latest(
                &mut self.recent_soft_bounces,
                later.recent_soft_bounces,
                kept,
            );
        }
        if let Some(last) = later.last {
            if self.last.as_ref().is_none_or(|mine| last.at >= mine.at) {
                self.last = Some(last);
            }
        }
    }
}

/// Adds `times` to `latest`, keeping only the `kept` latest: O(log kept) a time.
fn keep_latest(
    latest: &mut BinaryHeap<Reverse<At>>,
    times: impl IntoIterator<Item = Reverse<At>>,
    kept: usize,
) {
    for time in times {
        latest.push(time);
        if latest.len() > kept {
            latest.pop();
        }
    }
}

/// Every address's row, mergeable batch by batch; and how many received-mail events were left
/// out.
#[derive(Debug, Default)]
struct Book {
    rows: HashMap<Box<str>, Row>,
    received: usize,
}

impl Book {
    /// Adds `later`, which comes after `self` in the input.
    fn merge(&mut self, later: Book, rule: Rule) {
        if self.rows.is_empty() {
            self.rows = later.rows;
        } else {
            for (address, row) in later.rows {
                match self.rows.get_mut(&address) {
                    Some(mine) => mine.merge(row, rule),
                    None => {
                        self.rows.insert(address, row);
                    }
                }
            }
        }
        self.received += later.received;
    }

    fn row(&mut self, address: &str) -> &mut Row {
        let key = mail::address_key(address);
        // Look up before allocating: most addresses are seen many times.
        if !self.rows.contains_key(key.as_ref()) {
            self.rows.insert(key.as_ref().into(), Row::default());
        }
        self.rows.get_mut(key.as_ref()).expect("inserted above")
    }
}

/// Whether SES's CSV import can read the address as written: one field with an `@`, nothing to
/// quote.
fn plain_address(address: &str) -> bool {
    address.contains('@')
        && !address.contains(|c: char| c == ',' || c == '"' || c.is_whitespace() || c.is_control())
}

/// Counts each selected recipient row of each sending event into a batch's `Book`.
struct Tally {
    filter: Filter,
    rule: Rule,
}

impl Collect for Tally {
    type Part = Book;

    fn collect(&self, message: &Message, book: &mut Book, _: &mut Findings) {
        let Some(sending) = message.sending() else {
            book.received += 1;
            return;
        };
        let recipients = message.recipients();
        let tree = Tree::new(self.filter.paths());
        for recipient in self
            .filter
            .rows(message, &recipients, &tree)
            .into_iter()
            .flatten()
        {
            if let Some(address) = recipient.address {
                book.row(address)
                    .add(message, sending, recipient, self.rule);
            }
        }
    }
}

/// The keys of the data formats, in order (documented in the README).
const KEYS: [&str; 14] = [
    "address",
    "sent",
    "delivered",
    "hard_bounces",
    "soft_bounces",
    "listed_bounces",
    "complaints",
    "opens",
    "clicks",
    "last_event",
    "last_time",
    "last_detail",
    "suppress",
    "suppress_why",
];

fn record<'r>(address: &'r str, row: &'r Row, rule: Rule) -> Vec<Value<'r>> {
    let recommended = rule.recommend(row);
    let last = row.last.as_deref();
    let text = |t: Option<&'r str>| t.map_or(Value::Missing, Value::Text);
    vec![
        Value::Text(address),
        Value::Number(row.sent.into()),
        Value::Number(row.delivered.into()),
        Value::Number(row.hard_bounces.into()),
        Value::Number(row.soft_bounces.into()),
        Value::Number(row.listed_bounces.into()),
        Value::Number(row.complaints.into()),
        Value::Number(row.opens.into()),
        Value::Number(row.clicks.into()),
        text(last.map(|l| &*l.event_type)),
        text(last.and_then(|l| l.time.as_deref())),
        text(last.map(|l| &*l.detail).filter(|d| !d.is_empty())),
        recommended
            .as_ref()
            .map_or(Value::Missing, |(reason, _)| Value::Text(reason.name())),
        recommended.map_or(Value::Missing, |(_, why)| Value::Owned(why)),
    ]
}

/// The table for people: the address, its counts, its last event and the recommendation,
/// coloured. Narrower, it shows compact times, then leaves out opens, clicks, the detail, the
/// last event's time and the last event.
fn table() -> Spec {
    let column = |title: &str, kind| Column {
        title: title.to_string(),
        kind,
    };
    let number = |title: &str| column(title, Kind::Word);
    Spec {
        columns: vec![
            column("Address", Kind::Text { narrowest: 24 }),
            number("Sent"),
            number("Deliv"),
            number("Hard"),
            number("Soft"),
            number("Compl"),
            number("Opens"),
            number("Clicks"),
            column("Last event", Kind::Word),
            column("Time", Kind::Time),
            column("Detail", Kind::Text { narrowest: 24 }),
            column("Suppress", Kind::Word),
        ],
        economies: vec![
            Economy::Shorten(9),
            Economy::Drop(6),
            Economy::Drop(7),
            Economy::Drop(10),
            Economy::Drop(9),
            Economy::Drop(8),
        ],
    }
}

fn table_row(spec: &Spec, address: &str, row: &Row, rule: Rule) -> Box<str> {
    let counts = [
        row.sent,
        row.delivered,
        row.hard_bounces,
        row.soft_bounces,
        row.complaints,
        row.opens,
        row.clicks,
    ]
    .map(|n| n.to_string());
    let last = row.last.as_deref();
    let recommended = rule.recommend(row).map(|(reason, _)| reason.name());
    let mut cells = vec![Cell::Text(Some(address))];
    cells.extend(counts.iter().map(|n| Cell::Text(Some(n))));
    cells.extend([
        Cell::Text(last.map(|l| &*l.event_type)),
        Cell::Time(last.and_then(|l| l.time.as_deref())),
        Cell::Text(last.map(|l| &*l.detail).filter(|d| !d.is_empty())),
        match recommended {
            Some(reason) => Cell::Graded(Severity::Bad, reason),
            None if row.listed_bounces > 0 => Cell::Graded(Severity::Neutral, "listed"),
            None => Cell::Text(None),
        },
    ]);
    spec.gather(&cells)
}

/// `9 addresses`, `4 to suppress: 3 BOUNCE, 1 COMPLAINT`, `1 already listed`: the table's totals.
fn totals(rows: &[(Box<str>, Row)], rule: Rule) -> Vec<String> {
    let (mut bounce, mut complaint, mut listed) = (0, 0, 0);
    for (_, row) in rows {
        match rule.recommend(row) {
            Some((Reason::Bounce, _)) => bounce += 1,
            Some((Reason::Complaint, _)) => complaint += 1,
            None if row.listed_bounces > 0 => listed += 1,
            None => {}
        }
    }
    let mut parts = vec![
        plural(rows.len(), "address", "addresses"),
        format!(
            "{} to suppress: {bounce} BOUNCE, {complaint} COMPLAINT",
            bounce + complaint
        ),
    ];
    if listed > 0 {
        parts.push(format!("{listed} already on the suppression list"));
    }
    parts
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_soft_bounces_in_any_order() {
        let mut latest = BinaryHeap::new();
        keep_latest(&mut latest, [5, 1, 9, 3, 7].map(Reverse), 3);
        keep_latest(&mut latest, [2, 8].map(Reverse), 3);
        let mut kept: Vec<At> = latest.into_iter().map(|Reverse(at)| at).collect();
        kept.sort_unstable();
        assert_eq!(kept, [7, 8, 9]);
    }
}
