//! Runs the inputs through framing and decoding to a command. With one thread, the main thread
//! does everything; with more, worker threads take turns to read and frame the next batch of the
//! inputs, then decode it and collect from its messages, and the main thread hands results on in
//! the order the input had them, so the output is the same with one thread or many. Problems
//! are reported in that order too, and the run goes on past them. With a limit, reading stops
//! once that many messages are out; a progress line follows the run when asked for.
//!
//! Past an input's first batch, lines are trusted (`Framer::trusting_lines`): a line that looks
//! like one document is handed on unframed, and the decoder's parse confirms it. When one is
//! not, what was found from its line on is thrown away and the input is framed again from
//! there (`Reframe`), so the results are those of framing everything. Before reading moves on
//! to the next input, it waits to hear that every trusted line of this one was confirmed.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::decode::decode_item;
use crate::input::frame::{Batch, Framed, Framer};
use crate::input::{Input, Limits};
use crate::model::Message;
use crate::origin::{Origin, Position};
use crate::problem::{Problem, ProblemKind, Reporter};
use crate::progress::Progress;
use crate::select::Filter;

/// What a command does with each message. `collect` sees one message at a time, on any thread,
/// and adds what it needs to a part (rows, counts…); parts reach the command's sink in order.
/// Problems and notes it finds go to `findings`, and are reported in order with the part.
pub trait Collect: Sync {
    type Part: Default + Send;
    fn collect(&self, message: &Message, part: &mut Self::Part, findings: &mut Findings);
}

/// Problems (which make the run fail) and notes found while collecting from one batch.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

/// What to read, which messages to keep, and how.
#[derive(Debug, Clone)]
pub struct Reading {
    pub inputs: Vec<Input>,
    pub filter: Filter,
    /// 1 decodes on the main thread; more start that many workers.
    pub threads: usize,
    /// Stop once this many messages passed the filter.
    pub limit: Option<usize>,
    /// Count documents that are not SES events instead of reporting each.
    pub skip_foreign: bool,
    /// Show a progress line on stderr.
    pub progress: bool,
    pub limits: Limits,
    /// Lines are trusted from this offset of each input on (see `Framer::trusting_lines`);
    /// `None` frames every byte.
    pub trust_lines_from: Option<u64>,
}

impl Reading {
    /// Every message of `inputs`, one thread, nothing filtered, limited or trusted, no progress
    /// line: the settings to change from, for comparing runs.
    pub fn of(inputs: Vec<Input>) -> Reading {
        Reading {
            inputs,
            filter: Filter::default(),
            threads: 1,
            limit: None,
            skip_foreign: false,
            progress: false,
            limits: Limits::default(),
            trust_lines_from: None,
        }
    }
}

/// What a run found, to compare runs (tests, fuzzing): each message as its place and JSON text,
/// in order, then each line it reported.
pub fn transcript(reading: &Reading) -> io::Result<Vec<String>> {
    struct Record;
    impl Collect for Record {
        type Part = Vec<String>;
        fn collect(&self, message: &Message, part: &mut Vec<String>, _: &mut Findings) {
            part.push(format!("{} {}", message.origin.exact(), message.raw));
        }
    }
    let mut reporter = Reporter::keeping();
    let mut found = Vec::new();
    run(reading, Arc::new(Record), &mut reporter, |delivery| {
        found.extend(delivery.part);
        Ok(())
    })?;
    found.extend(reporter.kept());
    Ok(found)
}

/// Past the first batch of an input, so that an input of one batch (a directory of small files)
/// never waits for its results before the next is read.
pub const TRUST_LINES_FROM: u64 = 1;

/// One batch's result: the part, and whether the input had no more bytes ready (so output
/// should not wait).
pub struct Delivery<P> {
    pub part: P,
    pub input_paused: bool,
}

