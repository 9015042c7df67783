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
