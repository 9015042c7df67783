//! The public sample events other people wrote (tests/fixtures/public, see SOURCES.md): receipt
//! events summarise correctly and have headers; sending events are read in `tests/it/sending.rs`.

use crate::harness::{json_array, json_rows, run};

fn summary(name: &str) -> serde_json::Value {
    let path = format!("tests/fixtures/public/{name}");
    let (code, json, stderr) = run(&["summary", "-f", "json", &path]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{name}");
    let mut rows = json_rows(&json);
    assert_eq!(rows.len(), 1, "{name}");
    rows.remove(0)
}

/// Every public receipt event: its file, action, subject and DMARC verdict.
const RECEIPT_EVENTS: [(&str, &str, &str, Option<&str>); 10] = [
    (
        "aws-lambda-go__ses-lambda-event.json",
        "Lambda",
        "Test Subject",
        Some("PASS"),
    ),
    (
        "aws-lambda-go__ses-s3-event.json",
        "S3",
        "Example subject",
        Some("PASS"),
    ),
    (
        "aws-lambda-go__ses-sns-event.json",
        "SNS",
        "Example subject",
        Some("PASS"),
    ),
    (
        "aws-lambda-rust-runtime__example-ses-lambda-event.json",
        "Lambda",
        "Test Subject",
        Some("PASS"),
    ),
    (
        "aws-lambda-rust-runtime__example-ses-s3-event.json",
        "S3",
        "Example subject",
        Some("PASS"),
    ),
    (
        "aws-lambda-rust-runtime__example-ses-sns-event.json",
        "SNS",
        "Example subject",
        Some("PASS"),
    ),
    (
        "aws-sam-cli__SesEmailReceiving.json",
        "Lambda",
        "Test Subject",
        None,
    ),
    (
        "awsdocs-amazon-ses-developer-guide__receiving-notification-sns-action-with-content.json",
        "SNS",
        "Example subject",
        None,
    ),
    (
        "powertools-lambda-python__sesEvent.json",
        "Lambda",
        "Test Subject",
        Some("PASS"),
    ),
    (
        "powertools-lambda-typescript__ses-base.json",
        "Lambda",
        "Test Subject",
        Some("PASS"),
    ),
];

#[test]
fn every_public_receipt_event_summarises() {
    for (name, action, subject, dmarc) in RECEIPT_EVENTS {
        let row = summary(name);
        assert_eq!(row["action"], action, "{name}");
        assert_eq!(row["subject"], subject, "{name}");
        assert_eq!(row["dmarc"].as_str(), dmarc, "{name}");
        for verdict in ["spf", "dkim", "spam", "virus"] {
            assert_eq!(row[verdict], "PASS", "{name} {verdict}");
        }
        assert!(
            row["ses_id"].is_string() && row["timestamp"].is_string(),
            "{name}"
        );
    }
}

#[test]
fn lambda_go_sample_details() {
    let row = summary("aws-lambda-go__ses-lambda-event.json");
    assert_eq!(row["dmarc_policy"], "reject");
    assert_eq!(
        row["function_arn"],
        "arn:aws:lambda:us-east-1:000000000000:function:my-ses-lambda-function"
    );
    assert_eq!(row["invocation_type"], "Event");
    assert_eq!(row["processing_ms"], 574);
    assert_eq!(row["ses_id"], "6n4thuhcbhpfiuf25gshf70rss364fuejrvmqko1");
    assert_eq!(
        row["message_id"],
        "<CAEddw6POFV_On91m+ZoL_SN8B_M2goDe_Ni355owhc7QSjPQSQ@amazon.com>"
    );
}

#[test]
fn every_public_receipt_event_has_headers_hops_and_auth() {
    for (name, ..) in RECEIPT_EVENTS {
        let path = format!("tests/fixtures/public/{name}");
        for command in ["headers", "hops", "auth"] {
            let (code, out, err) = run(&[command, &path]);
            assert_eq!((code, err.as_str()), (0, ""), "{command} {name}");
            assert!(out.contains('╭'), "{command} {name}: {out}");
        }
        let hops = json_array(&["hops", "-f", "json", &path]);
        assert!(
            hops.last()
                .is_some_and(|h| h["from"].as_str().is_some_and(|from| from.contains('['))),
            "{name}"
        );
    }
}

#[test]
fn every_public_sending_event_with_headers_has_them_and_the_others_say_they_have_none() {
    let dir = crate::harness::root().join("tests/fixtures/public");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if RECEIPT_EVENTS.iter().any(|(receipt, ..)| *receipt == name) || !name.ends_with(".json") {
            continue;
        }
        let path = format!("tests/fixtures/public/{name}");
        let raw = std::fs::read_to_string(crate::harness::root().join(&path)).expect("fixture");
        let (code, out, err) = run(&["headers", &path]);
        assert_eq!((code, err.as_str()), (0, ""), "{name}");
        if raw.contains("\"headers\"") {
            assert!(out.contains("┆ Subject"), "{name}: {out}");
        } else {
            assert!(out.ends_with("event carries no headers\n"), "{name}: {out}");
        }
        read += 1;
    }
    assert_eq!(read, 15);
}
