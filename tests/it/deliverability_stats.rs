//! Deliverability: `stats`' sending object against a generated corpus with known answers and
//! against hand-written cases (what SES counts and what it does not), and `check`'s rate gates.
//!
//! The corpus and its `truth.json` were made by the Python generator `bench/` used before
//! `sesinspect generate` (`gen_sending.py --count 150 --seed 2 --trouble 15 --truth`, since
//! retired): a reference written apart from sesinspect, kept as it is. `generate --truth` is
//! checked against `stats` and `recipients` over fresh corpora in `generate.rs`.

use serde_json::{Value, json};

use crate::harness::{root, run, run_with_stdin, sesinspect};

const CORPUS: &str = "tests/fixtures/deliverability/events.ndjson";

fn sending(args: &[&str], stdin: &str) -> Value {
    let mut full = vec!["stats", "-f", "json"];
    full.extend_from_slice(args);
    let (code, out, err) = run_with_stdin(&full, stdin.as_bytes().to_vec());
    assert_eq!(code, 0, "{err}");
    let stats: Value = serde_json::from_str(&out).expect("JSON");
    stats["sending"].clone()
}

/// A sending event of `kind` about message `id` sent to `destination`, with `object` under `key`.
fn event(kind: &str, id: &str, destination: &[&str], key: &str, object: Value) -> String {
    let mut event = json!({
        "eventType": kind,
        "mail": {"messageId": id, "destination": destination},
    });
    if !key.is_empty() {
        event[key] = object;
    }
    event.to_string() + "\n"
}

fn bounce(id: &str, to: &str, kind: &str, subtype: &str, status: Value) -> String {
    event(
        "Bounce",
        id,
        &[to],
        "bounce",
        json!({"bounceType": kind, "bounceSubType": subtype,
               "bouncedRecipients": [{"emailAddress": to, "status": status}]}),
    )
}

/// The counts of `stats -f json`'s `sending` object that a generator's truth gives.
pub const TRUTH_COUNTS: [&str; 8] = [
    "events",
    "messages",
    "sent",
    "hard_bounces",
    "soft_bounces",
    "complaints",
    "bounce_rate",
    "complaint_rate",
];

/// The lines `address,REASON` of `recipients --suppress`, as an object like a truth's
/// `suppress`.
pub fn suppression_list(out: &str) -> Value {
    Value::Object(
        out.lines()
            .map(|line| {
                let (address, reason) = line.split_once(',').expect("address,REASON");
                (address.to_string(), Value::from(reason))
            })
            .collect(),
    )
}

fn truth() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/deliverability/truth.json"))
            .expect("truth.json"),
    )
    .expect("JSON")
}

#[test]
fn matches_the_generated_corpus_truth_exactly() {
    let truth = truth();
    for threads in ["1", "3"] {
        let stats = sending(&["--threads", threads, CORPUS], "");
        for key in TRUTH_COUNTS {
            assert_eq!(stats[key], truth[key], "{key} with {threads} threads");
        }
    }
}

#[test]
fn recipients_suppress_lists_the_generated_corpus_truth_exactly() {
    let truth = truth();
    let (code, out, err) = run(&["recipients", "--suppress", CORPUS]);
    assert_eq!(code, 0, "{err}");
    let listed = suppression_list(&out);
    assert!(listed.as_object().is_some_and(|l| !l.is_empty()));
    assert_eq!(listed, truth["suppress"]);
}

