//! The named fields of a message (`ses_id`, `spf`, `subject`…): one table, shared by every
//! command that prints fields, so names, meanings and JSON keys never drift apart.

use std::borrow::Cow;

use crate::mail;
use crate::model::{Action, Message, Status, Text, Verdict};

/// One field's value for one message, borrowed from the message where possible.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'m> {
    /// Absent from the event.
    Missing,
    Text(&'m str),
    List(Cow<'m, [Text<'m>]>),
    Number(u64),
    Signed(i64),
    Bool(bool),
    Verdict(&'m Status<'m>),
    Owned(String),
    /// A value found by a path into the record, as it is there.
    Json(&'m serde_json::Value),
}

impl<'m> Value<'m> {
    fn text<'t>(text: Option<&'t Text<'_>>) -> Value<'t> {
        text.map_or(Value::Missing, |t| Value::Text(t))
    }

    /// Calls `piece` with each piece of text the value holds: one per list item, nothing when
    /// missing. Renderers join the pieces with ", ".
    pub fn each_piece(&self, piece: &mut dyn FnMut(&str)) {
        match self {
            Value::Missing | Value::Json(serde_json::Value::Null) => {}
            Value::Text(text) => piece(text),
            Value::Owned(text) => piece(text),
            Value::Verdict(status) => piece(status.as_str()),
            Value::List(items) => items.iter().for_each(|item| piece(item)),
            Value::Number(n) => piece(&n.to_string()),
            Value::Signed(n) => piece(&n.to_string()),
            Value::Bool(b) => piece(if *b { "true" } else { "false" }),
            Value::Json(serde_json::Value::String(text)) => piece(text),
            Value::Json(serde_json::Value::Array(items)) if items.iter().all(is_scalar) => {
                for item in items {
                    Value::Json(item).each_piece(piece);
                }
            }
            Value::Json(other) => piece(&other.to_string()),
        }
    }

    /// True for a list of items, which text formats join (see `render::LIST_SEPARATOR`).
    pub fn is_list(&self) -> bool {
        match self {
            Value::List(_) => true,
            Value::Json(serde_json::Value::Array(items)) => items.iter().all(is_scalar),
            _ => false,
        }
    }

    /// The pieces of text, for comparing; a missing value reads as one empty text.
    pub fn texts(&self) -> Vec<String> {
        let mut texts = Vec::new();
        self.each_piece(&mut |piece| texts.push(piece.to_string()));
        if texts.is_empty() {
            texts.push(String::new());
        }
        texts
    }
}

fn is_scalar(value: &serde_json::Value) -> bool {
    !matches!(
        value,
        serde_json::Value::Array(_) | serde_json::Value::Object(_)
    )
}

/// A field: its name (also its JSON key), what it means, and how to read it.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub about: &'static str,
    pub get: for<'m> fn(&'m Message<'_>) -> Value<'m>,
}

macro_rules! list {
    ($option:expr) => {
        $option
            .as_ref()
            .map_or(Value::Missing, |list| Value::List(Cow::Borrowed(&list.0)))
    };
}

