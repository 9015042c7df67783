//! The harness: `sesinspect ARGS`, run from the package root with a clean environment, as one
//! small builder — `sesinspect(&["summary", path]).stdin(bytes).env("NO_COLOR", "1").run()`
//! gives (exit code, stdout, stderr) — with shorthands for the common cases.

use std::path::PathBuf;

use assert_cmd::Command;

/// One run of the binary being set up.
pub struct Invocation {
    command: Command,
    stdin: Vec<u8>,
}

/// `sesinspect ARGS`, with no colour or width variables inherited.
pub fn sesinspect(args: &[&str]) -> Invocation {
    let mut command = Command::cargo_bin("sesinspect").expect("the binary is built for tests");
    command
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env_remove("COMPLETE")
        .args(args);
    Invocation {
        command,
        stdin: Vec::new(),
    }
}

impl Invocation {
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Invocation {
        self.stdin = bytes.into();
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Invocation {
        self.command.env(name, value);
        self
    }

    /// Runs it to the end: (exit code, stdout, stderr).
    pub fn run(mut self) -> (i32, String, String) {
        let output = self
            .command
            .write_stdin(self.stdin)
            .output()
            .expect("sesinspect runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `sesinspect ARGS` with nothing on standard input.
pub fn run(args: &[&str]) -> (i32, String, String) {
    sesinspect(args).run()
}

pub fn run_with_stdin(args: &[&str], stdin: Vec<u8>) -> (i32, String, String) {
    sesinspect(args).stdin(stdin).run()
}

/// Parses output that is a JSON array.
pub fn json_rows(stdout: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str(stdout) {
        Ok(serde_json::Value::Array(rows)) => rows,
        other => panic!("expected a JSON array, got {other:?} from {stdout}"),
    }
}

/// Runs `sesinspect ARGS`, which must succeed and print a JSON array.
pub fn json_array(args: &[&str]) -> Vec<serde_json::Value> {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    json_rows(&out)
}

/// Runs the shell command line `command`, in which `sesinspect` names the binary under test, on
/// a terminal made by `script` (util-linux), typing `keys`; returns what the terminal showed.
pub fn on_a_terminal(command: &str, keys: &[u8]) -> String {
    let binary = assert_cmd::cargo::cargo_bin("sesinspect");
    let command = command.replace("sesinspect", &binary.to_string_lossy());
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    let output = assert_cmd::Command::from_std(script)
        .write_stdin(keys.to_vec())
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}
