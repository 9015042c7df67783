//! Problems found in the inputs — what kind, where (an [`Origin`]) and what is wrong — and the
//! reporter that prints them as they happen and remembers that the run must not exit 0.

use std::cell::RefCell;
use std::fmt;
use std::io::Write;

use crate::origin::Origin;
use crate::sanitize::{Escaping, escape_into};

/// What kind of problem an input has: tests and callers tell problems apart by kind, people by
/// the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Well-formed JSON that is not an SES event (nor an envelope or log holding one): what
    /// `--skip-foreign` skips.
    NotSes,
    /// An object that claims to be an SES event but lacks its `mail` or its `receipt`.
    IncompleteSes,
    /// Text that is not valid JSON.
    Syntax,
    /// A field of the wrong type (`recipients: [1]`).
    WrongType,
    /// Bytes that cannot be read as text: invalid UTF-8, base64 or gzip, or output that lost
    /// the event (Node's `console.log`).
    Encoding,
    /// The document's boundaries: cut off by the end of the input, a string broken by a line
    /// end, an input that is not text at all.
    Framing,
    /// The input could not be opened or read.
    Io,
    /// Something larger than sesinspect is willing to hold.
    OverLimit,
    /// A value `redact --strict` could not classify: its document was not written.
    Unclassified,
}

/// One problem with an input, or with part of one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problem {
    pub kind: ProblemKind,
    pub origin: Origin,
    pub message: String,
}

impl Problem {
    pub fn new(kind: ProblemKind, origin: Origin, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            origin,
            message: message.into(),
        }
    }
}

/// `FILE:LINE:COLUMN chain: message`.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.origin.exact(), self.message)
    }
}

/// Prints problems to stderr as `sesinspect: …` (escaped: see [`say`]) and counts them.
#[derive(Debug, Default)]
pub struct Reporter {
    problems: usize,
    /// Lines kept instead of printed (see `keeping`).
    kept: Option<RefCell<Vec<String>>>,
}

impl Reporter {
    /// A reporter that keeps each line it would print, unescaped: for comparing what runs said.
    pub fn keeping() -> Reporter {
        Reporter {
            problems: 0,
            kept: Some(RefCell::default()),
        }
    }

    /// The lines kept by a reporter made with `keeping`.
    pub fn kept(self) -> Vec<String> {
        self.kept.map(RefCell::into_inner).unwrap_or_default()
    }

    pub fn problem(&mut self, problem: &Problem) {
        self.problems += 1;
        self.note(problem);
    }

    /// A remark that is not a failure (for example, an input holding no message).
    pub fn note(&self, message: impl fmt::Display) {
        match &self.kept {
            Some(kept) => kept.borrow_mut().push(message.to_string()),
            None => say(message),
        }
    }

    /// True once any input could not be read or decoded.
    pub fn failed(&self) -> bool {
        self.problems > 0
    }
}

/// Writes `sesinspect: message` as one line on stderr. The whole message is escaped, since it
/// may quote the input (a file name, an event type, an object key, a field name from the command
/// line): no control character, escape sequence, bidi or invisible character reaches the
/// terminal, and a line end inside is shown as `\n`. A stderr that cannot be written (closed, a
/// full disk) loses the line, quietly: the exit code still tells.
pub fn say(message: impl fmt::Display) {
    let mut line = String::from("sesinspect: ");
    escape_into(&message.to_string(), Escaping::Display, &mut line);
    line.push('\n');
    // stderr is unbuffered; one write per line keeps lines whole when several processes share it.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
