//! Says in words what a JSON value that is not an SES event looks like, so that the problem
//! reported for it helps (`it is an S3 event record`).

use serde_json::{Map, Value};

use crate::sanitize::{Escaping, escaped};

/// What the JSON value `json` is, as `it is …`.
pub(super) fn describe(json: &str) -> String {
    match json.trim_start().as_bytes().first() {
        Some(b'{') => match serde_json::from_str::<Map<String, Value>>(json) {
            Ok(object) => describe_object(&object),
            Err(e) => format!(
                "it is a JSON object that cannot be read ({})",
                super::strip_location(&e.to_string())
            ),
        },
        Some(b'[') => "it is a JSON array".to_string(),
        Some(b'"') => "it is a JSON string".to_string(),
        Some(b't' | b'f') => "it is a JSON boolean".to_string(),
        Some(b'n') => "it is JSON null".to_string(),
        _ => "it is a JSON number".to_string(),
    }
}

fn describe_object(object: &Map<String, Value>) -> String {
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    // What the object says is shown to people on stderr: escaped.
    let shown = |text: &str| escaped(text, Escaping::Display);
    let (mail, receipt) = (object.contains_key("mail"), object.contains_key("receipt"));
    match text("notificationType") {
        Some("Received") if receipt => {
            return "it is an SES receipt notification with `receipt` but no `mail`".to_string();
        }
        Some("Received") => {
            return "it is an SES receipt notification with `mail` but no `receipt`".to_string();
        }
        Some("AmazonSnsSubscriptionSucceeded") => {
            return "it is SES's notice that an SNS topic was subscribed \
                    (AmazonSnsSubscriptionSucceeded), which carries no event"
                .to_string();
        }
        Some(kind) => {
            return format!("it is an SES {} notification without `mail`", shown(kind));
        }
        None => {}
    }
    if let Some(kind) = text("eventType") {
        return format!("it is an SES {} event without `mail`", shown(kind));
    }
    if let Some(source) = text("eventSource").or_else(|| text("EventSource")) {
        return match source {
            "aws:s3" => "it is an S3 event record (eventSource aws:s3)".to_string(),
            "aws:sns" => "it is an SNS record (EventSource aws:sns)".to_string(),
            "aws:sqs" => "it is an SQS record (eventSource aws:sqs)".to_string(),
            "aws:ses" => "it is an SES record without `ses.mail` and `ses.receipt`".to_string(),
            other => format!("it is a Lambda event record from {}", shown(other)),
        };
    }
    if let Some(kind) = text("Type") {
        return format!(
            "it is an SNS {} message, which carries no SES event",
            shown(kind)
        );
    }
    if let Some(kind) = text("detail-type") {
        return format!("it is an EventBridge event (detail-type {kind:?})");
    }
    if object.contains_key("awslogs") {
        return "it is a CloudWatch Logs subscription payload (awslogs)".to_string();
    }
    match (mail, receipt) {
        (true, false) => {
            return "it has `mail` but neither `receipt` nor an event type \
                    (`notificationType`, `eventType`)"
                .to_string();
        }
        (false, true) => return "it has `receipt` but no `mail`".to_string(),
        _ => {}
    }
    if object.is_empty() {
        return "it is an empty JSON object".to_string();
    }
    let mut keys: Vec<String> = object.keys().map(|key| shown(key)).take(6).collect();
    if object.len() > keys.len() {
        keys.push("…".to_string());
    }
    format!("it is a JSON object with keys {}", keys.join(", "))
}