#[test]
fn counts_what_ses_counts_once_per_message_and_recipient() {
    let input = [
        event(
            "Send",
            "m1",
            &["Ana@Example.com", "bo@example.org"],
            "",
            json!({}),
        ),
        // The same hard bounce reported twice, the address in another case: one pair.
        bounce(
            "m1",
            "ana@example.com",
            "Permanent",
            "General",
            json!("5.1.1"),
        ),
        bounce(
            "m1",
            "ANA@example.com",
            "Permanent",
            "General",
            json!("5.1.1"),
        ),
        // Suppressed (the global list) counts; OnAccountSuppressionList does not.
        bounce(
            "m2",
            "cy@example.net",
            "Permanent",
            "Suppressed",
            json!("5.1.1"),
        ),
        bounce(
            "m3",
            "di@example.net",
            "Permanent",
            "OnAccountSuppressionList",
            json!("5.1.1"),
        ),
        bounce(
            "m4",
            "ed@example.com",
            "Transient",
            "MailboxFull",
            json!("5.2.2"),
        ),
        bounce(
            "m5",
            "fy@example.com",
            "Undetermined",
            "Undetermined",
            Value::Null,
        ),
        event(
            "Complaint",
            "m1",
            &["Ana@Example.com", "bo@example.org"],
            "complaint",
            json!({"complainedRecipients": [{"emailAddress": "bo@example.org"}],
                   "complaintFeedbackType": "abuse"}),
        ),
        // A rejected message was never sent: its recipients do not count.
        event("Send", "m6", &["gu@example.com"], "", json!({})),
        event(
            "Reject",
            "m6",
            &["gu@example.com"],
            "reject",
            json!({"reason": "Bad content"}),
        ),
    ]
    .concat();
    let stats = sending(&[], &input);
    assert_eq!(stats["messages"], 6);
    assert_eq!(stats["sent"], 6, "m1 twice, m2, m3, m4, m5");
    assert_eq!(stats["hard_bounces"], 2, "m1 ana and m2 (Suppressed)");
    assert_eq!(stats["soft_bounces"], 2);
    assert_eq!(stats["complaints"], 1);
    assert_eq!(stats["bounce_rate"], 2.0 / 6.0);
    assert_eq!(stats["complaint_rate"], 1.0 / 6.0);
    assert_eq!(
        stats["bounce_types"],
        json!({"Permanent": {"General": 2, "OnAccountSuppressionList": 1, "Suppressed": 1},
               "Transient": {"MailboxFull": 1}, "Undetermined": {"Undetermined": 1}})
    );
    assert_eq!(
        stats["status_codes"][0],
        json!({"code": "5.1.1", "meaning": "Permanent failure: bad destination mailbox address",
               "recipients": 4})
    );
    assert_eq!(stats["contradictions"]["transient_with_5xx"], 1);
    assert_eq!(stats["complaint_types"], json!({"abuse": 1}));
    assert_eq!(stats["complaint_domains"], json!([["example.org", 1]]));
    assert_eq!(
        stats["thresholds"],
        json!({"bounce_rate": {"review": 0.05, "paused": 0.1},
               "complaint_rate": {"review": 0.001, "paused": 0.005}})
    );
}

#[test]
fn reads_status_codes_from_diagnostics_and_finds_contradictions() {
    let delivered = event(
        "Delivery",
        "m1",
        &["ana@example.com"],
        "delivery",
        json!({"recipients": ["ana@example.com"], "processingTimeMillis": 1500}),
    );
    let late_bounce = event(
        "Bounce",
        "m1",
        &["ana@example.com"],
        "bounce",
        json!({"bounceType": "Permanent", "bounceSubType": "General",
               "bouncedRecipients": [{"emailAddress": "ana@example.com",
                                      "diagnosticCode": "smtp; 452 4.2.2 Mailbox full"}]}),
    );
    let stats = sending(&[], &(delivered + &late_bounce));
    assert_eq!(
        stats["contradictions"],
        json!({"transient_with_5xx": 0, "permanent_with_4xx": 1, "delivered_and_bounced": 1})
    );
    assert_eq!(stats["status_codes"][0]["code"], "4.2.2");
    assert_eq!(
        stats["delivery_ms"],
        json!({"count": 1, "min": 1500, "median": 1500, "p90": 1500, "p95": 1500, "p99": 1500,
               "max": 1500})
    );
}

#[test]
fn counts_opens_clicks_and_links_by_message() {
    let click = |id: &str, link: &str| {
        event(
            "Click",
            id,
            &["a@example.com"],
            "click",
            json!({ "link": link }),
        )
    };
    let input = [
        event("Open", "m1", &["a@example.com"], "open", json!({})),
        event("Open", "m1", &["a@example.com"], "open", json!({})),
        event("Open", "m2", &["a@example.com"], "open", json!({})),
        click("m1", "https://example.org/news?u=1"),
        click("m2", "https://example.org/news?u=2#top"),
        click("m2", "https://example.org/shop"),
    ]
    .concat();
    let stats = sending(&[], &input);
    assert_eq!(stats["opens"], json!({"events": 3, "messages": 2}));
    assert_eq!(stats["clicks"], json!({"events": 3, "messages": 2}));
    assert_eq!(
        stats["links"],
        json!([
            ["https://example.org/news", 2],
            ["https://example.org/shop", 1]
        ])
    );
}

#[test]
fn the_table_warns_at_a_threshold_and_fits_the_width() {
    let (code, out, _) = sesinspect(&["stats", CORPUS]).env("COLUMNS", "80").run();
    assert_eq!(code, 0);
    assert!(
        out.contains("│ Bounce rate    ┆ 28.36% ┆ 19 of 67 ┆        5% ┆       10% │"),
        "{out}"
    );
    assert!(
        out.contains(
            "Warning: the bounce rate of 28.36% is at or over 10%: SES may pause sending."
        ),
        "{out}"
    );
    assert!(out.contains("representative volume"), "{out}");
    assert!(out.contains("│ Permanent/Suppressed "), "{out}");
    assert!(
        out.contains("│ 5.1.1: Permanent failure: bad destination mailbox address ┆"),
        "{out}"
    );
    for title in [
        "Delivery (ms)",
        "Worth a look",
        "Complaint type",
        "Delay type",
    ] {
        assert!(out.contains(title), "{title} in {out}");
    }
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}

