//! Header parsing that stays linear on hostile headers, and reads SES's own headers right.

use std::time::{Duration, Instant};

use crate::harness::{json_array, json_rows, run, run_with_stdin};

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

/// Mail forwarded by Gmail, in the header layout of real captures (see its folder's README).
const FORWARDED: &str = "tests/fixtures/forwarded/gmail-forward.json";

#[test]
fn ses_own_authentication_results_gives_spf_its_properties_after_semicolons() {
    let report = &json_array(&["auth", "-f", "json", FORWARDED])[0];
    let ses = &report["authentication_results"][0];
    assert_eq!(ses["authserv_id"], "amazonses.com");
    let methods: Vec<&str> = ses["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["method"].as_str())
        .collect();
    assert_eq!(
        methods,
        ["spf", "dkim", "dmarc"],
        "no method named envelope-from or helo"
    );
    assert_eq!(
        ses["results"][0]["properties"],
        serde_json::json!({
            "client-ip": "198.51.100.45",
            "envelope-from": "ana.forwarder+caf_=inbox=example.org@gmail.com",
            "helo": "mail-yw1-f170.google.com"
        })
    );
    assert_eq!(
        (&ses["index"], &ses["added"], &ses["added_by"]),
        (
            &serde_json::json!(6),
            &serde_json::json!("by_ses"),
            &serde_json::json!("amazonses.com")
        )
    );
    let google = &report["received_spf"][1];
    assert_eq!(
        (&google["index"], &google["added"], &google["added_by"]),
        (
            &serde_json::json!(15),
            &serde_json::json!("before_ses"),
            &serde_json::json!("google.com")
        )
    );
    let (code, table, _) = run(&["auth", FORWARDED]);
    assert_eq!(code, 0);
    assert!(
        table.contains("Received-SPF #15 (google.com, before SES)"),
        "{table}"
    );
    assert!(!table.contains("envelope-from ┆"), "{table}");
}

#[test]
fn a_forwarder_verdicts_are_explained_not_disagreements() {
    let report = &json_array(&["auth", "-f", "json", FORWARDED])[0];
    assert_eq!(report["disagreements"], serde_json::json!([]));
    assert_eq!(
        report["notes"],
        serde_json::json!([
            "Authentication-Results from mx.google.com (header 16, added before SES received the message) says spf=softfail where SES says SPF PASS; typical of forwarding: mx.google.com checked the original sender, SES checked the forwarder",
            "Received-SPF from google.com (header 15, added before SES received the message) says spf=softfail where SES says SPF PASS; typical of forwarding: google.com checked the original sender, SES checked the forwarder"
        ])
    );
    let (code, table, _) = run(&["auth", FORWARDED]);
    assert_eq!(code, 0);
    assert!(
        table.contains("no disagreements\nℹ Authentication-Results from mx.google.com (header 16"),
        "{table}"
    );
}

#[test]
fn ses_own_header_against_its_verdicts_is_a_disagreement() {
    let input = event_with_headers(&[
        (
            "Received",
            "from mail.example.com by inbound-smtp.us-east-1.amazonaws.com with SMTP id x; Fri, 20 Nov 2026 09:14:01 +0000",
        ),
        (
            "Authentication-Results",
            "amazonses.com; spf=fail smtp.mailfrom=a@example.com",
        ),
    ]);
    let (code, out, _) = run_with_stdin(&["auth", "-f", "json", "-"], input);
    assert_eq!(code, 0);
    assert_eq!(
        json_rows(&out)[0]["disagreements"],
        serde_json::json!([
            "SES's own Authentication-Results (header 2) says spf=fail, but SES's SPF verdict is PASS"
        ])
    );
}

#[test]
fn hostile_structured_headers_are_read_in_linear_time() {
    let semicolons = format!("mx.example; {}", "spf=pass;".repeat(5_000));
    let properties = format!("amazonses.com; spf=pass {}", "helo=a; ".repeat(5_000));
    let nested = format!("mx; spf=pass {}{}", "(".repeat(30_000), ")".repeat(30_000));
    let unclosed = format!("mx; spf=pass {}", "(\"".repeat(30_000));
    let tags = format!("v=1; h={}", "a:".repeat(30_000));
    let received = format!(
        "from a {}; Fri, 20 Nov 2026 09:14:01 +0000",
        "(x) ".repeat(20_000)
    );
    let input = event_with_headers(&[
        ("Authentication-Results", &semicolons),
        ("Authentication-Results", &properties),
        ("Authentication-Results", &nested),
        ("Authentication-Results", &unclosed),
        ("Received-SPF", &semicolons),
        ("DKIM-Signature", &tags),
        ("ARC-Seal", &tags),
        ("Received", &received),
        ("From", &nested),
    ]);
    let (out, took) = timed(&["auth", "-f", "json", "-"], input.clone());
    let report = &json_rows(&out)[0];
    assert_eq!(
        report["authentication_results"][0]["results"]
            .as_array()
            .map(Vec::len),
        Some(5_000)
    );
    assert_eq!(
        report["authentication_results"][1]["results"][0]["properties"]["helo"], "a",
        "one method with its properties"
    );
    assert_eq!(
        report["dkim_signatures"][0]["h"].as_array().map(Vec::len),
        Some(30_000)
    );
    let (_, hops_took) = timed(&["hops", "-f", "json", "-"], input);
    let took = took + hops_took;
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
