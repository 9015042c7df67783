//! `summary`: every example through the binary (table snapshotted, JSON checked, exit 0 with
//! nothing on stderr), the JSON keys and types, and the totals line.

use crate::harness::{json_rows, root, run};

fn example_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|entry| {
            entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_summarises_cleanly() {
    let names = example_files();
    assert!(names.len() >= 6, "examples: {names:?}");
    for name in names {
        let path = format!("examples/{name}");
        let (code, table, stderr) = run(&["summary", &path]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{path}");
        insta::assert_snapshot!(format!("summary-{name}"), table);
        let (code, json, _) = run(&["summary", "--format", "json", &path]);
        assert_eq!(code, 0);
        assert!(!json_rows(&json).is_empty(), "{path}");
    }
}

#[test]
fn several_records_are_named_by_index() {
    let (_, json, _) = run(&["summary", "-f", "json", "examples/several-records.json"]);
    let inputs: Vec<String> = json_rows(&json)
        .iter()
        .map(|r| r["input"].to_string())
        .collect();
    assert_eq!(
        inputs,
        [
            "\"examples/several-records.json:1 Records[0]\"",
            "\"examples/several-records.json:1 Records[1]\"",
            "\"examples/several-records.json:1 Records[2]\""
        ]
    );
}

#[test]
fn json_has_every_documented_key_with_types() {
    let (_, json, _) = run(&["summary", "-f", "json", "examples/several-records.json"]);
    let rows = json_rows(&json);
    let failing = &rows[1];
    let first_object = json.lines().nth(1).expect("an object line");
    let keys: Vec<&str> = first_object
        .split("\":")
        .filter_map(|piece| piece.rsplit_once('"').map(|(_, key)| key))
        .collect();
    assert_eq!(
        &keys[..28],
        [
            "input",
            "timestamp",
            "ses_id",
            "message_id",
            "source",
            "from",
            "to",
            "cc",
            "reply_to",
            "return_path",
            "date",
            "subject",
            "destination",
            "recipients",
            "spf",
            "dkim",
            "dmarc",
            "dmarc_policy",
            "spam",
            "virus",
            "action",
            "function_arn",
            "invocation_type",
            "bucket",
            "object_key",
            "topic_arn",
            "processing_ms",
            "headers_truncated"
        ]
    );
    assert_eq!(failing["spf"], "FAIL");
    assert_eq!(failing["dmarc_policy"], "reject");
    assert_eq!(failing["processing_ms"], 1288);
    assert_eq!(failing["headers_truncated"], false);
    assert_eq!(
        failing["from"],
        serde_json::json!(["PayPal Security <service@paypa1-secure.example>"])
    );
    assert_eq!(failing["cc"], serde_json::Value::Null);
    assert_eq!(failing["bucket"], serde_json::Value::Null);
    assert_eq!(rows[0]["bucket"], "inbound-mail");
    assert_eq!(
        rows[0]["object_key"],
        "raw/b3c9k2m4n5p6q7r8s9t0u1v2w3x4y5z6a7b8c9d0"
    );
    assert_eq!(
        rows[0]["topic_arn"],
        "arn:aws:sns:eu-west-1:111122223333:inbound"
    );
    assert_eq!(rows[2]["dmarc"], serde_json::Value::Null);
    assert_eq!(
        rows[2]["reply_to"],
        serde_json::json!(["noreply@news.example.co.uk"])
    );
}

#[test]
fn every_action_type_and_a_string_processing_time_are_read() {
    let (_, json, _) = run(&["summary", "-f", "json", "examples/stream.ndjson"]);
    let rows = json_rows(&json);
    let actions: Vec<&str> = rows
        .iter()
        .map(|r| r["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actions,
        ["Lambda", "WorkMail", "Stop", "AddHeader", "Lambda"]
    );
    assert_eq!(rows[4]["invocation_type"], "RequestResponse");
    assert_eq!(
        rows[4]["processing_ms"], 304,
        "documented as a string, read as a number"
    );
}

#[test]
fn totals_follow_a_table_of_several_messages() {
    let (_, table, _) = run(&["summary", "examples/several-records.json"]);
    let last = table.lines().last().expect("a last line");
    assert_eq!(
        last,
        "3 messages · SPF 2 PASS, 1 FAIL · DKIM 1 PASS, 1 FAIL, 1 GRAY · DMARC 1 PASS, 1 FAIL, 1 missing · Spam 1 PASS, 1 FAIL, 1 GRAY · Virus 3 PASS"
    );
    let (_, single, _) = run(&["summary", "examples/lambda-event.json"]);
    assert!(!single.contains("messages ·"));
}

#[test]
fn the_table_is_laid_out_for_80_120_and_200_columns() {
    for width in ["80", "120", "200"] {
        for name in ["several-records.json", "stream.ndjson"] {
            let (code, table, _) =
                crate::harness::sesinspect(&["summary", &format!("examples/{name}")])
                    .env("COLUMNS", width)
                    .run();
            assert_eq!(code, 0);
            let widest = table.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(
                widest <= width.parse().unwrap_or(0),
                "{name} at {width}: {widest}\n{table}"
            );
            insta::assert_snapshot!(format!("summary-{name}-{width}-columns"), table);
        }
    }
}

#[test]
fn narrow_tables_never_wrap_a_time_or_a_verdict() {
    let (_, table, _) = crate::harness::sesinspect(&["summary", SEVERAL_FILE])
        .env("COLUMNS", "80")
        .run();
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with('│')).collect();
    for time in ["10:02:11", "10:05:47", "10:09:30"] {
        assert!(
            rows.iter().any(|r| r.starts_with(&format!("│ {time}   ┆"))),
            "{table}"
        );
    }
    for codes in ["P P P P P", "F F F F P", "P G — G P"] {
        assert!(
            rows.iter().any(|r| r.contains(&format!("┆ {codes} │"))),
            "{table}"
        );
    }
    assert!(
        table
            .contains("Verdicts: SPF DKIM DMARC Spam Virus · P pass · F fail · G gray · — missing")
    );
}

const SEVERAL_FILE: &str = "examples/several-records.json";
