//! What reaches stdout: escaping of hostile text, TSV and CSV quoting, colour rules, pipes.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::harness::{json_rows, root, run, run_with_stdin, sesinspect};

const HOSTILE: &str = "examples/hostile-subject.json";

#[test]
fn hostile_text_is_escaped_in_tables_and_tsv_but_exact_in_json() {
    let (_, table, _) = run(&["summary", HOSTILE]);
    let (_, tsv, _) = run(&["summary", "-f", "tsv", HOSTILE]);
    for out in [&table, &tsv] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'),
            "{out}"
        );
        assert!(
            out.contains("Urgent\\u{1b}[2J\\u{1b}[31m PAY NOW\\u{7}\\u{200b}"),
            "{out}"
        );
        assert!(
            out.contains("Admin\\u{202e}<moc.elpmaxe@nimda>\\u{202c}"),
            "{out}"
        );
    }
    let (_, json, _) = run(&["summary", "-f", "json", HOSTILE]);
    assert_eq!(
        json_rows(&json)[0]["subject"],
        "Urgent\u{1b}[2J\u{1b}[31m PAY NOW\u{7}\u{200b}"
    );
}

#[test]
fn tsv_escapes_like_jq_and_csv_quotes_like_rfc_4180() {
    let event = r#"{"mail":{"commonHeaders":{"subject":"a\tb\\c\nd, \"e\"","from":["x","y"]}},"receipt":{}}"#;
    let (_, tsv, _) = run_with_stdin(&["summary", "-f", "tsv"], event.as_bytes().to_vec());
    let row: Vec<&str> = tsv.lines().nth(1).expect("a row").split('\t').collect();
    assert_eq!((row[5], row[11]), ("x, y", "a\\tb\\\\c\\nd, \"e\""));
    let (_, csv, _) = run_with_stdin(&["summary", "-f", "csv"], event.as_bytes().to_vec());
    assert!(csv.starts_with("input,timestamp,ses_id,"), "{csv}");
    assert!(csv.contains(",\"x, y\","), "{csv}");
    assert!(csv.contains(",\"a\tb\\c\nd, \"\"e\"\"\","), "{csv}");
    assert!(csv.ends_with("\r\n"));
}

#[test]
fn ndjson_is_one_object_per_line() {
    let (code, out, _) = run(&["summary", "-f", "ndjson", "examples/stream.ndjson"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
}

#[test]
fn colour_follows_flag_then_no_color_then_clicolor_force_then_terminal() {
    let example = "examples/failing-verdicts.json";
    let coloured = |out: &[u8]| out.windows(2).any(|w| w == b"\x1b[");
    let out = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["summary", example];
        args.extend_from_slice(extra);
        let invocation = env
            .iter()
            .fold(sesinspect(&args), |run, (k, v)| run.env(k, v));
        invocation.run().1.into_bytes()
    };
    assert!(!coloured(&out(&[], &[])), "not a terminal: no colour");
    assert!(coloured(&out(&["--color", "always"], &[("NO_COLOR", "1")])));
    assert!(!coloured(&out(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(coloured(&out(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!coloured(&out(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    let red_fail = "\x1b[1m\x1b[31mFAIL";
    let table = String::from_utf8_lossy(&out(&["--color", "always"], &[])).into_owned();
    assert!(
        table.contains(red_fail)
            || table.contains("\x1b[31m\x1b[1mFAIL")
            || table.contains("\x1b[31;1mFAIL"),
        "{table:?}"
    );
    assert!(
        table.contains("\x1b[32mPASS") || !table.contains("PASS"),
        "{table:?}"
    );
    let (_, json, _) = run(&["summary", "-f", "json", "--color", "always", example]);
    assert!(!json.contains('\u{1b}'), "JSON is never coloured");
}

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("sesinspect")
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let line = std::fs::read_to_string(root().join("examples/stream.ndjson")).expect("example");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("big.ndjson");
    std::fs::write(&path, line.repeat(2000)).expect("written");
    let mut child = Command::new(binary())
        .args(["summary", "-f", "ndjson"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    // The reader is dropped here: the pipe closes with output still to come.
    let status = child.wait().expect("exits");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(first.starts_with("{\"input\""));
    assert_eq!((status.code(), stderr.as_str()), (Some(0), ""));
}

#[test]
fn stdin_is_processed_as_it_arrives() {
    let event = std::fs::read_to_string(root().join("examples/stream.ndjson")).expect("example");
    let first_line = event.lines().next().expect("a line").to_string();
    let mut child = Command::new(binary())
        .args(["summary", "-f", "ndjson"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{first_line}\n").as_bytes())
        .expect("written");
    stdin.flush().expect("flushed");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver.recv_timeout(Duration::from_secs(20));
    drop(stdin);
    let _ = child.wait();
    let line = line.expect("a row arrived while stdin was still open");
    assert!(
        line.contains("\"ses_id\":\"s000000000000000000000000000000000000000\""),
        "{line}"
    );
}

#[test]
fn columns_sets_the_width_also_into_a_pipe() {
    let wide = run(&["headers", "examples/forwarded-list-mail.json"]).1;
    assert!(wide.lines().any(|l| l.chars().count() > 100));
    let (_, narrow, _) = sesinspect(&["headers", "examples/forwarded-list-mail.json"])
        .env("COLUMNS", "60")
        .run();
    assert!(narrow.lines().all(|l| l.chars().count() <= 60), "{narrow}");
}

#[test]
fn progress_shows_on_a_terminal_for_long_runs_and_is_cleared() {
    let slow = "(cat examples/lambda-event.json; sleep 1; cat examples/lambda-event.json) | sesinspect stats -f json > /dev/null";
    let screen = crate::harness::on_a_terminal(slow, b"");
    assert!(screen.contains(" · 2 messages ("), "{screen:?}");
    assert!(
        screen.ends_with("\r\u{1b}[2K"),
        "cleared at the end: {screen:?}"
    );
    let quick = crate::harness::on_a_terminal(
        "sesinspect stats -f json examples/lambda-event.json > /dev/null",
        b"",
    );
    assert_eq!(quick, "", "a short run shows nothing");
    let quiet = crate::harness::on_a_terminal(&slow.replace("stats -f json", "check -q"), b"");
    assert_eq!(quiet, "", "nor does check --quiet");
}
