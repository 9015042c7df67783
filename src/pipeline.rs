//! Runs the inputs through framing and decoding to a command, one batch at a time and in
//! input order, reporting problems as they are found and going on past them.

use std::io;

use crate::decode::decode_item;
use crate::diagnostic::{InputError, Reporter};
use crate::input::Input;
use crate::input::frame::{Batch, Framed, Framer};
use crate::model::Message;
use crate::select::Filter;

/// What a command does with each message. `collect` sees one message at a time and adds what
/// it needs to a part (rows, counts…); parts reach the command's sink in input order.
pub trait Collect: Sync {
    type Part: Default + Send;
    fn collect(&self, message: &Message, part: &mut Self::Part);
}

/// One batch's result: the part, and whether the input had no more bytes ready (so output
/// should not wait).
pub struct Delivery<P> {
    pub part: P,
    pub input_paused: bool,
}

/// Reads every input in order, handing each batch's part to `sink`; only messages that pass
/// `filter` reach `collect`. Unreadable inputs and undecodable documents are reported and
/// skipped; only a failing `sink` (stdout) stops the run.
pub fn run<C: Collect>(
    inputs: &[Input],
    filter: &Filter,
    collect: &C,
    reporter: &mut Reporter,
    mut sink: impl FnMut(Delivery<C::Part>) -> io::Result<()>,
) -> io::Result<()> {
    for input in inputs {
        let reader = match input.open() {
            Ok(reader) => reader,
            Err(error) => {
                reporter.input_error(&error);
                continue;
            }
        };
        let mut framer = Framer::new(reader);
        let mut messages = 0;
        let errors_before = reporter.input_errors();
        loop {
            let batch = match framer.next_batch() {
                Ok(Some(batch)) => batch,
                Ok(None) => break,
                Err(error) => {
                    reporter.input_error(&input.error(&error));
                    break;
                }
            };
            let processed = process(filter, collect, input, &batch);
            messages += processed.messages;
            for error in &processed.errors {
                reporter.input_error(error);
            }
            sink(Delivery {
                part: processed.part,
                input_paused: batch.input_paused,
            })?;
        }
        if messages == 0 && reporter.input_errors() == errors_before {
            reporter.note(format_args!("{}: no SES messages found", input.name));
        }
    }
    Ok(())
}

struct Processed<P> {
    part: P,
    messages: usize,
    errors: Vec<InputError>,
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
        errors: Vec::new(),
    };
    for framed in &batch.framed {
        match framed {
            Framed::Item(item) => {
                let bytes = &batch.bytes[item.range.clone()];
                decode_item(bytes, item, &input.name, &mut |decoded| match decoded {
                    Ok(message) => {
                        processed.messages += 1;
                        if filter.matches(&message) {
                            collect.collect(&message, &mut processed.part);
                        }
                    }
                    Err(error) => processed.errors.push(error),
                });
            }
            Framed::Error(error) => processed.errors.push(InputError::at(
                &input.name,
                error.at,
                Vec::new(),
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
        fn collect(&self, message: &Message, part: &mut usize) {
            // Touch every field, as the renderers would.
            for field in crate::fields::FIELDS {
                let _ = (field.get)(message);
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
            let input = Input::stdin();
            while let Ok(Some(batch)) = framer.next_batch() {
                let _ = process(&Filter::default(), &Count, &input, &batch);
            }
        }
    }
}
