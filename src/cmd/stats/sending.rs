//! `stats` for sent mail: events by type, the bounce and complaint rates against SES's
//! thresholds (from the deliverability ledger), bounce types and status codes, domains, delivery
//! times, delays, opens, clicks and links, and contradictions worth a look.

use std::collections::BTreeMap;
use std::io::Write;

use foldhash::{HashMap, HashSet};
use serde_json::{Map, Value as Json, json};

use super::{Counter, add_counts, top_counts};
use crate::color::Palette;
use crate::deliverability::{
    self, BOUNCE_THRESHOLDS, COMPLAINT_THRESHOLDS, Counts, Ledger, MessageKey, Thresholds, percent,
};
use crate::mail;
use crate::model::{Message, Sending};
use crate::render::table::{MISSING, Table};
use crate::sanitize::{Escaping, escaped};

/// How a value absent from an event is named among the counts.
const MISSING_KEY: &str = "MISSING";

/// What `stats` counts about sending events, mergeable batch by batch: `"sending"` in JSON.
/// The ledger's pairs and the sets of opened and clicked messages grow with the input; every
/// other count is bounded by the distinct values it counts.
#[derive(Debug, Default)]
pub struct SendingStats {
    /// Events per type, as SES spells it.
    events: BTreeMap<String, u64>,
    ledger: Ledger,
    /// Bounce events per type and subtype.
    bounce_types: BTreeMap<String, BTreeMap<String, u64>>,
    /// Bounced recipients per enhanced status code.
    status_codes: HashMap<String, u64>,
    /// Bounced and complained recipients per domain.
    bounce_domains: HashMap<String, u64>,
    complaint_domains: HashMap<String, u64>,
    /// Complaint events per `complaintFeedbackType`.
    complaint_types: BTreeMap<String, u64>,
    delivery_ms: Histogram,
    /// DeliveryDelay events per `delayType`.
    delay_types: BTreeMap<String, u64>,
    opens: Engagements,
    clicks: Engagements,
    /// Clicks per link, without its query string and fragment.
    links: HashMap<String, u64>,
    /// Bounced recipients whose status contradicts the bounce type.
    transient_with_5xx: u64,
    permanent_with_4xx: u64,
}

/// Opens or clicks: how many, and of how many distinct messages.
#[derive(Debug, Default)]
struct Engagements {
    events: u64,
    messages: HashSet<MessageKey>,
}

impl Engagements {
    fn add(&mut self, message: &Message) {
        self.events += 1;
        if let Some(id) = message.mail.message_id.as_deref() {
            self.messages.insert(deliverability::message_key(id));
        }
    }

    fn merge(&mut self, other: Engagements) {
        self.events += other.events;
        self.messages.extend(other.messages);
    }

    fn to_json(&self) -> Json {
        json!({ "events": self.events, "messages": self.messages.len() })
    }
}

/// Times in milliseconds, counted exactly below 10 s and to three significant digits (rounded
/// down) above, so that the counts stay few whatever the times; the least and the most exact.
#[derive(Debug, Default)]
struct Histogram {
    counts: BTreeMap<u64, u64>,
    min: Option<u64>,
    max: Option<u64>,
}

impl Histogram {
    const EXACT_BELOW: u64 = 10_000;

    fn add(&mut self, ms: u64) {
        self.counts.bump(&Self::bucket(ms));
        self.min = self.min.min(Some(ms)).or(Some(ms));
        self.max = self.max.max(Some(ms));
    }

    fn bucket(ms: u64) -> u64 {
        if ms < Self::EXACT_BELOW {
            return ms;
        }
        let mut scale = 1;
        while ms / scale >= 1000 {
            scale *= 10;
        }
        ms / scale * scale
    }

    fn merge(&mut self, other: Histogram) {
        add_counts(&mut self.counts, other.counts);
        for ms in other.min.into_iter().chain(other.max) {
            self.min = self.min.min(Some(ms)).or(Some(ms));
            self.max = self.max.max(Some(ms));
        }
    }

