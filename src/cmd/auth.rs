//! `sesinspect auth`: what each message says about its own authentication —
//! Authentication-Results, Received-SPF, DKIM signatures, ARC sets — next to SES's verdicts, with
//! the disagreements between them flagged.

use super::report::{self, Block, Report, ReportPart, Shape, title};
use super::{Env, selection};
use crate::cli::{AuthArgs, TableOrJsonArg};
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::mail::auth::AuthReport;
use crate::model::{Header, Message, words};
use crate::pipeline::{Collect, Found};
use crate::render::Format;
use crate::render::table::{MISSING, Table};
use crate::sanitize::{Escaping, escaped};
use crate::tally::{label, status_of};

const COLUMNS: [&str; 8] = [
    "input",
    "ses_id",
    "authentication_results",
    "received_spf",
    "dkim_signatures",
    "arc",
    "verdicts",
    "disagreements",
];

pub fn run(args: AuthArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs)?;
    let format = match args.format {
        TableOrJsonArg::Table => Format::Table,
        TableOrJsonArg::Json => Format::Json,
    };
    let shape = Shape::new(format, &COLUMNS, env.palette);
    let auth = Auth {
        shape,
        palette: env.palette,
        width: env.stdout.width,
    };
    report::run(&reading, auth, env)
}

struct Auth {
    shape: Shape,
    palette: Palette,
    width: Option<usize>,
}

impl Report for Auth {
    fn shape(&self) -> &Shape {
        &self.shape
    }
}

impl Collect for Auth {
    type Part = ReportPart;

    fn collect(&self, message: &Message, part: &mut ReportPart, found: &mut Found) {
        let Some(headers) = report::headers(message, found) else {
            return;
        };
        let headers: Vec<Header> = headers
            .into_iter()
            .map(|h| Header {
                value: words::decode(&h.value).into_owned().into(),
                name: h.name,
            })
            .collect();
        let report = AuthReport::examine(&headers, message.receipt());
        match &self.shape {
            Shape::Rows(rows) => {
                let tree = serde_json::to_value(&report).unwrap_or_default();
                let input = message.origin.to_string();
                let mut values = vec![
                    Value::Text(&input),
                    message
                        .mail
                        .message_id
                        .as_deref()
                        .map_or(Value::Missing, Value::Text),
                ];
                values.extend(COLUMNS[2..].iter().map(|key| Value::Json(&tree[*key])));
                rows.add(&values, &mut part.rows);
            }
            Shape::Blocks => part.blocks.push(Block {
                title: title(message, self.palette),
                body: self.block(&report),
            }),
        }
    }
}

impl Auth {
    fn block(&self, report: &AuthReport) -> Vec<u8> {
        let palette = self.palette;
        let text = |t: &str| escaped(t, Escaping::Display);
        let result = |r: &str| {
            let status = match r {
                "pass" => "PASS",
                "fail" | "softfail" | "hardfail" | "permerror" => "FAIL",
                "neutral" | "none" | "temperror" | "policy" => "GRAY",
                _ => "",
            };
            palette.status(&status_of(status), &text(r))
        };
        let mut table = Table::new(["Source", "Method", "Result", "Details"]);
        for header in &report.authentication_results {
            for r in &header.results {
                let mut details: Vec<String> = r
                    .properties
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if let Some(reason) = &r.reason {
                    details.push(format!("reason={reason:?}"));
                }
                table.push([
                    format!("Authentication-Results ({})", text(&header.authserv_id)),
                    text(&r.method),
                    result(&r.result),
                    text(&details.join(" ")),
                ]);
            }
        }
        for spf in &report.received_spf {
            let details: Vec<String> = [
                ("client-ip", &spf.client_ip),
                ("envelope-from", &spf.envelope_from),
                ("helo", &spf.helo),
            ]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
            .collect();
            table.push([
                "Received-SPF".to_string(),
                "spf".to_string(),
                result(&spf.result),
                text(&details.join(" ")),
            ]);
        }
        for dkim in &report.dkim_signatures {
            let tags = [
                ("d", &dkim.d),
                ("s", &dkim.s),
                ("a", &dkim.a),
                ("c", &dkim.c),
                ("t", &dkim.t),
                ("x", &dkim.x),
                ("bh", &dkim.bh),
                ("b", &dkim.b),
            ];
            let mut details: Vec<String> = tags
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
                .collect();
            details.insert(2.min(details.len()), format!("h={}", dkim.h.join(":")));
            table.push([
                "DKIM-Signature".to_string(),
                "dkim".to_string(),
                palette.dim("signed"),
                text(&details.join(" ")),
            ]);
        }
        for arc in &report.arc {
            let details: Vec<String> = [("d", &arc.d), ("s", &arc.s)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
                .collect();
            table.push([
                format!(
                    "ARC-Seal i={}",
                    text(arc.instance.as_deref().unwrap_or("?"))
                ),
                "arc".to_string(),
                arc.cv
                    .as_deref()
                    .map_or_else(|| palette.dim(MISSING), |cv| result(&format!("cv={cv}"))),
                text(&details.join(" ")),
            ]);
        }
        let verdicts = &report.verdicts;
        for (name, status) in [
            ("spf", &verdicts.spf),
            ("dkim", &verdicts.dkim),
            ("dmarc", &verdicts.dmarc),
            ("spam", &verdicts.spam),
            ("virus", &verdicts.virus),
        ] {
            let shown = status.as_deref().map_or_else(
                || palette.dim(MISSING),
                |s| palette.status(&status_of(s), &text(s)),
            );
            let details = match (name, &verdicts.dmarc_policy) {
                ("dmarc", Some(policy)) => format!("policy={}", text(policy)),
                _ => String::new(),
            };
            table.push([
                "SES verdict".to_string(),
                label(name).to_lowercase(),
                shown,
                details,
            ]);
        }
        let mut body = Vec::new();
        let _ = table.write(palette, self.width, &mut body);
        if report.disagreements.is_empty() {
            body.extend_from_slice(palette.dim("no disagreements\n").as_bytes());
        }
        for disagreement in &report.disagreements {
            body.extend_from_slice(
                palette
                    .warning(&format!("⚠ {}", text(disagreement)))
                    .as_bytes(),
            );
            body.push(b'\n');
        }
        body
    }
}
