//! The verdicts SES gives a received message (SPF, DKIM, DMARC, spam, virus) and their statuses:
//! the one vocabulary every command uses to name, label, count and compare them.

use std::borrow::Cow;
use std::fmt;

use super::lenient::Text;

/// One of SES's five verdicts on a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Spf,
    Dkim,
    Dmarc,
    Spam,
    Virus,
}

impl Verdict {
    /// Every verdict, in the order tables show them.
    pub const ALL: [Verdict; 5] = [
        Verdict::Spf,
        Verdict::Dkim,
        Verdict::Dmarc,
        Verdict::Spam,
        Verdict::Virus,
    ];

    /// The field name and JSON key: `spf`, `dkim`, `dmarc`, `spam`, `virus`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Spf => "spf",
            Verdict::Dkim => "dkim",
            Verdict::Dmarc => "dmarc",
            Verdict::Spam => "spam",
            Verdict::Virus => "virus",
        }
    }

    /// How tables title it: `SPF`, `DKIM`, `DMARC`, `Spam`, `Virus`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Spf => "SPF",
            Verdict::Dkim => "DKIM",
            Verdict::Dmarc => "DMARC",
            Verdict::Spam => "Spam",
            Verdict::Virus => "Virus",
        }
    }

    /// Where the event keeps it: `receipt.spfVerdict.status`, ….
    pub fn path(self) -> &'static str {
        match self {
            Verdict::Spf => "receipt.spfVerdict.status",
            Verdict::Dkim => "receipt.dkimVerdict.status",
            Verdict::Dmarc => "receipt.dmarcVerdict.status",
            Verdict::Spam => "receipt.spamVerdict.status",
            Verdict::Virus => "receipt.virusVerdict.status",
        }
    }

    /// The verdict a field name (`spf`) or an authentication method (`dkim`) names.
    pub fn named(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Its index in [`Verdict::ALL`], for per-verdict arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The status of one verdict. Statuses SES may add later are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status<'a> {
    Pass,
    Fail,
    Gray,
    ProcessingFailed,
    Disabled,
    Other(Text<'a>),
}

/// What a verdict of the wrong type counts and shows as (`"dkimVerdict": ["PASS"]`): unreadable,
/// neither a status nor missing.
pub static UNREADABLE_STATUS: Status<'static> = Status::Other(Cow::Borrowed("<unreadable>"));

impl<'a> Status<'a> {
    /// The known statuses, in display order.
    pub const KNOWN: [Status<'static>; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Gray,
        Status::ProcessingFailed,
        Status::Disabled,
    ];

    pub fn from_text(text: Text<'a>) -> Self {
        match &*text {
            "PASS" => Status::Pass,
            "FAIL" => Status::Fail,
            "GRAY" => Status::Gray,
            "PROCESSING_FAILED" => Status::ProcessingFailed,
            "DISABLED" => Status::Disabled,
            _ => Status::Other(text),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Gray => "GRAY",
            Status::ProcessingFailed => "PROCESSING_FAILED",
            Status::Disabled => "DISABLED",
            Status::Other(text) => text,
        }
    }

    /// The same status, owning its text, to outlive the input.
    pub fn into_owned(self) -> Status<'static> {
        match self {
            Status::Pass => Status::Pass,
            Status::Fail => Status::Fail,
            Status::Gray => Status::Gray,
            Status::ProcessingFailed => Status::ProcessingFailed,
            Status::Disabled => Status::Disabled,
            Status::Other(text) => Status::Other(Cow::Owned(text.into_owned())),
        }
    }
}

impl fmt::Display for Status<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
