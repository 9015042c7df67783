//! The exit codes, in one place.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: everything was read and shown.
    Success,
    /// 1: `check` found a message that fails its requirements.
    CheckFailed,
    /// 2: a usage error, or an input that could not be read or decoded (after everything
    /// decodable was still processed and printed). Wins over 1.
    Trouble,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Success => 0,
            Outcome::CheckFailed => 1,
            Outcome::Trouble => 2,
        })
    }
}
