//! Header parsing that stays linear on hostile headers, and reads SES's own headers right.

use std::time::{Duration, Instant};

use crate::harness::{json_rows, run_with_stdin};

/// A receipt event whose only headers are `headers` (name, value).
fn event_with_headers(headers: &[(&str, &str)]) -> Vec<u8> {
    let headers: Vec<serde_json::Value> = headers
        .iter()
        .map(|(name, value)| serde_json::json!({"name": name, "value": value}))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "notificationType": "Received",
        "mail": {"messageId": "m1", "headers": headers},
        "receipt": {"spfVerdict": {"status": "PASS"}},
    }))
    .expect("JSON")
}

/// Runs `sesinspect ARGS` on `input` and says how long it took; it must succeed.
fn timed(args: &[&str], input: Vec<u8>) -> (String, Duration) {
    let started = Instant::now();
    let (code, out, err) = run_with_stdin(args, input);
    assert_eq!(code, 0, "{err}");
    (out, started.elapsed())
}

#[test]
fn a_header_of_many_encoded_words_decodes_in_linear_time() {
    // 1 MB of encoded-words took seconds while the decoder searched each word's surroundings
    // from the start of the value.
    let subject = "=?utf-8?q?caf=C3=A9?= ".repeat(45_000);
    let opened = "=? ".repeat(300_000);
    let input = event_with_headers(&[("Subject", &subject), ("X-Opened", &opened)]);
    let (out, took) = timed(&["headers", "-f", "json", "-"], input);
    let rows = json_rows(&out);
    assert_eq!(rows[0]["value"], "café".repeat(45_000) + " ");
    assert_eq!(
        rows[1]["value"], opened,
        "nothing to decode, nothing changed"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
