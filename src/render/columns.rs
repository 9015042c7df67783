//! Tables laid out for the width they have. A table declares its columns — the kind of value
//! each holds — and the economies it accepts, in the order it prefers them: a column in a
//! shorter form (compact times; verdicts as one-letter codes explained by a legend), or a column
//! left out. Rows are gathered as escaped text; at the end the planner measures them, takes
//! economies until the table fits, and only then are cells coloured and drawn by [`Table`].
//! Times, words and verdicts are never wrapped; text wraps last.

use std::io::{self, Write};

use jiff::Timestamp;

use super::table::{self, MISSING, Table};
use crate::color::Palette;
use crate::model::{Status, Verdict};
use crate::outcome::Severity;
use crate::sanitize::{Escaping, escape_into, escaped};

/// What a column holds, which decides its forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text that wraps, comfortably down to `narrowest` columns.
    Text { narrowest: usize },
    /// A short word that never wraps (an action type).
    Word,
    /// A time as written (RFC 3339); compact: in UTC, only the parts that vary in the table.
    Time,
    /// Verdict statuses, a column each; compact: one column of one-letter codes.
    Verdicts(&'static [Verdict]),
}

/// A column a table may show.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub kind: Kind,
}

/// A way to make the table narrower, naming a column by its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Economy {
    /// Its compact form (for `Time` and `Verdicts`), taken while the table is wider than the
    /// width even with no text wrapped.
    Shorten(usize),
    /// Leave it out, while the table is wider than the width with its text wrapped comfortably.
    Drop(usize),
}

/// A table's columns and its economies in the order to take them.
#[derive(Debug, Clone)]
pub struct Spec {
    pub columns: Vec<Column>,
    pub economies: Vec<Economy>,
}

/// One cell of a row, as given: text is escaped here.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(Option<&'a str>),
    /// Text already joined and escaped (list items, numbers).
    Escaped(&'a str),
    Time(Option<&'a str>),
    /// Each verdict's status (`None`: missing), with a note shown beside it in full form
    /// (DMARC's policy).
    Verdicts(&'a [(Option<&'a Status<'a>>, Option<&'a str>)]),
    /// Text in the colour of a sending outcome's severity.
    Graded(Severity, &'a str),
}

/// Separates the cells of a gathered row, the verdicts of a cell, and a status from its note:
/// escaped text never holds a raw control character.
const CELL: char = '\u{1f}';
const VERDICT: char = '\u{1e}';
const NOTE: char = '\u{1d}';
/// A missing value.
const ABSENT: &str = "\u{18}";
/// Starts graded text, saying its severity.
const GRADES: [(Severity, char); 4] = [
    (Severity::Good, '\u{11}'),
    (Severity::Neutral, '\u{12}'),
    (Severity::Warning, '\u{13}'),
    (Severity::Bad, '\u{14}'),
];

/// How a column is shown in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Full,
    Compact,
    Dropped,
}