/// Every named field, in the order `summary` writes them.
pub static FIELDS: &[Field] = &[
    Field {
        name: "input",
        about: "where the message came from: the file and line of its document (and column when it does not start the line), then the record and envelope it was in, as in `events.json:1 Records[2] → body`",
        get: |m| Value::Owned(m.origin.to_string()),
    },
    Field {
        name: "timestamp",
        about: "when SES received the message (mail.timestamp)",
        get: |m| Value::text(m.mail.timestamp.as_ref()),
    },
    Field {
        name: "ses_id",
        about: "the SES message id, also the S3 object key (mail.messageId)",
        get: |m| Value::text(m.mail.message_id.as_ref()),
    },
    Field {
        name: "message_id",
        about: "the Message-ID header (mail.commonHeaders.messageId)",
        get: |m| Value::text(common(m).and_then(|c| c.message_id.as_ref())),
    },
    Field {
        name: "source",
        about: "the envelope sender, MAIL FROM (mail.source)",
        get: |m| Value::text(m.mail.source.as_ref()),
    },
    Field {
        name: "from",
        about: "the From addresses (mail.commonHeaders.from)",
        get: |m| list!(common(m).and_then(|c| c.from.as_ref())),
    },
    Field {
        name: "to",
        about: "the To addresses (mail.commonHeaders.to)",
        get: |m| list!(common(m).and_then(|c| c.to.as_ref())),
    },
    Field {
        name: "cc",
        about: "the Cc addresses (mail.commonHeaders.cc)",
        get: |m| list!(common(m).and_then(|c| c.cc.as_ref())),
    },
    Field {
        name: "reply_to",
        about: "the Reply-To addresses (mail.commonHeaders.replyTo)",
        get: |m| list!(common(m).and_then(|c| c.reply_to.as_ref())),
    },
    Field {
        name: "return_path",
        about: "the Return-Path (mail.commonHeaders.returnPath)",
        get: |m| Value::text(common(m).and_then(|c| c.return_path.as_ref())),
    },
    Field {
        name: "date",
        about: "the Date header (mail.commonHeaders.date)",
        get: |m| Value::text(common(m).and_then(|c| c.date.as_ref())),
    },
    Field {
        name: "subject",
        about: "the Subject (mail.commonHeaders.subject)",
        get: |m| Value::text(common(m).and_then(|c| c.subject.as_ref())),
    },
    Field {
        name: "destination",
        about: "the To and Cc addresses SES saw (mail.destination)",
        get: |m| list!(m.mail.destination),
    },
    Field {
        name: "recipients",
        about: "the envelope recipients the receipt rule matched (receipt.recipients)",
        get: |m| list!(m.receipt().and_then(|r| r.recipients.as_ref())),
    },
    Field {
        name: "spf",
        about: "the SPF verdict status (receipt.spfVerdict.status)",
        get: |m| verdict(m, Verdict::Spf),
    },
    Field {
        name: "dkim",
        about: "the DKIM verdict status (receipt.dkimVerdict.status)",
        get: |m| verdict(m, Verdict::Dkim),
    },
    Field {
        name: "dmarc",
        about: "the DMARC verdict status (receipt.dmarcVerdict.status)",
        get: |m| verdict(m, Verdict::Dmarc),
    },
    Field {
        name: "dmarc_policy",
        about: "the sender's DMARC policy: none, quarantine or reject (receipt.dmarcPolicy)",
        get: |m| Value::text(m.receipt().and_then(|r| r.dmarc_policy.as_ref())),
    },
    Field {
        name: "spam",
        about: "the spam verdict status (receipt.spamVerdict.status)",
        get: |m| verdict(m, Verdict::Spam),
    },
    Field {
        name: "virus",
        about: "the virus verdict status (receipt.virusVerdict.status)",
        get: |m| verdict(m, Verdict::Virus),
    },
    Field {
        name: "action",
        about: "the receipt action type: Lambda, S3, SNS, Bounce… (receipt.action.type)",
        get: |m| {
            action(m)
                .and_then(Action::type_name)
                .map_or(Value::Missing, Value::Text)
        },
    },
    Field {
        name: "function_arn",
        about: "the Lambda function of a Lambda action (receipt.action.functionArn)",
        get: |m| match action(m) {
            Some(Action::Lambda { function_arn, .. }) => Value::text(function_arn.as_ref()),
            _ => Value::Missing,
        },
    },
    Field {
        name: "invocation_type",
        about: "Event or RequestResponse, for a Lambda action (receipt.action.invocationType)",
        get: |m| match action(m) {
            Some(Action::Lambda {
                invocation_type, ..
            }) => Value::text(invocation_type.as_ref()),
            _ => Value::Missing,
        },
    },
    Field {
        name: "bucket",
        about: "the S3 bucket of an S3 action (receipt.action.bucketName)",
        get: |m| match action(m) {
            Some(Action::S3 { bucket_name, .. }) => Value::text(bucket_name.as_ref()),
            _ => Value::Missing,
        },
    },
    Field {
        name: "object_key",
        about: "the S3 object key of an S3 action (receipt.action.objectKey)",
        get: |m| match action(m) {
            Some(Action::S3 { object_key, .. }) => Value::text(object_key.as_ref()),
            _ => Value::Missing,
        },
    },
    Field {
        name: "topic_arn",
        about: "the SNS topic the action notifies (receipt.action.topicArn)",
        get: |m| {
            action(m)
                .and_then(Action::topic_arn)
                .map_or(Value::Missing, Value::Text)
        },
    },
    Field {
        name: "processing_ms",
        about: "how long SES took, in milliseconds (receipt.processingTimeMillis)",
        get: |m| {
            m.receipt()
                .and_then(|r| r.processing_time_millis)
                .map_or(Value::Missing, Value::Number)
        },
    },
    Field {
        name: "headers_truncated",
        about: "true when SES cut the headers off at 10 KB (mail.headersTruncated)",
        get: |m| m.mail.headers_truncated.map_or(Value::Missing, Value::Bool),
    },
    // Computed from the fields above.
    Field {
        name: "from_address",
        about: "the first From address without its display name (read from `from` by an RFC 5322 parser)",
        get: |m| from_address(m).map_or(Value::Missing, Value::Owned),
    },
    Field {
        name: "from_domain",
        about: "the domain of from_address, lower-cased",
        get: |m| {
            from_address(m)
                .and_then(|address| mail::domain(&address))
                .map_or(Value::Missing, Value::Owned)
        },
    },
    Field {
        name: "source_domain",
        about: "the domain of the envelope sender (source), lower-cased",
        get: |m| {
            m.mail
                .source
                .as_deref()
                .and_then(mail::domain)
                .map_or(Value::Missing, Value::Owned)
        },
    },
    Field {
        name: "recipient_domains",
        about: "the domains of the envelope recipients (recipients), lower-cased, each once",
        get: |m| {
            let Some(recipients) = m.receipt().and_then(|r| r.recipients.as_ref()) else {
                return Value::Missing;
            };
            let mut domains: Vec<Text> = Vec::new();
            for domain in recipients.0.iter().filter_map(|r| mail::domain(r)) {
                if !domains.iter().any(|d| *d == domain) {
                    domains.push(Cow::Owned(domain));
                }
            }
            Value::List(Cow::Owned(domains))
        },
    },
];

/// The first address of the From header as SES parsed it (`mail.commonHeaders.from`).
pub fn from_address(m: &Message) -> Option<String> {
    let from = common(m)?.from.as_ref()?.0.first()?;
    mail::first_address(from)
}

fn common<'m>(m: &'m Message<'_>) -> Option<&'m crate::model::CommonHeaders<'m>> {
    m.mail.common_headers.as_ref()
}

fn action<'m>(m: &'m Message<'_>) -> Option<&'m Action<'m>> {
    m.receipt().and_then(|r| r.action.as_ref())
}

fn verdict<'m>(message: &'m Message<'_>, verdict: Verdict) -> Value<'m> {
    message
        .verdict(verdict)
        .map_or(Value::Missing, Value::Verdict)
}

/// The field called `name`.
pub fn find(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        for (i, field) in FIELDS.iter().enumerate() {
            assert!(
                field
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                field.name
            );
            assert!(
                FIELDS[..i].iter().all(|f| f.name != field.name),
                "{} twice",
                field.name
            );
        }
    }
}
