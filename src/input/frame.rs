//! Splits a byte stream into JSON items — whole documents, or the elements of a top-level array or
//! of a Lambda event's `Records` array — so that any size of input streams in bounded memory.
//!
//! The framer only finds where items begin and end (strings, nesting, lines); the decoder parses
//! them. A raw newline can never sit inside a valid JSON string, so a broken document is abandoned
//! at the next line that starts with `{` or `[`, and everything after it is still read.

use std::io::{self, Read};
use std::ops::Range;

use memchr::{memchr, memchr3};

/// How much to ask the reader for at a time.
const READ_SIZE: usize = 1 << 20;

/// A line and a byte column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

/// Which kind of array an element was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A top-level `[…]` of documents.
    Array,
    /// The `Records` array of a top-level `{"Records":[…]}`.
    Records,
}

/// Where an item sits in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A whole top-level document.
    Document,
    /// Element `index` of an array; `of_many` when the array holds more than this one element.
    Element {
        container: Container,
        index: usize,
        of_many: bool,
    },
}

/// One complete JSON value found in the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The value's bytes within the batch.
    pub range: Range<usize>,
    /// Where the value starts.
    pub at: Position,
    /// The line on which the enclosing top-level document starts.
    pub document_line: u64,
    pub place: Place,
}

impl Item {
    fn with_siblings(mut self, many: bool) -> Item {
        if let Place::Element { of_many, .. } = &mut self.place {
            *of_many = many;
        }
        self
    }
}

/// A stretch of input that is not a well-formed JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    pub at: Position,
    pub message: String,
}

/// What the framer found, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    Item(Item),
    Error(FrameError),
}

/// The items found in one read, with the bytes they point into.
#[derive(Debug, Default)]
pub struct Batch {
    pub bytes: Vec<u8>,
    pub framed: Vec<Framed>,
    /// The reader had no more bytes ready: whoever shows the results should not hold them back.
    pub input_paused: bool,
}

/// What the framer expects next inside an array whose elements it hands out one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Just after `[`: an element or `]`.
    FirstElement,
    /// After `,`: an element.
    Element,
    /// After an element: `,` or `]`.
    CommaOrEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Between top-level documents.
    Top,
    /// Inside an array whose elements are items.
    Elements {
        container: Container,
        document: Position,
        index: usize,
        expect: Expect,
    },
    /// After the `Records` array: skipping the rest of its document up to the closing `}`.
    RecordsTail { document: Position, depth: u32 },
}

/// The value being scanned: where it began and how deep the scan is inside it.
#[derive(Debug, Clone, Copy)]
struct Scan {
    start: usize,
    at: Position,
    depth: u32,
    in_string: bool,
}

/// The outcome of one step of the framer.
enum Step {
    Found(Framed),
    /// Progress was made without a result; step again.
    Moved,
    /// The buffer holds no more complete information.
    NeedMore,
}

/// Frames one input stream. See the module documentation.
pub struct Framer<R> {
    reader: R,
    buf: Vec<u8>,
    /// The next byte to look at.
    pos: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Line number of the byte at `pos`, and the stream offset at which that line starts.
    line: u64,
    line_start: u64,
    context: Context,
    scan: Option<Scan>,
    /// An element scanned completely, held until `,` or `]` says whether it has siblings.
    pending: Option<Item>,
    /// Skipping to the next line that starts with `{` or `[` after an error.
    resync: bool,
    eof: bool,
    done: bool,
}

impl<R: Read> Framer<R> {
    pub fn new(reader: R) -> Self {
        Framer {
            reader,
            buf: Vec::new(),
            pos: 0,
            base: 0,
            line: 1,
            line_start: 0,
            context: Context::Top,
            scan: None,
            pending: None,
            resync: false,
            eof: false,
            done: false,
        }
    }

