//! Recognises the SES event forms in one framed JSON item and turns each message it holds into
//! the model, unwrapping the envelopes messages travel in; anything else becomes an error that
//! says what the item looks like.
//!
//! Forms: a Lambda event `{"Records":[…]}`, one record `{"eventSource":"aws:ses","ses":…}`, the
//! bare `ses` object `{"mail","receipt"}`, and the SNS notification `{"notificationType":
//! "Received","mail","receipt","content"?}`. Envelopes, nested to any depth: SNS → Lambda
//! (`Records[].Sns.Message`), SNS HTTP and SQS bodies (`Type: Notification`, `Message`), SQS →
//! Lambda (`Records[].body`), EventBridge (`detail`), Kinesis (`Records[].kinesis.data`, base64,
//! possibly gzip) and Firehose transformation events (`records[].data`, base64).

use std::io::Read;
use std::sync::Arc;

use base64::Engine;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::diagnostic::InputError;
use crate::input::frame::{
    Container, Framed, Framer, Item, Mode, Place, Position, looks_like_event,
};
use crate::model::{Event, Mail, Message, Receipt, Text};
use crate::origin::{Origin, Step};

/// Every top-level key of every form sesinspect reads; the rest is skipped, not parsed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shape<'a> {
    #[serde(borrow, rename = "Records")]
    records: Option<Vec<&'a RawValue>>,
    #[serde(borrow, alias = "EventSource")]
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
    /// SNS → Lambda: `{"EventSource":"aws:sns","Sns":{"Message":"…"}}`.
    #[serde(borrow, rename = "Sns")]
    sns: Option<SnsPart<'a>>,
    /// SNS HTTP or SQS body: `{"Type":"Notification","Message":"…"}`.
    #[serde(borrow, rename = "Type")]
    envelope_type: Option<Text<'a>>,
    #[serde(borrow, rename = "Message")]
    envelope_message: Option<Text<'a>>,
    /// SQS → Lambda: `{"eventSource":"aws:sqs","body":"…"}`.
    #[serde(borrow)]
    body: Option<Text<'a>>,
    /// EventBridge: `{"source":"aws.ses","detail":{…}}`.
    #[serde(borrow)]
    detail: Option<&'a RawValue>,
    /// Kinesis → Lambda: `{"kinesis":{"data":"<base64>"}}`.
    #[serde(borrow)]
    kinesis: Option<DataPart<'a>>,
    /// A Firehose transformation event: `{"records":[{"recordId","data":"<base64>"}]}`.
    #[serde(borrow, rename = "records")]
    firehose_records: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    record_id: Option<Text<'a>>,
    #[serde(borrow)]
    data: Option<Text<'a>>,
    /// Lambda JSON log format and Powertools: `{"timestamp","level","requestId","message"}`
    /// (Powertools for TypeScript logs the event under `event`).
    #[serde(borrow, rename = "message")]
    log_message: Option<&'a RawValue>,
    #[serde(borrow)]
    event: Option<&'a RawValue>,
    #[serde(borrow)]
    level: Option<Text<'a>>,
    #[serde(borrow, alias = "AWSRequestId")]
    request_id: Option<Text<'a>>,
    /// Lambda's own records in JSON format: `{"time","type":"platform.start",…}`.
    #[serde(borrow, rename = "type")]
    record_type: Option<Text<'a>>,
    /// `aws logs filter-log-events` / `get-log-events`: `{"events":[{"message":…}]}`.
    #[serde(borrow)]
    events: Option<Vec<LogEvent<'a>>>,
    /// A CloudWatch Logs subscription payload, base64 of gzip.
    #[serde(borrow)]
    awslogs: Option<DataPart<'a>>,
    /// Its decoded form: `{"messageType":"DATA_MESSAGE","logEvents":[…]}`.
    #[serde(borrow)]
    message_type: Option<Text<'a>>,
    #[serde(borrow)]
    log_events: Option<Vec<LogEvent<'a>>>,
    /// Logs Insights `get-query-results`: `{"results":[[{"field":"@message","value":…}]]}`.
    #[serde(borrow)]
    results: Option<Vec<Vec<InsightsField<'a>>>>,
    /// A Logs Insights console export row.
    #[serde(borrow, rename = "@message")]
    insights_message: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct LogEvent<'a> {
    #[serde(borrow)]
    message: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct InsightsField<'a> {
    #[serde(borrow)]
    field: Option<Text<'a>>,
    #[serde(borrow)]
    value: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Ses<'a> {
    #[serde(borrow)]
    mail: Option<Mail<'a>>,
    #[serde(borrow)]
    receipt: Option<Receipt<'a>>,
}

