//! The README's examples run as tests, so the documentation cannot go stale: `console` blocks
//! through trycmd, and the escaping example (whose backslashes trycmd would rewrite) here.

use crate::harness::{root, run};

#[test]
fn readme_examples_are_true() {
    trycmd::TestCases::new()
        .register_bin("sesinspect", assert_cmd::cargo::cargo_bin("sesinspect"))
        .env("NO_COLOR", "1")
        .case("README.md");
}

#[test]
fn readme_escaping_example_is_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let marker = "checked by tests/it/readme.rs";
    let block = readme
        .split_once(marker)
        .and_then(|(_, rest)| rest.split_once("```text\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the escaping example block");
    let (command, expected) = block
        .split_once('\n')
        .expect("a command line and its output");
    let args: Vec<&str> = command
        .trim_start_matches("$ sesinspect ")
        .split(' ')
        .collect();
    let (code, actual, _) = run(&args);
    assert_eq!(code, 0);
    assert_eq!(actual, expected);
}
