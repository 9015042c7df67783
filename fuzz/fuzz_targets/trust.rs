//! Trusting lines (`Framer::trusting_lines`) must find what framing every byte finds: the same
//! messages at the same places, and the same problems, with one thread or two. The first byte
//! picks the threads of the trusting run; the rest is the input file.

#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use sesinspect::input::{self, Limits};
use sesinspect::model::Message;
use sesinspect::pipeline::{self, Collect, Findings, Reading};
use sesinspect::problem::Reporter;
use sesinspect::select::Filter;

/// Each message as its place and bytes.
struct Record;

impl Collect for Record {
    type Part = Vec<String>;
    fn collect(&self, message: &Message, part: &mut Vec<String>, _: &mut Findings) {
        part.push(format!("{} {}", message.origin.exact(), message.raw));
    }
}

/// A file of this process's own to hold each input.
fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("sesinspect-fuzz-trust-{}.json", std::process::id()))
    })
}

/// The messages, then the lines reported, of a run over the input file.
fn found(threads: usize, trust_lines_from: Option<u64>) -> Vec<String> {
    let reading = Reading {
        inputs: input::expand(&[input_path().clone().into_os_string()], false),
        filter: Filter::default(),
        threads,
        limit: None,
        skip_foreign: false,
        progress: false,
        limits: Limits::default(),
        trust_lines_from,
    };
    let mut reporter = Reporter::keeping();
    let mut found = Vec::new();
    pipeline::run(&reading, Arc::new(Record), &mut reporter, |delivery| {
        found.extend(delivery.part);
        Ok(())
    })
    .expect("the sink never fails");
    found.extend(reporter.kept());
    found
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
