//! Tables for people: every cell escaped, verdicts in colour, missing values as a dim `—`, drawn
//! in a rounded box and wrapped to the terminal's width. The rows are kept in one string, their
//! cells joined, and the column widths are tracked as rows arrive, so a table of a million
//! messages stays small and costs no allocation a row.

use std::borrow::Cow;
use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use crate::color::Palette;
use crate::sanitize::{Escaping, escaped_cow};

/// How a missing value looks.
pub const MISSING: &str = "—";

/// Joins the cells of a stored row: escaped text never contains a raw control character.
const UNIT: char = '\u{1f}';

/// Columns never wrap narrower than this.
const NARROWEST: usize = 8;

/// The widest a cell is shown, in terminal columns: a longer one is cut and ends saying how many
/// characters were left out (the data formats keep every value whole). This keeps a table in
/// proportion to its input, whatever one cell holds: every row is padded to its columns' widths.
pub const WIDEST_CELL: usize = 1000;

/// The columns `… (N more characters)` may take, with up to 20 digits.
const CUT_NOTE_WIDTH: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of finished (escaped, coloured) cells.
#[derive(Debug, Default)]
pub struct Table {
    /// Column titles; a table whose titles are all empty has no header row.
    header: Vec<Cow<'static, str>>,
    align: Vec<Align>,
    /// Every row's cells, joined by [`UNIT`]; `row_ends[i]` is where row `i` ends.
    text: String,
    row_ends: Vec<usize>,
    /// Every cell's width, as measured when it was pushed (a cell is at most [`WIDEST_CELL`]
    /// wide), in the order of `text`.
    cell_widths: Vec<u16>,
    widths: Vec<usize>,
    /// The widest coloured cell of each column: coloured cells are never wrapped.
    rigid: Vec<usize>,
    /// Columns whose cells are never wrapped, coloured or not.
    whole: Vec<bool>,
}

