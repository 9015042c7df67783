//! `sesinspect fields -F LIST`: the chosen fields of each message, one line per message —
//! tab-separated for scripts by default, or JSON, NDJSON, CSV or a table.

use std::io::Write;
use std::sync::Arc;

use super::{Env, selection};
use crate::cli::FieldsArgs;
use crate::exit::Outcome;
use crate::fields::{FIELDS, Value};
use crate::model::Message;
use crate::pipeline::{self, Collect, Delivery, Found};
use crate::render::rows::{Rows, RowsPart};
use crate::select::{Selector, Tree};

pub fn run(args: FieldsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    if args.list {
        write_list(&mut env.stdout.writer)?;
        return Ok(Outcome::Success);
    }
    let selectors = args
        .fields
        .iter()
        .map(|spec| Selector::parse(spec.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let reading = selection(&args.inputs)?;
    let titles: Vec<String> = selectors.iter().map(|s| s.name().to_string()).collect();
    let fields = Arc::new(Fields {
        rows: Rows::new(titles.clone(), args.format.into(), args.header, env.palette),
        selectors,
    });
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let mut sink = fields.rows.begin(&title_refs, out)?;
    pipeline::run(
        &reading,
        Arc::clone(&fields),
        &mut env.reporter,
        |delivery: Delivery<RowsPart>| {
            fields
                .rows
                .deliver(&mut sink, delivery.part, delivery.input_paused, out)
        },
    )?;
    fields.rows.finish(sink, width, out)?;
    out.flush()?;
    Ok(env.outcome())
}

struct Fields {
    rows: Rows,
    selectors: Vec<Selector>,
}

impl Collect for Fields {
    type Part = RowsPart;

    fn collect(&self, message: &Message, part: &mut RowsPart, _: &mut Found) {
        let tree = Tree::default();
        let values: Vec<Value> = self
            .selectors
            .iter()
            .map(|s| s.value(message, &tree))
            .collect();
        self.rows.add(&values, part);
    }
}

fn write_list(out: &mut impl Write) -> std::io::Result<()> {
    let width = FIELDS.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for field in FIELDS {
        writeln!(out, "{:width$}  {}", field.name, field.about)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Also: a path into the record (mail.commonHeaders.subject, receipt.action.type,"
    )?;
    writeln!(
        out,
        "mail.headers[0].name, any unknown field), header:NAME (the first such header,"
    )?;
    writeln!(out, "decoded) or header:NAME[*] (all of them).")?;
    out.flush()
}
