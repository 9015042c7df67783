//! Completion: the committed registration scripts match what the binary generates, so they
//! never drift, and the binary completes commands, field names and statuses when the shell asks.

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

/// What the binary offers when bash asks it to complete word `index` of `words`.
fn offered(words: &[&str], index: usize) -> Vec<String> {
    let mut args = vec!["--", "sesinspect"];
    args.extend_from_slice(words);
    let (code, out, err) = crate::harness::sesinspect(&args)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", &index.to_string())
        .env("_CLAP_IFS", "\n")
        .run();
    assert_eq!(code, 0, "{err}");
    out.lines().map(str::to_string).collect()
}

#[test]
fn completes_field_names_after_each_comma_and_values_in_where() {
    assert_eq!(
        offered(&["fields", "-F", "ses_id,sp"], 3),
        ["ses_id,spf", "ses_id,spam"]
    );
    assert_eq!(offered(&["fields", "-F", "from_d"], 3), ["from_domain"]);
    assert_eq!(
        offered(&["stats", "--where", "dmarc_p"], 3),
        ["dmarc_policy="]
    );
    assert_eq!(
        offered(&["summary", "--where", "spf=fail|action=S"], 3),
        [
            "spf=fail|action=S3",
            "spf=fail|action=SNS",
            "spf=fail|action=Stop"
        ]
    );
    assert_eq!(offered(&["che"], 1), ["check"]);
    assert!(
        offered(&["summary", "examples/sev"], 2)
            .contains(&"examples/several-records.json".to_string()),
        "files are still completed"
    );
}