#[derive(Deserialize)]
struct SnsPart<'a> {
    #[serde(borrow, rename = "Message")]
    message: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct DataPart<'a> {
    #[serde(borrow)]
    data: Option<Text<'a>>,
}

/// Where each message or problem found goes: messages may borrow from text unwrapped on the
/// way, so they are handed over, never kept.
pub type Found<'f> = dyn FnMut(Result<Message<'_>, InputError>) + 'f;

/// The item being decoded and how to name places in it.
struct Context<'a> {
    input: &'a Arc<str>,
    /// The whole item, for turning offsets into positions.
    text: &'a str,
    at: Position,
    /// Inside an envelope, every problem is placed at the envelope.
    inside_envelope: bool,
    /// Inside a log, what is not an SES message is skipped rather than reported.
    lenient: bool,
}

/// Decodes one framed item of a batch, handing each message (or problem) to `found` in order.
/// Items from log text are read leniently.
pub fn decode_item(bytes: &[u8], item: &Item, input: &Arc<str>, from_log: bool, found: &mut Found) {
    let steps = match item.place {
        Place::Element {
            container,
            index,
            of_many: true,
        } => vec![Step::at(
            match container {
                Container::Array => "",
                Container::Records => "Records",
            },
            index,
        )],
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
        inside_envelope: false,
        lenient: from_log,
    };
    decode_value(&context, text, origin, found);
}

fn decode_value(context: &Context<'_>, json: &str, origin: Origin, found: &mut Found) {
    if !json.trim_start().starts_with('{') {
        if !context.lenient {
            found(Err(context.not_ses(json, &origin)));
        }
        return;
    }
    let shape: Shape = match serde_json::from_str(json) {
        Ok(shape) => shape,
        Err(e) => return unparsable(context, json, origin, &e, found),
    };
    if let Some(records) = shape.records {
        for_each_element(context, &records, "Records", &origin, found);
        return;
    }
    let carries_mail = shape.ses.is_some() || shape.mail.is_some() || shape.receipt.is_some();
    if !carries_mail && unwrap_log(context, json, &shape, &origin, found) {
        return;
    }
    let (mail, receipt) = match shape.ses {
        Some(ses) => (ses.mail, ses.receipt),
        None => (shape.mail, shape.receipt),
    };
    let foreign_source = shape
        .event_source
        .as_deref()
        .is_some_and(|source| source != "aws:ses");
    let sending = shape
        .notification_type
        .as_deref()
        .is_some_and(|kind| kind != "Received");
    if let (Some(mail), Some(receipt)) = (mail, receipt) {
        if !foreign_source && !sending {
            return found(Ok(Message {
                origin,
                mail,
                event: Event::Received {
                    receipt,
                    content: shape.content,
                },
                raw: json,
            }));
        }
    }
    let here = || context.position_of(json);
    if let Some(message) = shape.sns.and_then(|sns| sns.message) {
        return decode_inner(
            context,
            here(),
            message.as_bytes(),
            Mode::Json,
            origin.with_step(Step::field("Sns.Message")),
            found,
        );
    }
    if let (Some("Notification"), Some(message)) =
        (shape.envelope_type.as_deref(), &shape.envelope_message)
    {
        return decode_inner(
            context,
            here(),
            message.as_bytes(),
            Mode::Json,
            origin.with_step(Step::field("Message")),
            found,
        );
    }
    if let (Some("aws:sqs"), Some(body)) = (shape.event_source.as_deref(), &shape.body) {
        return decode_inner(
            context,
            here(),
            body.as_bytes(),
            Mode::Json,
            origin.with_step(Step::field("body")),
            found,
        );
    }
    if let Some(detail) = shape.detail {
        return decode_value(
            context,
            detail.get(),
            origin.with_step(Step::field("detail")),
            found,
        );
    }
    if let Some(records) = shape.firehose_records {
        for_each_element(context, &records, "records", &origin, found);
        return;
    }
    let encoded = match (
        shape.kinesis.and_then(|k| k.data),
        shape.record_id,
        shape.data,
    ) {
        (Some(data), _, _) => Some((data, "kinesis.data")),
        (None, Some(_), Some(data)) => Some((data, "data")),
        _ => None,
    };
    if let Some((data, label)) = encoded {
        let origin = origin.with_step(Step::field(label));
        return match unpack(&data) {
            Ok(bytes) => decode_inner(context, here(), &bytes, Mode::Json, origin, found),
            Err(why) => found(Err(context.inner_error(here(), &origin, why))),
        };
    }
    if !context.lenient {
        found(Err(context.not_ses(json, &origin)));
    }
}

