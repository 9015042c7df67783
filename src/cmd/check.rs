//! `sesinspect check`: a gate for CI. Every received message must have each required verdict
//! PASS (or an allowed status); no sent message may have bounced, drawn a complaint, been
//! rejected or failed to render (unless that type or bounce type is allowed); the bounce and
//! complaint rates (from the deliverability ledger) must stay under their limits when given.
//! Exit 1 names the events and rates that fail, exit 2 beats it on bad input, and a run that
//! checked nothing (or a rate over nothing sent) fails too.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use super::{Env, Shown, reading};
use crate::cli::{AllowArg, CheckArgs};
use crate::color::Palette;
use crate::deliverability::{Counts, Ledger, percent};
use crate::exit::Outcome;
use crate::model::{Message, Sending, Status, UNREADABLE_STATUS, Verdict};
use crate::origin::Origin;
use crate::outcome;
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::table::shown;
use crate::sanitize::{Escaping, escaped, escaped_cow};

/// How a verdict absent from the event is named.
const ABSENT: &str = "MISSING";

pub fn run(args: CheckArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let shown = match args.format {
        _ if args.quiet => Shown::Never,
        Format::Json => Shown::AtEnd,
        _ => Shown::AsFound,
    };
    let reading = reading(&args.inputs, env, shown, false)?;
    let mut required: Vec<Verdict> = Vec::new();
    for verdict in args.require {
        if !required.contains(&verdict) {
            required.push(verdict);
        }
    }
    let format = (!args.quiet).then_some(args.format);
    let mut check = Check {
        format,
        palette: env.palette,
        required,
        accepted: vec![Some(Status::Pass)],
        allowed_types: Vec::new(),
        allowed_bounces: Vec::new(),
        rates: args.max_bounce_rate.is_some() || args.max_complaint_rate.is_some(),
    };
    // A rate gate judges bounces or complaints together, not one by one.
    if args.max_bounce_rate.is_some() {
        check.allowed_types.push("Bounce");
    }
    if args.max_complaint_rate.is_some() {
        check.allowed_types.push("Complaint");
    }
    for allow in &args.allow {
        match allow {
            AllowArg::Gray => check.accepted.push(Some(Status::Gray)),
            AllowArg::Disabled => check.accepted.push(Some(Status::Disabled)),
            AllowArg::ProcessingFailed => check.accepted.push(Some(Status::ProcessingFailed)),
            AllowArg::Missing => check.accepted.push(None),
            AllowArg::Bounce => check.allowed_types.push("Bounce"),
            AllowArg::Complaint => check.allowed_types.push("Complaint"),
            AllowArg::Reject => check.allowed_types.push("Reject"),
            AllowArg::RenderingFailure => check.allowed_types.push("Rendering Failure"),
            AllowArg::DeliveryDelay => check.allowed_types.push("DeliveryDelay"),
            AllowArg::Permanent => check.allowed_bounces.push("Permanent"),
            AllowArg::Transient => check.allowed_bounces.push("Transient"),
            AllowArg::Undetermined => check.allowed_bounces.push("Undetermined"),
        }
    }
    let check = Arc::new(check);
    let palette = env.palette;
    let out = &mut env.stdout.writer;
    let mut report = Report::default();
    // Only the JSON report needs every failure at the end: a list of their JSON, each followed
    // by a comma until the list is closed.
    let mut failures = vec![b'['];
    let mut ledger = Ledger::default();
    pipeline::run(
        &reading,
        Arc::clone(&check),
        &mut env.reporter,
        |delivery: Delivery<Part>| {
            ledger.merge(delivery.part.ledger);
            report.checked += delivery.part.checked;
            report.failed += delivery.part.failed;
            match format {
                Some(Format::Json) => failures.extend_from_slice(&delivery.part.written),
                _ => out.write_all(&delivery.part.written)?,
            }
            Ok(())
        },
    )?;
    if format == Some(Format::Json) {
        if failures.last() == Some(&b',') {
            failures.pop();
        }
        failures.push(b']');
        report.failures = Some(RawValue::from_string(String::from_utf8(failures)?)?);
    }
    let counts = ledger.counts();
    if counts.sent > 0 {
        let limits = [
            (RateName::Bounce, args.max_bounce_rate),
            (RateName::Complaint, args.max_complaint_rate),
        ];
        for (name, limit) in limits {
            if let Some(limit) = limit {
                report.rates.push(RateCheck::of(name, &counts, limit));
            }
        }
    }
    match format {
        Some(Format::Text) => {
            for rate in &report.rates {
                writeln!(out, "{}", rate.line(palette))?;
            }
            write!(out, "{} checked, {} failed", report.checked, report.failed)?;
            if !report.rates.is_empty() {
                let over = report.rates.iter().filter(|rate| rate.failed).count();
                write!(
                    out,
                    "; {over} of {} rates at or over the limit",
                    report.rates.len()
                )?;
            }
            writeln!(out)?
        }
        Some(Format::Ndjson) => {
            for rate in &report.rates {
                serde_json::to_writer(&mut *out, rate)?;
                writeln!(out)?;
            }
            serde_json::to_writer(&mut *out, &Totals::of(&report))?;
            writeln!(out)?;
        }
        Some(Format::Json) => {
            serde_json::to_writer(&mut *out, &report)?;
            writeln!(out)?;
        }
        _ => {}
    }
    out.flush()?;
    if report.checked == 0 && !env.reporter.failed() {
        env.reporter
            .note("no message was checked, and a check of nothing does not pass");
        return Ok(Outcome::Trouble);
    }
    if check.rates && counts.sent == 0 && !env.reporter.failed() {
        env.reporter.note(
            "no message in the input was sent to anyone, and a rate over nothing does not pass",
        );
        return Ok(Outcome::Trouble);
    }
    let rate_failed = report.rates.iter().any(|rate| rate.failed);
    Ok(match env.outcome() {
        Outcome::Success if report.failed > 0 || rate_failed => Outcome::CheckFailed,
        outcome => outcome,
    })
}

