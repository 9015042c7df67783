//! Framing the whole input in one read and the same bytes delivered in reads of varying sizes
//! must find the same items (bytes, line, column, place) and the same errors. Layout of a fuzz
//! input: a byte for the mode (JSON or log), a byte for how many read sizes follow (1 to 16), the
//! read sizes (1 to 256 bytes each, used in turn), then the input.
//!
//! The automatic mode is left out: it decides "binary" from the first read alone, so a short first
//! read (a pipe) can decide differently from a whole read — a known difference, filed as a finding,
//! that would otherwise stop every run before it reaches anything else.

#![no_main]

use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use sesinspect::input::frame::Mode;
use sesinspect_fuzz::frame_all;

/// A reader that gives `data` in reads of the sizes in `sizes`, in turn.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    next: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = usize::from(self.sizes[self.next % self.sizes.len()]) + 1;
        self.next += 1;
        let n = size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode_byte, count, rest @ ..] = data else {
        return;
    };
    let count = usize::from(count % 16) + 1;
    if rest.len() < count {
        return;
    }
    let (sizes, input) = rest.split_at(count);
    let mode = if mode_byte & 1 == 0 {
        Mode::Json
    } else {
        Mode::Log
    };
    let whole = frame_all(input, mode);
    let chunked = Chunked {
        data: input,
        sizes,
        next: 0,
    };
    let pieces = frame_all(chunked, mode);
    assert_eq!(whole, pieces, "framing depends on read sizes");
});
