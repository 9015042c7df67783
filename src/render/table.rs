//! Tables for people: every cell escaped, verdicts in colour, missing values as a dim `—`,
//! columns wrapped to the terminal's width.

use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets};

use super::LIST_SEPARATOR;
use crate::color::Palette;
use crate::fields::Value;
use crate::sanitize::{Escaping, escape_into, escaped};

/// How a missing value looks.
pub const MISSING: &str = "—";

/// A value as a finished table cell: escaped first, then coloured.
pub fn cell(value: &Value, palette: Palette) -> String {
    match value {
        Value::Missing => palette.dim(MISSING),
        Value::Verdict(status) => {
            palette.status(status, &escaped(status.as_str(), Escaping::Display))
        }
        Value::Json(serde_json::Value::Null) => palette.dim(MISSING),
        other => {
            let mut out = String::new();
            other.each_piece(&mut |piece| {
                if !out.is_empty() {
                    out.push_str(LIST_SEPARATOR);
                }
                escape_into(piece, Escaping::Display, &mut out);
            });
            out
        }
    }
}

/// Lays out and writes a table of finished cells.
pub fn write(
    header: &[&str],
    rows: Vec<Vec<String>>,
    palette: Palette,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|title| Cell::new(palette.bold(title))));
    for row in rows {
        table.add_row(row);
    }
    writeln!(out, "{table}")
}
