//! The command line as clap sees it, with its help text, examples and completions. Nothing past
//! `cmd` sees these types: each command turns its arguments into resolved settings first.

use std::ffi::OsString;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;

use crate::color::ColorWhen;
use crate::complete;
use crate::exit;
use crate::generate::{Action, EventKind, Feedback, Policy, Status, Wrap};
use crate::model::Verdict;
use crate::render::Format;

/// Inspect Amazon SES events: mail received (who sent what to whom, which verdicts passed) and
/// mail sent (bounces, complaints, deliveries, opens, clicks and every other sending event).
///
/// sesinspect reads SES events of both families — receiving events (Lambda events, SNS
/// notifications) and sending events (identity notifications and event publishing records) —
/// in the envelopes they travel in (SNS, SQS, EventBridge, Kinesis, Firehose), NDJSON streams,
/// Firehose objects, gzip files, directories of them and captured CloudWatch logs. It shows who
/// sent what to whom, which SPF, DKIM, DMARC, spam and virus verdicts passed or failed and what
/// the receipt rule did; for sent mail, every bounce, complaint, delivery, open and click, with
/// who it is about and what happened: as tables for people, or as JSON, TSV or CSV for scripts.
/// Text written by strangers is escaped before it reaches a terminal.
#[derive(Debug, Parser)]
#[command(
    name = "sesinspect",
    version,
    max_term_width = 100,
    disable_help_subcommand = true,
    after_long_help = after_help("sesinspect", true)
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One row per event: for received mail its verdicts and action, for sent mail what happened
    #[command(after_long_help = after_help("summary", false))]
    Summary(SummaryArgs),
    /// Chosen fields of each event, one line per event (or per recipient), for scripts
    #[command(after_long_help = after_help("fields", false))]
    Fields(FieldsArgs),
    /// Each message's headers in order, encoded-words decoded
    #[command(after_long_help = after_help("headers", false))]
    Headers(HeadersArgs),
    /// The Received chain, origin first: hosts, protocols, times and delays
    #[command(after_long_help = after_help("hops", false))]
    Hops(HopsArgs),
    /// What the headers say about SPF, DKIM, DMARC and ARC, next to SES's verdicts
    #[command(after_long_help = after_help("auth", false))]
    Auth(AuthArgs),
    /// Exit 1 when a received message fails the required verdicts or a sent one bounced, drew a
    /// complaint, was rejected or failed to render, or the bounce or complaint rate reaches a
    /// limit: a gate for CI
    #[command(after_long_help = after_help("check", true))]
    Check(CheckArgs),
    /// Counts over all events: volume over time, verdicts, policies, actions, domains, timing;
    /// for sending events the bounce and complaint rates against SES's thresholds, bounce types,
    /// status codes, delivery times, opens and clicks (memory grows with the distinct
    /// message-recipient pairs: about 60 bytes each)
    #[command(after_long_help = after_help("stats", false))]
    Stats(StatsArgs),
    /// The story of each sent message: its events in time order, grouped by message id, and
    /// what became of each recipient
    ///
    /// Events are grouped by SES message id (mail.messageId) and ordered by their own time
    /// (bounce.timestamp, delivery.timestamp…, else mail.timestamp), events without a readable
    /// time last; messages by their first event's time. --where and --failed choose messages: a
    /// message is shown with all its events when any of them matches. --limit counts events read.
    ///
    /// Memory grows with the input: every message is held until the end of input (1 million
    /// events of 300,000 messages took 522 MB; 1 million messages of one event each, 739 MB).
    #[command(after_long_help = after_help("timeline", false))]
    Timeline(TimelineArgs),
    /// One row per recipient address: sent, delivered, bounced, complained, opened, clicked, the
    /// last event, and whether to suppress it; --suppress lists those for SES's import
    ///
    /// One row per recipient address (lower-cased; `Name <addr>` read as addr) across the sending
    /// events of all input: Send events naming it, deliveries, hard bounces, soft bounces,
    /// complaints, opens, clicks, its last event (by event time) with its time and detail, and a
    /// suppression recommendation: COMPLAINT after a complaint; BOUNCE after a hard bounce
    /// (Permanent, except OnAccountSuppressionList: that address is already on the account's
    /// list and is shown as `listed`), or after --soft-bounces in a row. --where and --failed
    /// choose events, and --where is checked on each recipient's row (recipient, status and
    /// diagnostic_code are that recipient's). Received-mail events are left out.
    ///
    /// Memory grows with the number of distinct addresses (a few hundred bytes each), not with
    /// the number of events.
    #[command(after_long_help = after_help("recipients", false))]
    Recipients(RecipientsArgs),
    /// Write test events: receipt events with consistent headers, sending events of every type,
    /// in the envelope or log form your code receives
    #[command(after_long_help = after_help("generate", false))]
    Generate(GenerateArgs),
    /// Write the inputs back in their own form with personal data replaced by consistent
    /// pseudonyms: events to share in tickets, issues and chats
    #[command(after_long_help = after_help("redact", false))]
    Redact(RedactArgs),
    /// Print the shell script that completes commands, options, field names and statuses
    #[command(after_long_help = after_help("completions", false))]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from this command line
    #[command(after_long_help = after_help("man", false))]
    Man,
    /// Print the help of sesinspect or of one of its commands
    #[command(after_long_help = after_help("help", false))]
    Help(HelpArgs),
}

