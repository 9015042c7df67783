//! The progress line on stderr for long runs: bytes read (of the total, when the inputs are
//! files), messages and rates. It appears only once a run has lasted a moment, only when the
//! command asked for it (stderr a terminal that the output does not share), and is cleared
//! before the results are printed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this never show a line.
const DELAY: Duration = Duration::from_millis(300);

/// The progress of one run.
pub struct Progress {
    /// Present when progress is wanted; hidden until `DELAY` has passed.
    bar: Option<ProgressBar>,
    shown: bool,
    started: Instant,
    /// Bytes read from the inputs, counted by the reader.
    read: Arc<AtomicU64>,
    messages: u64,
}

impl Progress {
    /// Progress of reading `total` bytes (unknown for standard input), drawn when `wanted`.
    pub fn new(wanted: bool, total: Option<u64>) -> Progress {
        let bar = wanted.then(|| {
            let template = if total.is_some() {
                "{bar:24} {bytes}/{total_bytes} ({bytes_per_sec}) · {msg} · {elapsed}"
            } else {
                "{bytes} ({bytes_per_sec}) · {msg} · {elapsed}"
            };
            let style = ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("█▌ ");
            ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden()).with_style(style)
        });
        Progress {
            bar,
            shown: false,
            started: Instant::now(),
            read: Arc::new(AtomicU64::new(0)),
            messages: 0,
        }
    }

    /// Where the reader counts the bytes it reads.
    pub fn counter(&self) -> &Arc<AtomicU64> {
        &self.read
    }

    /// `messages` more were read.
    pub fn advance(&mut self, messages: usize) {
        self.messages += messages as u64;
        let Some(bar) = &self.bar else {
            return;
        };
        let elapsed = self.started.elapsed();
        if !self.shown && elapsed >= DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.set_message(messages_line(self.messages, elapsed));
        bar.set_position(self.read.load(Ordering::Relaxed));
    }

    /// Runs `say` (which writes to stderr) with the line out of the way.
    pub fn suspend<R>(&self, say: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(say),
            _ => say(),
        }
    }

    /// Clears the line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A run that ends early (stdout closed) clears its line too.
impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `12,345 messages (4,100/s)`.
fn messages_line(messages: u64, elapsed: Duration) -> String {
    let rate = messages as f64 / elapsed.as_secs_f64().max(0.001);
    let noun = if messages == 1 { "message" } else { "messages" };
    format!(
        "{} {noun} ({}/s)",
        grouped(messages),
        grouped(rate.round() as u64)
    )
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_messages_and_their_rate() {
        assert_eq!(
            messages_line(12_345, Duration::from_secs(3)),
            "12,345 messages (4,115/s)"
        );
        assert_eq!(messages_line(1, Duration::from_secs(2)), "1 message (1/s)");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
