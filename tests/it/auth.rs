//! `auth`: authentication headers next to SES's verdicts, and their disagreements.

use crate::harness::{json_array, run};

const FORWARDED: &str = "examples/forwarded-list-mail.json";

#[test]
fn auth_compares_headers_with_ses() {
    let (code, table, _) = run(&["auth", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("auth-forwarded", table);
    let report = &json_array(&["auth", "-f", "json", FORWARDED])[0];
    assert_eq!(report["disagreements"], serde_json::json!([]));
    assert_eq!(
        report["notes"],
        serde_json::json!([
            "Authentication-Results from mx.google.com (header 11, added before SES received the message) says dkim=pass, dmarc=pass where SES says DKIM FAIL, DMARC FAIL; typical of forwarding: mx.google.com checked the original sender, SES checked the forwarder",
            "DKIM signature d=lists.example.org does not align with the From domain example.com"
        ])
    );
    assert_eq!(report["authentication_results"][1]["index"], 11);
    assert_eq!(report["authentication_results"][1]["added"], "before_ses");
    assert_eq!(
        report["authentication_results"][1]["added_by"],
        "mx.google.com"
    );
    assert_eq!(report["authentication_results"][0]["added"], "by_ses");
    assert_eq!(
        report["authentication_results"][1]["authserv_id"],
        "mx.google.com"
    );
    assert_eq!(
        report["authentication_results"][1]["results"][0]["properties"]["header.s"],
        "s1"
    );
    assert_eq!(report["received_spf"][0]["client_ip"], "209.85.220.41");
    assert_eq!(
        report["dkim_signatures"][1]["h"],
        serde_json::json!(["from", "to", "subject", "date", "message-id"])
    );
    assert_eq!(report["dkim_signatures"][1]["bh"], "frcCV1k9oG9o…");
    assert_eq!(
        report["arc"][0],
        serde_json::json!({"instance":"1","cv":"none","d":"google.com","s":"arc-20240605"})
    );
    assert_eq!(report["verdicts"]["dmarc_policy"], "reject");
    let clean = &json_array(&["auth", "-f", "json", "examples/lambda-event.json"])[0];
    assert_eq!(clean["disagreements"], serde_json::json!([]));
}

#[test]
fn ndjson_is_one_report_per_line_like_json() {
    let (code, out, _) = run(&["auth", "-f", "ndjson", "examples/several-records.json"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let array = json_array(&["auth", "-f", "json", "examples/several-records.json"]);
    assert_eq!(lines, array);
    assert_eq!(lines.len(), 3);
}

#[test]
fn shipped_examples_are_consistent_with_ses_own_header() {
    for entry in std::fs::read_dir(crate::harness::root().join("examples")).expect("examples/") {
        let path = entry.expect("an entry").path();
        let name = path.to_string_lossy().into_owned();
        for report in json_array(&["auth", "-f", "json", &name]) {
            let disagreements = report["disagreements"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(disagreements.is_empty(), "{name}: {disagreements:?}");
        }
    }
}

#[test]
fn sending_events_have_no_ses_verdicts_to_compare() {
    let (code, out, _) = run(&[
        "auth",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-Send.json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "no authentication headers\n");
    let (_, out, _) = run(&[
        "auth",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-DeliveryDelay.json",
    ]);
    assert_eq!(out, "this DeliveryDelay event carries no headers\n");
}
