//! `redact`: writes each input back in its own form (documents, envelopes, log text, base64
//! and gzip payloads) with personal data replaced by consistent pseudonyms, and lists on stderr
//! what it could not classify.

use std::io::{BufReader, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::cli::RedactArgs;
use crate::exit::Outcome;
use crate::input;
use crate::origin::{Origin, Position};
use crate::problem::Problem;
use crate::redact::stream::{self, Failed, Skipped};
use crate::redact::{Pseudonyms, Redactor};

use super::Env;

pub fn run(args: RedactArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let shift = match &args.shift_time {
        Some(text) => parse_shift(text)?,
        None => jiff::SignedDuration::ZERO,
    };
    let key = match &args.key {
        Some(key) if key.is_empty() => anyhow::bail!("--key: an empty key protects nothing"),
        Some(key) => key.as_bytes().to_vec(),
        None => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| anyhow::anyhow!("no random key could be drawn: {e}"))?;
            key.to_vec()
        }
    };
    let mut redactor = Redactor::new(Pseudonyms::new(&key), shift);
    let read = Arc::new(AtomicU64::new(0));
    for input in input::expand(&args.files, false) {
        let reader = match input.open(&read) {
            Ok(reader) => reader,
            Err(problem) => {
                env.reporter.problem(&problem);
                continue;
            }
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut skipped = Vec::new();
        let result = stream::redact_stream(
            &mut redactor,
            &mut reader,
            &mut env.stdout.writer,
            args.strict,
            &mut |problem: Skipped| skipped.push(problem),
        );
        for problem in skipped {
            let at = Position {
                line: problem.line,
                column: problem.column,
            };
            let origin = Origin::at(&input.name, at, Vec::new());
            env.reporter
                .problem(&Problem::new(problem.kind, origin, problem.message));
        }
        match result {
            Ok(()) => {}
            Err(Failed::Read(error)) => env.reporter.problem(&input.problem(&error)),
            Err(Failed::Write(error)) => return Err(error.into()),
        }
    }
    env.stdout.writer.flush()?;
    for (path, count) in redactor.unclassified() {
        let replaced = if args.strict {
            "not written"
        } else {
            "replaced by placeholders"
        };
        env.reporter.note(format!(
            "could not classify {count} value{} at {path}: {replaced}",
            if *count == 1 { "" } else { "s" }
        ));
    }
    Ok(env.outcome())
}

/// `--shift-time`: `90m`, `-3d`, `1h 30m`, `P1DT2H`; days are 24 hours.
fn parse_shift(text: &str) -> anyhow::Result<jiff::SignedDuration> {
    if let Ok(duration) = text.parse::<jiff::SignedDuration>() {
        return Ok(duration);
    }
    let span: jiff::Span = text
        .parse()
        .map_err(|e| anyhow::anyhow!("--shift-time: `{text}` is not a duration ({e})"))?;
    span.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|e| anyhow::anyhow!("--shift-time: `{text}` is not a duration ({e})"))
}

#[cfg(test)]
mod tests {
    use super::parse_shift;
    use jiff::SignedDuration;

    #[test]
    fn shifts_are_read_in_friendly_and_iso_forms_with_days_of_24_hours() {
        assert_eq!(
            parse_shift("-30d").ok(),
            Some(SignedDuration::from_hours(-720))
        );
        assert_eq!(
            parse_shift("1h 30m").ok(),
            Some(SignedDuration::from_mins(90))
        );
        assert_eq!(
            parse_shift("P1D").ok(),
            Some(SignedDuration::from_hours(24))
        );
        assert!(parse_shift("soon").is_err());
    }
}
