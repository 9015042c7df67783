//! Decoding that loses nothing and stays linear: broken log events cost themselves only, what
//! looks like an SES event and cannot be read is reported, and events in wrappers sesinspect was
//! not taught are found by searching. (That many log events are read in linear time is tested
//! in `decode`, where the CPU time of one thread can be measured.)

use crate::harness::run_with_stdin;

/// `input\tses_id` lines, exit code and stderr.
fn found(stdin: &str) -> (Vec<String>, i32, String) {
    let (code, out, err) =
        run_with_stdin(&["fields", "-F", "input,ses_id"], stdin.as_bytes().to_vec());
    (out.lines().map(str::to_string).collect(), code, err)
}

/// A small receipt event as compact JSON.
fn event(id: &str) -> String {
    format!(
        r#"{{"Records":[{{"eventSource":"aws:ses","ses":{{"mail":{{"messageId":"{id}"}},"receipt":{{"spfVerdict":{{"status":"PASS"}}}}}}}}]}}"#
    )
}

#[test]
fn one_broken_log_event_costs_only_itself() {
    let events = serde_json::json!({"events": [
        {"eventId": "e0", "message": event("a")},
        {"eventId": "e1", "message": 5},
        "junk",
        {"eventId": "e3", "message": event("d")},
    ]});
    let (lines, code, err) = found(&events.to_string());
    assert_eq!(code, 2);
    assert_eq!(lines, ["<stdin>:1 events[0]\ta", "<stdin>:1 events[3]\td"]);
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:1 events[1]: skipped log event 1 (id e1): its `message` is a JSON number, not text\n\
         sesinspect: <stdin>:1:1 events[2]: skipped log event 2: it is a JSON string, not a log event object\n"
    );
    let insights = serde_json::json!({"results": [
        [{"field": "@message", "value": event("i")}],
        [{"field": "@message", "value": {"no": "text"}}],
        {"field": "@message"},
        [{"field": "@timestamp", "value": "t"}, {"field": "@message", "value": event("j")}],
    ]});
    let (lines, code, err) = found(&insights.to_string());
    assert_eq!(code, 2);
    assert_eq!(
        lines,
        ["<stdin>:1 results[0]\ti", "<stdin>:1 results[3]\tj"]
    );
    assert!(
        err.contains("results[1]: skipped log event 1: its `@message` is a JSON object, not text"),
        "{err}"
    );
    assert!(
        err.contains("results[2]: skipped log event 2: it is a JSON object, not a row"),
        "{err}"
    );
}

#[test]
fn a_cut_off_event_does_not_swallow_the_events_after_it() {
    let whole = event("cut");
    let events = serde_json::json!({"logEvents": [
        {"id": "1", "message": event("a")},
        {"id": "2", "message": format!("INFO {}", &whole[..whole.len() - 10])},
        {"id": "3", "message": event("c")},
        {"id": "4", "message": "END RequestId: 1"},
    ], "messageType": "DATA_MESSAGE"});
    let (lines, code, err) = found(&events.to_string());
    assert_eq!(code, 2);
    assert_eq!(
        lines,
        ["<stdin>:1 logEvents[0]\ta", "<stdin>:1 logEvents[2]\tc"]
    );
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:1 logEvents[1]: input ends inside array element 0: the document is incomplete\n"
    );
}