/// Reads every input in order, handing each batch's part to `sink` in input order; only messages
/// that pass the filter reach `collect`, and no more than the limit. Unreadable inputs and
/// undecodable documents are reported and skipped; only a failing `sink` (stdout) stops the run.
pub fn run<C: Collect + Send + 'static>(
    reading: &Reading,
    collect: Arc<C>,
    reporter: &mut Reporter,
    sink: impl FnMut(Delivery<C::Part>) -> io::Result<()>,
) -> io::Result<()> {
    if reading.limit == Some(0) {
        return Ok(());
    }
    let total = if reading.progress {
        reading.inputs.iter().map(Input::size).sum()
    } else {
        None
    };
    let progress = Progress::new(reading.progress, total);
    let read = Arc::clone(progress.counter());
    let mut deliver = Deliverer {
        reporter,
        sink,
        reading,
        collect: &*collect,
        left: reading.limit,
        messages: vec![0; reading.inputs.len()],
        problems: vec![0; reading.inputs.len()],
        skipped: Skipped::default(),
        progress,
        spare: Vec::new(),
    };
    let mut feeder = Feeder::new(Arc::new(reading.clone()), read);
    if reading.threads <= 1 {
        let mut spare = Vec::new();
        while let Some(fed) = feeder.next(&mut spare) {
            let done = match fed {
                Fed::Batch { input, batch } => {
                    let processed = process(reading, &*collect, input, &batch, deliver.left);
                    // Each batch is decoded before the next is framed: framed again at once.
                    if let Some(unconfirmed) = processed.unconfirmed {
                        feeder.reframe(Reframe::from(&batch, unconfirmed));
                    }
                    Done::Batch {
                        input,
                        processed,
                        batch,
                    }
                }
                Fed::Notice(notice) => Done::Notice(notice),
                Fed::Settle => continue,
            };
            let flow = deliver.handle(done)?;
            spare.append(&mut deliver.spare);
            if let Flow::Stop = flow {
                break;
            }
        }
    } else {
        run_parallel(feeder, Arc::clone(&collect), &mut deliver)?;
    }
    deliver.finish();
    Ok(())
}

/// Whether reading goes on.
#[derive(Debug)]
enum Flow {
    Continue,
    /// The limit is reached.
    Stop,
}

/// Where in a batch an unchecked item was found not to be one JSON value: its line's start.
#[derive(Debug, Clone, Copy)]
struct Unconfirmed {
    from: usize,
    at: Position,
}

/// The input's bytes from the start of a wrongly trusted line to the end of the last batch
/// framed, to be framed again.
#[derive(Debug)]
struct Reframe {
    bytes: Vec<u8>,
    offset: u64,
    at: Position,
}

impl Reframe {
    fn from(batch: &Batch, unconfirmed: Unconfirmed) -> Reframe {
        Reframe {
            bytes: batch.bytes[unconfirmed.from..batch.end].to_vec(),
            offset: batch.start + unconfirmed.from as u64,
            at: unconfirmed.at,
        }
    }

    /// Adds the input's bytes of a batch framed after the wrong line, to be framed again too.
    fn append(&mut self, batch: &Batch) {
        self.bytes.extend_from_slice(&batch.bytes[..batch.end]);
    }

    /// A framer that reads these bytes, then `framer`'s unframed ones, then the rest of its
    /// reader (or `failure`, the error its last read gave).
    fn framer(
        self,
        framer: Framer<Box<dyn Read + Send>>,
        failure: Option<io::Error>,
        limits: Limits,
    ) -> Framer<Box<dyn Read + Send>> {
        let (reader, unframed) = framer.into_parts();
        let mut bytes = self.bytes;
        bytes.extend_from_slice(&unframed);
        let rest: Box<dyn Read + Send> = match failure {
            Some(error) => Box::new(Failing(Some(error))),
            None => reader,
        };
        let reader = Box::new(io::Cursor::new(bytes).chain(rest));
        Framer::resuming(reader as Box<dyn Read + Send>, self.at, self.offset)
            .with_max_document(limits.max_document)
    }
}

/// A reader that gives the error it holds, once.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// What the feeder hands on, in input order.
enum Fed {
    Batch {
        input: usize,
        batch: Batch,
    },
    Notice(Notice),
    /// Lines of the input were trusted and it is over: whoever asked for more hears whether to
    /// frame it again (`Feeder::reframe`) before asking again.
    Settle,
}

/// News about an input that is not a batch.
enum Notice {
    /// The input could not be opened or read any further.
    Failed { input: usize, problem: Problem },
    /// Every batch of the input has been handed on.
    Ended { input: usize },
}

