//! `sesinspect summary`: one row per message — time, from, to, subject, the five verdicts and
//! the action — as a table with totals, or every named field as JSON, NDJSON, TSV or CSV.

use std::io::Write;
use std::sync::Arc;

use super::{Env, selection};
use crate::cli::SummaryArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::{self, FIELDS, Value};
use crate::model::Message;
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::sheet::{Sheet, SheetPart};
use crate::render::table;
use crate::sanitize::{Escaping, escaped};
use crate::tally::VerdictCounts;

pub fn run(args: SummaryArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs)?;
    let columns = FIELDS.iter().map(|f| f.name.to_string()).collect();
    let titles = TABLE_HEADER.iter().map(|t| t.to_string()).collect();
    let summary = Arc::new(Summary {
        sheet: Sheet::new(args.format, columns, titles, true, env.palette),
        palette: env.palette,
    });
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    let mut sink = summary.sheet.begin(out)?;
    let mut totals = VerdictCounts::default();
    pipeline::run(
        &reading,
        Arc::clone(&summary),
        &mut env.reporter,
        |delivery: Delivery<Part>| {
            totals.merge(&delivery.part.totals);
            sink.deliver(delivery.part.rows, delivery.input_paused, out)
        },
    )?;
    let count = sink.finish(width, out)?;
    if summary.sheet.is_table() && count > 1 {
        writeln!(out, "{}", totals_line(count, &totals, env.palette))?;
    }
    out.flush()?;
    Ok(env.outcome())
}

const TABLE_HEADER: [&str; 10] = [
    "Time", "From", "To", "Subject", "SPF", "DKIM", "DMARC", "Spam", "Virus", "Action",
];

/// Fields shown in the table, in `TABLE_HEADER` order; DMARC also shows its policy.
const TABLE_FIELDS: [&str; 10] = [
    "timestamp",
    "from",
    "to",
    "subject",
    "spf",
    "dkim",
    "dmarc",
    "spam",
    "virus",
    "action",
];

struct Summary {
    sheet: Sheet,
    palette: Palette,
}

#[derive(Default)]
struct Part {
    rows: SheetPart,
    /// Counted for the table's totals line only.
    totals: VerdictCounts,
}

impl Collect for Summary {
    type Part = Part;

    fn collect(&self, message: &Message, part: &mut Part, _: &mut Findings) {
        if self.sheet.is_table() {
            self.sheet
                .add_cells(self.table_row(message), &mut part.rows);
            part.totals.add(message);
        } else {
            let values: Vec<Value> = FIELDS.iter().map(|f| (f.get)(message)).collect();
            self.sheet.add(&values, &mut part.rows);
        }
    }
}

impl Summary {
    fn table_row(&self, message: &Message) -> Vec<String> {
        let policy = message.receipt().and_then(|r| r.dmarc_policy.as_deref());
        TABLE_FIELDS
            .iter()
            .map(|name| {
                let value = fields::find(name).map_or(Value::Missing, |f| (f.get)(message));
                let cell = table::cell(&value, self.palette);
                match (*name, policy) {
                    ("dmarc", Some(policy)) => {
                        format!("{cell} ({})", escaped(policy, Escaping::Display))
                    }
                    _ => cell,
                }
            })
            .collect()
    }
}

/// `3 messages · SPF 2 PASS, 1 FAIL · DKIM 3 PASS · …`
fn totals_line(messages: usize, totals: &VerdictCounts, palette: Palette) -> String {
    let mut line = format!("{messages} messages");
    for (verdict, counts) in totals.iter() {
        let parts: Vec<String> = counts
            .sorted()
            .into_iter()
            .map(|(status, n)| match status {
                Some(status) => format!("{n} {}", palette.status_name(status)),
                None => format!("{n} {}", palette.dim("missing")),
            })
            .collect();
        line.push_str(&format!(" · {} {}", verdict.label(), parts.join(", ")));
    }
    line
}
