//! Redaction of SES events and what carries them: walks each JSON document as a `Value` and
//! replaces personal data by key and by shape with pseudonyms, keeping what a reader needs to
//! debug (types, verdicts, statuses, codes, times, header names, structure and envelopes).

mod pseudonym;
pub mod stream;
mod text;

use std::collections::BTreeMap;
use std::net::IpAddr;

use jiff::SignedDuration;
use serde_json::{Map, Value};

pub use pseudonym::Pseudonyms;
use text::HeaderRule;

/// Keys whose string values say what happened, never who: kept as they are.
const KEPT_KEYS: &[&str] = &[
    "eventType",
    "notificationType",
    "eventSource",
    "eventVersion",
    "EventSource",
    "EventVersion",
    "status",
    "bounceType",
    "bounceSubType",
    "complaintFeedbackType",
    "complaintSubType",
    "feedbackType",
    "delayType",
    "action",
    "type",
    "Type",
    "invocationType",
    "encoding",
    "dmarcPolicy",
    "SignatureVersion",
    "messageType",
    "detail-type",
    "kinesisSchemaVersion",
    "eventName",
    "version",
    "awsRegion",
    "region",
    "level",
    "subscriptionStatus",
    "dataType",
    "DataType",
    "initializationType",
    "phase",
    "runtimeVersion",
    "functionVersion",
    "smtpReplyCode",
    "statusCode",
    "headerName",
    "ApproximateReceiveCount",
];

/// Keys whose values are addresses or address lists (`Name <addr>` allowed).
const ADDRESS_KEYS: &[&str] = &[
    "source",
    "destination",
    "from",
    "to",
    "cc",
    "bcc",
    "replyTo",
    "sender",
    "returnPath",
    "recipients",
    "emailAddress",
];

/// Keys whose values are ids: replaced character for character (see
/// [`Pseudonyms::shaped`]), so that the same id stays the same id everywhere.
const ID_KEYS: &[&str] = &[
    "messageId",
    "MessageId",
    "feedbackId",
    "id",
    "eventID",
    "recordId",
    "invocationId",
    "requestId",
    "receiptHandle",
    "sequenceNumber",
    "partitionKey",
    "md5OfBody",
    "md5OfMessageAttributes",
    "ReceiptHandle",
    "MD5OfBody",
    "MD5OfMessageAttributes",
    "SenderId",
    "logStream",
    "logStreamName",
    "eventId",
];

/// Keys whose values are free text in which addresses, hosts, IPs and URLs are replaced and the
/// words kept (SMTP replies and diagnostics, user agents, links).
const TEXT_KEYS: &[&str] = &[
    "diagnosticCode",
    "smtpResponse",
    "reportingMTA",
    "remoteMtaIp",
    "reason",
    "errorMessage",
    "userAgent",
    "link",
    "SigningCertUrl",
    "SigningCertURL",
    "UnsubscribeUrl",
    "UnsubscribeURL",
];

/// Keys whose values are names: replaced by a `label-…` pseudonym.
const NAME_KEYS: &[&str] = &[
    "bucketName",
    "callerIdentity",
    "functionName",
    "contactList",
    "templateName",
    "topicName",
    "subscriptionFilters",
    "configurationSet",
    "headerValue",
];

/// Keys whose values are times in milliseconds since the epoch written as text (SQS's message
/// attributes): shifted by `--shift-time`, still milliseconds in text.
const EPOCH_TEXT_KEYS: &[&str] = &["SentTimestamp", "ApproximateFirstReceiveTimestamp"];

/// Keys whose values are paths (`/aws/lambda/name`, an S3 object key): each segment replaced
/// as an id, so that an object key still ends with its message's id.
const PATH_KEYS: &[&str] = &["objectKey", "objectKeyPrefix", "logGroup"];

/// Segments of a path that are kept: they say where, not who.
const KEPT_SEGMENTS: &[&str] = &["aws", "lambda", "ses", "sns", "firehose", "kinesis"];

