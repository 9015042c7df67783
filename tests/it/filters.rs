//! `--where` and `--failed`: which messages every reading command looks at.

use crate::harness::run;

const SEVERAL: &str = "examples/several-records.json";

fn ses_ids(args: &[&str]) -> Vec<String> {
    let mut full = vec!["fields", "-F", "ses_id"];
    full.extend_from_slice(args);
    full.push(SEVERAL);
    full.push("examples/stream.ndjson");
    let (code, out, err) = run(&full);
    assert_eq!(code, 0, "{err}");
    out.lines().map(|l| l[..4].to_string()).collect()
}

#[test]
fn where_compares_case_insensitively() {
    assert_eq!(ses_ids(&["--where", "spf=fail"]), ["f4g5", "s000"]);
    assert_eq!(
        ses_ids(&["--where", "action!=lambda"]),
        ["b3c9", "s000", "s000", "s000"]
    );
    assert_eq!(ses_ids(&["--where", "subject~INVOICE"]).len(), 0);
    assert_eq!(ses_ids(&["--where", "subject~verify"]), ["f4g5"]);
    assert_eq!(
        ses_ids(&["--where", "spf=pass", "--where", "dkim=gray"]),
        ["c1d2"]
    );
}

#[test]
fn where_on_missing_values_lists_paths_and_headers() {
    assert_eq!(
        ses_ids(&["--where", "dmarc="]),
        ["c1d2", "s000"],
        "missing reads as empty"
    );
    assert_eq!(ses_ids(&["--where", "cc~søren"]), ["c1d2"], "any list item");
    assert_eq!(
        ses_ids(&["--where", "receipt.action.bucketName=INBOUND-mail"]),
        ["b3c9"]
    );
    assert_eq!(
        ses_ids(&["--where", "header:Subject~bestätigt"]),
        ["c1d2"],
        "decoded header"
    );
}

#[test]
fn failed_keeps_messages_with_a_present_non_pass_verdict() {
    assert_eq!(ses_ids(&["--failed"]), ["f4g5", "c1d2", "s000"]);
}

#[test]
fn bad_where_expressions_are_usage_errors() {
    let (code, _, err) = run(&["summary", "--where", "spf", SEVERAL]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: --where: `spf`: not a condition: write FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains) or FIELD~/REGEX/, and A|B for either\n"
    );
    let (code, _, err) = run(&["stats", "--where", "spff=PASS", SEVERAL]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean spf"), "{err}");
}

#[test]
fn every_command_selects() {
    let (_, out, _) = run(&["summary", "-f", "ndjson", "--failed", SEVERAL]);
    assert_eq!(out.lines().count(), 2);
    let (_, out, _) = run(&["check", "--where", "spf=pass", "--require", "spf", SEVERAL]);
    assert_eq!(out, "2 checked, 0 failed\n");
}

#[test]
fn where_takes_regexes_and_alternatives() {
    assert_eq!(
        ses_ids(&["--where", "subject~/^(action|über)/"]),
        ["f4g5", "c1d2"]
    );
    assert_eq!(
        ses_ids(&["--where", "spf=fail|dkim=gray"]),
        ["f4g5", "c1d2", "s000"],
        "either"
    );
    assert_eq!(
        ses_ids(&["--where", "spf=fail|dkim=gray", "--where", "action=lambda"]),
        ["f4g5", "c1d2"],
        "| inside one --where, and between them"
    );
    assert_eq!(
        ses_ids(&["--where", "object_key~/^raw/b3/|subject~/(notes|meeting)/"]).len(),
        2,
        "a regex may hold / and |"
    );
    assert_eq!(
        ses_ids(&["--where", "dmarc~/^$/"]),
        ["c1d2", "s000"],
        "missing is empty"
    );
}

