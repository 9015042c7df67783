//! Runs the inputs through framing and decoding to a command. With one thread, the main thread
//! does everything; with more, a reader thread opens and frames the inputs, worker threads decode
//! batches and collect from their messages, and the main thread hands results on in the order
//! the input had them, so the output is the same with one thread or many. Problems are reported
//! in that order too, and the run goes on past them.

use std::collections::BTreeMap;
use std::io;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::decode::decode_item;
use crate::input::Input;
use crate::input::frame::{Batch, Framed, Framer};
use crate::model::Message;
use crate::origin::Origin;
use crate::problem::{Problem, Reporter};
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

/// What to read, which messages to keep, and with how many decoding threads.
#[derive(Debug, Clone)]
pub struct Reading {
    pub inputs: Vec<Input>,
    pub filter: Filter,
    /// 1 decodes on the main thread; more start that many workers.
    pub threads: usize,
}

/// One batch's result: the part, and whether the input had no more bytes ready (so output
/// should not wait).
pub struct Delivery<P> {
    pub part: P,
    pub input_paused: bool,
}

/// Reads every input in order, handing each batch's part to `sink` in input order; only messages
/// that pass the filter reach `collect`. Unreadable inputs and undecodable documents are reported
/// and skipped; only a failing `sink` (stdout) stops the run.
pub fn run<C: Collect + Send + 'static>(
    reading: &Reading,
    collect: Arc<C>,
    reporter: &mut Reporter,
    sink: impl FnMut(Delivery<C::Part>) -> io::Result<()>,
) -> io::Result<()> {
    let mut deliver = Deliverer {
        reporter,
        sink,
        inputs: &reading.inputs,
        messages: vec![0; reading.inputs.len()],
        problems: vec![0; reading.inputs.len()],
        spare: Vec::new(),
    };
    if reading.threads <= 1 {
        return feed(&reading.inputs, &mut Vec::new(), |fed, spare| {
            let done = match fed {
                Fed::Batch { input, batch } => {
                    let processed =
                        process(&reading.filter, &*collect, &reading.inputs[input], &batch);
                    Done::Batch {
                        input,
                        processed,
                        batch,
                    }
                }
                Fed::Notice(notice) => Done::Notice(notice),
            };
            deliver.handle(done)?;
            spare.append(&mut deliver.spare);
            Ok(())
        });
    }
    run_parallel(reading, collect, &mut deliver)
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

/// Opens, reads and frames every input in order, handing what it finds to `fed` with the pool of
/// spare buffers (which `fed` may refill with buffers it is done with).
fn feed(
    inputs: &[Input],
    spare: &mut Vec<Vec<u8>>,
    mut fed: impl FnMut(Fed, &mut Vec<Vec<u8>>) -> io::Result<()>,
) -> io::Result<()> {
    for (index, input) in inputs.iter().enumerate() {
        match input.open() {
            Err(problem) => fed(
                Fed::Notice(Notice::Failed {
                    input: index,
                    problem,
                }),
                spare,
            )?,
            Ok(reader) => {
                let mut framer = Framer::new(reader);
                loop {
                    match framer.next_batch(spare) {
                        Ok(Some(batch)) => fed(
                            Fed::Batch {
                                input: index,
                                batch,
                            },
                            spare,
                        )?,
                        Ok(None) => break,
                        Err(error) => {
                            let problem = input.problem(&error);
                            fed(
                                Fed::Notice(Notice::Failed {
                                    input: index,
                                    problem,
                                }),
                                spare,
                            )?;
                            break;
                        }
                    }
                }
            }
        }
        fed(Fed::Notice(Notice::Ended { input: index }), spare)?;
    }
    Ok(())
}

/// Batches between the reader and the sink per worker: enough to keep workers busy, few enough
/// to keep memory flat however slowly the output drains.
const IN_FLIGHT_PER_WORKER: usize = 3;

/// A reader thread frames, workers decode, and this thread delivers results as they arrive —
/// so a slow or interactive input never holds back output already decoded. A bounded channel of
/// tokens limits how far the reader runs ahead of delivery.
fn run_parallel<C, S>(
    reading: &Reading,
    collect: Arc<C>,
    deliver: &mut Deliverer<'_, S>,
) -> io::Result<()>
where
    C: Collect + Send + 'static,
    S: FnMut(Delivery<C::Part>) -> io::Result<()>,
{
    let limit = reading.threads * IN_FLIGHT_PER_WORKER;
    let reading = Arc::new(Reading {
        inputs: reading.inputs.clone(),
        filter: reading.filter.clone(),
        threads: reading.threads,
    });
    let (jobs, queue) = mpsc::sync_channel::<(u64, usize, Batch)>(limit);
    let queue = Arc::new(Mutex::new(queue));
    let (results, finished) = mpsc::channel::<(u64, Done<C::Part>)>();
    let (tokens, token_back) = mpsc::sync_channel::<()>(limit);
    let (spare_back, spare_in) = mpsc::channel::<Vec<u8>>();
    for _ in 0..reading.threads {
        let (queue, results) = (Arc::clone(&queue), results.clone());
        let (reading, collect) = (Arc::clone(&reading), Arc::clone(&collect));
        std::thread::spawn(move || {
            while let Ok((sequence, input, batch)) = next_job(&queue) {
                let processed = process(&reading.filter, &*collect, &reading.inputs[input], &batch);
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
    std::thread::spawn(move || {
        let mut sequence = 0;
        // An error here means the delivering side has stopped: there is nobody left to tell.
        let _ = feed(&reader_reading.inputs, &mut Vec::new(), |fed, spare| {
            let stopped = || io::Error::other("the delivering side has stopped");
            tokens.send(()).map_err(|_| stopped())?;
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
            Ok(())
        });
    });
    let mut order = Reorder::default();
    while let Ok((sequence, done)) = finished.recv() {
        order.arrive(sequence, done);
        let delivered = order.deliver_ready(deliver)?;
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

    /// Delivers every result whose turn has come; returns how many.
    fn deliver_ready<S: FnMut(Delivery<P>) -> io::Result<()>>(
        &mut self,
        deliver: &mut Deliverer<'_, S>,
    ) -> io::Result<usize> {
        let mut delivered = 0;
        while let Some(done) = self.waiting.remove(&self.next) {
            self.next += 1;
            delivered += 1;
            deliver.handle(done)?;
        }
        Ok(delivered)
    }
}

/// Hands results on in order: reports problems, passes parts to the sink, notes inputs that
/// held no message, and keeps the batch buffers for reuse.
struct Deliverer<'r, S> {
    reporter: &'r mut Reporter,
    sink: S,
    inputs: &'r [Input],
    messages: Vec<usize>,
    problems: Vec<usize>,
    spare: Vec<Vec<u8>>,
}

impl<S> Deliverer<'_, S> {
    fn handle<P>(&mut self, done: Done<P>) -> io::Result<()>
    where
        S: FnMut(Delivery<P>) -> io::Result<()>,
    {
        match done {
            Done::Batch {
                input,
                processed,
                batch,
            } => {
                self.messages[input] += processed.messages;
                self.problems[input] += processed.findings.problems.len();
                for problem in &processed.findings.problems {
                    self.reporter.problem(problem);
                }
                for note in &processed.findings.notes {
                    self.reporter.note(note);
                }
                self.spare.push(batch.bytes);
                (self.sink)(Delivery {
                    part: processed.part,
                    input_paused: batch.input_paused,
                })?;
            }
            Done::Notice(Notice::Failed { input, problem }) => {
                self.problems[input] += 1;
                self.reporter.problem(&problem);
            }
            Done::Notice(Notice::Ended { input }) => {
                if self.messages[input] == 0 && self.problems[input] == 0 {
                    self.reporter.note(format_args!(
                        "{}: no SES messages found",
                        self.inputs[input].name
                    ));
                }
            }
        }
        Ok(())
    }
}

struct Processed<P> {
    part: P,
    messages: usize,
    findings: Findings,
}

fn process<C: Collect>(
    filter: &Filter,
    collect: &C,
    input: &Input,
    batch: &Batch,
) -> Processed<C::Part> {
    let mut processed = Processed {
        part: C::Part::default(),
        messages: 0,
        findings: Findings::default(),
    };
    for framed in &batch.framed {
        match framed {
            Framed::Item(item) => {
                let bytes = &batch.bytes[item.range.clone()];
                decode_item(
                    bytes,
                    item,
                    &input.name,
                    batch.from_log,
                    &mut |decoded| match decoded {
                        Ok(message) => {
                            processed.messages += 1;
                            if filter.matches(&message) {
                                collect.collect(
                                    &message,
                                    &mut processed.part,
                                    &mut processed.findings,
                                );
                            }
                        }
                        Err(problem) => processed.findings.problems.push(problem),
                    },
                );
            }
            Framed::Error(error) => processed.findings.problems.push(Problem::new(
                error.kind,
                Origin::at(&input.name, error.at, Vec::new()),
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
        let (input, mut spare) = (Input::stdin(), Vec::new());
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
                let _ = process(&Filter::default(), &Count, &input, &batch);
                spare.push(batch.bytes);
            }
        }
    }
}
