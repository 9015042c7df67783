//! Every input form, and every kind of bad input: a clear located error, never a panic, and
//! everything decodable still processed.

use std::io::Write;

use flate2::write::GzEncoder;
use tempfile::TempDir;

use crate::harness::{json_rows, run, run_with_stdin};

fn lambda_event() -> String {
    let text = std::fs::read_to_string(crate::harness::root().join("examples/lambda-event.json"))
        .expect("example exists");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    value.to_string()
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("temp file written");
    path.to_string_lossy().into_owned()
}

fn ses_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip(1)
        .map(|line| line.split('\t').nth(2).unwrap_or("").to_string())
        .collect()
}

#[test]
fn reads_ndjson_concatenated_and_arrays() {
    let event = lambda_event();
    let dir = TempDir::new().expect("temp dir");
    let ndjson = write(&dir, "a.ndjson", format!("{event}\n{event}\n").as_bytes());
    let concatenated = write(&dir, "b.json", format!("{event}{event} {event}").as_bytes());
    let array = write(&dir, "c.json", format!("[{event},\n{event}]").as_bytes());
    let (code, stdout, stderr) = run(&["summary", "-f", "tsv", &ndjson, &concatenated, &array]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(ses_ids(&stdout).len(), 7);
    let inputs: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert!(
        inputs[0].ends_with("a.ndjson:1") && inputs[1].ends_with("a.ndjson:2"),
        "{inputs:?}"
    );
    let second = format!("b.json:1:{}", event.len() + 1);
    let third = format!("b.json:1:{}", 2 * event.len() + 2);
    assert!(
        inputs[2].ends_with("b.json:1")
            && inputs[3].ends_with(&second)
            && inputs[4].ends_with(&third),
        "{inputs:?}"
    );
    assert!(
        inputs[5].ends_with("c.json:1 [0]") && inputs[6].ends_with("c.json:1 [1]"),
        "{inputs:?}"
    );
}

#[test]
fn reads_each_direct_form() {
    let event: serde_json::Value = serde_json::from_str(&lambda_event()).expect("JSON");
    let record = event["Records"][0].clone();
    let ses = record["ses"].clone();
    let forms = format!("{event}\n{record}\n{ses}\n");
    let (code, stdout, stderr) = run_with_stdin(&["summary", "-f", "ndjson"], forms.into_bytes());
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout.lines().count(), 3);
}

#[test]
fn reads_gzip_by_magic_bytes_with_several_members() {
    let event = lambda_event();
    let mut gz = Vec::new();
    for _ in 0..2 {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(event.as_bytes())
            .expect("compressing in memory");
        gz.extend(encoder.finish().expect("compressing in memory"));
    }
    let dir = TempDir::new().expect("temp dir");
    let path = write(&dir, "events.json.whatever", &gz);
    let (code, stdout, _) = run(&["summary", "-f", "tsv", &path]);
    assert_eq!(code, 0);
    assert_eq!(ses_ids(&stdout).len(), 2);
    let (code, stdout, _) = run_with_stdin(&["summary", "-f", "tsv", "-"], gz);
    assert_eq!(code, 0);
    assert_eq!(ses_ids(&stdout).len(), 2);
}

#[test]
fn a_foreign_document_says_what_it_is_and_the_rest_is_still_read() {
    let s3 = r#"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","s3":{"bucket":{"name":"b"}}}]}"#;
    let input = format!("{s3}\n{}\n", lambda_event());
    let (code, stdout, stderr) = run_with_stdin(&["summary", "-f", "tsv"], input.into_bytes());
    assert_eq!(code, 2);
    assert_eq!(ses_ids(&stdout).len(), 1);
    assert_eq!(
        stderr,
        "sesinspect: <stdin>:1:13: not an SES receipt event: it is an S3 event record (eventSource aws:s3)\n"
    );
}

#[test]
fn sending_events_are_refused_clearly() {
    let (code, _, stderr) = run(&[
        "summary",
        "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__notification-bounce-with-dsn.json",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            ":1:1: not an SES receipt event: it is an SES Bounce notification (a sending event)"
        ),
        "{stderr}"
    );
}