#[test]
fn unknown_operators_are_usage_errors_naming_the_operators() {
    for (expression, operator) in [
        ("spf==fail", "=="),
        ("processing_ms>300", ">"),
        ("spf=~f", "=~"),
    ] {
        let (code, out, err) = run(&["summary", "--where", expression, SEVERAL]);
        assert_eq!((code, out.as_str()), (2, ""), "{expression}");
        assert_eq!(
            err,
            format!(
                "sesinspect: --where: `{expression}`: unknown operator `{operator}`: write FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains) or FIELD~/REGEX/, and A|B for either\n"
            )
        );
    }
    let (code, _, err) = run(&["summary", "--where", "subject~/(/", SEVERAL]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid regex"), "{err}");
}

#[test]
fn limit_stops_reading_once_enough_messages_are_out() {
    for threads in ["1", "3"] {
        let (code, out, err) = run(&[
            "fields",
            "-F",
            "ses_id",
            "--threads",
            threads,
            "--where",
            "action=lambda",
            "--limit",
            "2",
            SEVERAL,
            "examples/stream.ndjson",
            "missing.json",
        ]);
        assert_eq!(
            (code, err.as_str()),
            (0, ""),
            "the missing file is never opened"
        );
        let ids: Vec<&str> = out.lines().map(|l| &l[..4]).collect();
        assert_eq!(ids, ["f4g5", "c1d2"], "threads {threads}");
    }
    let broken_after = format!(
        "{}\n{{\"mail\":",
        std::fs::read_to_string(crate::harness::root().join("examples/lambda-event.json"))
            .unwrap_or_default()
            .replace('\n', "")
    );
    let (code, out, err) = crate::harness::run_with_stdin(
        &["summary", "-f", "tsv", "--limit", "1"],
        broken_after.into_bytes(),
    );
    assert_eq!(
        (code, err.as_str()),
        (0, ""),
        "what follows the limit is not read"
    );
    assert_eq!(out.lines().count(), 2);
    let (_, out, _) = run(&[
        "stats",
        "-f",
        "json",
        "--limit",
        "5",
        SEVERAL,
        "examples/stream.ndjson",
    ]);
    assert!(out.starts_with("{\"messages\":5,"), "{out}");
    let (_, out, _) = run(&["hops", "-f", "ndjson", "--limit", "1", SEVERAL]);
    let inputs: Vec<&str> = out.lines().map(|l| &l[..60]).collect();
    assert!(inputs.iter().all(|l| l.contains("Records[0]")), "{out}");
}

#[test]
fn count_prints_only_the_number_selected() {
    assert_eq!(
        run(&["fields", "--count", "--where", "spf=pass", SEVERAL]).1,
        "2\n"
    );
    assert_eq!(
        run(&[
            "summary",
            "--count",
            "--failed",
            SEVERAL,
            "examples/stream.ndjson"
        ])
        .1,
        "3\n"
    );
    let (code, _, err) = run(&["summary", "--count", "-f", "json", SEVERAL]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn failed_chooses_sending_events_that_report_a_problem() {
    let (code, out, _) = run(&[
        "fields",
        "--failed",
        "-F",
        "event_type",
        SEVERAL,
        "examples/sending-events.ndjson",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "Received\nReceived\nBounce\nComplaint\nDeliveryDelay\n"
    );
    let types = crate::harness::json_array(&[
        "fields",
        "--failed",
        "-f",
        "json",
        "-F",
        "event_type",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-Reject.json",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-RenderingFailure.json",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-Send.json",
    ]);
    assert_eq!(
        types,
        [
            serde_json::json!({"event_type": "Reject"}),
            serde_json::json!({"event_type": "Rendering Failure"})
        ]
    );
}

#[test]
fn where_reads_sending_fields_and_tags() {
    let (_, out, _) = run(&[
        "fields",
        "-F",
        "event_type,recipients",
        "--where",
        "tag:campaign=MARCH",
        "--where",
        "event_type!=send",
        "--where",
        "recipients~example.com",
        "examples/sending-events.ndjson",
    ]);
    assert_eq!(
        out,
        "Delivery\tana@example.com\nOpen\tana@example.com\nClick\tana@example.com\nDelivery\tcy@example.com\nComplaint\tdee@example.com\n"
    );
}
