//! Recognises the SES event forms in one framed JSON item and turns each message it holds into
//! the model; anything else becomes an error that says what the item looks like.
//!
//! Forms: a Lambda event `{"Records":[…]}`, one record `{"eventSource":"aws:ses","ses":…}`, the
//! bare `ses` object `{"mail","receipt"}`, and the SNS notification `{"notificationType":
//! "Received","mail","receipt","content"?}`.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::diagnostic::InputError;
use crate::input::frame::{Container, Item, Place, Position};
use crate::model::{Event, Mail, Message, Receipt, Text};
use crate::origin::{Origin, Step};

/// Every top-level key of every form sesinspect reads; the rest is skipped, not parsed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shape<'a> {
    #[serde(borrow, rename = "Records")]
    records: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    event_source: Option<Text<'a>>,
    #[serde(borrow)]
    ses: Option<Ses<'a>>,
    #[serde(borrow)]
    mail: Option<Mail<'a>>,
    #[serde(borrow)]
    receipt: Option<Receipt<'a>>,
    #[serde(borrow)]
    notification_type: Option<Text<'a>>,
    #[serde(borrow)]
    content: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Ses<'a> {
    #[serde(borrow)]
    mail: Option<Mail<'a>>,
    #[serde(borrow)]
    receipt: Option<Receipt<'a>>,
}

/// The item being decoded and how to name places in it.
struct Context<'a> {
    input: &'a Arc<str>,
    /// The whole item, for turning offsets into positions.
    text: &'a str,
    at: Position,
}

/// Decodes one framed item of a batch, handing each message (or problem) to `found` in order.
pub fn decode_item<'a>(
    bytes: &'a [u8],
    item: &Item,
    input: &Arc<str>,
    found: &mut impl FnMut(Result<Message<'a>, InputError>),
) {
    let steps = match item.place {
        Place::Element {
            container,
            index,
            of_many: true,
        } => vec![Step {
            label: match container {
                Container::Array => "",
                Container::Records => "Records",
            },
            index,
        }],
        _ => Vec::new(),
    };
    let column = (item.document.column > 1).then_some(item.document.column);
    let origin = Origin {
        input: Arc::clone(input),
        line: item.document.line,
        column,
        steps,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = offset_position(bytes, item.at, e.valid_up_to());
            found(Err(InputError::at(
                input,
                at,
                origin.steps,
                "invalid UTF-8",
            )));
            return;
        }
    };
    let context = Context {
        input,
        text,
        at: item.at,
    };
    decode_value(&context, text, origin, found);
}

fn decode_value<'a>(
    context: &Context<'_>,
    json: &'a str,
    origin: Origin,
    found: &mut impl FnMut(Result<Message<'a>, InputError>),
) {
    if !json.trim_start().starts_with('{') {
        return found(Err(context.not_ses(json, &origin)));
    }
    let shape: Shape<'a> = match serde_json::from_str(json) {
        Ok(shape) => shape,
        Err(e) => return found(Err(context.parse_error(json, &origin, &e))),
    };
    if let Some(records) = shape.records {
        let many = records.len() > 1;
        for (index, record) in records.into_iter().enumerate() {
            let origin = if many {
                origin.with_step(Step {
                    label: "Records",
                    index,
                })
            } else {
                origin.clone()
            };
            decode_value(context, record.get(), origin, found);
        }
        return;
    }
    let (mail, receipt) = match (shape.ses, shape.mail, shape.receipt) {
        (Some(ses), _, _) => (ses.mail, ses.receipt),
        (None, mail, receipt) => (mail, receipt),
    };
    let foreign_source = shape.event_source.is_some_and(|source| source != "aws:ses");
    let sending = shape
        .notification_type
        .is_some_and(|kind| kind != "Received");
    match (mail, receipt) {
        (Some(mail), Some(receipt)) if !foreign_source && !sending => found(Ok(Message {
            origin,
            mail,
            event: Event::Received {
                receipt,
                content: shape.content,
            },
            raw: json,
        })),
        _ => found(Err(context.not_ses(json, &origin))),
    }
}

impl Context<'_> {
    fn position_of(&self, json: &str) -> Position {
        let offset = (json.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        offset_position(self.text.as_bytes(), self.at, offset)
    }

    fn parse_error(&self, json: &str, origin: &Origin, error: &serde_json::Error) -> InputError {
        let start = self.position_of(json);
        let at = relative_position(start, error.line() as u64, error.column() as u64);
        let message = match error.classify() {
            serde_json::error::Category::Data => data_error(json),
            _ => strip_location(&error.to_string()),
        };
        InputError::at(self.input, at, origin.steps.clone(), message)
    }

    fn not_ses(&self, json: &str, origin: &Origin) -> InputError {
        let description = match json.trim_start().as_bytes().first() {
            Some(b'{') => match serde_json::from_str::<Map<String, Value>>(json) {
                Ok(object) => describe(&object),
                Err(e) => format!(
                    "it is a JSON object that cannot be read ({})",
                    strip_location(&e.to_string())
                ),
            },
            Some(b'[') => "it is a JSON array".to_string(),
            Some(b'"') => "it is a JSON string".to_string(),
            Some(b't' | b'f') => "it is a JSON boolean".to_string(),
            Some(b'n') => "it is JSON null".to_string(),
            _ => "it is a JSON number".to_string(),
        };
        InputError::at(
            self.input,
            self.position_of(json),
            origin.steps.clone(),
            format!("not an SES receipt event: {description}"),
        )
    }
}

