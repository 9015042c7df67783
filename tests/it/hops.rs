//! `hops`: the Received chain, origin first, with times and delays.

use crate::harness::{json_array, run};

const FORWARDED: &str = "examples/forwarded-list-mail.json";

#[test]
fn hops_run_origin_first_with_delays() {
    let (code, table, _) = run(&["hops", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("hops-forwarded", table);
    let rows = json_array(&["hops", "-f", "json", FORWARDED]);
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
fn sending_events_show_the_hops_their_headers_have() {
    let (code, out, _) = run(&[
        "hops",
        "tests/fixtures/sending/janis-commerce__aws-listener-test__sns-message-bounce-with-headers.json",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("│ 1   ┆ localhost.localdomain ┆ —  ┆"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "hops",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-Open.json",
    ]);
    assert_eq!(out, "no Received headers\n");
}
