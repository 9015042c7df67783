//! The framer on arbitrary bytes (the first byte picks the mode): no panic, every item is the
//! input's own bytes at the line and column it reports, inside its document, and every error is
//! placed inside the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sesinspect_fuzz::{Found, frame_all, mode, offset_of};

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    for found in frame_all(input, mode(first)) {
        match found {
            Found::Item {
                bytes,
                at,
                document,
                ..
            } => {
                let start = offset_of(input, at)
                    .unwrap_or_else(|| panic!("item at {at:?} is outside the input"));
                assert_eq!(
                    input.get(start..start + bytes.len()),
                    Some(&bytes[..]),
                    "the item at {at:?} is not the input's bytes there"
                );
                let document_start = offset_of(input, document)
                    .unwrap_or_else(|| panic!("document at {document:?} is outside the input"));
                assert!(document_start <= start, "item before its document");
            }
            Found::Error(error) => {
                assert!(
                    offset_of(input, error.at).is_some(),
                    "error at {:?} is outside the input: {}",
                    error.at,
                    error.message
                );
            }
        }
    }
});
