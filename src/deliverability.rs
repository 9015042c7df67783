//! The deliverability ledger: the distinct (message, recipient) pairs the input knows were sent
//! to, which of them bounced hard or soft, complained or were delivered, and from those SES's
//! bounce and complaint rates beside its thresholds; and DSN status codes (`5.1.1`) with what
//! they mean (RFC 3463). Shared by `stats` and `check`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use foldhash::{HashMap, HashSet};

use crate::mail;
use crate::model::{Message, Sending};
use crate::outcome::{self, BounceClass};

/// SES's thresholds for a rate: at or over `review` the account is placed under review, at or
/// over `paused` sending may be paused (fractions, 0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub review: f64,
    pub paused: f64,
}

/// Bounce rate: 5% under review, 10% sending may be paused.
pub const BOUNCE_THRESHOLDS: Thresholds = Thresholds {
    review: 0.05,
    paused: 0.10,
};

/// Complaint rate: 0.1% under review, 0.5% sending may be paused.
pub const COMPLAINT_THRESHOLDS: Thresholds = Thresholds {
    review: 0.001,
    paused: 0.005,
};

/// What the input says became of one (message, recipient) pair.
#[derive(Debug, Default, Clone, Copy)]
struct Fate(u8);

impl Fate {
    const DELIVERED: u8 = 1;
    /// A Permanent bounce of any subtype.
    const PERMANENT: u8 = 2;
    /// A Permanent bounce that counts toward SES's bounce rate.
    const HARD: u8 = 4;
    const SOFT: u8 = 8;
    const COMPLAINED: u8 = 16;

    fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

/// A message as the ledger keys it: a 64-bit hash of its SES message id.
pub type MessageKey = u64;

/// The pairs and messages seen, mergeable batch by batch. Each pair is kept as two 64-bit hashes
/// (of the SES message id, and of the lower-cased address) and one byte of flags: 24 bytes
/// before the hash table's overhead, growing with the distinct pairs in the input.
#[derive(Debug, Default)]
pub struct Ledger {
    pairs: HashMap<(MessageKey, u64), Fate>,
    messages: HashSet<MessageKey>,
    /// Messages SES rejected or could not render: never sent, so their pairs do not count.
    refused: HashSet<MessageKey>,
    /// Sending events without `mail.messageId`: they cannot be tied to a message.
    without_message_id: u64,
}

/// What the ledger counts, over the messages that were sent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Distinct SES message ids, refused ones included.
    pub messages: u64,
    /// Distinct (message, recipient) pairs the input knows were sent to.
    pub sent: u64,
    /// Pairs with a Permanent bounce that SES counts (not `OnAccountSuppressionList`).
    pub hard_bounces: u64,
    /// Pairs with a Transient or Undetermined bounce.
    pub soft_bounces: u64,
    /// Pairs with a complaint.
    pub complaints: u64,
    /// Pairs both delivered and bounced Permanently: worth a look.
    pub delivered_and_bounced: u64,
    pub without_message_id: u64,
}

impl Counts {
    /// Hard bounces ÷ sent, when anything was sent.
    pub fn bounce_rate(&self) -> Option<f64> {
        rate(self.hard_bounces, self.sent)
    }

    /// Complaints ÷ sent, when anything was sent.
    pub fn complaint_rate(&self) -> Option<f64> {
        rate(self.complaints, self.sent)
    }
}

