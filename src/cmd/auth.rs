//! `sesinspect auth`: what each message says about its own authentication —
//! Authentication-Results, Received-SPF, DKIM signatures, ARC sets — next to SES's verdicts, with
//! who added each header, SES's own headers' disagreements with its verdicts flagged, and notes on
//! what other servers' differing verdicts mean.

use std::borrow::Cow;
use std::io::Write as _;

use super::report::{self, Report, View, identity};
use super::{Env, Shown, reading};
use crate::cli::AuthArgs;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::mail::auth::{Added, AuthReport, Placed};
use crate::model::{Header, Message, Status, Verdict};
use crate::pipeline::Findings;
use crate::render::table::{MISSING, Table};
use crate::sanitize::{Escaping, escape_into, escaped_cow};

pub fn run(args: AuthArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = reading(&args.inputs, env, Shown::AsFound, false)?;
    report::run(&reading, Auth, args.format, false, env)
}

struct Auth;

/// The report on a message's headers (the values it reads have their encoded-words decoded).
fn examine(message: &Message, headers: &[Header]) -> AuthReport {
    AuthReport::examine(headers, message.receipt())
}

impl Report for Auth {
    const COLUMNS: &'static [&'static str] = &[
        "input",
        "ses_id",
        "authentication_results",
        "received_spf",
        "dkim_signatures",
        "arc",
        "verdicts",
        "disagreements",
        "notes",
    ];

    fn records(
        &self,
        message: &Message,
        headers: &[Header],
        _: &mut Findings,
        add: &mut dyn FnMut(&[Value]),
    ) {
        let report = examine(message, headers);
        // In COLUMNS order, after input and ses_id.
        let nested = [
            serde_json::to_value(&report.authentication_results),
            serde_json::to_value(&report.received_spf),
            serde_json::to_value(&report.dkim_signatures),
            serde_json::to_value(&report.arc),
            serde_json::to_value(&report.verdicts),
            serde_json::to_value(&report.disagreements),
            serde_json::to_value(&report.notes),
        ]
        .map(Result::unwrap_or_default);
        let input = message.origin.to_string();
        let mut values = identity(message, &input).to_vec();
        values.extend(nested.iter().map(Value::Json));
        add(&values);
    }

    fn block(
        &self,
        message: &Message,
        headers: &[Header],
        _: &mut Findings,
        view: View,
        out: &mut Vec<u8>,
    ) {
        self.body(message, &examine(message, headers), view, out);
    }
}

