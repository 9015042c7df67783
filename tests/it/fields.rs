//! `fields`: names, paths into the record, headers, formats, and unknown names.

use crate::harness::{run, run_with_stdin};

const SEVERAL: &str = "examples/several-records.json";

#[test]
fn prints_tab_separated_fields_without_a_header() {
    let (code, out, _) = run(&[
        "fields",
        "-F",
        "ses_id,spf",
        "-F",
        "dmarc,dmarc_policy",
        SEVERAL,
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "b3c9k2m4n5p6q7r8s9t0u1v2w3x4y5z6a7b8c9d0\tPASS\tPASS\t\n\
         f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0y1z2a3\tFAIL\tFAIL\treject\n\
         c1d2e3f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0\tPASS\t\t\n"
    );
    let (_, out, _) = run(&[
        "fields",
        "--header",
        "-F",
        "ses_id,spf",
        "examples/lambda-event.json",
    ]);
    assert_eq!(
        out,
        "ses_id\tspf\nk0lkd2v4m7n8ahfmrjc5ahbml7qv2rbk1gvfbq01\tPASS\n"
    );
}

#[test]
fn json_keeps_types() {
    let (_, out, _) = run(&[
        "fields",
        "-f",
        "json",
        "-F",
        "to,processing_ms,headers_truncated,cc,receipt.action",
        SEVERAL,
    ]);
    let rows: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        rows[0]["to"],
        serde_json::json!(["jobs@inbound.example.net"])
    );
    assert_eq!(rows[0]["processing_ms"], 903);
    assert_eq!(rows[0]["headers_truncated"], false);
    assert_eq!(rows[0]["cc"], serde_json::Value::Null);
    assert_eq!(rows[0]["receipt.action"]["bucketName"], "inbound-mail");
}

#[test]
fn paths_reach_any_field_known_or_not() {
    let event = r#"{"eventSource":"aws:ses","ses":{"mail":{"headers":[{"name":"X-A","value":"1"}]},"receipt":{"futureField":{"x":[1,2]},"action":{"type":"AddHeader","headerName":"X-Route"}}}}"#;
    let args = [
        "fields",
        "-F",
        "receipt.futureField.x,receipt.action.headerName,mail.headers[0].name,mail.headers[5].name",
    ];
    let (code, out, _) = run_with_stdin(&args, event.as_bytes().to_vec());
    assert_eq!((code, out.as_str()), (0, "1, 2\tX-Route\tX-A\t\n"));
    let (_, out, _) = run_with_stdin(
        &["fields", "-f", "ndjson", "-F", "receipt.futureField"],
        event.as_bytes().to_vec(),
    );
    assert_eq!(out, "{\"receipt.futureField\":{\"x\":[1,2]}}\n");
}

#[test]
fn headers_are_decoded_and_can_be_listed_all() {
    let (_, out, _) = run(&[
        "fields",
        "-F",
        "header:subject,header:RECEIVED[*],header:X-None",
        SEVERAL,
    ]);
    let last: Vec<&str> = out.lines().last().expect("a line").split('\t').collect();
    assert_eq!(last[0], "Überweisung bestätigt");
    assert!(last[1].starts_with("from mail-ej1-f53.google.com"));
    assert_eq!(last[2], "");
    let event = r#"{"mail":{"headers":[{"name":"Received","value":"a"},{"name":"received","value":"b"}]},"receipt":{}}"#;
    let (_, out, _) = run_with_stdin(
        &[
            "fields",
            "-f",
            "json",
            "-F",
            "header:Received[*],header:Received",
        ],
        event.as_bytes().to_vec(),
    );
    assert_eq!(
        out,
        "[\n{\"header:Received[*]\":[\"a\",\"b\"],\"header:Received\":\"a\"}\n]\n"
    );
}

#[test]
fn unknown_fields_are_usage_errors_with_suggestions() {
    let (code, out, err) = run(&["fields", "-F", "ses_id,dmark", SEVERAL]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "sesinspect: unknown field `dmark` (did you mean dmarc, dmarc_policy?)\n"
    );
    let (code, _, err) = run(&["fields", "-F", "mail.headers[x]", SEVERAL]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a path"), "{err}");
    assert_eq!(run(&["fields", SEVERAL]).0, 2, "-F is required");
}

#[test]
fn list_names_every_field() {
    let (code, out, _) = run(&["fields", "--list"]);
    assert_eq!(code, 0);
    for name in [
        "input",
        "ses_id",
        "spf",
        "dmarc_policy",
        "processing_ms",
        "headers_truncated",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} in {out}"
        );
    }
}

#[test]
fn other_formats_render() {
    let (_, csv, _) = run(&[
        "fields",
        "-f",
        "csv",
        "--header",
        "-F",
        "from,subject",
        SEVERAL,
    ]);
    assert!(
        csv.starts_with(
            "from,subject\r\nMei Nakamura <mei@example.org>,Application: platform engineer\r\n"
        ),
        "{csv}"
    );
    let (_, table, _) = run(&[
        "fields",
        "-f",
        "table",
        "-F",
        "ses_id,mail.commonHeaders.cc",
        SEVERAL,
    ]);
    assert!(
        table.contains("mail.commonHeaders.cc") && table.contains("Søren Øster"),
        "{table}"
    );
}

