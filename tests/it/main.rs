//! The integration tests: every test here runs the real `sesinspect` binary.

mod check;
mod completions;
mod examples;
mod fields;
mod harness;
mod headers;
mod inputs;
mod logs;
mod output;
mod public;
mod readme;
mod stats;
