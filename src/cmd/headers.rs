//! `sesinspect headers`: each message's headers in message order — `#`, name, value — decoded
//! from RFC 2047 unless `--raw`, optionally only those with given names.

use super::report::{self, Block, Layout, Report, ReportPart, title};
use super::{Env, selection};
use crate::cli::HeadersArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::model::{Message, words};
use crate::pipeline::{Collect, Findings};
use crate::render::table::Table;
use crate::sanitize::{Escaping, escaped};

const COLUMNS: [&str; 5] = ["input", "ses_id", "index", "name", "value"];

pub fn run(args: HeadersArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = selection(&args.inputs)?;
    let layout = Layout::new(args.format, &COLUMNS);
    let headers = Headers {
        names: args.names.iter().map(|n| NamePattern::new(n)).collect(),
        raw: args.raw,
        layout,
        palette: env.palette,
        width: env.stdout.width,
    };
    report::run(&reading, headers, env)
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
    layout: Layout,
    palette: Palette,
    width: Option<usize>,
}

impl Report for Headers {
    fn layout(&self) -> &Layout {
        &self.layout
    }
}

impl Collect for Headers {
    type Part = ReportPart;

    fn collect(&self, message: &Message, part: &mut ReportPart, findings: &mut Findings) {
        let Some(headers) = report::headers(message, findings) else {
            return;
        };
        if message.mail.headers_truncated == Some(true) {
            findings.notes.push(format!(
                "{}: warning: SES cut the headers off at 10 KB, so this list is incomplete",
                message.origin
            ));
        }
        let selected = headers.iter().enumerate().filter(|(_, h)| {
            self.names.is_empty() || self.names.iter().any(|p| p.matches(&h.name))
        });
        let value = |text: &str| {
            if self.raw {
                text.to_string()
            } else {
                words::decode(text).into_owned()
            }
        };
        match &self.layout {
            Layout::Records(records) => {
                let input = message.origin.to_string();
                for (index, header) in selected {
                    let values = [
                        Value::Text(&input),
                        message
                            .mail
                            .message_id
                            .as_deref()
                            .map_or(Value::Missing, Value::Text),
                        Value::Number(index as u64 + 1),
                        Value::Text(&header.name),
                        Value::Owned(value(&header.value)),
                    ];
                    records.add(&values, &mut part.records);
                }
            }
            Layout::Blocks => {
                let mut table = Table::new(["#", "Name", "Value"]);
                for (index, header) in selected {
                    table.push([
                        (index + 1).to_string(),
                        escaped(&header.name, Escaping::Display),
                        escaped(&value(&header.value), Escaping::Display),
                    ]);
                }
                let mut body = Vec::new();
                if table.is_empty() {
                    body.extend_from_slice(self.palette.dim("no matching headers\n").as_bytes());
                } else {
                    // Writing into memory cannot fail.
                    let _ = table.write(self.palette, self.width, &mut body);
                }
                let mut heading = title(message, self.palette);
                if message.mail.headers_truncated == Some(true) {
                    heading.push_str(&self.palette.warning(" (headers truncated by SES)"));
                }
                part.blocks.push(Block {
                    title: heading,
                    body,
                });
            }
        }
    }
}
