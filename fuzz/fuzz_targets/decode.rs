//! The decoder on arbitrary JSON-ish input: the input is framed in one read (the first byte picks
//! the mode) and every item decoded; every named field of every message, and of each of its
//! recipients, is read. No panic.

#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use sesinspect::decode::decode_item;
use sesinspect::fields::FIELDS;
use sesinspect::input::frame::{Framed, Framer};

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let name: Arc<str> = Arc::from("fuzz");
    let mut framer = Framer::with_mode(input, sesinspect_fuzz::mode(first));
    let mut spare = Vec::new();
    while let Some(batch) = framer.next_batch(&mut spare).expect("reading from memory") {
        for framed in &batch.framed {
            let Framed::Item(item) = framed else {
                continue;
            };
            let bytes = &batch.bytes[item.range.clone()];
            decode_item(bytes, item, &name, batch.from_log, &mut |decoded| {
                let Ok(message) = decoded else {
                    return;
                };
                let recipients = message.recipients();
                for field in FIELDS {
                    let _ = field.value(&message, None).texts();
                    for recipient in &recipients {
                        let _ = field.value(&message, Some(recipient)).texts();
                    }
                }
            });
        }
        spare.push(batch.bytes);
    }
});
