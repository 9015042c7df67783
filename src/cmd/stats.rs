//! `sesinspect stats`: counts over all events. For received mail: time range and volume over
//! time (per hour, day or month, with failures), verdict × status, DMARC policies, action types,
//! top sender and From domains and recipients, processing time — drawn as tables and bar charts;
//! for sent mail, what `stats/sending.rs` counts. Memory stays flat apart from the distinct
//! senders, domains and recipients it counts (and for sent mail, the message-recipient pairs).

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::hash::Hash;
use std::io::Write;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};
use serde_json::{Map, Value as Json, json};

mod sending;

use super::{Env, Shown, reading};
use crate::cli::StatsArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields;
use crate::mail;
use crate::model::{Message, Status};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::chart::{self, Bar, Shade};
use crate::render::columns::wrap_parts;
use crate::render::table::{MISSING, Table, shown};
use crate::sanitize::{Escaping, escaped};
use crate::select;
use crate::tally::{StatusCounts, VerdictCounts};
use sending::SendingStats;

pub fn run(args: StatsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = reading(&args.inputs, env, Shown::AtEnd, false)?;
    let mut stats = Stats::default();
    pipeline::run(
        &reading,
        Arc::new(Tally),
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
struct Tally;

impl Collect for Tally {
    type Part = Stats;

    fn collect(&self, message: &Message, stats: &mut Stats, _: &mut Findings) {
        match message.sending() {
            None => stats.add(message),
            Some(sending) => stats.sending.add(message, sending),
        }
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
    from_domains: HashMap<String, u64>,
    senders: HashSet<String>,
    recipients: HashMap<String, u64>,
    /// Milliseconds → how many messages took that long: exact percentiles in little memory.
    processing_ms: BTreeMap<u64, u64>,
    /// Hours since the epoch → messages received in that hour; drawn per hour, day or month.
    hours: BTreeMap<i64, Volume>,
    sending: SendingStats,
}

/// Messages in a stretch of time, and how many of them failed a verdict (as `--failed` says).
#[derive(Debug, Default, Clone, Copy)]
struct Volume {
    messages: u64,
    failed: u64,
}

impl Volume {
    fn add(&mut self, other: Volume) {
        self.messages += other.messages;
        self.failed += other.failed;
    }
}

impl Stats {
    fn add(&mut self, message: &Message) {
        self.messages += 1;
        if let Some(text) = message.mail.timestamp.as_deref() {
            if let Some(instant) = parse_timestamp(text) {
                self.see_time(instant, text);
                let failed = u64::from(select::any_verdict_failed(message));
                let hour = instant.as_second().div_euclid(3600);
                self.hours.entry(hour).or_default().add(Volume {
                    messages: 1,
                    failed,
                });
            }
        }
        self.verdicts.add(message);
        let receipt = message.receipt();
        if let Some(policy) = receipt.and_then(|r| r.dmarc_policy.as_deref()) {
            self.dmarc_policies.bump(policy);
        }
        let action = receipt
            .and_then(|r| r.action.as_ref())
            .and_then(|a| a.type_name())
            .unwrap_or(MISSING);
        self.actions.bump(action);
        if let Some(sender) = sender(message) {
            if let Some(domain) = mail::domain(&sender) {
                self.sender_domains.bump(&*domain);
            }
            if !self.senders.contains(&*sender) {
                self.senders.insert(sender.into_owned());
            }
        }
        if let Some(domain) = fields::from_domain(message) {
            self.from_domains.bump(&*domain);
        }
        for recipient in receipt
            .and_then(|r| r.recipients.as_ref())
            .map_or(&[][..], |r| &r.0[..])
        {
            self.recipients
                .bump(&*mail::lower_cased(Cow::Borrowed(recipient.trim())));
        }
        if let Some(ms) = receipt.and_then(|r| r.processing_time_millis) {
            self.processing_ms.bump(&ms);
        }
    }

    fn see_time(&mut self, instant: jiff::Timestamp, text: &str) {
        if self.first.as_ref().is_none_or(|(t, _)| instant < *t) {
            keep_time(&mut self.first, instant, text);
        }
        if self.last.as_ref().is_none_or(|(t, _)| instant > *t) {
            keep_time(&mut self.last, instant, text);
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
        add_counts(&mut self.from_domains, other.from_domains);
        self.senders.extend(other.senders);
        add_counts(&mut self.recipients, other.recipients);
        add_counts(&mut self.processing_ms, other.processing_ms);
        for (hour, volume) in other.hours {
            self.hours.entry(hour).or_default().add(volume);
        }
        self.sending.merge(other.sending);
    }

    /// The volume per hour, day or month (chosen by the span), every stretch from the first
    /// to the last, empty ones included.
    fn volume(&self) -> (Per, Vec<(i64, Volume)>) {
        let (Some(first), Some(last)) = (self.hours.keys().next(), self.hours.keys().next_back())
        else {
            return (Per::Hour, Vec::new());
        };
        let per = Per::for_span(last - first);
        let mut buckets: BTreeMap<i64, Volume> = (per.bucket(*first)..=per.bucket(*last))
            .map(|key| (key, Volume::default()))
            .collect();
        for (hour, volume) in &self.hours {
            buckets.entry(per.bucket(*hour)).or_default().add(*volume);
        }
        (per, buckets.into_iter().collect())
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
            "from_domains": top_counts(&self.from_domains, top),
            "recipients": top_counts(&self.recipients, top),
            "processing_ms": processing,
            "volume": self.volume_json(),
            "sending": self.sending.to_json(top),
        })
    }

    /// `{"per":"hour","buckets":[{"start":"…","messages":n,"failed":n},…]}`.
    fn volume_json(&self) -> Json {
        let (per, buckets) = self.volume();
        let buckets: Vec<Json> = buckets
            .iter()
            .map(|(key, volume)| {
                json!({
                    "start": per.start(*key).to_string(),
                    "messages": volume.messages,
                    "failed": volume.failed,
                })
            })
            .collect();
        json!({ "per": per.name(), "buckets": buckets })
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
            self.sending.write_tables(top, palette, width, out)?;
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
        let show = |kept: Option<&(jiff::Timestamp, String)>| {
            shown(kept.map(|(_, text)| text.as_str()), palette).into_owned()
        };
        let mut overview = Table::new(["", ""]);
        overview.push(["Messages".to_string(), self.messages.to_string()]);
        overview.push(["First".to_string(), show(self.first.as_ref())]);
        overview.push(["Last".to_string(), show(self.last.as_ref())]);
        if let (Some((first, _)), Some((last, _))) = (&self.first, &self.last) {
            let span = last.as_second() - first.as_second();
            overview.push(["Span".to_string(), span_text(span)]);
        }
        overview.push([
            "Distinct senders".to_string(),
            self.senders.len().to_string(),
        ]);
        overview.write(palette, width, out)?;
        if self.messages == 0 {
            return Ok(());
        }
        self.write_volume(palette, width, out)?;
        self.write_shares(palette, width, out)?;

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
        let mut lists = vec![
            ("DMARC policy", counts(&self.dmarc_policies)),
            ("Action", counts(&self.actions)),
        ];
        if top > 0 {
            lists.push(("Sender domain", top_counts(&self.sender_domains, top)));
            lists.push(("From domain", top_counts(&self.from_domains, top)));
            lists.push(("Recipient", top_counts(&self.recipients, top)));
        }
        for (title, counts) in lists {
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

    /// Messages per hour, day or month as bars, the failed ones stacked at the end: when did
    /// the failures start?
    fn write_volume(
        &self,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let (per, buckets) = self.volume();
        if buckets.is_empty() {
            return Ok(());
        }
        let passed = Shade::Status(Status::Pass);
        let failed = Shade::Status(Status::Fail);
        let bars: Vec<Bar> = buckets
            .iter()
            .map(|(key, volume)| Bar {
                label: per.label(*key),
                segments: vec![
                    (volume.messages - volume.failed, passed.clone()),
                    (volume.failed, failed.clone()),
                ],
                note: match volume.failed {
                    0 => volume.messages.to_string(),
                    n => format!(
                        "{} ({} failed)",
                        volume.messages,
                        palette.status(&Status::Fail, &n.to_string())
                    ),
                },
            })
            .collect();
        let title = [
            palette.bold(&format!("Messages per {} (UTC)", per.name())),
            passed.key("no verdict failed", palette),
            failed.key("a verdict failed", palette),
        ];
        writeln!(out)?;
        writeln!(out, "{}", wrap_parts(&title, width))?;
        chart::write(&bars, palette, width, out)
    }

    /// Each verdict's statuses as one stacked bar.
    fn write_shares(
        &self,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let mut seen: Vec<Shade> = Vec::new();
        let bars: Vec<Bar> = self
            .verdicts
            .iter()
            .map(|(verdict, counts)| {
                let segments = shares(counts);
                for (_, shade) in &segments {
                    if !seen.contains(shade) {
                        seen.push(shade.clone());
                    }
                }
                Bar {
                    label: verdict.label().to_string(),
                    note: share_note(counts, self.messages, palette),
                    segments,
                }
            })
            .collect();
        let mut title = vec![palette.bold("Verdicts")];
        for shade in &seen {
            let meaning = match shade {
                Shade::Status(status) => escaped(status.as_str(), Escaping::Display),
                Shade::Missing => "missing".to_string(),
            };
            title.push(shade.key(&meaning, palette));
        }
        writeln!(out)?;
        writeln!(out, "{}", wrap_parts(&title, width))?;
        chart::write(&bars, palette, width, out)
    }
}

/// A verdict's counts as segments, in display order (PASS first, missing last).
fn shares(counts: &StatusCounts) -> Vec<(u64, Shade)> {
    counts
        .sorted()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| {
            let shade = status.map_or(Shade::Missing, |s| Shade::Status(s.clone()));
            (n, shade)
        })
        .collect()
}

/// `88% PASS`: the share of the first status, or what is missing.
fn share_note(counts: &StatusCounts, messages: u64, palette: Palette) -> String {
    let pass = counts.get(Some(&Status::Pass));
    let percent = (pass * 100).checked_div(messages).unwrap_or(0);
    format!("{percent:>3}% {}", palette.status_name(&Status::Pass))
}

/// How finely the volume over time is counted, chosen by the span so that the chart stays short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Per {
    Hour,
    Day,
    Month,
}

impl Per {
    /// Per hour up to two days, per day up to two months, else per month.
    fn for_span(hours: i64) -> Per {
        if hours <= 48 {
            Per::Hour
        } else if hours <= 62 * 24 {
            Per::Day
        } else {
            Per::Month
        }
    }

    fn name(self) -> &'static str {
        match self {
            Per::Hour => "hour",
            Per::Day => "day",
            Per::Month => "month",
        }
    }

    /// The bucket an hour since the epoch falls in: hours, days since the epoch, or months
    /// since year 0.
    fn bucket(self, hour: i64) -> i64 {
        match self {
            Per::Hour => hour,
            Per::Day => hour.div_euclid(24),
            Per::Month => {
                let date = hour_start(hour)
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date();
                i64::from(date.year()) * 12 + i64::from(date.month()) - 1
            }
        }
    }

    /// When a bucket starts.
    fn start(self, key: i64) -> jiff::Timestamp {
        match self {
            Per::Hour => hour_start(key),
            Per::Day => hour_start(key * 24),
            Per::Month => {
                let (year, month) = (key.div_euclid(12), key.rem_euclid(12) + 1);
                jiff::civil::Date::new(year as i16, month as i8, 1)
                    .ok()
                    .and_then(|date| date.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
                    .map_or(jiff::Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp())
            }
        }
    }

    fn label(self, key: i64) -> String {
        let format = match self {
            Per::Hour => "%Y-%m-%d %H:00",
            Per::Day => "%Y-%m-%d",
            Per::Month => "%Y-%m",
        };
        self.start(key).strftime(format).to_string()
    }
}

fn hour_start(hour: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(hour * 3600).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// `3d 2h 25m`, `4h 10m`, `42s`.
fn span_text(seconds: i64) -> String {
    let (days, hours, minutes) = (seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds}s"),
        (0, 0, m) => format!("{m}m {}s", seconds % 60),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, m) => format!("{d}d {h}h {m}m"),
    }
}

/// Keeps `instant`, as written, in `slot`, reusing the text's memory: mail mostly comes in
/// time order, so the latest time changes with almost every message.
fn keep_time(slot: &mut Option<(jiff::Timestamp, String)>, instant: jiff::Timestamp, text: &str) {
    match slot {
        Some((kept, written)) => {
            *kept = instant;
            written.clear();
            written.push_str(text);
        }
        None => *slot = Some((instant, text.to_string())),
    }
}

fn parse_timestamp(text: &str) -> Option<jiff::Timestamp> {
    text.parse().ok().or_else(|| {
        // Seen in the wild: `2018-10-08T14:05:45 +0000`.
        text.replacen(' ', "", 1).parse().ok()
    })
}

/// The envelope sender (`mail.source`), or else the first From address, lower-cased.
fn sender<'m>(message: &'m Message<'_>) -> Option<Cow<'m, str>> {
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
    let address = mail::lower_cased(mail::first_address(raw)?);
    address.contains('@').then_some(address)
}

/// A map from keys to counts.
trait Counter<K> {
    /// The count of `key`, when it has one.
    fn count_mut<Q>(&mut self, key: &Q) -> Option<&mut u64>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord + Hash;

    /// Adds `n` to the count of `key`.
    fn add(&mut self, key: K, n: u64);

    /// Adds one to the count of `key`, copying the key only the first time it is seen: most
    /// keys recur, and looking one up costs less than making it.
    fn bump<Q>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord + Hash + ToOwned<Owned = K>,
    {
        match self.count_mut(key) {
            Some(n) => *n += 1,
            None => self.add(key.to_owned(), 1),
        }
    }
}

/// [`Counter`] for a map type: `BTreeMap` and `HashMap` have the same methods, but no trait of
/// them.
macro_rules! counter {
    ($map:ident, $($key_bound:tt)+) => {
        impl<K: $($key_bound)+> Counter<K> for $map<K, u64> {
            fn count_mut<Q>(&mut self, key: &Q) -> Option<&mut u64>
            where
                K: Borrow<Q>,
                Q: ?Sized + Ord + Hash,
            {
                self.get_mut(key)
            }

            fn add(&mut self, key: K, n: u64) {
                *self.entry(key).or_default() += n;
            }
        }
    };
}

counter!(BTreeMap, Ord);
counter!(HashMap, Hash + Eq);

fn add_counts<K>(into: &mut impl Counter<K>, from: impl IntoIterator<Item = (K, u64)>) {
    for (key, n) in from {
        into.add(key, n);
    }
}

/// The `top` largest counts, largest first, ties by name.
fn top_counts(counts: &HashMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut sorted: Vec<(String, u64)> = counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(top);
    sorted
}
