//! Reading hostile input: binary and gzip bombs, byte order marks, log captures that start like
//! arrays, the limits on what one item or payload may make sesinspect hold, and recovery inside
//! arrays of records.

use std::io::Write;

use base64::Engine;

use crate::harness::run_with_stdin;

/// A small receipt event record (the element of `Records`), compact.
fn record(id: &str) -> String {
    format!(
        r#"{{"eventSource":"aws:ses","ses":{{"mail":{{"messageId":"{id}","commonHeaders":{{"subject":"Hi"}}}},"receipt":{{"spfVerdict":{{"status":"PASS"}}}}}}}}"#
    )
}

/// A Lambda event holding one record.
fn event(id: &str) -> String {
    format!(r#"{{"Records":[{}]}}"#, record(id))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("in memory");
    gz.finish().expect("in memory")
}

/// `sesinspect fields -F ses_id ARGS` on `stdin`: (ids, exit code, stderr).
fn ids(args: &[&str], stdin: impl Into<Vec<u8>>) -> (Vec<String>, i32, String) {
    let mut full = vec!["fields", "-F", "ses_id"];
    full.extend_from_slice(args);
    let (code, out, err) = run_with_stdin(&full, stdin.into());
    (out.lines().map(str::to_string).collect(), code, err)
}

#[test]
fn gzip_of_binary_that_inflates_past_the_first_reads_is_refused_not_a_panic() {
    // Zeros (a gzip bomb) and bytes that are not UTF-8, each inflating to more than two reads.
    for byte in [0u8, 0xff] {
        let bomb = gzip(&vec![byte; 5 << 20]);
        let (found, code, err) = ids(&[], bomb);
        assert!(found.is_empty());
        assert_eq!(code, 2, "{err}");
        assert_eq!(
            err,
            "sesinspect: <stdin>:1:1: this is neither JSON nor log text (it looks binary)\n"
        );
    }
}

#[test]
fn a_byte_order_mark_does_not_shift_columns() {
    let broken = "{\"Records\": [1, 2 3]}\n";
    let (_, code, plain) = ids(&[], broken);
    let (_, code_bom, with_bom) = ids(&[], format!("\u{feff}{broken}"));
    assert_eq!((code, code_bom), (2, 2));
    assert!(
        plain.contains("sesinspect: <stdin>:1:19: expected"),
        "{plain}"
    );
    assert_eq!(with_bom, plain);
    let (found, code, err) = ids(&[], format!("\u{feff}{}", event("bom")));
    assert_eq!(
        (found, code, err.as_str()),
        (vec!["bom".to_string()], 0, "")
    );
}

#[test]
fn a_python_logging_capture_starting_with_a_level_is_log_text() {
    let log = format!(
        "[INFO]\t2024-01-01T00:00:00.000Z\t4c5e1d9a-0000-4000-8000-000000000000\t{}\n\
         [WARNING]\t2024-01-01T00:00:01.000Z\t4c5e1d9a-0000-4000-8000-000000000000\tslow\n",
        event("py")
    );
    let (found, code, err) = ids(&[], log);
    assert_eq!((found, code, err.as_str()), (vec!["py".to_string()], 0, ""));
    // A JSON array of literals is still JSON.
    let (_, code, err) = ids(&[], "[null]");
    assert_eq!(code, 2);
    assert!(err.contains("not an SES event"), "{err}");
}

#[test]
fn an_unclosed_string_is_refused_at_the_limit_and_reading_goes_on() {
    let mut input = b"{\"Records\":[{\"a\":\"".to_vec();
    input.extend(std::iter::repeat_n(b'x', 3 << 20));
    input.extend(format!("\n{}\n", event("after")).bytes());
    let (found, code, err) = ids(&["--max-document", "1MiB"], input);
    assert_eq!(found, ["after"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:13: this item is larger than the limit of 1 MiB (--max-document): \
         skipped\n\
         sesinspect: <stdin>:1:3145747: string not closed before the end of the line: skipped \
         record 0 of Records at line 1 column 13\n"
    );
}

#[test]
fn a_document_within_the_limit_is_read() {
    let padded = format!(
        r#"{{"Records":[{}],"pad":"{}"}}"#,
        record("big"),
        "x".repeat(3 << 20)
    );
    let (found, code, err) = ids(&["--max-document", "1MiB"], padded.clone());
    assert_eq!(
        (found, code, err.as_str()),
        (vec!["big".to_string()], 0, "")
    );
    let (found, code, _) = ids(&["--max-document", "1MiB"], format!("[{padded}]"));
    assert_eq!((found.len(), code), (0, 2), "one element over the limit");
}

#[test]
fn a_payload_inflating_past_the_limit_is_an_error_naming_the_envelope() {
    let logged = serde_json::json!({
        "messageType": "DATA_MESSAGE",
        "logEvents": [{"id": "1", "timestamp": 1, "message": "x".repeat(2 << 20)}],
    });
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(gzip(logged.to_string().as_bytes()));
    let input = format!(
        "{}\n{{\"awslogs\":{{\"data\":\"{encoded}\"}}}}\n{}\n",
        event("before"),
        event("after")
    );
    let (found, code, err) = ids(&["--max-inflate", "1M"], input.clone());
    assert_eq!(found, ["before", "after"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: <stdin>:2:1 awslogs.data: gzip that inflates to more than the limit of \
         1 MiB (--max-inflate): skipped\n"
    );
    let (found, code, _) = ids(&["--max-inflate", "3MiB"], input);
    assert_eq!((found.len(), code), (2, 0));
}

#[test]
fn sizes_are_checked_when_parsed() {
    for (size, message) in [
        ("2X", "unknown unit `X`"),
        ("MiB", "is not a size"),
        ("0", "more than 0"),
        ("99999999999T", "too large"),
    ] {
        let (_, code, err) = ids(&["--max-document", size], "");
        assert_eq!(code, 2);
        assert!(err.contains(message), "{size}: {err}");
    }
    for size in ["2048", "2K", "2KiB", "2kb"] {
        let (_, code, err) = ids(&["--max-inflate", size], event("s"));
        assert_eq!((code, err.as_str()), (0, ""), "{size}");
    }
}

#[test]
fn a_broken_record_costs_that_record_only() {
    let records: Vec<serde_json::Value> = ["r0", "r1", "r2", "r3"]
        .iter()
        .map(|id| serde_json::from_str(&record(id)).expect("a record"))
        .collect();
    let pretty = serde_json::to_string_pretty(&serde_json::json!({ "Records": records }))
        .expect("in memory");
    // A raw line break inside record 1's subject: that record is broken JSON.
    let broken = pretty
        .replacen("\"Hi\"", "\"H\ni\"", 2)
        .replacen("\"H\ni\"", "\"Hi\"", 1);
    let (found, code, err) = ids(&[], broken.clone());
    assert_eq!(found, ["r0", "r2", "r3"]);
    assert_eq!(code, 2);
    assert!(
        err.ends_with(": string not closed before the end of the line: skipped record 1 of Records at line 19 column 5\n"),
        "{err}"
    );
    // The same in a top-level array.
    let array = broken.replacen("{\n  \"Records\": [", "[", 1);
    let array = format!("{}]", array.trim_end().trim_end_matches('}').trim_end());
    let (found, code, err) = ids(&[], array);
    assert_eq!((found.len(), code), (3, 2), "{err}");
    assert!(err.contains("skipped element 1 of the array"), "{err}");
}

#[test]
fn stray_trailing_and_missing_commas_cost_no_record() {
    let input = format!(
        "{{\"Records\":[{},,{} {},]}}\n",
        record("a"),
        record("b"),
        record("c")
    );
    let (found, code, err) = ids(&[], input);
    assert_eq!(found, ["a", "b", "c"]);
    assert_eq!(code, 2);
    let problems: Vec<&str> = err
        .lines()
        .map(|l| l.split(": ").nth(2).unwrap_or(l))
        .collect();
    assert_eq!(
        problems,
        [
            "expected an array element, found `,`",
            "expected `,` or `]` after array element 1, found `{`",
            "expected an array element after `,`, found `]`"
        ]
    );
}

#[test]
fn a_backslash_before_a_line_end_breaks_the_string_there() {
    // The minimised fuzz finding, then an event on the line after the next.
    let input = format!("{{\"a\\\n\n{}\n", event("next"));
    let (found, code, err) = ids(&[], input);
    assert_eq!(found, ["next"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:5: string not closed before the end of the line\n"
    );
    // In a log, inside an event: the event is reported on its own line; the next is read.
    let log = format!("x {{\"Records\":\"a\\\nINFO {}\n", event("logged"));
    let (found, code, err) = ids(&[], log);
    assert_eq!(found, ["logged"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:17: string not closed before the end of the line\n"
    );
}

#[test]
fn a_closer_too_many_after_an_event_in_a_plain_log_is_reported() {
    let log = format!(
        "2024-06-01T10:00:00Z INFO {}}}\n2024-06-01T10:00:01Z INFO {}\n",
        event("extra"),
        event("fine")
    );
    let (found, code, err) = ids(&[], log);
    assert_eq!(found, ["extra", "fine"]);
    assert_eq!(code, 2);
    let column = "2024-06-01T10:00:00Z INFO ".len() + event("extra").len() + 1;
    assert_eq!(
        err,
        format!(
            "sesinspect: <stdin>:1:{column}: unexpected `}}` after the JSON value: the event's \
             JSON is broken\n"
        )
    );
}

#[test]
fn the_tail_after_records_keeps_its_strings_across_the_first_read_of_a_file() {
    // Read with its strings lost, this tail closes the document at `"}"` and the line after
    // next is a second, forged event. The first read of a file ends at 64 KiB: the subject pads
    // the record so that it ends at each spot where losing track would do harm.
    const FIRST_READ: usize = 64 << 10;
    let tail = format!(
        r#","e":"\u005c","t":"\\","u":"}}"
,"w":
{}}}
"#,
        event("forged")
    );
    let spots = [
        ("after the array's `]`", "],"),
        ("inside a \\u escape", "5c\""),
        ("between the backslashes of `\\\\`", "\\\","),
        ("between `\\` and `\"`", "\",\"u\""),
        ("inside a key", "\":\"}"),
    ];
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path = dir.path().join("records.json");
    let file = path.to_string_lossy();
    for (spot, after) in spots {
        let start = |subject: &str| {
            let record = record("real").replace("\"Hi\"", &format!("\"{subject}\""));
            format!("{{\"Records\":[{record}]{tail}")
        };
        let unpadded = start("");
        let from = unpadded[12..].find(after).expect("the spot") + 12;
        let input = start(&"x".repeat(FIRST_READ - from));
        assert_eq!(&input[FIRST_READ..][..after.len()], after, "{spot}");
        std::fs::write(&path, &input).expect("written");
        let (found, code, err) = ids(&[&file], "");
        assert_eq!(
            (found, code, err.as_str()),
            (vec!["real".to_string()], 0, ""),
            "{spot}"
        );
        let (_, out, _) = crate::harness::run(&["check", &file]);
        assert!(!out.contains("forged"), "{spot}");
        assert!(out.contains("1 checked"), "{spot}");
    }
}
