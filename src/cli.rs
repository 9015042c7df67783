//! The command line as clap sees it. Nothing past `cmd` sees these types: each command turns
//! its arguments into resolved settings first.

use std::ffi::OsString;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::color::ColorWhen;
use crate::model::Verdict;
use crate::render::Format;

/// Inspect Amazon SES events: mail received (who sent what to whom, which verdicts passed) and
/// mail sent (bounces, complaints, deliveries, opens, clicks and every other sending event).
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
    /// One row per event: for received mail its verdicts and action, for sent mail what happened
    Summary(SummaryArgs),
    /// Chosen fields of each event, one line per event (or per recipient), for scripts
    Fields(FieldsArgs),
    /// Each message's headers in order, encoded-words decoded
    Headers(HeadersArgs),
    /// The Received chain, origin first: hosts, protocols, times and delays
    Hops(HopsArgs),
    /// What the headers say about SPF, DKIM, DMARC and ARC, next to SES's verdicts
    Auth(AuthArgs),
    /// Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a
    /// complaint, was rejected or failed to render: a gate for CI
    Check(CheckArgs),
    /// Counts over all events: verdicts, policies, actions, senders, recipients, timing; sending
    /// events by type
    Stats(StatsArgs),
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

    /// Only events where FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT (contains) holds (rows, with
    /// --per-recipient); compared case-insensitively; FIELD is anything `fields` accepts; repeat
    /// to require several
    #[arg(long = "where", value_name = "EXPR")]
    pub conditions: Vec<String>,

    /// Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam,
    /// virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected,
    /// failed to render or is delayed
    #[arg(long)]
    pub failed: bool,

    /// Decoding threads [default: the number of CPUs, at most 8]; output is the same for any
    /// number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// One row per recipient of each event, with its recipient, recipient_action, status and
    /// diagnostic_code; --where then chooses rows
    #[arg(long)]
    pub per_recipient: bool,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = formats(&ROWS))]
    pub format: Format,
}

/// The formats of commands whose results are flat rows.
const ROWS: [Format; 5] = [
    Format::Table,
    Format::Json,
    Format::Ndjson,
    Format::Tsv,
    Format::Csv,
];

/// The formats of commands whose results are nested: no TSV or CSV.
const NESTED: [Format; 3] = [Format::Table, Format::Json, Format::Ndjson];

#[derive(Debug, Args)]
pub struct FieldsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Fields to print, comma-separated (repeatable): names from --list, paths into the record
    /// (mail.commonHeaders.subject, mail.headers[0].name), header:NAME / header:NAME[*], or
    /// tag:NAME
    #[arg(
        short = 'F',
        long = "fields",
        value_name = "LIST",
        value_delimiter = ',',
        required_unless_present = "list"
    )]
    pub fields: Vec<String>,

    /// List the field names with what they mean, and exit
    #[arg(long, exclusive = true)]
    pub list: bool,

    /// One line per recipient of each event; adds the fields recipient and recipient_action,
    /// makes status and diagnostic_code that recipient's, and --where chooses lines
    #[arg(long)]
    pub per_recipient: bool,

    /// Start TSV and CSV output with a header row
    #[arg(long)]
    pub header: bool,

    /// Output format
    #[arg(long, short = 'f', default_value = "tsv", value_parser = formats(&ROWS))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Verdicts of received mail that must be PASS, comma-separated
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        value_enum,
        default_value = "spf,dkim,dmarc,spam,virus"
    )]
    pub require: Vec<Verdict>,

    /// Also accept (repeatable): a status for the required verdicts of received mail (MISSING
    /// is a verdict absent from the event), or a sending event type or bounce type that
    /// otherwise fails (by default Bounce, Complaint, Reject and Rendering Failure do)
    #[arg(long, value_name = "WHAT", value_enum, ignore_case = true)]
    pub allow: Vec<AllowArg>,

    /// Print nothing; only the exit code tells
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Output format
    #[arg(long, short = 'f', default_value = "text",
          value_parser = formats(&[Format::Text, Format::Json, Format::Ndjson]))]
    pub format: Format,
}

/// What `check --allow` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllowArg {
    /// Verdict status: SES could not decide
    #[value(name = "GRAY")]
    Gray,
    /// Verdict status: scanning is turned off
    #[value(name = "DISABLED")]
    Disabled,
    /// Verdict status: SES failed to check
    #[value(name = "PROCESSING_FAILED")]
    ProcessingFailed,
    /// A verdict absent from the event
    #[value(name = "MISSING")]
    Missing,
    /// Sending event: every bounce
    #[value(name = "Bounce")]
    Bounce,
    /// Sending event: a recipient's complaint
    #[value(name = "Complaint")]
    Complaint,
    /// Sending event: SES refused to send (a virus)
    #[value(name = "Reject")]
    Reject,
    /// Sending event: a template could not be rendered
    #[value(name = "RenderingFailure", alias = "Rendering Failure")]
    RenderingFailure,
    /// Sending event: delivery delayed (never fails; accepted to say so explicitly)
    #[value(name = "DeliveryDelay")]
    DeliveryDelay,
    /// Bounce type: hard bounces
    #[value(name = "Permanent")]
    Permanent,
    /// Bounce type: soft bounces SES gave up on, out-of-office replies
    #[value(name = "Transient")]
    Transient,
    /// Bounce type: bounces SES could not classify
    #[value(name = "Undetermined")]
    Undetermined,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// How many sender domains and recipients to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = formats(&NESTED))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HeadersArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in
    /// `X-SES-*`); repeatable
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub names: Vec<String>,

    /// Show values as received, encoded-words and all
    #[arg(long)]
    pub raw: bool,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = formats(&ROWS))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HopsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = formats(&ROWS))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", value_parser = formats(&NESTED))]
    pub format: Format,
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

/// A parser for `--format` that accepts the formats in `choices` and lists them in `--help` and
/// in completions.
fn formats(choices: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        choices
            .iter()
            .map(|format| PossibleValue::new(format.name()).help(format.about())),
    )
    .map(move |name| {
        choices
            .iter()
            .copied()
            .find(|format| format.name() == name)
            .unwrap_or(Format::Table)
    })
}

impl ValueEnum for Verdict {
    fn value_variants<'a>() -> &'a [Self] {
        &Verdict::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
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
