//! Splits a byte stream into JSON items — whole documents, or the elements of a top-level array or
//! of a Lambda event's `Records` array — so that any size of input streams in bounded memory.
//!
//! The framer only finds where items begin and end (strings, nesting, lines); the decoder parses
//! them. A raw newline can never sit inside a valid JSON string, so a broken document is abandoned
//! at the next line that starts with `{` or `[`, and everything after it is still read.
//!
//! A framer that trusts lines (`Framer::trusting_lines`) hands on a line that looks like one
//! document without scanning it; the decoder confirms it.

use std::io::{self, Read};
use std::ops::Range;

use memchr::{memchr, memchr2, memmem};

use crate::origin::Position;
use crate::problem::ProblemKind;
use crate::string_stop::string_stop;

/// How much to ask the reader for at a time: small enough that a batch is still in the CPU's
/// cache when it is checked and decoded (it is read, framed, validated and parsed), large enough
/// that reads are few. 256 KiB took 8% less CPU than 1 MiB on the benchmark, and half the memory.
pub const READ_SIZE: usize = 256 << 10;

/// The most items and errors one batch holds: with many tiny broken lines, errors in flight stay
/// as bounded as the bytes in flight.
const MAX_FRAMED_PER_BATCH: usize = 4096;

/// How far after a document's `{` its `"Records": [` may start and still be read record by
/// record; beyond this, the document is one item.
const RECORDS_LOOKAHEAD: usize = 4096;

/// The largest single item the framer buffers unless told otherwise (`--max-document`).
pub const DEFAULT_MAX_DOCUMENT: u64 = 1 << 30;

/// How many bytes from the first that is not white space tell whether an input looks binary.
const BINARY_SAMPLE: usize = 8 << 10;

/// The byte order mark some editors put at the start of UTF-8 text.
const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    /// Where the enclosing top-level document starts.
    pub document: Position,
    pub place: Place,
    /// Taken from a trusted line without being framed (see [`Framer::trusting_lines`]): the
    /// decoder must confirm that it is one JSON value.
    pub unchecked: bool,
}

impl Item {
    /// Where the line of an unchecked item starts in its batch (the item is on one line).
    pub fn trusted_line_start(&self) -> usize {
        self.range.start - (self.at.column - self.document.column) as usize
    }

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
    pub kind: ProblemKind,
    pub at: Position,
    pub message: String,
}

/// What the framer found, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    Item(Item),
    Error(FrameError),
}

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decided by the first byte that is not white space: `{` or `[` reads JSON, anything else
    /// reads a log.
    Auto,
    /// JSON documents, one after another; anything else is an error.
    Json,
    /// Log text: each line may hold a JSON value after some text (a timestamp, a level…); lines
    /// without one are skipped, and broken values are reported only when they look like an SES
    /// event.
    Log,
}

/// Whether the start of an input is binary: a NUL byte, or bytes that are not UTF-8 (a
/// character cut by the end of the sample does not count).
fn looks_binary(sample: &[u8]) -> bool {
    memchr(0, sample).is_some()
        || std::str::from_utf8(sample).is_err_and(|e| e.error_len().is_some())
}

