//! The exit codes, in one place: what each means, for the program and for `--help`.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: everything was read and shown.
    Success,
    /// 1: `check` found an event that fails its requirements.
    CheckFailed,
    /// 2: a usage error, or an input that could not be read or decoded (after everything
    /// decodable was still processed and printed). Wins over 1.
    Trouble,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Success, Outcome::CheckFailed, Outcome::Trouble];

    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::CheckFailed => 1,
            Outcome::Trouble => 2,
        }
    }

    /// What the code tells whoever ran sesinspect.
    pub fn meaning(self) -> &'static str {
        match self {
            Outcome::Success => "success: every input was read and every message shown",
            Outcome::CheckFailed => {
                "`check` only: an event failed (a required verdict; a bounce, complaint…)"
            }
            Outcome::Trouble => {
                "a usage error, or an input (or part) that could not be read; wins over 1"
            }
        }
    }
}

/// The exit codes in words, as `--help` ends: `check` alone can exit 1.
pub fn described(for_check: bool) -> String {
    let mut text = String::from("Exit status:");
    for outcome in Outcome::ALL {
        if outcome == Outcome::CheckFailed && !for_check {
            continue;
        }
        text.push_str(&format!("\n  {}  {}", outcome.code(), outcome.meaning()));
    }
    text
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(outcome.code())
    }
}