#[test]
fn computed_fields_read_addresses_with_a_real_parser() {
    let event = r#"{"mail":{"source":"Bounce+x@Mailer.Example","commonHeaders":{"from":["\"ceo@bank.example\" <thief@evil.example>"]}},"receipt":{"recipients":["a@In.Example","b@in.example","c@other.example"]}}"#;
    let (code, out, _) = run_with_stdin(
        &[
            "fields",
            "-F",
            "from_address,from_domain,source_domain,recipient_domains",
        ],
        event.as_bytes().to_vec(),
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "thief@evil.example\tevil.example\tmailer.example\tin.example, other.example\n"
    );
    let (_, out, _) = run(&[
        "fields",
        "-F",
        "ses_id",
        "--where",
        "from_domain=paypa1-secure.example",
        SEVERAL,
    ]);
    assert_eq!(out.len(), 41, "usable in --where: {out}");
    let (_, json, _) = run(&["summary", "-f", "json", "examples/lambda-event.json"]);
    let row = &crate::harness::json_rows(&json)[0];
    assert_eq!(row["from_domain"], "example.com");
    assert_eq!(
        row["recipient_domains"],
        serde_json::json!(["inbound.example.net"])
    );
}

#[test]
fn list_items_in_tsv_and_csv_escape_their_commas() {
    let event = r#"{"mail":{"commonHeaders":{"from":["\"Doe, Jane\" <j@x.example>","b\\c <b@y.example>"],"subject":"a, b"}},"receipt":{}}"#;
    let (_, tsv, _) = run_with_stdin(&["fields", "-F", "from,subject"], event.as_bytes().to_vec());
    assert_eq!(
        tsv,
        "\"Doe\\, Jane\" <j@x.example>, b\\\\c <b@y.example>\ta, b\n"
    );
    let (_, csv, _) = run_with_stdin(
        &["fields", "-f", "csv", "-F", "from,subject"],
        event.as_bytes().to_vec(),
    );
    assert_eq!(
        csv,
        "\"\"\"Doe\\, Jane\"\" <j@x.example>, b\\\\c <b@y.example>\",\"a, b\"\r\n"
    );
}

#[test]
fn null_ends_each_record_with_nul() {
    let (code, out, _) = run(&["fields", "-0", "-F", "ses_id,spf", SEVERAL]);
    assert_eq!(code, 0);
    let records: Vec<&str> = out.split_terminator('\0').collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[1], "f4g5h6j7k8l9m0n1p2q3r4s5t6u7v8w9x0y1z2a3\tFAIL");
    assert!(!out.contains('\n'));
    let (code, _, err) = run(&["fields", "-0", "-f", "ndjson", "-F", "ses_id", SEVERAL]);
    assert_eq!(code, 2);
    assert!(err.contains("-0/--null ends TSV and CSV records"), "{err}");
}

#[test]
fn list_documents_every_field_selector_and_tag() {
    let (code, out, _) = run(&["fields", "--list"]);
    assert_eq!(code, 0);
    for name in [
        "event_type",
        "event_time",
        "recipients",
        "recipient",
        "recipient_action",
        "status",
        "diagnostic_code",
        "bounce_type",
        "bounce_subtype",
        "complaint_type",
        "complaint_subtype",
        "feedback_id",
        "smtp_response",
        "reporting_mta",
        "remote_mta_ip",
        "delay_type",
        "expiration_time",
        "reject_reason",
        "template",
        "error_message",
        "link",
        "ip_address",
        "user_agent",
        "sending_account",
        "source_arn",
        "source_ip",
        "caller_identity",
        "configuration_set",
        "tags",
        "processing_ms",
    ] {
        assert!(
            out.lines()
                .any(|line| line.starts_with(&format!("{name} "))),
            "{name} in\n{out}"
        );
    }
    assert!(out.contains("tag:NAME"), "{out}");
}

#[test]
fn tags_are_an_object_in_json_and_tag_name_selects_one() {
    let (code, out, _) = run(&[
        "fields",
        "-f",
        "ndjson",
        "-F",
        "configuration_set,tag:campaign,tag:nope",
        "examples/sending-events.ndjson",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().next(),
        Some(r#"{"configuration_set":"newsletter","tag:campaign":["march"],"tag:nope":null}"#)
    );
    let (_, tsv, _) = run(&["fields", "-F", "tags", "examples/sending-events.ndjson"]);
    assert!(
        tsv.starts_with(
            r#"{"ses:operation":["SendEmail"],"ses:configuration-set":["newsletter"],"#
        ),
        "{tsv}"
    );
}

#[test]
fn per_recipient_lines_feed_suppression_lists() {
    let (code, out, _) = run(&[
        "fields",
        "--per-recipient",
        "--where",
        "bounce_type=permanent",
        "-F",
        "recipient,bounce_subtype,status",
        "examples/simulator-queue.json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "bounce@simulator.amazonses.com\tGeneral\t5.1.1\n\
         suppressionlist@simulator.amazonses.com\tOnAccountSuppressionList\t5.1.1\n"
    );
}

#[test]
fn per_recipient_fields_need_per_recipient() {
    let (code, _, err) = run(&["fields", "-F", "ses_id,recipient", SEVERAL]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: `recipient` is a field of one recipient's row: use it with --per-recipient (summary and fields)\n"
    );
    let (code, _, err) = run(&["stats", "--where", "recipient_action=failed", SEVERAL]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--where: `recipient_action` is a field of one recipient's row"),
        "{err}"
    );
}
