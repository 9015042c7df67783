//! Runs the inputs through framing and decoding to a command. With one thread, the main thread
//! does everything; with more, a reader thread opens and frames the inputs, worker threads decode
//! batches and collect from their messages, and the main thread hands results on in the order
//! the input had them, so the output is the same with one thread or many. Problems are reported
//! in that order too, and the run goes on past them. With a limit, reading stops once that many
//! messages are out; a progress line follows the run when asked for.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::decode::decode_item;
use crate::input::frame::{Batch, Framed, Framer};
use crate::input::{Input, Limits};
use crate::model::Message;
use crate::origin::Origin;
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
}

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
    if reading.threads <= 1 {
        feed(
            &reading.inputs,
            reading.limits,
            &read,
            &mut Vec::new(),
            |fed, spare| {
                let done = match fed {
                    Fed::Batch { input, batch } => {
                        let processed = process(reading, &*collect, input, &batch, deliver.left);
                        Done::Batch {
                            input,
                            processed,
                            batch,
                        }
                    }
                    Fed::Notice(notice) => Done::Notice(notice),
                };
                let flow = deliver.handle(done)?;
                spare.append(&mut deliver.spare);
                Ok(flow)
            },
        )?;
    } else {
        run_parallel(reading, Arc::clone(&collect), &read, &mut deliver)?;
    }
    deliver.finish();
    Ok(())
}

/// Whether reading goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// The limit is reached.
    Stop,
}

/// What the feeder hands on, in input order.
enum Fed {
    Batch { input: usize, batch: Batch },
    Notice(Notice),
}

