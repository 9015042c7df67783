//! Standard output: locked once, line-buffered on a terminal, block-buffered into pipes and
//! files; and the rule that a closed pipe (`| head`) ends the run quietly and successfully.

use std::io::{self, BufWriter, IsTerminal, Write};

/// Where commands write, whether it is a terminal, and how wide tables may be.
pub struct Stdout {
    pub writer: Box<dyn Write>,
    pub is_terminal: bool,
    /// Columns: `COLUMNS` when set (also into a pipe), else the terminal's width when stdout is
    /// a terminal; `None` is no limit.
    pub width: Option<usize>,
}

impl Stdout {
    /// Stdout, as wide as `columns` (the `COLUMNS` variable) says, or as its terminal is.
    pub fn open(columns: Option<String>) -> Stdout {
        let stdout = io::stdout();
        let is_terminal = stdout.is_terminal();
        let writer: Box<dyn Write> = if is_terminal {
            Box::new(stdout.lock())
        } else {
            Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
        };
        let width = parse_columns(columns.as_deref()).or_else(|| {
            is_terminal
                .then(terminal_size::terminal_size)
                .flatten()
                .map(|(terminal_size::Width(columns), _)| usize::from(columns))
        });
        Stdout {
            writer,
            is_terminal,
            width,
        }
    }
}

/// `COLUMNS` as a width: a positive whole number, else nothing.
fn parse_columns(columns: Option<&str>) -> Option<usize> {
    columns?.trim().parse().ok().filter(|&n| n > 0)
}

/// True when the error comes from writing to a closed pipe.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::parse_columns;

    #[test]
    fn columns_is_a_positive_number_or_nothing() {
        assert_eq!(parse_columns(Some("80")), Some(80));
        assert_eq!(parse_columns(Some(" 120 ")), Some(120));
        assert_eq!(parse_columns(Some("0")), None);
        assert_eq!(parse_columns(Some("")), None);
        assert_eq!(parse_columns(Some("wide")), None);
        assert_eq!(parse_columns(None), None);
    }
}
