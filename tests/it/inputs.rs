//! Every input form, and every kind of bad input: a clear located error, never a panic, and
//! everything decodable still processed.

use std::io::Write;

use flate2::write::GzEncoder;
use tempfile::TempDir;

use crate::harness::{json_rows, on_a_terminal, run, run_with_stdin};

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
        "sesinspect: <stdin>:1:13: not an SES event: it is an S3 event record (eventSource aws:s3)\n"
    );
}

#[test]
fn a_receipt_notification_without_mail_says_exactly_that() {
    let cut_down = r#"{"notificationType":"Received","receipt":{"timestamp":"2024-10-08T13:17:15.641Z","action":{"type":"S3"}}}"#;
    let (code, _, stderr) = run_with_stdin(&["summary"], cut_down.as_bytes().to_vec());
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "sesinspect: <stdin>:1:1: not an SES event: it is an SES receipt notification with `receipt` but no `mail`\n"
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
        ["", "k0lkd2v4m7n8ahfmrjc5ahbml7qv2rbk1gvfbq01"],
        "the good file is still read, and the message with a wrong type is kept"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let expect = [
        format!("{garbage}: no SES messages found"),
        format!("{truncated}:1:13: input ends inside array element 0: the document is incomplete"),
        format!("{broken}:1:13: expected ident"),
        format!("{utf8}:1:20: invalid UTF-8"),
        format!(
            "{wrong_type}:2:27: receipt.recipients[0]: expected a string, found a number; shown as unreadable"
        ),
        format!(
            "{deep}:1:1: not an SES event: it is a JSON object that cannot be read (recursion limit exceeded)"
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
    assert_eq!(present, ["input", "ses_id", "event_type"]);
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
    let mut line = String::new();
    for example in ["examples/stream.ndjson", "examples/sending-events.ndjson"] {
        line.push_str(
            &std::fs::read_to_string(crate::harness::root().join(example)).expect("example"),
        );
    }
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
        &[
            "fields",
            "--per-recipient",
            "-F",
            "input,event_type,recipient,status",
        ],
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

/// `aws s3 sync` of a Firehose bucket: `YYYY/MM/DD/HH/` folders, gzip objects without an
/// extension, and the odd hidden file.
fn firehose_tree() -> TempDir {
    let event = lambda_event();
    let dir = TempDir::new().expect("temp dir");
    let hour = |h: &str| {
        let path = dir.path().join("2026/11/20").join(h);
        std::fs::create_dir_all(&path).expect("folders");
        path
    };
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(event.replace("k0lkd2v4", "second00").as_bytes())
        .expect("compressing in memory");
    std::fs::write(
        hour("10").join("PUT-S3-inbound-1-2026-11-20-10-00-00-abc"),
        gz.finish().expect("compressing in memory"),
    )
    .expect("written");
    std::fs::write(
        hour("09").join("b.json"),
        event.replace("k0lkd2v4", "first000"),
    )
    .expect("written");
    std::fs::write(
        hour("09").join(".a.json"),
        event.replace("k0lkd2v4", "hidden00"),
    )
    .expect("written");
    std::fs::create_dir_all(dir.path().join(".cache")).expect("folder");
    std::fs::write(
        dir.path().join(".cache/c.json"),
        event.replace("k0lkd2v4", "cached00"),
    )
    .expect("written");
    dir
}

fn ids_of(args: &[&str]) -> (i32, Vec<String>, String) {
    let mut full = vec!["fields", "-F", "ses_id,input"];
    full.extend_from_slice(args);
    let (code, out, err) = run(&full);
    let ids = out.lines().map(|l| l[..8].to_string()).collect();
    (code, ids, err)
}

#[test]
fn directories_are_read_recursively_in_name_order_without_hidden_names() {
    let dir = firehose_tree();
    let root = dir.path().to_string_lossy().into_owned();
    let (code, ids, err) = ids_of(&[&root]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(ids, ["first000", "second00"], "09 before 10, gzip read");
    let (_, ids, _) = ids_of(&["--hidden", &root]);
    assert_eq!(ids, ["cached00", "hidden00", "first000", "second00"]);
    let (_, out, _) = run(&["fields", "-F", "input", &root]);
    assert!(
        out.lines()
            .next()
            .unwrap_or_default()
            .ends_with("2026/11/20/09/b.json:1"),
        "{out}"
    );
    let empty = TempDir::new().expect("temp dir");
    let (code, out, err) = run(&["stats", "-f", "json", &empty.path().to_string_lossy()]);
    assert_eq!(code, 0);
    assert!(out.starts_with("{\"messages\":0,"), "{out}");
    assert!(err.ends_with(": no SES messages found\n"), "{err}");
}

#[test]
fn skip_foreign_counts_what_is_not_ses_but_reports_broken_events() {
    let s3 = r#"{"Records":[{"eventSource":"aws:s3","s3":{}}]}"#;
    let stack =
        r#"{"RequestType":"Create","StackId":"arn:aws:cloudformation:x","ResourceProperties":{}}"#;
    let event = lambda_event();
    let dir = TempDir::new().expect("temp dir");
    write(&dir, "a-s3.json", s3.as_bytes());
    write(
        &dir,
        "b-stack.json",
        format!("{stack}\n{stack}\n").as_bytes(),
    );
    write(&dir, "c-ses.json", event.as_bytes());
    write(&dir, "d-notes.txt", b"not an event, not JSON\n");
    let root = dir.path().to_string_lossy().into_owned();
    let (code, ids, err) = ids_of(&["--skip-foreign", &root]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ids, ["k0lkd2v4"]);
    assert_eq!(
        err,
        "sesinspect: --skip-foreign: skipped 3 documents that are not SES events, and 3 inputs that hold no SES event\n"
    );
    let (code, _, err) = ids_of(&[&root]);
    assert_eq!(code, 2, "without the flag each is an error");
    assert_eq!(err.matches("not an SES event").count(), 3, "{err}");
    write(
        &dir,
        "e-broken.json",
        b"{\"mail\":{},\"receipt\":{\"recipients\":[1]}}\n{\"mail\":{}}\n{\"mail\":",
    );
    let (code, ids, err) = ids_of(&["--skip-foreign", &root]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        ids.len(),
        2,
        "the message with a wrong type is kept: {ids:?}"
    );
    assert_eq!(ids[0], "k0lkd2v4");
    assert!(ids[1].starts_with('\t'), "it has no ses_id: {ids:?}");
    for real in [
        "receipt.recipients[0]: expected a string, found a number",
        "not an SES event: it has `mail` but neither `receipt` nor an event type (`notificationType`, `eventType`)",
        "input ends inside this JSON document",
    ] {
        assert!(err.contains(real), "{real} in {err}");
    }
    assert!(
        err.ends_with(
            "skipped 3 documents that are not SES events, and 3 inputs that hold no SES event\n"
        ),
        "{err}"
    );
}

#[test]
fn a_terminal_on_standard_input_gets_a_hint() {
    let screen = on_a_terminal("sesinspect summary", b"\x04");
    assert!(
        screen.starts_with("sesinspect: reading events from standard input (the terminal)"),
        "{screen:?}"
    );
    let (_, _, err) = run_with_stdin(&["summary"], Vec::new());
    assert!(
        !err.contains("reading events"),
        "no hint when stdin is not a terminal"
    );
}