#[test]
fn check_fails_at_or_over_a_rate_limit() {
    // 19 hard bounces and 2 complaints of 67 sent.
    let (code, out, _) = run(&[
        "check",
        "--max-bounce-rate",
        "28.5%",
        "--allow",
        "Complaint",
        CORPUS,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(
            "bounce rate 28.36% (19 hard bounces of 67 sent) is under the limit 28.5%\n"
        ),
        "{out}"
    );
    let exactly = format!("{}", 19.0 / 67.0);
    let (code, out, _) = run(&[
        "check",
        "--max-bounce-rate",
        &exactly,
        "--allow",
        "Complaint",
        CORPUS,
    ]);
    assert_eq!(code, 1, "at the limit fails: {out}");
    let (code, out, _) = run(&["check", "--max-complaint-rate", "0.1%", CORPUS]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "complaint rate 2.985% (2 complaints of 67 sent) is at or over the limit 0.1%\n"
        ),
        "{out}"
    );
    let (code, out, _) = run(&[
        "check",
        "--allow",
        "Bounce",
        "-f",
        "json",
        "--max-complaint-rate",
        "0.05",
        CORPUS,
    ]);
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        report["rates"],
        json!([{"rate": "complaint", "value": 2.0 / 67.0, "count": 2, "sent": 67,
                "limit": 0.05, "failed": false}])
    );
}

#[test]
fn check_with_a_rate_limit_and_nothing_sent_exits_2() {
    let (code, _, err) = run(&[
        "check",
        "--max-bounce-rate",
        "5%",
        "examples/several-records.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("a rate over nothing does not pass"), "{err}");
    let (code, _, err) = run(&["check", "--max-bounce-rate", "120%", CORPUS]);
    assert_eq!(code, 2);
    assert!(err.contains("not a rate between 0% and 100%"), "{err}");
}

#[test]
fn a_display_name_does_not_make_another_recipient_and_events_need_a_message_id() {
    let input = [
        event("Send", "m1", &["\"Ana\" <Ana@Example.com>"], "", json!({})),
        bounce("m1", "ana@example.com", "Permanent", "General", json!("5.1.1")),
        r#"{"eventType":"Bounce","mail":{"destination":["x@example.com"]},"bounce":{"bounceType":"Permanent"}}"#
            .to_string()
            + "\n",
    ]
    .concat();
    let stats = sending(&[], &input);
    assert_eq!(stats["sent"], 1);
    assert_eq!(stats["hard_bounces"], 1);
    assert_eq!(stats["events_without_message_id"], 1);
    assert_eq!(stats["events"], json!({"Bounce": 2, "Send": 1}));
}

#[test]
fn the_same_statistics_with_any_number_of_threads() {
    let (_, one, _) = run(&["stats", "-f", "json", "--threads", "1", CORPUS]);
    let (_, three, _) = run(&["stats", "-f", "json", "--threads", "3", CORPUS]);
    assert_eq!(one, three);
    let (_, one, _) = run(&["stats", "--threads", "1", CORPUS]);
    let (_, three, _) = run(&["stats", "--threads", "3", CORPUS]);
    assert_eq!(one, three);
}

#[test]
fn check_ndjson_gives_each_rate_before_the_totals() {
    let (code, out, _) = run(&[
        "check",
        "-f",
        "ndjson",
        "--max-bounce-rate",
        "0.5",
        "--max-complaint-rate",
        "1%",
        CORPUS,
    ]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"rate":"bounce","value":0.2835820895522388,"count":19,"sent":67,"limit":0.5,"failed":false}"#,
            r#"{"rate":"complaint","value":0.029850746268656716,"count":2,"sent":67,"limit":0.01,"failed":true}"#,
            r#"{"checked":152,"failed":0}"#,
        ]
    );
}

#[test]
fn untrusted_links_and_types_are_escaped_for_people() {
    let input = [
        event(
            "Click",
            "m1",
            &["a@example.com"],
            "click",
            json!({"link": "https://example.org/\u{1b}[31mred"}),
        ),
        event(
            "DeliveryDelay",
            "m1",
            &["a@example.com"],
            "deliveryDelay",
            json!({"delayType": "Mailbox\u{202e}Full"}),
        ),
    ]
    .concat();
    let (code, out, _) = run_with_stdin(&["stats"], input.into_bytes());
    assert_eq!(code, 0);
    assert!(out.contains("https://example.org/\\u{1b}[31mred"), "{out}");
    assert!(out.contains("Mailbox\\u{202e}Full"), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "{out}"
    );
}
