//! The integration tests: every test here runs the real `sesinspect` binary. One file per
//! command, and one per concern that cuts across commands.

mod auth;
mod check;
mod completions;
mod deliverability_stats;
mod fields;
mod filters;
mod fuzz_replay;
mod generate;
mod harness;
mod headers;
mod help;
mod hops;
mod inputs;
mod logs;
mod output;
mod public;
mod readme;
mod recipients;
mod redact;
mod robust_decode;
mod robust_frame;
mod robust_mail;
mod robust_output;
mod robust_strict;
mod sending;
mod stats;
mod summary;
mod timeline;
