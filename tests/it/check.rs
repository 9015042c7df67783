//! `check`, the CI gate: every exit code path.

use crate::harness::{run, run_with_stdin};

const SEVERAL: &str = "examples/several-records.json";

#[test]
fn passes_when_every_required_verdict_passes() {
    let (code, out, err) = run(&["check", "examples/lambda-event.json"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "1 checked, 0 failed\n", "")
    );
}

#[test]
fn fails_with_one_line_per_failing_message() {
    let (code, out, _) = run(&["check", SEVERAL]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "examples/several-records.json:1 Records[1]  f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0y1z2a3  spf=FAIL dkim=FAIL dmarc=FAIL spam=FAIL  Action required: verify your account\n\
         examples/several-records.json:1 Records[2]  c1d2e3f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0  dkim=GRAY dmarc=MISSING spam=GRAY  Überweisung bestätigt\n\
         3 checked, 2 failed\n"
    );
}

#[test]
fn require_and_allow_choose_what_counts() {
    assert_eq!(run(&["check", "--require", "spf,virus", SEVERAL]).0, 1);
    assert_eq!(run(&["check", "--require", "virus", SEVERAL]).0, 0);
    let (code, out, _) = run(&[
        "check",
        "--require",
        "dkim,dmarc",
        "--allow",
        "GRAY",
        "--allow",
        "missing",
        "--where",
        "spf=pass",
        SEVERAL,
    ]);
    assert_eq!((code, out.as_str()), (0, "2 checked, 0 failed\n"));
    assert_eq!(
        run(&[
            "check",
            "--require",
            "spf,dkim",
            "--allow",
            "disabled",
            "examples/failing-verdicts.json"
        ])
        .0,
        1
    );
}

#[test]
fn quiet_prints_nothing() {
    let (code, out, err) = run(&["check", "--quiet", SEVERAL]);
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
}

#[test]
fn json_reports_the_failed_verdicts() {
    let (code, out, _) = run(&["check", "-f", "json", "--require", "spf,dmarc", SEVERAL]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "{\"checked\":3,\"failed\":2,\"failures\":[\
         {\"input\":\"examples/several-records.json:1 Records[1]\",\"ses_id\":\"f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0y1z2a3\",\"subject\":\"Action required: verify your account\",\"verdicts\":{\"spf\":\"FAIL\",\"dmarc\":\"FAIL\"}},\
         {\"input\":\"examples/several-records.json:1 Records[2]\",\"ses_id\":\"c1d2e3f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0\",\"subject\":\"Überweisung bestätigt\",\"verdicts\":{\"dmarc\":\"MISSING\"}}]}\n"
    );
}

#[test]
fn bad_input_wins_over_failures() {
    let input = format!(
        "{{\"mail\": tru}}\n{}",
        std::fs::read_to_string(crate::harness::root().join(SEVERAL)).expect("example")
    );
    let (code, out, err) = run_with_stdin(&["check"], input.into_bytes());
    assert_eq!(code, 2);
    assert!(out.ends_with("3 checked, 2 failed\n"), "{out}");
    assert!(err.contains("<stdin>:1:13: expected ident"), "{err}");
}

#[test]
fn checking_nothing_does_not_pass() {
    let (code, _, err) = run_with_stdin(&["check"], Vec::new());
    assert_eq!(code, 2);
    assert!(err.contains("no message was checked"), "{err}");
    let (code, out, _) = run(&["check", "--where", "spf=none", SEVERAL]);
    assert_eq!((code, out.as_str()), (2, "0 checked, 0 failed\n"));
}

#[test]
fn unknown_verdicts_and_statuses_are_usage_errors() {
    assert_eq!(run(&["check", "--require", "spf,spamm", SEVERAL]).0, 2);
    assert_eq!(run(&["check", "--allow", "MAYBE", SEVERAL]).0, 2);
}

#[test]
fn hostile_subjects_are_escaped() {
    let (_, out, _) = run(&["check", "examples/hostile-subject.json"]);
    assert!(
        !out.contains('\u{1b}') && out.contains("Urgent\\u{1b}[2J"),
        "{out}"
    );
}

#[test]
fn ndjson_streams_failures_then_totals() {
    let (code, out, _) = run(&["check", "-f", "ndjson", "--require", "spf,dmarc", SEVERAL]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].contains("\"verdicts\":{\"spf\":\"FAIL\",\"dmarc\":\"FAIL\"}"));
    assert_eq!(lines[2], "{\"checked\":3,\"failed\":2}");
}

const SIMULATOR: &str = "examples/simulator-queue.json";

#[test]
fn sending_events_fail_when_they_bounced_drew_a_complaint_were_rejected_or_not_rendered() {
    let (code, out, _) = run(&["check", "examples/sending-events.ndjson"]);
    assert_eq!(code, 1);
    let failed: Vec<&str> = out.lines().filter_map(|l| l.split("  ").nth(2)).collect();
    assert_eq!(
        failed,
        [
            "Bounce: Permanent/General 5.1.1 smtp; 550 5.1.1 <bo@example.net>: Recipient address rejected: User unknown",
            "Complaint: abuse",
        ]
    );
    assert!(out.ends_with("8 checked, 2 failed\n"), "{out}");
    for sample in ["sns-eventpub-Reject", "sns-eventpub-RenderingFailure"] {
        let path =
            format!("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__{sample}.json");
        assert_eq!(run(&["check", &path]).0, 1, "{sample}");
    }
    for sample in [
        "sns-eventpub-DeliveryDelay",
        "sns-eventpub-Open",
        "sns-eventpub-Subscription",
    ] {
        let path =
            format!("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__{sample}.json");
        assert_eq!(run(&["check", &path]).0, 0, "{sample}");
    }
}

#[test]
fn allow_accepts_event_types_and_bounce_types() {
    let (code, out, _) = run(&[
        "check",
        "--allow",
        "transient",
        "--allow",
        "Complaint",
        SIMULATOR,
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().count(),
        3,
        "two permanent bounces and the totals: {out}"
    );
    let (code, out, _) = run(&[
        "check",
        "--allow",
        "Bounce",
        "--allow",
        "complaint",
        "--allow",
        "DeliveryDelay",
        SIMULATOR,
    ]);
    assert_eq!((code, out.as_str()), (0, "6 checked, 0 failed\n"));
    let (code, _, _) = run(&[
        "check",
        "--allow",
        "Rendering Failure",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-RenderingFailure.json",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn sending_failures_in_json_name_the_event() {
    let (code, out, _) = run(&["check", "-f", "ndjson", "--allow", "Permanent", SIMULATOR]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(
        lines[0],
        serde_json::json!({
            "input": "examples/simulator-queue.json:1 Messages[3] → Body → Message",
            "ses_id": "0102018e2f020000-11112222-0002-4aaa-8bbb-cccccccccccc-000000",
            "subject": "CI smoke test",
            "event_type": "Bounce",
            "bounce_type": "Transient",
            "recipients": ["ooto@simulator.amazonses.com"]
        })
    );
    assert_eq!(lines[1]["event_type"], "Complaint");
    assert_eq!(lines[1].get("bounce_type"), None);
    assert_eq!(lines[2], serde_json::json!({"checked": 6, "failed": 2}));
}
