//! `headers`, `hops` and `auth` on the examples and on every public receipt event.

use crate::harness::{run, run_with_stdin};

const FORWARDED: &str = "examples/forwarded-list-mail.json";

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    match serde_json::from_str(&out) {
        Ok(serde_json::Value::Array(rows)) => rows,
        other => panic!("{other:?} from {out}"),
    }
}

#[test]
fn headers_are_listed_in_order_and_decoded() {
    let (code, table, err) = run(&["headers", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("headers-forwarded", table);
    assert_eq!(
        err,
        "sesinspect: examples/forwarded-list-mail.json:1: warning: SES cut the headers off at 10 KB, so this list is incomplete\n"
    );
    let rows = json(&[
        "headers", "-f", "json", "-n", "SUBJECT", "-n", "x-ses-*", FORWARDED,
    ]);
    let picked: Vec<(u64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["index"].as_u64().unwrap_or(0),
                r["name"].as_str().unwrap_or(""),
                r["value"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        picked,
        [
            (3, "X-SES-Spam-Verdict", "PASS"),
            (4, "X-SES-Virus-Verdict", "PASS"),
            (
                7,
                "X-SES-RECEIPT",
                "AEFBQUFBQUFBQUFFQmxhaGJsYWhibGFoYmxhaGJsYWg="
            ),
            (21, "Subject", "[Team] Résumé du trimestre — Q3")
        ]
    );
    assert_eq!(rows[0]["input"], "examples/forwarded-list-mail.json:1");
    assert_eq!(
        rows[0]["ses_id"],
        "7q2bq0v4l3k9h8g7f6e5d4c3b2a1z0y9x8w7v6u5"
    );
    let raw = json(&["headers", "-f", "json", "--raw", "-n", "from", FORWARDED]);
    assert_eq!(
        raw[0]["value"],
        "=?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <alice@example.com>"
    );
}

#[test]
fn several_messages_get_titles() {
    let (_, table, _) = run(&["headers", "-n", "subject", "examples/several-records.json"]);
    assert!(table.starts_with("examples/several-records.json:1 Records[0] · b3c9k2m4n5p6q7r8s9t0u1v2w3x4y5z6a7b8c9d0 · Application: platform engineer\n"), "{table}");
    assert_eq!(table.matches("Records[").count(), 3);
    let (_, single, _) = run(&["headers", "-n", "subject", "examples/lambda-event.json"]);
    assert!(
        single.starts_with('╭'),
        "one message needs no title: {single}"
    );
}

#[test]
fn hostile_header_values_are_escaped_but_exact_in_json() {
    let event = r#"{"mail":{"headers":[{"name":"Subject","value":"hi\u001b[2J\u202etxt"},{"name":"X-Evil\u0007","value":"=?UTF-8?B?G1szMW0=?="}]},"receipt":{}}"#;
    let (_, table, _) = run_with_stdin(&["headers"], event.as_bytes().to_vec());
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{202e}') && !table.contains('\u{7}'),
        "{table}"
    );
    assert!(
        table.contains("hi\\u{1b}[2J\\u{202e}txt")
            && table.contains("X-Evil\\u{7}")
            && table.contains("\\u{1b}[31m"),
        "{table}"
    );
    let (_, out, _) = run_with_stdin(&["headers", "-f", "ndjson"], event.as_bytes().to_vec());
    let first: serde_json::Value =
        serde_json::from_str(out.lines().next().unwrap_or("")).expect("JSON");
    assert_eq!(first["value"], "hi\u{1b}[2J\u{202e}txt");
}

#[test]
fn hops_run_origin_first_with_delays() {
    let (code, table, _) = run(&["hops", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("hops-forwarded", table);
    let rows = json(&["hops", "-f", "json", FORWARDED]);
    let summary: Vec<(u64, &str, serde_json::Value, serde_json::Value)> = rows
        .iter()
        .map(|r| {
            (
                r["hop"].as_u64().unwrap_or(0),
                r["by"].as_str().unwrap_or("-"),
                r["time"].clone(),
                r["delay_seconds"].clone(),
            )
        })
        .collect();
    use serde_json::json;
    assert_eq!(
        summary,
        [
            (
                1,
                "AM6PR04MB1234.eurprd04.prod.outlook.com",
                json!("2026-11-23T14:01:58Z"),
                json!(null)
            ),
            (2, "mail.lists.example.org", json!(null), json!(null)),
            (3, "-", json!("2026-11-23T14:02:21Z"), json!(23)),
            (4, "mx.google.com", json!("2026-11-23T14:02:15Z"), json!(-6)),
            (
                5,
                "2002:a05:6402:1234:b0:56c:1234:5678",
                json!("2026-11-23T14:02:16Z"),
                json!(1)
            ),
            (
                6,
                "inbound-smtp.eu-west-1.amazonaws.com",
                json!("2026-11-23T14:02:19Z"),
                json!(3)
            ),
        ]
    );
    assert_eq!(rows[0]["from"], "mail.example.com [198.51.100.7]");
    assert_eq!(
        rows[1]["from"],
        "AM6PR04MB1234.eurprd04.prod.outlook.com [2603:10a6:20b:1::12]"
    );
    assert_eq!(rows[5]["id"], "7q2bq0v4l3k9h8g7f6e5d4c3b2a1z0y9x8w7v6u5");
}

#[test]
fn auth_compares_headers_with_ses() {
    let (code, table, _) = run(&["auth", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("auth-forwarded", table);
    let report = &json(&["auth", "-f", "json", FORWARDED])[0];
    assert_eq!(
        report["disagreements"],
        serde_json::json!([
            "Authentication-Results from mx.google.com says dkim=pass, but SES's DKIM verdict is FAIL",
            "Authentication-Results from mx.google.com says dmarc=pass, but SES's DMARC verdict is FAIL",
            "DKIM signature d=lists.example.org does not align with the From domain example.com"
        ])
    );
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
    let clean = &json(&["auth", "-f", "json", "examples/lambda-event.json"])[0];
    assert_eq!(clean["disagreements"], serde_json::json!([]));
}

#[test]
fn every_public_receipt_event_has_headers_hops_and_auth() {
    let dir = crate::harness::root().join("tests/fixtures/public");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.contains("bounce") {
            continue;
        }
        for command in ["headers", "hops", "auth"] {
            let (code, out, err) = run(&[command, &name]);
            assert_eq!((code, err.as_str()), (0, ""), "{command} {name}");
            assert!(out.contains('╭'), "{command} {name}: {out}");
        }
        let hops = json(&["hops", "-f", "json", &name]);
        assert!(
            hops.last()
                .is_some_and(|h| h["from"].as_str().is_some_and(|from| from.contains('['))),
            "{name}"
        );
        read += 1;
    }
    assert_eq!(read, 10);
}
