//! `sesinspect help [COMMAND]`: the long help of sesinspect or of one command, as `--help`
//! prints it.

use std::io::Write;

use super::Env;
use crate::cli::{self, HelpArgs};
use crate::exit::Outcome;

pub fn run(args: &HelpArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let mut command = cli::command();
    command.build();
    let help = match &args.command {
        None => command.render_long_help(),
        Some(name) => match command.find_subcommand_mut(name) {
            Some(sub) => sub.render_long_help(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!(
                    "help: no command `{name}` (the commands are {})",
                    names.join(", ")
                );
            }
        },
    };
    let text = if env.stdout.is_terminal {
        help.ansi().to_string()
    } else {
        help.to_string()
    };
    let out = &mut env.stdout.writer;
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Success)
}