/// What reaches the main thread from the workers, in input order.
enum Arrival<P> {
    Done(Done<P>),
    /// A worker waits to hear whether to frame again (`Fed::Settle`, or a batch framed after
    /// a wrongly trusted line).
    Await,
}

impl<P> Arrival<P> {
    /// The tokens it held (see `tokens_for`).
    fn tokens(&self, in_flight: usize) -> usize {
        match self {
            Arrival::Done(Done::Batch { batch, .. }) => tokens_for(batch.bytes.len(), in_flight),
            Arrival::Done(Done::Notice(_)) | Arrival::Await => 1,
        }
    }
}

/// What the deliverer receives, in input order.
enum Done<P> {
    Batch {
        input: usize,
        processed: Processed<P>,
        batch: Batch,
    },
    Notice(Notice),
}

/// Opens, reads and frames every input in order (counting the bytes read in `read`), handing on
/// one thing at a time (`next`): the thread that asks reads, so the bytes it is handed are in
/// its core's cache. After a batch or `Fed::Settle`, `reframe` frames the input again from a
/// wrongly trusted line.
struct Feeder {
    reading: Arc<Reading>,
    read: Arc<AtomicU64>,
    /// The next input to open.
    next_input: usize,
    framing: Option<Framing>,
    /// Notices to hand on before anything else.
    queued: VecDeque<Notice>,
}

/// The input being framed.
struct Framing {
    input: usize,
    framer: Framer<Box<dyn Read + Send>>,
    /// `Fed::Settle` was handed on: the input is over (with the error its last read gave, if
    /// any) unless it is framed again.
    settling: Option<Option<io::Error>>,
}

impl Feeder {
    fn new(reading: Arc<Reading>, read: Arc<AtomicU64>) -> Feeder {
        Feeder {
            reading,
            read,
            next_input: 0,
            framing: None,
            queued: VecDeque::new(),
        }
    }

    /// What comes next, reading into buffers from `spare` where it can; `None` once every input
    /// is over.
    fn next(&mut self, spare: &mut Vec<Vec<u8>>) -> Option<Fed> {
        loop {
            if let Some(notice) = self.queued.pop_front() {
                return Some(Fed::Notice(notice));
            }
            let Some(framing) = &mut self.framing else {
                self.open_next()?;
                continue;
            };
            if let Some(failure) = framing.settling.take() {
                self.end(failure);
                continue;
            }
            let failure = match framing.framer.next_batch(spare) {
                Ok(Some(batch)) => {
                    let input = framing.input;
                    return Some(Fed::Batch { input, batch });
                }
                Ok(None) => None,
                Err(error) => Some(error),
            };
            if framing.framer.trusted() {
                framing.settling = Some(failure);
                return Some(Fed::Settle);
            }
            self.end(failure);
        }
    }

    /// Frames the current input again from a wrongly trusted line: `reframe` holds the bytes
    /// from there to the end of the last batch handed on.
    fn reframe(&mut self, reframe: Reframe) {
        if let Some(framing) = self.framing.take() {
            let failure = framing.settling.flatten();
            let framer = reframe.framer(framing.framer, failure, self.reading.limits);
            self.framing = Some(Framing {
                framer,
                settling: None,
                ..framing
            });
        }
    }

    /// Opens the next input (or queues why it cannot be); `None` when there is none.
    fn open_next(&mut self) -> Option<()> {
        let input = self.next_input;
        let source = self.reading.inputs.get(input)?;
        self.next_input += 1;
        match source.open(&self.read) {
            Err(problem) => {
                self.queued.push_back(Notice::Failed { input, problem });
                self.queued.push_back(Notice::Ended { input });
            }
            Ok(reader) => {
                let limits = self.reading.limits;
                let mut framer = Framer::new(reader).with_max_document(limits.max_document);
                if let Some(from) = self.reading.trust_lines_from {
                    framer = framer.trusting_lines(from);
                }
                self.framing = Some(Framing {
                    input,
                    framer,
                    settling: None,
                });
            }
        }
        Some(())
    }

    /// Ends the current input, after the error its reading gave, if any.
    fn end(&mut self, failure: Option<io::Error>) {
        if let Some(Framing { input, .. }) = self.framing.take() {
            if let Some(error) = failure {
                let problem = self.reading.inputs[input].problem(&error);
                self.queued.push_back(Notice::Failed { input, problem });
            }
            self.queued.push_back(Notice::Ended { input });
        }
    }
}

