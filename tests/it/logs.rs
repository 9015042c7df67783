//! What people capture: CloudWatch Logs text of every runtime, Lambda's JSON log format, CLI
//! outputs, subscription payloads, Logs Insights results, Python reprs — each form yields exactly
//! the messages it carries, once.

use std::io::Write;

use base64::Engine;

use crate::harness::{run, run_with_stdin};

const SES_ID: &str = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1";

/// `input\tses_id` lines, exit code and stderr.
fn found(args: &[&str], stdin: &str) -> (Vec<String>, i32, String) {
    let mut full = vec!["fields", "-F", "input,ses_id"];
    full.extend_from_slice(args);
    let (code, out, err) = run_with_stdin(&full, stdin.as_bytes().to_vec());
    (out.lines().map(str::to_string).collect(), code, err)
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/captured/{name}")
}

/// A small receipt event as compact JSON.
fn event(id: &str) -> String {
    format!(
        r#"{{"Records":[{{"eventSource":"aws:ses","ses":{{"mail":{{"messageId":"{id}","commonHeaders":{{"subject":"Hi"}}}},"receipt":{{"spfVerdict":{{"status":"PASS"}}}}}}}}]}}"#
    )
}

#[test]
fn every_captured_sample_yields_its_message_once() {
    let cases = [
        (
            "cli-filter-log-events-json.txt",
            "cli-filter-log-events-json.txt:1 events[1]",
        ),
        (
            "cli-logs-tail-detailed.txt",
            "cli-logs-tail-detailed.txt:2:154",
        ),
        (
            "lambda-text-nodejs-json-stringify.txt",
            "lambda-text-nodejs-json-stringify.txt:3:68",
        ),
        (
            "lambda-text-python-print-repr.txt",
            "lambda-text-python-print-repr.txt:3",
        ),
        (
            "subscription-decoded-data-message.txt",
            "subscription-decoded-data-message.txt:1 logEvents[1]",
        ),
        (
            "subscription-lambda-event.txt",
            "subscription-lambda-event.txt:1 awslogs.data → logEvents[1]",
        ),
    ];
    for (name, input) in cases {
        let (lines, code, err) = found(&[&fixture(name)], "");
        assert_eq!((code, err.as_str()), (0, ""), "{name}");
        assert_eq!(
            lines,
            [format!("tests/fixtures/captured/{input}\t{SES_ID}")],
            "{name}"
        );
    }
}

#[test]
fn lambda_json_log_format_reads_objects_and_strings_and_diagnoses_inspect_output() {
    let (lines, code, err) = found(&[&fixture("lambda-json-nodejs.txt")], "");
    assert_eq!(code, 2);
    assert_eq!(
        lines,
        [
            format!("tests/fixtures/captured/lambda-json-nodejs.txt:3 message\t{SES_ID}"),
            format!("tests/fixtures/captured/lambda-json-nodejs.txt:4 message\t{SES_ID}"),
        ]
    );
    assert!(
        err.contains(
            "lambda-json-nodejs.txt:5:1 message: this is Node's console.log(event) output"
        ),
        "{err}"
    );
    assert!(err.contains("log JSON.stringify(event) instead"), "{err}");
}

#[test]
fn node_console_log_object_is_diagnosed_with_its_place() {
    let (lines, code, err) = found(&[&fixture("lambda-text-nodejs-console-log-object.txt")], "");
    assert_eq!((lines.len(), code), (0, 2));
    assert!(err.starts_with("sesinspect: tests/fixtures/captured/lambda-text-nodejs-console-log-object.txt:2:68: this is Node's console.log(event) output"), "{err}");
}

#[test]
fn text_formats_of_every_runtime() {
    let e = event("rt");
    let log = format!(
        "INIT_START Runtime Version: python:3.12\n\
         START RequestId: 1 Version: $LATEST\n\
         [INFO]\t2024-06-01T10:00:00.130Z\t1\t{{'Records': [{{'eventSource': 'aws:ses', 'ses': {{'mail': {{'messageId': 'py'}}, 'receipt': {{}}}}}}]}}\n\
         2020/03/27 03:40:05 EVENT: {e}\n\
         2024-06-01 10:00:00 1 INFO  com.example.Handler - {e}\n\
         2024-06-01T10:00:00.130000Z  INFO handler: sesinspect event={e}\n\
         EVENTS\t1717236000187\t{e}\t2024/06/01/[$LATEST]abc\t1717236000130\n\
         2024-06-01T10:00:00.130Z {e}\n\
         {{\"level\":\"INFO\",\"message\":\"not an event\",\"timestamp\":\"2024-06-01T10:00:00Z\",\"service\":\"x\"}}\n\
         END RequestId: 1\n\
         REPORT RequestId: 1\tDuration: 1 ms\n"
    );
    let (lines, code, err) = found(&[], &log);
    assert_eq!((code, err.as_str()), (0, ""));
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l.rsplit('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["py", "rt", "rt", "rt", "rt", "rt"]);
}

#[test]
fn powertools_and_python_json_logs() {
    let e = event("pt");
    let python = serde_json::json!({"level":"INFO","location":"handler:10","message": e,"timestamp":"2024-06-01 10:00:00,130+0000","service":"inbound"});
    let typescript = format!(
        r#"{{"level":"INFO","message":"Lambda invocation event","timestamp":"2024-06-01T10:00:00.130Z","service":"inbound","event":{e}}}"#
    );
    let repr = serde_json::json!({"timestamp":"2024-06-01T10:00:00Z","level":"INFO","requestId":"1","message":"{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'repr'}, 'receipt': {}}}]}"});
    let input = format!("{python}\n{typescript}\n{repr}\n");
    let (lines, code, err) = found(&[], &input);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        lines,
        [
            "<stdin>:1 message\tpt",
            "<stdin>:2 event\tpt",
            "<stdin>:3 message\trepr"
        ]
    );
}

