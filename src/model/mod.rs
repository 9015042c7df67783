//! The SES message model: what one event says, typed where sesinspect reads it and kept
//! verbatim (`raw`) for everything else, borrowing from the input bytes wherever it can.

mod lenient;
mod mail;
mod receipt;
mod verdict;
pub mod words;

pub use lenient::{Text, TextList};
pub use mail::{CommonHeaders, Header, Mail};
pub use receipt::{Action, Receipt};
pub use verdict::{Status, Verdict};

use crate::origin::Origin;

/// One SES message: its `mail` part, what happened to it, and the record it came in.
#[derive(Debug)]
pub struct Message<'a> {
    pub origin: Origin,
    pub mail: Mail<'a>,
    pub event: Event<'a>,
    /// The JSON text of the record that carried the message (a Lambda record, a notification or a
    /// bare `ses` object), with every field, known or not.
    pub raw: &'a str,
}

/// What SES did with a message. Sending events (bounce, complaint, delivery…) join as variants.
#[derive(Debug)]
pub enum Event<'a> {
    /// Email receiving: a receipt rule matched and ran an action.
    Received(Receipt<'a>),
}

impl<'a> Message<'a> {
    pub fn receipt(&self) -> Option<&Receipt<'a>> {
        match &self.event {
            Event::Received(receipt) => Some(receipt),
        }
    }

    /// The status of `verdict`, when the event has it.
    pub fn verdict(&self, verdict: Verdict) -> Option<&Status<'a>> {
        self.receipt().and_then(|r| r.verdict(verdict))
    }
}