const MAIN_EXAMPLES: &str = "  sesinspect summary events.json
  sesinspect fields -F timestamp,from_domain,subject --where spf=fail events/
  sesinspect check --require spf,dkim captured/*.json.gz";

const SUMMARY_EXAMPLES: &str = "  sesinspect summary events.json
  sesinspect summary --failed --limit 20 firehose/2026/11/
  sesinspect summary -f ndjson events.ndjson.gz | jq -r .subject";

const FIELDS_EXAMPLES: &str =
    "  sesinspect fields -F from_domain,subject --where 'spf=fail|dkim=fail' logs/
  sesinspect fields --per-recipient -F recipient,status --failed sent/
  sesinspect fields -0 -F object_key --where recipients~billing@ events.json |
    xargs -0 -I{} aws s3 cp s3://inbound-mail/{} .
  sesinspect fields --count --where 'subject~/^re:/' events.ndjson";

const HEADERS_EXAMPLES: &str = "  sesinspect headers events.json
  sesinspect headers -n subject -n 'X-SES-*' events.json
  sesinspect headers -f ndjson --raw events.json | jq -r .value";

const HOPS_EXAMPLES: &str = "  sesinspect hops events.json
  sesinspect hops --where 'subject~invoice' events.json
  sesinspect hops -f tsv events.json | sort -t$'\\t' -k9 -n";

const AUTH_EXAMPLES: &str = "  sesinspect auth events.json
  sesinspect auth --failed events/
  sesinspect auth -f ndjson events.json | jq '.disagreements[]'";

const CHECK_EXAMPLES: &str = "  sesinspect check --require spf,dkim events.json || exit 1
  sesinspect check --allow Transient simulator-events.json
  sesinspect check --allow missing --allow disabled --quiet captured/*.json.gz
  sesinspect check -f ndjson events.ndjson | jq -c 'select(.verdicts)'
  sesinspect check --max-bounce-rate 4% --max-complaint-rate 0.08% firehose/";

const STATS_EXAMPLES: &str = "  sesinspect stats events/
  sesinspect stats --top 3 --where recipients~@billing. events.json
  sesinspect stats -f json events.ndjson.gz | jq .verdicts.dmarc
  sesinspect stats -f json firehose/ | jq .sending.bounce_rate";

const TIMELINE_EXAMPLES: &str = "  sesinspect timeline events/
  sesinspect timeline --failed --where recipients~@example.org events.ndjson.gz
  sesinspect timeline -f ndjson events/ | jq -c '.recipients[] | select(.severity == \"bad\")'";

const RECIPIENTS_EXAMPLES: &str = "  sesinspect recipients events/
  sesinspect recipients --soft-bounces 3 -f csv events/ > recipients.csv
  sesinspect recipients --suppress events/ > suppress.csv &&
    aws s3 cp suppress.csv s3://my-bucket/suppress.csv";

const GENERATE_EXAMPLES: &str =
    "  sesinspect generate --spf FAIL --dmarc FAIL --dmarc-policy reject --action S3
  sesinspect generate --type bounce --bounce Permanent/NoEmail --to someone@example.com
  sesinspect generate --mix --count 10000 --seed 7 | gzip > events.ndjson.gz
  sesinspect generate --type sending --wrap sns-lambda --pretty > event.json
  sesinspect generate --type sending --mix -n 150 --trouble 15 --truth truth.json > events.ndjson";

const REDACT_EXAMPLES: &str = "  sesinspect redact events.json > shareable.json
  sesinspect redact --key \"$TEAM_KEY\" --shift-time -30d captured/ > ticket.txt
  sesinspect redact --strict events.ndjson.gz > safe.ndjson || echo 'look at stderr'";

const COMPLETIONS_EXAMPLES: &str = "  sesinspect completions zsh > ~/.zfunc/_sesinspect
  sesinspect completions fish > ~/.config/fish/completions/sesinspect.fish
  source <(sesinspect completions bash)    # bash, in ~/.bashrc";

const MAN_EXAMPLES: &str =
    "  sesinspect man > ~/.local/share/man/man1/sesinspect.1 && man sesinspect
  sesinspect man | man -l -";

const HELP_EXAMPLES: &str = "  sesinspect help
  sesinspect help fields";

/// A few real uses of each command, by command name (`sesinspect` for the program).
const EXAMPLES: [(&str, &str); 15] = [
    ("sesinspect", MAIN_EXAMPLES),
    ("summary", SUMMARY_EXAMPLES),
    ("fields", FIELDS_EXAMPLES),
    ("headers", HEADERS_EXAMPLES),
    ("hops", HOPS_EXAMPLES),
    ("auth", AUTH_EXAMPLES),
    ("check", CHECK_EXAMPLES),
    ("stats", STATS_EXAMPLES),
    ("timeline", TIMELINE_EXAMPLES),
    ("recipients", RECIPIENTS_EXAMPLES),
    ("generate", GENERATE_EXAMPLES),
    ("redact", REDACT_EXAMPLES),
    ("completions", COMPLETIONS_EXAMPLES),
    ("man", MAN_EXAMPLES),
    ("help", HELP_EXAMPLES),
];

/// The examples of the command called `name`, one per line.
pub fn examples(name: &str) -> &'static str {
    EXAMPLES
        .iter()
        .find(|(command, _)| *command == name)
        .map_or("", |(_, examples)| examples)
}

/// What long help ends with: examples, then the exit codes.
fn after_help(name: &str, with_check: bool) -> String {
    format!(
        "Examples:\n{}\n\n{}",
        examples(name),
        exit::described(with_check)
    )
}

/// The inputs every reading command takes, and which of their messages it looks at.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read; none, or `-`, reads standard input
    ///
    /// A file may hold one JSON document, NDJSON, concatenated documents or an array of them;
    /// SES events inside SNS, SQS, EventBridge, Kinesis or Firehose envelopes; or captured
    /// CloudWatch log text. Gzip is recognised by its first bytes. A directory is read
    /// recursively, in name order, skipping hidden files and directories unless --hidden.
    #[arg(value_name = "FILE", value_hint = ValueHint::AnyPath)]
    pub files: Vec<OsString>,

    /// Only events where EXPR holds (rows, with --per-recipient); repeat to require several
    ///
    /// EXPR is FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains) or FIELD~/REGEX/, compared
    /// case-insensitively; `A|B` holds when A or B does (`|` binds tighter than repeating
    /// --where, which requires each). FIELD is anything `fields -F` accepts. A missing value
    /// compares as empty text; a list holds when any item does (`!=`: when none does).
    #[arg(
        long = "where",
        value_name = "EXPR",
        help_heading = "Selection",
        add = ArgValueCompleter::new(complete::condition)
    )]
    pub conditions: Vec<String>,

    /// Only events that report a problem: received mail with a verdict (spf, dkim, dmarc, spam,
    /// virus) present and not PASS; sent mail that bounced, drew a complaint, was rejected,
    /// failed to render or is delayed
    #[arg(long, help_heading = "Selection")]
    pub failed: bool,

    /// Stop after N messages (of those selected): reading stops there
    #[arg(long, value_name = "N", help_heading = "Selection")]
    pub limit: Option<usize>,

    /// Skip documents that are not SES events, counted in one line on stderr
    ///
    /// Foreign documents are well-formed JSON that neither is an SES event nor holds one (an S3
    /// or CloudFormation event, an SNS subscription confirmation, an empty object), and inputs
    /// that hold nothing else. Broken JSON, fields of the wrong type and SES events that lack a
    /// part they need (`mail`, `receipt`) are still errors.
    #[arg(long, help_heading = "Input")]
    pub skip_foreign: bool,

    /// Also read hidden files and directories (names starting with `.`) inside directories
    #[arg(long, help_heading = "Input")]
    pub hidden: bool,

    /// Decoding threads [default: the number of CPUs, at most 8; one when the files named hold
    /// 256 KiB or less]; output is the same for any number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256),
          help_heading = "Input")]
    pub threads: Option<u16>,

    /// The largest single document (or record of a list) to hold in memory [default: 1GiB]
    ///
    /// SIZE is bytes, or a number with K, M, G or T (powers of 1024; KB, MB, GB, TB are powers
    /// of 1000). A larger one is reported and skipped, and reading goes on at the next line that
    /// starts a document.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = "Limits")]
    pub max_document: Option<u64>,

    /// The most a gzip payload inside an envelope (awslogs data, Kinesis records) may inflate to
    /// [default: 64MiB]
    ///
    /// SIZE as for --max-document. A payload that inflates to more is reported, naming the
    /// envelope, and skipped. A gzip input file is streamed and has no such limit.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = "Limits")]
    pub max_inflate: Option<u64>,
}

/// A size: bytes, or a whole number with a unit — K, M, G, T (or KiB…TiB) for powers of 1024,
/// KB, MB, GB, TB for powers of 1000 — in any case, with an optional B after K, M, G or T.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(format!(
            "`{text}` is not a size: give bytes, or a number with K, M, G or T (512MiB, 2G)"
        ));
    }
    let number: u64 = text[..digits]
        .parse()
        .map_err(|_| format!("`{text}` is too large"))?;
    let unit = text[digits..].trim_start().to_ascii_uppercase();
    let (power, base) = match unit.as_str() {
        "" | "B" => (0, 1024),
        "K" | "KIB" => (1, 1024),
        "M" | "MIB" => (2, 1024),
        "G" | "GIB" => (3, 1024),
        "T" | "TIB" => (4, 1024),
        "KB" => (1, 1000),
        "MB" => (2, 1000),
        "GB" => (3, 1000),
        "TB" => (4, 1000),
        _ => {
            return Err(format!(
                "`{text}`: unknown unit `{}` (use K, M, G, T, KiB…TiB or KB…TB)",
                &text[digits..]
            ));
        }
    };
    let bytes = (0..power).try_fold(number, |n, _| n.checked_mul(base));
    match bytes {
        Some(0) => Err("a size must be more than 0".to_string()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

/// How output for people looks.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// When to colour the output [NO_COLOR and CLICOLOR_FORCE are honoured with `auto`]
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto,
          ignore_case = true, help_heading = "Output")]
    pub color: ColorArg,
}

/// The guard of TSV and CSV cells against spreadsheet formulas, for the commands that write them.
#[derive(Debug, Args)]
pub struct SpreadsheetArgs {
    /// In TSV and CSV, start each cell that a spreadsheet would take for a formula (=, +, -, @,
    /// tab or carriage return first) with `'`, so that it is shown as text
    #[arg(long = "spreadsheet-safe", help_heading = "Output")]
    pub safe: bool,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// One row per recipient of each event, with its recipient, recipient_action, status and
    /// diagnostic_code; --where then chooses rows
    #[arg(long, help_heading = "Selection")]
    pub per_recipient: bool,

    /// Output format; TSV and CSV start with a header row
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "tables for people (received and sent mail each their own), laid out for the terminal's width, with totals"),
              (Format::Json, "a JSON array with one object per event, every field"),
              (Format::Ndjson, "one JSON object per event and line, every field"),
              (Format::Tsv, "tab-separated values, escaped like jq's @tsv, every field"),
              (Format::Csv, "comma-separated values (RFC 4180), every field"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub spreadsheet: SpreadsheetArgs,

    /// Print only the number of messages selected
    #[arg(long, conflicts_with = "format", help_heading = "Output")]
    pub count: bool,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct FieldsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Fields to print, comma-separated (repeatable)
    ///
    /// A name from --list (spf, bounce_type, from_domain…), a path into the record
    /// (mail.commonHeaders.subject, bounce.bouncedRecipients[0].status, mail.headers[0].name),
    /// header:NAME (the first such header) / header:NAME[*] (all of them), encoded-words
    /// decoded, or tag:NAME (the values of a message tag of sent mail).
    #[arg(
        short = 'F',
        long = "fields",
        value_name = "LIST",
        value_delimiter = ',',
        required_unless_present_any = ["list", "count"],
        help_heading = "Fields",
        add = ArgValueCompleter::new(complete::field)
    )]
    pub fields: Vec<String>,

    /// List the field names with what they mean, and exit
    #[arg(long, exclusive = true, help_heading = "Fields")]
    pub list: bool,

    /// One line per recipient of each event; adds the fields recipient and recipient_action,
    /// makes status and diagnostic_code that recipient's, and --where chooses lines
    #[arg(long, help_heading = "Fields")]
    pub per_recipient: bool,

    /// Output format; TSV and CSV have no header row unless --header
    #[arg(long, short = 'f', default_value = "tsv", ignore_case = true,
          value_parser = formats(&[
              (Format::Tsv, "tab-separated values, escaped like jq's @tsv"),
              (Format::Csv, "comma-separated values (RFC 4180), exact values"),
              (Format::Json, "a JSON array with one object per event"),
              (Format::Ndjson, "one JSON object per event and line"),
              (Format::Table, "a table for people"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    /// Start TSV and CSV output with a header row
    #[arg(long, help_heading = "Output")]
    pub header: bool,

    /// End each TSV or CSV record with NUL instead of a line end, for `xargs -0`
    #[arg(short = '0', long = "null", help_heading = "Output")]
    pub null: bool,

    #[command(flatten)]
    pub spreadsheet: SpreadsheetArgs,

    /// Print only the number of messages selected
    #[arg(long, conflicts_with_all = ["format", "header", "null"], help_heading = "Output")]
    pub count: bool,

    #[command(flatten)]
    pub view: ViewArgs,
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
        ignore_case = true,
        default_value = "spf,dkim,dmarc,spam,virus",
        help_heading = "Check"
    )]
    pub require: Vec<Verdict>,

    /// Also accept (repeatable): a status for the required verdicts of received mail (MISSING
    /// is a verdict absent from the event), or a sending event type or bounce type that
    /// otherwise fails (by default Bounce, Complaint, Reject and Rendering Failure do)
    #[arg(
        long,
        value_name = "WHAT",
        value_enum,
        ignore_case = true,
        help_heading = "Check"
    )]
    pub allow: Vec<AllowArg>,

    /// Fail when the bounce rate (hard bounces ÷ distinct message-recipient pairs sent, as SES
    /// counts them) is at or over RATE: a percentage (`5%`) or a fraction (`0.05`). Bounces then
    /// count toward the rate instead of failing one by one. Memory grows with the pairs sent
    #[arg(long, value_name = "RATE", value_parser = rate, help_heading = "Check")]
    pub max_bounce_rate: Option<f64>,

    /// Fail when the complaint rate (complaints ÷ pairs sent) is at or over RATE (`0.1%` or
    /// `0.001`). Complaints then count toward the rate instead of failing one by one
    #[arg(long, value_name = "RATE", value_parser = rate, help_heading = "Check")]
    pub max_complaint_rate: Option<f64>,

    /// Print nothing, not even progress; only the exit code tells
    #[arg(long, short = 'q', help_heading = "Output")]
    pub quiet: bool,

    /// Output format
    #[arg(long, short = 'f', default_value = "text", ignore_case = true,
          value_parser = formats(&[
              (Format::Text, "one line per failing message, then `N checked, M failed`"),
              (Format::Json, "one object: {\"checked\",\"failed\",\"failures\":[…]}"),
              (Format::Ndjson, "one object per failure as it is found, then the totals"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub view: ViewArgs,
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

/// A rate limit: a percentage (`5%`, `0.1%`) or a fraction (`0.05`), from 0 to 1.
fn rate(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent.trim(), 100.0),
        None => (text.trim(), 1.0),
    };
    let value = number.parse::<f64>().map_err(|_| {
        format!("`{text}` is not a rate: write a percentage (5%) or a fraction (0.05)")
    })? / scale;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a rate between 0% and 100%"))
    }
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// How many sender domains, From domains and recipients, and for sent mail status codes,
    /// bounce and complaint domains and links, to list; 0 lists none
    #[arg(long, value_name = "N", default_value_t = 10, help_heading = "Output")]
    pub top: usize,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "tables and bar charts for people"),
              (Format::Json, "one compact JSON object"),
              (Format::Ndjson, "the same object, on one line"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "a block per message: its events with their offsets, then each recipient's outcome"),
              (Format::Json, "a JSON array with one object per message, its events and recipients"),
              (Format::Ndjson, "one such object per message and line"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct RecipientsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Also recommend BOUNCE after N soft bounces (Transient, Undetermined or untyped) in a row,
    /// with no delivery after the first of them, by event time [default: soft bounces never do]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..),
          help_heading = "Suppression")]
    pub soft_bounces: Option<u16>,

    /// Print only the addresses to suppress, as SES's suppression-list import reads them:
    /// `address,REASON` lines (CSV, no header), or with -f json `{"emailAddress":…,"reason":…}`
    /// lines
    #[arg(long, help_heading = "Suppression")]
    pub suppress: bool,

    /// Output format; TSV and CSV start with a header row
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "a table for people, laid out for the terminal's width"),
              (Format::Json, "a JSON array with one object per address (with --suppress: JSON lines)"),
              (Format::Ndjson, "one JSON object per address and line"),
              (Format::Tsv, "tab-separated values, escaped like jq's @tsv"),
              (Format::Csv, "comma-separated values (RFC 4180)"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub spreadsheet: SpreadsheetArgs,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct HeadersArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Only headers with this name (case-insensitive; a trailing `*` matches a prefix, as in
    /// `X-SES-*`); repeatable
    #[arg(
        short = 'n',
        long = "name",
        value_name = "NAME",
        help_heading = "Headers"
    )]
    pub names: Vec<String>,

    /// Show values as received, encoded-words and all
    #[arg(long, help_heading = "Headers")]
    pub raw: bool,

    /// Output format; the data formats have one record per header, TSV and CSV with a header row
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "a table per message, titled when there are several"),
              (Format::Json, "a JSON array of {input, ses_id, index, name, value}"),
              (Format::Ndjson, "one such object per line"),
              (Format::Tsv, "tab-separated values, escaped like jq's @tsv"),
              (Format::Csv, "comma-separated values (RFC 4180)"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub spreadsheet: SpreadsheetArgs,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct HopsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format; the data formats have one record per hop, TSV and CSV with a header row
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "a table per message, titled when there are several"),
              (Format::Json, "a JSON array of {input, ses_id, hop, from, by, with, id, time, delay_seconds}"),
              (Format::Ndjson, "one such object per line"),
              (Format::Tsv, "tab-separated values, escaped like jq's @tsv"),
              (Format::Csv, "comma-separated values (RFC 4180)"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub spreadsheet: SpreadsheetArgs,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, short = 'f', default_value = "table", ignore_case = true,
          value_parser = formats(&[
              (Format::Table, "a table per message: who added each header, disagreements, notes"),
              (Format::Json, "a JSON array with one report object per message"),
              (Format::Ndjson, "one report object per message and line"),
          ]),
          help_heading = "Output")]
    pub format: Format,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Files or directories to redact; none, or `-`, reads standard input
    ///
    /// Each is written to stdout in its own form: JSON documents and NDJSON (with their
    /// envelopes), CloudWatch log text, Python repr lines; base64 and gzip payloads (awslogs,
    /// Kinesis, Firehose) are decoded, redacted and encoded again. Gzip inputs are written
    /// decompressed.
    #[arg(value_name = "FILE", value_hint = ValueHint::AnyPath)]
    pub files: Vec<OsString>,

    /// The HMAC key the pseudonyms are made with: the same key gives the same pseudonyms in
    /// every run; without it, a random key is drawn for each run
    #[arg(long, value_name = "KEY", help_heading = "Redaction")]
    pub key: Option<String>,

    /// Move every time (RFC 3339 times, Date headers, epoch timestamps) by DURATION, such as
    /// `-3d`, `90m` or `1h 30m`
    #[arg(
        long,
        value_name = "DURATION",
        allow_hyphen_values = true,
        help_heading = "Redaction"
    )]
    pub shift_time: Option<String>,

    /// Do not write a document (or log line) holding a value redact cannot classify: report it
    /// and exit 2. Without --strict such values are replaced by placeholders and listed on stderr
    #[arg(long, help_heading = "Redaction")]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, ignore_case = true)]
    pub shell: Shell,
}

/// A shell sesinspect can complete in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The command to describe (summary, fields, headers…); none describes sesinspect
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
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

impl Command {
    /// The `--color` of a command that has one.
    pub fn color(&self) -> Option<ColorArg> {
        let view = match self {
            Command::Summary(args) => &args.view,
            Command::Fields(args) => &args.view,
            Command::Headers(args) => &args.view,
            Command::Hops(args) => &args.view,
            Command::Auth(args) => &args.view,
            Command::Check(args) => &args.view,
            Command::Stats(args) => &args.view,
            Command::Timeline(args) => &args.view,
            Command::Recipients(args) => &args.view,
            Command::Generate(_)
            | Command::Redact(_)
            | Command::Completions(_)
            | Command::Man
            | Command::Help(_) => {
                return None;
            }
        };
        Some(view.color)
    }
}

/// What `generate` writes: which events, with which values, in which form.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Which events: receipt events, every sending type, or one sending type
    #[arg(long = "type", value_enum, value_name = "TYPE", default_value_t = EventKind::Received,
          ignore_case = true, help_heading = "Events")]
    pub kind: EventKind,

    /// How many events to write
    #[arg(
        long,
        short = 'n',
        value_name = "N",
        default_value_t = 1,
        help_heading = "Events"
    )]
    pub count: u64,

    /// The seed: the same seed and options give the same bytes, on any platform
    #[arg(long, value_name = "S", default_value_t = 1, help_heading = "Events")]
    pub seed: u64,

    /// Draw what was not asked for in realistic proportions (verdicts, actions, policies, hops,
    /// signatures and other headers, encoded-words in B or Q, bounce and feedback types,
    /// notifications; with --type sending, each message followed through its events from its
    /// Send), rather than PASS, Lambda and the first of each
    #[arg(long, help_heading = "Events")]
    pub mix: bool,

    /// Envelope sender and From, as `addr@example.com` or `Name <addr@example.com>`
    #[arg(long, value_name = "MAILBOX", help_heading = "Message")]
    pub from: Option<String>,

    /// A recipient (repeatable); all of them get the event
    #[arg(long, value_name = "ADDRESS", help_heading = "Message")]
    pub to: Vec<String>,

    /// The subject
    #[arg(long, value_name = "TEXT", help_heading = "Message")]
    pub subject: Option<String>,

    /// Write non-ASCII subjects and display names as RFC 2047 encoded-words in the headers
    #[arg(long, help_heading = "Message")]
    pub encoded_words: bool,

    /// Mark the headers as truncated (`headersTruncated: true`) and keep only the first half
    #[arg(long, help_heading = "Message")]
    pub headers_truncated: bool,

    /// Receipt events: the SPF verdict
    #[arg(
        long,
        value_enum,
        value_name = "STATUS",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub spf: Option<Status>,

    /// Receipt events: the DKIM verdict
    #[arg(
        long,
        value_enum,
        value_name = "STATUS",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub dkim: Option<Status>,

    /// Receipt events: the DMARC verdict
    #[arg(
        long,
        value_enum,
        value_name = "STATUS",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub dmarc: Option<Status>,

    /// Receipt events: leave `dmarcVerdict` out, as several real events do
    #[arg(long, conflicts_with = "dmarc", help_heading = "Receipt events")]
    pub no_dmarc: bool,

    /// Receipt events: the sender's DMARC policy [default: none when DMARC fails, else absent]
    #[arg(
        long,
        value_enum,
        value_name = "POLICY",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub dmarc_policy: Option<Policy>,

    /// Receipt events: the spam verdict
    #[arg(
        long,
        value_enum,
        value_name = "STATUS",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub spam: Option<Status>,

    /// Receipt events: the virus verdict
    #[arg(
        long,
        value_enum,
        value_name = "STATUS",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub virus: Option<Status>,

    /// Receipt events: the receipt rule's action [default: Lambda]; with SNS, the SNS forms
    /// carry the raw message in `content`
    #[arg(
        long,
        value_enum,
        value_name = "TYPE",
        ignore_case = true,
        help_heading = "Receipt events"
    )]
    pub action: Option<Action>,

    /// Bounces: TYPE/SUBTYPE, such as Permanent/NoEmail or Transient/MailboxFull, with the DSN
    /// status and diagnostic code that go with it [default: Permanent/General]
    #[arg(long, value_name = "TYPE/SUBTYPE", help_heading = "Sending events")]
    pub bounce: Option<String>,

    /// Complaints: the feedback type [default: abuse]
    #[arg(
        long,
        value_enum,
        value_name = "TYPE",
        ignore_case = true,
        help_heading = "Sending events"
    )]
    pub complaint: Option<Feedback>,

    /// Bounce, Complaint and Delivery as identity notifications (`notificationType`, no tags)
    /// rather than event publishing records (`eventType`)
    #[arg(long, help_heading = "Sending events")]
    pub notification: bool,

    /// A message tag NAME=VALUE (repeatable), beside the ses: tags
    #[arg(long, value_name = "NAME=VALUE", help_heading = "Sending events")]
    pub tag: Vec<String>,

    /// With --type sending --mix: multiply the chances of bounces, complaints and
    /// unsubscriptions by N (1 to 31), so that a small run has every kind of event
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=31), help_heading = "Sending events")]
    pub trouble: u64,

    /// The form events are written in [default: as SES writes them: a Lambda event for receipt
    /// events, the record for sending events]
    #[arg(long, value_enum, value_name = "FORM", help_heading = "Output")]
    pub wrap: Option<Wrap>,

    /// One pretty-printed JSON document per event instead of one line each
    #[arg(long, help_heading = "Output")]
    pub pretty: bool,

    /// Also write to FILE, as JSON, the answers any correct reader must find, from what each
    /// event was made to say: for receipt events the records, distinct senders and each
    /// verdict's statuses; for sending events the counts of `stats -f json`'s `sending` and the
    /// suppression list of `recipients --suppress`
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub truth: Option<std::path::PathBuf>,
}

/// The whole command line, as clap builds it: for help, the man page and completions.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// A parser for `--format` that accepts the formats listed, each with what it gives in this
/// command, and lists them in `--help` and in completions.
fn formats(choices: &[(Format, &'static str)]) -> impl TypedValueParser<Value = Format> {
    let accepted: Vec<Format> = choices.iter().map(|(format, _)| *format).collect();
    PossibleValuesParser::new(
        choices
            .iter()
            .map(|(format, about)| PossibleValue::new(format.name()).help(*about)),
    )
    .map(move |name| {
        accepted
            .iter()
            .copied()
            .find(|format| format.name().eq_ignore_ascii_case(&name))
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
    #[test]
    fn definition_is_consistent() {
        super::command().debug_assert();
    }
}