    /// Reads once and frames everything the buffer now completes; `None` once the input is over.
    pub fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        let input_paused = self.fill()?;
        let mut framed = Vec::new();
        loop {
            match self.step() {
                Step::Found(f) => framed.push(f),
                Step::Moved => {}
                Step::NeedMore if self.eof => {
                    if self.end_of_input(&mut framed) {
                        self.done = true;
                        break;
                    }
                }
                Step::NeedMore => break,
            }
        }
        Ok(Some(self.cut(framed, input_paused || self.done)))
    }

    /// Reads up to `READ_SIZE` more bytes; true when the reader gave less than asked for.
    fn fill(&mut self) -> io::Result<bool> {
        let filled = self.buf.len();
        self.buf.resize(filled + READ_SIZE, 0);
        let read = loop {
            match self.reader.read(&mut self.buf[filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(filled);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(filled + read);
        self.eof = read == 0;
        Ok(read < READ_SIZE)
    }

    /// Hands out the bytes that no unfinished item needs any more, keeping the rest.
    fn cut(&mut self, framed: Vec<Framed>, input_paused: bool) -> Batch {
        let keep = [
            Some(self.pos),
            self.scan.map(|s| s.start),
            self.pending.as_ref().map(|p| p.range.start),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.pos);
        let rest = self.buf[keep..].to_vec();
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(keep);
        self.base += keep as u64;
        self.pos -= keep;
        if let Some(scan) = &mut self.scan {
            scan.start -= keep;
        }
        if let Some(pending) = &mut self.pending {
            pending.range = pending.range.start - keep..pending.range.end - keep;
        }
        Batch {
            bytes,
            framed,
            input_paused,
        }
    }

    fn position(&self, index: usize) -> Position {
        Position {
            line: self.line,
            column: self.base + index as u64 - self.line_start + 1,
        }
    }

    fn newline_at(&mut self, index: usize) {
        self.line += 1;
        self.line_start = self.base + index as u64 + 1;
    }

    fn error_here(&mut self, message: String) -> Step {
        let at = self.position(self.pos);
        self.abandon();
        Step::Found(Framed::Error(FrameError { at, message }))
    }

    /// Gives up on the current document and looks for the next one.
    fn abandon(&mut self) {
        self.context = Context::Top;
        self.scan = None;
        self.pending = None;
        self.resync = true;
    }

    fn step(&mut self) -> Step {
        if self.resync {
            return self.skip_to_document_line();
        }
        if self.scan.is_some() {
            return self.continue_scan();
        }
        match self.context {
            Context::Top => self.at_top(),
            Context::Elements {
                container,
                document,
                index,
                expect,
            } => self.in_elements(container, document, index, expect),
            Context::RecordsTail { document, depth } => self.in_records_tail(document, depth),
        }
    }

    /// Skips whitespace, counting lines; the index of the next other byte, if the buffer has one.
    fn skip_whitespace(&mut self) -> Option<usize> {
        while self.pos < self.buf.len() {
            match self.buf[self.pos] {
                b'\n' => self.newline_at(self.pos),
                b' ' | b'\t' | b'\r' => {}
                _ => return Some(self.pos),
            }
            self.pos += 1;
        }
        None
    }

    fn skip_to_document_line(&mut self) -> Step {
        // At the start of a line (or of the input), a document may begin right here.
        let at_line_start = self.base + self.pos as u64 == self.line_start;
        if at_line_start && self.pos < self.buf.len() && matches!(self.buf[self.pos], b'{' | b'[') {
            self.resync = false;
            return Step::Moved;
        }
        match memchr(b'\n', &self.buf[self.pos..]) {
            Some(offset) => {
                self.newline_at(self.pos + offset);
                self.pos += offset + 1;
                if self.pos < self.buf.len() {
                    Step::Moved
                } else {
                    Step::NeedMore
                }
            }
            None => {
                self.pos = self.buf.len();
                Step::NeedMore
            }
        }
    }

    fn at_top(&mut self) -> Step {
        let Some(i) = self.skip_whitespace() else {
            return Step::NeedMore;
        };
        let at = self.position(i);
        match self.buf[i] {
            b'{' => match records_array_start(&self.buf[i..], self.eof) {
                None => Step::NeedMore,
                Some(Some(length)) => {
                    self.consume_counting_lines(length);
                    self.context = Context::Elements {
                        container: Container::Records,
                        document: at,
                        index: 0,
                        expect: Expect::FirstElement,
                    };
                    Step::Moved
                }
                Some(None) => {
                    self.start_scan(at);
                    Step::Moved
                }
            },
            b'[' => {
                self.pos += 1;
                self.context = Context::Elements {
                    container: Container::Array,
                    document: at,
                    index: 0,
                    expect: Expect::FirstElement,
                };
                Step::Moved
            }
            other => self.error_here(format!(
                "expected a JSON document (`{{` or `[`), found {}",
                describe_byte(other)
            )),
        }
    }

    fn consume_counting_lines(&mut self, length: usize) {
        for i in self.pos..self.pos + length {
            if self.buf[i] == b'\n' {
                self.newline_at(i);
            }
        }
        self.pos += length;
    }

    fn in_elements(
        &mut self,
        container: Container,
        document: Position,
        index: usize,
        expect: Expect,
    ) -> Step {
        let Some(i) = self.skip_whitespace() else {
            return Step::NeedMore;
        };
        let byte = self.buf[i];
        let next = |expect| Context::Elements {
            container,
            document,
            index,
            expect,
        };
        match (expect, byte) {
            (Expect::CommaOrEnd, b',') => {
                self.pos += 1;
                self.context = Context::Elements {
                    container,
                    document,
                    index: index + 1,
                    expect: Expect::Element,
                };
                self.release_pending(true)
            }
            (Expect::CommaOrEnd | Expect::FirstElement, b']') => {
                self.pos += 1;
                self.context = match container {
                    Container::Array => Context::Top,
                    Container::Records => Context::RecordsTail { document, depth: 1 },
                };
                self.release_pending(index > 0)
            }
            (Expect::FirstElement | Expect::Element, b'}' | b']' | b',' | b':') => {
                self.error_here(format!("expected an array element, found {}", describe_byte(byte)))
            }
            (Expect::FirstElement | Expect::Element, _) => {
                self.context = next(Expect::CommaOrEnd);
                let at = self.position(i);
                self.start_scan(at);
                Step::Moved
            }
            // The element before a broken spot is whole: hand it over before reporting.
            (Expect::CommaOrEnd, _) if self.pending.is_some() => self.release_pending(index > 0),
            (Expect::CommaOrEnd, _) => self.error_here(format!(
                "expected `,` or `]` after array element {index}, found {}",
                describe_byte(byte)
            )),
        }
    }

    fn release_pending(&mut self, of_many: bool) -> Step {
        match self.pending.take() {
            Some(item) => Step::Found(Framed::Item(item.with_siblings(of_many))),
            None => Step::Moved,
        }
    }

    fn in_records_tail(&mut self, document: Position, depth: u32) -> Step {
        let scan = Scan {
            start: self.pos,
            at: document,
            depth,
            in_string: false,
        };
        match self.scan_value(scan) {
            ScanResult::Complete(_) => {
                self.context = Context::Top;
                Step::Moved
            }
            ScanResult::Partial(scan) => {
                self.context = Context::RecordsTail {
                    document,
                    depth: scan.depth,
                };
                Step::NeedMore
            }
            ScanResult::Broken(message) => self.error_here(message),
        }
    }

    fn start_scan(&mut self, at: Position) {
        self.scan = Some(Scan {
            start: self.pos,
            at,
            depth: 0,
            in_string: false,
        });
    }

    fn continue_scan(&mut self) -> Step {
        let Some(scan) = self.scan.take() else {
            return Step::Moved;
        };
        match self.scan_value(scan) {
            ScanResult::Complete(end) => self.complete(scan, end),
            ScanResult::Partial(scan) => {
                self.scan = Some(scan);
                Step::NeedMore
            }
            ScanResult::Broken(message) => self.error_here(message),
        }
    }

    fn complete(&mut self, scan: Scan, end: usize) -> Step {
        let range = scan.start..end;
        match self.context {
            Context::Elements {
                container,
                document,
                index,
                ..
            } => {
                self.pending = Some(Item {
                    range,
                    at: scan.at,
                    document_line: document.line,
                    place: Place::Element {
                        container,
                        index,
                        of_many: false,
                    },
                });
                Step::Moved
            }
            _ => Step::Found(Framed::Item(Item {
                range,
                at: scan.at,
                document_line: scan.at.line,
                place: Place::Document,
            })),
        }
    }

    /// Advances through one value from where `scan` left off.
    fn scan_value(&mut self, mut scan: Scan) -> ScanResult {
        let len = self.buf.len();
        // A value that is neither a container nor a string (a number, `true`…) ends at a delimiter.
        if scan.depth == 0 && !scan.in_string && self.pos == scan.start {
            match self.buf.get(self.pos) {
                Some(b'{' | b'[' | b'"') => {}
                Some(_) => return self.scan_scalar(scan),
                None => return ScanResult::Partial(scan),
            }
        }
        while self.pos < len {
            if scan.in_string {
                match memchr3(b'"', b'\\', b'\n', &self.buf[self.pos..len]) {
                    None => {
                        self.pos = len;
                        return ScanResult::Partial(scan);
                    }
                    Some(offset) => {
                        let i = self.pos + offset;
                        match self.buf[i] {
                            b'"' => {
                                scan.in_string = false;
                                self.pos = i + 1;
                                if scan.depth == 0 {
                                    return ScanResult::Complete(self.pos);
                                }
                            }
                            b'\\' if i + 1 < len => self.pos = i + 2,
                            b'\\' => {
                                // The escaped byte is in the next read.
                                self.pos = i;
                                return ScanResult::Partial(scan);
                            }
                            _ => {
                                self.pos = i;
                                return ScanResult::Broken(
                                    "string not closed before the end of the line".to_string(),
                                );
                            }
                        }
                    }
                }
                continue;
            }
            let byte = self.buf[self.pos];
            match byte {
                b'"' => scan.in_string = true,
                b'{' | b'[' => scan.depth += 1,
                b'}' | b']' => {
                    if scan.depth == 0 {
                        return ScanResult::Broken(format!("unexpected {}", describe_byte(byte)));
                    }
                    scan.depth -= 1;
                    if scan.depth == 0 {
                        self.pos += 1;
                        return ScanResult::Complete(self.pos);
                    }
                }
                b'\n' => self.newline_at(self.pos),
                _ => {}
            }
            self.pos += 1;
        }
        ScanResult::Partial(scan)
    }

    fn scan_scalar(&mut self, scan: Scan) -> ScanResult {
        let len = self.buf.len();
        let rest = &self.buf[self.pos..len];
        match rest
            .iter()
            .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'))
        {
            Some(offset) => {
                self.pos += offset;
                ScanResult::Complete(self.pos)
            }
            None if self.eof => {
                self.pos = len;
                ScanResult::Complete(len)
            }
            None => ScanResult::Partial(scan),
        }
    }

    /// Called when the input is over and nothing more can be framed: reports an unfinished
    /// document, if any. True when framing is over; false when it goes on after a broken value.
    fn end_of_input(&mut self, framed: &mut Vec<Framed>) -> bool {
        if self.resync {
            return true;
        }
        if let Some(scan) = self.scan.take() {
            let message = match self.context {
                Context::Elements { index, .. } => {
                    format!("input ends inside array element {index}: the document is incomplete")
                }
                _ => "input ends inside this JSON document: it is incomplete".to_string(),
            };
            framed.push(Framed::Error(FrameError { at: scan.at, message }));
            return !self.rescan_after(scan);
        }
        let document = match self.context {
            Context::Top => return true,
            Context::Elements { document, .. } | Context::RecordsTail { document, .. } => document,
        };
        // An element already scanned is whole and still worth reading.
        if let (Some(item), Context::Elements { index, .. }) = (self.pending.take(), self.context) {
            framed.push(Framed::Item(item.with_siblings(index > 0)));
        }
        framed.push(Framed::Error(FrameError {
            at: document,
            message: "input ends before this JSON document is closed: it is incomplete".to_string(),
        }));
        self.context = Context::Top;
        true
    }

    /// Restarts framing on the line after the one where an unfinished value began; false when
    /// there is no such line.
    fn rescan_after(&mut self, scan: Scan) -> bool {
        self.context = Context::Top;
        self.pending = None;
        match memchr(b'\n', &self.buf[scan.start..]) {
            Some(offset) => {
                self.pos = scan.start + offset + 1;
                self.line = scan.at.line + 1;
                self.line_start = self.base + self.pos as u64;
                self.resync = true;
                true
            }
            None => {
                self.pos = self.buf.len();
                false
            }
        }
    }
}

enum ScanResult {
    Complete(usize),
    Partial(Scan),
    Broken(String),
}

/// Whether a top-level object opens with `"Records": [`: `Some(Some(n))` with the length of
/// that opening, `Some(None)` if it does not, `None` if more bytes are needed to tell.
fn records_array_start(bytes: &[u8], eof: bool) -> Option<Option<usize>> {
    const KEY: &[u8] = b"\"Records\"";
    let mut i = 1;
    let mut expect: &[u8] = KEY;
    let mut stage = 0;
    loop {
        let Some(&byte) = bytes.get(i) else {
            return if eof { Some(None) } else { None };
        };
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') && (stage != 0 || expect.len() == KEY.len())
        {
            i += 1;
            continue;
        }
        match stage {
            0 => {
                if byte != expect[0] {
                    return Some(None);
                }
                expect = &expect[1..];
                if expect.is_empty() {
                    stage = 1;
                }
            }
            1 if byte == b':' => stage = 2,
            2 if byte == b'[' => return Some(Some(i + 1)),
            _ => return Some(None),
        }
        i += 1;
    }
}

fn describe_byte(byte: u8) -> String {
    match byte {
        b'!'..=b'~' => format!("`{}`", byte as char),
        _ => format!("byte 0x{byte:02x}"),
    }
}
