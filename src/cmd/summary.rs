//! `sesinspect summary`: one row per message — time, from, to, subject, the five verdicts and
//! the action — as a table with totals, or every named field as JSON, NDJSON, TSV or CSV.

use std::io::Write;
use std::sync::Arc;

use super::{Env, Shown, count, reading};
use crate::cli::SummaryArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::{self, FIELDS, Value};
use crate::model::{Message, Verdict};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::columns::{self, Cell, Column, Economy, Kind, Spec};
use crate::render::sheet::{Sheet, SheetPart, escaped_pieces};
use crate::render::{Delimiting, Format};
use crate::tally::VerdictCounts;

pub fn run(args: SummaryArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    if args.count {
        return count(&reading(&args.inputs, env, Shown::AtEnd)?, env);
    }
    let shown = if args.format == Format::Table {
        Shown::AtEnd
    } else {
        Shown::AsFound
    };
    let reading = reading(&args.inputs, env, shown)?;
    let columns = FIELDS.iter().map(|f| f.name.to_string()).collect();
    let summary = Arc::new(Summary {
        sheet: Sheet::new(
            args.format,
            columns,
            receipt_table(),
            Delimiting {
                header: true,
                null: false,
            },
            env.palette,
        ),
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
        let line = totals_line(count, &totals, env.palette);
        writeln!(out, "{}", columns::wrap_parts(&line, width))?;
    }
    out.flush()?;
    Ok(env.outcome())
}

/// The table of received messages: time, from, to, subject, the verdicts (DMARC with its
/// policy) and the action. Narrower, it shows compact times, then verdict codes, then leaves
/// out To, then the action.
fn receipt_table() -> Spec {
    let column = |title: &str, kind| Column {
        title: title.to_string(),
        kind,
    };
    Spec {
        columns: vec![
            column(TIME, Kind::Time),
            column(FROM, Kind::Text { narrowest: 24 }),
            column(TO, Kind::Text { narrowest: 20 }),
            column(SUBJECT, Kind::Text { narrowest: 24 }),
            column(VERDICTS, Kind::Verdicts(&Verdict::ALL)),
            column(ACTION, Kind::Word),
        ],
        economies: vec![
            Economy::Shorten(0),
            Economy::Shorten(4),
            Economy::Drop(2),
            Economy::Drop(5),
        ],
    }
}

const TIME: &str = "Time";
const FROM: &str = "From";
const TO: &str = "To";
const SUBJECT: &str = "Subject";
const VERDICTS: &str = "Verdicts";
const ACTION: &str = "Action";

struct Summary {
    sheet: Sheet,
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
            self.add_row(message, &mut part.rows);
            part.totals.add(message);
        } else {
            let values: Vec<Value> = FIELDS.iter().map(|f| (f.get)(message)).collect();
            self.sheet.add(&values, &mut part.rows);
        }
    }
}

impl Summary {
    fn add_row(&self, message: &Message, rows: &mut SheetPart) {
        let receipt = message.receipt();
        let policy = receipt.and_then(|r| r.dmarc_policy.as_deref());
        let verdicts = Verdict::ALL.map(|verdict| {
            let note = (verdict == Verdict::Dmarc).then_some(policy).flatten();
            (message.verdict(verdict), note)
        });
        let common = message.mail.common_headers.as_ref();
        let list = |name| fields::find(name).and_then(|f| escaped_pieces(&(f.get)(message)));
        let (from, to) = (list("from"), list("to"));
        let action = receipt
            .and_then(|r| r.action.as_ref())
            .and_then(|a| a.type_name());
        self.sheet.add_cells(
            &[
                Cell::Time(message.mail.timestamp.as_deref()),
                from.as_deref().map_or(Cell::Text(None), Cell::Escaped),
                to.as_deref().map_or(Cell::Text(None), Cell::Escaped),
                Cell::Text(common.and_then(|c| c.subject.as_deref())),
                Cell::Verdicts(&verdicts),
                Cell::Text(action),
            ],
            rows,
        );
    }
}

/// `3 messages`, `SPF 2 PASS, 1 FAIL`, `DKIM 3 PASS`, …: the parts of the totals line.
fn totals_line(messages: usize, totals: &VerdictCounts, palette: Palette) -> Vec<String> {
    let mut parts = vec![format!("{messages} messages")];
    for (verdict, counts) in totals.iter() {
        let counted: Vec<String> = counts
            .sorted()
            .into_iter()
            .map(|(status, n)| match status {
                Some(status) => format!("{n} {}", palette.status_name(status)),
                None => format!("{n} {}", palette.dim("missing")),
            })
            .collect();
        parts.push(format!("{} {}", verdict.label(), counted.join(", ")));
    }
    parts
}
