//! Strict reading: broken JSON is an error with its place and never repaired, a Python repr is
//! read only when the text is one, and a field of the wrong type is never read as a value.

use crate::harness::run_with_stdin;

const RECORD: &str = r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m1"},"receipt":{"spfVerdict":{"status":"PASS"}}}}"#;

/// `fields -F ses_id` on `stdin`: (exit code, stdout, stderr).
fn ses_ids(stdin: &str) -> (i32, String, String) {
    run_with_stdin(&["fields", "-F", "ses_id"], stdin.as_bytes().to_vec())
}

#[test]
fn many_commas_are_an_error_not_a_crash() {
    let commas = ",".repeat(500);
    let (code, stdout, stderr) = ses_ids(&format!("{{\"a\":1{commas}}}\n{RECORD}\n"));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "m1\n");
    assert!(stderr.contains("<stdin>:1:"), "{stderr}");
    let inside = format!(
        "{{\"Records\":[{{\"eventSource\":\"aws:ses\",\"ses\":{{\"mail\":{{\"messageId\":\"m2\"{commas}}},\"receipt\":{{}}}}}}]}}\n{RECORD}\n"
    );
    let (code, stdout, stderr) = ses_ids(&inside);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "m1\n");
}

#[test]
fn broken_json_is_never_repaired() {
    let trailing = r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m2"},"receipt":{},}}"#;
    let doubled = r#"{"mail":{"messageId":"m3",,"source":"a"},"receipt":{}}"#;
    // Doubled quotes are read as a CSV field only when every quote is doubled.
    let quotes = r#"{"mail":{"messageId":""m4""},"receipt":{}}"#;
    for broken in [trailing, doubled, quotes] {
        let (code, stdout, stderr) = ses_ids(&format!("{broken}\n{RECORD}\n"));
        assert_eq!(code, 2, "{broken}: {stderr}");
        assert_eq!(stdout, "m1\n", "{broken}");
        assert!(stderr.starts_with("sesinspect: <stdin>:1:"), "{stderr}");
    }
}

#[test]
fn a_python_repr_still_reads() {
    let repr = "{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'p1', 'headersTruncated': False}, 'receipt': {'spfVerdict': {'status': 'PASS'}, 'dmarcPolicy': None}}}]}";
    let (code, stdout, stderr) = ses_ids(&format!("{repr}\n"));
    assert_eq!((code, stdout.as_str()), (0, "p1\n"), "{stderr}");
    let broken_repr = "{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'p1',}, 'receipt': {}}}]}";
    let (code, stdout, _) = ses_ids(&format!("{broken_repr}\n"));
    assert_eq!((code, stdout.as_str()), (2, ""));
}

/// `ARGS` on `stdin`: (exit code, stdout, stderr).
fn on(args: &[&str], stdin: &str) -> (i32, String, String) {
    run_with_stdin(args, stdin.as_bytes().to_vec())
}

