//! The direct reader of receipt events (`decode::direct`) against serde: whatever it reads, serde
//! reads too, the same mail and receipt; whatever it does not read is left to serde.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sesinspect::decode::direct::receipt_event;
use sesinspect::decode::receipt_event_by_serde;
use sesinspect::model::set_aside_headers;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Some(direct) = receipt_event(json, set_aside_headers(json)) else {
        return;
    };
    let serde = receipt_event_by_serde(json).expect("serde reads a receipt event");
    assert_eq!(format!("{direct:?}"), format!("{serde:?}"), "{json}");
});