/// Text that is not JSON: a Python repr is converted and read; Node's `console.log(event)` output
/// gets a diagnosis; in a log, anything else that does not look like an event is skipped.
fn unparsable(
    context: &Context<'_>,
    json: &str,
    origin: Origin,
    error: &serde_json::Error,
    found: &mut Found,
) {
    let at = context.position_of(json);
    let syntax = error.classify() != serde_json::error::Category::Data;
    let converted = syntax
        .then(|| csv_field(json).or_else(|| crate::input::repr::to_json(json)))
        .flatten()
        .filter(|converted| converted != json);
    if let Some(converted) = converted {
        let inner = Context {
            text: &converted,
            at,
            inside_envelope: true,
            ..*context
        };
        return decode_value(&inner, &converted, origin, found);
    }
    if json.contains("[Object]") || json.contains("[Array]") {
        let message = "this is Node's console.log(event) output, which prints nested objects as \
                       [Object]: the event cannot be recovered; log JSON.stringify(event) instead";
        return found(Err(context.inner_error(at, &origin, message.to_string())));
    }
    if !context.lenient || looks_like_event(json.as_bytes()) {
        found(Err(context.parse_error(json, &origin, error)));
    }
}

/// JSON that sat in a CSV field (a Logs Insights console export), its quotes doubled.
fn csv_field(text: &str) -> Option<String> {
    if !text.contains("\"\"") {
        return None;
    }
    let unquoted = text.replace("\"\"", "\"");
    serde_json::from_str::<serde::de::IgnoredAny>(&unquoted)
        .is_ok()
        .then_some(unquoted)
}

