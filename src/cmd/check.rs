//! `sesinspect check`: a gate for CI. Every message must have each required verdict PASS (or an
//! allowed status); exit 1 names the ones that do not, exit 2 beats it on bad input, and a run
//! that checked nothing fails too.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use super::{Env, selection};
use crate::cli::{AllowArg, CheckArgs, ReportFormatArg};
use crate::exit::Outcome;
use crate::fields::{self, Value};
use crate::model::{Message, Status};
use crate::pipeline::{self, Collect, Delivery, Found};
use crate::render::table::MISSING;
use crate::sanitize::{Escaping, escaped};
use crate::tally::status_of;

/// How a verdict absent from the event is named.
const ABSENT: &str = "MISSING";

pub fn run(args: CheckArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs)?;
    let mut required: Vec<&'static str> = Vec::new();
    for name in &args.require {
        if let Some(field) = fields::find(name) {
            if !required.contains(&field.name) {
                required.push(field.name);
            }
        }
    }
    let mut accepted = vec!["PASS"];
    accepted.extend(args.allow.iter().map(|allow| match allow {
        AllowArg::Gray => "GRAY",
        AllowArg::Disabled => "DISABLED",
        AllowArg::ProcessingFailed => "PROCESSING_FAILED",
        AllowArg::Missing => ABSENT,
    }));
    let check = Arc::new(Check { required, accepted });
    let text = args.format == ReportFormatArg::Text && !args.quiet;
    let json = args.format == ReportFormatArg::Json && !args.quiet;
    let palette = env.palette;
    let out = &mut env.stdout.writer;
    let mut report = Report::default();
    pipeline::run(
        &reading,
        Arc::clone(&check),
        &mut env.reporter,
        |delivery: Delivery<Part>| {
            report.checked += delivery.part.checked;
            report.failed += delivery.part.failures.len();
            for failure in delivery.part.failures {
                if text {
                    writeln!(out, "{}", failure.line(palette))?;
                } else if json {
                    // Only the JSON report needs every failure at the end.
                    report.failures.push(failure);
                }
            }
            Ok(())
        },
    )?;
    if text {
        writeln!(out, "{} checked, {} failed", report.checked, report.failed)?;
    } else if json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    }
    out.flush()?;
    if report.checked == 0 && !env.reporter.failed() {
        env.reporter
            .note("no message was checked, and a check of nothing does not pass");
        return Ok(Outcome::Trouble);
    }
    Ok(match env.outcome() {
        Outcome::Success if report.failed > 0 => Outcome::CheckFailed,
        outcome => outcome,
    })
}

struct Check {
    required: Vec<&'static str>,
    /// Statuses that pass, `MISSING` included when allowed.
    accepted: Vec<&'static str>,
}

#[derive(Default)]
struct Part {
    checked: usize,
    failures: Vec<Failure>,
}

#[derive(Default, Serialize)]
struct Report {
    checked: usize,
    failed: usize,
    failures: Vec<Failure>,
}

/// A message that failed, with the verdicts that failed it (status, or `MISSING`).
#[derive(Serialize)]
struct Failure {
    input: String,
    ses_id: Option<String>,
    subject: Option<String>,
    verdicts: serde_json::Map<String, serde_json::Value>,
}

impl Collect for Check {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part, _: &mut Found) {
        part.checked += 1;
        let mut verdicts = serde_json::Map::new();
        for name in &self.required {
            let status = message
                .verdict(name)
                .map_or(ABSENT, Status::as_str)
                .to_string();
            if !self.accepted.contains(&status.as_str()) {
                verdicts.insert(name.to_string(), status.into());
            }
        }
        if !verdicts.is_empty() {
            let text = |name| match fields::find(name).map(|f| (f.get)(message)) {
                Some(Value::Text(text)) => Some(text.to_string()),
                _ => None,
            };
            part.failures.push(Failure {
                input: message.origin.to_string(),
                ses_id: text("ses_id"),
                subject: text("subject"),
                verdicts,
            });
        }
    }
}

impl Failure {
    /// `events.json:3  ab12…  spf=FAIL dmarc=MISSING  Subject text`, escaped for a terminal.
    fn line(&self, palette: crate::color::Palette) -> String {
        let show = |text: &Option<String>| {
            text.as_deref()
                .map_or_else(|| palette.dim(MISSING), |t| escaped(t, Escaping::Display))
        };
        let verdicts: Vec<String> = self
            .verdicts
            .iter()
            .map(|(name, status)| {
                let status = status.as_str().unwrap_or_default();
                let shown = escaped(status, Escaping::Display);
                format!("{name}={}", palette.status(&status_of(status), &shown))
            })
            .collect();
        format!(
            "{}  {}  {}  {}",
            escaped(&self.input, Escaping::Display),
            show(&self.ses_id),
            verdicts.join(" "),
            show(&self.subject)
        )
    }
}
