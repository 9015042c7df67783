//! Help and the manual: every command's long help ends with examples and the exit codes, `help`
//! is a command like the others, and the committed man page is what the binary prints.

use crate::harness::{root, run};

const COMMANDS: [&str; 10] = [
    "summary",
    "fields",
    "headers",
    "hops",
    "auth",
    "check",
    "stats",
    "completions",
    "man",
    "help",
];

#[test]
fn committed_man_page_is_current() {
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(root().join("man/sesinspect.1")).unwrap_or_default();
    assert!(
        committed == page,
        "man/sesinspect.1 is stale: run `cargo run -- man > man/sesinspect.1`"
    );
    for command in COMMANDS {
        let section = format!(".SH \"SESINSPECT {}\"", command.to_uppercase());
        assert!(page.contains(&section), "{section}");
    }
    assert!(page.contains(".SH \"EXIT STATUS\""));
}

#[test]
fn every_long_help_ends_with_examples_and_exit_codes() {
    for command in COMMANDS {
        let (code, help, _) = run(&[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        let examples = help.split("\nExamples:\n").nth(1).unwrap_or_default();
        let lines: Vec<&str> = examples.lines().take_while(|l| !l.is_empty()).collect();
        assert!(
            lines.len() >= 2 && lines[0].starts_with(&format!("  sesinspect {command}")),
            "{command}: {examples}"
        );
        let codes = help.split("\nExit status:\n").nth(1).unwrap_or_default();
        for line in lines.iter().chain(&codes.lines().collect::<Vec<_>>()) {
            assert!(
                line.chars().count() <= 78,
                "{command}: wraps at 80 columns: {line}"
            );
        }
        let expected = if command == "check" { 3 } else { 2 };
        assert_eq!(codes.lines().count(), expected, "{command}: {codes}");
        assert!(codes.starts_with("  0  success"), "{command}: {codes}");
    }
}

#[test]
fn help_is_a_command_with_help_of_its_own() {
    let (code, help, _) = run(&["help", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("Usage: sesinspect help [COMMAND]"), "{help}");
    assert_eq!(run(&["help", "fields"]).1, run(&["fields", "--help"]).1);
    assert_eq!(run(&["help"]).1, run(&["--help"]).1);
    let (code, _, err) = run(&["help", "sumary"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no command `sumary` (the commands are summary, fields"),
        "{err}"
    );
}

#[test]
fn help_says_what_is_true() {
    let (_, fields, _) = run(&["fields", "--help"]);
    assert!(
        fields.contains("TSV and CSV have no header row unless --header"),
        "{fields}"
    );
    let (_, summary, _) = run(&["summary", "--help"]);
    assert!(
        summary.contains("TSV and CSV start with a header row"),
        "{summary}"
    );
    let (_, auth, _) = run(&["auth", "--help"]);
    assert!(
        auth.contains("json:   a JSON array with one report object per message"),
        "{auth}"
    );
    for mention in [
        "directory",
        "Gzip",
        "envelopes",
        "CloudWatch",
        "standard input",
    ] {
        assert!(summary.contains(mention), "{mention} in {summary}");
    }
    let (_, completions, _) = run(&["completions", "--help"]);
    assert!(!completions.contains("--color"), "{completions}");
    let (_, list, _) = run(&["fields", "--list"]);
    let input = list.lines().next().unwrap_or_default();
    assert!(
        input.contains("the file and line of its document"),
        "{input}"
    );
}

#[test]
fn values_are_case_insensitive() {
    let several = "examples/several-records.json";
    let (code, json, _) = run(&["summary", "-f", "JSON", several]);
    assert_eq!(code, 0);
    assert!(json.starts_with("[\n{"), "{json}");
    let (code, out, _) = run(&["check", "--require", "SPF,Dkim", "--allow", "gray", several]);
    assert_eq!((code, out.lines().last()), (1, Some("3 checked, 1 failed")));
    let (code, table, _) = run(&["summary", "--color", "ALWAYS", several]);
    assert_eq!(code, 0);
    assert!(table.contains('\u{1b}'));
    assert_eq!(run(&["completions", "BASH"]).0, 0);
}

#[test]
fn the_readme_lists_the_exit_codes_as_the_program_does() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let (_, help, _) = run(&["check", "--help"]);
    let codes = help.split("\nExit status:\n").nth(1).unwrap_or_default();
    for line in codes.lines() {
        let (code, meaning) = line.trim().split_once("  ").expect("code and meaning");
        let row = format!(
            "| {code} | {} |",
            meaning.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        assert!(readme.contains(&row), "README.md lacks {row}");
    }
}
