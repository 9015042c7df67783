//! Horizontal bar charts for people: one labelled bar per line, stacked from segments that are
//! told apart by their glyph as well as their colour (so they read without colour too), scaled
//! to the widest bar and to the width available.

use std::io::{self, Write};

use super::table::display_width;
use crate::color::Palette;
use crate::model::Status;

/// What a segment stands for, which decides its glyph and colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shade {
    /// A verdict status.
    Status(Status<'static>),
    /// No status: the verdict is missing.
    Missing,
}

impl Shade {
    fn glyph(&self) -> char {
        match self {
            Shade::Status(Status::Pass) => '█',
            Shade::Status(Status::Fail) => '▓',
            Shade::Status(Status::Gray) => '▒',
            Shade::Status(Status::ProcessingFailed) => '░',
            Shade::Status(Status::Disabled) => '=',
            Shade::Status(Status::Other(_)) => '?',
            Shade::Missing => '-',
        }
    }

    fn paint(&self, text: &str, palette: Palette) -> String {
        match self {
            Shade::Status(status) => palette.status(status, text),
            Shade::Missing => palette.dim(text),
        }
    }

    /// `█ passed`: the glyph in its colour, then what it stands for.
    pub fn key(&self, meaning: &str, palette: Palette) -> String {
        format!(
            "{} {meaning}",
            self.paint(&self.glyph().to_string(), palette)
        )
    }
}

/// One line of a chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Escaped text.
    pub label: String,
    pub segments: Vec<(u64, Shade)>,
    /// What follows the bar (its counts), escaped and possibly coloured.
    pub note: String,
}

/// Bars are never longer than this, nor shorter than `SHORTEST` when the width is tight.
const LONGEST: usize = 40;
const SHORTEST: usize = 10;

/// Writes the bars, scaled so that the longest total fills the bar width.
pub fn write(
    bars: &[Bar],
    palette: Palette,
    width: Option<usize>,
    out: &mut impl Write,
) -> io::Result<()> {
    let label_width = bars
        .iter()
        .map(|b| display_width(&b.label))
        .max()
        .unwrap_or(0);
    let note_width = bars
        .iter()
        .map(|b| display_width(&b.note))
        .max()
        .unwrap_or(0);
    let room = width.map_or(LONGEST, |w| w.saturating_sub(label_width + note_width + 4));
    let bar_width = room.clamp(SHORTEST, LONGEST);
    let most = bars
        .iter()
        .map(|b| b.segments.iter().map(|(n, _)| n).sum::<u64>())
        .max()
        .unwrap_or(0);
    for bar in bars {
        let mut line = bar.label.clone();
        line.push_str(&" ".repeat(label_width - display_width(&bar.label) + 2));
        let mut drawn = 0;
        for (length, shade) in lengths(&bar.segments, most, bar_width) {
            let glyphs: String = std::iter::repeat_n(shade.glyph(), length).collect();
            line.push_str(&shade.paint(&glyphs, palette));
            drawn += length;
        }
        line.push_str(&" ".repeat(bar_width - drawn.min(bar_width) + 2));
        line.push_str(&bar.note);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Each segment's length in glyphs: the bar is `total / most` of `width`, shared among its
/// segments by largest remainder, and a segment that has any count shows at least one glyph.
fn lengths(segments: &[(u64, Shade)], most: u64, width: usize) -> Vec<(usize, &Shade)> {
    if most == 0 {
        return Vec::new();
    }
    let exact: Vec<f64> = segments
        .iter()
        .map(|(n, _)| *n as f64 * width as f64 / most as f64)
        .collect();
    let total = exact.iter().sum::<f64>().round() as usize;
    let mut lengths: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let mut left = total.saturating_sub(lengths.iter().sum());
    for i in order {
        if left == 0 {
            break;
        }
        lengths[i] += 1;
        left -= 1;
    }
    for (length, (n, _)) in lengths.iter_mut().zip(segments) {
        if *n > 0 && *length == 0 {
            *length = 1;
        }
    }
    // What the small segments gained, the longest gives back.
    while lengths.iter().sum::<usize>() > total.max(lengths.iter().filter(|l| **l > 0).count()) {
        if let Some(longest) = lengths.iter_mut().max() {
            *longest -= 1;
        }
    }
    lengths
        .into_iter()
        .zip(segments)
        .filter(|(length, _)| *length > 0)
        .map(|(length, (_, shade))| (length, shade))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(bars: &[Bar], width: Option<usize>) -> String {
        let mut out = Vec::new();
        write(bars, Palette { enabled: false }, width, &mut out).expect("in memory");
        String::from_utf8(out).expect("UTF-8")
    }

    fn bar(label: &str, pass: u64, fail: u64) -> Bar {
        Bar {
            label: label.to_string(),
            segments: vec![
                (pass, Shade::Status(Status::Pass)),
                (fail, Shade::Status(Status::Fail)),
            ],
            note: (pass + fail).to_string(),
        }
    }

    #[test]
    fn scales_stacks_and_aligns() {
        let chart = draw(
            &[bar("10:00", 6, 2), bar("11:00", 0, 0), bar("12:00", 3, 1)],
            Some(30),
        );
        assert_eq!(
            chart,
            "10:00  ███████████████▓▓▓▓▓  8\n11:00                        0\n12:00  ████████▓▓            4\n"
        );
    }

    #[test]
    fn a_small_count_still_shows() {
        let chart = draw(&[bar("a", 1000, 1)], None);
        assert!(chart.contains('▓'), "{chart}");
        assert_eq!(
            chart.chars().filter(|c| *c == '█' || *c == '▓').count(),
            LONGEST
        );
    }
}