/// Batches between reading and the sink per worker: enough to keep workers busy, few enough
/// to keep memory flat however slowly the output drains.
const IN_FLIGHT_PER_WORKER: usize = 3;

/// A batch holding more bytes than this counts as several batches in flight, so that large
/// documents are not held many at a time: with the batches of ordinary reads (256 KiB to 1 MiB) it
/// counts as one.
const BYTES_PER_TOKEN: usize = 4 << 20;

/// How many of the `in_flight` tokens a batch of `bytes` takes: at least one, and at most all of
/// them (then it is alone in flight).
fn tokens_for(bytes: usize, in_flight: usize) -> usize {
    bytes.div_ceil(BYTES_PER_TOKEN).clamp(1, in_flight)
}

/// Workers take turns to read and frame the next batch (so that its bytes are decoded by the
/// core that read them), decode it, and send what they found to this thread, which delivers
/// results in input order as they arrive — so a slow or interactive input never holds back
/// output already decoded. A bounded channel of tokens limits how far reading runs ahead of
/// delivery, by batches and by bytes.
fn run_parallel<C, S>(
    feeder: Feeder,
    collect: Arc<C>,
    deliver: &mut Deliverer<'_, C, S>,
) -> io::Result<()>
where
    C: Collect + Send + 'static,
    S: FnMut(Delivery<C::Part>) -> io::Result<()>,
{
    let reading = Arc::clone(&feeder.reading);
    let in_flight = reading.threads * IN_FLIGHT_PER_WORKER;
    let (results, finished) = mpsc::channel::<(u64, Arrival<C::Part>)>();
    let (tokens, token_back) = mpsc::sync_channel::<()>(in_flight);
    let (spare_back, spare_in) = mpsc::channel::<Vec<u8>>();
    let (answers, answer_in) = mpsc::channel::<Option<Reframe>>();
    let wrong_line = Arc::new(AtomicBool::new(false));
    let pulling = Arc::new(Mutex::new(Pulling {
        feeder,
        spare: Vec::new(),
        spare_in,
        answer_in,
        wrong_line: Arc::clone(&wrong_line),
        handing: Handing {
            sequence: 0,
            in_flight,
            tokens,
            results: results.clone(),
        },
    }));
    for _ in 0..reading.threads {
        let (pulling, results) = (Arc::clone(&pulling), results.clone());
        let (reading, collect) = (Arc::clone(&reading), Arc::clone(&collect));
        std::thread::spawn(move || {
            while let Some((sequence, input, batch)) = next_job(&pulling) {
                let processed = process(&reading, &*collect, input, &batch, reading.limit);
                let done = Done::Batch {
                    input,
                    processed,
                    batch,
                };
                if results.send((sequence, Arrival::Done(done))).is_err() {
                    break;
                }
            }
        });
    }
    drop((pulling, results));
    let mut order = Reorder::default();
    let mut reframing = Reframing {
        pending: None,
        wrong_line,
        answers,
    };
    while let Ok((sequence, arrival)) = finished.recv() {
        order.arrive(sequence, arrival);
        let mut delivered = 0;
        while let Some(arrival) = order.next() {
            delivered += arrival.tokens(in_flight);
            if let Flow::Stop = reframing.pass(arrival, deliver)? {
                // Dropping the channels stops the workers.
                return Ok(());
            }
        }
        for _ in 0..delivered {
            let _ = token_back.recv();
        }
        for buffer in deliver.spare.drain(..) {
            let _ = spare_back.send(buffer);
        }
    }
    Ok(())
}

/// What the workers share, one at a time: the feeder, the buffers to read into, and the ends
/// of the channels through which what they take is numbered and answered.
struct Pulling<P> {
    feeder: Feeder,
    spare: Vec<Vec<u8>>,
    /// Buffers the main thread is done with.
    spare_in: mpsc::Receiver<Vec<u8>>,
    /// Whether to frame again, after an `Arrival::Await`.
    answer_in: mpsc::Receiver<Option<Reframe>>,
    /// Set by the main thread when a trusted line was not one document.
    wrong_line: Arc<AtomicBool>,
    handing: Handing<P>,
}

