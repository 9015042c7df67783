//! The committed completion scripts match what the binary generates, so they never drift.

use crate::harness::{root, run};

const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "sesinspect.bash"),
    ("zsh", "_sesinspect"),
    ("fish", "sesinspect.fish"),
    ("powershell", "_sesinspect.ps1"),
    ("elvish", "sesinspect.elv"),
];

#[test]
fn committed_completions_are_current() {
    for (shell, file) in SCRIPTS {
        let (code, generated, _) = run(&["completions", shell]);
        assert_eq!(code, 0);
        let committed =
            std::fs::read_to_string(root().join("completions").join(file)).unwrap_or_default();
        assert!(
            committed == generated,
            "completions/{file} is stale: run `cargo run -- completions {shell} > completions/{file}`"
        );
    }
}
