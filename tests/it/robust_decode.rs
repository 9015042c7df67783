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