/// What a MIME `content` is replaced with.
const CONTENT: &str = "MIME-Version: 1.0\r\nSubject: redacted\r\nContent-Type: text/plain\r\n\r\n\
                       The content of this message was removed by sesinspect redact.\r\n";

/// The redaction of one run: its pseudonyms, the time shift, and the values it could not
/// classify (replaced by placeholders), counted by key path.
#[derive(Debug)]
pub struct Redactor {
    names: Pseudonyms,
    shift: SignedDuration,
    /// Over the whole run: how many values at each key path were not classified.
    unclassified: BTreeMap<String, u64>,
    /// In the document being redacted, the key paths not classified (for `--strict`).
    unclassified_here: Vec<String>,
    /// Problems found inside payloads (base64, gzip), for the caller to report with the
    /// document's place.
    payload_problems: Vec<String>,
    /// How many payloads deep the redaction is now.
    payload_depth: usize,
}

impl Redactor {
    pub fn new(names: Pseudonyms, shift: SignedDuration) -> Redactor {
        Redactor {
            names,
            shift,
            unclassified: BTreeMap::new(),
            unclassified_here: Vec::new(),
            payload_problems: Vec::new(),
            payload_depth: 0,
        }
    }

    /// Redacts one document in place.
    pub fn document(&mut self, value: &mut Value) {
        let mut path = String::new();
        self.walk(value, &mut path);
    }

    /// The key paths not classified since the last call (one per value).
    pub fn take_unclassified_here(&mut self) -> Vec<String> {
        std::mem::take(&mut self.unclassified_here)
    }

