//! A small harness: the binary with a clean environment, and paths to shipped files.

use std::path::PathBuf;

use assert_cmd::Command;

/// `sesinspect` run from the package root, with no colour variables inherited.
pub fn sesinspect() -> Command {
    let mut command = Command::cargo_bin("sesinspect").expect("the binary is built for tests");
    command
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `sesinspect ARGS`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_with_stdin(args, Vec::new())
}

pub fn run_with_stdin(args: &[&str], stdin: Vec<u8>) -> (i32, String, String) {
    let output = sesinspect()
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("sesinspect runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Parses `summary --format json` output.
pub fn json_rows(stdout: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str(stdout) {
        Ok(serde_json::Value::Array(rows)) => rows,
        other => panic!("expected a JSON array, got {other:?} from {stdout}"),
    }
}
