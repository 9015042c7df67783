//! `sesinspect stats`: counts over all events. For received mail: time range, verdict × status,
//! DMARC policies, action types, top sender domains and recipients, processing time; for sent
//! mail: events by type. Memory stays flat apart from the distinct senders and recipients it
//! counts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use super::{Env, selection};
use crate::cli::StatsArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::model::{Message, Sending, Status};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::table::{MISSING, Table};
use crate::sanitize::{Escaping, escaped};
use crate::tally::VerdictCounts;

pub fn run(args: StatsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs, false)?;
    let mut stats = Stats::default();
    pipeline::run(
        &reading,
        Arc::new(Counting),
        &mut env.reporter,
        |delivery: Delivery<Stats>| {
            stats.merge(delivery.part);
            Ok(())
        },
    )?;
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    if args.format == Format::Table {
        stats.write_tables(args.top, env.palette, width, out)?;
    } else {
        // JSON and NDJSON alike: the statistics are one object, on one line.
        serde_json::to_writer(&mut *out, &stats.to_json(args.top))?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(env.outcome())
}

/// Counts one message at a time into a batch's `Stats`.
struct Counting;

impl Collect for Counting {
    type Part = Stats;

    fn collect(&self, message: &Message, stats: &mut Stats, _: &mut Findings) {
        match message.sending() {
            None => stats.add(message),
            Some(sending) => stats.sending.add(sending),
        }
    }
}

/// What `stats` counts about sending events, mergeable batch by batch: `"sending"` in JSON.
#[derive(Debug, Default)]
struct SendingStats {
    /// Events per type, as SES spells it.
    events: BTreeMap<String, u64>,
}

impl SendingStats {
    fn add(&mut self, sending: &Sending) {
        self.events.bump(sending.type_name().to_string(), 1);
    }

    fn merge(&mut self, other: SendingStats) {
        add_counts(&mut self.events, other.events);
    }

    fn total(&self) -> u64 {
        self.events.values().sum()
    }

    fn to_json(&self) -> Json {
        json!({ "events": self.events })
    }

    fn write_tables(
        &self,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let mut table = Table::new(["Sending event", "Events"]).numbers_right();
        for (name, n) in &self.events {
            table.push([escaped(name, Escaping::Display), n.to_string()]);
        }
        table.push([palette.bold("Total"), self.total().to_string()]);
        table.write(palette, width, out)
    }
}

/// Everything `stats` reports, mergeable batch by batch: received mail at the top level (as
/// before sending events were read), sending events under `sending`.
#[derive(Debug, Default)]
struct Stats {
    /// Received messages.
    messages: u64,
    /// The earliest and latest `mail.timestamp`, as instants and as written.
    first: Option<(jiff::Timestamp, String)>,
    last: Option<(jiff::Timestamp, String)>,
    verdicts: VerdictCounts,
    dmarc_policies: BTreeMap<String, u64>,
    actions: BTreeMap<String, u64>,
    sender_domains: HashMap<String, u64>,
    senders: HashSet<String>,
    recipients: HashMap<String, u64>,
    /// Milliseconds → how many messages took that long: exact percentiles in little memory.
    processing_ms: BTreeMap<u64, u64>,
    sending: SendingStats,
}

impl Stats {
    fn add(&mut self, message: &Message) {
        self.messages += 1;
        if let Some(text) = message.mail.timestamp.as_deref() {
            if let Some(instant) = parse_timestamp(text) {
                self.see_time(instant, text);
            }
        }
        self.verdicts.add(message);
        let receipt = message.receipt();
        if let Some(policy) = receipt.and_then(|r| r.dmarc_policy.as_deref()) {
            self.dmarc_policies.bump(policy.to_string(), 1);
        }
        let action = receipt
            .and_then(|r| r.action.as_ref())
            .and_then(|a| a.type_name())
            .unwrap_or(MISSING);
        self.actions.bump(action.to_string(), 1);
        if let Some(sender) = sender(message) {
            if let Some((_, domain)) = sender.rsplit_once('@') {
                self.sender_domains.bump(domain.to_string(), 1);
            }
            self.senders.insert(sender);
        }
        for recipient in receipt
            .and_then(|r| r.recipients.as_ref())
            .map_or(&[][..], |r| &r.0[..])
        {
            self.recipients.bump(recipient.trim().to_lowercase(), 1);
        }
        if let Some(ms) = receipt.and_then(|r| r.processing_time_millis) {
            self.processing_ms.bump(ms, 1);
        }
    }

