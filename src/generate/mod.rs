//! `generate`: test events written from nothing but a seed and the options asked for — receipt
//! events with consistent headers, sending events of every type — in the envelope or capture
//! form a user's code receives. A source, not a view: it reads no input.

mod receipt;
pub(crate) mod rng;
pub mod sending;
pub mod truth;
pub mod wrap;

use clap::ValueEnum;
use serde_json::Value;

pub use rng::Rng;
pub use truth::{Fact, Truth};
pub use wrap::{Gzip, Wrap, Written};

/// A verdict status, as SES writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    #[value(name = "PASS")]
    Pass,
    #[value(name = "FAIL")]
    Fail,
    #[value(name = "GRAY")]
    Gray,
    #[value(name = "PROCESSING_FAILED")]
    ProcessingFailed,
    #[value(name = "DISABLED")]
    Disabled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Gray => "GRAY",
            Status::ProcessingFailed => "PROCESSING_FAILED",
            Status::Disabled => "DISABLED",
        }
    }
}

/// A sender's DMARC policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

/// A receipt rule action type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Action {
    #[value(name = "S3")]
    S3,
    #[value(name = "Lambda")]
    Lambda,
    #[value(name = "SNS")]
    Sns,
    #[value(name = "Bounce")]
    Bounce,
    #[value(name = "WorkMail")]
    WorkMail,
    #[value(name = "Stop")]
    Stop,
    #[value(name = "AddHeader")]
    AddHeader,
}

/// Which events to write: receipt events, or one sending event type, or every sending type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventKind {
    /// Receipt events: mail SES received
    Received,
    /// Sending events of every type: in turn, or message by message in realistic proportions
    /// with --mix
    Sending,
    Send,
    Reject,
    Bounce,
    Complaint,
    Delivery,
    Open,
    Click,
    RenderingFailure,
    DeliveryDelay,
    Subscription,
}

/// A complaint feedback type (RFC 5965), as ISPs report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Feedback {
    Abuse,
    AuthFailure,
    Fraud,
    NotSpam,
    Other,
    Virus,
}

impl Feedback {
    pub fn as_str(self) -> &'static str {
        match self {
            Feedback::Abuse => "abuse",
            Feedback::AuthFailure => "auth-failure",
            Feedback::Fraud => "fraud",
            Feedback::NotSpam => "not-spam",
            Feedback::Other => "other",
            Feedback::Virus => "virus",
        }
    }
}

/// The five verdicts of a receipt event; `None` is PASS, or drawn with `mix`.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    pub spf: Option<Status>,
    pub dkim: Option<Status>,
    pub dmarc: Option<Status>,
    pub spam: Option<Status>,
    pub virus: Option<Status>,
}

/// Everything `generate` was asked for, resolved.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: EventKind,
    /// Draw what was not asked for in realistic proportions, rather than the plain default.
    pub mix: bool,
    pub verdicts: Verdicts,
    /// Leave `dmarcVerdict` out, as several real events do.
    pub no_dmarc: bool,
    pub dmarc_policy: Option<Policy>,
    pub action: Option<Action>,
    /// `(bounceType, bounceSubType)`.
    pub bounce: Option<(String, String)>,
    pub feedback: Option<Feedback>,
    /// Sending events as identity notifications (`notificationType`) rather than event
    /// publishing records (`eventType`).
    pub notification: bool,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    /// Write non-ASCII subjects and display names as RFC 2047 encoded-words in the headers.
    pub encoded_words: bool,
    pub headers_truncated: bool,
    pub tags: Vec<(String, String)>,
    /// With `--type sending --mix`: how many times the usual chances of bounces, complaints
    /// and unsubscriptions (1: as usual).
    pub trouble: u64,
}

/// One event made: its parts, for `wrap` to put into the form asked for.
#[derive(Debug)]
pub enum Event {
    /// A receipt event's `mail` and `receipt`, and with the SNS action the raw message.
    Received {
        mail: Value,
        receipt: Value,
        content: Option<String>,
    },
    /// A sending event record, and its type as SES spells it.
    Sending { record: Value, event_type: String },
}

impl Event {
    /// When it happened (ISO 8601), for the envelopes' own timestamps.
    pub fn time(&self) -> &str {
        let at = match self {
            Event::Received { mail, .. } => &mail["timestamp"],
            Event::Sending { record, .. } => &record["mail"]["timestamp"],
        };
        at.as_str().unwrap_or_default()
    }
}

/// The events of `spec`, one by one, from `seed`: the same spec and seed give the same events.
pub struct Events {
    spec: Spec,
    rng: Rng,
    index: u64,
    follow: sending::Follow,
}

impl Events {
    pub fn new(spec: Spec, seed: u64) -> Events {
        Events {
            spec,
            rng: Rng::new(seed),
            index: 0,
            follow: sending::Follow::default(),
        }
    }
}

/// One event made: the event, what it says for `--truth`, and a generator for its wrapping (so
/// that ids in envelopes are drawn from the same seed without changing the events themselves).
pub struct Made {
    pub event: Event,
    pub fact: Fact,
    pub wrapping: Rng,
}

impl Iterator for Events {
    type Item = Made;