impl Auth {
    fn body(&self, message: &Message, report: &AuthReport, view: View, body: &mut Vec<u8>) {
        let palette = view.palette;
        let result = |r: &str| {
            let status = match r {
                "pass" => Status::Pass,
                "fail" | "softfail" | "hardfail" | "permerror" => Status::Fail,
                "neutral" | "none" | "temperror" | "policy" => Status::Gray,
                other => Status::Other(other.into()),
            };
            palette.status(&status, &shown(r))
        };
        let mut table = Table::new(["Source", "Method", "Result", "Details"]);
        for placed in &report.authentication_results {
            for r in &placed.header.results {
                let reason = r.reason.as_ref().map(|reason| format!("{reason:?}"));
                let properties = r.properties.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                let details = pairs(properties.chain(reason.as_deref().map(|r| ("reason", r))));
                table.push([
                    source("Authentication-Results", placed).into(),
                    shown(&r.method),
                    result(&r.result).into(),
                    shown(&details),
                ]);
            }
        }
        for placed in &report.received_spf {
            let spf = &placed.header;
            let details = present([
                ("client-ip", &spf.client_ip),
                ("envelope-from", &spf.envelope_from),
                ("helo", &spf.helo),
            ]);
            let details = pairs(details);
            table.push([
                source("Received-SPF", placed).into(),
                "spf".into(),
                result(&spf.result).into(),
                shown(&details),
            ]);
        }
        for dkim in &report.dkim_signatures {
            let mut tags: Vec<(&str, &str)> = present([
                ("d", &dkim.d),
                ("s", &dkim.s),
                ("a", &dkim.a),
                ("c", &dkim.c),
                ("t", &dkim.t),
                ("x", &dkim.x),
                ("bh", &dkim.bh),
                ("b", &dkim.b),
            ])
            .collect();
            tags.insert(2.min(tags.len()), ("h", &dkim.h));
            let details = pairs(tags);
            table.push([
                "DKIM-Signature".into(),
                "dkim".into(),
                palette.dim("signed").into(),
                shown(&details),
            ]);
        }
        for arc in &report.arc {
            let details = pairs(present([("d", &arc.d), ("s", &arc.s)]));
            table.push([
                format!(
                    "ARC-Seal i={}",
                    shown(arc.instance.as_deref().unwrap_or("?"))
                )
                .into(),
                "arc".into(),
                arc.cv
                    .as_deref()
                    .map_or_else(|| palette.dim(MISSING), |cv| result(&format!("cv={cv}")))
                    .into(),
                shown(&details),
            ]);
        }
        let verdicts = &report.verdicts;
        // Only received mail has SES verdicts.
        let received = message.receipt().is_some();
        for verdict in Verdict::ALL.into_iter().filter(|_| received) {
            let status = verdicts
                .get(verdict)
                .map_or_else(|| palette.dim(MISSING), |s| palette.status_name(s));
            let details = match (verdict, &verdicts.dmarc_policy) {
                (Verdict::Dmarc, Some(policy)) => format!("policy={}", shown(policy)).into(),
                _ => Cow::Borrowed(""),
            };
            table.push([
                "SES verdict".into(),
                verdict.name().into(),
                status.into(),
                details,
            ]);
        }
        // Writing into memory cannot fail.
        if table.is_empty() {
            body.extend_from_slice(palette.dim("no authentication headers\n").as_bytes());
        } else {
            let _ = table.write(palette, view.width, body);
        }
        if received && report.disagreements.is_empty() {
            body.extend_from_slice(palette.dim("no disagreements\n").as_bytes());
        }
        for disagreement in &report.disagreements {
            body.extend_from_slice(
                palette
                    .warning(&format!("⚠ {}", shown(disagreement)))
                    .as_bytes(),
            );
            body.push(b'\n');
        }
        for note in &report.notes {
            let _ = writeln!(body, "ℹ {}", shown(note));
        }
    }
}

/// Text for a cell, escaped (borrowed when nothing needed escaping).
fn shown(text: &str) -> Cow<'_, str> {
    escaped_cow(text, Escaping::Display)
}

/// The tags that are there, in order: `(name, value)`.
fn present<'v, const N: usize>(
    tags: [(&'v str, &'v Option<String>); N],
) -> impl Iterator<Item = (&'v str, &'v str)> + Clone {
    tags.into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|value| (name, value)))
}

/// `name=value` pairs, separated by spaces, in one string.
fn pairs<'v, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'v str, &'v str)>,
    I::IntoIter: Clone,
{
    let pairs = pairs.into_iter();
    let length = pairs
        .clone()
        .map(|(name, value)| name.len() + value.len() + 2);
    let mut text = String::with_capacity(length.sum());
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(value);
    }
    text
}

/// `Name #index (who, by SES)`: the header, its number among the message's headers, who added
/// it when it says so (escaped: a server named itself), and whether SES added it or it was there
/// before.
fn source<T>(name: &str, placed: &Placed<T>) -> String {
    let when = match placed.added {
        Added::BySes => Some("by SES"),
        Added::BeforeSes => Some("before SES"),
        Added::Unknown => None,
    };
    let mut text = format!("{name} #{}", placed.index);
    let mut about = placed.added_by.as_deref().into_iter().chain(when);
    if let Some(first) = about.next() {
        text.push_str(" (");
        escape_into(first, Escaping::Display, &mut text);
        for more in about {
            text.push_str(", ");
            text.push_str(more);
        }
        text.push(')');
    }
    text
}
