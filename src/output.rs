//! Standard output: locked once, line-buffered on a terminal, block-buffered into pipes and
//! files; and the rule that a closed pipe (`| head`) ends the run quietly and successfully.

use std::io::{self, BufWriter, IsTerminal, Write};

/// Where commands write, whether it is a terminal, and how wide that terminal is.
pub struct Stdout {
    pub writer: Box<dyn Write>,
    pub is_terminal: bool,
    /// Columns, when stdout is a terminal whose size is known.
    pub width: Option<usize>,
}

impl Stdout {
    pub fn open() -> Stdout {
        let stdout = io::stdout();
        let is_terminal = stdout.is_terminal();
        let writer: Box<dyn Write> = if is_terminal {
            Box::new(stdout.lock())
        } else {
            Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
        };
        let width = is_terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(terminal_size::Width(columns), _)| usize::from(columns));
        Stdout {
            writer,
            is_terminal,
            width,
        }
    }
}

/// True when the error comes from writing to a closed pipe.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