    fn next(&mut self) -> Option<Made> {
        let index = self.index;
        self.index += 1;
        let (event, fact) = if self.spec.kind == EventKind::Received {
            receipt::event(&self.spec, &mut self.rng, index)
        } else {
            sending::event(&self.spec, &mut self.rng, index, &mut self.follow)
        };
        let wrapping = Rng::new(self.rng.next_u64());
        Some(Made {
            event,
            fact,
            wrapping,
        })
    }
}

/// The start of generated time: every event is a few seconds after the one before.
const EPOCH_MS: i64 = 1_772_438_400_000; // 2026-03-02T08:00:00Z

/// A time `ms` milliseconds after the start, in ISO 8601 with milliseconds, as SES writes it.
pub fn iso(ms: i64) -> String {
    timestamp(ms).strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The same time as an RFC 5322 `Date`.
fn rfc5322(ms: i64) -> String {
    timestamp(ms)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

fn timestamp(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(EPOCH_MS + ms).expect("generated times are within 2026")
}

/// Display names and local parts to draw senders and recipients from (non-ASCII on purpose).
const FIRST: &[&str] = &[
    "Jane", "John", "Ana", "Björn", "Zoë", "Łukasz", "Mei", "Søren", "Olu", "Priya", "Ivan", "Chen",
];
const LAST: &[&str] = &[
    "Doe", "Roe", "Silva", "Müller", "Nakamura", "Kowalski", "Garcia", "Øster", "Smith",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "shop.example",
    "news.example.co.uk",
    "bank.example",
    "partners.example.io",
];
const SUBJECTS: &[&str] = &[
    "Invoice 4471 for October",
    "Re: quarterly numbers",
    "Your order has shipped",
    "Meeting notes — Tuesday",
    "Fwd: contract draft v3",
    "Password reset request",
    "Überweisung bestätigt",
    "会议通知",
    "Weekly report (automated)",
];

/// A person: display name and address.
fn person(rng: &mut Rng) -> (String, String) {
    let (name, local) = name_and_local_part(rng);
    (name, format!("{local}@{}", rng.pick(DOMAINS)))
}

/// A display name and the local part of an address made from it (`first.last`).
fn name_and_local_part(rng: &mut Rng) -> (String, String) {
    let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
    let local: String = format!("{first}.{last}")
        .to_lowercase()
        .chars()
        .filter_map(ascii_letter)
        .collect();
    (
        format!("{first} {last}"),
        local.trim_matches('.').to_owned(),
    )
}

/// The letter an address spells for a letter of a name (`ø` as `o`), or none.
fn ascii_letter(c: char) -> Option<char> {
    match c {
        'a'..='z' | '0'..='9' | '.' => Some(c),
        'ä' | 'å' | 'á' => Some('a'),
        'ë' | 'é' => Some('e'),
        'ö' | 'ø' | 'ó' => Some('o'),
        'ü' | 'ú' => Some('u'),
        'ł' => Some('l'),
        _ => None,
    }
}

/// The bare address of `mailbox` (`Name <addr>` or `addr`).
fn address_of(mailbox: &str) -> &str {
    match (mailbox.rfind('<'), mailbox.rfind('>')) {
        (Some(open), Some(close)) if open < close => &mailbox[open + 1..close],
        _ => mailbox.trim(),
    }
}

/// The domain of an address.
fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map_or(address, |(_, domain)| domain)
}

/// How non-ASCII text is written in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderText {
    /// As it is (UTF-8).
    Raw,
    /// An RFC 2047 encoded-word, base64 of UTF-8 (`=?UTF-8?B?…?=`).
    Base64,
    /// An RFC 2047 encoded-word in the `Q` encoding (`=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=`).
    Quoted,
}

/// `text` for a header, encoded as `how` says when it is not ASCII.
fn header_text(text: &str, how: HeaderText) -> String {
    use base64::Engine;
    if text.is_ascii() {
        return text.to_owned();
    }
    match how {
        HeaderText::Raw => text.to_owned(),
        HeaderText::Base64 => format!(
            "=?UTF-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(text)
        ),
        HeaderText::Quoted => {
            let mut word = String::from("=?UTF-8?Q?");
            for byte in text.bytes() {
                match byte {
                    b' ' => word.push('_'),
                    b'=' | b'?' | b'_' => word.push_str(&format!("={byte:02X}")),
                    33..=126 => word.push(char::from(byte)),
                    _ => word.push_str(&format!("={byte:02X}")),
                }
            }
            word + "?="
        }
    }
}

/// A header value for a mailbox: the display name quoted, or encoded as `how` says when it is
/// not ASCII.
fn mailbox_header(name: &str, address: &str, how: HeaderText) -> String {
    if name.is_ascii() || how == HeaderText::Raw {
        format!("\"{name}\" <{address}>")
    } else {
        format!("{} <{address}>", header_text(name, how))
    }
}

/// A JSON object of `fields` in this order, each value moved in: `json!` copies every value it
/// interpolates (by serializing it), which for a whole event cost more than making it.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

/// Base64 of `n` random bytes: signatures and hashes.
fn base64_noise(rng: &mut Rng, n: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(rng.bytes(n))
}

const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