impl Spec {
    /// A row gathered as one string, its text escaped.
    pub fn gather(&self, cells: &[Cell]) -> Box<str> {
        let mut row = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                row.push(CELL);
            }
            match cell {
                Cell::Text(None) | Cell::Time(None) => row.push_str(ABSENT),
                Cell::Text(Some(text)) | Cell::Time(Some(text)) => push_escaped(text, &mut row),
                Cell::Escaped(text) => push_capped(text, &mut row),
                Cell::Graded(severity, text) => {
                    if let Some((_, mark)) = GRADES.iter().find(|(s, _)| s == severity) {
                        row.push(*mark);
                    }
                    push_escaped(text, &mut row);
                }
                Cell::Verdicts(verdicts) => {
                    for (j, (status, note)) in verdicts.iter().enumerate() {
                        if j > 0 {
                            row.push(VERDICT);
                        }
                        match status {
                            Some(status) => {
                                escape_into(status.as_str(), Escaping::Display, &mut row)
                            }
                            None => row.push_str(ABSENT),
                        }
                        if let Some(note) = note {
                            row.push(NOTE);
                            push_escaped(note, &mut row);
                        }
                    }
                }
            }
        }
        row.into_boxed_str()
    }

    /// Lays the gathered rows out for `width` and writes them, with the legend of any codes.
    pub fn write(
        &self,
        rows: Vec<Box<str>>,
        palette: Palette,
        width: Option<usize>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let measures = self.measure(&rows);
        let forms = self.plan(&measures, width);
        let mut table = Table::new(self.titles(&forms, &measures));
        let mut physical = 0;
        for (column, form) in self.columns.iter().zip(&forms) {
            let count = match (column.kind, form) {
                (_, Form::Dropped) => 0,
                (Kind::Verdicts(verdicts), Form::Full) => verdicts.len(),
                _ => 1,
            };
            if !matches!(column.kind, Kind::Text { .. }) {
                for i in physical..physical + count {
                    table = table.keep_whole(i);
                }
            }
            physical += count;
        }
        let mut seen = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            for ((column, form), (cell, measure)) in self
                .columns
                .iter()
                .zip(&forms)
                .zip(row.split(CELL).zip(&measures))
            {
                show(
                    column.kind,
                    *form,
                    cell,
                    measure,
                    palette,
                    &mut seen,
                    &mut cells,
                );
            }
            table.push(cells);
        }
        table.write(palette, width, out)?;
        for (column, form) in self.columns.iter().zip(&forms) {
            if let (Kind::Verdicts(verdicts), Form::Compact) = (column.kind, form) {
                let legend = legend(&column.title, verdicts, &seen, palette);
                writeln!(out, "{}", wrap_parts(&legend, width))?;
            }
        }
        Ok(())
    }

    /// What the planner needs to know of each column: its widths in each form.
    fn measure(&self, rows: &[Box<str>]) -> Vec<Measure> {
        let mut measures: Vec<Measure> = self.columns.iter().map(Measure::new).collect();
        for row in rows {
            for ((column, measure), cell) in
                self.columns.iter().zip(&mut measures).zip(row.split(CELL))
            {
                measure.see(column.kind, cell);
            }
        }
        for measure in &mut measures {
            measure.settle();
        }
        measures
    }

    /// The form of each column: every column in full, then economies in order while the table
    /// does not fit.
    fn plan(&self, measures: &[Measure], width: Option<usize>) -> Vec<Form> {
        let mut forms = vec![Form::Full; self.columns.len()];
        let Some(width) = width else {
            return forms;
        };
        for economy in &self.economies {
            match *economy {
                Economy::Shorten(i) if self.span(&forms, measures, false) > width => {
                    forms[i] = Form::Compact;
                }
                Economy::Drop(i) if self.span(&forms, measures, true) > width => {
                    forms[i] = Form::Dropped;
                }
                _ => {}
            }
        }
        forms
    }

    /// How wide the table is in these forms: with text at its natural width, or wrapped down
    /// to its comfortable narrowest.
    fn span(&self, forms: &[Form], measures: &[Measure], wrapped: bool) -> usize {
        let mut span = 1;
        for ((column, form), measure) in self.columns.iter().zip(forms).zip(measures) {
            let widths: &[usize] = match form {
                Form::Full => &measure.full,
                Form::Compact => std::slice::from_ref(&measure.compact),
                Form::Dropped => &[],
            };
            for &w in widths {
                span += 3 + match column.kind {
                    Kind::Text { narrowest } if wrapped => w.min(narrowest),
                    _ => w,
                };
            }
        }
        span
    }

    fn titles(&self, forms: &[Form], measures: &[Measure]) -> Vec<String> {
        let mut titles = Vec::new();
        for ((column, form), measure) in self.columns.iter().zip(forms).zip(measures) {
            match (column.kind, form) {
                (_, Form::Dropped) => {}
                (Kind::Verdicts(verdicts), Form::Full) => {
                    titles.extend(verdicts.iter().map(|v| v.label().to_string()))
                }
                (Kind::Time, Form::Compact) if measure.compact_time.is_some() => {
                    titles.push(format!("{} (UTC)", column.title))
                }
                _ => titles.push(column.title.clone()),
            }
        }
        titles
    }
}

/// Appends `text` escaped, no wider than a table shows a cell: a gathered row stays small
/// whatever the value.
fn push_escaped(text: &str, row: &mut String) {
    if text.len() <= table::WIDEST_CELL {
        escape_into(text, Escaping::Display, row);
    } else {
        push_capped(&escaped(text, Escaping::Display), row);
    }
}

