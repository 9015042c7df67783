//! The SES message model: what one event says, typed where sesinspect reads it and kept
//! verbatim (`raw`) for everything else, borrowing from the input bytes wherever it can.

mod lenient;
mod mail;
mod receipt;
mod sending;
mod verdict;
pub mod words;

pub use lenient::{Borrowed, Object, Text, TextList, object, text};
pub use mail::{CommonHeaders, Header, HeaderList, Mail, SET_ASIDE, Tags, set_aside_headers};
pub use receipt::{Action, ActionFields, Receipt};
pub use sending::{
    Bounce, Complaint, Delivery, DeliveryDelay, Engagement, Reject, RenderingFailure,
    ReportedRecipient, Sending, SendingObjects, Subscription, TopicPreferences, TopicStatus,
};
pub use verdict::{Status, UNREADABLE_STATUS, Verdict};

use crate::origin::Origin;

/// One SES message: its `mail` part, what happened to it, and the record it came in.
#[derive(Debug)]
pub struct Message<'a> {
    pub origin: Origin,
    /// Boxed as it was read, so that a message is small to move.
    pub mail: Box<Mail<'a>>,
    pub event: Event<'a>,
    /// The JSON text of the record that carried the message (a Lambda record, a notification, a
    /// bare `ses` object or a sending event), with every field, known or not.
    pub raw: &'a str,
    /// The fields that hold a value of the wrong type (empty in a well-formed event): they read
    /// as absent in `mail` and `event`, and as unreadable, not missing, for people.
    pub unreadable: Vec<Unreadable>,
}

/// A field of the event that holds a value of the wrong type (a verdict status that is a number,
/// `recipients: [1]`): shown as unreadable, never read as a value nor as missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// Where the field is in the event, as the field table names paths:
    /// `receipt.spfVerdict.status`, `mail.commonHeaders.subject`, `bounce.bouncedRecipients`
    /// (a list is unreadable as a whole when one of its items is).
    pub field: String,
    /// What the field holds, as JSON text.
    pub value: String,
}

