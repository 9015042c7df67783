//! Replays every input kept from fuzzing (`tests/fixtures/fuzz/TARGET/*`, see the README's
//! development section) through the whole program: each must end with exit code 0, 1 or 2, never
//! a panic or a signal, and quickly. A file dropped into a target's folder is a new case.
//!
//! The bytes reach the program the way the target used them: inputs of the framing, decoding and
//! command targets (less the leading bytes that chose a mode or read sizes) and Python reprs as a
//! file to read; header text as the values of the headers of a received message; selector text
//! as `--where` expressions.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::harness::{root, run};

/// Every command reads the inputs of the framing and decoding targets.
const COMMANDS: &[&[&str]] = &[
    &["summary"],
    &[
        "fields",
        "-f",
        "json",
        "-F",
        "subject,from_domain,header:From",
    ],
    &["check"],
    &["auth", "-f", "json"],
    &["stats"],
];

/// The events that selector text is tried on.
const EVENTS: &[&str] = &[
    "tests/fixtures/public/aws-sam-cli__SesEmailReceiving.json",
    "tests/fixtures/sending/janis-commerce__aws-listener-test__sns-message-bounce-with-headers.json",
];

/// Far more than a run takes; a run past it is stuck on its input.
const TIME_LIMIT: Duration = Duration::from_secs(5);

/// The runs a kept input makes: the arguments of each, whose last may be the input file.
fn runs(target: &str, bytes: &[u8], scratch: &Path) -> Vec<Vec<String>> {
    let input = |bytes: &[u8]| {
        let path = scratch.join("input");
        std::fs::write(&path, bytes).expect("the input is written");
        path.to_string_lossy().into_owned()
    };
    let on = |file: String, commands: &[&[&str]]| {
        commands
            .iter()
            .map(|command| {
                let mut args: Vec<String> = command.iter().map(|a| a.to_string()).collect();
                args.push(file.clone());
                args
            })
            .collect()
    };
    match target {
        "frame" | "decode" | "command" => on(input(bytes.get(1..).unwrap_or_default()), COMMANDS),
        "frame_differential" => {
            let skip = bytes
                .get(1)
                .map_or(0, |count| 2 + usize::from(count % 16) + 1);
            on(input(bytes.get(skip..).unwrap_or_default()), COMMANDS)
        }
        "repr" => on(input(bytes), COMMANDS),
        "mail_headers" => {
            let text = String::from_utf8_lossy(bytes);
            let commands: &[&[&str]] =
                &[&["headers"], &["hops"], &["auth"], &["auth", "-f", "json"]];
            on(input(with_headers(&text).as_bytes()), commands)
        }
        "select" => where_runs(bytes),
        other => panic!("tests/fixtures/fuzz/{other}: no fuzz target has this name"),
    }
}

/// A received message whose headers all hold `text`, and which has the input's `Name: value`
/// lines as headers too.
fn with_headers(text: &str) -> String {
    let example = std::fs::read_to_string(root().join("examples/lambda-event.json"))
        .expect("the example exists");
    let mut event: serde_json::Value = serde_json::from_str(&example).expect("valid JSON");
    let names = [
        "Received",
        "Authentication-Results",
        "Received-SPF",
        "DKIM-Signature",
        "ARC-Authentication-Results",
        "From",
        "Subject",
    ];
    let mut headers: Vec<serde_json::Value> = names
        .iter()
        .map(|name| serde_json::json!({"name": name, "value": text}))
        .collect();
    headers.extend(
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| serde_json::json!({"name": name, "value": value})),
    );
    let mail = &mut event["Records"][0]["ses"]["mail"];
    mail["headers"] = serde_json::Value::Array(headers);
    mail["commonHeaders"]["from"] = serde_json::json!([text]);
    mail["commonHeaders"]["subject"] = serde_json::json!(text);
    event.to_string()
}

/// The selector target's input: a byte of flags (1 `--failed`, 2 `--per-recipient`), then one
/// condition a line.
fn where_runs(bytes: &[u8]) -> Vec<Vec<String>> {
    let Some((flags, text)) = bytes.split_first() else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(text);
    let mut args = vec![
        "summary".to_string(),
        "-f".to_string(),
        "ndjson".to_string(),
    ];
    for line in text.lines().filter(|line| !line.contains('\0')) {
        args.extend(["--where".to_string(), line.to_string()]);
    }
    if flags & 1 != 0 {
        args.push("--failed".to_string());
    }
    if flags & 2 != 0 {
        args.push("--per-recipient".to_string());
    }
    args.extend(EVENTS.iter().map(|event| event.to_string()));
    vec![args]
}

/// The kept inputs, as (target, file), in name order.
fn kept_inputs() -> Vec<(String, PathBuf)> {
    let folder = root().join("tests/fixtures/fuzz");
    let mut kept = Vec::new();
    for target in std::fs::read_dir(&folder).expect("tests/fixtures/fuzz exists") {
        let target = target.expect("a readable folder").path();
        let name = target.file_name().unwrap_or_default();
        let name = name.to_string_lossy().into_owned();
        for file in std::fs::read_dir(&target).expect("a target's folder") {
            kept.push((name.clone(), file.expect("a readable file").path()));
        }
    }
    kept.sort();
    kept
}

#[test]
fn every_kept_fuzz_input_runs_to_a_normal_end() {
    let scratch = TempDir::new().expect("temp dir");
    let kept = kept_inputs();
    assert!(
        !kept.is_empty(),
        "tests/fixtures/fuzz holds the kept inputs"
    );
    let mut failures = Vec::new();
    for (target, file) in &kept {
        let bytes = std::fs::read(file).expect("a kept input is readable");
        for args in runs(target, &bytes, scratch.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let started = Instant::now();
            let (code, _, stderr) = run(&args);
            let took = started.elapsed();
            let normal = matches!(code, 0..=2) && !stderr.contains("panicked");
            if !normal || took > TIME_LIMIT {
                failures.push(format!(
                    "{}: sesinspect {} → exit {code} in {took:?}\n{stderr}",
                    file.display(),
                    args[..args.len() - 1].join(" ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_kind_of_kept_input_reaches_the_program() {
    let scratch = TempDir::new().expect("temp dir");
    let event = std::fs::read(root().join(EVENTS[0])).expect("the event exists");
    let mut framed = vec![1];
    framed.extend_from_slice(&event);
    let runs_of = |target: &str, bytes: &[u8]| runs(target, bytes, scratch.path());
    let (code, stdout, _) = run(&strs(&runs_of("decode", &framed)[0]));
    assert_eq!(code, 0);
    assert!(stdout.contains("PASS"), "{stdout}");
    let mut chunked = vec![1, 1, 7, 9];
    chunked.extend_from_slice(&event);
    let (code, _, stderr) = run(&strs(&runs_of("frame_differential", &chunked)[0]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let headers = runs_of(
        "mail_headers",
        b"Received: from a.example (a.example [192.0.2.7]) by b",
    );
    let (code, stdout, _) = run(&strs(&headers[1]));
    assert_eq!(code, 0);
    assert!(stdout.contains("192.0.2.7"), "{stdout}");
    let (code, stdout, _) = run(&strs(&runs_of("select", b"\0spf=pass")[0]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}
