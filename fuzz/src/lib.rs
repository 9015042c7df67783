//! What the fuzz targets share: framing an input completely into comparable results, decoding
//! every message of an input, the framing mode chosen by a byte, and the check that a reported
//! position is inside the input.

use std::cell::RefCell;
use std::io::Read;
use std::sync::Arc;

use sesinspect::decode::decode_item;
use sesinspect::input::DEFAULT_MAX_INFLATE;
use sesinspect::input::frame::{FrameError, Framed, Framer, Mode, Place};
use sesinspect::model::Message;
use sesinspect::origin::Position;

/// One thing the framer found, with the item's bytes copied out of its batch so that results
/// from different read sizes compare equal when they say the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Item {
        bytes: Vec<u8>,
        at: Position,
        document: Position,
        place: Place,
    },
    Error(FrameError),
}

/// The framing mode a fuzz input's first byte asks for.
pub fn mode(byte: u8) -> Mode {
    match byte % 3 {
        0 => Mode::Auto,
        1 => Mode::Json,
        _ => Mode::Log,
    }
}

thread_local! {
    /// Batch buffers handed back for reuse, kept from one run to the next as the pipeline keeps
    /// them from one batch to the next: framing a small input then allocates (and zeroes) nothing.
    static SPARE: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Frames `input` in `mode` and decodes every item as a run with the default limits does,
/// handing each message (not the problems) to `each`.
pub fn each_message(input: &[u8], mode: Mode, each: &mut dyn FnMut(&Message)) {
    let name: Arc<str> = Arc::from("fuzz");
    let mut framer = Framer::with_mode(input, mode);
    SPARE.with_borrow_mut(|spare| {
        while let Some(batch) = framer.next_batch(spare).expect("reading from memory") {
            for framed in &batch.framed {
                let Framed::Item(item) = framed else {
                    continue;
                };
                let bytes = &batch.bytes[item.range.clone()];
                decode_item(
                    bytes,
                    item,
                    &name,
                    batch.from_log,
                    DEFAULT_MAX_INFLATE,
                    &mut |decoded| {
                        if let Ok(message) = decoded {
                            each(&message);
                        }
                    },
                )
                .expect("items of a framer that trusts no line need no confirming");
            }
            spare.push(batch.bytes);
        }
    });
}

/// Frames everything `reader` gives, in order; an item's range must lie inside its batch.
pub fn frame_all(reader: impl Read, mode: Mode) -> Vec<Found> {
    SPARE.with_borrow_mut(|spare| frame_all_with(reader, mode, spare))
}

fn frame_all_with(reader: impl Read, mode: Mode, spare: &mut Vec<Vec<u8>>) -> Vec<Found> {
    let mut framer = Framer::with_mode(reader, mode);
    let mut found = Vec::new();
    while let Some(batch) = framer.next_batch(spare).expect("reading from memory") {
        for framed in batch.framed {
            found.push(match framed {
                Framed::Item(item) => {
                    assert!(
                        item.range.start <= item.range.end && item.range.end <= batch.bytes.len(),
                        "item range {:?} outside its batch of {} bytes",
                        item.range,
                        batch.bytes.len()
                    );
                    Found::Item {
                        bytes: batch.bytes[item.range].to_vec(),
                        at: item.at,
                        document: item.document,
                        place: item.place,
                    }
                }
                Framed::Error(error) => Found::Error(error),
            });
        }
        // A batch that framed nothing has no buffer to give back.
        if !batch.bytes.is_empty() && spare.len() < 4 {
            spare.push(batch.bytes);
        }
    }
    found
}

/// The byte offset in `input` of a line and byte column (both from 1), when the line exists and
/// the column is on it or just past its end.
pub fn offset_of(input: &[u8], at: Position) -> Option<usize> {
    let line = usize::try_from(at.line).ok()?.checked_sub(1)?;
    let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
    let line_start = if line == 0 {
        0
    } else {
        input
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(line - 1)?
            .0
            + 1
    };
    let line_end = input[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |end| line_start + end);
    let offset = line_start + column;
    (offset <= line_end).then_some(offset)
}
