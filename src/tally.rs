//! Counts of verdict statuses over many messages, mergeable batch by batch: summary's totals
//! line and the verdict table of `stats`.

use crate::model::{Message, Status};
use crate::select::VERDICTS;

/// How often each status (or none: missing) was seen, for one verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts(Vec<(Option<String>, u64)>);

impl StatusCounts {
    pub fn add(&mut self, status: Option<&str>, n: u64) {
        match self.0.iter_mut().find(|(s, _)| s.as_deref() == status) {
            Some((_, count)) => *count += n,
            None => self.0.push((status.map(str::to_string), n)),
        }
    }

    pub fn get(&self, status: Option<&str>) -> u64 {
        self.0
            .iter()
            .find(|(s, _)| s.as_deref() == status)
            .map_or(0, |(_, n)| *n)
    }

    /// The statuses seen, in display order: PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED, any
    /// other (alphabetically), then missing.
    pub fn sorted(&self) -> Vec<(Option<&str>, u64)> {
        let mut sorted: Vec<(Option<&str>, u64)> =
            self.0.iter().map(|(s, n)| (s.as_deref(), *n)).collect();
        sorted.sort_by_key(|(status, _)| rank(*status));
        sorted
    }
}

/// The known statuses, in display order.
pub const STATUSES: [&str; 5] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"];

fn rank(status: Option<&str>) -> (usize, String) {
    match status {
        None => (STATUSES.len() + 1, String::new()),
        Some(text) => match STATUSES.iter().position(|s| *s == text) {
            Some(i) => (i, String::new()),
            None => (STATUSES.len(), text.to_string()),
        },
    }
}

/// Status counts for each of the five verdicts, in `VERDICTS` order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerdictCounts(pub [StatusCounts; 5]);

impl VerdictCounts {
    pub fn add(&mut self, message: &Message) {
        for (name, counts) in VERDICTS.iter().zip(&mut self.0) {
            counts.add(message.verdict(name).map(Status::as_str), 1);
        }
    }

    pub fn merge(&mut self, other: &VerdictCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            for (status, n) in &theirs.0 {
                mine.add(status.as_deref(), *n);
            }
        }
    }

    /// Each verdict's name with its counts.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &StatusCounts)> {
        VERDICTS.iter().copied().zip(&self.0)
    }
}

/// How tables title a verdict.
pub fn label(verdict: &str) -> &'static str {
    match verdict {
        "spf" => "SPF",
        "dkim" => "DKIM",
        "dmarc" => "DMARC",
        "spam" => "Spam",
        _ => "Virus",
    }
}

/// The status a text names, for colouring.
pub fn status_of(text: &str) -> Status<'_> {
    Status::from_text(text.into())
}