impl<P> Pulling<P> {
    /// The next batch to decode, numbered in input order; what is not a batch goes straight to
    /// the main thread. `None` once the inputs are over; an error once the main thread stopped.
    fn next_job(&mut self) -> io::Result<Option<(u64, usize, Batch)>> {
        loop {
            self.spare.extend(self.spare_in.try_iter());
            let Some(fed) = self.feeder.next(&mut self.spare) else {
                return Ok(None);
            };
            match fed {
                Fed::Batch { input, batch } => {
                    if self.wrong_line.load(Ordering::Acquire)
                        && let Some(mut reframe) = self.answer()?
                    {
                        // Framed after a wrongly trusted line: framed again with it.
                        reframe.append(&batch);
                        self.spare.push(batch.bytes);
                        self.feeder.reframe(reframe);
                        continue;
                    }
                    let sequence = self.handing.batch(&batch)?;
                    return Ok(Some((sequence, input, batch)));
                }
                Fed::Notice(notice) => {
                    self.handing.arrival(Arrival::Done(Done::Notice(notice)))?;
                }
                Fed::Settle => {
                    if let Some(reframe) = self.answer()? {
                        self.feeder.reframe(reframe);
                    }
                }
            }
        }
    }

    /// Waits for everything handed on so far to be delivered, and hears whether to frame again.
    fn answer(&mut self) -> io::Result<Option<Reframe>> {
        self.handing.arrival(Arrival::Await)?;
        let answer = self.answer_in.recv().map_err(|_| stopped())?;
        self.wrong_line.store(false, Ordering::Release);
        Ok(answer)
    }
}

fn next_job<P>(pulling: &Mutex<Pulling<P>>) -> Option<(u64, usize, Batch)> {
    pulling.lock().ok()?.next_job().ok().flatten()
}

/// Numbers what is handed on in input order, after taking the tokens it weighs.
struct Handing<P> {
    sequence: u64,
    in_flight: usize,
    tokens: mpsc::SyncSender<()>,
    results: mpsc::Sender<(u64, Arrival<P>)>,
}

impl<P> Handing<P> {
    /// A batch, which the worker taking it decodes: its number.
    fn batch(&mut self, batch: &Batch) -> io::Result<u64> {
        self.take_tokens(tokens_for(batch.bytes.len(), self.in_flight))?;
        Ok(self.next())
    }

    /// Anything else, straight to the main thread.
    fn arrival(&mut self, arrival: Arrival<P>) -> io::Result<()> {
        self.take_tokens(1)?;
        let sequence = self.next();
        self.results
            .send((sequence, arrival))
            .map_err(|_| stopped())
    }

    fn take_tokens(&self, weight: usize) -> io::Result<()> {
        for _ in 0..weight {
            self.tokens.send(()).map_err(|_| stopped())?;
        }
        Ok(())
    }

    fn next(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence - 1
    }
}

fn stopped() -> io::Error {
    io::Error::other("the delivering side has stopped")
}

/// Results of batches framed after a wrongly trusted line may arrive before the workers hear of
/// it: they are set aside, and their bytes kept to be framed again, until a worker asks.
struct Reframing {
    pending: Option<Reframe>,
    /// Tells the workers that a trusted line was not one document.
    wrong_line: Arc<AtomicBool>,
    answers: mpsc::Sender<Option<Reframe>>,
}

impl Reframing {
    fn pass<C, S>(
        &mut self,
        arrival: Arrival<C::Part>,
        deliver: &mut Deliverer<'_, C, S>,
    ) -> io::Result<Flow>
    where
        C: Collect,
        S: FnMut(Delivery<C::Part>) -> io::Result<()>,
    {
        match arrival {
            // A worker waits, and everything handed on before has arrived: the bytes to
            // frame again, if any, are all here.
            Arrival::Await => {
                let _ = self.answers.send(self.pending.take());
                Ok(Flow::Continue)
            }
            Arrival::Done(Done::Batch { batch, .. }) if self.pending.is_some() => {
                if let Some(reframe) = &mut self.pending {
                    reframe.append(&batch);
                }
                deliver.spare.push(batch.bytes);
                Ok(Flow::Continue)
            }
            Arrival::Done(done) => {
                if let Done::Batch {
                    processed, batch, ..
                } = &done
                    && let Some(unconfirmed) = processed.unconfirmed
                {
                    self.pending = Some(Reframe::from(batch, unconfirmed));
                    self.wrong_line.store(true, Ordering::Release);
                }
                deliver.handle(done)
            }
        }
    }
}

