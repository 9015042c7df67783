//! `--truth`: the answers any correct reader must find in what `generate` wrote, tallied from
//! what each event was made to say (its `Fact`, part of the plan), never by reading the output
//! back. Memory: the distinct senders of receipt events, the addresses to suppress of sending
//! events, and the recipients of one message at a time.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Status;

/// What one event was made to say, as far as the truth is concerned.
#[derive(Debug, Clone)]
pub enum Fact {
    /// A receipt event: its envelope sender and its verdicts in [`VERDICTS`]' order (`None`
    /// when left out).
    Received {
        sender: String,
        verdicts: [Option<Status>; 5],
    },
    /// A sending event of type `type_name` about message number `message` (the messages of a
    /// run are numbered apart, and a message's events come together), which `recipients` the
    /// event is about, and what it does to them.
    Sending {
        type_name: &'static str,
        message: u64,
        recipients: Vec<String>,
        effect: Effect,
    },
}

/// What a sending event does to the pairs (message, recipient) it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing a count depends on (Send, Delivery, Open…).
    Nothing,
    /// A Reject or Rendering Failure: the message was never sent.
    Refused,
    /// A Permanent bounce SES counts toward the bounce rate (not OnAccountSuppressionList).
    HardBounce,
    /// A Permanent bounce because the address is on the account's suppression list: not
    /// counted, and nothing to suppress (it is there).
    ListedBounce,
    /// A Transient or Undetermined bounce.
    SoftBounce,
    Complaint,
}

/// The verdicts of a receipt event, named as in `receipt` (and as the retired
/// `bench/gen_events.py --truth` named them).
pub const VERDICTS: [&str; 5] = [
    "spamVerdict",
    "virusVerdict",
    "spfVerdict",
    "dkimVerdict",
    "dmarcVerdict",
];

/// The answers so far.
#[derive(Debug, Default)]
pub struct Truth {
    records: u64,
    senders: BTreeSet<String>,
    verdicts: [BTreeMap<&'static str, u64>; 5],
    events: BTreeMap<&'static str, u64>,
    messages: u64,
    /// The message being written.
    current: Option<Current>,
    pairs: Pairs,
    /// Address → `true` for a complaint (which outranks a bounce), `false` for a hard bounce.
    suppress: BTreeMap<String, bool>,
}

/// The message being written: its number, whether it was refused, and what became of each of
/// its recipients (lower-cased).
#[derive(Debug)]
struct Current {
    number: u64,
    refused: bool,
    fates: BTreeMap<String, Fates>,
}

/// What became of one (message, recipient) pair.
#[derive(Debug, Default, Clone, Copy)]
struct Fates {
    hard: bool,
    soft: bool,
    complained: bool,
}

/// The pairs counted over the messages done.
#[derive(Debug, Default, Clone, Copy)]
struct Pairs {
    sent: u64,
    hard: u64,
    soft: u64,
    complaints: u64,
}

impl Truth {
    pub fn add(&mut self, fact: &Fact) {
        match fact {
            Fact::Received { sender, verdicts } => {
                self.records += 1;
                self.senders.insert(sender.to_lowercase());
                for (counts, status) in self.verdicts.iter_mut().zip(verdicts) {
                    *counts
                        .entry(status.map_or("MISSING", Status::as_str))
                        .or_default() += 1;
                }
            }
            Fact::Sending {
                type_name,
                message,
                recipients,
                effect,
            } => {
                *self.events.entry(type_name).or_default() += 1;
                if self.current.as_ref().is_some_and(|m| m.number != *message) {
                    self.end_message();
                }
                let current = self.current.get_or_insert_with(|| Current {
                    number: *message,
                    refused: false,
                    fates: BTreeMap::new(),
                });
                current.refused |= *effect == Effect::Refused;
                for recipient in recipients {
                    let address = super::address_of(recipient).to_lowercase();
                    let fate = current.fates.entry(address.clone()).or_default();
                    match effect {
                        Effect::HardBounce => {
                            fate.hard = true;
                            self.suppress.entry(address).or_insert(false);
                        }
                        Effect::SoftBounce => fate.soft = true,
                        Effect::Complaint => {
                            fate.complained = true;
                            self.suppress.insert(address, true);
                        }
                        Effect::Nothing | Effect::Refused | Effect::ListedBounce => {}
                    }
                }
            }
        }
    }

    /// Counts the pairs of the message just written, unless it was refused.
    fn end_message(&mut self) {
        let Some(Current { refused, fates, .. }) = self.current.take() else {
            return;
        };
        self.messages += 1;
        if refused {
            return;
        }
        for fate in fates.values() {
            self.pairs.sent += 1;
            self.pairs.hard += u64::from(fate.hard);
            self.pairs.soft += u64::from(fate.soft);
            self.pairs.complaints += u64::from(fate.complained);
        }
    }

    /// The answers: for receipt events (`received`) the records, distinct senders and the
    /// count of each status per verdict; for sending events those of `stats -f json`'s
    /// `sending` object, and the suppression list.
    pub fn finish(mut self, received: bool) -> Value {
        self.end_message();
        if received {
            let verdicts: serde_json::Map<String, Value> = VERDICTS
                .iter()
                .zip(&self.verdicts)
                .map(|(name, counts)| ((*name).to_owned(), json!(counts)))
                .collect();
            return json!({
                "records": self.records,
                "distinct_senders": self.senders.len(),
                "verdicts": verdicts,
            });
        }
        let Pairs {
            sent,
            hard,
            soft,
            complaints,
        } = self.pairs;
        let rate = |part: u64| (sent > 0).then(|| part as f64 / sent as f64);
        let suppress: BTreeMap<&str, &str> = self
            .suppress
            .iter()
            .map(|(address, complained)| {
                (
                    address.as_str(),
                    if *complained { "COMPLAINT" } else { "BOUNCE" },
                )
            })
            .collect();
        json!({
            "events": self.events,
            "messages": self.messages,
            "sent": sent,
            "hard_bounces": hard,
            "soft_bounces": soft,
            "complaints": complaints,
            "bounce_rate": rate(hard),
            "complaint_rate": rate(complaints),
            "suppress": suppress,
        })
    }
}
