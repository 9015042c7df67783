//! Trusting lines (`Framer::trusting_lines`) must find what framing every byte finds: the same
//! messages at the same places, and the same problems, with one thread or two. The first byte
//! picks the threads of the trusting run; the rest is the input file.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sesinspect::input;
use sesinspect::pipeline::{self, Reading};

/// A file of this process's own to hold each input.
fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sesinspect-fuzz-trust-{}.json", std::process::id()))
    })
}

/// The messages, then the lines reported, of a run over the input file.
fn found(threads: usize, trust_lines_from: Option<u64>) -> Vec<String> {
    pipeline::transcript(&Reading {
        threads,
        trust_lines_from,
        ..Reading::of(input::expand(&[input_path().clone().into_os_string()], false))
    })
    .expect("the sink never fails")
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, input)) = data.split_first() else {
        return;
    };
    std::fs::write(input_path(), input).expect("the input file is written");
    let framed = found(1, None);
    let trusted = found(1 + usize::from(choice & 1), Some(0));
    assert_eq!(framed, trusted);
});