/// The log containers: records of Lambda's JSON log format and Powertools, CLI outputs,
/// subscription payloads and Logs Insights results. True when `shape` was one.
fn unwrap_log(
    context: &Context<'_>,
    json: &str,
    shape: &Shape,
    origin: &Origin,
    found: &mut Found,
) -> bool {
    let here = context.position_of(json);
    let log = Context {
        lenient: true,
        ..*context
    };
    if shape
        .record_type
        .as_deref()
        .is_some_and(|t| t.starts_with("platform."))
    {
        return true;
    }
    if let Some(kind) = shape.message_type.as_deref() {
        if kind == "CONTROL_MESSAGE" {
            return true;
        }
        if let Some(events) = &shape.log_events {
            log_events(
                &log,
                here,
                events.iter().map(|e| e.message.as_deref()),
                "logEvents",
                origin,
                found,
            );
            return true;
        }
    }
    if let Some(events) = &shape.events {
        log_events(
            &log,
            here,
            events.iter().map(|e| e.message.as_deref()),
            "events",
            origin,
            found,
        );
        return true;
    }
    if let Some(data) = shape.awslogs.as_ref().and_then(|a| a.data.as_deref()) {
        let origin = origin.with_step(Step::field("awslogs.data"));
        match unpack(data) {
            Ok(bytes) => decode_inner(&log, here, &bytes, Mode::Json, origin, found),
            Err(why) => found(Err(context.inner_error(here, &origin, why))),
        }
        return true;
    }
    if let Some(rows) = &shape.results {
        let messages = rows.iter().map(|row| {
            row.iter()
                .find(|f| f.field.as_deref() == Some("@message"))
                .and_then(|f| f.value.as_deref())
        });
        log_events(&log, here, messages, "results", origin, found);
        return true;
    }
    if let Some(message) = shape.insights_message.as_deref() {
        decode_inner(
            &log,
            here,
            message.as_bytes(),
            Mode::Log,
            origin.with_step(Step::field("@message")),
            found,
        );
        return true;
    }
    let logged = shape
        .log_message
        .filter(|_| shape.level.is_some() || shape.request_id.is_some());
    // Powertools for TypeScript describes the call in `message` and logs the event in `event`.
    let logged = shape
        .event
        .map(|e| (e, "event"))
        .or(logged.map(|m| (m, "message")));
    if let Some((raw, label)) = logged {
        let origin = origin.with_step(Step::field(label));
        match serde_json::from_str::<Text>(raw.get()) {
            Ok(text) => decode_inner(&log, here, text.as_bytes(), Mode::Log, origin, found),
            Err(_) => decode_value(&log, raw.get(), origin, found),
        }
        return true;
    }
    false
}

/// Each log event's message, read as log text. Lambda splits output longer than one log event
/// into consecutive events: a message whose JSON is unfinished is joined with the ones after it
/// until it is whole.
fn log_events<'m>(
    context: &Context<'_>,
    here: Position,
    messages: impl Iterator<Item = Option<&'m str>>,
    label: &'static str,
    origin: &Origin,
    found: &mut Found,
) {
    let messages: Vec<Option<&str>> = messages.collect();
    let mut index = 0;
    while index < messages.len() {
        let first = index;
        let mut text = String::from(messages[index].unwrap_or_default());
        index += 1;
        while unfinished_json(&text) && index < messages.len() && text.len() < MAX_JOINED {
            text.push_str(messages[index].unwrap_or_default());
            index += 1;
        }
        let origin = origin.with_step(Step::at(label, first));
        decode_inner(context, here, text.as_bytes(), Mode::Log, origin, found);
    }
}

/// How long a value joined from consecutive log events may grow (Python's `indent=` output is
/// one log event per line, so an event may span hundreds of them).
const MAX_JOINED: usize = 16 << 20;

/// Whether the first JSON value in `text` is cut off before its end.
fn unfinished_json(text: &str) -> bool {
    let Some(start) = text.find('{') else {
        return false;
    };
    let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
    for byte in text[start..].bytes() {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'{' | b'[') => depth += 1,
            (false, b'}' | b']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Decodes each element of an array, naming it by its index when there are several.
fn for_each_element(
    context: &Context<'_>,
    elements: &[&RawValue],
    label: &'static str,
    origin: &Origin,
    found: &mut Found,
) {
    let many = elements.len() > 1;
    for (index, element) in elements.iter().enumerate() {
        let origin = if many {
            origin.with_step(Step::at(label, index))
        } else {
            origin.clone()
        };
        decode_value(context, element.get(), origin, found);
    }
}

/// Base64, then gunzip when the bytes are gzip (CloudWatch Logs through Kinesis).
fn unpack(data: &str) -> Result<Vec<u8>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("not base64 ({e})"))?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut text)
        .map_err(|e| format!("not valid gzip ({e})"))?;
    Ok(text)
}

