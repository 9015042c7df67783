//! `sesinspect completions SHELL`: the completion script, generated from the clap definition.

use std::io::Write;

use clap::CommandFactory;

use super::Env;
use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Outcome;

pub fn run(args: &CompletionsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "sesinspect",
        &mut env.stdout.writer,
    );
    env.stdout.writer.flush()?;
    Ok(Outcome::Success)
}
