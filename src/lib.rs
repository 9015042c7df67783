//! sesinspect: an inspector for Amazon SES events. The pipeline flows one way:
//! input (open, frame) → decode → model → fields (views) → render → output.

pub mod cli;
pub mod cmd;
pub mod color;
pub mod complete;
pub mod decode;
pub mod exit;
pub mod fields;
pub mod input;
pub mod mail;
pub mod model;
pub mod origin;
pub mod outcome;
pub mod output;
pub mod pipeline;
pub mod problem;
pub mod progress;
pub mod render;
pub mod sanitize;
pub mod select;
pub mod tally;

use std::process::ExitCode;

use clap::Parser;

/// Completes a word for the shell when asked to (see `cmd::completions`); otherwise parses the
/// command line, runs the command and turns the result into the exit code.
pub fn main() -> ExitCode {
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(cmd::completions::VARIABLE)
        .bin("sesinspect")
        .completer("sesinspect")
        .complete();
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sesinspect: {error:#}");
            exit::Outcome::Trouble.into()
        }
    }
}
