//! Says in words what a JSON value that is not an SES event looks like, so that the problem
//! reported for it helps (`it is an S3 event record`), and whether it is foreign or an SES event
//! missing a part.

use serde_json::{Map, Value};

use crate::problem::ProblemKind;

/// What the JSON value `json` is, as `it is …`: foreign ([`ProblemKind::NotSes`]), or an SES
/// event without its `mail` or `receipt` ([`ProblemKind::IncompleteSes`]).
pub(super) fn describe(json: &str) -> (ProblemKind, String) {
    let incomplete = |text: &str| (ProblemKind::IncompleteSes, text.to_string());
    if let Ok(object) = serde_json::from_str::<Map<String, Value>>(json) {
        let text = |key: &str| object.get(key).and_then(Value::as_str);
        // Sending events carry `mail` without `receipt`: they are not broken receiving events.
        let sending = text("notificationType").is_some() || text("eventType").is_some();
        if !sending {
            if text("eventSource") == Some("aws:ses") {
                return incomplete("it is an SES record without `ses.mail` and `ses.receipt`");
            }
            match (object.contains_key("mail"), object.contains_key("receipt")) {
                (true, false) => return incomplete("it has `mail` but no `receipt`"),
                (false, true) => return incomplete("it has `receipt` but no `mail`"),
                _ => {}
            }
        }
    }
    (ProblemKind::NotSes, foreign(json))
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
    if object.is_empty() {
        return "it is an empty JSON object".to_string();
    }
    let mut keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
    if object.len() > keys.len() {
        keys.push("…");
    }
    format!("it is a JSON object with keys {}", keys.join(", "))
}