/// News about an input that is not a batch.
enum Notice {
    /// The input could not be opened or read any further.
    Failed { input: usize, problem: Problem },
    /// Every batch of the input has been handed on.
    Ended { input: usize },
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

/// Opens, reads and frames every input in order (counting the bytes read in `read`), handing
/// what it finds to `fed` with the pool of spare buffers (which `fed` may refill with buffers it
/// is done with), until `fed` says stop.
fn feed(
    inputs: &[Input],
    limits: Limits,
    read: &Arc<AtomicU64>,
    spare: &mut Vec<Vec<u8>>,
    mut fed: impl FnMut(Fed, &mut Vec<Vec<u8>>) -> io::Result<Flow>,
) -> io::Result<()> {
    let failed = |input, problem| Fed::Notice(Notice::Failed { input, problem });
    for (index, input) in inputs.iter().enumerate() {
        let flow = match input.open(read) {
            Err(problem) => fed(failed(index, problem), spare)?,
            Ok(reader) => {
                let mut framer = Framer::new(reader).with_max_document(limits.max_document);
                loop {
                    let flow = match framer.next_batch(spare) {
                        Ok(Some(batch)) => fed(
                            Fed::Batch {
                                input: index,
                                batch,
                            },
                            spare,
                        )?,
                        Ok(None) => break Flow::Continue,
                        Err(error) => break fed(failed(index, input.problem(&error)), spare)?,
                    };
                    if flow == Flow::Stop {
                        break flow;
                    }
                }
            }
        };
        if flow == Flow::Stop
            || fed(Fed::Notice(Notice::Ended { input: index }), spare)? == Flow::Stop
        {
            break;
        }
    }
    Ok(())
}

/// Batches between the reader and the sink per worker: enough to keep workers busy, few enough
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

/// A reader thread frames, workers decode, and this thread delivers results as they arrive —
/// so a slow or interactive input never holds back output already decoded. A bounded channel of
/// tokens limits how far the reader runs ahead of delivery, by batches and by bytes.
fn run_parallel<C, S>(
    reading: &Reading,
    collect: Arc<C>,
    read: &Arc<AtomicU64>,
    deliver: &mut Deliverer<'_, C, S>,
) -> io::Result<()>
where
    C: Collect + Send + 'static,
    S: FnMut(Delivery<C::Part>) -> io::Result<()>,
{
    let in_flight = reading.threads * IN_FLIGHT_PER_WORKER;
    let reading = Arc::new(reading.clone());
    let (jobs, queue) = mpsc::sync_channel::<(u64, usize, Batch)>(in_flight);
    let queue = Arc::new(Mutex::new(queue));
    let (results, finished) = mpsc::channel::<(u64, Done<C::Part>)>();
    let (tokens, token_back) = mpsc::sync_channel::<()>(in_flight);
    let (spare_back, spare_in) = mpsc::channel::<Vec<u8>>();
    for _ in 0..reading.threads {
        let (queue, results) = (Arc::clone(&queue), results.clone());
        let (reading, collect) = (Arc::clone(&reading), Arc::clone(&collect));
        std::thread::spawn(move || {
            while let Ok((sequence, input, batch)) = next_job(&queue) {
                let processed = process(&reading, &*collect, input, &batch, reading.limit);
                let done = Done::Batch {
                    input,
                    processed,
                    batch,
                };
                if results.send((sequence, done)).is_err() {
                    break;
                }
            }
        });
    }
    let reader_results = results;
    let reader_reading = Arc::clone(&reading);
    let read = Arc::clone(read);
    std::thread::spawn(move || {
        let mut sequence = 0;
        // An error here means the delivering side has stopped: there is nobody left to tell.
        let _ = feed(
            &reader_reading.inputs,
            reader_reading.limits,
            &read,
            &mut Vec::new(),
            |fed, spare| {
                let stopped = || io::Error::other("the delivering side has stopped");
                let weight = match &fed {
                    Fed::Batch { batch, .. } => tokens_for(batch.bytes.len(), in_flight),
                    Fed::Notice(_) => 1,
                };
                for _ in 0..weight {
                    tokens.send(()).map_err(|_| stopped())?;
                }
                match fed {
                    Fed::Batch { input, batch } => {
                        jobs.send((sequence, input, batch)).map_err(|_| stopped())?;
                    }
                    Fed::Notice(notice) => reader_results
                        .send((sequence, Done::Notice(notice)))
                        .map_err(|_| stopped())?,
                }
                sequence += 1;
                spare.extend(spare_in.try_iter());
                Ok(Flow::Continue)
            },
        );
    });
    let mut order = Reorder::default();
    while let Ok((sequence, done)) = finished.recv() {
        order.arrive(sequence, done);
        let (delivered, flow) = order.deliver_ready(deliver, in_flight)?;
        if flow == Flow::Stop {
            // Dropping the channels stops the reader and the workers.
            break;
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

fn next_job<T>(queue: &Mutex<mpsc::Receiver<T>>) -> Result<T, mpsc::RecvError> {
    match queue.lock() {
        Ok(receiver) => receiver.recv(),
        Err(_) => Err(mpsc::RecvError),
    }
}

/// Results that arrived out of order, held until their turn.
struct Reorder<P> {
    next: u64,
    waiting: BTreeMap<u64, Done<P>>,
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
    fn arrive(&mut self, sequence: u64, done: Done<P>) {
        self.waiting.insert(sequence, done);
    }

    /// Delivers every result whose turn has come; returns the tokens they held (see
    /// `tokens_for`), and whether to go on.
    fn deliver_ready<C, S>(
        &mut self,
        deliver: &mut Deliverer<'_, C, S>,
        in_flight: usize,
    ) -> io::Result<(usize, Flow)>
    where
        C: Collect<Part = P>,
        S: FnMut(Delivery<P>) -> io::Result<()>,
    {
        let mut delivered = 0;
        while let Some(done) = self.waiting.remove(&self.next) {
            self.next += 1;
            delivered += match &done {
                Done::Batch { batch, .. } => tokens_for(batch.bytes.len(), in_flight),
                Done::Notice(_) => 1,
            };
            if deliver.handle(done)? == Flow::Stop {
                return Ok((delivered, Flow::Stop));
            }
        }
        Ok((delivered, Flow::Continue))
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
    };
    for framed in &batch.framed {
        if budget.is_some_and(|budget| processed.selected >= budget) {
            break;
        }
        match framed {
            Framed::Item(item) => {
                let bytes = &batch.bytes[item.range.clone()];
                let max_inflate = reading.limits.max_inflate;
                decode_item(
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
        let reading = Reading {
            inputs: vec![Input::stdin()],
            filter: Filter::default(),
            threads: 1,
            limit: None,
            skip_foreign: false,
            progress: false,
            limits: Limits::default(),
        };
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