/// Results that arrived out of order, held until their turn.
struct Reorder<P> {
    next: u64,
    waiting: BTreeMap<u64, Arrival<P>>,
}

impl<P> Default for Reorder<P> {
    fn default() -> Self {
        Reorder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<P> Reorder<P> {
    fn arrive(&mut self, sequence: u64, arrival: Arrival<P>) {
        self.waiting.insert(sequence, arrival);
    }

    /// The next result in input order, once it has arrived.
    fn next(&mut self) -> Option<Arrival<P>> {
        let arrival = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(arrival)
    }
}

/// Hands results on in order: reports problems (or counts foreign documents), passes parts to
/// the sink, keeps to the limit, notes inputs that held no message, moves the progress line, and
/// keeps the batch buffers for reuse.
struct Deliverer<'r, C, S> {
    reporter: &'r mut Reporter,
    sink: S,
    reading: &'r Reading,
    collect: &'r C,
    /// How many more messages may go out, with a limit.
    left: Option<usize>,
    messages: Vec<usize>,
    problems: Vec<usize>,
    skipped: Skipped,
    progress: Progress,
    spare: Vec<Vec<u8>>,
}

/// What `--skip-foreign` left out.
#[derive(Debug, Default)]
struct Skipped {
    documents: usize,
    inputs: usize,
}

impl<C: Collect, S: FnMut(Delivery<C::Part>) -> io::Result<()>> Deliverer<'_, C, S> {
    fn handle(&mut self, done: Done<C::Part>) -> io::Result<Flow> {
        match done {
            Done::Batch {
                input,
                mut processed,
                batch,
            } => {
                if let Some(left) = self.left.filter(|left| processed.selected > *left) {
                    // Decoded ahead of its turn with room for more: decode again up to the limit.
                    processed = process(self.reading, self.collect, input, &batch, Some(left));
                }
                self.messages[input] += processed.messages;
                for problem in &processed.findings.problems {
                    self.report(input, problem);
                }
                for note in &processed.findings.notes {
                    self.progress.suspend(|| self.reporter.note(note));
                }
                self.progress.advance(processed.messages);
                self.spare.push(batch.bytes);
                (self.sink)(Delivery {
                    part: processed.part,
                    input_paused: batch.input_paused,
                })?;
                if let Some(left) = &mut self.left {
                    *left -= processed.selected;
                    if *left == 0 {
                        return Ok(Flow::Stop);
                    }
                }
            }
            Done::Notice(Notice::Failed { input, problem }) => self.report(input, &problem),
            Done::Notice(Notice::Ended { input }) => {
                if self.messages[input] == 0 && self.problems[input] == 0 {
                    if self.reading.skip_foreign {
                        self.skipped.inputs += 1;
                    } else {
                        let name = &self.reading.inputs[input].name;
                        self.progress.suspend(|| {
                            self.reporter
                                .note(format_args!("{name}: no SES messages found"))
                        });
                    }
                }
            }
        }
        Ok(Flow::Continue)
    }

    fn report(&mut self, input: usize, problem: &Problem) {
        if self.reading.skip_foreign && problem.kind == ProblemKind::NotSes {
            self.skipped.documents += 1;
            return;
        }
        self.problems[input] += 1;
        let reporter = &mut *self.reporter;
        self.progress.suspend(|| reporter.problem(problem));
    }

    /// Clears the progress line and says what was skipped.
    fn finish(self) {
        self.progress.finish();
        let Skipped { documents, inputs } = self.skipped;
        let mut parts = Vec::new();
        match documents {
            0 => {}
            1 => parts.push("1 document that is not an SES event".to_string()),
            n => parts.push(format!("{n} documents that are not SES events")),
        }
        match inputs {
            0 => {}
            1 => parts.push("1 input that holds no SES event".to_string()),
            n => parts.push(format!("{n} inputs that hold no SES event")),
        }
        if !parts.is_empty() {
            self.reporter.note(format_args!(
                "--skip-foreign: skipped {}",
                parts.join(", and ")
            ));
        }
    }
}

