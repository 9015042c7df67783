//! Opens the inputs named on the command line — files or standard input, plain or gzip
//! (recognised by its magic bytes, several members allowed) — as byte streams to frame.

pub mod frame;
pub mod repr;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

use crate::origin::Origin;
use crate::problem::{Problem, ProblemKind};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// An input as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// How messages and errors name it.
    pub name: Arc<str>,
    /// `None` for standard input.
    path: Option<PathBuf>,
}

impl Input {
    /// `-` is standard input; anything else a path.
    pub fn from_arg(arg: &std::ffi::OsStr) -> Input {
        if arg == "-" {
            Input::stdin()
        } else {
            Input {
                name: Arc::from(arg.to_string_lossy().as_ref()),
                path: Some(PathBuf::from(arg)),
            }
        }
    }

    pub fn stdin() -> Input {
        Input {
            name: Arc::from("<stdin>"),
            path: None,
        }
    }

    /// Opens the input, decompressing gzip.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, Problem> {
        let reader: Box<dyn Read + Send> = match &self.path {
            None => Box::new(io::stdin()),
            Some(path) => {
                let file = File::open(path).map_err(|e| self.problem(&e))?;
                let metadata = file.metadata().map_err(|e| self.problem(&e))?;
                if metadata.is_dir() {
                    let whole = Origin::whole(&self.name);
                    return Err(Problem::new(ProblemKind::Io, whole, "is a directory"));
                }
                Box::new(file)
            }
        };
        let mut buffered = BufReader::with_capacity(1 << 16, reader);
        let head = buffered.fill_buf().map_err(|e| self.problem(&e))?;
        if head.starts_with(&GZIP_MAGIC) {
            Ok(Box::new(MultiGzDecoder::new(buffered)))
        } else {
            Ok(Box::new(buffered))
        }
    }

    /// The input could not be opened or read.
    pub fn problem(&self, error: &io::Error) -> Problem {
        let whole = Origin::whole(&self.name);
        Problem::new(ProblemKind::Io, whole, describe_io_error(error))
    }
}

/// An I/O error in words, without the `(os error N)` tail.
fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => format!("cannot read: {}", &text[..end]),
                None => format!("cannot read: {text}"),
            }
        }
    }
}
