//! `sesinspect fields -F LIST`: the chosen fields of each event, one line per event (or per
//! recipient with `--per-recipient`) — tab-separated for scripts by default, or JSON, NDJSON, CSV
//! or a table.

use std::io::Write;
use std::sync::Arc;

use super::{Env, Shown, count, needs_per_recipient, reading};
use crate::cli::FieldsArgs;
use crate::exit::Outcome;
use crate::fields::{FIELDS, Value};
use crate::model::Message;
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::sheet::{Sheet, SheetPart};
use crate::render::{Delimiting, Format};
use crate::select::{Filter, Paths, Selector, Tree};

pub fn run(args: FieldsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    if args.list {
        write_list(&mut env.stdout.writer)?;
        return Ok(Outcome::Success);
    }
    if args.count {
        let reading = reading(&args.inputs, env, Shown::AtEnd, args.per_recipient)?;
        return count(&reading, env);
    }
    let selectors = args
        .fields
        .iter()
        .map(|spec| Selector::parse(spec.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    if !args.per_recipient {
        if let Some(selector) = selectors.iter().find(|s| s.per_recipient_only()) {
            anyhow::bail!(needs_per_recipient(selector.name()));
        }
    }
    if args.null && !matches!(args.format, Format::Tsv | Format::Csv) {
        anyhow::bail!(
            "-0/--null ends TSV and CSV records: it does not go with --format {}",
            args.format.name()
        );
    }
    let shown = if args.format == Format::Table {
        Shown::AtEnd
    } else {
        Shown::AsFound
    };
    let reading = reading(&args.inputs, env, shown, args.per_recipient)?;
    let names: Vec<String> = selectors.iter().map(|s| s.name().to_string()).collect();
    let fields = Arc::new(Fields {
        sheet: Sheet::new(
            args.format,
            names.clone(),
            Sheet::plain_spec(&names),
            Delimiting {
                header: args.header,
                null: args.null,
                spreadsheet_safe: args.spreadsheet.safe,
            },
            env.palette,
        ),
        paths: Paths::of(selectors.iter().chain(reading.filter.selectors())),
        selectors,
        filter: reading.filter.clone(),
    });
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    let mut sink = fields.sheet.begin(out)?;
    pipeline::run(
        &reading,
        Arc::clone(&fields),
        &mut env.reporter,
        |delivery: Delivery<SheetPart>| sink.deliver(delivery.part, delivery.input_paused, out),
    )?;
    sink.finish(width, out)?;
    out.flush()?;
    Ok(env.outcome())
}

struct Fields {
    sheet: Sheet,
    selectors: Vec<Selector>,
    /// The paths that the selectors and the filter's conditions read.
    paths: Paths,
    /// With `--per-recipient`, which lines of a message to print.
    filter: Filter,
}

impl Collect for Fields {
    type Part = SheetPart;

    fn collect(&self, message: &Message, part: &mut SheetPart, _: &mut Findings) {
        let tree = Tree::new(&self.paths);
        let recipients = if self.filter.per_recipient {
            message.recipients()
        } else {
            Vec::new()
        };
        for recipient in self.filter.rows(message, &recipients, &tree) {
            let values: Vec<Value> = self
                .selectors
                .iter()
                .map(|s| s.value(message, recipient, &tree))
                .collect();
            self.sheet.add(&values, part);
        }
    }
}

fn write_list(out: &mut impl Write) -> std::io::Result<()> {
    let width = FIELDS.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for field in FIELDS {
        writeln!(out, "{:width$}  {}", field.name, field.about)?;
    }
    writeln!(out)?;
    for line in [
        "Also: a path into the record (mail.commonHeaders.subject, receipt.action.type,",
        "bounce.bouncedRecipients[0].status, mail.headers[0].name, any unknown field),",
        "header:NAME (the first such header, decoded), header:NAME[*] (all of them), or",
        "tag:NAME (the values of the message tag NAME, such as tag:ses:configuration-set).",
    ] {
        writeln!(out, "{line}")?;
    }
    out.flush()
}
