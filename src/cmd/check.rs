//! `sesinspect check`: a gate for CI. Every message must have each required verdict PASS (or an
//! allowed status); exit 1 names the ones that do not, exit 2 beats it on bad input, and a run
//! that checked nothing fails too.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Env, Shown, reading};
use crate::cli::{AllowArg, CheckArgs};
use crate::color::Palette;
use crate::exit::Outcome;
use crate::model::{Message, Status, Verdict};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::table::MISSING;
use crate::sanitize::{Escaping, escaped};

/// How a verdict absent from the event is named.
const ABSENT: &str = "MISSING";

pub fn run(args: CheckArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let shown = match args.format {
        _ if args.quiet => Shown::Never,
        Format::Json => Shown::AtEnd,
        _ => Shown::AsFound,
    };
    let reading = reading(&args.inputs, env, shown)?;
    let mut required: Vec<Verdict> = Vec::new();
    for verdict in args.require {
        if !required.contains(&verdict) {
            required.push(verdict);
        }
    }
    let mut accepted = vec![Some(Status::Pass)];
    accepted.extend(args.allow.iter().map(|allow| match allow {
        AllowArg::Gray => Some(Status::Gray),
        AllowArg::Disabled => Some(Status::Disabled),
        AllowArg::ProcessingFailed => Some(Status::ProcessingFailed),
        AllowArg::Missing => None,
    }));
    let check = Arc::new(Check { required, accepted });
    let format = (!args.quiet).then_some(args.format);
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
                match format {
                    Some(Format::Text) => writeln!(out, "{}", failure.line(palette))?,
                    Some(Format::Ndjson) => {
                        serde_json::to_writer(&mut *out, &failure)?;
                        writeln!(out)?;
                    }
                    // Only the JSON report needs every failure at the end.
                    Some(Format::Json) => report.failures.push(failure),
                    _ => {}
                }
            }
            Ok(())
        },
    )?;
    match format {
        Some(Format::Text) => {
            writeln!(out, "{} checked, {} failed", report.checked, report.failed)?
        }
        Some(Format::Ndjson) => {
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
    Ok(match env.outcome() {
        Outcome::Success if report.failed > 0 => Outcome::CheckFailed,
        outcome => outcome,
    })
}

struct Check {
    required: Vec<Verdict>,
    /// Statuses that pass; `None` (the verdict is missing) when allowed.
    accepted: Vec<Option<Status<'static>>>,
}

#[derive(Default)]
struct Part {
    checked: usize,
    failures: Vec<Failure>,
}

/// The JSON report: `{"checked":N,"failed":M,"failures":[…]}`.
#[derive(Default, Serialize)]
struct Report {
    checked: usize,
    failed: usize,
    failures: Vec<Failure>,
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

/// A message that failed, with the verdicts that failed it.
#[derive(Serialize)]
struct Failure {
    input: String,
    ses_id: Option<String>,
    subject: Option<String>,
    verdicts: Failed,
}

/// The verdicts that failed, with their statuses (`None`: missing), in the order required.
struct Failed(Vec<(Verdict, Option<Status<'static>>)>);

/// `{"spf":"FAIL","dmarc":"MISSING"}`.
impl Serialize for Failed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (verdict, status) in &self.0 {
            map.serialize_entry(
                verdict.name(),
                status.as_ref().map_or(ABSENT, Status::as_str),
            )?;
        }
        map.end()
    }
}

impl Collect for Check {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part, _: &mut Findings) {
        part.checked += 1;
        let failed: Vec<(Verdict, Option<Status<'static>>)> = self
            .required
            .iter()
            .map(|&verdict| (verdict, message.verdict(verdict)))
            .filter(|(_, status)| !self.accepted.iter().any(|a| a.as_ref() == *status))
            .map(|(verdict, status)| (verdict, status.map(|s| s.clone().into_owned())))
            .collect();
        if !failed.is_empty() {
            let text = |t: Option<&str>| t.map(str::to_string);
            let common = message.mail.common_headers.as_ref();
            part.failures.push(Failure {
                input: message.origin.to_string(),
                ses_id: text(message.mail.message_id.as_deref()),
                subject: text(common.and_then(|c| c.subject.as_deref())),
                verdicts: Failed(failed),
            });
        }
    }
}

impl Failure {
    /// `events.json:3  ab12…  spf=FAIL dmarc=MISSING  Subject text`, escaped for a terminal.
    fn line(&self, palette: Palette) -> String {
        let show = |text: &Option<String>| {
            text.as_deref()
                .map_or_else(|| palette.dim(MISSING), |t| escaped(t, Escaping::Display))
        };
        let verdicts: Vec<String> = self
            .verdicts
            .0
            .iter()
            .map(|(verdict, status)| {
                let shown = status
                    .as_ref()
                    .map_or_else(|| ABSENT.to_string(), |s| palette.status_name(s));
                format!("{}={shown}", verdict.name())
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