/// Decodes text carried inside an envelope: any number of documents, framed like a file.
/// Problems inside are placed at the envelope, with the steps that lead into it.
fn decode_inner(
    context: &Context<'_>,
    envelope: Position,
    bytes: &[u8],
    mode: Mode,
    origin: Origin,
    found: &mut Found,
) {
    let mut framer = Framer::with_mode(bytes, mode);
    let mut spare = Vec::new();
    let mut documents = Vec::new();
    loop {
        match framer.next_batch(&mut spare) {
            Ok(Some(batch)) => documents.push(batch),
            Ok(None) => break,
            Err(e) => {
                found(Err(context.inner_error(envelope, &origin, e.to_string())));
                return;
            }
        }
    }
    let items: usize = documents.iter().map(|b| b.framed.len()).sum();
    let mut number = 0;
    for batch in &documents {
        for framed in &batch.framed {
            let origin = if items > 1 {
                origin.with_step(Step::at("", number))
            } else {
                origin.clone()
            };
            number += 1;
            match framed {
                Framed::Error(error) => found(Err(context.inner_error(
                    envelope,
                    &origin,
                    error.message.clone(),
                ))),
                Framed::Item(item) => {
                    let bytes = &batch.bytes[item.range.clone()];
                    let Ok(text) = std::str::from_utf8(bytes) else {
                        found(Err(context.inner_error(
                            envelope,
                            &origin,
                            "invalid UTF-8".to_string(),
                        )));
                        continue;
                    };
                    let inner = Context {
                        text,
                        at: envelope,
                        inside_envelope: true,
                        lenient: context.lenient || batch.from_log,
                        ..*context
                    };
                    let origin = match item.place {
                        Place::Element {
                            index,
                            of_many: true,
                            ..
                        } => origin.with_step(Step::at("Records", index)),
                        _ => origin,
                    };
                    decode_value(&inner, text, origin, found);
                }
            }
        }
    }
}