/// A fraction as a percentage for people, to four significant digits, trailing zeros dropped:
/// `5%`, `0.1%`, `28.36%`, `0.1002%` (so that a rate just over a limit does not read as equal).
pub fn percent(fraction: f64) -> String {
    let value = fraction * 100.0;
    let magnitude = if value > 0.0 {
        value.log10().floor() as i32
    } else {
        0
    };
    let decimals = (3 - magnitude).clamp(0, 6) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}%")
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Ledger {
    /// Records what a sending event says about its message and recipients.
    pub fn add(&mut self, message: &Message, sending: &Sending) {
        let Some(id) = message.mail.message_id.as_deref() else {
            self.without_message_id += 1;
            return;
        };
        let key = message_key(id);
        self.messages.insert(key);
        if matches!(sending, Sending::Reject(_) | Sending::RenderingFailure(_)) {
            self.refused.insert(key);
        }
        for address in message.mail.destination.iter().flat_map(|d| d.0.iter()) {
            self.mark(key, address, 0);
        }
        let flag = match sending {
            Sending::Bounce(bounce) => match outcome::bounce_class(bounce) {
                BounceClass::Hard => Fate::PERMANENT | Fate::HARD,
                BounceClass::OnAccountSuppressionList => Fate::PERMANENT,
                BounceClass::Soft => Fate::SOFT,
                BounceClass::Unknown => 0,
            },
            Sending::Complaint(_) => Fate::COMPLAINED,
            Sending::Delivery(_) => Fate::DELIVERED,
            _ => 0,
        };
        for recipient in message.recipients() {
            if let Some(address) = recipient.address {
                self.mark(key, address, flag);
            }
        }
    }

    fn mark(&mut self, message: MessageKey, address: &str, flag: u8) {
        self.pairs
            .entry((message, address_key(address)))
            .or_default()
            .0 |= flag;
    }

    pub fn merge(&mut self, other: Ledger) {
        for (pair, fate) in other.pairs {
            self.pairs.entry(pair).or_default().0 |= fate.0;
        }
        self.messages.extend(other.messages);
        self.refused.extend(other.refused);
        self.without_message_id += other.without_message_id;
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            messages: self.messages.len() as u64,
            without_message_id: self.without_message_id,
            ..Counts::default()
        };
        for ((message, _), fate) in &self.pairs {
            if self.refused.contains(message) {
                continue;
            }
            let fate = *fate;
            counts.sent += 1;
            counts.hard_bounces += u64::from(fate.has(Fate::HARD));
            counts.soft_bounces += u64::from(fate.has(Fate::SOFT));
            counts.complaints += u64::from(fate.has(Fate::COMPLAINED));
            counts.delivered_and_bounced +=
                u64::from(fate.has(Fate::DELIVERED) && fate.has(Fate::PERMANENT));
        }
        counts
    }
}

/// The key of a message by its SES message id.
pub fn message_key(id: &str) -> MessageKey {
    hash(id)
}

/// The key of an address: of the address itself (a display name around it dropped),
/// lower-cased.
fn address_key(raw: &str) -> u64 {
    hash(&mail::address_key(raw))
}

/// SipHash with fixed keys: the same on every thread and every run.
fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The enhanced status code (`5.1.1`) of a bounced or delayed recipient: its `status` when it is
/// one, else the first one in its diagnostic code (`smtp; 550 5.1.1 user unknown`).
pub fn status_code(status: Option<&str>, diagnostic_code: Option<&str>) -> Option<String> {
    static CODE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^0-9.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:$|[^0-9.])")
            .expect("a valid pattern")
    });
    [status, diagnostic_code]
        .into_iter()
        .flatten()
        .find_map(|text| CODE.captures(text.trim()))
        .map(|found| found[1].to_string())
}

/// What an enhanced status code means in words, by RFC 3463: `Permanent failure: bad
/// destination mailbox address`. A detail the RFC does not define is named by its subject.
pub fn status_meaning(code: &str) -> String {
    let mut parts = code.split('.');
    let (Some(class), Some(subject), Some(detail)) = (parts.next(), parts.next(), parts.next())
    else {
        return "not an enhanced status code".to_string();
    };
    let class = match class {
        "2" => "Success",
        "4" => "Persistent transient failure",
        "5" => "Permanent failure",
        _ => return "not an enhanced status code".to_string(),
    };
    let subject_name = match subject {
        "0" => "other or undefined status",
        "1" => "addressing status",
        "2" => "mailbox status",
        "3" => "mail system status",
        "4" => "network and routing status",
        "5" => "mail delivery protocol status",
        "6" => "message content or media status",
        "7" => "security or policy status",
        _ => return format!("{class}: subject {subject} is not defined by RFC 3463"),
    };
    let detail_meaning = DETAILS
        .iter()
        .find(|(s, d, _)| *s == subject && *d == detail)
        .map(|(_, _, meaning)| *meaning);
    match detail_meaning {
        Some(meaning) => format!("{class}: {meaning}"),
        None => format!("{class}: {subject_name} (detail {detail} not in RFC 3463)"),
    }
}

