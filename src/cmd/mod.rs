//! One dispatch from the parsed command line to the command that runs, with what every command
//! shares: the inputs, stdout, the colour palette and the problem reporter.

mod auth;
mod check;
mod completions;
mod fields;
mod headers;
mod hops;
mod report;
mod stats;
mod summary;

use crate::cli::{Cli, Command, InputArgs};
use crate::color::{self, Palette};
use crate::exit::Outcome;
use crate::input::Input;
use crate::output::Stdout;
use crate::pipeline::Reading;
use crate::problem::Reporter;
use crate::select::{Condition, Filter};

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
    let stdout = Stdout::open();
    let palette = color::decide(cli.color.into(), stdout.is_terminal, |name| {
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
        Command::Completions(args) => completions::run(&args, &mut env),
    }
}

/// More decoding threads than this rarely help (framing is sequential) and each holds batches in
/// memory, so the default stops here.
const DEFAULT_MAX_THREADS: usize = 8;

/// The inputs named on the command line (standard input when there are none), which of their
/// messages to look at, and how many threads decode them. With `per_recipient` (`summary` and
/// `fields`), `--where` is checked on each recipient's row.
fn selection(args: &InputArgs, per_recipient: bool) -> anyhow::Result<Reading> {
    let inputs = if args.files.is_empty() {
        vec![Input::stdin()]
    } else {
        args.files.iter().map(|f| Input::from_arg(f)).collect()
    };
    let conditions: Vec<Condition> = args
        .conditions
        .iter()
        .map(|expression| Condition::parse(expression))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("--where: {e}"))?;
    if !per_recipient {
        if let Some(condition) = conditions.iter().find(|c| c.selector.per_recipient_only()) {
            anyhow::bail!(
                "--where: {}",
                needs_per_recipient(condition.selector.name())
            );
        }
    }
    let filter = Filter {
        conditions,
        failed: args.failed,
        per_recipient,
    };
    let threads = args.threads.map_or_else(
        || {
            std::thread::available_parallelism()
                .map_or(1, |n| usize::from(n).min(DEFAULT_MAX_THREADS))
        },
        usize::from,
    );
    Ok(Reading {
        inputs,
        filter,
        threads,
    })
}

/// Why a per-recipient field cannot be used here.
fn needs_per_recipient(field: &str) -> String {
    format!(
        "`{field}` is a field of one recipient's row: use it with --per-recipient (summary and fields)"
    )
}
