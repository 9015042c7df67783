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
        for name in [
            "several-records.json",
            "stream.ndjson",
            "sending-events.ndjson",
            "simulator-queue.json",
        ] {
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

const SENDING: &str = "examples/sending-events.ndjson";

#[test]
fn mixed_input_prints_a_table_per_family_each_with_its_totals() {
    let (code, out, err) = run(&["summary", "examples/several-records.json", SENDING]);
    assert_eq!((code, err.as_str()), (0, ""));
    let received = out.find("┆ SPF ").expect("the received-mail table");
    let sending = out.find("┆ Outcome ").expect("the sent-mail table");
    assert!(received < sending, "{out}");
    assert!(out.contains("\n3 messages · SPF 2 PASS, 1 FAIL ·"), "{out}");
    assert!(
        out.ends_with(
            "\n8 events · 1 Bounce, 1 Click, 1 Complaint, 2 Delivery, 1 DeliveryDelay, 1 Open, 1 Send\n"
        ),
        "{out}"
    );
}

#[test]
fn data_formats_carry_every_field_of_every_event_in_input_order() {
    let rows = crate::harness::json_array(&[
        "summary",
        "-f",
        "json",
        "examples/lambda-event.json",
        SENDING,
    ]);
    assert_eq!(rows.len(), 9);
    let keys = |row: &serde_json::Value| -> Vec<String> {
        row.as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect()
    };
    assert!(rows.iter().all(|row| keys(row) == keys(&rows[0])));
    let types: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["event_type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "Received",
            "Send",
            "Delivery",
            "Open",
            "Click",
            "Bounce",
            "Delivery",
            "Complaint",
            "DeliveryDelay"
        ]
    );
    assert_eq!(rows[0]["spf"], "PASS");
    assert_eq!(rows[5]["spf"], serde_json::Value::Null);
    assert_eq!(rows[5]["bounce_type"], "Permanent");
    assert_eq!(rows[0]["bounce_type"], serde_json::Value::Null);
    let (_, tsv, _) = run(&["summary", "-f", "tsv", SENDING]);
    let header: Vec<&str> = tsv.lines().next().unwrap_or_default().split('\t').collect();
    assert_eq!(header, keys(&rows[0]));
    assert!(
        !header.contains(&"recipient"),
        "per-recipient fields only with --per-recipient"
    );
}

#[test]
fn per_recipient_gives_a_row_to_each_recipient() {
    let bounce = "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__notification-bounce-without-dsn.json";
    let rows = crate::harness::json_array(&["summary", "--per-recipient", "-f", "json", bounce]);
    let recipients: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["recipient"].as_str())
        .collect();
    assert_eq!(recipients, ["jane@example.com", "richard@example.com"]);
    assert!(
        rows.iter()
            .all(|r| r["recipients"].as_array().is_some_and(|a| a.len() == 2))
    );
    assert!(rows.iter().all(|r| r.get("recipient_action").is_some()));
    let (code, table, _) = run(&[
        "summary",
        "--per-recipient",
        "--where",
        "recipient~richard",
        bounce,
    ]);
    assert_eq!(code, 0);
    assert_eq!(table.matches("┆ Bounce ┆").count(), 1, "{table}");
    assert!(table.contains("┆ richard@example.com ┆"), "{table}");
    let (_, table, _) = run(&["summary", "--per-recipient", "examples/lambda-event.json"]);
    assert!(table.contains("┆ Recipient "), "{table}");
}

#[test]
fn outcomes_are_coloured_by_severity() {
    let (_, table, _) = run(&["summary", "--color", "always", SENDING]);
    let line = |word: &str| {
        table
            .lines()
            .find(|l| l.contains(word))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("Permanent/General").contains("\u{1b}[31m"),
        "bounce in red"
    );
    assert!(
        line("250 2.6.0").contains("\u{1b}[32m"),
        "delivery in green"
    );
    assert!(
        line("MailboxFull").contains("\u{1b}[33m"),
        "delay in yellow"
    );
    assert!(
        !line("opened from").contains("\u{1b}[3"),
        "an open is plain"
    );
}
