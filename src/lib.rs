//! sesinspect: an inspector for Amazon SES events. The pipeline flows one way:
//! input (open, frame) → decode → model → fields (views) → render → output.

pub mod cli;
pub mod cmd;
pub mod color;
pub mod complete;
pub mod decode;
pub mod deliverability;
pub mod exit;
pub mod fields;
pub mod generate;
pub mod input;
pub mod mail;
pub mod model;
pub mod origin;
pub mod outcome;
pub mod output;
pub mod pipeline;
pub mod problem;
pub mod progress;
pub mod redact;
pub mod render;
pub mod sanitize;
pub mod select;
pub mod string_stop;
pub mod tally;

use std::ffi::{OsStr, OsString};
use std::process::ExitCode;

use clap::FromArgMatches;

/// Completes a word for the shell when asked to (see `cmd::completions`); otherwise parses the
/// command line, runs the command and turns the result into the exit code.
pub fn main() -> ExitCode {
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(cmd::completions::VARIABLE)
        .bin("sesinspect")
        .completer("sesinspect")
        .complete();
    let cli = match parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and usage errors, as clap prints them; a stream that cannot be written is
            // ignored, as clap does.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match cmd::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            problem::say(format_args!("{error:#}"));
            exit::Outcome::Trouble.into()
        }
    }
}

/// Parses the command line. A usage error quotes the arguments, and clap writes them raw to a
/// terminal: when one holds a character unsafe for a terminal (an escape sequence, a bidi
/// override), the error is made plain (no styles) with every argument escaped.
fn parse(args: Vec<OsString>) -> Result<cli::Cli, clap::Error> {
    let mut command = cli::command();
    let mut matches = match command.try_get_matches_from_mut(&args) {
        Ok(matches) => matches,
        Err(error) if args.iter().any(|arg| is_unsafe_text(arg)) => {
            let plain = cli::command()
                .styles(clap::builder::Styles::plain())
                .color(clap::ColorChoice::Never)
                .try_get_matches_from(args.iter().map(|arg| escaped_arg(arg)));
            return Err(plain.err().unwrap_or(error));
        }
        Err(error) => return Err(error),
    };
    cli::Cli::from_arg_matches_mut(&mut matches).map_err(|error| error.format(&mut command))
}

fn is_unsafe_text(arg: &OsStr) -> bool {
    let text = arg.to_string_lossy();
    sanitize::escaped(&text, sanitize::Escaping::Display) != text
}

fn escaped_arg(arg: &OsStr) -> String {
    sanitize::escaped(&arg.to_string_lossy(), sanitize::Escaping::Display)
}
