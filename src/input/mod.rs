//! Opens the inputs named on the command line — files, directories (walked in name order) or
//! standard input, plain or gzip (recognised by its magic bytes, several members allowed) — as
//! byte streams to frame, counting the bytes read for the progress line.

pub mod frame;
pub mod repr;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;

use crate::origin::Origin;
use crate::problem::{Problem, ProblemKind};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much one input may make sesinspect hold at once (the README's "Limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest single item the framer buffers (`--max-document`).
    pub max_document: u64,
    /// The most a gzip payload inside an envelope may inflate to (`--max-inflate`).
    pub max_inflate: u64,
}

/// CloudWatch Logs and Kinesis payloads are at most 1 MB compressed: 64 MiB is far beyond what
/// real ones inflate to, and small enough for every thread to hold one.
pub const DEFAULT_MAX_INFLATE: u64 = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document: frame::DEFAULT_MAX_DOCUMENT,
            max_inflate: DEFAULT_MAX_INFLATE,
        }
    }
}

/// An input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// How messages and errors name it.
    pub name: Arc<str>,
    source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Stdin,
    File(PathBuf),
    /// A directory that holds no file to read: it reads as empty.
    EmptyDirectory,
    /// A directory entry that could not be listed, and why.
    Unlisted(String),
}

/// The inputs that `args` name: `-` is standard input, a directory is every file under it
/// (recursively, in name order, hidden names skipped unless `hidden`), anything else a file.
/// No argument at all reads standard input.
pub fn expand(args: &[OsString], hidden: bool) -> Vec<Input> {
    if args.is_empty() {
        return vec![Input::stdin()];
    }
    let mut inputs = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg == "-" {
            inputs.push(Input::stdin());
        } else if path.is_dir() {
            walk(path, hidden, &mut inputs);
        } else {
            inputs.push(Input::file(path));
        }
    }
    inputs
}

/// Adds the files under `root`. Symbolic links to files are read; links to directories are not
/// followed (they could loop). A directory that cannot be listed becomes an input that fails.
fn walk(root: &Path, hidden: bool, inputs: &mut Vec<Input>) {
    let before = inputs.len();
    let entries = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| hidden || entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in entries {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) if entry.path_is_symlink() && entry.path().is_dir() => {}
            Ok(entry) => inputs.push(Input::file(entry.path())),
            Err(error) => {
                let path = error.path().unwrap_or(root);
                let why = match error.io_error() {
                    Some(e) => describe_io_error(e),
                    None => "a directory loop".to_string(),
                };
                inputs.push(Input {
                    name: name_of(path),
                    source: Source::Unlisted(format!("cannot list the directory: {why}")),
                });
            }
        }
    }
    if inputs.len() == before {
        inputs.push(Input {
            name: name_of(root),
            source: Source::EmptyDirectory,
        });
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

fn name_of(path: &Path) -> Arc<str> {
    Arc::from(path.to_string_lossy().as_ref())
}

impl Input {
    pub fn stdin() -> Input {
        Input {
            name: Arc::from("<stdin>"),
            source: Source::Stdin,
        }
    }

    fn file(path: &Path) -> Input {
        Input {
            name: name_of(path),
            source: Source::File(path.to_path_buf()),
        }
    }

    /// Its size in bytes, when it is a regular file (a pipe or a device named as a file says 0,
    /// whatever it holds).
    pub fn size(&self) -> Option<u64> {
        match &self.source {
            Source::File(path) => std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len()),
            Source::EmptyDirectory => Some(0),
            Source::Stdin | Source::Unlisted(_) => None,
        }
    }

    /// Opens the input, decompressing gzip; every byte read from it is added to `read`.
    pub fn open(&self, read: &Arc<AtomicU64>) -> Result<Box<dyn Read + Send>, Problem> {
        let reader: Box<dyn Read + Send> = match &self.source {
            Source::Stdin => Box::new(io::stdin()),
            Source::EmptyDirectory => Box::new(io::empty()),
            Source::Unlisted(why) => {
                let whole = Origin::whole(&self.name);
                return Err(Problem::new(ProblemKind::Io, whole, why.clone()));
            }
            Source::File(path) => {
                let file = File::open(path).map_err(|e| self.problem(&e))?;
                let metadata = file.metadata().map_err(|e| self.problem(&e))?;
                if metadata.is_dir() {
                    let whole = Origin::whole(&self.name);
                    return Err(Problem::new(ProblemKind::Io, whole, "is a directory"));
                }
                Box::new(file)
            }
        };
        let counted = Counted {
            inner: reader,
            read: Arc::clone(read),
        };
        inflating_gzip(counted).map_err(|e| self.problem(&e))
    }

    /// The input could not be opened or read.
    pub fn problem(&self, error: &io::Error) -> Problem {
        let whole = Origin::whole(&self.name);
        Problem::new(ProblemKind::Io, whole, describe_io_error(error))
    }
}

/// `reader`, inflated when it starts with gzip's magic bytes. A pipe may hand over a single byte
/// first: the magic is read whole before deciding.
fn inflating_gzip(reader: impl Read + Send + 'static) -> io::Result<Box<dyn Read + Send>> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf()?;
    if head.len() != 1 {
        return Ok(if head.starts_with(&GZIP_MAGIC) {
            Box::new(MultiGzDecoder::new(buffered))
        } else {
            Box::new(buffered)
        });
    }
    let first = head[0];
    buffered.consume(1);
    let gzip = first == GZIP_MAGIC[0] && buffered.fill_buf()?.first() == Some(&GZIP_MAGIC[1]);
    let whole = io::Cursor::new([first]).chain(buffered);
    Ok(if gzip {
        Box::new(MultiGzDecoder::new(whole))
    } else {
        Box::new(whole)
    })
}

/// A reader that adds the bytes it reads to a shared count.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
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

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// Hands out one byte per read, as a slow pipe may.
    struct Trickle(io::Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let end = buf.len().min(1);
            self.0.read(&mut buf[..end])
        }
    }

    fn read_all(bytes: &[u8], trickle: bool) -> Vec<u8> {
        let cursor = io::Cursor::new(bytes.to_vec());
        let mut reader = if trickle {
            inflating_gzip(Trickle(cursor))
        } else {
            inflating_gzip(cursor)
        }
        .expect("in memory");
        let mut out = Vec::new();
        reader.read_to_end(&mut out).expect("in memory");
        out
    }

    #[test]
    fn gzip_is_recognised_whatever_the_read_sizes() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"a\":1}").expect("in memory");
        let compressed = gz.finish().expect("in memory");
        for input in [&compressed[..], b"{\"b\":2}", b"\x1f", b"x", b""] {
            let expected = if input == compressed {
                b"{\"a\":1}"
            } else {
                input
            };
            assert_eq!(read_all(input, false), expected);
            assert_eq!(read_all(input, true), expected);
        }
    }
}
