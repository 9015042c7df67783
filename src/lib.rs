//! sesinspect: an inspector for Amazon SES events. The pipeline flows one way:
//! input (open, frame) → decode → model → fields (views) → render → output.

pub mod cli;
pub mod cmd;
pub mod color;
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
pub mod render;
pub mod sanitize;
pub mod select;
pub mod tally;

use std::process::ExitCode;

use clap::Parser;

/// Parses the command line, runs the command and turns the result into the exit code.
pub fn main() -> ExitCode {
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