struct Processed<P> {
    part: P,
    /// Messages decoded, and those of them that passed the filter and were collected.
    messages: usize,
    selected: usize,
    findings: Findings,
    /// An unchecked item that was not one JSON value: decoding stopped there.
    unconfirmed: Option<Unconfirmed>,
}

/// Decodes a batch of `input`, collecting from the messages that pass the filter, at most
/// `budget` of them: decoding stops after the last one that fits.
fn process<C: Collect>(
    reading: &Reading,
    collect: &C,
    input: usize,
    batch: &Batch,
    budget: Option<usize>,
) -> Processed<C::Part> {
    let name = &reading.inputs[input].name;
    let mut processed = Processed {
        part: C::Part::default(),
        messages: 0,
        selected: 0,
        findings: Findings::default(),
        unconfirmed: None,
    };
    for framed in &batch.framed {
        if budget.is_some_and(|budget| processed.selected >= budget) {
            break;
        }
        match framed {
            Framed::Item(item) => {
                let bytes = &batch.bytes[item.range.clone()];
                let max_inflate = reading.limits.max_inflate;
                let decoded = decode_item(
                    bytes,
                    item,
                    name,
                    batch.from_log,
                    max_inflate,
                    &mut |decoded| {
                        if budget.is_some_and(|budget| processed.selected >= budget) {
                            return;
                        }
                        match decoded {
                            Ok(message) => {
                                processed.messages += 1;
                                if reading.filter.matches(&message) {
                                    processed.selected += 1;
                                    collect.collect(
                                        &message,
                                        &mut processed.part,
                                        &mut processed.findings,
                                    );
                                }
                            }
                            Err(problem) => processed.findings.problems.push(problem),
                        }
                    },
                );
                if decoded.is_err() {
                    processed.unconfirmed = Some(Unconfirmed {
                        from: item.trusted_line_start(),
                        at: item.document,
                    });
                    break;
                }
            }
            Framed::Error(error) => processed.findings.problems.push(Problem::new(
                error.kind,
                Origin::at(name, error.at, Vec::new()),
                error.message.clone(),
            )),
        }
    }
    processed
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Count;

    impl Collect for Count {
        type Part = usize;
        fn collect(&self, message: &Message, part: &mut usize, _: &mut Findings) {
            // Touch every field, as the renderers would.
            for field in crate::fields::FIELDS {
                let _ = field.value(message, None);
            }
            *part += 1;
        }
    }

    /// What a run over `files` found (see `transcript`).
    fn found(files: &[std::path::PathBuf], threads: usize, trust: Option<u64>) -> Vec<String> {
        let names: Vec<_> = files.iter().map(|f| f.clone().into_os_string()).collect();
        transcript(&Reading {
            threads,
            trust_lines_from: trust,
            ..Reading::of(crate::input::expand(&names, false))
        })
        .expect("no sink fails")
    }

    /// Turns a line into what is written in its place.
    type Rewrite<'a> = &'a dyn Fn(&str) -> Vec<u8>;

    #[test]
    fn trusted_lines_find_what_framing_finds() {
        let event: serde_json::Value =
            serde_json::from_str(include_str!("../examples/lambda-event.json")).expect("JSON");
        let records = event.to_string();
        let element = event["Records"][0].to_string();
        let sending = include_str!("../examples/sending-events.ndjson");
        let lines: Vec<&str> = std::iter::once(records.as_str())
            .chain(sending.lines())
            .collect();
        let pretty = serde_json::to_string_pretty(&event).expect("JSON");
        let deep = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        let two_records = format!("{{\"Records\":[{element},{element}]}}");
        // Lines that start with `{` and end with `}`, whether one document or not.
        let rewrites: [Rewrite; 11] = [
            &|line| line.as_bytes().to_vec(),
            // Unclosed: framing reads on into the next lines.
            &|line| line.replacen('}', "", 1).into_bytes(),
            &|line| format!("{line} {line}").into_bytes(),
            // A string that ends at the line's end.
            &|line| line.replacen("\":\"", "\":", 1).into_bytes(),
            &|line| line.replacen("\":\"", "\":\"\u{1}", 1).into_bytes(),
            &|line| {
                let mut bytes = line.as_bytes().to_vec();
                bytes[4] = 0xff;
                bytes
            },
            &|line| {
                line.replacen("\"timestamp\":\"", "\"timestamp\":[\"", 1)
                    .into_bytes()
            },
            &|_| two_records.clone().into_bytes(),
            &|_| format!("{pretty}\n{{\"mail\":{{}}}}").into_bytes(),
            // Deeper than serde reads.
            &|_| deep.clone().into_bytes(),
            // A document whose first line looks whole.
            &|line| format!("{{\"x\":{{\"y\":1}}\n, \"z\": 2}}\n{line}").into_bytes(),
        ];
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut files = Vec::new();
        for (kind, rewrite) in rewrites.iter().enumerate() {
            // Wrong on the third line, and on the last but one, past the first read.
            for at in [2, usize::MAX] {
                let mut file = Vec::new();
                for n in 0.. {
                    let line = lines[n % lines.len()];
                    let last = file.len() > (300 << 10) - 2000;
                    if n == at || (at == usize::MAX && last) {
                        file.extend(rewrite(line));
                        file.push(b'\n');
                    }
                    file.extend(line.as_bytes());
                    file.push(b'\n');
                    if last {
                        break;
                    }
                }
                let path = dir.path().join(format!("{kind:02}-{}.json", files.len()));
                std::fs::write(&path, file).expect("a temporary file");
                files.push(path);
            }
        }
        // A gzip stream cut short, with a wrong line past the first read: reading fails after
        // it (with two threads, often before the wrong line is known: then the bytes read are
        // framed again before the failure is reported).
        let mut wrong = Vec::new();
        for n in 0..240 {
            if n == 200 {
                wrong.extend(rewrites[1](lines[n % lines.len()]));
                wrong.push(b'\n');
            }
            wrong.extend(lines[n % lines.len()].as_bytes());
            wrong.push(b'\n');
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gzip, &wrong).expect("gzip in memory");
        let mut gzip = gzip.finish().expect("gzip in memory");
        gzip.truncate(gzip.len() - 100);
        let cut = dir.path().join("cut.json.gz");
        std::fs::write(&cut, gzip).expect("a temporary file");
        files.push(cut);
        let framed = found(&files, 1, None);
        assert!(framed.len() > 1000, "{}", framed.len());
        let failed = framed
            .iter()
            .filter(|f| f.contains("cut.json.gz: "))
            .count();
        assert_eq!(failed, 1, "{framed:#?}");
        let reported = framed.iter().filter(|f| !f.contains("\"mail\"")).count();
        assert!(reported > 10, "{framed:#?}");
        for (threads, trust) in [(1, Some(0)), (2, Some(0)), (3, Some(0)), (2, Some(1))] {
            let trusted = found(&files, threads, trust);
            if let Some(at) = (0..framed.len()).find(|&i| framed.get(i) != trusted.get(i)) {
                panic!(
                    "with {threads} threads, trusting from {trust:?}, at {at}: {:?} instead of {:?}",
                    trusted.get(at).map(|f| &f[..f.len().min(300)]),
                    framed.get(at).map(|f| &f[..f.len().min(300)]),
                );
            }
            assert_eq!(trusted.len(), framed.len());
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn no_bytes_make_it_panic() {
        let example = include_bytes!("../examples/several-records.json");
        let mut state = 0x9e37_79b9_7f4a_7c15;
        let reading = Reading::of(vec![Input::stdin()]);
        let mut spare = Vec::new();
        for _ in 0..1000 {
            let mut bytes = example.to_vec();
            for _ in 0..1 + next(&mut state) % 8 {
                let at = (next(&mut state) % bytes.len() as u64) as usize;
                match next(&mut state) % 4 {
                    0 => bytes[at] = next(&mut state) as u8,
                    1 => bytes.truncate(at.max(1)),
                    2 => bytes.insert(at, b"{}[]\",:\\\n"[(next(&mut state) % 9) as usize]),
                    _ => {
                        bytes.remove(at);
                    }
                }
                if bytes.is_empty() {
                    bytes.push(b'{');
                }
            }
            let mut framer = Framer::new(&bytes[..]);
            while let Ok(Some(batch)) = framer.next_batch(&mut spare) {
                let _ = process(&reading, &Count, 0, &batch, None);
                spare.push(batch.bytes);
            }
        }
    }
}
