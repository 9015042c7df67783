//! The decoder on arbitrary JSON-ish input: the input is framed in one read (the first byte picks
//! the mode) and every item decoded; every named field of every message, and of each of its
//! recipients, is read. No panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sesinspect::fields::FIELDS;

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    sesinspect_fuzz::each_message(input, sesinspect_fuzz::mode(first), &mut |message| {
        let recipients = message.recipients();
        for field in FIELDS {
            let _ = field.value(message, None).texts();
            for recipient in &recipients {
                let _ = field.value(message, Some(recipient)).texts();
            }
        }
    });
});
