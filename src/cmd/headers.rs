//! `sesinspect headers`: each message's headers in message order — `#`, name, value — decoded
//! from RFC 2047 unless `--raw`, optionally only those with given names.

use std::borrow::Cow;

use super::report::{self, Report, View, identity};
use super::{Env, Shown, reading};
use crate::cli::HeadersArgs;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::model::{Header, Message, words};
use crate::pipeline::Findings;
use crate::render::table::Table;
use crate::sanitize::{Escaping, escaped};

pub fn run(args: HeadersArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = reading(&args.inputs, env, Shown::AsFound, false)?;
    let headers = Headers {
        names: args.names.iter().map(|n| NamePattern::new(n)).collect(),
        raw: args.raw,
    };
    report::run(&reading, headers, args.format, args.spreadsheet.safe, env)
}

/// `-n NAME`: a name, or a prefix when it ends in `*`; compared case-insensitively.
struct NamePattern {
    text: String,
    prefix: bool,
}

impl NamePattern {
    fn new(pattern: &str) -> NamePattern {
        match pattern.strip_suffix('*') {
            Some(prefix) => NamePattern {
                text: prefix.to_ascii_lowercase(),
                prefix: true,
            },
            None => NamePattern {
                text: pattern.to_ascii_lowercase(),
                prefix: false,
            },
        }
    }

    fn matches(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        if self.prefix {
            name.starts_with(&self.text)
        } else {
            name == self.text
        }
    }
}

struct Headers {
    names: Vec<NamePattern>,
    raw: bool,
}

impl Headers {
    /// The chosen headers with their numbers from 1, in message order; a note when SES cut
    /// them off.
    fn chosen<'h>(
        &self,
        message: &Message,
        headers: &'h [Header],
        findings: &mut Findings,
    ) -> Vec<(usize, &'h Header<'h>)> {
        if message.mail.headers_truncated == Some(true) {
            findings.notes.push(format!(
                "{}: warning: SES cut the headers off at 10 KB, so this list is incomplete",
                message.origin
            ));
        }
        let mut chosen = Vec::with_capacity(headers.len());
        chosen.extend(
            headers
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    self.names.is_empty() || self.names.iter().any(|p| p.matches(&h.name))
                })
                .map(|(index, header)| (index + 1, header)),
        );
        chosen
    }

    fn value<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.raw {
            Cow::Borrowed(text)
        } else {
            words::decode(text)
        }
    }
}

impl Report for Headers {
    const COLUMNS: &'static [&'static str] = &["input", "ses_id", "index", "name", "value"];

    fn records(
        &self,
        message: &Message,
        headers: &[Header],
        findings: &mut Findings,
        add: &mut dyn FnMut(&[Value]),
    ) {
        let input = message.origin.to_string();
        for (number, header) in self.chosen(message, headers, findings) {
            let [input, ses_id] = identity(message, &input);
            let value = match self.value(&header.value) {
                Cow::Borrowed(value) => Value::Text(value),
                Cow::Owned(value) => Value::Owned(value),
            };
            add(&[
                input,
                ses_id,
                Value::Number(number as u64),
                Value::Text(&header.name),
                value,
            ]);
        }
    }

    fn block(
        &self,
        message: &Message,
        headers: &[Header],
        findings: &mut Findings,
        view: View,
        body: &mut Vec<u8>,
    ) {
        let mut table = Table::new(["#", "Name", "Value"]);
        for (number, header) in self.chosen(message, headers, findings) {
            table.push([
                number.to_string(),
                escaped(&header.name, Escaping::Display),
                escaped(&self.value(&header.value), Escaping::Display),
            ]);
        }
        if table.is_empty() {
            body.extend_from_slice(view.palette.dim("no matching headers\n").as_bytes());
        } else {
            // Writing into memory cannot fail.
            let _ = table.write(view.palette, view.width, body);
        }
    }
}