impl Table {
    pub fn new<S: Into<Cow<'static, str>>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<Cow<str>> = header.into_iter().map(Into::into).collect();
        Table {
            align: vec![Align::Left; header.len()],
            widths: header.iter().map(|h| display_width(h)).collect(),
            rigid: vec![0; header.len()],
            whole: vec![false; header.len()],
            header,
            text: String::new(),
            row_ends: Vec::new(),
            cell_widths: Vec::new(),
        }
    }

    /// Never wraps the cells of `column` (times, verdicts, words).
    pub fn keep_whole(mut self, column: usize) -> Table {
        if let Some(whole) = self.whole.get_mut(column) {
            *whole = true;
        }
        self
    }

    /// Aligns every column after the first to the right (for tables of numbers).
    pub fn numbers_right(mut self) -> Table {
        for align in self.align.iter_mut().skip(1) {
            *align = Align::Right;
        }
        self
    }

    /// Adds a row of finished cells (`String`s, or text borrowed when nothing was made for it).
    pub fn push<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(UNIT);
            }
            if i >= self.widths.len() {
                self.widths.push(0);
                self.rigid.push(0);
                self.whole.push(false);
                self.align.push(Align::Left);
                self.header.push(Cow::Borrowed(""));
            }
            let cell = capped(cell.as_ref());
            let width = display_width(&cell);
            self.cell_widths
                .push(u16::try_from(width).unwrap_or(u16::MAX));
            self.widths[i] = self.widths[i].max(width);
            if cell.contains('\u{1b}') && coloured_span(&cell).is_none() {
                self.rigid[i] = self.rigid[i].max(width);
            }
            self.text.push_str(&cell);
        }
        self.row_ends.push(self.text.len());
    }

    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// How many rows it has.
    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    /// Each row's cells, joined by [`UNIT`].
    fn rows(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.row_ends.iter().copied());
        starts
            .zip(&self.row_ends)
            .map(|(start, &end)| &self.text[start..end])
    }

    /// Writes the table, wrapping cells so that lines fit in `max_width` when it is given.
    pub fn write(
        &self,
        palette: Palette,
        max_width: Option<usize>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let rigid: Vec<usize> = (0..self.widths.len())
            .map(|i| {
                if self.whole[i] {
                    self.widths[i]
                } else {
                    self.rigid[i]
                }
            })
            .collect();
        let widths = fit(&self.widths, &rigid, max_width);
        // Room to build lines in: rows, and borders (bytes, to repeat their fill in place). A
        // line has as many characters as a border, and three bytes each holds the frame's.
        let room = 3 * (widths.iter().map(|width| width + 3).sum::<usize>() + 2);
        let mut line = String::with_capacity(room);
        let mut border = Vec::with_capacity(room);
        write_border(&widths, ['╭', '┬', '╮'], &LIGHT, &mut border, out)?;
        if self.header.iter().any(|h| !h.is_empty()) {
            let bold: Vec<String>;
            let titles: Vec<&str> = match palette.enabled {
                true => {
                    bold = self.header.iter().map(|h| palette.bold(h)).collect();
                    bold.iter().map(String::as_str).collect()
                }
                false => self.header.iter().map(|h| h.as_ref()).collect(),
            };
            let title_widths: Vec<usize> = titles.iter().map(|t| display_width(t)).collect();
            self.write_row(&titles, &title_widths, &widths, &mut line, out)?;
            write_border(&widths, ['╞', '╪', '╡'], &DOUBLE, &mut border, out)?;
        }
        let mut cells = Vec::with_capacity(widths.len());
        let mut cell_widths = Vec::with_capacity(widths.len());
        let mut measured = self.cell_widths.iter().map(|&width| usize::from(width));
        for row in self.rows() {
            cells.clear();
            cells.extend(row.split(UNIT));
            cell_widths.clear();
            cell_widths.extend(measured.by_ref().take(cells.len()));
            self.write_row(&cells, &cell_widths, &widths, &mut line, out)?;
        }
        write_border(&widths, ['╰', '┴', '╯'], &LIGHT, &mut border, out)
    }

    /// Writes a row, on one line when every cell fits its column (most rows), else with its
    /// cells wrapped over as many lines as the tallest needs. `cell_widths` are the cells'
    /// own widths; `line` is room to build lines in.
    fn write_row(
        &self,
        cells: &[&str],
        cell_widths: &[usize],
        widths: &[usize],
        line: &mut String,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if cell_widths
            .iter()
            .zip(widths)
            .all(|(cell, width)| cell <= width)
        {
            return self.write_line(cells, cell_widths, widths, line, out);
        }
        let mut lines: Vec<Vec<Cow<str>>> =
            cells.iter().zip(widths).map(|(c, w)| wrap(c, *w)).collect();
        lines.resize(widths.len(), vec![Cow::Borrowed("")]);
        let height = lines.iter().map(Vec::len).max().unwrap_or(1);
        let mut pieces = Vec::with_capacity(lines.len());
        let mut piece_widths = Vec::with_capacity(lines.len());
        for at in 0..height {
            pieces.clear();
            pieces.extend(
                lines
                    .iter()
                    .map(|cell_lines| cell_lines.get(at).map_or("", |p| p)),
            );
            piece_widths.clear();
            piece_widths.extend(pieces.iter().map(|piece| display_width(piece)));
            self.write_line(&pieces, &piece_widths, widths, line, out)?;
        }
        Ok(())
    }

    /// Writes one line of a row: a piece of text in each column (none past the last piece),
    /// padded from its own width (`piece_widths`) to its column's.
    fn write_line(
        &self,
        pieces: &[&str],
        piece_widths: &[usize],
        widths: &[usize],
        line: &mut String,
        out: &mut impl Write,
    ) -> io::Result<()> {
        line.clear();
        line.push('│');
        for (column, width) in widths.iter().enumerate() {
            let piece = pieces.get(column).copied().unwrap_or_default();
            let piece_width = piece_widths.get(column).copied().unwrap_or_default();
            let pad = width.saturating_sub(piece_width);
            line.push(' ');
            match self.align[column] {
                Align::Left => {
                    line.push_str(piece);
                    push_spaces(pad, line);
                }
                Align::Right => {
                    push_spaces(pad, line);
                    line.push_str(piece);
                }
            }
            line.push_str(if column + 1 == widths.len() {
                " │"
            } else {
                " ┆"
            });
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    }
}