#[test]
fn a_verdict_of_the_wrong_type_is_never_read_as_pass() {
    for verdict in [r#"["PASS"]"#, r#"{"status":["PASS"]}"#, r#"{"status":1}"#] {
        let event = format!(
            r#"{{"mail":{{"messageId":"w1"}},"receipt":{{"spfVerdict":{{"status":"PASS"}},"dkimVerdict":{verdict}}}}}"#
        );
        let (code, stdout, stderr) = on(&["fields", "-F", "ses_id,spf,dkim"], &event);
        assert_eq!(code, 2, "{verdict}");
        assert_eq!(stdout, "w1\tPASS\t<unreadable>\n", "{verdict}");
        assert!(
            stderr.starts_with("sesinspect: <stdin>:1:")
                && stderr.contains(": receipt.dkimVerdict"),
            "{stderr}"
        );
        let (code, stdout, _) = on(&["fields", "-F", "dkim", "-f", "ndjson"], &event);
        assert_eq!(code, 2);
        let row: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON row");
        let found: serde_json::Value = serde_json::from_str(verdict).expect("JSON");
        let inner = found.get("status").cloned().unwrap_or(found);
        assert_eq!(row["dkim"]["unreadable"], inner, "{verdict}");
        let (_, stdout, _) = on(&["fields", "--failed", "-F", "ses_id"], &event);
        assert_eq!(stdout, "w1\n", "--failed keeps what could not be read");
        let (_, stdout, _) = on(&["fields", "--where", "dkim=PASS", "-F", "ses_id"], &event);
        assert_eq!(stdout, "", "an unreadable verdict equals nothing");
        for allow in [&["--allow", "missing"][..], &[]] {
            let mut args = vec!["check", "--require", "spf,dkim"];
            args.extend_from_slice(allow);
            let (code, stdout, _) = on(&args, &event);
            // 2, not 1: the input had a problem, which outranks a failed check.
            assert_eq!(code, 2, "{verdict} {allow:?}: {stdout}");
            assert!(stdout.contains("dkim=<unreadable>"), "{stdout}");
            assert!(stdout.contains("1 checked, 1 failed"), "{stdout}");
        }
        let (_, stdout, _) = on(&["stats", "-f", "json"], &event);
        let stats: serde_json::Value = serde_json::from_str(&stdout).expect("stats JSON");
        let dkim = &stats["verdicts"]["dkim"];
        assert_eq!(
            (&dkim["<unreadable>"], &dkim["MISSING"], &dkim["PASS"]),
            (
                &serde_json::json!(1),
                &serde_json::json!(0),
                &serde_json::json!(0)
            ),
            "stats counts it as unreadable, not as missing: {stdout}"
        );
    }
}

#[test]
fn a_message_with_fields_of_the_wrong_type_is_kept() {
    let event = r#"{"Records":[{"eventSource":"aws:ses","ses":{"mail":{"messageId":"k1","source":"a@example.com","headers":{"From":"x"},"commonHeaders":{"subject":5}},"receipt":{"recipients":[1],"virusVerdict":{"status":"PASS"}}}},{"eventSource":"aws:ses","ses":{"mail":{"messageId":"k2"},"receipt":{}}}]}"#;
    let fields = "ses_id,source,subject,recipients,virus,header:from";
    let (code, stdout, stderr) = on(&["fields", "-F", fields], event);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        "k1\ta@example.com\t<unreadable>\t<unreadable>\tPASS\t<unreadable>\nk2\t\t\t\t\t\n"
    );
    assert_eq!(
        stderr,
        "sesinspect: <stdin>:1:116 Records[0]: ses.mail.headers: expected a list of {\"name\", \"value\"} strings; shown as unreadable\n\
         sesinspect: <stdin>:1:13 Records[0]: ses.mail.commonHeaders.subject: expected a string, found a number; shown as unreadable\n\
         sesinspect: <stdin>:1:13 Records[0]: ses.receipt.recipients[0]: expected a string, found a number; shown as unreadable\n"
    );
    let (_, stdout, _) = on(&["fields", "-F", fields, "-f", "ndjson"], event);
    let row: serde_json::Value =
        serde_json::from_str(stdout.lines().next().unwrap_or_default()).expect("JSON");
    assert_eq!(row["subject"], serde_json::json!({"unreadable": 5}));
    assert_eq!(row["recipients"], serde_json::json!({"unreadable": [1]}));
    assert_eq!(
        row["header:from"],
        serde_json::json!({"unreadable": {"From": "x"}})
    );
    // Unreadable headers are not missing ones.
    let (_, stdout, _) = on(
        &["fields", "--where", "header:from=", "-F", "ses_id"],
        event,
    );
    assert_eq!(stdout, "k2\n");
}

#[test]
fn a_sending_event_with_fields_of_the_wrong_type_is_kept() {
    let event = r#"{"eventType":"Bounce","mail":{"messageId":"b1","destination":["a@example.com"]},"bounce":{"bounceType":7,"bounceSubType":"General","bouncedRecipients":[{"emailAddress":"a@example.com","status":["5.1.1"]}]}}"#;
    let (code, stdout, stderr) = on(
        &["fields", "-F", "ses_id,bounce_type,bounce_subtype,status"],
        event,
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "b1\t<unreadable>\tGeneral\t<unreadable>\n");
    assert!(stderr.contains(": bounce.bounceType: expected a string, found a number"));
    assert!(
        stderr.contains(": bounce.bouncedRecipients[0].status: expected a string, found a list")
    );
}

