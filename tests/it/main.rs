//! The integration tests: every test here runs the real `sesinspect` binary.

mod completions;
mod examples;
mod harness;
mod inputs;
mod output;
mod public;
mod readme;
