//! `sesinspect completions SHELL`: the script that registers sesinspect's completion with the
//! shell. The shell then asks sesinspect itself (`COMPLETE=SHELL sesinspect -- …`), which
//! completes from the clap definition and the field table, so completions never go stale.

use std::io::Write;

use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use super::Env;
use crate::cli::{CompletionsArgs, Shell};
use crate::exit::Outcome;

/// The variable that asks the binary to complete instead of run.
pub const VARIABLE: &str = "COMPLETE";

pub fn run(args: &CompletionsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    let out = &mut env.stdout.writer;
    shell.write_registration(VARIABLE, "sesinspect", "sesinspect", "sesinspect", out)?;
    out.flush()?;
    Ok(Outcome::Success)
}