    fn see_time(&mut self, instant: jiff::Timestamp, text: &str) {
        if self.first.as_ref().is_none_or(|(t, _)| instant < *t) {
            self.first = Some((instant, text.to_string()));
        }
        if self.last.as_ref().is_none_or(|(t, _)| instant > *t) {
            self.last = Some((instant, text.to_string()));
        }
    }

    fn merge(&mut self, other: Stats) {
        self.messages += other.messages;
        for (instant, text) in other.first.into_iter().chain(other.last) {
            self.see_time(instant, &text);
        }
        self.verdicts.merge(&other.verdicts);
        add_counts(&mut self.dmarc_policies, other.dmarc_policies);
        add_counts(&mut self.actions, other.actions);
        add_counts(&mut self.sender_domains, other.sender_domains);
        self.senders.extend(other.senders);
        add_counts(&mut self.recipients, other.recipients);
        add_counts(&mut self.processing_ms, other.processing_ms);
        self.sending.merge(other.sending);
    }

    /// The value at the nearest rank for `fraction` (0.5 for the median) of the times seen.
    fn percentile(&self, fraction: f64) -> Option<u64> {
        let total: u64 = self.processing_ms.values().sum();
        let rank = ((fraction * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        self.processing_ms.iter().find_map(|(ms, n)| {
            seen += n;
            (seen >= rank).then_some(*ms)
        })
    }

    fn processing(&self) -> [(&'static str, Option<u64>); 4] {
        [
            ("min", self.processing_ms.keys().next().copied()),
            ("median", self.percentile(0.5)),
            ("p95", self.percentile(0.95)),
            ("max", self.processing_ms.keys().next_back().copied()),
        ]
    }

    fn to_json(&self, top: usize) -> Json {
        let mut verdicts = Map::new();
        for (verdict, counts) in self.verdicts.iter() {
            let mut by_status = Map::new();
            for status in &Status::KNOWN {
                by_status.insert(status.to_string(), counts.get(Some(status)).into());
            }
            for (status, n) in counts.sorted() {
                if let Some(other) = status.filter(|s| matches!(s, Status::Other(_))) {
                    by_status.insert(other.to_string(), n.into());
                }
            }
            by_status.insert("MISSING".to_string(), counts.get(None).into());
            verdicts.insert(verdict.name().to_string(), by_status.into());
        }
        let processing: Map<String, Json> = self
            .processing()
            .into_iter()
            .map(|(name, ms)| (name.to_string(), ms.into()))
            .collect();
        json!({
            "messages": self.messages,
            "first": self.first.as_ref().map(|(_, text)| text),
            "last": self.last.as_ref().map(|(_, text)| text),
            "distinct_senders": self.senders.len(),
            "verdicts": verdicts,
            "dmarc_policies": self.dmarc_policies,
            "actions": self.actions,
            "sender_domains": top_counts(&self.sender_domains, top),
            "recipients": top_counts(&self.recipients, top),
            "processing_ms": processing,
            "sending": self.sending.to_json(),
        })
    }

    /// The received-mail tables (when there is received mail, or nothing at all), then the
    /// sending table (when there are sending events).
    fn write_tables(
        &self,
        top: usize,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let sending = self.sending.total() > 0;
        if self.messages > 0 || !sending {
            self.write_received_tables(top, palette, width, out)?;
        }
        if sending {
            if self.messages > 0 {
                writeln!(out)?;
            }
            self.sending.write_tables(palette, width, out)?;
        }
        Ok(())
    }

    fn write_received_tables(
        &self,
        top: usize,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let show = |text: Option<&(jiff::Timestamp, String)>| {
            text.map_or_else(
                || palette.dim(MISSING),
                |(_, t)| escaped(t, Escaping::Display),
            )
        };
        let mut overview = Table::new(["", ""]);
        overview.push(["Messages".to_string(), self.messages.to_string()]);
        overview.push(["First".to_string(), show(self.first.as_ref())]);
        overview.push(["Last".to_string(), show(self.last.as_ref())]);
        overview.push([
            "Distinct senders".to_string(),
            self.senders.len().to_string(),
        ]);
        overview.write(palette, width, out)?;

        let mut statuses: Vec<&Status> = Status::KNOWN.iter().collect();
        for (_, counts) in self.verdicts.iter() {
            for (status, _) in counts.sorted() {
                if let Some(other) = status.filter(|s| !statuses.contains(s)) {
                    statuses.push(other);
                }
            }
        }
        let mut header = vec!["Verdict".to_string()];
        header.extend(statuses.iter().map(|s| palette.status_name(s)));
        header.push("MISSING".to_string());
        let mut verdicts = Table::new(header).numbers_right();
        for (verdict, counts) in self.verdicts.iter() {
            let mut row = vec![verdict.label().to_string()];
            row.extend(statuses.iter().map(|s| counts.get(Some(s)).to_string()));
            row.push(counts.get(None).to_string());
            verdicts.push(row);
        }
        writeln!(out)?;
        verdicts.write(palette, width, out)?;

        let counts =
            |map: &BTreeMap<String, u64>| map.iter().map(|(k, n)| (k.clone(), *n)).collect();
        for (title, counts) in [
            ("DMARC policy", counts(&self.dmarc_policies)),
            ("Action", counts(&self.actions)),
            ("Sender domain", top_counts(&self.sender_domains, top)),
            ("Recipient", top_counts(&self.recipients, top)),
        ] {
            let mut table = Table::new([title, "Messages"]).numbers_right();
            if counts.is_empty() {
                table.push([palette.dim(MISSING), "0".to_string()]);
            }
            for (name, n) in counts {
                table.push([escaped(&name, Escaping::Display), n.to_string()]);
            }
            writeln!(out)?;
            table.write(palette, width, out)?;
        }

        let mut timing =
            Table::new(["Processing (ms)", "min", "median", "p95", "max"]).numbers_right();
        let mut row = vec![String::new()];
        row.extend(
            self.processing()
                .iter()
                .map(|(_, ms)| ms.map_or_else(|| palette.dim(MISSING), |v| v.to_string())),
        );
        timing.push(row);
        writeln!(out)?;
        timing.write(palette, width, out)
    }
}

fn parse_timestamp(text: &str) -> Option<jiff::Timestamp> {
    text.parse().ok().or_else(|| {
        // Seen in the wild: `2018-10-08T14:05:45 +0000`.
        text.replacen(' ', "", 1).parse().ok()
    })
}

/// The envelope sender (`mail.source`), or else the first From address, lower-cased.
fn sender(message: &Message) -> Option<String> {
    let from = message
        .mail
        .common_headers
        .as_ref()
        .and_then(|c| c.from.as_ref())
        .and_then(|f| f.0.first());
    let raw = message
        .mail
        .source
        .as_deref()
        .or(from.map(|f| f.as_ref()))?;
    let address = crate::mail::first_address(raw)?.to_lowercase();
    address.contains('@').then_some(address)
}

/// A map from keys to counts.
trait Counter<K> {
    fn bump(&mut self, key: K, n: u64);
}

impl<K: Ord> Counter<K> for BTreeMap<K, u64> {
    fn bump(&mut self, key: K, n: u64) {
        *self.entry(key).or_default() += n;
    }
}

impl<K: std::hash::Hash + Eq> Counter<K> for HashMap<K, u64> {
    fn bump(&mut self, key: K, n: u64) {
        *self.entry(key).or_default() += n;
    }
}

fn add_counts<K>(into: &mut impl Counter<K>, from: impl IntoIterator<Item = (K, u64)>) {
    for (key, n) in from {
        into.bump(key, n);
    }
}

/// The `top` largest counts, largest first, ties by name.
fn top_counts(counts: &HashMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut sorted: Vec<(String, u64)> = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(top);
    sorted
}
