//! Says in words what a JSON value that is not an SES event looks like, so that the problem
//! reported for it helps (`it is an S3 event record`), and whether it is foreign or an SES event
//! missing a part.

use serde_json::{Map, Value};

use crate::problem::ProblemKind;
use crate::sanitize::{Escaping, escaped};

/// What the JSON value `json` is, as `it is …`: foreign ([`ProblemKind::NotSes`]), or an SES
/// event without a part it needs ([`ProblemKind::IncompleteSes`]).
pub(super) fn describe(json: &str) -> (ProblemKind, String) {
    if let Ok(object) = serde_json::from_str::<Map<String, Value>>(json) {
        if let Some(missing) = missing_part(&object) {
            return (ProblemKind::IncompleteSes, missing);
        }
    }
    (ProblemKind::NotSes, foreign(json))
}

/// What `object` lacks, when it claims to be an SES event: a receipt event needs `mail` and
/// `receipt`, a sending event (`notificationType` or `eventType`) needs `mail`.
fn missing_part(object: &Map<String, Value>) -> Option<String> {
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let (mail, receipt) = (object.contains_key("mail"), object.contains_key("receipt"));
    let said = |what: &str| Some(what.to_string());
    if let Some(kind) = text("notificationType") {
        return match kind {
            // SES's notice that a topic was subscribed: a message with no event to miss.
            "AmazonSnsSubscriptionSucceeded" => None,
            "Received" if receipt => {
                said("it is an SES receipt notification with `receipt` but no `mail`")
            }
            "Received" if mail => {
                said("it is an SES receipt notification with `mail` but no `receipt`")
            }
            "Received" => said("it is an SES receipt notification without `mail` and `receipt`"),
            kind => Some(format!(
                "it is an SES {} notification without `mail`",
                shown(kind)
            )),
        };
    }
    if let Some(kind) = text("eventType") {
        return Some(format!("it is an SES {} event without `mail`", shown(kind)));
    }
    if text("eventSource") == Some("aws:ses") {
        let ses = object.get("ses").and_then(Value::as_object);
        let has = |key: &str| ses.is_some_and(|ses| ses.contains_key(key));
        return match (has("mail"), has("receipt")) {
            (true, false) => said("it is an SES record with `ses.mail` but no `ses.receipt`"),
            (false, true) => said("it is an SES record with `ses.receipt` but no `ses.mail`"),
            _ => said("it is an SES record without `ses.mail` and `ses.receipt`"),
        };
    }
    match (mail, receipt) {
        (true, false) => said(
            "it has `mail` but neither `receipt` nor an event type (`notificationType`, `eventType`)",
        ),
        (false, true) => said("it has `receipt` but no `mail`"),
        _ => None,
    }
}

/// What the object says, for people on stderr: escaped.
fn shown(text: &str) -> String {
    escaped(text, Escaping::Display)
}

fn foreign(json: &str) -> String {
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
    if text("notificationType") == Some("AmazonSnsSubscriptionSucceeded") {
        return "it is SES's notice that an SNS topic was subscribed \
                (AmazonSnsSubscriptionSucceeded), which carries no event"
            .to_string();
    }
    if let Some(source) = text("eventSource").or_else(|| text("EventSource")) {
        return match source {
            "aws:s3" => "it is an S3 event record (eventSource aws:s3)".to_string(),
            "aws:sns" => "it is an SNS record (EventSource aws:sns)".to_string(),
            "aws:sqs" => "it is an SQS record (eventSource aws:sqs)".to_string(),
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
    if object.is_empty() {
        return "it is an empty JSON object".to_string();
    }
    let mut keys: Vec<String> = object.keys().map(|key| shown(key)).take(6).collect();
    if object.len() > keys.len() {
        keys.push("…".to_string());
    }
    format!("it is a JSON object with keys {}", keys.join(", "))
}