/// Appends `count` spaces.
fn push_spaces(count: usize, line: &mut String) {
    const SPACES: &str = "                                                                ";
    let mut left = count;
    while left > 0 {
        let now = left.min(SPACES.len());
        line.push_str(&SPACES[..now]);
        left -= now;
    }
}

/// How many fill characters a border copies at a time.
const FILL_RUN: usize = 64;

/// A run of a border's fill character, three bytes in UTF-8, to copy from.
type FillRun = [u8; 3 * FILL_RUN];

const fn fill_run(fill: char) -> FillRun {
    assert!(fill.len_utf8() == 3, "a fill character is three bytes");
    let mut one = [0; 4];
    fill.encode_utf8(&mut one);
    let mut run = [0; 3 * FILL_RUN];
    let mut at = 0;
    while at < run.len() {
        run[at] = one[at % 3];
        at += 1;
    }
    run
}

const LIGHT: FillRun = fill_run('─');
const DOUBLE: FillRun = fill_run('═');

/// Appends `count` fill characters copied from `run`: a copy for every `FILL_RUN` of them, with
/// no string made (borders are drawn for every message of `hops` and `auth`).
fn push_fill(run: &FillRun, count: usize, line: &mut Vec<u8>) {
    let mut left = count;
    while left > 0 {
        let now = left.min(FILL_RUN);
        line.extend_from_slice(&run[..3 * now]);
        left -= now;
    }
}

/// Writes a border line: `[left, junction, right]`, with the fill as wide as each column and
/// its margins.
fn write_border(
    widths: &[usize],
    [left, junction, right]: [char; 3],
    fill: &FillRun,
    line: &mut Vec<u8>,
    out: &mut impl Write,
) -> io::Result<()> {
    let push =
        |c: char, line: &mut Vec<u8>| line.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    line.clear();
    push(left, line);
    for (i, width) in widths.iter().enumerate() {
        if i > 0 {
            push(junction, line);
        }
        push_fill(fill, width + 2, line);
    }
    push(right, line);
    line.push(b'\n');
    out.write_all(line)
}

/// Text for people, escaped (borrowed when nothing needed escaping), or a dim `—` when missing.
pub fn shown(text: Option<&str>, palette: Palette) -> Cow<'_, str> {
    text.map_or_else(
        || palette.dim(MISSING).into(),
        |text| escaped_cow(text, Escaping::Display),
    )
}

/// Column widths that fit `max_width`: narrow columns keep their width, the wide ones share
/// what is left, and none gets narrower than its coloured cells (`rigid`).
fn fit(widths: &[usize], rigid: &[usize], max_width: Option<usize>) -> Vec<usize> {
    let frame = 1 + 3 * widths.len();
    let Some(max) = max_width else {
        return widths.to_vec();
    };
    if widths.iter().sum::<usize>() + frame <= max {
        return widths.to_vec();
    }
    let mut left = max.saturating_sub(frame);
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by_key(|&i| widths[i]);
    let mut fitted = widths.to_vec();
    for (k, &i) in order.iter().enumerate() {
        let share = left / (widths.len() - k);
        let floor = NARROWEST.min(widths[i]).max(rigid[i]);
        fitted[i] = widths[i].min(share.max(floor));
        left = left.saturating_sub(fitted[i]);
    }
    fitted
}