    /// The problems found inside payloads since the last call.
    pub fn take_payload_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.payload_problems)
    }

    /// Over the whole run, the key paths not classified and how many values each had.
    pub fn unclassified(&self) -> &BTreeMap<String, u64> {
        &self.unclassified
    }

    /// Notes a value at `path` that no rule classified (it is replaced by a placeholder).
    fn note_unclassified(&mut self, path: &str) {
        *self.unclassified.entry(path.to_string()).or_default() += 1;
        self.unclassified_here.push(path.to_string());
    }

    fn walk(&mut self, value: &mut Value, path: &mut String) {
        match value {
            Value::Object(map) => self.object(map, path),
            Value::Array(items) => {
                let length = path.len();
                path.push_str("[]");
                for item in items {
                    self.walk(item, path);
                }
                path.truncate(length);
            }
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => {}
        }
    }

    fn object(&mut self, map: &mut Map<String, Value>, path: &mut String) {
        for (key, child) in map.iter_mut() {
            let length = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            self.field(key, child, path);
            path.truncate(length);
        }
    }

    /// A field's value, by its key: strings by the key's rule, lists of strings item by item
    /// with the same rule, headers by their names, tags by theirs.
    fn field(&mut self, key: &str, value: &mut Value, path: &mut String) {
        match value {
            Value::String(text) => *text = self.string(key, text, path),
            Value::Number(number) => {
                if let Some(shifted) = self.epoch(key, number) {
                    *value = shifted;
                }
            }
            Value::Array(items) if key == "headers" => {
                for item in items {
                    match item {
                        Value::Object(header) => self.header(header, path),
                        other => self.walk(other, path),
                    }
                }
            }
            Value::Array(items) => {
                let length = path.len();
                path.push_str("[]");
                for item in items {
                    self.field(key, item, path);
                }
                path.truncate(length);
            }
            Value::Object(tags) if key == "tags" || key == "linkTags" => {
                for (name, values) in tags.iter_mut() {
                    let items = match values {
                        Value::Array(items) => items.iter_mut().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        match item {
                            Value::String(text) => *text = self.tag(name, text),
                            other => self.walk(other, path),
                        }
                    }
                }
            }
            Value::Object(map) => self.object(map, path),
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// A `{name, value}` header: the value by the header's rule, the name kept.
    fn header(&mut self, header: &mut Map<String, Value>, path: &mut String) {
        let name = match header.get("name") {
            Some(Value::String(name)) => name.clone(),
            _ => {
                self.object(header, path);
                return;
            }
        };
        if let Some(Value::String(value)) = header.get_mut("value") {
            let length = path.len();
            path.push_str("[].");
            path.push_str(&name);
            *value = self.header_value(&name, value, path);
            path.truncate(length);
        }
    }

    fn header_value(&mut self, name: &str, value: &str, path: &str) -> String {
        let names = &self.names;
        match text::header_rule(name) {
            HeaderRule::Keep => value.to_string(),
            HeaderRule::Addresses => text::addresses(names, value),
            HeaderRule::Subject => names.placeholder("Subject", value),
            HeaderRule::Date => self.date(value),
            HeaderRule::TagList => text::tag_list(names, value),
            HeaderRule::Received => text::received(names, value),
            HeaderRule::FreeText => text::free_text(names, value),
            HeaderRule::MessageId => text::message_id(names, value),
            HeaderRule::Opaque => names.base64_like(value),
            HeaderRule::Name => names.label("name", value),
            HeaderRule::SesTags => self.ses_tags(value),
            HeaderRule::Unknown => {
                self.note_unclassified(path);
                self.names.placeholder("Header", value)
            }
        }
    }

    /// SES's `X-SES-MESSAGE-TAGS` header (`ses:operation=SendEmail; team=billing`): each tag's
    /// value as in `mail.tags`, the names kept.
    fn ses_tags(&mut self, value: &str) -> String {
        let tags: Vec<String> = value
            .split(';')
            .map(|part| match part.split_once('=') {
                Some((name, tag_value)) => {
                    format!("{name}={}", self.tag(name.trim(), tag_value.trim()))
                }
                None => part.to_string(),
            })
            .collect();
        tags.join(";")
    }

    /// A tag's value (`ses:source-ip`, a configuration set, a custom tag): by its shape, else a
    /// name. The operation SES performed is kept.
    fn tag(&mut self, name: &str, value: &str) -> String {
        if name == "ses:operation" {
            return value.to_string();
        }
        self.by_shape(value)
            .unwrap_or_else(|| self.names.label("tag", value))
    }

    /// A string, by its key, then by its shape; what neither classifies becomes a placeholder
    /// and is noted.
    fn string(&mut self, key: &str, value: &str, path: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        if let Some(redacted) = self.embedded(value) {
            return redacted;
        }
        if key == "data" {
            if let Some(redacted) = self.payload(value) {
                return redacted;
            }
        }
        if let Some(redacted) = self.by_key(key, value) {
            return redacted;
        }
        if key == "message" && path.ends_with("action.message") {
            // A receipt rule's Bounce action: the SMTP reply it sends.
            return text::free_text(&self.names, value);
        }
        if key == "message" {
            // A log event's text without JSON (`START RequestId: …`).
            return stream::words(self, value);
        }
        if let Some(redacted) = self.by_shape(value) {
            return redacted;
        }
        if value == "true" || value == "false" {
            return value.to_string();
        }
        self.note_unclassified(path);
        if value.bytes().all(|b| b.is_ascii_digit()) {
            self.names.shaped("number", value)
        } else {
            self.names.placeholder("Text", value)
        }
    }

    fn by_key(&mut self, key: &str, value: &str) -> Option<String> {
        let names = &self.names;
        if KEPT_KEYS.contains(&key) {
            return Some(value.to_string());
        }
        if key == "source" && value.starts_with("aws.") {
            // EventBridge's `source`, not an address.
            return Some(value.to_string());
        }
        if ADDRESS_KEYS.contains(&key) {
            return Some(text::addresses(names, value));
        }
        if key.eq_ignore_ascii_case("subject") {
            return Some(names.placeholder("Subject", value));
        }
        if ID_KEYS.contains(&key) {
            return Some(text::message_id(names, value));
        }
        if TEXT_KEYS.contains(&key) {
            return Some(text::free_text(names, value));
        }
        if NAME_KEYS.contains(&key) {
            return Some(names.label(
                if key == "bucketName" {
                    "bucket"
                } else {
                    "name"
                },
                value,
            ));
        }
        if PATH_KEYS.contains(&key) {
            return Some(self.path_value(value));
        }
        if EPOCH_TEXT_KEYS.contains(&key) {
            return self.epoch_text(value);
        }
        match key {
            "Signature" => Some(names.base64_like(value)),
            "content" => Some(content_like(value)),
            "date" => Some(self.date(value)),
            "owner" | "account" | "sendingAccountId" if is_account(value) => {
                Some(names.account(value))
            }
            "owner" | "account" | "sendingAccountId" => Some(names.shaped("account", value)),
            _ => None,
        }
    }

    /// A value whose shape says what it is: an address, an IP, an ARN, an account id, a time,
    /// a domain, a UUID.
    fn by_shape(&self, value: &str) -> Option<String> {
        let names = &self.names;
        if is_address(value) {
            return Some(names.address(value));
        }
        if let Ok(ip) = value.parse::<IpAddr>() {
            return Some(names.ip(ip).to_string());
        }
        if value.starts_with("arn:") {
            return Some(names.arn(value));
        }
        if is_account(value) {
            return Some(names.account(value));
        }
        if let Some(shifted) = self.time(value) {
            return Some(shifted);
        }
        if is_domain(value) {
            return Some(names.domain(value));
        }
        if is_uuid(value) {
            return Some(names.shaped("id", value));
        }
        None
    }

    /// A path: each segment an id, the well-known ones kept.
    fn path_value(&self, value: &str) -> String {
        value
            .split('/')
            .map(|segment| {
                if segment.is_empty() || KEPT_SEGMENTS.contains(&segment) {
                    segment.to_string()
                } else {
                    self.names.shaped("id", segment)
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// JSON inside a string (an SNS `Message`, an SQS `body`, a log event's `message`), redacted
    /// and written back in the same form; `None` when the string holds none.
    fn embedded(&mut self, value: &str) -> Option<String> {
        if !value.contains(['{', '[']) {
            return None;
        }
        stream::text_with_json(self, value)
    }

    /// A base64 payload (awslogs `data`, Kinesis and Firehose records), gzip or not, decoded,
    /// redacted and encoded again; `None` when it is not one.
    fn payload(&mut self, value: &str) -> Option<String> {
        match stream::payload(self, value) {
            Ok(redacted) => redacted,
            Err(problem) => {
                self.payload_problems.push(problem);
                Some(String::new())
            }
        }
    }

    /// An RFC 3339 time, shifted by `--shift-time` in the same form (fraction digits, offset).
    pub fn time(&self, value: &str) -> Option<String> {
        let timestamp: jiff::Timestamp = value.parse().ok()?;
        if self.shift.is_zero() {
            return Some(value.to_string());
        }
        let shifted = timestamp.checked_add(self.shift).ok()?;
        let bytes = value.as_bytes();
        let seconds_end = 19;
        if bytes.len() < seconds_end {
            return None;
        }
        let digits = bytes[seconds_end..]
            .iter()
            .skip(1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let has_fraction = bytes.get(seconds_end) == Some(&b'.');
        let suffix_start = seconds_end + if has_fraction { 1 + digits } else { 0 };
        let suffix = &value[suffix_start..];
        let offset = if suffix.eq_ignore_ascii_case("z") {
            jiff::tz::Offset::UTC
        } else {
            let parsed: jiff::Timestamp = format!("2000-01-01T00:00:00{suffix}").parse().ok()?;
            let utc: jiff::Timestamp = "2000-01-01T00:00:00Z".parse().ok()?;
            let seconds = utc.duration_since(parsed).as_secs();
            jiff::tz::Offset::from_seconds(i32::try_from(seconds).ok()?).ok()?
        };
        let zoned = shifted.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset));
        let separator = char::from(bytes[10]);
        let mut out = zoned
            .strftime(&format!("%Y-%m-%d{separator}%H:%M:%S"))
            .to_string();
        if has_fraction {
            let nanos = format!("{:09}", zoned.subsec_nanosecond());
            out.push('.');
            out.push_str(&nanos[..digits.min(9)]);
            out.extend(std::iter::repeat_n('0', digits.saturating_sub(9)));
        }
        out.push_str(suffix);
        Some(out)
    }

    /// Milliseconds since the epoch as text (`"1772438400000"`), shifted by `--shift-time`;
    /// `None` when it is not a number.
    fn epoch_text(&self, value: &str) -> Option<String> {
        let millis: i64 = value.parse().ok()?;
        let shifted = i128::from(millis) + self.shift.as_millis();
        i64::try_from(shifted).ok().map(|millis| millis.to_string())
    }

    /// An RFC 2822 date (the Date header, `commonHeaders.date`), shifted by `--shift-time`;
    /// kept as it is without a shift or when it does not parse.
    fn date(&self, value: &str) -> String {
        if self.shift.is_zero() {
            return value.to_string();
        }
        jiff::fmt::rfc2822::parse(value.trim())
            .ok()
            .and_then(|zoned| zoned.checked_add(self.shift).ok())
            .and_then(|zoned| jiff::fmt::rfc2822::to_string(&zoned).ok())
            .unwrap_or_else(|| value.to_string())
    }

    /// A number that is a time since the epoch (log events' `timestamp` in milliseconds,
    /// Kinesis's `approximateArrivalTimestamp` in seconds), shifted by `--shift-time`.
    fn epoch(&self, key: &str, number: &serde_json::Number) -> Option<Value> {
        if self.shift.is_zero() || !matches!(key, "timestamp" | "approximateArrivalTimestamp") {
            return None;
        }
        let shift_millis = self.shift.as_millis();
        if let Some(millis) = number.as_i64() {
            let shifted = if millis > 100_000_000_000 {
                i128::from(millis) + shift_millis
            } else {
                i128::from(millis) + shift_millis / 1000
            };
            return i64::try_from(shifted).ok().map(Value::from);
        }
        let seconds = number.as_f64()?;
        serde_json::Number::from_f64(seconds + self.shift.as_secs_f64()).map(Value::Number)
    }
}

/// MIME content replaced: base64 stays base64.
fn content_like(value: &str) -> String {
    use base64::Engine;
    let looks_base64 = !value.contains(':')
        && base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .is_ok();
    if looks_base64 {
        base64::engine::general_purpose::STANDARD.encode(CONTENT)
    } else {
        CONTENT.to_string()
    }
}

fn is_address(value: &str) -> bool {
    match value.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains(char::is_whitespace)
                && !local.contains(['<', '>'])
                && is_domain(domain)
        }
        None => false,
    }
}

fn is_account(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

fn is_domain(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_uuid(value: &str) -> bool {
    value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(shift: &str) -> Redactor {
        Redactor::new(Pseudonyms::new(b"k"), shift.parse().expect("a duration"))
    }

    #[test]
    fn times_shift_in_their_own_form() {
        let r = redactor("1h");
        assert_eq!(
            r.time("2024-06-01T23:30:00.512Z").as_deref(),
            Some("2024-06-02T00:30:00.512Z")
        );
        assert_eq!(
            r.time("2024-06-01T10:00:00.100000+02:00").as_deref(),
            Some("2024-06-01T11:00:00.100000+02:00")
        );
        assert_eq!(
            r.date("Sat, 1 Jun 2024 10:00:00 +0000"),
            "Sat, 1 Jun 2024 11:00:00 +0000"
        );
        assert_eq!(r.time("not a time"), None);
        assert_eq!(
            r.epoch_text("1772438400000").as_deref(),
            Some("1772442000000")
        );
        assert_eq!(r.epoch_text("soon"), None);
    }

    #[test]
    fn unknown_strings_become_placeholders_and_are_noted() {
        let mut r = redactor("0s");
        let mut doc: Value = serde_json::json!({
            "eventType": "Bounce",
            "mail": {"source": "a@corp.com", "custom": "Jane's order"},
        });
        r.document(&mut doc);
        assert_eq!(doc["eventType"], "Bounce");
        assert_ne!(doc["mail"]["custom"], "Jane's order");
        assert_eq!(r.take_unclassified_here(), ["mail.custom"]);
        assert_eq!(r.unclassified().get("mail.custom"), Some(&1));
    }
}
