//! The command line as clap sees it. Nothing past `cmd` sees these types: each command turns
//! its arguments into resolved settings first.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::color::ColorWhen;
use crate::render::Format;

/// Inspect Amazon SES email-receiving events: who sent what to whom, and which verdicts passed.
#[derive(Debug, Parser)]
#[command(name = "sesinspect", version, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One row per message: time, from, to, subject, verdicts and action
    Summary(SummaryArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

/// The inputs every reading command takes.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files to read (JSON, NDJSON or concatenated JSON; gzip is read transparently); none or `-`
    /// reads standard input
    #[arg(value_name = "FILE")]
    pub files: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for ColorWhen {
    fn from(arg: ColorArg) -> ColorWhen {
        match arg {
            ColorArg::Auto => ColorWhen::Auto,
            ColorArg::Always => ColorWhen::Always,
            ColorArg::Never => ColorWhen::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// An aligned table for people
    Table,
    /// A JSON array of objects
    Json,
    /// One JSON object per line
    Ndjson,
    /// Tab-separated values with a header row, escaped like jq's @tsv
    Tsv,
    /// Comma-separated values with a header row (RFC 4180)
    Csv,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Ndjson => Format::Ndjson,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Csv => Format::Csv,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