/// `cell` as shown: at most [`WIDEST_CELL`] columns wide, else its beginning and
/// `… (N more characters)`, in its colours.
pub fn capped(cell: &str) -> Cow<'_, str> {
    // No character is wider than its UTF-8 bytes: short cells are never measured.
    if cell.len() <= WIDEST_CELL || display_width(cell) <= WIDEST_CELL {
        return Cow::Borrowed(cell);
    }
    let (start, text, end) = coloured_span(cell).unwrap_or(("", cell, "\u{1b}[0m"));
    let kept = WIDEST_CELL - CUT_NOTE_WIDTH;
    let (shown, left_out) = split_at_width(text, kept);
    Cow::Owned(format!("{start}{shown}… ({left_out} more characters){end}"))
}

/// The beginning of `text` that fits in `width` columns, and how many characters (not counting
/// colour codes) come after it.
fn split_at_width(text: &str, width: usize) -> (&str, usize) {
    let mut used = 0;
    let mut shown = visible(text);
    while let Some((at, c)) = shown.next() {
        used += c.width().unwrap_or(0);
        if used > width {
            return (&text[..at], 1 + shown.count());
        }
    }
    (text, 0)
}

/// A cell cut into lines no wider than `width`, at spaces where possible. A cell in one colour
/// is cut like plain text and each line coloured again; cells with several colours are short
/// and never cut, so that no colour runs into the frame.
pub fn wrap(cell: &str, width: usize) -> Vec<Cow<'_, str>> {
    if display_width(cell) <= width {
        return vec![Cow::Borrowed(cell)];
    }
    if cell.contains('\u{1b}') {
        return match coloured_span(cell) {
            Some((start, text, end)) => wrap_plain(text, width)
                .into_iter()
                .map(|line| Cow::Owned(format!("{start}{line}{end}")))
                .collect(),
            None => vec![Cow::Borrowed(cell)],
        };
    }
    wrap_plain(cell, width)
        .into_iter()
        .map(Cow::Borrowed)
        .collect()
}

/// A cell whose colour codes all sit at its start and end — `(codes, text, codes)` — as the
/// palette writes one coloured text.
fn coloured_span(cell: &str) -> Option<(&str, &str, &str)> {
    let text_start = cell.len() - skip_codes(cell).len();
    let mut text_end = cell.len();
    while let Some(at) = cell[text_start..text_end].rfind('\u{1b}') {
        let code = &cell[text_start + at..text_end];
        if skip_codes(code).is_empty() {
            text_end = text_start + at;
        } else {
            break;
        }
    }
    let text = &cell[text_start..text_end];
    (!text.contains('\u{1b}')).then(|| (&cell[..text_start], text, &cell[text_end..]))
}

/// `text` after the colour codes (`ESC [ … m`) it starts with.
fn skip_codes(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix("\u{1b}[") {
        match rest.find('m') {
            Some(end) if rest[..end].bytes().all(|b| b.is_ascii_digit() || b == b';') => {
                text = &rest[end + 1..];
            }
            _ => break,
        }
    }
    text
}

/// Plain text cut into lines no wider than `width`, at spaces where possible. Each line looks
/// at most one character past its end, so that wrapping takes time in proportion to the text.
fn wrap_plain(cell: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = cell;
    loop {
        let mut used = 0;
        let mut overflow = None;
        let mut last_space = None;
        for (at, c) in rest.char_indices() {
            used += c.width().unwrap_or(0);
            if used > width {
                overflow = Some(at);
                break;
            }
            if c == ' ' {
                last_space = Some(at);
            }
        }
        let Some(overflow) = overflow else {
            if !rest.is_empty() {
                lines.push(rest);
            }
            return lines;
        };
        let cut = match last_space {
            Some(space) if space > 0 => space,
            _ => overflow.max(rest.chars().next().map_or(1, char::len_utf8)),
        };
        lines.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
}

/// How many terminal columns `text` takes, not counting colour escape sequences.
pub fn display_width(text: &str) -> usize {
    // Printable ASCII, most text, takes a column a byte (checked without a branch a byte, so
    // that the compiler checks many bytes at once).
    if !text.bytes().fold(false, |other, b| other | !printable(b)) {
        return text.len();
    }
    // Else its runs of printable ASCII too, and the rest a character at a time.
    let mut width = 0;
    let mut rest = text;
    loop {
        let run = printable_run(rest.as_bytes());
        width += run;
        let mut chars = rest[run..].chars();
        match chars.next() {
            None => return width,
            Some('\u{1b}') => skip_sequence(&mut chars),
            Some(c) => width += c.width().unwrap_or(0),
        }
        rest = chars.as_str();
    }
}

/// How many bytes of printable ASCII `bytes` starts with: sixteen at a time (each sixteen
/// checked without a branch a byte), then a byte at a time in the sixteen that ends the run.
fn printable_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    for chunk in bytes.chunks_exact(16) {
        if chunk.iter().fold(false, |other, &b| other | !printable(b)) {
            break;
        }
        at += 16;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| !printable(b))
        .unwrap_or(bytes.len() - at)
}