/// Whether text that starts with `[` starts with a log level in brackets (`[INFO]`, `[ERROR]`…,
/// as Python's `logging` writes in Lambda) rather than a JSON array; `None` when more bytes are
/// needed to tell.
fn log_level_prefix(text: &[u8], eof: bool) -> Option<bool> {
    let word = text[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    match text.get(1 + word) {
        None if !eof && word < 16 => None,
        Some(b']') if word > 0 => {
            let word = &text[1..=word];
            Some(![&b"true"[..], b"false", b"null"].contains(&word))
        }
        _ => Some(false),
    }
}

/// A size in words: `1 GiB`, `64 MiB`, `512 KiB`, or bytes.
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes % unit == 0 {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// Whether text looks like it was meant to be an SES event (for log lines that fail to parse).
pub fn looks_like_event(text: &[u8]) -> bool {
    EVENT_SIGNS
        .iter()
        .any(|sign| memmem::find(text, sign).is_some())
}

/// Words whose presence says that text was meant to be an SES event.
const EVENT_SIGNS: [&[u8]; 7] = [
    b"Records",
    b"eventSource",
    b"notificationType",
    b"commonHeaders",
    b"\"ses\"",
    b"'ses'",
    b"ses:",
];

/// The items found in one read, with the bytes they point into.
#[derive(Debug, Default)]
pub struct Batch {
    /// The buffer the items point into; bytes past `end` are not part of the input.
    pub bytes: Vec<u8>,
    /// Where `bytes` starts in the input, and how many of them are the input's (the next batch
    /// starts where this one ends).
    pub start: u64,
    pub end: usize,
    pub framed: Vec<Framed>,
    /// The reader had no more bytes ready: whoever shows the results should not hold them back.
    pub input_paused: bool,
    /// The items come from log text: what is not an SES message is skipped, not an error.
    pub from_log: bool,
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
enum Within {
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
    RecordsTail { document: Position, scan: Scan },
    /// Past a broken element of a pretty-printed array: skipping lines up to the next one that
    /// starts a sibling (a `{` or `[` at the broken element's column) or ends the array.
    SkippingElement {
        container: Container,
        document: Position,
        index: usize,
        column: u64,
    },
}

/// The value being scanned: where it began and how deep the scan is inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    start: usize,
    at: Position,
    depth: u32,
    in_string: bool,
    /// A number or literal, which ends at a delimiter rather than a bracket or quote.
    scalar: bool,
    /// Larger than `--max-document`: reported, and followed to its end without keeping its bytes
    /// (`start` no longer points into the buffer).
    refused: bool,
}

impl Scan {
    fn new(start: usize, at: Position, depth: u32) -> Scan {
        Scan {
            start,
            at,
            depth,
            in_string: false,
            scalar: false,
            refused: false,
        }
    }
}

/// What a scan passes that matters beyond the value's extent.
enum Mark {
    /// A line end outside strings, at this index, at this depth.
    Newline { at: usize, depth: u32 },
    /// A `{` or `[` at the start of a line, at this index, with the depth before it.
    LineOpens { at: usize, depth: u32 },
    /// A `}` or `]` brought the depth down to this.
    Closed { depth: u32 },
}

/// The most lines that open a value inside one unfinished value that are followed at once.
const MAX_RESTARTS: usize = 1 << 16;

/// Where reading could start again if the value being scanned (in JSON) never closes: the lines
/// inside it that start with `{` or `[`, as the framer's recovery would try them, and the first
/// of them whose value is found to close. Lines start outside strings, so a value that starts on
/// one of them closes exactly when the depth comes back to where it was: one scan finds them
/// all, and an unclosed document is never scanned again line after line.
#[derive(Debug, Default)]
struct Restarts {
    /// Lines whose value is still open: (index, position, depth before), shallowest first; at
    /// most one per depth.
    open: Vec<(usize, Position, u32)>,
    /// The first such line (index and position) whose value closed.
    first_closed: Option<(usize, Position)>,
    /// The first line not followed, when more were open than `MAX_RESTARTS`: reading starts
    /// again there when none of those followed closed.
    first_unfollowed: Option<(usize, Position)>,
}

impl Restarts {
    fn clear(&mut self) {
        self.open.clear();
        self.first_closed = None;
        self.first_unfollowed = None;
    }

    fn opened(&mut self, at: usize, position: Position, depth: u32) {
        if self.open.len() < MAX_RESTARTS {
            self.open.push((at, position, depth));
        } else if self.first_unfollowed.is_none() {
            self.first_unfollowed = Some((at, position));
        }
    }

    fn closed(&mut self, depth: u32) {
        if let Some(&(at, position, opened)) = self.open.last()
            && opened == depth
        {
            self.open.pop();
            if self.first_closed.is_none_or(|(first, _)| at < first) {
                self.first_closed = Some((at, position));
            }
        }
    }

    fn rebase(&mut self, by: usize) {
        for (at, _, _) in &mut self.open {
            *at -= by;
        }
        for (at, _) in self
            .first_closed
            .iter_mut()
            .chain(&mut self.first_unfollowed)
        {
            *at -= by;
        }
    }
}

/// The most lines of an unclosed value in a log that are remembered (16 bytes each): past them,
/// the values that start inside it are scanned to its end one by one.
const MAX_UNCLOSED_LINES: usize = 1 << 20;

/// A line of a value being scanned in a log: where it starts (stream offset), the depth there,
/// and the lowest depth reached from there on (in its line while scanning; to the end of the
/// input once the value is known never to close).
#[derive(Debug, Clone, Copy)]
struct LineDepth {
    start: u64,
    depth: u32,
    lowest: u32,
}

/// What the scan of a value in a log learns, so that when it never closes, a value starting on
/// a later line inside it is known at once to never close either, instead of being scanned to
/// the end of the input again (a log of lines opening `{` would take quadratic time). From a
/// line start on, both scans are outside strings and read the same bytes: the later value
/// closes exactly where the first one's depth first drops by the later one's depth.
#[derive(Debug, Default)]
struct Unclosed {
    lines: Vec<LineDepth>,
    /// More lines than `MAX_UNCLOSED_LINES`: nothing is known.
    overflowed: bool,
    /// The scan reached the end of the input unclosed: `lines` hold the lowest depth to the end.
    known: bool,
    /// The line and line start at the end of the input.
    end: (u64, u64),
    /// The stream offset of the last sign of an SES event (see `looks_like_event`) in the value.
    last_event_sign: Option<u64>,
    /// The next line to look up (later values start further on).
    cursor: usize,
}

impl Unclosed {
    /// Forgets the lines of a value that closed (or broke), unless an unclosed one is known.
    fn restart(&mut self) {
        if !self.known {
            self.lines.clear();
            self.overflowed = false;
        }
    }

    fn newline(&mut self, start: u64, depth: u32) {
        if self.known || self.overflowed {
            return;
        }
        if self.lines.len() == MAX_UNCLOSED_LINES {
            self.overflowed = true;
            self.lines = Vec::new();
            return;
        }
        self.lines.push(LineDepth {
            start,
            depth,
            lowest: depth,
        });
    }

    fn closed(&mut self, depth: u32) {
        if let Some(line) = self.lines.last_mut().filter(|_| !self.known) {
            line.lowest = line.lowest.min(depth);
        }
    }

    /// The value scanned never closed: from now on its lines answer for later values in it.
    fn never_closed(&mut self, end: (u64, u64), value: &[u8], value_start: u64) {
        if self.known || self.overflowed {
            return;
        }
        let mut lowest = u32::MAX;
        for line in self.lines.iter_mut().rev() {
            lowest = lowest.min(line.lowest);
            line.lowest = lowest;
        }
        self.known = true;
        self.end = end;
        self.cursor = 0;
        self.last_event_sign = EVENT_SIGNS
            .iter()
            .filter_map(|sign| memmem::rfind(value, sign))
            .max()
            .map(|at| value_start + at as u64);
    }

    /// Whether a value at `depth` at the start of the line at stream offset `start` is known
    /// never to close.
    fn never_closes(&mut self, start: u64, depth: u32) -> bool {
        if !self.known {
            return false;
        }
        while self.lines.get(self.cursor).is_some_and(|l| l.start < start) {
            self.cursor += 1;
        }
        match self.lines.get(self.cursor) {
            Some(line) if line.start == start => {
                depth > line.depth || line.lowest > line.depth - depth
            }
            _ => false,
        }
    }
}

/// The outcome of one step of the framer.
enum Progress {
    Found(Framed),
    /// Progress was made without a result; step again.
    Moved,
    /// The buffer holds no more complete information.
    NeedMore,
}

/// Frames one input stream. See the module documentation.
pub struct Framer<R> {
    reader: R,
    /// Allocated (and zeroed) ahead of reads; bytes `..filled` hold input.
    buf: Vec<u8>,
    filled: usize,
    /// The next byte to look at.
    pos: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Line number of the byte at `pos`, and the stream offset at which that line starts.
    line: u64,
    line_start: u64,
    within: Within,
    scan: Option<Scan>,
    /// An element scanned completely, held until `,` or `]` says whether it has siblings.
    pending: Option<Item>,
    /// Where to read again if the value being scanned never closes.
    restarts: Restarts,
    /// In a log, what the scan of a value that never closes learned.
    unclosed: Unclosed,
    /// Skipping to the next line that starts with `{` or `[` after an error.
    resync: bool,
    eof: bool,
    done: bool,
    /// The last batch stopped at `MAX_FRAMED_PER_BATCH` with bytes left to frame.
    full: bool,
    mode: Mode,
    /// The most bytes one unfinished item may hold; past it, the item is refused.
    max_document: usize,
    /// In a log, a `}` or `]` just after an SES event on its line is reported (a bracket too
    /// many: the event's JSON is broken).
    report_stray_closers: bool,
    /// A value that looks like an SES event just ended in a log: the rest of its line is
    /// looked at for a stray closer.
    after_event: bool,
    /// Lines are trusted from this stream offset on (see `trusting_lines`).
    trust_from: Option<u64>,
    /// An unchecked item was handed out.
    trusted: bool,
}

impl<R: Read> Framer<R> {
    pub fn new(reader: R) -> Self {
        Framer::with_mode(reader, Mode::Auto)
    }

    pub fn with_mode(reader: R, mode: Mode) -> Self {
        Framer {
            mode,
            reader,
            buf: Vec::new(),
            filled: 0,
            pos: 0,
            base: 0,
            line: 1,
            line_start: 0,
            within: Within::Top,
            scan: None,
            pending: None,
            restarts: Restarts::default(),
            unclosed: Unclosed::default(),
            resync: false,
            eof: false,
            done: false,
            full: false,
            max_document: usize::try_from(DEFAULT_MAX_DOCUMENT).unwrap_or(usize::MAX),
            report_stray_closers: true,
            after_event: false,
            trust_from: None,
            trusted: false,
        }
    }

    /// Frames `reader` as JSON from `at`, the start of a line at stream offset `offset` (where
    /// a trusted line turned out not to be one document: see `trusting_lines`).
    pub fn resuming(reader: R, at: Position, offset: u64) -> Self {
        let mut framer = Framer::with_mode(reader, Mode::Json);
        framer.base = offset;
        framer.line = at.line;
        framer.line_start = (offset + 1).saturating_sub(at.column);
        framer
    }

    /// From stream offset `from` on, a JSON line that starts with `{` and ends with `}` is taken
    /// as one document — or as the one element of `{"Records":[…]}` — without being framed, as
    /// an `unchecked` item, when the framer is between documents at its start. Most input is
    /// one event per line, and the decoder parses each item whole anyway: if it confirms the
    /// item is one JSON value, framing it would have found the same item (the same bytes, place
    /// and positions). If it cannot, the caller frames again from that line with `resuming`,
    /// and nothing found after it may be used.
    pub fn trusting_lines(mut self, from: u64) -> Self {
        self.trust_from = Some(from);
        self
    }

    /// Whether an unchecked item was handed out.
    pub fn trusted(&self) -> bool {
        self.trusted
    }

    /// The reader, and the bytes read from it that no batch holds (they start where the last
    /// batch ended).
    pub fn into_parts(mut self) -> (R, Vec<u8>) {
        self.buf.truncate(self.filled);
        (self.reader, self.buf)
    }

    /// Refuses any single item larger than `bytes` (reported, then skipped to the next document
    /// line) instead of buffering it.
    pub fn with_max_document(mut self, bytes: u64) -> Self {
        self.max_document = usize::try_from(bytes).unwrap_or(usize::MAX).max(1);
        self
    }

    /// Leaves a `}` or `]` after an event in a log to the caller, which reports it itself.
    pub fn leaving_stray_closers(mut self) -> Self {
        self.report_stray_closers = false;
        self
    }

    /// Reads once and frames everything the buffer now completes; `None` once the input is over.
    /// Buffers in `spare` (from batches already used) are reused before new ones are made.
    pub fn next_batch(&mut self, spare: &mut Vec<Vec<u8>>) -> io::Result<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        if self.buf.is_empty() {
            self.buf = fresh_buffer(spare, 0);
        }
        let mut framed = Vec::new();
        // After a full batch, the bytes already read are framed before reading more.
        let input_paused = if std::mem::take(&mut self.full) {
            false
        } else {
            self.fill()?
        };
        loop {
            if framed.len() >= MAX_FRAMED_PER_BATCH {
                self.full = true;
                break;
            }
            match self.step() {
                Progress::Found(f) => framed.push(f),
                Progress::Moved => {}
                Progress::NeedMore if self.eof => {
                    if self.end_of_input(&mut framed) {
                        self.done = true;
                        break;
                    }
                }
                Progress::NeedMore => break,
            }
        }
        Ok(Some(self.cut(framed, input_paused || self.done, spare)))
    }

    /// Hands the framer's buffer to `spare`, for the next framer to read into without
    /// allocating (text inside envelopes and log events is framed thousands of times).
    pub fn recycle(self, spare: &mut Vec<Vec<u8>>) {
        if !self.buf.is_empty() {
            spare.push(self.buf);
        }
    }

    /// Reads once into the free end of the buffer (growing it for a long value, up to a read past
    /// the largest item allowed); true when the reader gave less than there was room for.
    fn fill(&mut self) -> io::Result<bool> {
        if self.buf.len() - self.filled < READ_SIZE / 4 {
            let most = self.max_document.saturating_add(READ_SIZE);
            let grown = (self.buf.len() * 2)
                .min(most)
                .max(self.filled + READ_SIZE / 4);
            self.buf.resize(grown, 0);
        }
        let room = self.buf.len() - self.filled;
        let read = loop {
            match self.reader.read(&mut self.buf[self.filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.filled += read;
        self.eof = read == 0;
        Ok(read < room)
    }

    /// Hands out the bytes that no unfinished item needs any more, keeping the rest.
    fn cut(&mut self, framed: Vec<Framed>, input_paused: bool, spare: &mut Vec<Vec<u8>>) -> Batch {
        let keep = [
            Some(self.pos),
            self.scan.filter(|s| !s.refused).map(|s| s.start),
            self.pending.as_ref().map(|p| p.range.start),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.pos);
        if keep == 0 {
            // Nothing framed yet: keep growing the same buffer rather than copying it.
            return Batch {
                bytes: Vec::new(),
                start: self.base,
                end: 0,
                framed,
                input_paused,
                from_log: self.mode == Mode::Log,
            };
        }
        let rest = self.filled - keep;
        let mut next = fresh_buffer(spare, rest);
        next[..rest].copy_from_slice(&self.buf[keep..self.filled]);
        // The batch keeps the whole buffer (its items point below `keep`): handed back as a
        // spare, it can be read into again without being cleared.
        let bytes = std::mem::replace(&mut self.buf, next);
        let start = self.base;
        self.filled = rest;
        self.base += keep as u64;
        self.pos -= keep;
        if let Some(scan) = self.scan.as_mut().filter(|s| !s.refused) {
            scan.start -= keep;
            self.restarts.rebase(keep);
        }
        if let Some(pending) = &mut self.pending {
            pending.range = pending.range.start - keep..pending.range.end - keep;
        }
        Batch {
            bytes,
            start,
            end: keep,
            framed,
            input_paused,
            from_log: self.mode == Mode::Log,
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

    fn error_here(&mut self, kind: ProblemKind, message: String) -> Progress {
        self.broken(None, kind, message)
    }

    /// Gives up on a value that started at `start` (if known); in a log, quietly unless it
    /// looks like an SES event.
    fn broken(&mut self, start: Option<usize>, kind: ProblemKind, message: String) -> Progress {
        let at = self.position(self.pos);
        let in_records = matches!(
            self.within,
            Within::Elements {
                container: Container::Records,
                ..
            } | Within::RecordsTail { .. }
                | Within::SkippingElement {
                    container: Container::Records,
                    ..
                }
        );
        let quiet = self.mode == Mode::Log
            && !in_records
            && !start.is_some_and(|s| looks_like_event(&self.buf[s..self.pos.max(s)]));
        self.abandon();
        if quiet {
            Progress::Moved
        } else {
            Progress::Found(Framed::Error(FrameError { kind, at, message }))
        }
    }

    /// Gives up on the current document and looks for the next one.
    fn abandon(&mut self) {
        self.within = Within::Top;
        self.scan = None;
        self.pending = None;
        self.resync = true;
    }

    fn step(&mut self) -> Progress {
        if self.resync {
            return self.skip_to_document_line();
        }
        if self.scan.is_some() {
            return self.continue_scan();
        }
        match self.within {
            Within::Top => self.at_top(),
            Within::Elements {
                container,
                document,
                index,
                expect,
            } => self.in_elements(container, document, index, expect),
            Within::RecordsTail { document, scan } => self.in_records_tail(document, scan),
            Within::SkippingElement {
                container,
                document,
                index,
                column,
            } => self.skip_broken_element(container, document, index, column),
        }
    }

    /// Skips whitespace, counting lines; the index of the next other byte, if the buffer has one.
    fn skip_whitespace(&mut self) -> Option<usize> {
        while self.pos < self.filled {
            match self.buf[self.pos] {
                b'\n' => self.newline_at(self.pos),
                b' ' | b'\t' | b'\r' => {}
                _ => return Some(self.pos),
            }
            self.pos += 1;
        }
        None
    }

    fn skip_to_document_line(&mut self) -> Progress {
        // At the start of a line (or of the input), a document may begin right here.
        let at_line_start = self.base + self.pos as u64 == self.line_start;
        let next = self.buf[..self.filled].get(self.pos);
        let document_start = self.mode == Mode::Log || matches!(next, Some(b'{' | b'['));
        if at_line_start && next.is_some() && document_start {
            self.resync = false;
            return Progress::Moved;
        }
        match memchr(b'\n', &self.buf[self.pos..self.filled]) {
            Some(offset) => {
                self.newline_at(self.pos + offset);
                self.pos += offset + 1;
                if self.pos < self.filled {
                    Progress::Moved
                } else {
                    Progress::NeedMore
                }
            }
            None => {
                self.pos = self.filled;
                Progress::NeedMore
            }
        }
    }

    fn at_top(&mut self) -> Progress {
        if self.after_event {
            return self.stray_closer();
        }
        if self.base + self.pos as u64 == 0 && self.buf[..self.filled].first() == Some(&BOM[0]) {
            if self.filled < BOM.len() && !self.eof {
                return Progress::NeedMore;
            }
            if self.buf[..self.filled].starts_with(BOM) {
                // Not part of the text: columns on the first line count from after it.
                self.pos = BOM.len();
                self.line_start = BOM.len() as u64;
            }
        }
        let Some(i) = self.skip_whitespace() else {
            return Progress::NeedMore;
        };
        if self.mode == Mode::Auto {
            self.mode = match self.buf[i] {
                b'[' => match log_level_prefix(&self.buf[i..self.filled], self.eof) {
                    None => return Progress::NeedMore,
                    Some(true) => Mode::Log,
                    Some(false) => Mode::Json,
                },
                b'{' => Mode::Json,
                // Decided on the same bytes whatever the read sizes (a pipe may give one byte).
                _ if self.filled - i < BINARY_SAMPLE && !self.eof => return Progress::NeedMore,
                _ if looks_binary(&self.buf[i..self.filled.min(i + BINARY_SAMPLE)]) => {
                    self.mode = Mode::Json;
                    self.pos = self.filled;
                    self.done_reading_binary();
                    return Progress::Found(Framed::Error(FrameError {
                        kind: ProblemKind::Framing,
                        at: self.position(i),
                        message: "this is neither JSON nor log text (it looks binary)".to_string(),
                    }));
                }
                _ => Mode::Log,
            };
        }
        if self.mode == Mode::Log && self.buf[i] != b'{' {
            return self.skip_log_text(i);
        }
        if let Some(progress) = self.trusted_line(i) {
            return progress;
        }
        let at = self.position(i);
        match self.buf[i] {
            b'{' => match records_array_start(&self.buf[i..self.filled], self.eof) {
                // `"Records"` follows the brace closely: this much white space cannot hide it.
                None if self.filled - i > RECORDS_LOOKAHEAD => {
                    self.start_scan(at);
                    Progress::Moved
                }
                None => Progress::NeedMore,
                Some(Some(length)) => {
                    self.consume_counting_lines(length);
                    self.within = Within::Elements {
                        container: Container::Records,
                        document: at,
                        index: 0,
                        expect: Expect::FirstElement,
                    };
                    Progress::Moved
                }
                Some(None) => {
                    self.start_scan(at);
                    Progress::Moved
                }
            },
            b'[' => {
                self.pos += 1;
                self.within = Within::Elements {
                    container: Container::Array,
                    document: at,
                    index: 0,
                    expect: Expect::FirstElement,
                };
                Progress::Moved
            }
            other => self.error_here(
                ProblemKind::Syntax,
                format!(
                    "expected a JSON document (`{{` or `[`), found {}",
                    describe_byte(other)
                ),
            ),
        }
    }

    /// Reports a `}` or `]` that follows an SES event on its line in a log.
    fn stray_closer(&mut self) -> Progress {
        let rest = &self.buf[self.pos..self.filled];
        let Some(offset) = rest.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r')) else {
            self.pos = self.filled;
            self.after_event = !self.eof;
            return if self.eof {
                Progress::Moved
            } else {
                Progress::NeedMore
            };
        };
        self.after_event = false;
        let i = self.pos + offset;
        let byte = self.buf[i];
        if !matches!(byte, b'}' | b']') {
            return Progress::Moved;
        }
        self.pos = i + 1;
        Progress::Found(Framed::Error(FrameError {
            kind: ProblemKind::Syntax,
            at: self.position(i),
            message: format!(
                "unexpected {} after the JSON value: the event's JSON is broken",
                describe_byte(byte)
            ),
        }))
    }

    /// Stops reading an input that is not text.
    fn done_reading_binary(&mut self) {
        self.eof = true;
        self.resync = true;
    }

    /// In a log, moves to the next `{` on this line, or past the line when it has none.
    fn skip_log_text(&mut self, from: usize) -> Progress {
        match memchr2(b'{', b'\n', &self.buf[from..self.filled]) {
            Some(offset) if self.buf[from + offset] == b'{' => {
                self.pos = from + offset;
                Progress::Moved
            }
            Some(offset) => {
                self.newline_at(from + offset);
                self.pos = from + offset + 1;
                Progress::Moved
            }
            None => {
                self.pos = self.filled;
                Progress::NeedMore
            }
        }
    }

    /// The line starting at `i` as one unchecked item (see `trusting_lines`), if it may be
    /// trusted: JSON is being read, `i` is the line's first byte, the line's end has been read,
    /// the line starts with `{` and ends with `}` (before white space), and the item is not
    /// larger than `--max-document`.
    fn trusted_line(&mut self, i: usize) -> Option<Progress> {
        let from = self.trust_from?;
        if self.mode != Mode::Json
            || self.base < from
            || self.base + i as u64 != self.line_start
            || self.buf[i] != b'{'
        {
            return None;
        }
        let rest = &self.buf[i..self.filled];
        // A line not read to its end yet is framed: a document is handed on as soon as it
        // closes, not when the line ends (a slow writer may not end it soon).
        let (mut line, newline) = match memchr(b'\n', rest) {
            Some(end) => (&rest[..end], Some(i + end)),
            None if self.eof => (rest, None),
            None => return None,
        };
        while let [before @ .., b' ' | b'\t' | b'\r'] = line {
            line = before;
        }
        if line.last() != Some(&b'}') {
            return None;
        }
        let (range, place) = match records_array_start(line, true)? {
            // `{"Records":[` and `]}` around one object.
            Some(open) if line.get(open) == Some(&b'{') && line[open..].ends_with(b"}]}") => (
                i + open..i + line.len() - 2,
                Place::Element {
                    container: Container::Records,
                    index: 0,
                    of_many: false,
                },
            ),
            Some(_) => return None,
            None => (i..i + line.len(), Place::Document),
        };
        if range.len() > self.max_document {
            return None;
        }
        let item = Item {
            at: self.position(range.start),
            document: self.position(i),
            range,
            place,
            unchecked: true,
        };
        match newline {
            Some(at) => {
                self.newline_at(at);
                self.pos = at + 1;
            }
            None => self.pos = self.filled,
        }
        self.trusted = true;
        Some(Progress::Found(Framed::Item(item)))
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
    ) -> Progress {
        let Some(i) = self.skip_whitespace() else {
            return Progress::NeedMore;
        };
        let byte = self.buf[i];
        let next = |expect| Within::Elements {
            container,
            document,
            index,
            expect,
        };
        match (expect, byte) {
            (Expect::CommaOrEnd, b',') => {
                self.pos += 1;
                self.within = Within::Elements {
                    container,
                    document,
                    index: index + 1,
                    expect: Expect::Element,
                };
                self.release_pending(true)
            }
            (Expect::CommaOrEnd | Expect::FirstElement, b']') => {
                self.pos += 1;
                self.within = match container {
                    Container::Array => Within::Top,
                    Container::Records => Within::RecordsTail {
                        document,
                        scan: Scan::new(self.pos, document, 1),
                    },
                };
                self.release_pending(index > 0)
            }
            // A stray comma, a trailing comma, or a missing one: reported, and the elements
            // around it are still read.
            (Expect::FirstElement | Expect::Element, b',') => {
                self.pos += 1;
                self.array_error(
                    format!("expected an array element, found {}", describe_byte(byte)),
                    i,
                )
            }
            (Expect::Element, b']') => {
                self.within = next(Expect::CommaOrEnd);
                self.array_error(
                    "expected an array element after `,`, found `]`".to_string(),
                    i,
                )
            }
            (Expect::CommaOrEnd, b'{' | b'[') if self.pending.is_none() => {
                self.within = Within::Elements {
                    container,
                    document,
                    index: index + 1,
                    expect: Expect::Element,
                };
                self.array_error(
                    format!(
                        "expected `,` or `]` after array element {index}, found {}",
                        describe_byte(byte)
                    ),
                    i,
                )
            }
            (Expect::FirstElement | Expect::Element, b'}' | b':') => self.error_here(
                ProblemKind::Syntax,
                format!("expected an array element, found {}", describe_byte(byte)),
            ),
            (Expect::FirstElement | Expect::Element, _) => {
                self.within = next(Expect::CommaOrEnd);
                let at = self.position(i);
                self.start_scan(at);
                Progress::Moved
            }
            // The element before a broken spot is whole: hand it over before reporting.
            (Expect::CommaOrEnd, _) if self.pending.is_some() => self.release_pending(index > 0),
            (Expect::CommaOrEnd, _) => self.error_here(
                ProblemKind::Syntax,
                format!(
                    "expected `,` or `]` after array element {index}, found {}",
                    describe_byte(byte)
                ),
            ),
        }
    }

    /// Goes on after a broken element, line by line: a line whose first byte (past white space)
    /// is a `{` or `[` at the broken element's column starts the next element; a bracket further
    /// left ends the array if it is `]`, and else gives the document up there. Other lines (the
    /// rest of a broken string, inner lines) are skipped.
    fn skip_broken_element(
        &mut self,
        container: Container,
        document: Position,
        index: usize,
        column: u64,
    ) -> Progress {
        loop {
            let Some(offset) = memchr(b'\n', &self.buf[self.pos..self.filled]) else {
                self.pos = self.filled;
                return Progress::NeedMore;
            };
            let line_end = self.pos + offset;
            let Some(first) = self.buf[line_end + 1..self.filled]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))
            else {
                // The next line's first byte is not read yet.
                self.pos = line_end;
                return Progress::NeedMore;
            };
            self.newline_at(line_end);
            self.pos = line_end + 1;
            let at = self.pos + first;
            let byte_column = first as u64 + 1;
            match self.buf[at] {
                b'\n' => self.pos = at,
                b'{' | b'[' if byte_column == column => {
                    self.pos = at;
                    self.within = Within::Elements {
                        container,
                        document,
                        index: index + 1,
                        expect: Expect::Element,
                    };
                    return Progress::Moved;
                }
                b']' if byte_column < column => {
                    self.pos = at;
                    self.within = Within::Elements {
                        container,
                        document,
                        index,
                        expect: Expect::CommaOrEnd,
                    };
                    return Progress::Moved;
                }
                b'{' | b'[' | b'}' if byte_column < column => {
                    self.abandon();
                    return Progress::Moved;
                }
                _ => {}
            }
        }
    }

    /// A problem between the elements of an array, at index `at`, that does not end the array.
    fn array_error(&mut self, message: String, at: usize) -> Progress {
        Progress::Found(Framed::Error(FrameError {
            kind: ProblemKind::Syntax,
            at: self.position(at),
            message,
        }))
    }

    fn release_pending(&mut self, of_many: bool) -> Progress {
        match self.pending.take() {
            Some(item) => Progress::Found(Framed::Item(item.with_siblings(of_many))),
            None => Progress::Moved,
        }
    }

    fn in_records_tail(&mut self, document: Position, mut scan: Scan) -> Progress {
        match self.scan_value(&mut scan) {
            ScanResult::Complete(_) => {
                self.within = Within::Top;
                // `"Records"` is itself a sign of an SES event.
                self.after_event = self.mode == Mode::Log && self.report_stray_closers;
                Progress::Moved
            }
            ScanResult::Partial => {
                self.within = Within::RecordsTail { document, scan };
                Progress::NeedMore
            }
            ScanResult::Broken(kind, message) => self.error_here(kind, message),
        }
    }

    fn start_scan(&mut self, at: Position) {
        self.scan = Some(Scan::new(self.pos, at, 0));
        self.restarts.clear();
        self.unclosed.restart();
    }

    fn continue_scan(&mut self) -> Progress {
        let Some(mut scan) = self.scan.take() else {
            return Progress::Moved;
        };
        match self.scan_value(&mut scan) {
            // Whole, and too large: reported in place of the item.
            ScanResult::Complete(end) if !scan.refused && end - scan.start > self.max_document => {
                self.refuse(&mut scan)
            }
            ScanResult::Complete(end) => self.complete(scan, end),
            ScanResult::Partial if !scan.refused && self.pos - scan.start > self.max_document => {
                let refused = self.refuse(&mut scan);
                self.scan = Some(scan);
                refused
            }
            ScanResult::Partial => {
                self.scan = Some(scan);
                Progress::NeedMore
            }
            ScanResult::Broken(kind, message) => match self.within {
                Within::Elements {
                    container,
                    document,
                    index,
                    ..
                } if self.mode == Mode::Json && scan.at.column > 1 => {
                    self.within = Within::SkippingElement {
                        container,
                        document,
                        index,
                        column: scan.at.column,
                    };
                    let at = self.position(self.pos);
                    let what = match container {
                        Container::Records => "record",
                        Container::Array => "element",
                    };
                    let of = match container {
                        Container::Records => "of Records",
                        Container::Array => "of the array",
                    };
                    let message = format!(
                        "{message}: skipped {what} {index} {of} at line {} column {}",
                        scan.at.line, scan.at.column
                    );
                    Progress::Found(Framed::Error(FrameError { kind, at, message }))
                }
                _ => {
                    let start = (!scan.refused).then_some(scan.start);
                    self.broken(start, kind, message)
                }
            },
        }
    }

    /// Reports that the value `scan` follows is larger than `--max-document`; from now on its
    /// bytes are not kept.
    fn refuse(&mut self, scan: &mut Scan) -> Progress {
        scan.refused = true;
        // Its bytes will not be kept: there is nothing to read again.
        self.restarts.clear();
        Progress::Found(Framed::Error(FrameError {
            kind: ProblemKind::Framing,
            at: scan.at,
            message: format!(
                "this item is larger than the limit of {} (--max-document): skipped",
                describe_size(self.max_document as u64)
            ),
        }))
    }

    fn complete(&mut self, scan: Scan, end: usize) -> Progress {
        if scan.refused {
            return Progress::Moved;
        }
        let range = scan.start..end;
        match self.within {
            Within::Elements {
                container,
                document,
                index,
                ..
            } => {
                self.pending = Some(Item {
                    range,
                    at: scan.at,
                    document,
                    place: Place::Element {
                        container,
                        index,
                        of_many: false,
                    },
                    unchecked: false,
                });
                Progress::Moved
            }
            _ => {
                self.after_event = self.mode == Mode::Log
                    && self.report_stray_closers
                    && looks_like_event(&self.buf[range.clone()]);
                Progress::Found(Framed::Item(Item {
                    range,
                    at: scan.at,
                    document: scan.at,
                    place: Place::Document,
                    unchecked: false,
                }))
            }
        }
    }

    /// Advances through one value from where `scan` left off, counting lines.
    fn scan_value(&mut self, scan: &mut Scan) -> ScanResult {
        // A value that is neither a container nor a string (a number, `true`…) ends at a delimiter.
        if scan.depth == 0 && !scan.in_string && !scan.refused && self.pos == scan.start {
            match self.buf[..self.filled].get(self.pos) {
                Some(b'{' | b'[' | b'"') => {}
                Some(_) => scan.scalar = true,
                None => return ScanResult::Partial,
            }
        }
        // Never past the limit before the scan is refused, so that it is refused at the same
        // byte whatever the read sizes.
        let end = if scan.refused {
            self.filled
        } else {
            self.filled.min(
                scan.start
                    .saturating_add(self.max_document)
                    .saturating_add(1),
            )
        };
        if scan.scalar {
            return self.scan_scalar(end);
        }
        let in_tail = matches!(self.within, Within::RecordsTail { .. });
        if self.mode == Mode::Log && !in_tail && !scan.refused && self.unclosed.known {
            return self.scan_inside_unclosed(scan, end);
        }
        self.advance(scan, end, in_tail)
    }

    /// Advances `scan` up to `end`, counting lines and noting what recovery needs.
    fn advance(&mut self, scan: &mut Scan, end: usize, in_tail: bool) -> ScanResult {
        let (line, line_start, base) = (&mut self.line, &mut self.line_start, self.base);
        let (restarts, unclosed) = (&mut self.restarts, &mut self.unclosed);
        let track = self.mode == Mode::Json && !in_tail;
        let track_lines = self.mode == Mode::Log && !in_tail && !scan.refused;
        scan.advance(&self.buf[..end], &mut self.pos, |mark| match mark {
            Mark::Newline { at, depth } => {
                *line += 1;
                *line_start = base + at as u64 + 1;
                if track_lines {
                    unclosed.newline(*line_start, depth);
                }
            }
            Mark::LineOpens { at, depth } if track && depth > 0 => {
                let position = Position {
                    line: *line,
                    column: 1,
                };
                restarts.opened(at, position, depth);
            }
            Mark::Closed { depth } if track => restarts.closed(depth),
            Mark::Closed { depth } if track_lines => unclosed.closed(depth),
            Mark::LineOpens { .. } | Mark::Closed { .. } => {}
        })
    }

    /// Scans a value that starts inside a value of a log known never to close, a line at a time:
    /// at the start of a line, the known value tells whether this one ever closes, and when it
    /// does not, the scan goes straight to the end of the input.
    fn scan_inside_unclosed(&mut self, scan: &mut Scan, end: usize) -> ScanResult {
        loop {
            let line_end =
                memchr(b'\n', &self.buf[self.pos..end]).map_or(end, |i| self.pos + i + 1);
            let result = self.advance(scan, line_end, false);
            if !matches!(result, ScanResult::Partial) || self.pos == end {
                return result;
            }
            let at_line_start = self.pos == line_end && !scan.in_string;
            if at_line_start
                && self
                    .unclosed
                    .never_closes(self.base + self.pos as u64, scan.depth)
            {
                // The input is over (that is how the known value was found unclosed).
                self.pos = self.filled;
                (self.line, self.line_start) = self.unclosed.end;
                return ScanResult::Partial;
            }
            if !at_line_start {
                return result;
            }
        }
    }

    fn scan_scalar(&mut self, len: usize) -> ScanResult {
        let rest = &self.buf[self.pos..len];
        match rest
            .iter()
            .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'))
        {
            Some(offset) => {
                self.pos += offset;
                ScanResult::Complete(self.pos)
            }
            None if self.eof && len == self.filled => {
                self.pos = len;
                ScanResult::Complete(len)
            }
            None => {
                self.pos = len;
                ScanResult::Partial
            }
        }
    }

    /// Called when the input is over and nothing more can be framed: reports an unfinished
    /// document, if any. True when framing is over; false when it goes on after a broken value.
    fn end_of_input(&mut self, framed: &mut Vec<Framed>) -> bool {
        if self.resync {
            return true;
        }
        if let Some(scan) = self.scan.take() {
            let message = match self.within {
                Within::Elements { index, .. } => {
                    format!("input ends inside array element {index}: the document is incomplete")
                }
                _ => "input ends inside this JSON document: it is incomplete".to_string(),
            };
            if scan.refused {
                // Its bytes are gone: there is nothing to read again.
                framed.push(Framed::Error(FrameError {
                    kind: ProblemKind::Framing,
                    at: scan.at,
                    message,
                }));
                return true;
            }
            let quiet = self.mode == Mode::Log && !self.event_sign_to_end(scan.start);
            if !quiet {
                framed.push(Framed::Error(FrameError {
                    kind: ProblemKind::Framing,
                    at: scan.at,
                    message,
                }));
            }
            if self.mode == Mode::Json {
                return !self.restart_at_first_closed();
            }
            let value = &self.buf[scan.start..self.filled];
            let start = self.base + scan.start as u64;
            self.unclosed
                .never_closed((self.line, self.line_start), value, start);
            return !self.rescan_after(scan);
        }
        let document = match self.within {
            Within::Top => return true,
            Within::Elements { document, .. }
            | Within::RecordsTail { document, .. }
            | Within::SkippingElement { document, .. } => document,
        };
        // An element already scanned is whole and still worth reading.
        if let (Some(item), Within::Elements { index, .. }) = (self.pending.take(), self.within) {
            framed.push(Framed::Item(item.with_siblings(index > 0)));
        }
        framed.push(Framed::Error(FrameError {
            kind: ProblemKind::Framing,
            at: document,
            message: "input ends before this JSON document is closed: it is incomplete".to_string(),
        }));
        self.within = Within::Top;
        true
    }

    /// Whether the input from `start` to its end holds a sign of an SES event.
    fn event_sign_to_end(&self, start: usize) -> bool {
        if self.unclosed.known {
            let start = self.base + start as u64;
            return self.unclosed.last_event_sign.is_some_and(|at| at >= start);
        }
        looks_like_event(&self.buf[start..self.filled])
    }

    /// Restarts framing at the first line inside the unfinished value whose own value closes (or,
    /// past `MAX_RESTARTS`, at the first line not followed); false when there is none: nothing
    /// after the unfinished value's start is whole.
    fn restart_at_first_closed(&mut self) -> bool {
        self.within = Within::Top;
        self.pending = None;
        let restart = self.restarts.first_closed.take();
        match restart.or(self.restarts.first_unfollowed.take()) {
            Some((at, position)) => {
                self.pos = at;
                self.line = position.line;
                self.line_start = self.base + at as u64;
                self.resync = true;
                true
            }
            None => {
                self.pos = self.filled;
                false
            }
        }
    }

    /// Restarts framing on the line after the one where an unfinished value began; false when
    /// there is no such line.
    fn rescan_after(&mut self, scan: Scan) -> bool {
        self.within = Within::Top;
        self.pending = None;
        match memchr(b'\n', &self.buf[scan.start..self.filled]) {
            Some(offset) => {
                self.pos = scan.start + offset + 1;
                self.line = scan.at.line + 1;
                self.line_start = self.base + self.pos as u64;
                self.resync = true;
                true
            }
            None => {
                self.pos = self.filled;
                false
            }
        }
    }
}

enum ScanResult {
    /// The value ends just before this index.
    Complete(usize),
    /// The bytes ran out inside the value.
    Partial,
    Broken(ProblemKind, String),
}

impl Scan {
    /// Scans `bytes` from `pos` until the value ends, breaks or the bytes run out, telling `mark`
    /// of each line end, line that opens a value and close passed outside strings. Resumable:
    /// called again with more bytes, it goes on where it stopped, inside a string or not.
    fn advance(&mut self, bytes: &[u8], pos: &mut usize, mut mark: impl FnMut(Mark)) -> ScanResult {
        let len = bytes.len();
        while *pos < len {
            if self.in_string {
                let Some(offset) = string_stop(&bytes[*pos..len]) else {
                    *pos = len;
                    return ScanResult::Partial;
                };
                let i = *pos + offset;
                match bytes[i] {
                    b'"' => {
                        *pos = i + 1;
                        if self.depth == 0 {
                            self.in_string = false;
                            return ScanResult::Complete(*pos);
                        }
                        // Most strings are followed by `:` or `,` and the next string: those
                        // bytes mean nothing to the scan, so it steps straight into that string.
                        match &bytes[*pos..len] {
                            [b':' | b',', b'"', ..] => *pos += 2,
                            [b':' | b',', b' ', b'"', ..] => *pos += 3,
                            _ => self.in_string = false,
                        }
                    }
                    b'\\' if i + 1 == len => {
                        // The escaped byte is in the next read.
                        *pos = i;
                        return ScanResult::Partial;
                    }
                    b'\\' if bytes[i + 1] != b'\n' => *pos = i + 2,
                    // A line end, escaped or not, breaks the string.
                    stop => {
                        *pos = if stop == b'\\' { i + 1 } else { i };
                        return ScanResult::Broken(
                            ProblemKind::Framing,
                            "string not closed before the end of the line".to_string(),
                        );
                    }
                }
                continue;
            }
            let byte = bytes[*pos];
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => {
                    if *pos > 0 && bytes[*pos - 1] == b'\n' {
                        mark(Mark::LineOpens {
                            at: *pos,
                            depth: self.depth,
                        });
                    }
                    self.depth += 1;
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        return ScanResult::Broken(
                            ProblemKind::Syntax,
                            format!("unexpected {}", describe_byte(byte)),
                        );
                    }
                    self.depth -= 1;
                    mark(Mark::Closed { depth: self.depth });
                    if self.depth == 0 {
                        *pos += 1;
                        return ScanResult::Complete(*pos);
                    }
                }
                b'\n' => mark(Mark::Newline {
                    at: *pos,
                    depth: self.depth,
                }),
                _ => {}
            }
            *pos += 1;
        }
        ScanResult::Partial
    }
}

/// Follows the first JSON object in text that arrives in pieces (log events split by Lambda),
/// to tell whether it is still unfinished. Each byte is scanned once, however many pieces come.
#[derive(Debug, Default)]
pub struct Unfinished {
    scan: Option<Scan>,
    done: bool,
}

impl Unfinished {
    /// Takes the next piece; true while the first object (from the first `{`) is still open.
    /// Text with no `{` at all holds nothing unfinished.
    pub fn after(&mut self, piece: &[u8]) -> bool {
        if self.done {
            return false;
        }
        let mut pos = 0;
        if self.scan.is_none() {
            let Some(brace) = memchr(b'{', piece) else {
                self.done = true;
                return false;
            };
            pos = brace;
            self.scan = Some(Scan::new(brace, Position::START, 0));
        }
        let Some(scan) = self.scan.as_mut() else {
            return false;
        };
        match scan.advance(piece, &mut pos, |_| {}) {
            ScanResult::Partial => true,
            ScanResult::Complete(_) | ScanResult::Broken(..) => {
                self.done = true;
                false
            }
        }
    }
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

/// A buffer with room for `keep` bytes and a read: a spare one when it is big enough, or else a
/// new one with room to spare, so that it can be reused as it is.
fn fresh_buffer(spare: &mut Vec<Vec<u8>>, keep: usize) -> Vec<u8> {
    spare
        .pop()
        .filter(|b| b.len() >= keep + READ_SIZE)
        .unwrap_or_else(|| vec![0; keep + 2 * READ_SIZE])
}

fn describe_byte(byte: u8) -> String {
    match byte {
        b'!'..=b'~' => format!("`{}`", byte as char),
        _ => format!("byte 0x{byte:02x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read, so every value is split across reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.split_first() {
                Some((&byte, rest)) if !buf.is_empty() => {
                    buf[0] = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    /// (text of each item or `!message`, line, column), reading JSON.
    fn frame(input: &str, trickle: bool) -> Vec<(String, u64, u64)> {
        frame_as(input, trickle, Mode::Json)
    }

    fn frame_as(input: &str, trickle: bool, mode: Mode) -> Vec<(String, u64, u64)> {
        let reader: Box<dyn Read> = if trickle {
            Box::new(Trickle(input.as_bytes()))
        } else {
            Box::new(input.as_bytes())
        };
        let mut framer = Framer::with_mode(reader, mode);
        let mut out = Vec::new();
        while let Some(batch) = framer
            .next_batch(&mut Vec::new())
            .expect("reading from memory")
        {
            for framed in batch.framed {
                out.push(match framed {
                    Framed::Item(item) => {
                        let text = String::from_utf8_lossy(&batch.bytes[item.range]).into_owned();
                        (text, item.at.line, item.at.column)
                    }
                    Framed::Error(e) => (format!("!{}", e.message), e.at.line, e.at.column),
                });
            }
        }
        out
    }

    fn both(input: &str) -> Vec<(String, u64, u64)> {
        let whole = frame(input, false);
        assert_eq!(whole, frame(input, true), "framing depends on read sizes");
        whole
    }

    fn texts(input: &str) -> Vec<String> {
        both(input).into_iter().map(|(t, _, _)| t).collect()
    }

    /// Hands out the bytes in reads of the sizes `sizes` gives, one after another (cycling).
    struct Reads<'a> {
        bytes: &'a [u8],
        sizes: &'a [usize],
        next: usize,
    }

    impl Read for Reads<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let size = self.sizes[self.next % self.sizes.len()];
            self.next += 1;
            let n = self.bytes.len().min(size).min(buf.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Everything framed (items as text, with their place), read in reads of `sizes`.
    fn framed_in_reads(input: &[u8], sizes: &[usize], max_document: u64) -> Vec<String> {
        let reads = Reads {
            bytes: input,
            sizes,
            next: 0,
        };
        let mut framer = Framer::new(reads).with_max_document(max_document);
        let mut out = Vec::new();
        let mut spare = Vec::new();
        while let Some(batch) = framer.next_batch(&mut spare).expect("reading from memory") {
            assert!(batch.framed.len() <= MAX_FRAMED_PER_BATCH);
            for framed in &batch.framed {
                out.push(match framed {
                    Framed::Item(item) => format!(
                        "{:?} {:?} {}",
                        item.at,
                        item.place,
                        String::from_utf8_lossy(&batch.bytes[item.range.clone()])
                    ),
                    Framed::Error(e) => format!("{:?} !{}", e.at, e.message),
                });
            }
            spare.push(batch.bytes);
        }
        out
    }

    /// Frames `input` whole and in many other read sizes, which must all give the same.
    fn same_in_any_reads(input: &[u8], max_document: u64) -> Vec<String> {
        let whole = framed_in_reads(input, &[usize::MAX], max_document);
        let boundaries = (1..input.len().min(300)).chain([input.len() / 2, input.len() - 1]);
        for first in boundaries {
            for sizes in [&[first, usize::MAX][..], &[first, 1, 7][..]] {
                let framed = framed_in_reads(input, sizes, max_document);
                assert_eq!(whole, framed, "reads of {sizes:?} frame differently");
            }
        }
        whole
    }

    #[test]
    fn the_tail_after_records_is_framed_alike_in_any_reads() {
        // The tail's strings hold what would be a record if the framer lost track of them.
        let forged = r#"{\"eventSource\":\"aws:ses\"} ] } {\"x\": [\"\\\\\"}"#;
        let input = format!(
            "{{\"Records\":[{{\"a\":1}}],\"t\":\"{forged}\",\"u\":[\"]}}\",{{\"v\":\"\\\"\"}}]}}\n{{\"b\":2}}\n"
        );
        let found = same_in_any_reads(input.as_bytes(), DEFAULT_MAX_DOCUMENT);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].ends_with(" {\"a\":1}"), "{found:?}");
        assert!(found[1].ends_with(" {\"b\":2}"), "{found:?}");
    }

    #[test]
    fn strings_after_a_colon_or_comma_are_framed_alike_in_any_reads() {
        // The scan steps from a string over `:` or `,` (and a space) into the next one; a read
        // may end anywhere in those bytes, and a line end or bracket there is no such step.
        let input =
            b"{\"a\": \"b\", \"c\":\"d\",\"e\":\n\"f\", \"g\" :\"h\", \"i\": [\"j\",\"k\"]}\n\
            {\"l\": \"m\n\"}\n[\"n\", \"o\",  \"p\"]";
        let found = same_in_any_reads(input, DEFAULT_MAX_DOCUMENT);
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found[0].ends_with(r#"["j","k"]}"#), "{found:?}");
        assert!(found[1].contains("string not closed"), "{found:?}");
        assert!(found[4].ends_with(" \"p\""), "{found:?}");
        same_in_any_reads(input, 12);
    }

    #[test]
    fn hostile_shapes_are_framed_alike_in_any_reads() {
        let inputs: [&[u8]; 10] = [
            b"{\n  \"Records\": [\n    {\n      \"a\": \"x\ny\",\n      \"b\": [\n        {}\n      ]\n    },\n    {\n      \"c\": 1\n    }\n  ]\n}\n{\"d\":2}",
            b"[\n  {\"a\": \"x\n}\n  ]\n[\n  {\"b\": \"x\n  }\n{\"e\":5}\n",
            b"[1, 22, true ,\"s\\\"\", {\"a\":[1,{}]}, null]\n{\"b\":1}",
            b"{\"Records\" :\n [ {\"a\":\"x\ny\"}, {\"b\":2} ] , \"z\": \"\\\\\" }{\"c\":3}",
            b"{\"a\":{\n{\"b\":1}\n{\"c\":\n[2]\n",
            b"\xEF\xBB\xBF{\"a\":1}}\n{\"b\":2}",
            b"INFO x {\"a\": \"{\" } y {\"b\":\n2}\n",
            b"[INFO]\tx\t{\"a\":1}\n[ERROR] {\"Records\": [\"cut\n",
            b"{\"Records\":[{\"a\":\"0123456789abcdef\"},{\"b\":1},7777777777777777777]}",
            b"[{\"a\":\"0123456789abcdef0123\n\"}]\n{\"c\":1}",
        ];
        for input in inputs {
            same_in_any_reads(input, DEFAULT_MAX_DOCUMENT);
            same_in_any_reads(input, 12);
        }
    }

    #[test]
    fn items_over_the_limit_are_reported_and_followed_without_being_kept() {
        let input = b"{\"Records\":[{\"a\":\"0123456789abcdef\"},{\"b\":1}]}\n{\"c\":\"0123456789abcdef\nx\n{\"d\":2}";
        let found = same_in_any_reads(input, 12);
        let expected = [
            "Position { line: 1, column: 13 } !this item is larger than the limit of 12 bytes (--max-document): skipped",
            "Position { line: 1, column: 38 } Element { container: Records, index: 1, of_many: true } {\"b\":1}",
            "Position { line: 2, column: 1 } !this item is larger than the limit of 12 bytes (--max-document): skipped",
            "Position { line: 2, column: 23 } !string not closed before the end of the line",
            "Position { line: 4, column: 1 } Document {\"d\":2}",
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn many_unclosed_lines_are_one_problem_found_in_one_scan() {
        let input = "{x\n".repeat(MAX_RESTARTS / 2);
        let found = framed_in_reads(input.as_bytes(), &[usize::MAX], DEFAULT_MAX_DOCUMENT);
        assert_eq!(
            found,
            [
                "Position { line: 1, column: 1 } !input ends inside this JSON document: it is incomplete"
            ]
        );
        // A line inside that is whole is still read.
        let found = same_in_any_reads(b"{\"a\":[\n{\"b\":{\n{\"c\":1}\n", DEFAULT_MAX_DOCUMENT);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].ends_with("Document {\"c\":1}"), "{found:?}");
    }

    #[test]
    fn a_batch_holds_a_bounded_number_of_errors() {
        let input = "{}\n".repeat(3 * MAX_FRAMED_PER_BATCH);
        let found = framed_in_reads(input.as_bytes(), &[usize::MAX], DEFAULT_MAX_DOCUMENT);
        assert_eq!(found.len(), 3 * MAX_FRAMED_PER_BATCH);
    }

    #[test]
    fn a_binary_input_longer_than_the_buffer_is_refused_once() {
        let found = framed_in_reads(&vec![0; 3 * READ_SIZE], &[usize::MAX], DEFAULT_MAX_DOCUMENT);
        assert_eq!(
            found,
            [
                "Position { line: 1, column: 1 } !this is neither JSON nor log text (it looks binary)"
            ]
        );
    }

    #[test]
    fn splits_concatenated_and_ndjson_documents() {
        assert_eq!(
            texts("{\"a\":1}{\"b\":2}\n {\"c\":\"}{\"}\n"),
            ["{\"a\":1}", "{\"b\":2}", "{\"c\":\"}{\"}"]
        );
    }

    #[test]
    fn streams_records_one_by_one() {
        let input = "{ \"Records\" : [ {\"x\":\"]\"}, {\"y\":[1,2]} ] }\n{\"Records\":[]}";
        assert_eq!(texts(input), ["{\"x\":\"]\"}", "{\"y\":[1,2]}"]);
    }

    #[test]
    fn records_not_first_is_one_document() {
        assert_eq!(
            texts("{\"v\":1,\"Records\":[{}]}"),
            ["{\"v\":1,\"Records\":[{}]}"]
        );
    }

    #[test]
    fn top_level_array_elements_are_items() {
        assert_eq!(
            texts("[{\"a\":1},\n {\"b\":\"\\\"\"}, 3]"),
            ["{\"a\":1}", "{\"b\":\"\\\"\"}", "3"]
        );
    }

    #[test]
    fn knows_whether_an_element_has_siblings() {
        let mut framer = Framer::new(&b"{\"Records\":[{}]} {\"Records\":[{},{}]}"[..]);
        let batch = framer
            .next_batch(&mut Vec::new())
            .expect("read")
            .expect("a batch");
        let places: Vec<Place> = batch
            .framed
            .iter()
            .filter_map(|f| match f {
                Framed::Item(item) => Some(item.place),
                Framed::Error(_) => None,
            })
            .collect();
        let element = |index, of_many| Place::Element {
            container: Container::Records,
            index,
            of_many,
        };
        assert_eq!(
            places,
            [element(0, false), element(0, true), element(1, true)]
        );
    }

    #[test]
    fn counts_lines_and_columns() {
        let found = both("\n\n  {\"a\":\n1}\n{\"Records\": [\n   {}\n]}");
        assert_eq!(found, [("{\"a\":\n1}".into(), 3, 3), ("{}".into(), 6, 4)]);
    }

    #[test]
    fn resumes_after_garbage_at_the_next_document_line() {
        let found = both("hello {\"not\":1}\n  {\"indented\":1}\n{\"a\":1}");
        assert_eq!(
            found[0].0,
            "!expected a JSON document (`{` or `[`), found `h`"
        );
        assert_eq!(&found[1..], [("{\"a\":1}".into(), 3, 1)]);
    }

    #[test]
    fn an_unclosed_string_ends_at_its_line() {
        let found = both("{\"a\":\"oops\n{\"b\":1}\n");
        assert_eq!(
            found,
            [
                (
                    "!string not closed before the end of the line".into(),
                    1,
                    11
                ),
                ("{\"b\":1}".into(), 2, 1)
            ]
        );
    }

    #[test]
    fn a_backslash_does_not_escape_a_line_end() {
        let found = both("{\"a\\\n\n{\"b\":\"x\n{\"c\":\"\\\n\"}\n{\"d\":1}");
        let broken = "!string not closed before the end of the line";
        assert_eq!(
            found,
            [
                (broken.into(), 1, 5),
                (broken.into(), 3, 8),
                (broken.into(), 4, 8),
                ("{\"d\":1}".into(), 6, 1)
            ]
        );
    }

    #[test]
    fn a_truncated_document_is_reported_and_later_lines_still_read() {
        let found = both("{\"a\":{\"b\":1}\n{\"c\":2}\n");
        assert_eq!(
            found[0],
            (
                "!input ends inside this JSON document: it is incomplete".into(),
                1,
                1
            )
        );
        assert_eq!(found[1], ("{\"c\":2}".into(), 2, 1));
    }

    #[test]
    fn keeps_whole_records_of_a_cut_off_document() {
        let found = texts("{\"Records\":[{\"a\":1},{\"b\":2}");
        assert_eq!(
            found,
            [
                "{\"a\":1}",
                "{\"b\":2}",
                "!input ends before this JSON document is closed: it is incomplete"
            ]
        );
    }

    #[test]
    fn deep_nesting_is_counted_not_recursed() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(frame(&deep, false).len(), 1);
    }

    fn log(input: &str) -> Vec<(String, u64, u64)> {
        let whole = frame_as(input, false, Mode::Auto);
        assert_eq!(
            whole,
            frame_as(input, true, Mode::Auto),
            "framing depends on read sizes"
        );
        whole
    }

    #[test]
    fn finds_json_after_any_prefix_in_log_text() {
        let found = log(
            "START RequestId: x\n2024-06-01T10:00:00Z\tid\tINFO\t{\"a\":\n 1} tail [x]\nEND\nEVENT: {\"b\":2}\n",
        );
        assert_eq!(
            found,
            [("{\"a\":\n 1}".into(), 2, 30), ("{\"b\":2}".into(), 5, 8)]
        );
    }

    #[test]
    fn broken_log_fragments_are_quiet_unless_they_look_like_events() {
        assert_eq!(log("note {oops\nINFO {\"x\": \"cut\n"), []);
        let found = log("INFO {\"Records\": [\"cut\nnext {\"b\":1}\n");
        assert_eq!(found[0].0, "!string not closed before the end of the line");
        assert_eq!(found[1], ("{\"b\":1}".into(), 2, 6));
    }

    #[test]
    fn a_closer_too_many_after_an_event_in_a_log_is_reported() {
        let found = log(
            "INFO {\"Records\":[{\"a\":1}]}} \nINFO {\"eventSource\":1} \t]}\nINFO {\"b\":2}}\nINFO {\"notificationType\":1} x}\n",
        );
        let unexpected = |closer| {
            format!("!unexpected `{closer}` after the JSON value: the event's JSON is broken")
        };
        assert_eq!(
            found,
            [
                ("{\"a\":1}".into(), 1, 18),
                (unexpected('}'), 1, 27),
                ("{\"eventSource\":1}".into(), 2, 6),
                (unexpected(']'), 2, 25),
                ("{\"b\":2}".into(), 3, 6),
                ("{\"notificationType\":1}".into(), 4, 6),
            ]
        );
    }

    #[test]
    fn values_inside_an_unclosed_value_of_a_log_are_not_scanned_to_its_end_again() {
        // Each `{` line never closes, and each `{}` line closes: rescanning from every line to
        // the end of the input would be quadratic (minutes here).
        let lines = 100_000;
        let input = "x {\n{}\n".repeat(lines);
        let started = std::time::Instant::now();
        let found = framed_in_reads(input.as_bytes(), &[usize::MAX], DEFAULT_MAX_DOCUMENT);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(found.len(), lines);
        assert_eq!(found[1], "Position { line: 4, column: 1 } Document {}");
        // Reported where it looks like an event, and the same in any reads.
        let input = "a {\"Records\":\n{}\nb {\n{\"eventSource\":[\n{}\n]}\n{\n";
        let found = same_in_any_reads(input.as_bytes(), DEFAULT_MAX_DOCUMENT);
        let incomplete = "!input ends inside this JSON document: it is incomplete";
        assert_eq!(
            found,
            [
                format!("Position {{ line: 1, column: 3 }} {incomplete}"),
                "Position { line: 2, column: 1 } Document {}".to_string(),
                format!("Position {{ line: 3, column: 3 }} {incomplete}"),
                "Position { line: 4, column: 1 } Document {\"eventSource\":[\n{}\n]}".to_string(),
            ]
        );
    }

    #[test]
    fn binary_input_is_refused() {
        let found = log("\u{0}\u{1}binary");
        assert_eq!(
            found,
            [(
                "!this is neither JSON nor log text (it looks binary)".into(),
                1,
                1
            )]
        );
    }

    #[test]
    fn binary_is_told_on_the_same_bytes_in_any_reads() {
        let found = same_in_any_reads(b"p\0", DEFAULT_MAX_DOCUMENT);
        assert_eq!(
            found,
            [
                "Position { line: 1, column: 1 } !this is neither JSON nor log text (it looks binary)"
            ]
        );
        // A NUL past the sample does not make text binary, however it is read.
        let mut late = b"note {\"a\":1}\n".to_vec();
        late.resize(BINARY_SAMPLE, b' ');
        late.push(0);
        for sizes in [&[usize::MAX][..], &[1], &[7, 4096], &[BINARY_SAMPLE - 1, 1]] {
            let found = framed_in_reads(&late, sizes, DEFAULT_MAX_DOCUMENT);
            assert_eq!(
                found,
                ["Position { line: 1, column: 6 } Document {\"a\":1}"],
                "reads of {sizes:?}"
            );
        }
    }

    #[test]
    fn empty_and_blank_input_frame_nothing() {
        assert!(texts("").is_empty());
        assert!(texts(" \n\t\r\n").is_empty());
    }
}