#[test]
fn bad_inputs_are_located_and_later_inputs_still_read() {
    let dir = TempDir::new().expect("temp dir");
    let event = lambda_event();
    let garbage = write(&dir, "garbage.txt", b"hello world\n");
    let truncated = write(&dir, "truncated.json", &event.as_bytes()[..event.len() / 2]);
    let broken = write(&dir, "broken.json", b"{\"mail\": tru}\n");
    let utf8 = write(
        &dir,
        "utf8.json",
        b"{\"mail\":{\"source\":\"\xff\"},\"receipt\":{}}",
    );
    let wrong_type = write(
        &dir,
        "type.json",
        b"{\"mail\":{},\n \"receipt\":{\"recipients\":[7]}}",
    );
    let deep = write(
        &dir,
        "deep.json",
        format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)).as_bytes(),
    );
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let binary = write(&dir, "binary.bin", &binary);
    let good = write(&dir, "good.json", event.as_bytes());
    let missing = dir
        .path()
        .join("missing.json")
        .to_string_lossy()
        .into_owned();
    let args = [
        "summary",
        "-f",
        "tsv",
        &garbage,
        &truncated,
        &broken,
        &utf8,
        &wrong_type,
        &deep,
        &binary,
        &missing,
        &good,
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        ses_ids(&stdout),
        ["k0lkd2v4m7n8ahfmrjc5ahbml7qv2rbk1gvfbq01"],
        "the good file is still read"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let expect = [
        format!("{garbage}: no SES messages found"),
        format!("{truncated}:1:13: input ends inside array element 0: the document is incomplete"),
        format!("{broken}:1:13: expected ident"),
        format!("{utf8}:1:20: invalid UTF-8"),
        format!(
            "{wrong_type}:2:27: receipt.recipients[0]: invalid type: integer `7`, expected a string"
        ),
        format!(
            "{deep}:1:1: not an SES receipt event: it is a JSON object that cannot be read (recursion limit exceeded)"
        ),
        format!("{binary}:1:1: this is neither JSON nor log text (it looks binary)"),
        format!("{missing}: no such file"),
    ];
    for line in expect {
        assert!(
            stderr.contains(&format!("sesinspect: {line}")),
            "missing {line:?} in:\n{stderr}"
        );
    }
}

#[test]
fn an_empty_input_says_so_without_failing() {
    let (code, stdout, stderr) = run_with_stdin(&["summary"], Vec::new());
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(stderr, "sesinspect: <stdin>: no SES messages found\n");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = run(&["summary", "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'yaml'"), "{stderr}");
    assert_eq!(run(&["frobnicate"]).0, 2);
}

#[test]
fn missing_optional_fields_are_missing_not_invented() {
    let bare = r#"{"mail":{"messageId":"only-an-id"},"receipt":{}}"#;
    let (code, json, _) = run_with_stdin(&["summary", "-f", "json"], bare.as_bytes().to_vec());
    assert_eq!(code, 0);
    let row = &json_rows(&json)[0];
    let present: Vec<&str> = row
        .as_object()
        .expect("object")
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(present, ["input", "ses_id"]);
    let (_, table, _) = run_with_stdin(&["summary"], bare.as_bytes().to_vec());
    assert!(table.contains("│ —"), "{table}");
}

#[test]
fn unknown_statuses_and_fields_are_kept() {
    let event = r#"{"mail":{"future":1},"receipt":{"spfVerdict":{"status":"NEUTRAL"},"action":{"type":"Quarantine","topicArn":"arn:t"}}}"#;
    let (code, json, _) = run_with_stdin(&["summary", "-f", "json"], event.as_bytes().to_vec());
    assert_eq!(code, 0);
    let row = &json_rows(&json)[0];
    assert_eq!(
        (
            row["spf"].as_str(),
            row["action"].as_str(),
            row["topic_arn"].as_str()
        ),
        (Some("NEUTRAL"), Some("Quarantine"), Some("arn:t"))
    );
}

#[test]
fn output_is_the_same_with_one_thread_or_many() {
    // Enough events for many batches, with bad lines among them, so order matters.
    let line = std::fs::read_to_string(crate::harness::root().join("examples/stream.ndjson"))
        .expect("example");
    let mut corpus = String::new();
    for i in 0..700 {
        corpus.push_str(&line);
        if i % 97 == 0 {
            corpus.push_str("garbage line\n");
        }
    }
    let dir = TempDir::new().expect("temp dir");
    let path = write(&dir, "many.ndjson", corpus.as_bytes());
    for command in [
        &["summary", "-f", "ndjson"][..],
        &["fields", "-F", "input,ses_id,header:Subject"],
        &["stats", "-f", "json"],
        &["check"],
    ] {
        let run_with = |threads: &str| {
            let mut args = command.to_vec();
            args.extend(["--threads", threads, &path]);
            run(&args)
        };
        let one = run_with("1");
        assert!(one.1.len() > 500, "{command:?} printed something");
        for threads in ["2", "3", "8"] {
            assert_eq!(run_with(threads), one, "{command:?} with {threads} threads");
        }
    }
}

#[test]
fn envelopes_are_unwrapped_with_the_chain_named() {
    let (code, out, err) = run(&[
        "fields",
        "-F",
        "input,ses_id,action,mail.commonHeaders.subject",
        "examples/sns-lambda-event.json",
        "examples/sqs-lambda-event.json",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "examples/sns-lambda-event.json:1 Sns.Message\to3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1\tSNS\tStandup notes\n\
         examples/sqs-lambda-event.json:1 body → Message\to3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1\tSNS\tStandup notes\n"
    );
    let bad = r#"{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{\"oops\": tru}"}}]}"#;
    let (code, _, err) = run_with_stdin(&["summary"], bad.as_bytes().to_vec());
    assert_eq!(code, 2);
    assert!(
        err.starts_with("sesinspect: <stdin>:1:13 Sns.Message: "),
        "{err}"
    );
}
