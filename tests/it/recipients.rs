//! `recipients`: one row per address with exact counts, the suppression rule (hard bounces,
//! complaints, soft bounces in a row, addresses already listed), `--suppress` in the forms SES's
//! import reads, filters, input order, and escaping.

use crate::harness::{root, run, run_with_stdin, sesinspect};

const EVENTS: &str = "tests/fixtures/recipients/events.ndjson";

fn rows(args: &[&str], stdin: Vec<u8>) -> Vec<serde_json::Value> {
    let mut full = vec!["recipients", "-f", "ndjson"];
    full.extend_from_slice(args);
    let (code, out, err) = run_with_stdin(&full, stdin);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn row<'r>(rows: &'r [serde_json::Value], address: &str) -> &'r serde_json::Value {
    rows.iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no row for {address} in {rows:?}"))
}

#[test]
fn counts_each_address_across_events() {
    let rows = rows(&[EVENTS], Vec::new());
    let addresses: Vec<&str> = rows
        .iter()
        .map(|r| r["address"].as_str().expect("an address"))
        .collect();
    assert_eq!(
        addresses,
        [
            "ana@example.com",
            "bo@example.com",
            "listed@example.org",
            "soft@example.net"
        ]
    );
    assert_eq!(
        *row(&rows, "ana@example.com"),
        serde_json::json!({
            "address": "ana@example.com", "sent": 2, "delivered": 1, "hard_bounces": 1,
            "soft_bounces": 0, "listed_bounces": 0, "complaints": 0, "opens": 1, "clicks": 1,
            "last_event": "Bounce", "last_time": "2026-03-09T08:00:02.000Z",
            "last_detail": "Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown",
            "suppress": "BOUNCE", "suppress_why": "hard bounce"
        })
    );
    // `Bo Smith <Bo@Example.COM>` in the destination and `bo@example.com` in the complaint are
    // one address.
    let bo = row(&rows, "bo@example.com");
    assert_eq!(
        (bo["sent"].as_u64(), bo["delivered"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (bo["complaints"].as_u64(), &bo["suppress"]),
        (Some(1), &serde_json::json!("COMPLAINT"))
    );
    assert_eq!(bo["last_event"], "Complaint");
    let listed = row(&rows, "listed@example.org");
    assert_eq!(
        (
            listed["hard_bounces"].as_u64(),
            listed["listed_bounces"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(listed["suppress"], serde_json::Value::Null);
    let soft = row(&rows, "soft@example.net");
    assert_eq!(
        (soft["soft_bounces"].as_u64(), soft["delivered"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(soft["suppress"], serde_json::Value::Null);
    // The delivery is written last, but the last event by time is the fourth bounce.
    assert_eq!(soft["last_time"], "2026-03-06T08:00:05.000Z");
}

#[test]
fn soft_bounces_in_a_row_count_only_after_the_last_delivery() {
    let suppress = |n: &str| {
        let (code, out, err) = run(&["recipients", "--suppress", "--soft-bounces", n, EVENTS]);
        assert_eq!(code, 0, "{err}");
        out
    };
    // Two soft bounces, a delivery, two more: two in a row, not three.
    assert_eq!(
        suppress("2"),
        "ana@example.com,BOUNCE\nbo@example.com,COMPLAINT\nsoft@example.net,BOUNCE\n"
    );
    assert_eq!(
        suppress("3"),
        "ana@example.com,BOUNCE\nbo@example.com,COMPLAINT\n"
    );
    let soft = rows(&["--soft-bounces", "2", EVENTS], Vec::new());
    assert_eq!(
        row(&soft, "soft@example.net")["suppress_why"],
        "2 or more soft bounces in a row"
    );
    let (code, _, err) = run(&["recipients", "--soft-bounces", "0", EVENTS]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn suppress_writes_what_ses_import_reads() {
    let (code, csv, err) = run(&["recipients", "--suppress", EVENTS]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(csv, "ana@example.com,BOUNCE\nbo@example.com,COMPLAINT\n");
    let (code, json, err) = run(&["recipients", "--suppress", "-f", "json", EVENTS]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json,
        "{\"emailAddress\":\"ana@example.com\",\"reason\":\"BOUNCE\"}\n\
         {\"emailAddress\":\"bo@example.com\",\"reason\":\"COMPLAINT\"}\n"
    );
    let (code, _, err) = run(&["recipients", "--suppress", "-f", "tsv", EVENTS]);
    assert_eq!(code, 2);
    assert!(err.contains("--suppress writes csv or json"), "{err}");
}

#[test]
fn suppresses_the_public_captures_hard_bounces_and_complaints_but_not_listed_addresses() {
    let (code, csv, err) = run(&["recipients", "--suppress", "tests/fixtures/sending"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        csv,
        "bounce@simulator.amazonses.com,BOUNCE\n\
         complaint@simulator.amazonses.com,COMPLAINT\n\
         joe.doe@example.com,BOUNCE\n\
         suppressionlist@simulator.amazonses.com,BOUNCE\n"
    );
    assert!(
        !csv.contains("relayuser@test.com"),
        "OnAccountSuppressionList is already listed"
    );
}

#[test]
fn the_same_whatever_the_input_order_and_threads() {
    let events = std::fs::read_to_string(root().join(EVENTS)).expect("the fixture");
    let reversed: String = events.lines().rev().map(|l| format!("{l}\n")).collect();
    let forward = rows(&["--soft-bounces", "2", EVENTS], Vec::new());
    assert_eq!(
        rows(&["--soft-bounces", "2"], reversed.into_bytes()),
        forward
    );
    for threads in ["1", "3"] {
        assert_eq!(
            rows(
                &["--threads", threads, "--soft-bounces", "2", EVENTS],
                Vec::new()
            ),
            forward
        );
    }
}

#[test]
fn where_and_failed_choose_events_per_recipient() {
    let ana = rows(
        &["--where", "recipient=ANA@example.com", EVENTS],
        Vec::new(),
    );
    assert_eq!(ana.len(), 1);
    assert_eq!(ana[0]["address"], "ana@example.com");
    let failed = rows(&["--failed", EVENTS], Vec::new());
    let ana = row(&failed, "ana@example.com");
    assert_eq!(
        (ana["sent"].as_u64(), ana["hard_bounces"].as_u64()),
        (Some(0), Some(1))
    );
    let permanent = rows(&["--where", "status~5.1", EVENTS], Vec::new());
    let addresses: Vec<&str> = permanent
        .iter()
        .map(|r| r["address"].as_str().expect("an address"))
        .collect();
    assert_eq!(addresses, ["ana@example.com", "listed@example.org"]);
}

/// A bounce for `address` (JSON-escaped by the caller).
fn bounce(address: &str) -> String {
    format!(
        "{{\"eventType\":\"Bounce\",\"mail\":{{\"messageId\":\"m\",\"destination\":[\"x@example.com\"]}},\
         \"bounce\":{{\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\",\
         \"bouncedRecipients\":[{{\"emailAddress\":\"{address}\"}}]}}}}\n"
    )
}

#[test]
fn addresses_csv_cannot_carry_are_left_out_with_a_note_and_kept_in_json() {
    let input = bounce("\\\"a,b\\\"@example.com") + &bounce("c@example.com");
    let (code, csv, err) =
        run_with_stdin(&["recipients", "--suppress"], input.clone().into_bytes());
    assert_eq!(code, 0, "{err}");
    assert_eq!(csv, "c@example.com,BOUNCE\n");
    assert!(
        err.contains("left out of the CSV: \"a,b\"@example.com"),
        "{err}"
    );
    let (code, json, _) = run_with_stdin(
        &["recipients", "--suppress", "-f", "json"],
        input.into_bytes(),
    );
    assert_eq!(code, 0);
    assert!(
        json.starts_with("{\"emailAddress\":\"\\\"a,b\\\"@example.com\",\"reason\":\"BOUNCE\"}\n"),
        "{json}"
    );
}

#[test]
fn the_table_is_escaped_fits_the_width_and_totals() {
    let input = bounce("evil\\u001b[31m\\u202e@example.com")
        + &std::fs::read_to_string(root().join(EVENTS)).expect("the fixture");
    for width in ["80", "120", "200"] {
        let (code, out, err) =
            sesinspect(&["recipients", "--color", "always", "--soft-bounces", "2"])
                .stdin(input.clone())
                .env("COLUMNS", width)
                .run();
        assert_eq!(code, 0, "{err}");
        let shown = strip_sgr(&out);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{out}"
        );
        assert!(shown.contains("evil\\u{1b}[31m"), "{shown}");
        for line in shown.lines() {
            assert!(
                line.chars().count() <= width.parse().expect("a width"),
                "wider than {width}: {line}"
            );
        }
        assert!(shown.contains("COMPLAINT"), "{shown}");
        for total in [
            "5 addresses",
            "4 to suppress: 3 BOUNCE, 1 COMPLAINT",
            "1 already on the suppression list",
        ] {
            assert!(shown.contains(total), "{shown}");
        }
        // Recommendations are coloured.
        assert!(out.contains("\u{1b}["), "{out}");
    }
}

/// `text` without the colour sequences sesinspect itself writes.
fn strip_sgr(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        plain.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('m').map_or(after.len(), |i| i + 1);
        rest = &after[end..];
    }
    plain.push_str(rest);
    plain
}

#[test]
fn received_mail_is_left_out_with_a_note() {
    let (code, out, err) = run(&["recipients", "-f", "ndjson", "examples/stream.ndjson"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("received-mail events left out"), "{err}");
}

#[test]
fn counts_a_generated_corpus_exactly() {
    // 300 addresses; address i gets i % 5 + 1 deliveries, and a hard bounce when i % 7 == 0.
    let mut input = String::new();
    let (mut delivered, mut bounced) = (0, 0);
    for i in 0..300 {
        let address = format!("User{i}@Example.com");
        for d in 0..(i % 5 + 1) {
            delivered += 1;
            input.push_str(&format!(
                "{{\"eventType\":\"Delivery\",\"mail\":{{\"messageId\":\"m{i}-{d}\",\"destination\":[\"{address}\"]}},\
                 \"delivery\":{{\"timestamp\":\"2026-03-02T08:00:0{d}.000Z\",\"recipients\":[\"{address}\"]}}}}\n"
            ));
        }
        if i % 7 == 0 {
            bounced += 1;
            input.push_str(&bounce(&address));
        }
    }
    let rows = rows(&[], input.into_bytes());
    assert_eq!(rows.len(), 300);
    let sum = |key: &str| {
        rows.iter()
            .map(|r| r[key].as_u64().expect("a count"))
            .sum::<u64>()
    };
    assert_eq!(
        (sum("delivered"), sum("hard_bounces")),
        (delivered, bounced)
    );
    let suppressed = rows.iter().filter(|r| r["suppress"] == "BOUNCE").count() as u64;
    assert_eq!(suppressed, bounced);
    assert_eq!(row(&rows, "user7@example.com")["delivered"], 3);
}

#[test]
fn documented_in_help_and_the_manual() {
    let (code, help, _) = run(&["recipients", "--help"]);
    assert_eq!(code, 0);
    assert!(
        help.contains("Memory grows with the number of distinct addresses"),
        "{help}"
    );
    assert!(
        help.contains("Examples:\n  sesinspect recipients"),
        "{help}"
    );
    let (_, page, _) = run(&["man"]);
    assert!(page.contains(".SH \"SESINSPECT RECIPIENTS\""));
}

#[test]
fn broken_input_is_reported_and_the_rest_counted() {
    let events = std::fs::read_to_string(root().join(EVENTS)).expect("the fixture");
    let lines: Vec<&str> = events.lines().collect();
    let input = format!(
        "{}\n{{\"eventType\": nope}}\n{}\n",
        lines[..6].join("\n"),
        lines[6..].join("\n")
    );
    let (code, out, err) = run_with_stdin(&["recipients", "--suppress"], input.into_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<stdin>:7:16"), "{err}");
    assert_eq!(out, "ana@example.com,BOUNCE\nbo@example.com,COMPLAINT\n");
}
