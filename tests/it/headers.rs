//! `headers`: every header in order, decoded (or raw), chosen by name, escaped for people.

use crate::harness::{json_array, run, run_with_stdin};

const FORWARDED: &str = "examples/forwarded-list-mail.json";

#[test]
fn headers_are_listed_in_order_and_decoded() {
    let (code, table, err) = run(&["headers", FORWARDED]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("headers-forwarded", table);
    assert_eq!(
        err,
        "sesinspect: examples/forwarded-list-mail.json:1: warning: SES cut the headers off at 10 KB, so this list is incomplete\n"
    );
    let rows = json_array(&[
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
    let raw = json_array(&["headers", "-f", "json", "--raw", "-n", "from", FORWARDED]);
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
fn sending_events_show_their_headers_or_say_they_have_none() {
    let (code, out, err) = run(&["headers", "-n", "subject", "examples/sending-events.ndjson"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        out.starts_with(
            "examples/sending-events.ndjson:1 · Send · 0102018e1c2b3a4f-5e6d7c8b-1111-4a2b-9c3d-4e5f6a7b8c9d-000000 · March news from Example\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "examples/sending-events.ndjson:8 · DeliveryDelay · 0102018e1c2b3a51-8b9c9c0d-3333-4c4d-9e5f-6a7b8c9d0e1f-000000\nthis DeliveryDelay event carries no headers\n"
        ),
        "{out}"
    );
    let rows = json_array(&[
        "headers",
        "-f",
        "json",
        "-n",
        "subject",
        "examples/sending-events.ndjson",
    ]);
    assert_eq!(rows.len(), 7, "one Subject for each event with headers");
}

#[test]
fn every_report_flags_headers_that_ses_cut_short() {
    let generate = |extra: &[&str]| {
        let mut args = vec!["generate", "--count", "2"];
        args.extend_from_slice(extra);
        let (code, events, err) = run(&args);
        assert_eq!((code, err.as_str()), (0, ""));
        events.into_bytes()
    };
    let (cut, whole) = (generate(&["--headers-truncated"]), generate(&[]));
    for command in ["headers", "hops", "auth"] {
        let titles = |events: &[u8]| {
            let (code, out, _) = run_with_stdin(&[command], events.to_vec());
            assert_eq!(code, 0, "{command}");
            out.lines()
                .filter(|line| line.starts_with("<stdin>:"))
                .map(|line| line.ends_with(" (headers truncated by SES)"))
                .collect::<Vec<bool>>()
        };
        assert_eq!(titles(&cut), [true, true], "{command}");
        assert_eq!(titles(&whole), [false, false], "{command}");
    }
}