/// What SES did with a message: received it, or reports on one it sent.
#[derive(Debug)]
pub enum Event<'a> {
    /// Email receiving: a receipt rule matched and ran an action. Boxed as it was read, so that
    /// a message is small to move.
    Received(Box<Receipt<'a>>),
    /// Email sending: a bounce, complaint, delivery, open… (see [`Sending`]).
    Sending(Sending<'a>),
}

impl<'a> Message<'a> {
    /// The message `raw` carries, every field of it read (none [`Unreadable`]).
    pub fn read_whole(origin: Origin, mail: Box<Mail<'a>>, event: Event<'a>, raw: &'a str) -> Self {
        Message {
            origin,
            mail,
            event,
            raw,
            unreadable: Vec::new(),
        }
    }

    pub fn receipt(&self) -> Option<&Receipt<'a>> {
        match &self.event {
            Event::Received(receipt) => Some(receipt.as_ref()),
            Event::Sending(_) => None,
        }
    }

    pub fn sending(&self) -> Option<&Sending<'a>> {
        match &self.event {
            Event::Sending(sending) => Some(sending),
            Event::Received(_) => None,
        }
    }

    /// The unreadable field at `path` (`receipt.spfVerdict.status`), around it (the whole
    /// `receipt.spfVerdict`) or inside it (`bounce.bouncedRecipients[0].status` inside
    /// `bounce.bouncedRecipients`), if any.
    pub fn unreadable_at(&self, path: &str) -> Option<&Unreadable> {
        self.unreadable
            .iter()
            .find(|u| within(path, &u.field) || within(&u.field, path))
    }

    /// The unreadable field strictly inside `path` (`bounce.bouncedRecipients[0].status` inside
    /// `bounce.bouncedRecipients`), if any.
    pub fn unreadable_inside(&self, path: &str) -> Option<&Unreadable> {
        self.unreadable
            .iter()
            .find(|u| u.field != path && within(&u.field, path))
    }

    /// The status of `verdict`, when the event has it.
    pub fn verdict(&self, verdict: Verdict) -> Option<&Status<'a>> {
        self.receipt().and_then(|r| r.verdict(verdict))
    }

    /// The status of `verdict` as read: [`UNREADABLE_STATUS`] when the event has it with the
    /// wrong type, so that counts and checks never take it for missing.
    pub fn verdict_as_read(&self, verdict: Verdict) -> Option<&Status<'a>> {
        match self.unreadable_at(verdict.path()) {
            Some(_) => Some(&UNREADABLE_STATUS),
            None => self.verdict(verdict),
        }
    }

    /// The event type as SES spells it: `Received` for a receipt event, otherwise the sending
    /// event's type (`Bounce`, `Rendering Failure`, …).
    pub fn event_type(&self) -> &str {
        match &self.event {
            Event::Received(_) => "Received",
            Event::Sending(sending) => sending.type_name(),
        }
    }

    /// When the event happened, by its own object's timestamp (`receipt.timestamp`,
    /// `bounce.timestamp`, …).
    pub fn event_time(&self) -> Option<&Text<'a>> {
        match &self.event {
            Event::Received(receipt) => receipt.timestamp.as_ref(),
            Event::Sending(sending) => sending.timestamp(),
        }
    }

    /// The recipients of an event that names them by address only: the receipt rule's
    /// recipients, the delivered recipients, or the message's destination for Send, Reject,
    /// Open, Click, Rendering Failure and Subscription. `None` for the events that report each
    /// recipient ([`Sending::reported_recipients`]), for unknown types, and when the list is
    /// absent.
    pub fn recipient_addresses(&self) -> Option<&[Text<'a>]> {
        let list = match &self.event {
            Event::Received(receipt) => receipt.recipients.as_ref(),
            Event::Sending(Sending::Delivery(delivery)) => delivery.recipients.as_ref(),
            Event::Sending(
                Sending::Send
                | Sending::Reject(_)
                | Sending::Open(_)
                | Sending::Click(_)
                | Sending::RenderingFailure(_)
                | Sending::Subscription(_),
            ) => self.mail.destination.as_ref(),
            Event::Sending(_) => None,
        };
        list.map(|list| &list.0[..])
    }

    /// Each envelope recipient the event is about, in the event's order, with what the event
    /// says about it (action, status and diagnostic code for bounced and delayed recipients).
    pub fn recipients(&self) -> Vec<Recipient<'_>> {
        if let Some(reported) = self.sending().and_then(Sending::reported_recipients) {
            return reported.iter().map(Recipient::from).collect();
        }
        self.recipient_addresses()
            .unwrap_or_default()
            .iter()
            .map(|address| Recipient {
                address: Some(address),
                ..Recipient::default()
            })
            .collect()
    }
}

/// True when the path `inner` is `outer` or leads into it (`a.b[0]` is within `a.b`, `a.bc`
/// is not).
fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// One envelope recipient an event is about, as the event tells it, borrowed from the event: its
/// address, and for bounced and delayed recipients what the DSN said about it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recipient<'m> {
    pub address: Option<&'m str>,
    /// The DSN `Action`: `failed`, `delayed`, … (`Failed` in some real events).
    pub action: Option<&'m str>,
    /// The enhanced status code, such as `5.1.1`.
    pub status: Option<&'m str>,
    /// The remote server's reply, often `smtp; 550 …`; may be empty or span several lines.
    pub diagnostic_code: Option<&'m str>,
}

impl<'m> From<&'m ReportedRecipient<'_>> for Recipient<'m> {
    fn from(reported: &'m ReportedRecipient<'_>) -> Recipient<'m> {
        Recipient {
            address: reported.email_address.as_deref(),
            action: reported.action.as_deref(),
            status: reported.status.as_deref(),
            diagnostic_code: reported.diagnostic_code.as_deref(),
        }
    }
}
