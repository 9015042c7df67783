//! One dispatch from the parsed command line to the command that runs, with what every command
//! shares: the inputs and how they are read, stdout, the colour palette and the problem
//! reporter.

mod auth;
mod check;
pub mod completions;
mod fields;
mod generate;
mod headers;
mod help;
mod hops;
pub mod man;
mod recipients;
mod redact;
mod report;
mod stats;
mod summary;
mod timeline;

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::cli::{Cli, ColorArg, Command, InputArgs};
use crate::color::{self, Palette};
use crate::exit::Outcome;
use crate::input;
use crate::model::Message;
use crate::output::Stdout;
use crate::pipeline::{self, Collect, Delivery, Findings, Reading};
use crate::problem::Reporter;
use crate::select::{Condition, Filter, Tree};

/// What a running command has to work with.
pub struct Env {
    pub stdout: Stdout,
    pub palette: Palette,
    pub reporter: Reporter,
}

impl Env {
    /// Success, unless an input failed.
    pub fn outcome(&self) -> Outcome {
        if self.reporter.failed() {
            Outcome::Trouble
        } else {
            Outcome::Success
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    run_to(cli, Stdout::open(std::env::var("COLUMNS").ok()))
}

/// Runs the command with its results written to `stdout` (the fuzz target `command` gives a sink;
/// problems still go to stderr).
pub fn run_to(cli: Cli, stdout: Stdout) -> anyhow::Result<Outcome> {
    let when = cli.command.color().unwrap_or(ColorArg::Never);
    let palette = color::decide(when.into(), stdout.is_terminal, |name| {
        std::env::var(name).ok()
    });
    let mut env = Env {
        stdout,
        palette,
        reporter: Reporter::default(),
    };
    match cli.command {
        Command::Summary(args) => summary::run(args, &mut env),
        Command::Fields(args) => fields::run(args, &mut env),
        Command::Headers(args) => headers::run(args, &mut env),
        Command::Hops(args) => hops::run(args, &mut env),
        Command::Auth(args) => auth::run(args, &mut env),
        Command::Check(args) => check::run(args, &mut env),
        Command::Stats(args) => stats::run(args, &mut env),
        Command::Timeline(args) => timeline::run(args, &mut env),
        Command::Recipients(args) => recipients::run(args, &mut env),
        Command::Generate(args) => generate::run(args, &mut env),
        Command::Redact(args) => redact::run(args, &mut env),
        Command::Completions(args) => completions::run(&args, &mut env),
        Command::Man => man::run(&mut env),
        Command::Help(args) => help::run(&args, &mut env),
    }
}

/// When a command's results reach stdout, which decides whether a progress line may share the
/// terminal with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// As they are found: rows, failures, blocks.
    AsFound,
    /// All at the end: a table, statistics, a count.
    AtEnd,
    /// Never: `check --quiet`, which shows no progress either.
    Never,
}

/// More decoding threads than this rarely help (framing is sequential) and each holds batches in
/// memory, so the default stops here.
const DEFAULT_MAX_THREADS: usize = 8;

/// The inputs named on the command line (directories walked; standard input when there are
/// none), which of their messages to look at, and how to read them. With `per_recipient`
/// (`summary` and `fields`), `--where` is checked on each recipient's row.
fn reading(
    args: &InputArgs,
    env: &Env,
    shown: Shown,
    per_recipient: bool,
) -> anyhow::Result<Reading> {
    let conditions: Vec<Condition> = args
        .conditions
        .iter()
        .map(|expression| Condition::parse(expression))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("--where: {e}"))?;
    let filter = Filter::new(conditions, args.failed, per_recipient);
    if !per_recipient {
        if let Some(selector) = filter.selectors().find(|s| s.per_recipient_only()) {
            anyhow::bail!("--where: {}", needs_per_recipient(selector.name()));
        }
    }
    let inputs = input::expand(&args.files, args.hidden);
    let threads = args
        .threads
        .map_or_else(|| default_threads(&inputs), usize::from);
    if args.files.is_empty() && std::io::stdin().is_terminal() {
        env.reporter.note(
            "reading events from standard input (the terminal): paste them and end with \
             Ctrl-D, or name the files or directories to read",
        );
    }
    let progress = std::io::stderr().is_terminal()
        && match shown {
            Shown::AsFound => !env.stdout.is_terminal,
            Shown::AtEnd => true,
            Shown::Never => false,
        };
    Ok(Reading {
        inputs,
        filter,
        threads,
        limit: args.limit,
        skip_foreign: args.skip_foreign,
        progress,
        limits: input::Limits {
            max_document: args
                .max_document
                .unwrap_or(input::frame::DEFAULT_MAX_DOCUMENT),
            max_inflate: args.max_inflate.unwrap_or(input::DEFAULT_MAX_INFLATE),
        },
        trust_lines_from: Some(pipeline::TRUST_LINES_FROM),
    })
}