#[test]
fn split_events_are_joined() {
    let e = event("split");
    let (a, rest) = e.split_at(40);
    let (b, c) = rest.split_at(50);
    let events = serde_json::json!({"events": [
        {"message": "START RequestId: 1\n"},
        {"message": format!("2024-06-01T10:00:00.130Z\t1\tINFO\t{a}")},
        {"message": b},
        {"message": format!("{c}\n")},
        {"message": "END RequestId: 1\n"},
    ]});
    let (lines, code, err) = found(&[], &events.to_string());
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(lines, ["<stdin>:1 events[1]\tsplit"]);
}

#[test]
fn pretty_printed_events_logged_line_by_line_are_joined() {
    let value: serde_json::Value = serde_json::from_str(&event("indented")).expect("JSON");
    let pretty = serde_json::to_string_pretty(&value).expect("JSON");
    let events: Vec<serde_json::Value> = pretty
        .lines()
        .map(|line| serde_json::json!({"message": format!("{line}\n")}))
        .collect();
    assert!(events.len() > 10, "one event over many log events");
    let (lines, code, err) = found(&[], &serde_json::json!({ "events": events }).to_string());
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(lines, ["<stdin>:1 events[0]\tindented"]);
}

#[test]
fn subscription_payloads_control_messages_and_kinesis() {
    let control = r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#;
    let (lines, code, err) = found(&[], control);
    assert_eq!((lines.len(), code), (0, 0));
    assert_eq!(err, "sesinspect: <stdin>: no SES messages found\n");
    let data = serde_json::json!({"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message": format!("2024-06-01T10:00:00.130Z\t1\tINFO\t{}", event("k"))}]});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data.to_string().as_bytes())
        .expect("in memory");
    let encoded = base64::engine::general_purpose::STANDARD.encode(gz.finish().expect("in memory"));
    let kinesis = format!(
        r#"{{"Records":[{{"kinesis":{{"data":"{encoded}"}},"eventSource":"aws:kinesis"}}]}}"#
    );
    let (lines, code, _) = found(&[], &kinesis);
    assert_eq!(code, 0);
    assert_eq!(lines, ["<stdin>:1 kinesis.data → logEvents[0]\tk"]);
}

#[test]
fn firehose_files_of_concatenated_gzip_payloads() {
    let data = |id: &str| {
        serde_json::json!({"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message": event(id)}]}).to_string()
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(format!("{}{}", data("f1"), data("f2")).as_bytes())
        .expect("in memory");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("firehose-object");
    std::fs::write(&path, gz.finish().expect("in memory")).expect("written");
    let (code, out, _) = run(&["fields", "-F", "ses_id", &path.to_string_lossy()]);
    assert_eq!((code, out.as_str()), (0, "f1\nf2\n"));
}

#[test]
fn logs_insights_results_and_exports() {
    let results = serde_json::json!({"results": [[{"field":"@timestamp","value":"2024-06-01 10:00:00.130"},{"field":"@message","value": format!("2024-06-01T10:00:00.130Z\t1\tINFO\t{}", event("li"))}]], "status":"Complete"});
    assert_eq!(
        found(&[], &results.to_string()).0,
        ["<stdin>:1 results[0]\tli"]
    );
    let export =
        serde_json::json!([{"@timestamp":"2024-06-01 10:00:00.130","@message": event("ex")}]);
    assert_eq!(
        found(&[], &export.to_string()).0,
        ["<stdin>:1 @message\tex"]
    );
    let csv = format!(
        "@timestamp,@message\n2024-06-01 10:00:00.130,\"{}\"\n",
        event("csv").replace('"', "\"\"")
    );
    assert_eq!(found(&[], &csv).0, ["<stdin>:2:26\tcsv"]);
}

#[test]
fn an_unreadable_event_in_a_log_is_an_error_but_other_noise_is_not() {
    let log = "START RequestId: 1\nINFO {\"Records\": [{\"eventSource\": \"aws:ses\", oops}]}\nINFO {not an event}\n";
    let (lines, code, err) = found(&[], log);
    assert_eq!((lines.len(), code), (0, 2));
    assert!(err.starts_with("sesinspect: <stdin>:2:"), "{err}");
    assert!(!err.contains(":3:"), "{err}");
    let (_, code, err) = found(&[], "START RequestId: 1\nEND RequestId: 1\n");
    assert_eq!(
        (code, err.as_str()),
        (0, "sesinspect: <stdin>: no SES messages found\n")
    );
}

#[test]
fn python_repr_edge_cases() {
    let repr = r#"{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'r1', 'commonHeaders': {'subject': "It's {braced} \"quoted\" \u00e9 \\ end", 'to': ['a@b', "c'd@e"]}, 'headersTruncated': False}, 'receipt': {'dmarcPolicy': None, 'processingTimeMillis': 12}}}]}"#;
    let (code, out, err) = run_with_stdin(
        &[
            "fields",
            "-f",
            "json",
            "-F",
            "subject,to,headers_truncated,dmarc_policy,processing_ms",
        ],
        repr.as_bytes().to_vec(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let row = &serde_json::from_str::<serde_json::Value>(&out).expect("JSON")[0];
    assert_eq!(row["subject"], "It's {braced} \"quoted\" é \\ end");
    assert_eq!(row["to"], serde_json::json!(["a@b", "c'd@e"]));
    assert_eq!(
        (
            row["headers_truncated"].clone(),
            row["dmarc_policy"].clone(),
            row["processing_ms"].clone()
        ),
        (
            serde_json::json!(false),
            serde_json::Value::Null,
            serde_json::json!(12)
        )
    );
}
