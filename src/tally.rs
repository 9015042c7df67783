//! Counts of verdict statuses over many messages, mergeable batch by batch: summary's totals
//! line and the verdict table of `stats`.

use crate::model::{Message, Status, Verdict};

/// How often each status (or none: missing) was seen, for one verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts(Vec<(Option<Status<'static>>, u64)>);

impl StatusCounts {
    pub fn add(&mut self, status: Option<&Status>, n: u64) {
        match self.0.iter_mut().find(|(s, _)| s.as_ref() == status) {
            Some((_, count)) => *count += n,
            None => self.0.push((status.map(|s| s.clone().into_owned()), n)),
        }
    }

    pub fn get(&self, status: Option<&Status>) -> u64 {
        self.0
            .iter()
            .find(|(s, _)| s.as_ref() == status)
            .map_or(0, |(_, n)| *n)
    }

    /// The statuses seen, in display order: PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED, any
    /// other (alphabetically), then missing.
    pub fn sorted(&self) -> Vec<(Option<&Status<'static>>, u64)> {
        let mut sorted: Vec<(Option<&Status>, u64)> =
            self.0.iter().map(|(s, n)| (s.as_ref(), *n)).collect();
        sorted.sort_by_key(|(status, _)| (status.is_none(), *status));
        sorted
    }
}

/// Status counts for each verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerdictCounts([StatusCounts; 5]);

impl VerdictCounts {
    pub fn add(&mut self, message: &Message) {
        for verdict in Verdict::ALL {
            self.0[verdict.index()].add(message.verdict_as_read(verdict), 1);
        }
    }

    pub fn merge(&mut self, other: &VerdictCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            for (status, n) in &theirs.0 {
                mine.add(status.as_ref(), *n);
            }
        }
    }

    /// Each verdict with its counts.
    pub fn iter(&self) -> impl Iterator<Item = (Verdict, &StatusCounts)> {
        Verdict::ALL.into_iter().zip(&self.0)
    }
}