/// One thread for files that all fit in one read (a second would only wait for the one batch);
/// else one per CPU, up to `DEFAULT_MAX_THREADS`. Sizes are looked up only until they pass one
/// read, or one is not known (standard input, a pipe).
fn default_threads(inputs: &[input::Input]) -> usize {
    let one_read = input::frame::READ_SIZE as u64;
    let small = inputs
        .iter()
        .try_fold(0, |total, input| {
            Some(total + input.size()?).filter(|&total| total <= one_read)
        })
        .is_some();
    if small { 1 } else { one_per_cpu() }
}

/// One thread per CPU, up to `DEFAULT_MAX_THREADS`.
fn one_per_cpu() -> usize {
    std::thread::available_parallelism().map_or(1, |n| usize::from(n).min(DEFAULT_MAX_THREADS))
}

/// Why a per-recipient field cannot be used here.
fn needs_per_recipient(field: &str) -> String {
    format!(
        "`{field}` is a field of one recipient's row: use it with --per-recipient (summary and fields)"
    )
}

/// `--count`: reads every selected message (every selected row, with `--per-recipient`) and
/// prints how many there were.
fn count(reading: &Reading, env: &mut Env) -> anyhow::Result<Outcome> {
    let mut total = 0;
    pipeline::run(
        reading,
        Arc::new(Counting {
            filter: reading.filter.clone(),
        }),
        &mut env.reporter,
        |delivery: Delivery<usize>| {
            total += delivery.part;
            Ok(())
        },
    )?;
    let out = &mut env.stdout.writer;
    writeln!(out, "{total}")?;
    out.flush()?;
    Ok(env.outcome())
}

/// Counts the messages (or rows) of a batch.
struct Counting {
    /// With `--per-recipient`, which rows of a message count.
    filter: Filter,
}

impl Collect for Counting {
    type Part = usize;

    fn collect(&self, message: &Message, count: &mut usize, _: &mut Findings) {
        let recipients = if self.filter.per_recipient {
            message.recipients()
        } else {
            Vec::new()
        };
        *count += self
            .filter
            .rows(message, &recipients, &Tree::new(self.filter.paths()))
            .len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_one_read_or_less_are_decoded_on_one_thread() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = |name: &str, bytes: usize| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![b'\n'; bytes]).expect("a temporary file");
            path.into_os_string()
        };
        let (half, rest, more) = (
            file("half", input::frame::READ_SIZE / 2),
            file("rest", input::frame::READ_SIZE / 2),
            file("more", 1),
        );
        let threads = |names: &[&std::ffi::OsString]| {
            let names: Vec<_> = names.iter().map(|&n| n.clone()).collect();
            default_threads(&input::expand(&names, false))
        };
        let every_cpu = one_per_cpu();
        assert_eq!(threads(&[&half]), 1);
        assert_eq!(threads(&[&half, &rest]), 1);
        assert_eq!(threads(&[&half, &rest, &more]), every_cpu);
        assert_eq!(threads(&[&dir.path().as_os_str().to_owned()]), every_cpu);
        assert_eq!(default_threads(&[input::Input::stdin()]), every_cpu);
        // A device (or a pipe) named as a file has no size to go by, whatever it says.
        assert_eq!(threads(&[&"/dev/null".into()]), every_cpu);
    }
}