#[test]
fn an_array_is_not_read_as_an_object() {
    // serde reads an array as a struct's fields in order: `mail` and `receipt` would be found.
    let event = r#"{"eventSource":"aws:ses","ses":[{"messageId":"x1"},{}]}"#;
    let (code, stdout, stderr) = ses_ids(event);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
}

#[test]
fn headers_of_the_wrong_shape_are_unreadable_not_missing() {
    for headers in [
        r#"{"From":"x"}"#,
        r#"[["From","x"]]"#,
        r#"[{"name":1,"value":"x"}]"#,
        r#"[{"name":"From"}]"#,
    ] {
        let event =
            format!(r#"{{"mail":{{"messageId":"h1","headers":{headers}}},"receipt":{{}}}}"#);
        let (code, stdout, stderr) = on(&["fields", "-F", "ses_id,header:from"], &event);
        assert_eq!(
            (code, stdout.as_str()),
            (2, "h1\t<unreadable>\n"),
            "{headers}"
        );
        let problem = r#"mail.headers: expected a list of {"name", "value"} strings"#;
        assert!(
            stderr.contains(&format!(": {problem}; shown as unreadable\n")),
            "{stderr}"
        );
        let (_, stdout, _) = on(&["fields", "-F", "header:from", "-f", "ndjson"], &event);
        let row: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        let found: serde_json::Value = serde_json::from_str(headers).expect("JSON");
        assert_eq!(row["header:from"]["unreadable"], found, "kept as found");
        let (_, stdout, _) = on(&["headers", "--color", "never"], &event);
        assert!(stdout.contains("cannot be read"), "{stdout}");
    }
}

#[test]
fn tags_of_the_wrong_type_are_unreadable() {
    let event =
        r#"{"eventType":"Send","mail":{"messageId":"s1","tags":{"campaign":[1]}},"send":{}}"#;
    let (code, stdout, stderr) = on(&["fields", "-F", "ses_id,tag:campaign,tags"], event);
    assert_eq!(
        (code, stdout.as_str()),
        (2, "s1\t<unreadable>\t<unreadable>\n")
    );
    assert!(
        stderr.contains(": mail.tags.campaign[0]: expected a string, found a number"),
        "{stderr}"
    );
}

#[test]
fn an_event_with_too_many_wrong_fields_is_reported_whole() {
    let mail = [
        "timestamp",
        "source",
        "sourceArn",
        "sourceIp",
        "sendingAccountId",
    ];
    let common = ["returnPath", "date", "messageId", "subject"];
    let wrong = |keys: &[&str]| {
        keys.iter()
            .map(|key| format!("\"{key}\":1"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let event = |receipt: &str| {
        format!(
            r#"{{"mail":{{"messageId":"t1",{},"commonHeaders":{{{}}}}},"receipt":{{{receipt}}}}}"#,
            wrong(&mail),
            wrong(&common)
        )
    };
    // 16 fields of the wrong type: read, each named.
    let receipt = wrong(&[
        "timestamp",
        "dmarcPolicy",
        "recipients",
        "spfVerdict",
        "dkimVerdict",
        "dmarcVerdict",
        "spamVerdict",
    ]);
    let (code, stdout, stderr) = ses_ids(&event(&receipt));
    assert_eq!((code, stdout.as_str()), (2, "t1\n"));
    assert_eq!(stderr.lines().count(), 16, "{stderr}");
    // 17: the event is reported as one problem, and nothing of it is shown.
    let receipt = format!("{receipt},\"virusVerdict\":1");
    let (code, stdout, stderr) = ses_ids(&event(&receipt));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("mail.timestamp: invalid type"), "{stderr}");
}

#[test]
fn a_field_read_from_elsewhere_stays_readable() {
    // A bounce's recipients are its bounced recipients, whatever `mail.destination` holds.
    let event = r#"{"eventType":"Bounce","mail":{"messageId":"b2","destination":[1]},"bounce":{"bouncedRecipients":[{"emailAddress":"a@example.com"}]}}"#;
    let (code, stdout, _) = on(&["fields", "-F", "ses_id,recipients,destination"], event);
    assert_eq!(
        (code, stdout.as_str()),
        (2, "b2\ta@example.com\t<unreadable>\n")
    );
}
