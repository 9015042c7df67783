//! A whole command in-process on arbitrary input bytes, its output written into a sink: the
//! first byte picks the command line (command, format, options, width, threads), the rest is the
//! input file. No panic, and a run that fails says so (`Trouble`), never with an error from inside.

#![no_main]

use std::io;
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use sesinspect::cli::Cli;
use sesinspect::cmd::run_to;
use sesinspect::output::Stdout;

/// The command lines to try; the input file's path is added at the end.
const COMMANDS: &[&[&str]] = &[
    &["summary"],
    &["summary", "-f", "json"],
    &["summary", "-f", "csv", "--per-recipient"],
    &["summary", "-f", "tsv", "--failed"],
    &["fields", "-F", "timestamp,spf,dkim,tag:ses:source-ip"],
    &[
        "fields",
        "-f",
        "json",
        "-F",
        "subject,from_domain,header:From,mail.headers[0].value",
    ],
    &[
        "fields",
        "-f",
        "table",
        "--per-recipient",
        "--where",
        "status~5|spf=fail",
        "-F",
        "recipient,status",
    ],
    &["headers"],
    &["headers", "-f", "json"],
    &["hops"],
    &["hops", "-f", "csv"],
    &["auth"],
    &["auth", "-f", "json"],
    &["check"],
    &["check", "-f", "ndjson", "--require", "spf,dkim,dmarc"],
    &["stats"],
    &["stats", "-f", "json"],
    &["summary", "--skip-foreign", "--limit", "3"],
];

/// A file of this process's own to hold each input.
fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sesinspect-fuzz-{}.json", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, input)) = data.split_first() else {
        return;
    };
    let path = input_path();
    std::fs::write(path, input).expect("the input file is written");
    let command = COMMANDS[usize::from(choice) % COMMANDS.len()];
    let threads = if choice & 0x80 != 0 { "2" } else { "1" };
    let mut args = vec!["sesinspect"];
    args.extend_from_slice(command);
    args.extend([
        "--threads",
        threads,
        path.to_str().expect("a UTF-8 temp path"),
    ]);
    let cli = Cli::try_parse_from(&args).expect("the fuzz command lines are valid");
    let stdout = Stdout {
        writer: Box::new(io::sink()),
        is_terminal: choice & 0x40 != 0,
        width: (choice & 0x20 != 0).then_some(60),
    };
    if let Err(error) = run_to(cli, stdout) {
        panic!("the command failed instead of reporting: {error:#}");
    }
});