struct Check {
    /// How failures are written (as they are found, on the pipeline's threads); none with
    /// `--quiet`.
    format: Option<Format>,
    palette: Palette,
    required: Vec<Verdict>,
    /// Statuses that pass; `None` (the verdict is missing) when allowed.
    accepted: Vec<Option<Status<'static>>>,
    /// Sending event types that pass although they would fail.
    allowed_types: Vec<&'static str>,
    /// Bounce types (`bounceType`) that pass.
    allowed_bounces: Vec<&'static str>,
    /// Whether a rate is checked: the sending events then go into the ledger.
    rates: bool,
}

#[derive(Default)]
struct Part {
    checked: usize,
    failed: usize,
    /// The failures written in the format asked for (for the JSON report, each failure's JSON
    /// followed by a comma).
    written: Vec<u8>,
    ledger: Ledger,
}

/// The JSON report: `{"checked":N,"failed":M,"failures":[…]}`, and `"rates":[…]` when a rate
/// limit is given.
#[derive(Default, Serialize)]
struct Report {
    checked: usize,
    failed: usize,
    failures: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rates: Vec<RateCheck>,
}

/// Which rate a limit is for.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum RateName {
    Bounce,
    Complaint,
}

/// A rate against its limit: `{"rate":"bounce","value":0.2,"count":1,"sent":5,"limit":0.05,
/// "failed":true}` (`count` is the hard bounces or the complaints).
#[derive(Debug, Serialize)]
struct RateCheck {
    rate: RateName,
    value: f64,
    count: u64,
    sent: u64,
    limit: f64,
    failed: bool,
}

impl RateCheck {
    /// The rate `name` of `counts` (of which `sent` is not 0) against `limit`.
    fn of(name: RateName, counts: &Counts, limit: f64) -> RateCheck {
        let (count, value) = match name {
            RateName::Bounce => (counts.hard_bounces, counts.bounce_rate()),
            RateName::Complaint => (counts.complaints, counts.complaint_rate()),
        };
        let value = value.unwrap_or_default();
        RateCheck {
            rate: name,
            value,
            count,
            sent: counts.sent,
            limit,
            failed: value >= limit,
        }
    }

    /// `bounce rate 20% (1 hard bounce of 5 sent) is at or over the limit 5%`.
    fn line(&self, palette: Palette) -> String {
        let (rate, what) = match (self.rate, self.count) {
            (RateName::Bounce, 1) => ("bounce rate", "hard bounce"),
            (RateName::Bounce, _) => ("bounce rate", "hard bounces"),
            (RateName::Complaint, 1) => ("complaint rate", "complaint"),
            (RateName::Complaint, _) => ("complaint rate", "complaints"),
        };
        let verdict = if self.failed {
            palette.severity(outcome::Severity::Bad, "is at or over the limit")
        } else {
            palette.severity(outcome::Severity::Good, "is under the limit")
        };
        format!(
            "{rate} {} ({} {what} of {} sent) {verdict} {}",
            percent(self.value),
            self.count,
            self.sent,
            percent(self.limit)
        )
    }
}

/// The last NDJSON line: `{"checked":N,"failed":M}`.
#[derive(Serialize)]
struct Totals {
    checked: usize,
    failed: usize,
}

impl Totals {
    fn of(report: &Report) -> Totals {
        Totals {
            checked: report.checked,
            failed: report.failed,
        }
    }
}

/// An event that failed, and why.
#[derive(Serialize)]
struct Failure<'m> {
    #[serde(serialize_with = "as_text")]
    input: &'m Origin,
    ses_id: Option<&'m str>,
    subject: Option<&'m str>,
    #[serde(flatten)]
    reason: Reason<'m>,
}

/// An origin as its text.
fn as_text<S: Serializer>(origin: &&Origin, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(origin)
}