#[test]
fn what_looks_like_an_ses_event_in_a_log_and_cannot_be_read_is_reported() {
    let without_receipt =
        r#"{"Records":[{"eventSource":"aws:ses","ses":{"mail":{"messageId":"n"}}}]}"#;
    let log = format!(
        "START RequestId: 1\nINFO {without_receipt}\nINFO {}}}\nINFO {}\nEND RequestId: 1\n",
        event("extra"),
        event("fine")
    );
    let (lines, code, err) = found(&log);
    assert_eq!(code, 2);
    assert_eq!(lines, ["<stdin>:3:6\textra", "<stdin>:4:6\tfine"]);
    assert!(
        err.contains("<stdin>:2:18: not an SES event: it is an SES record with `ses.mail` but no `ses.receipt`"),
        "{err}"
    );
    let in_events = serde_json::json!({"events": [
        {"message": without_receipt},
        {"message": format!("{}}}", event("extra"))},
    ]});
    let (lines, code, err) = found(&in_events.to_string());
    assert_eq!(code, 2);
    assert_eq!(lines, ["<stdin>:1 events[1]\textra"]);
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:1 events[0]: not an SES event: it is an SES record with `ses.mail` but no `ses.receipt`\n\
         sesinspect: <stdin>:1:1 events[1]: unexpected `}` after the JSON value: the event's JSON is broken\n"
    );
    let quiet = serde_json::json!({"events": [{"message": "START RequestId: 1"}, {"message": "{\"level\":\"info\"}"}]});
    let (lines, code, err) = found(&quiet.to_string());
    assert_eq!((lines.len(), code), (0, 0));
    assert_eq!(err, "sesinspect: <stdin>: no SES messages found\n");
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("in memory");
    gz.finish().expect("in memory")
}

#[test]
fn events_in_wrappers_not_taught_are_found_by_searching() {
    let record =
        |id: &str| -> serde_json::Value { serde_json::from_str(&event(id)).expect("JSON") };
    let documents = [
        serde_json::json!({"level": "info", "msg": "got", "payload": record("object")}),
        serde_json::json!({"time": 1, "data": event("string")}),
        serde_json::json!({"Items": [
            {"blob": base64(event("base64").as_bytes())},
            {"blob": base64(&gzip(&event("gzip")))},
        ]}),
        serde_json::json!({"level": "INFO", "message": "got event", "ctx": {"deep": {"er": [record("deep")]}}}),
    ];
    let input: String = documents.iter().map(|d| format!("{d}\n")).collect();
    let (lines, code, err) = found(&input);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        lines,
        [
            "<stdin>:1 payload\tobject",
            "<stdin>:2 data\tstring",
            "<stdin>:3 Items[0] → blob\tbase64",
            "<stdin>:3 Items[1] → blob\tgzip",
            "<stdin>:4 ctx → deep → er[0]\tdeep",
        ]
    );
}

#[test]
fn a_search_never_invents_and_keeps_foreign_documents_foreign() {
    let mentions = serde_json::json!({"note": "ses Records receipt mail eventSource aws:ses", "n": {"ses": "x"}});
    let s3 = serde_json::json!({"wrap": {"Records": [{"eventSource": "aws:s3", "s3": {}}]}});
    let not_base64 = serde_json::json!({"blob": base64(&[0xff; 120])});
    let input = format!("{mentions}\n{s3}\n{not_base64}\n");
    let (lines, code, err) = found(&input);
    assert_eq!((lines.len(), code), (0, 2));
    assert_eq!(
        err,
        "sesinspect: <stdin>:1:1: not an SES event: it is a JSON object with keys note, n\n\
         sesinspect: <stdin>:2:1: not an SES event: it is a JSON object with keys wrap\n\
         sesinspect: <stdin>:3:1: not an SES event: it is a JSON object with keys blob\n"
    );
}

#[test]
fn a_search_is_bounded_in_depth() {
    let mut nested = serde_json::from_str::<serde_json::Value>(&event("deep")).expect("JSON");
    for _ in 0..7 {
        nested = serde_json::json!({ "k": nested });
    }
    let (lines, _, _) = found(&nested.to_string());
    assert_eq!(lines.len(), 1, "seven wrappers deep is found");
    let too_deep = serde_json::json!({ "k": { "k": nested } });
    let (lines, code, err) = found(&too_deep.to_string());
    assert_eq!((lines.len(), code), (0, 2));
    assert!(err.contains("not an SES event"), "{err}");
}
