//! Problems found in the inputs, located to the input, line and column, and the reporter that
//! prints them as they happen and remembers that the run must not exit 0.

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use crate::input::frame::Position;
use crate::origin::{Step, write_steps};

/// An input, or part of one, that could not be read or is not an SES message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub input: Arc<str>,
    /// Where in the input, when the problem has a place.
    pub at: Option<Position>,
    /// The steps into the document at which the problem was found.
    pub steps: Vec<Step>,
    pub message: String,
}

impl InputError {
    pub fn whole(input: &Arc<str>, message: impl Into<String>) -> Self {
        InputError {
            input: Arc::clone(input),
            at: None,
            steps: Vec::new(),
            message: message.into(),
        }
    }

    pub fn at(
        input: &Arc<str>,
        at: Position,
        steps: Vec<Step>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            input: Arc::clone(input),
            at: Some(at),
            steps,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.input)?;
        if let Some(at) = self.at {
            write!(f, ":{}:{}", at.line, at.column)?;
        }
        if !self.steps.is_empty() {
            write_steps(f, &self.steps)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Prints problems to stderr as `sesinspect: …` and counts them.
#[derive(Debug, Default)]
pub struct Reporter {
    input_errors: usize,
}

impl Reporter {
    pub fn input_error(&mut self, error: &InputError) {
        self.input_errors += 1;
        say(error);
    }

    /// A remark that is not a failure (for example, an input holding no message).
    pub fn note(&self, message: impl fmt::Display) {
        say(message);
    }

    /// True once any input could not be read or decoded.
    pub fn failed(&self) -> bool {
        self.input_errors > 0
    }

    /// How many input problems have been reported so far.
    pub fn input_errors(&self) -> usize {
        self.input_errors
    }
}

fn say(message: impl fmt::Display) {
    // stderr is unbuffered; one write per line keeps lines whole when several processes share it.
    let line = format!("sesinspect: {message}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