/// Appends escaped `text`, no wider than a table shows a cell.
fn push_capped(text: &str, row: &mut String) {
    row.push_str(&table::capped(text));
}

/// A column's widths: in full (one per physical column), and compact.
#[derive(Debug)]
struct Measure {
    full: Vec<usize>,
    compact: usize,
    /// For times: the earliest and latest, then the format that shows what varies.
    range: Option<(Timestamp, Timestamp)>,
    compact_time: Option<&'static str>,
    /// The widest time that could not be read, shown as written even when compact.
    unreadable: usize,
}

impl Measure {
    fn new(column: &Column) -> Measure {
        let title = table::display_width(&column.title);
        let (full, compact) = match column.kind {
            Kind::Verdicts(verdicts) => (
                verdicts.iter().map(|v| v.label().len()).collect(),
                column.title.len().max(2 * verdicts.len() - 1),
            ),
            _ => (vec![title], title),
        };
        Measure {
            full,
            compact,
            range: None,
            compact_time: None,
            unreadable: 0,
        }
    }

    fn see(&mut self, kind: Kind, cell: &str) {
        match kind {
            Kind::Verdicts(_) => {
                for (width, verdict) in self.full.iter_mut().zip(cell.split(VERDICT)) {
                    *width = (*width).max(verdict_width(verdict));
                }
            }
            Kind::Time => {
                let width = text_width(cell);
                self.full[0] = self.full[0].max(width);
                match cell.parse::<Timestamp>() {
                    Ok(t) => {
                        let (first, last) = self.range.get_or_insert((t, t));
                        *first = (*first).min(t);
                        *last = (*last).max(t);
                    }
                    Err(_) => self.unreadable = self.unreadable.max(width),
                }
            }
            Kind::Text { .. } | Kind::Word => {
                self.full[0] = self.full[0].max(text_width(cell));
            }
        }
    }

    /// Decides the compact time format once every time has been seen.
    fn settle(&mut self) {
        if let Some((first, last)) = self.range {
            let format = compact_time_format(first, last);
            self.compact_time = Some(format);
            let shown = table::display_width(&first.strftime(format).to_string());
            self.compact = (self.compact + " (UTC)".len())
                .max(shown)
                .max(self.unreadable);
        } else {
            self.compact = self.full[0];
        }
    }
}

/// The parts of a time that vary between `first` and `last`: the time of day within a day,
/// month and day within a year, else the date too.
fn compact_time_format(first: Timestamp, last: Timestamp) -> &'static str {
    let utc = |t: Timestamp| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let (a, b) = (utc(first), utc(last));
    if a == b {
        "%H:%M:%S"
    } else if a.year() == b.year() {
        "%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M"
    }
}

/// How wide a cell is shown: never wider than the table shows a cell.
fn text_width(cell: &str) -> usize {
    if cell == ABSENT {
        1
    } else {
        table::display_width(cell).min(table::WIDEST_CELL)
    }
}

/// `FAIL (reject)`: the status and its note.
fn verdict_width(verdict: &str) -> usize {
    match verdict.split_once(NOTE) {
        Some((status, note)) => {
            (text_width(status) + 3 + table::display_width(note)).min(table::WIDEST_CELL)
        }
        None => text_width(verdict),
    }
}

/// Adds the cells of one gathered cell in its form, noting the verdict codes shown.
fn show(
    kind: Kind,
    form: Form,
    cell: &str,
    measure: &Measure,
    palette: Palette,
    seen: &mut Vec<&'static str>,
    cells: &mut Vec<String>,
) {
    let plain = |text: &str| {
        if text == ABSENT {
            return palette.dim(MISSING);
        }
        let mut chars = text.chars();
        let grade = chars
            .next()
            .and_then(|first| GRADES.iter().find(|(_, mark)| *mark == first));
        match grade {
            Some((severity, _)) => palette.severity(*severity, chars.as_str()),
            None => text.to_string(),
        }
    };
    match (kind, form) {
        (_, Form::Dropped) => {}
        (Kind::Verdicts(_), Form::Full) => {
            for verdict in cell.split(VERDICT) {
                let (status, note) = match verdict.split_once(NOTE) {
                    Some((status, note)) => (status, Some(note)),
                    None => (verdict, None),
                };
                let mut shown = status_cell(status, palette, |s| palette.status_name(s));
                if let Some(note) = note {
                    shown.push_str(&format!(" ({note})"));
                }
                cells.push(shown);
            }
        }
        (Kind::Verdicts(_), Form::Compact) => {
            let codes: Vec<String> = cell
                .split(VERDICT)
                .map(|verdict| {
                    let status = verdict.split_once(NOTE).map_or(verdict, |(s, _)| s);
                    let code = code(status);
                    if !seen.contains(&code) {
                        seen.push(code);
                    }
                    status_cell(status, palette, |s| palette.status(s, code))
                })
                .collect();
            cells.push(codes.join(" "));
        }
        (Kind::Time, Form::Compact) => {
            let time = match (measure.compact_time, cell.parse::<Timestamp>()) {
                (Some(format), Ok(t)) => t.strftime(format).to_string(),
                _ => plain(cell),
            };
            cells.push(time);
        }
        _ => cells.push(plain(cell)),
    }
}