impl Context<'_> {
    fn position_of(&self, json: &str) -> Position {
        if self.inside_envelope {
            return self.at;
        }
        let offset = (json.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        offset_position(self.text.as_bytes(), self.at, offset)
    }

    fn inner_error(&self, envelope: Position, origin: &Origin, message: String) -> InputError {
        InputError::at(self.input, envelope, origin.steps.clone(), message)
    }

    fn parse_error(&self, json: &str, origin: &Origin, error: &serde_json::Error) -> InputError {
        let start = self.position_of(json);
        let at = if self.inside_envelope {
            start
        } else {
            relative_position(start, error.line() as u64, error.column() as u64)
        };
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
    if let Some(kind) = text("Type") {
        return format!("it is an SNS {kind} message, which carries no SES event");
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

    /// Each message as `origin|ses_id`, or the error.
    fn decode(json: &str) -> Vec<Result<String, InputError>> {
        let item = Item {
            range: 0..json.len(),
            at: Position { line: 1, column: 1 },
            document: Position { line: 1, column: 1 },
            place: Place::Document,
        };
        let mut out = Vec::new();
        decode_item(
            json.as_bytes(),
            &item,
            &Arc::from("t.json"),
            false,
            &mut |m| {
                out.push(m.map(|m| {
                    let content = match &m.event {
                        Event::Received { content, .. } => content.is_some(),
                    };
                    format!(
                        "{}|{}|{content}",
                        m.origin,
                        m.mail.message_id.as_deref().unwrap_or("")
                    )
                }))
            },
        );
        out
    }

    fn ok(json: &str) -> Vec<String> {
        decode(json)
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| format!("error: {e}")))
            .collect()
    }

    const RECORD: &str =
        r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m1"},"receipt":{}}}"#;

    #[test]
    fn reads_each_direct_form() {
        let lambda = format!(r#"{{"Records":[{RECORD},{RECORD}]}}"#);
        let bare = r#"{"mail":{"messageId":"m1"},"receipt":{"spfVerdict":{"status":"FAIL"}}}"#;
        let sns = r#"{"notificationType":"Received","mail":{"messageId":"m2"},"receipt":{},"content":"MIME"}"#;
        assert_eq!(
            ok(&lambda),
            [
                "t.json:1 Records[0]|m1|false",
                "t.json:1 Records[1]|m1|false"
            ]
        );
        assert_eq!(ok(RECORD), ["t.json:1|m1|false"]);
        assert_eq!(ok(bare), ["t.json:1|m1|false"]);
        assert_eq!(ok(sns), ["t.json:1|m2|true"]);
    }

    fn quoted(json: &str) -> String {
        serde_json::to_string(json).unwrap_or_default()
    }

    fn base64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn unwraps_sns_and_sqs_envelopes() {
        let lambda = format!(r#"{{"Records":[{RECORD}]}}"#);
        let sns_record = format!(
            r#"{{"EventSource":"aws:sns","Sns":{{"Type":"Notification","Message":{},"Subject":null}}}}"#,
            quoted(&lambda)
        );
        assert_eq!(
            ok(&format!(r#"{{"Records":[{sns_record}]}}"#)),
            ["t.json:1 Sns.Message|m1|false"]
        );
        let notification = r#"{"notificationType":"Received","mail":{"messageId":"m2"},"receipt":{},"content":"x"}"#;
        let sns_body = format!(
            r#"{{"Type":"Notification","MessageId":"1","Message":{},"SigningCertURL":"u"}}"#,
            quoted(notification)
        );
        assert_eq!(ok(&sns_body), ["t.json:1 Message|m2|true"]);
        let sqs = format!(
            r#"{{"Records":[{{"eventSource":"aws:sqs","body":{}}},{{"eventSource":"aws:sqs","body":{}}}]}}"#,
            quoted(&sns_body),
            quoted(notification)
        );
        assert_eq!(
            ok(&sqs),
            [
                "t.json:1 Records[0] → body → Message|m2|true",
                "t.json:1 Records[1] → body|m2|true"
            ]
        );
    }

    #[test]
    fn unwraps_eventbridge_kinesis_and_firehose() {
        let bridge =
            format!(r#"{{"version":"0","detail-type":"x","source":"aws.ses","detail":{RECORD}}}"#);
        assert_eq!(ok(&bridge), ["t.json:1 detail|m1|false"]);
        let two = format!("{RECORD}\n{RECORD}\n");
        let kinesis = format!(
            r#"{{"Records":[{{"kinesis":{{"data":"{}"}},"eventSource":"aws:kinesis"}}]}}"#,
            base64(two.as_bytes())
        );
        assert_eq!(
            ok(&kinesis),
            [
                "t.json:1 kinesis.data → [0]|m1|false",
                "t.json:1 kinesis.data → [1]|m1|false"
            ]
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, RECORD.as_bytes()).unwrap_or_default();
        let firehose = format!(
            r#"{{"invocationId":"i","records":[{{"recordId":"r1","data":"{}"}},{{"recordId":"r2","data":"{}"}}]}}"#,
            base64(RECORD.as_bytes()),
            base64(&gz.finish().unwrap_or_default())
        );
        assert_eq!(
            ok(&firehose),
            [
                "t.json:1 records[0] → data|m1|false",
                "t.json:1 records[1] → data|m1|false"
            ]
        );
    }

    #[test]
    fn problems_inside_envelopes_point_at_the_envelope() {
        let sns_body = r#"{"Type":"Notification","Message":"hello"}"#;
        let error = decode(sns_body)
            .pop()
            .and_then(Result::err)
            .expect("an error");
        assert_eq!(
            error.to_string(),
            "t.json:1:1 Message: expected a JSON document (`{` or `[`), found `h`"
        );
        let kinesis = r#"{"kinesis":{"data":"%%%"}}"#;
        let error = decode(kinesis)
            .pop()
            .and_then(Result::err)
            .expect("an error");
        assert!(
            error
                .to_string()
                .starts_with("t.json:1:1 kinesis.data: not base64"),
            "{error}"
        );
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