/// Whether `byte` is printable ASCII, which takes a column.
fn printable(byte: u8) -> bool {
    (0x20..0x7f).contains(&byte)
}

/// The characters of `text` a terminal shows, with where each starts: escape sequences (`ESC [`
/// parameters, ending with a byte in `@`..`~`) left out.
fn visible(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        loop {
            let (at, c) = chars.next()?;
            if c != '\u{1b}' {
                return Some((at, c));
            }
            skip_sequence(chars.by_ref().map(|(_, c)| c));
        }
    })
}

/// Takes the rest of an escape sequence, after its `ESC`, from `chars`.
fn skip_sequence(chars: impl Iterator<Item = char>) {
    for c in chars {
        if ('@'..='~').contains(&c) && c != '[' {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_text_alike_in_runs_and_a_character_at_a_time() {
        for text in crate::sanitize::tests::mixtures() {
            let every_character: usize = visible(&text).map(|(_, c)| c.width().unwrap_or(0)).sum();
            assert_eq!(display_width(&text), every_character, "{text:?}");
        }
    }

    fn render(table: &Table, width: Option<usize>) -> String {
        let mut out = Vec::new();
        table
            .write(Palette { enabled: false }, width, &mut out)
            .expect("writing to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn fills_as_often_as_asked() {
        for count in 0..3 * FILL_RUN {
            for (run, fill) in [(&LIGHT, "─"), (&DOUBLE, "═")] {
                let mut line = "╭".as_bytes().to_vec();
                push_fill(run, count, &mut line);
                assert_eq!(line, format!("╭{}", fill.repeat(count)).as_bytes());
            }
        }
    }

    #[test]
    fn draws_a_rounded_box() {
        let mut table = Table::new(["A", "Bee"]);
        table.push(["wide cell".to_string(), "x".to_string()]);
        assert_eq!(
            render(&table, None),
            "╭───────────┬─────╮\n│ A         ┆ Bee │\n╞═══════════╪═════╡\n│ wide cell ┆ x   │\n╰───────────┴─────╯\n"
        );
    }

    #[test]
    fn measures_wide_characters_and_ignores_colour() {
        assert_eq!(display_width("会议通知"), 8);
        assert_eq!(display_width("\u{1b}[32mPASS\u{1b}[0m"), 4);
        assert_eq!(display_width("Zoë"), 3);
    }

    #[test]
    fn wraps_to_the_width_at_spaces() {
        let mut table = Table::new(["Subject", "SPF"]);
        table.push([
            "Action required: verify your account".to_string(),
            "FAIL".to_string(),
        ]);
        let out = render(&table, Some(30));
        assert!(out.lines().all(|l| display_width(l) <= 30), "{out}");
        assert!(out.contains("│ Action required:    ┆ FAIL │"), "{out}");
        assert!(out.contains("│ verify your account ┆      │"), "{out}");
    }

    #[test]
    fn never_wraps_coloured_cells() {
        let mut table = Table::new(["Subject", "DMARC"]);
        let coloured = format!(
            "{} (reject)",
            Palette { enabled: true }.status(&crate::model::Status::Fail, "FAIL")
        );
        table.push(["Action required: verify your account".to_string(), coloured]);
        let out = render(&table, Some(30));
        assert!(out.lines().all(|l| display_width(l) <= 30), "{out}");
        assert!(out.contains("(reject) │"), "{out}");
    }

    #[test]
    fn wraps_a_cell_in_one_colour_and_colours_each_line() {
        let palette = Palette { enabled: true };
        let mut table = Table::new(["Outcome"]);
        table.push([palette.severity(
            crate::outcome::Severity::Bad,
            "Permanent/General 5.1.1 user unknown",
        )]);
        let out = render(&table, Some(24));
        assert!(out.lines().all(|l| display_width(l) <= 24), "{out}");
        let red = "\u{1b}[1m\u{1b}[31m";
        assert!(out.contains(&format!("{red}Permanent/General")), "{out}");
        assert!(out.contains(&format!("{red}5.1.1 user")), "{out}");
    }

    #[test]
    fn cuts_a_cell_wider_than_the_widest_and_says_how_much_is_left_out() {
        let mut table = Table::new(["Subject"]);
        table.push(["x".repeat(WIDEST_CELL)]);
        table.push(["会".repeat(WIDEST_CELL)]);
        let out = render(&table, None);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[3].contains(&"x".repeat(WIDEST_CELL)), "{out}");
        let widest = lines.iter().map(|l| display_width(l)).max();
        assert_eq!(widest, Some(WIDEST_CELL + 4));
        let cut = lines[4].trim_end_matches(" │").trim_end();
        let kept = (WIDEST_CELL - CUT_NOTE_WIDTH) / 2;
        assert!(
            cut.ends_with(&format!("会… ({} more characters)", WIDEST_CELL - kept)),
            "{cut}"
        );
        assert_eq!(cut.matches('会').count(), kept);
    }

    #[test]
    fn a_cut_cell_keeps_its_colour() {
        let palette = Palette { enabled: true };
        let long = "a".repeat(2 * WIDEST_CELL);
        let mut table = Table::new(["Outcome", "Verdicts"]);
        table.push([
            palette.severity(crate::outcome::Severity::Bad, &long),
            format!(
                "{} {long}",
                palette.status(&crate::model::Status::Pass, "P")
            ),
        ]);
        let out = render(&table, None);
        let red = "\u{1b}[1m\u{1b}[31m";
        assert!(out.contains(&format!("{red}aaa")), "{out}");
        let ends = format!(
            "a… ({} more characters)\u{1b}[39m\u{1b}[0m ┆",
            WIDEST_CELL + 40
        );
        assert!(out.contains(&ends), "{out}");
        let ends = format!("a… ({} more characters)\u{1b}[0m │", WIDEST_CELL + 42);
        assert!(out.contains(&ends), "{out}");
        assert!(out.lines().all(|l| display_width(l) <= 2 * WIDEST_CELL + 7));
    }

    #[test]
    fn wrapping_a_long_cell_takes_time_in_proportion_to_it() {
        let cell = "word ".repeat(200_000).trim_end().to_string();
        let started = std::time::Instant::now();
        let lines = wrap_plain(&cell, 40);
        assert_eq!(lines.len(), 200_000 / 8);
        assert!(lines.iter().all(|l| *l == "word ".repeat(8).trim_end()));
        let unbroken = "x".repeat(1_000_000);
        assert_eq!(wrap_plain(&unbroken, 100).len(), 10_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn aligns_numbers_right_and_omits_empty_headers() {
        let mut table = Table::new(["", ""]).numbers_right();
        table.push(["Messages".to_string(), "12".to_string()]);
        table.push(["Senders".to_string(), "3".to_string()]);
        assert_eq!(
            render(&table, None),
            "╭──────────┬────╮\n│ Messages ┆ 12 │\n│ Senders  ┆  3 │\n╰──────────┴────╯\n"
        );
    }
}