/// A status shown with `colour`, or a dim `—` when missing.
fn status_cell(status: &str, palette: Palette, colour: impl Fn(&Status) -> String) -> String {
    if status == ABSENT {
        palette.dim(MISSING)
    } else {
        colour(&Status::from_text(status.into()))
    }
}

/// The one-letter code of a status in compact tables.
fn code(status: &str) -> &'static str {
    if status == ABSENT {
        return MISSING;
    }
    match Status::from_text(status.into()) {
        Status::Pass => "P",
        Status::Fail => "F",
        Status::Gray => "G",
        Status::ProcessingFailed => "E",
        Status::Disabled => "D",
        Status::Other(_) => "?",
    }
}

/// `Verdicts: SPF DKIM DMARC Spam Virus`, then what each code shown means.
fn legend(
    title: &str,
    verdicts: &[Verdict],
    seen: &[&'static str],
    palette: Palette,
) -> Vec<String> {
    let order: Vec<&str> = verdicts.iter().map(|v| v.label()).collect();
    let mut parts = vec![format!("{title}: {}", order.join(" "))];
    let meanings = [
        ("P", Some(Status::Pass), "pass"),
        ("F", Some(Status::Fail), "fail"),
        ("G", Some(Status::Gray), "gray"),
        ("E", Some(Status::ProcessingFailed), "processing failed"),
        ("D", Some(Status::Disabled), "disabled"),
        ("?", Some(Status::Other("?".into())), "another status"),
        (MISSING, None, "missing"),
    ];
    for (code, status, meaning) in meanings {
        if seen.contains(&code) {
            let shown = match &status {
                Some(status) => palette.status(status, code),
                None => palette.dim(code),
            };
            parts.push(format!("{shown} {meaning}"));
        }
    }
    parts
}

/// Parts joined with ` · `, onto as many lines as `width` needs (a part is never split).
pub fn wrap_parts(parts: &[String], width: Option<usize>) -> String {
    let mut text = String::new();
    let mut line = 0;
    for (i, part) in parts.iter().enumerate() {
        let part_width = table::display_width(part);
        if i > 0 {
            if width.is_some_and(|w| line + 3 + part_width > w) {
                text.push('\n');
                line = 0;
            } else {
                text.push_str(" · ");
                line += 3;
            }
        }
        text.push_str(part);
        line += part_width;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gathered_row_keeps_no_more_of_a_value_than_the_table_shows() {
        let spec = Spec {
            columns: vec![
                Column {
                    title: "Subject".into(),
                    kind: Kind::Text { narrowest: 8 },
                },
                Column {
                    title: "Outcome".into(),
                    kind: Kind::Text { narrowest: 8 },
                },
            ],
            economies: Vec::new(),
        };
        let huge = "\u{1b}".repeat(100_000);
        let row = spec.gather(&[Cell::Text(Some(&huge)), Cell::Graded(Severity::Bad, &huge)]);
        assert!(row.len() < 2 * table::WIDEST_CELL + 100, "{}", row.len());
        // Each ESC shows as the six characters `\u{1b}`; whole ones fill the width left beside
        // the note (40 columns).
        let left_out = 600_000 - (table::WIDEST_CELL - 40) / 6 * 6;
        let cut = format!("\\u{{1b}}… ({left_out} more characters)");
        assert!(row.ends_with(&cut), "{row}");
        assert_eq!(row.matches(&cut).count(), 2);
    }
}