/// RFC 3463 section 3: each subject and detail, and what it means.
const DETAILS: [(&str, &str, &str); 49] = [
    ("0", "0", "other undefined status"),
    ("1", "0", "other address status"),
    ("1", "1", "bad destination mailbox address"),
    ("1", "2", "bad destination system address"),
    ("1", "3", "bad destination mailbox address syntax"),
    ("1", "4", "destination mailbox address ambiguous"),
    ("1", "5", "destination address valid"),
    (
        "1",
        "6",
        "destination mailbox has moved, no forwarding address",
    ),
    ("1", "7", "bad sender's mailbox address syntax"),
    ("1", "8", "bad sender's system address"),
    ("2", "0", "other or undefined mailbox status"),
    ("2", "1", "mailbox disabled, not accepting messages"),
    ("2", "2", "mailbox full"),
    ("2", "3", "message length exceeds administrative limit"),
    ("2", "4", "mailing list expansion problem"),
    ("3", "0", "other or undefined mail system status"),
    ("3", "1", "mail system full"),
    ("3", "2", "system not accepting network messages"),
    ("3", "3", "system not capable of selected features"),
    ("3", "4", "message too big for system"),
    ("3", "5", "system incorrectly configured"),
    ("4", "0", "other or undefined network or routing status"),
    ("4", "1", "no answer from host"),
    ("4", "2", "bad connection"),
    ("4", "3", "directory server failure"),
    ("4", "4", "unable to route"),
    ("4", "5", "mail system congestion"),
    ("4", "6", "routing loop detected"),
    ("4", "7", "delivery time expired"),
    ("5", "0", "other or undefined protocol status"),
    ("5", "1", "invalid command"),
    ("5", "2", "syntax error"),
    ("5", "3", "too many recipients"),
    ("5", "4", "invalid command arguments"),
    ("5", "5", "wrong protocol version"),
    ("6", "0", "other or undefined media error"),
    ("6", "1", "media not supported"),
    ("6", "2", "conversion required and prohibited"),
    ("6", "3", "conversion required but not supported"),
    ("6", "4", "conversion with loss performed"),
    ("6", "5", "conversion failed"),
    ("7", "0", "other or undefined security status"),
    ("7", "1", "delivery not authorized, message refused"),
    ("7", "2", "mailing list expansion prohibited"),
    ("7", "3", "security conversion required but not possible"),
    ("7", "4", "security features not supported"),
    ("7", "5", "cryptographic failure"),
    ("7", "6", "cryptographic algorithm not supported"),
    ("7", "7", "message integrity failure"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_status_code_in_the_status_or_the_diagnostic() {
        assert_eq!(status_code(Some("5.1.1"), None).as_deref(), Some("5.1.1"));
        assert_eq!(
            status_code(None, Some("smtp; 550-5.1.1 The email account")).as_deref(),
            Some("5.1.1")
        );
        assert_eq!(
            status_code(Some(""), Some("smtp; 452 4.2.2 Mailbox full")).as_deref(),
            Some("4.2.2")
        );
        assert_eq!(status_code(None, Some("version 1.2.3.4 is old")), None);
        assert_eq!(status_code(None, Some("smtp; 550 user unknown")), None);
        assert_eq!(status_code(Some("9.9.9"), None), None);
    }

    #[test]
    fn shows_rates_to_four_significant_digits() {
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.001), "0.1%");
        assert_eq!(percent(19.0 / 67.0), "28.36%");
        assert_eq!(percent(393.0 / 392_392.0), "0.1002%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn says_what_a_status_code_means() {
        assert_eq!(
            status_meaning("5.1.1"),
            "Permanent failure: bad destination mailbox address"
        );
        assert_eq!(
            status_meaning("4.2.2"),
            "Persistent transient failure: mailbox full"
        );
        assert_eq!(
            status_meaning("5.7.26"),
            "Permanent failure: security or policy status (detail 26 not in RFC 3463)"
        );
        assert_eq!(status_meaning("2.0.0"), "Success: other undefined status");
    }
}