/// Why an event failed.
#[derive(Serialize)]
#[serde(untagged)]
enum Reason<'m> {
    /// A received message: the verdicts that failed it.
    Verdicts { verdicts: Failed<'m> },
    /// A sent message: the event, and its outcome in words for people.
    Sending {
        event_type: &'m str,
        #[serde(skip_serializing_if = "Option::is_none")]
        bounce_type: Option<&'m str>,
        recipients: Vec<&'m str>,
        #[serde(skip)]
        outcome: outcome::Outcome,
    },
}

/// The verdicts that failed, with their statuses (`None`: missing), in the order required.
struct Failed<'m>(Vec<(Verdict, Option<&'m Status<'m>>)>);

/// `{"spf":"FAIL","dmarc":"MISSING"}`.
impl Serialize for Failed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (verdict, status) in &self.0 {
            map.serialize_entry(verdict.name(), status.map_or(ABSENT, Status::as_str))?;
        }
        map.end()
    }
}

impl Collect for Check {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part, _: &mut Findings) {
        part.checked += 1;
        if let Some(sending) = message.sending().filter(|_| self.rates) {
            part.ledger.add(message, sending);
        }
        let reason = match message.sending() {
            None => self.failed_verdicts(message),
            Some(sending) => self.failed_sending(message, sending),
        };
        let Some(reason) = reason else { return };
        part.failed += 1;
        let failure = Failure {
            input: &message.origin,
            ses_id: message.mail.message_id.as_deref(),
            subject: message
                .mail
                .common_headers
                .as_ref()
                .and_then(|c| c.subject.as_deref()),
            reason,
        };
        let out = &mut part.written;
        match self.format {
            Some(Format::Text) => failure.write_line(self.palette, out),
            Some(Format::Ndjson) => {
                // Writing into memory cannot fail.
                let _ = serde_json::to_writer(&mut *out, &failure);
                out.push(b'\n');
            }
            Some(Format::Json) => {
                let _ = serde_json::to_writer(&mut *out, &failure);
                out.push(b',');
            }
            _ => {}
        }
    }
}

impl Check {
    /// The required verdicts that are not accepted, if any.
    fn failed_verdicts<'m>(&self, message: &'m Message) -> Option<Reason<'m>> {
        // A verdict that could not be read never passes, whatever is accepted.
        let failed: Vec<(Verdict, Option<&Status>)> = self
            .required
            .iter()
            .map(|&verdict| (verdict, message.verdict_as_read(verdict)))
            .filter(|&(_, status)| {
                status == Some(&UNREADABLE_STATUS)
                    || !self.accepted.iter().any(|a| a.as_ref() == status)
            })
            .collect();
        (!failed.is_empty()).then_some(Reason::Verdicts {
            verdicts: Failed(failed),
        })
    }

    /// A Bounce, Complaint, Reject or Rendering Failure that is not allowed.
    fn failed_sending<'m>(&self, message: &'m Message, sending: &'m Sending) -> Option<Reason<'m>> {
        let bounce_type = match sending {
            Sending::Bounce(bounce) => bounce.bounce_type.as_deref(),
            Sending::Complaint(_) | Sending::Reject(_) | Sending::RenderingFailure(_) => None,
            _ => return None,
        };
        let type_name = sending.type_name();
        if self.allowed_types.contains(&type_name)
            || bounce_type.is_some_and(|t| self.allowed_bounces.contains(&t))
        {
            return None;
        }
        let recipients = message.recipients();
        Some(Reason::Sending {
            event_type: type_name,
            bounce_type,
            recipients: recipients.iter().filter_map(|r| r.address).collect(),
            outcome: outcome::of(sending, &recipients),
        })
    }
}

impl Failure<'_> {
    /// Writes `events.json:3  ab12…  spf=FAIL dmarc=MISSING  Subject text`, or for a sent
    /// message `events.json:4  0100…  Bounce: Permanent/General 5.1.1 …  jane@example.com
    /// Subject`, escaped for a terminal, and a newline.
    fn write_line(&self, palette: Palette, out: &mut Vec<u8>) {
        let input = self.input.to_string();
        // Writing into memory cannot fail.
        let _ = write!(
            out,
            "{}  {}  ",
            escaped_cow(&input, Escaping::Display),
            shown(self.ses_id, palette)
        );
        match &self.reason {
            Reason::Verdicts { verdicts } => {
                for (i, (verdict, status)) in verdicts.0.iter().enumerate() {
                    let separator = if i > 0 { " " } else { "" };
                    let shown = status.map_or_else(|| ABSENT.into(), |s| palette.status_name(s));
                    let _ = write!(out, "{separator}{}={shown}", verdict.name());
                }
            }
            Reason::Sending {
                event_type,
                recipients,
                outcome,
                ..
            } => {
                let what = palette.severity(
                    outcome.severity,
                    &escaped(
                        &format!("{event_type}: {}", outcome.words),
                        Escaping::Display,
                    ),
                );
                let to = (!recipients.is_empty()).then(|| recipients.join(", "));
                let _ = write!(out, "{what}  {}", shown(to.as_deref(), palette));
            }
        }
        let _ = writeln!(out, "  {}", shown(self.subject, palette));
    }
}
