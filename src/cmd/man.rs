//! `sesinspect man`: one manual page, in roff, generated from the clap definition — the
//! program's synopsis, description and commands, then a section per command with its options
//! and examples, then the exit status. `man/sesinspect.1` is this output, committed.

use std::io::{self, Write};

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use super::Env;
use crate::cli;
use crate::exit::{self, Outcome};

pub fn run(env: &mut Env) -> anyhow::Result<Outcome> {
    let out = &mut env.stdout.writer;
    out.write_all(&page()?)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// The whole page.
pub fn page() -> io::Result<Vec<u8>> {
    let mut command = cli::command();
    command.build();
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    let mut commands = Roff::new();
    commands.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        commands.control("TP", []);
        commands.text([bold(format!("sesinspect {}", sub.get_name()))]);
        commands.text([roman(about)]);
    }
    commands.to_writer(&mut page)?;
    for sub in command.get_subcommands() {
        let mut heading = Roff::new();
        let title = format!("SESINSPECT {}", sub.get_name().to_uppercase());
        heading.control("SH", [title.as_str()]);
        heading.to_writer(&mut page)?;
        let man = Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        page.extend(demoted(&part));
        lines("SS", "Examples", cli::examples(sub.get_name()), &mut page)?;
    }
    lines("SH", "EXAMPLES", cli::examples("sesinspect"), &mut page)?;
    let status = exit::described(true);
    let codes = status.split_once('\n').map_or("", |(_, codes)| codes);
    lines("SH", "EXIT STATUS", codes, &mut page)?;
    Ok(page)
}

/// Sections of a command's page as subsections of the whole page.
fn demoted(part: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(part)
        .replace("\n.SH ", "\n.SS ")
        .replacen(".SH ", ".SS ", usize::from(part.starts_with(b".SH ")))
        .into_bytes()
}

/// A heading, then `text` line by line as written (no filling).
fn lines(macro_name: &str, heading: &str, text: &str, out: &mut Vec<u8>) -> io::Result<()> {
    let mut roff = Roff::new();
    roff.control(macro_name, [heading]);
    roff.control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.to_writer(out)
}