    fn count(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The bucket at the nearest rank for `fraction` of the times.
    fn percentile(&self, fraction: f64) -> Option<u64> {
        let rank = ((fraction * self.count() as f64).ceil() as u64).max(1);
        let mut seen = 0;
        self.counts.iter().find_map(|(ms, n)| {
            seen += n;
            (seen >= rank).then_some(*ms)
        })
    }

    fn summary(&self) -> [(&'static str, Option<u64>); 6] {
        [
            ("min", self.min),
            ("median", self.percentile(0.5)),
            ("p90", self.percentile(0.9)),
            ("p95", self.percentile(0.95)),
            ("p99", self.percentile(0.99)),
            ("max", self.max),
        ]
    }

    fn to_json(&self) -> Json {
        let mut map = Map::new();
        map.insert("count".to_string(), self.count().into());
        for (name, ms) in self.summary() {
            map.insert(name.to_string(), ms.into());
        }
        map.into()
    }
}

impl SendingStats {
    pub fn add(&mut self, message: &Message, sending: &Sending) {
        self.events.bump(sending.type_name());
        self.ledger.add(message, sending);
        match sending {
            Sending::Bounce(bounce) => {
                let kind = bounce.bounce_type.as_deref();
                self.bounce_types
                    .entry(kind.unwrap_or(MISSING_KEY).to_string())
                    .or_default()
                    .bump(bounce.bounce_sub_type.as_deref().unwrap_or(MISSING_KEY));
                for recipient in message.recipients() {
                    if let Some(domain) = recipient.address.and_then(mail::domain) {
                        self.bounce_domains.bump(&*domain);
                    }
                    let Some(code) =
                        deliverability::status_code(recipient.status, recipient.diagnostic_code)
                    else {
                        continue;
                    };
                    match (kind, code.as_bytes()[0]) {
                        (Some("Transient"), b'5') => self.transient_with_5xx += 1,
                        (Some("Permanent"), b'4') => self.permanent_with_4xx += 1,
                        _ => {}
                    }
                    self.status_codes.add(code, 1);
                }
            }
            Sending::Complaint(complaint) => {
                let kind = complaint.complaint_feedback_type.as_deref();
                self.complaint_types.bump(kind.unwrap_or(MISSING_KEY));
                for recipient in message.recipients() {
                    if let Some(domain) = recipient.address.and_then(mail::domain) {
                        self.complaint_domains.bump(&*domain);
                    }
                }
            }
            Sending::Delivery(delivery) => {
                if let Some(ms) = delivery.processing_time_millis {
                    self.delivery_ms.add(ms);
                }
            }
            Sending::DeliveryDelay(delay) => {
                let kind = delay.delay_type.as_deref();
                self.delay_types.bump(kind.unwrap_or(MISSING_KEY));
            }
            Sending::Open(_) => self.opens.add(message),
            Sending::Click(click) => {
                self.clicks.add(message);
                if let Some(link) = click.link.as_deref() {
                    self.links.bump(link_without_query(link));
                }
            }
            _ => {}
        }
    }

    pub fn merge(&mut self, other: SendingStats) {
        add_counts(&mut self.events, other.events);
        self.ledger.merge(other.ledger);
        for (kind, subtypes) in other.bounce_types {
            add_counts(self.bounce_types.entry(kind).or_default(), subtypes);
        }
        add_counts(&mut self.status_codes, other.status_codes);
        add_counts(&mut self.bounce_domains, other.bounce_domains);
        add_counts(&mut self.complaint_domains, other.complaint_domains);
        add_counts(&mut self.complaint_types, other.complaint_types);
        self.delivery_ms.merge(other.delivery_ms);
        add_counts(&mut self.delay_types, other.delay_types);
        self.opens.merge(other.opens);
        self.clicks.merge(other.clicks);
        add_counts(&mut self.links, other.links);
        self.transient_with_5xx += other.transient_with_5xx;
        self.permanent_with_4xx += other.permanent_with_4xx;
    }

    pub fn total(&self) -> u64 {
        self.events.values().sum()
    }

    pub fn to_json(&self, top: usize) -> Json {
        let counts = self.ledger.counts();
        let thresholds = |t: Thresholds| json!({ "review": t.review, "paused": t.paused });
        let status_codes: Vec<Json> = top_counts(&self.status_codes, top)
            .into_iter()
            .map(|(code, n)| {
                json!({
                    "code": code,
                    "meaning": deliverability::status_meaning(&code),
                    "recipients": n,
                })
            })
            .collect();
        json!({
            "events": self.events,
            "messages": counts.messages,
            "events_without_message_id": counts.without_message_id,
            "sent": counts.sent,
            "hard_bounces": counts.hard_bounces,
            "soft_bounces": counts.soft_bounces,
            "complaints": counts.complaints,
            "bounce_rate": counts.bounce_rate(),
            "complaint_rate": counts.complaint_rate(),
            "thresholds": {
                "bounce_rate": thresholds(BOUNCE_THRESHOLDS),
                "complaint_rate": thresholds(COMPLAINT_THRESHOLDS),
            },
            "bounce_types": self.bounce_types,
            "status_codes": status_codes,
            "bounce_domains": top_counts(&self.bounce_domains, top),
            "complaint_domains": top_counts(&self.complaint_domains, top),
            "complaint_types": self.complaint_types,
            "delivery_ms": self.delivery_ms.to_json(),
            "delay_types": self.delay_types,
            "opens": self.opens.to_json(),
            "clicks": self.clicks.to_json(),
            "links": top_counts(&self.links, top),
            "contradictions": {
                "transient_with_5xx": self.transient_with_5xx,
                "permanent_with_4xx": self.permanent_with_4xx,
                "delivered_and_bounced": counts.delivered_and_bounced,
            },
        })
    }

    pub fn write_tables(
        &self,
        top: usize,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let mut table = Table::new(["Sending event", "Events"]).numbers_right();
        for (name, n) in &self.events {
            table.push([escaped(name, Escaping::Display), n.to_string()]);
        }
        table.push([palette.bold("Total"), self.total().to_string()]);
        table.write(palette, width, out)?;

        let counts = self.ledger.counts();
        let mut overview = Table::new(["", ""]).numbers_right();
        for (name, n) in [
            ("Messages", counts.messages),
            ("Sent (message, recipient)", counts.sent),
            ("Hard bounces", counts.hard_bounces),
            ("Soft bounces", counts.soft_bounces),
            ("Complaints", counts.complaints),
        ] {
            overview.push([name.to_string(), n.to_string()]);
        }
        if counts.without_message_id > 0 {
            overview.push([
                "Events without a message id".to_string(),
                counts.without_message_id.to_string(),
            ]);
        }
        writeln!(out)?;
        overview.write(palette, width, out)?;
        self.write_rates(&counts, palette, width, out)?;

        let mut bounces = Table::new(["Bounce type/subtype", "Events"]).numbers_right();
        for (kind, subtypes) in &self.bounce_types {
            for (subtype, n) in subtypes {
                bounces.push([
                    escaped(&format!("{kind}/{subtype}"), Escaping::Display),
                    n.to_string(),
                ]);
            }
        }
        let mut codes =
            Table::new(["Status code: meaning (RFC 3463)", "Recipients"]).numbers_right();
        for (code, n) in top_counts(&self.status_codes, top) {
            let meaning = deliverability::status_meaning(&code);
            codes.push([
                escaped(&format!("{code}: {meaning}"), Escaping::Display),
                n.to_string(),
            ]);
        }
        let mut engagement = Table::new(["Engagement", "Events", "Messages"]).numbers_right();
        for (name, engagements) in [("Opens", &self.opens), ("Clicks", &self.clicks)] {
            engagement.push([
                name.to_string(),
                engagements.events.to_string(),
                engagements.messages.len().to_string(),
            ]);
        }
        let mut times = Table::new(["Delivery (ms)", "min", "median", "p90", "p95", "p99", "max"])
            .numbers_right();
        let mut row = vec![String::new()];
        row.extend(
            self.delivery_ms
                .summary()
                .iter()
                .map(|(_, ms)| ms.map_or_else(|| palette.dim(MISSING), |v| v.to_string())),
        );
        times.push(row);
        let mut contradictions = Table::new(["Worth a look", "Count"]).numbers_right();
        for (name, n) in [
            (
                "Transient bounce with a 5.x.x status",
                self.transient_with_5xx,
            ),
            (
                "Permanent bounce with a 4.x.x status",
                self.permanent_with_4xx,
            ),
            (
                "Delivered and bounced (Permanent)",
                counts.delivered_and_bounced,
            ),
        ] {
            contradictions.push([name.to_string(), n.to_string()]);
        }
        let lists = [
            (
                "Bounce domain",
                "Recipients",
                top_counts(&self.bounce_domains, top),
            ),
            (
                "Complaint domain",
                "Recipients",
                top_counts(&self.complaint_domains, top),
            ),
            ("Complaint type", "Events", listed(&self.complaint_types)),
            ("Delay type", "Events", listed(&self.delay_types)),
            ("Link", "Clicks", top_counts(&self.links, top)),
        ];
        let mut tables = vec![bounces, codes];
        for (title, unit, counts) in lists {
            let mut table = Table::new([title, unit]).numbers_right();
            for (name, n) in counts {
                table.push([escaped(&name, Escaping::Display), n.to_string()]);
            }
            tables.push(table);
        }
        if self.opens.events + self.clicks.events > 0 {
            tables.push(engagement);
        }
        if self.delivery_ms.count() > 0 {
            tables.push(times);
        }
        tables.push(contradictions);
        for table in tables.iter().filter(|t| !t.is_empty()) {
            writeln!(out)?;
            table.write(palette, width, out)?;
        }
        Ok(())
    }

    /// Both rates beside SES's thresholds, a warning for each one reached, and the caveat.
    fn write_rates(
        &self,
        counts: &Counts,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let (Some(bounce_rate), Some(complaint_rate)) =
            (counts.bounce_rate(), counts.complaint_rate())
        else {
            return Ok(());
        };
        let rates = [
            (
                "Bounce rate",
                bounce_rate,
                counts.hard_bounces,
                BOUNCE_THRESHOLDS,
            ),
            (
                "Complaint rate",
                complaint_rate,
                counts.complaints,
                COMPLAINT_THRESHOLDS,
            ),
        ];
        let mut table =
            Table::new(["Rate", "Value", "Of sent", "Review at", "Paused at"]).numbers_right();
        let mut warnings = Vec::new();
        for (name, rate, n, thresholds) in rates {
            table.push([
                name.to_string(),
                percent(rate),
                format!("{n} of {}", counts.sent),
                percent(thresholds.review),
                percent(thresholds.paused),
            ]);
            if rate >= thresholds.paused {
                warnings.push(format!(
                    "Warning: the {} of {} is at or over {}: SES may pause sending.",
                    name.to_lowercase(),
                    percent(rate),
                    percent(thresholds.paused)
                ));
            } else if rate >= thresholds.review {
                warnings.push(format!(
                    "Warning: the {} of {} is at or over {}: SES places the account under review.",
                    name.to_lowercase(),
                    percent(rate),
                    percent(thresholds.review)
                ));
            }
        }
        writeln!(out)?;
        table.write(palette, width, out)?;
        for warning in warnings {
            writeln!(out, "{}", palette.warning(&warning))?;
        }
        writeln!(
            out,
            "{}",
            palette.dim("These are the rates of the events read; SES computes")
        )?;
        writeln!(
            out,
            "{}",
            palette.dim("its own over a representative volume of your recent sending.")
        )
    }
}

/// `https://example.org/news?u=1#top` → `https://example.org/news`: one link however each
/// recipient's copy is tagged.
fn link_without_query(link: &str) -> &str {
    link.split(['?', '#']).next().unwrap_or(link)
}

/// The counts of a map, in its order.
fn listed(map: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    map.iter().map(|(k, n)| (k.clone(), *n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_times_are_exact_below_ten_seconds_and_three_digits_above() {
        assert_eq!(Histogram::bucket(9_999), 9_999);
        assert_eq!(Histogram::bucket(10_000), 10_000);
        assert_eq!(Histogram::bucket(12_345), 12_300);
        assert_eq!(Histogram::bucket(98_765_432), 98_700_000);
        let mut times = Histogram::default();
        for ms in [12_345, 400, 7, 86_400_123] {
            times.add(ms);
        }
        let mut more = Histogram::default();
        more.add(3);
        times.merge(more);
        assert_eq!(times.count(), 5);
        assert_eq!(times.min, Some(3));
        assert_eq!(times.max, Some(86_400_123), "the extremes stay exact");
        assert_eq!(times.percentile(0.5), Some(400));
        assert_eq!(times.percentile(0.8), Some(12_300));
    }

    #[test]
    fn a_link_is_counted_without_its_query_and_fragment() {
        assert_eq!(
            link_without_query("https://example.org/a?u=1#x"),
            "https://example.org/a"
        );
        assert_eq!(
            link_without_query("https://example.org/b#x"),
            "https://example.org/b"
        );
        assert_eq!(
            link_without_query("https://example.org/c"),
            "https://example.org/c"
        );
    }
}