/// A type mismatch again, this time with the path to the field that has the wrong type.
fn data_error(json: &str) -> String {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, Shape>(deserializer) {
        Err(e) => format!("{}: {}", e.path(), strip_location(&e.inner().to_string())),
        Ok(_) => "unreadable event".to_string(),
    }
}

/// serde_json appends ` at line L column C`; sesinspect prints its own position.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(end) => message[..end].to_string(),
        None => message.to_string(),
    }
}

/// The position `offset` bytes after `start` in `bytes`.
fn offset_position(bytes: &[u8], start: Position, offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    match memchr::memrchr(b'\n', before) {
        None => Position {
            line: start.line,
            column: start.column + offset as u64,
        },
        Some(last) => Position {
            line: start.line + memchr::memchr_iter(b'\n', before).count() as u64,
            column: (offset - last) as u64,
        },
    }
}

/// A position serde_json reports (1-based line and column within the text) made absolute.
fn relative_position(start: Position, line: u64, column: u64) -> Position {
    if line <= 1 {
        Position {
            line: start.line,
            column: start.column + column.saturating_sub(1),
        }
    } else {
        Position {
            line: start.line + line - 1,
            column,
        }
    }
}

/// What a JSON object that is not an SES receipt event looks like, in words.
fn describe(object: &Map<String, Value>) -> String {
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    if let Some(kind) = text("notificationType") {
        return format!("it is an SES {kind} notification (a sending event)");
    }
    if let Some(kind) = text("eventType") {
        return format!("it is an SES {kind} event from event publishing (a sending event)");
    }
    if let Some(source) = text("eventSource").or_else(|| text("EventSource")) {
        return match source {
            "aws:s3" => "it is an S3 event record (eventSource aws:s3)".to_string(),
            "aws:sns" => "it is an SNS record (EventSource aws:sns)".to_string(),
            "aws:sqs" => "it is an SQS record (eventSource aws:sqs)".to_string(),
            "aws:ses" => "it is an SES record without `ses.mail` and `ses.receipt`".to_string(),
            other => format!("it is a Lambda event record from {other}"),
        };
    }
    if text("Type") == Some("Notification") {
        return "it is an SNS notification envelope (Type: Notification)".to_string();
    }
    if let Some(kind) = text("detail-type") {
        return format!("it is an EventBridge event (detail-type {kind:?})");
    }
    if object.contains_key("awslogs") {
        return "it is a CloudWatch Logs subscription payload (awslogs)".to_string();
    }
    match (object.contains_key("mail"), object.contains_key("receipt")) {
        (true, false) => return "it has `mail` but no `receipt`".to_string(),
        (false, true) => return "it has `receipt` but no `mail`".to_string(),
        _ => {}
    }
    if object.is_empty() {
        return "it is an empty JSON object".to_string();
    }
    let mut keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
    if object.len() > keys.len() {
        keys.push("…");
    }
    format!("it is a JSON object with keys {}", keys.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Vec<Result<Message<'_>, InputError>> {
        let item = Item {
            range: 0..json.len(),
            at: Position { line: 1, column: 1 },
            document: Position { line: 1, column: 1 },
            place: Place::Document,
        };
        let mut out = Vec::new();
        decode_item(json.as_bytes(), &item, &Arc::from("t.json"), &mut |m| {
            out.push(m)
        });
        out
    }

    const RECORD: &str =
        r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m1"},"receipt":{}}}"#;

    #[test]
    fn reads_each_direct_form() {
        let lambda = format!(r#"{{"Records":[{RECORD},{RECORD}]}}"#);
        let bare = r#"{"mail":{"messageId":"m1"},"receipt":{"spfVerdict":{"status":"FAIL"}}}"#;
        let sns = r#"{"notificationType":"Received","mail":{},"receipt":{},"content":"MIME"}"#;
        assert_eq!(decode(&lambda).len(), 2);
        assert!(decode(&lambda).iter().all(Result::is_ok));
        assert!(decode(RECORD)[0].is_ok());
        assert!(decode(bare)[0].is_ok());
        let message = decode(sns).pop().and_then(Result::ok).expect("a message");
        assert!(matches!(
            message.event,
            Event::Received {
                content: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn names_the_record_of_a_several_record_document() {
        let lambda = format!(r#"{{"Records":[{RECORD},{RECORD}]}}"#);
        let origins: Vec<String> = decode(&lambda)
            .into_iter()
            .map(|m| m.map(|m| m.origin.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(origins, ["t.json:1 Records[0]", "t.json:1 Records[1]"]);
    }

    #[test]
    fn says_what_a_foreign_document_looks_like() {
        let s3 = r#"{"Records":[{"eventSource":"aws:s3","s3":{}}]}"#;
        let error = decode(s3).pop().and_then(Result::err).expect("an error");
        assert_eq!(
            error.message,
            "not an SES receipt event: it is an S3 event record (eventSource aws:s3)"
        );
        assert_eq!(
            error.at,
            Some(Position {
                line: 1,
                column: 13
            })
        );
        let bounce = r#"{"notificationType":"Bounce","mail":{},"bounce":{}}"#;
        let error = decode(bounce)
            .pop()
            .and_then(Result::err)
            .expect("an error");
        assert!(
            error.message.contains("SES Bounce notification"),
            "{}",
            error.message
        );
    }

    #[test]
    fn names_the_field_with_the_wrong_type() {
        let bad = "{\"mail\":{},\n\"receipt\":{\"recipients\":[1]}}";
        let error = decode(bad).pop().and_then(Result::err).expect("an error");
        assert!(
            error
                .message
                .starts_with("receipt.recipients[0]: invalid type"),
            "{}",
            error.message
        );
        assert_eq!(error.at.map(|p| p.line), Some(2));
    }
}
