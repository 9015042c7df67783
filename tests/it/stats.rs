//! `stats`: exact counts on the examples, and on a generated corpus whose truth is known.

use std::fmt::Write;

use crate::harness::{run, run_with_stdin};

fn stats_json(args: &[&str], stdin: Vec<u8>) -> serde_json::Value {
    let mut full = vec!["stats", "-f", "json"];
    full.extend_from_slice(args);
    let (code, out, err) = run_with_stdin(&full, stdin);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn counts_the_examples_exactly() {
    let stats = stats_json(
        &["examples/several-records.json", "examples/stream.ndjson"],
        Vec::new(),
    );
    assert_eq!(stats["messages"], 8);
    assert_eq!(stats["first"], "2026-11-20T10:02:11.004Z");
    assert_eq!(stats["last"], "2026-11-23T12:28:00.000Z");
    assert_eq!(stats["distinct_senders"], 8);
    assert_eq!(
        stats["verdicts"]["dmarc"],
        serde_json::json!({"PASS":5,"FAIL":1,"GRAY":0,"PROCESSING_FAILED":0,"DISABLED":0,"MISSING":2})
    );
    assert_eq!(stats["dmarc_policies"], serde_json::json!({"reject": 1}));
    assert_eq!(
        stats["actions"],
        serde_json::json!({"AddHeader":1,"Lambda":4,"S3":1,"Stop":1,"WorkMail":1})
    );
    assert_eq!(
        stats["recipients"][0],
        serde_json::json!(["support@inbound.example.net", 5])
    );
    assert_eq!(
        stats["processing_ms"],
        serde_json::json!({"min":300,"median":303,"p95":1288,"max":1288})
    );
}

#[test]
fn top_limits_the_lists() {
    let stats = stats_json(&["--top", "2", "examples/stream.ndjson"], Vec::new());
    assert_eq!(stats["sender_domains"].as_array().map(Vec::len), Some(2));
}

#[test]
fn nothing_to_count_is_reported_as_such() {
    let stats = stats_json(&[], b"{\"mail\":{},\"receipt\":{}}".to_vec());
    assert_eq!(stats["messages"], 1);
    assert_eq!(stats["first"], serde_json::Value::Null);
    assert_eq!(stats["processing_ms"]["median"], serde_json::Value::Null);
    assert_eq!(stats["verdicts"]["spf"]["MISSING"], 1);
}

#[test]
fn matches_a_generated_corpus_with_known_truth() {
    const STATUSES: [&str; 5] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"];
    let mut corpus = String::new();
    let mut spf = [0u64; 5];
    let mut dmarc_missing = 0;
    let mut times = Vec::new();
    for i in 0..5000u64 {
        let status = STATUSES[(i * 7 % 11 % 5) as usize];
        spf[(i * 7 % 11 % 5) as usize] += 1;
        let dmarc = if i % 9 == 0 {
            dmarc_missing += 1;
            String::new()
        } else {
            ",\"dmarcVerdict\":{\"status\":\"PASS\"}".to_string()
        };
        let ms = 100 + i * 37 % 1900;
        times.push(ms);
        let _ = writeln!(
            corpus,
            "{{\"Records\":[{{\"eventSource\":\"aws:ses\",\"ses\":{{\"mail\":{{\"source\":\"u{}@d{}.example\",\"timestamp\":\"2026-01-01T00:00:{:02}.000Z\"}},\"receipt\":{{\"processingTimeMillis\":{ms},\"spfVerdict\":{{\"status\":\"{status}\"}}{dmarc}}}}}}}]}}",
            i % 300,
            i % 300 % 7,
            i % 60
        );
    }
    times.sort_unstable();
    let stats = stats_json(&[], corpus.into_bytes());
    assert_eq!(stats["messages"], 5000);
    assert_eq!(stats["distinct_senders"], 300);
    for (status, n) in STATUSES.iter().zip(spf) {
        assert_eq!(stats["verdicts"]["spf"][status], n, "{status}");
    }
    assert_eq!(stats["verdicts"]["dmarc"]["MISSING"], dmarc_missing);
    assert_eq!(stats["processing_ms"]["median"], times[2499]);
    assert_eq!(stats["processing_ms"]["p95"], times[4749]);
    assert_eq!(stats["sender_domains"].as_array().map(Vec::len), Some(7));
    assert_eq!(stats["first"], "2026-01-01T00:00:00.000Z");
    assert_eq!(stats["last"], "2026-01-01T00:00:59.000Z");
}

#[test]
fn table_shows_every_section() {
    let (code, out, _) = run(&["stats", "examples/several-records.json"]);
    assert_eq!(code, 0);
    for title in [
        "Messages",
        "Verdict",
        "DMARC policy",
        "Action",
        "Sender domain",
        "Recipient",
        "Processing (ms)",
    ] {
        assert!(out.contains(title), "{title} in {out}");
    }
}

#[test]
fn json_and_ndjson_are_one_compact_line() {
    let (_, json, _) = run(&["stats", "-f", "json", "examples/several-records.json"]);
    let (_, ndjson, _) = run(&["stats", "-f", "ndjson", "examples/several-records.json"]);
    assert_eq!(json, ndjson);
    assert_eq!(json.lines().count(), 1, "{json}");
    assert!(!json.contains(": "), "compact: {json}");
}

#[test]
fn volume_over_time_is_counted_per_hour_day_or_month() {
    let stats = stats_json(
        &["examples/several-records.json", "examples/stream.ndjson"],
        Vec::new(),
    );
    assert_eq!(stats["volume"]["per"], "day", "three days apart");
    assert_eq!(
        stats["volume"]["buckets"],
        serde_json::json!([
            {"start":"2026-11-20T00:00:00Z","messages":3,"failed":2},
            {"start":"2026-11-21T00:00:00Z","messages":0,"failed":0},
            {"start":"2026-11-22T00:00:00Z","messages":0,"failed":0},
            {"start":"2026-11-23T00:00:00Z","messages":5,"failed":1}
        ])
    );
    let hourly = stats_json(&["examples/stream.ndjson"], Vec::new());
    assert_eq!(hourly["volume"]["per"], "hour");
    assert_eq!(
        hourly["from_domains"][0],
        serde_json::json!(["bank.example", 1]),
        "top From domains beside the envelope's"
    );
}

#[test]
fn the_table_draws_volume_and_verdict_shares_as_bars() {
    let (code, out, _) = crate::harness::sesinspect(&[
        "stats",
        "examples/several-records.json",
        "examples/stream.ndjson",
    ])
    .env("COLUMNS", "80")
    .run();
    assert_eq!(code, 0);
    assert!(
        out.contains("Messages per day (UTC) · █ no verdict failed · ▓ a verdict failed\n"),
        "{out}"
    );
    assert!(
        out.contains("\n2026-11-20  ████████▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓"),
        "{out}"
    );
    assert!(out.contains("  3 (2 failed)\n2026-11-21"), "{out}");
    assert!(
        out.contains("\nDMARC  █████████████████████████▓▓▓▓▓----------   62% PASS\n"),
        "{out}"
    );
    assert!(out.contains("│ From domain "), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}

#[test]
fn top_0_and_empty_input_print_what_makes_sense() {
    let (_, out, _) = run(&["stats", "--top", "0", "examples/several-records.json"]);
    for gone in ["Sender domain", "From domain", "Recipient"] {
        assert!(!out.contains(gone), "{gone} in {out}");
    }
    assert!(out.contains("Processing (ms)"));
    let stats = stats_json(&["--top", "0", "examples/several-records.json"], Vec::new());
    assert_eq!(stats["sender_domains"], serde_json::json!([]));
    let (code, out, err) = run_with_stdin(&["stats"], Vec::new());
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "╭──────────────────┬───╮\n│ Messages         ┆ 0 │\n│ First            ┆ — │\n│ Last             ┆ — │\n│ Distinct senders ┆ 0 │\n╰──────────────────┴───╯\n"
    );
    assert_eq!(err, "sesinspect: <stdin>: no SES messages found\n");
}

#[test]
fn counts_sending_events_by_type_beside_received_mail() {
    let stats = stats_json(
        &[
            "examples/lambda-event.json",
            "examples/sending-events.ndjson",
        ],
        Vec::new(),
    );
    assert_eq!(stats["messages"], 1, "received messages only");
    assert_eq!(stats["verdicts"]["spf"]["MISSING"], 0);
    assert_eq!(
        stats["sending"]["events"],
        serde_json::json!({"Bounce":1,"Click":1,"Complaint":1,"Delivery":2,"DeliveryDelay":1,"Open":1,"Send":1})
    );
    let (code, table, _) = run(&["stats", "examples/sending-events.ndjson"]);
    assert_eq!(code, 0);
    assert!(
        table.starts_with("╭───────────────┬────────╮\n│ Sending event ┆ Events │"),
        "{table}"
    );
    assert!(table.contains("│ Total         ┆      8 │"), "{table}");
    assert!(
        !table.contains("Verdict"),
        "no received-mail tables without received mail"
    );
}
