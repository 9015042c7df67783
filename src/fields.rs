//! The named fields of a message (`ses_id`, `spf`, `bounce_type`, `subject`…): one table,
//! shared by every command that prints fields, so names, meanings and JSON keys never drift
//! apart. A few fields describe one recipient (`status`, `diagnostic_code`…): with
//! `--per-recipient` they hold that recipient's value, otherwise the list of every recipient's.

use std::borrow::Cow;

use crate::mail;
use crate::model::{Action, Event, Message, Recipient, Sending, Status, Tags, Text, Verdict};

/// One field's value for one message, borrowed from the message where possible.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'m> {
    /// Absent from the event.
    Missing,
    Text(&'m str),
    List(Cow<'m, [Text<'m>]>),
    /// One entry per recipient, in the event's order; `None` where the event has nothing for
    /// that recipient, so that the entries line up with the recipients.
    Slots(Vec<Option<&'m str>>),
    Number(u64),
    Signed(i64),
    Bool(bool),
    Verdict(&'m Status<'m>),
    Owned(String),
    /// A value found by a path into the record, as it is there.
    Json(&'m serde_json::Value),
    /// `mail.tags`: an object in JSON, compact JSON as text.
    Tags(&'m Tags<'m>),
    /// Present in the event with a value of the wrong type (see [`UNREADABLE`]): not a value,
    /// and not missing either. Holds the JSON text found there.
    Unreadable(&'m str),
}

/// How text formats show an unreadable value; JSON writes `{"unreadable": <what was found>}`.
pub const UNREADABLE: &str = "<unreadable>";

impl<'m> Value<'m> {
    fn text<'t>(text: Option<&'t Text<'_>>) -> Value<'t> {
        text.map_or(Value::Missing, |t| Value::Text(t))
    }

    /// Text borrowed from the message where it could be, owned where it had to be made.
    fn made(text: Option<Cow<'m, str>>) -> Value<'m> {
        match text {
            None => Value::Missing,
            Some(Cow::Borrowed(text)) => Value::Text(text),
            Some(Cow::Owned(text)) => Value::Owned(text),
        }
    }

    /// Calls `piece` with each piece of text the value holds: one per list item, nothing when
    /// missing. Renderers join the pieces with ", ".
    pub fn each_piece(&self, piece: &mut dyn FnMut(&str)) {
        match self {
            Value::Missing | Value::Json(serde_json::Value::Null) => {}
            Value::Text(text) => piece(text),
            Value::Owned(text) => piece(text),
            Value::Verdict(status) => piece(status.as_str()),
            Value::List(items) => items.iter().for_each(|item| piece(item)),
            Value::Slots(items) => items
                .iter()
                .for_each(|item| piece(item.unwrap_or_default())),
            Value::Number(n) => piece(&n.to_string()),
            Value::Signed(n) => piece(&n.to_string()),
            Value::Bool(b) => piece(if *b { "true" } else { "false" }),
            Value::Json(serde_json::Value::String(text)) => piece(text),
            Value::Json(serde_json::Value::Array(items)) if items.iter().all(is_scalar) => {
                for item in items {
                    Value::Json(item).each_piece(piece);
                }
            }
            Value::Json(other) => piece(&other.to_string()),
            Value::Tags(_) => piece(&serde_json::to_string(self).unwrap_or_default()),
            Value::Unreadable(_) => piece(UNREADABLE),
        }
    }

    /// True for a list of items, which text formats join (see `render::LIST_SEPARATOR`).
    pub fn is_list(&self) -> bool {
        match self {
            Value::List(_) => true,
            Value::Json(serde_json::Value::Array(items)) => items.iter().all(is_scalar),
            _ => false,
        }
    }

    /// The pieces of text, for comparing; a missing value reads as one empty text, an
    /// unreadable one as no text at all (it equals nothing, not even the empty text).
    pub fn texts(&self) -> Vec<String> {
        let mut texts = Vec::new();
        if let Value::Unreadable(_) = self {
            return texts;
        }
        self.each_piece(&mut |piece| texts.push(piece.to_string()));
        if texts.is_empty() {
            texts.push(String::new());
        }
        texts
    }
}

fn is_scalar(value: &serde_json::Value) -> bool {
    !matches!(
        value,
        serde_json::Value::Array(_) | serde_json::Value::Object(_)
    )
}

/// A field: its name (also its JSON key), what it means, and how to read it.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub about: &'static str,
    /// Where the event has it (`receipt.spfVerdict.status`): when one of these, or a part of
    /// one, holds a value of the wrong type, the field is [`Value::Unreadable`].
    pub reads: &'static [&'static str],
    pub get: Get,
}

/// How a field is read.
#[derive(Debug, Clone, Copy)]
pub enum Get {
    /// From the message: the same on every row of it.
    Message(for<'m> fn(&'m Message<'_>) -> Value<'m>),
    /// From one recipient ([`Message::recipients`]) with `--per-recipient`. Without it, a
    /// `listed` field is every recipient's value in order, and the others do not exist.
    Recipient {
        each: for<'m> fn(&Recipient<'m>) -> Option<&'m str>,
        listed: bool,
    },
}

impl Field {
    /// This field's value for `message`, or for one of its recipients.
    #[inline]
    pub fn value<'m>(
        &self,
        message: &'m Message<'_>,
        recipient: Option<&Recipient<'m>>,
    ) -> Value<'m> {
        let value = self.read(message, recipient);
        if message.unreadable.is_empty() {
            return value;
        }
        // A field read from elsewhere (a bounce's recipients, when `mail.destination` is
        // unreadable) is still readable; one missing, or with a part that could not be read, is not.
        let missing = value == Value::Missing;
        let unreadable = self.reads.iter().find_map(|path| match missing {
            true => message.unreadable_at(path),
            false => message.unreadable_inside(path),
        });
        unreadable.map_or(value, |unreadable| Value::Unreadable(&unreadable.value))
    }

    /// The value as the event has it, unreadable parts read as absent.
    fn read<'m>(&self, message: &'m Message<'_>, recipient: Option<&Recipient<'m>>) -> Value<'m> {
        match (self.get, recipient) {
            (Get::Message(get), _) => get(message),
            (Get::Recipient { each, .. }, Some(recipient)) => {
                each(recipient).map_or(Value::Missing, Value::Text)
            }
            (Get::Recipient { each, listed: true }, None) => {
                // Only recipients reported one by one (bounced, complained, delayed) have more
                // than an address.
                let Some(reported) = message.sending().and_then(Sending::reported_recipients)
                else {
                    return Value::Missing;
                };
                let entries: Vec<Option<&str>> =
                    reported.iter().map(|r| each(&Recipient::from(r))).collect();
                if entries.iter().all(Option::is_none) {
                    Value::Missing
                } else {
                    Value::Slots(entries)
                }
            }
            (Get::Recipient { listed: false, .. }, None) => Value::Missing,
        }
    }

    /// True for the fields that exist only with `--per-recipient` (`recipient`,
    /// `recipient_action`).
    pub fn per_recipient_only(&self) -> bool {
        matches!(self.get, Get::Recipient { listed: false, .. })
    }
}

macro_rules! list {
    ($option:expr) => {
        $option
            .as_ref()
            .map_or(Value::Missing, |list| Value::List(Cow::Borrowed(&list.0)))
    };
}

/// The object of the sending event `$message` when it is of type `$variant` (`Bounce`, …).
macro_rules! object {
    ($message:expr, $variant:ident) => {
        match $message.sending() {
            Some(Sending::$variant(object)) => Some(&**object),
            _ => None,
        }
    };
}

/// Where an event names its recipients: what `recipients`, `recipient` and `recipient_domains` read.
const RECIPIENT_PATHS: &[&str] = &[
    "receipt.recipients",
    "delivery.recipients",
    "mail.destination",
    "bounce.bouncedRecipients",
    "complaint.complainedRecipients",
    "deliveryDelay.delayedRecipients",
];

/// Every named field, in the order `summary` writes them.
pub static FIELDS: &[Field] = &[
    Field {
        name: "input",
        about: "where the message came from: the file and line of its document (and column when it does not start the line), then the record and envelope it was in, as in `events.json:1 Records[2] → body`",
        reads: &[],
        get: Get::Message(|m| Value::Owned(m.origin.to_string())),
    },
    Field {
        name: "timestamp",
        about: "when SES received the message, or accepted it for sending (mail.timestamp)",
        reads: &["mail.timestamp"],
        get: Get::Message(|m| Value::text(m.mail.timestamp.as_ref())),
    },
    Field {
        name: "ses_id",
        about: "the SES message id, shared by every event about the message; the S3 object key of received mail (mail.messageId)",
        reads: &["mail.messageId"],
        get: Get::Message(|m| Value::text(m.mail.message_id.as_ref())),
    },
    Field {
        name: "message_id",
        about: "the Message-ID header (mail.commonHeaders.messageId)",
        reads: &["mail.commonHeaders.messageId"],
        get: Get::Message(|m| Value::text(common(m).and_then(|c| c.message_id.as_ref()))),
    },
    Field {
        name: "source",
        about: "the envelope sender, MAIL FROM (mail.source)",
        reads: &["mail.source"],
        get: Get::Message(|m| Value::text(m.mail.source.as_ref())),
    },
    Field {
        name: "from",
        about: "the From addresses (mail.commonHeaders.from)",
        reads: &["mail.commonHeaders.from"],
        get: Get::Message(|m| list!(common(m).and_then(|c| c.from.as_ref()))),
    },
    Field {
        name: "to",
        about: "the To addresses (mail.commonHeaders.to)",
        reads: &["mail.commonHeaders.to"],
        get: Get::Message(|m| list!(common(m).and_then(|c| c.to.as_ref()))),
    },
    Field {
        name: "cc",
        about: "the Cc addresses (mail.commonHeaders.cc)",
        reads: &["mail.commonHeaders.cc"],
        get: Get::Message(|m| list!(common(m).and_then(|c| c.cc.as_ref()))),
    },
    Field {
        name: "reply_to",
        about: "the Reply-To addresses (mail.commonHeaders.replyTo)",
        reads: &["mail.commonHeaders.replyTo"],
        get: Get::Message(|m| list!(common(m).and_then(|c| c.reply_to.as_ref()))),
    },
    Field {
        name: "return_path",
        about: "the Return-Path (mail.commonHeaders.returnPath)",
        reads: &["mail.commonHeaders.returnPath"],
        get: Get::Message(|m| Value::text(common(m).and_then(|c| c.return_path.as_ref()))),
    },
    Field {
        name: "date",
        about: "the Date header (mail.commonHeaders.date)",
        reads: &["mail.commonHeaders.date"],
        get: Get::Message(|m| Value::text(common(m).and_then(|c| c.date.as_ref()))),
    },
    Field {
        name: "subject",
        about: "the Subject (mail.commonHeaders.subject)",
        reads: &["mail.commonHeaders.subject"],
        get: Get::Message(|m| Value::text(common(m).and_then(|c| c.subject.as_ref()))),
    },
    Field {
        name: "destination",
        about: "received mail: the To and Cc addresses SES saw; sent mail: every envelope recipient (mail.destination)",
        reads: &["mail.destination"],
        get: Get::Message(|m| list!(m.mail.destination)),
    },
    Field {
        name: "recipients",
        about: "the envelope recipients the event is about: receipt.recipients; the bounced, complained, delivered (delivery.recipients) or delayed addresses; mail.destination for Send, Reject, Open, Click, Rendering Failure and Subscription",
        reads: RECIPIENT_PATHS,
        get: Get::Message(recipients),
    },
    Field {
        name: "spf",
        about: "the SPF verdict status (receipt.spfVerdict.status)",
        reads: &["receipt.spfVerdict.status"],
        get: Get::Message(|m| verdict(m, Verdict::Spf)),
    },
    Field {
        name: "dkim",
        about: "the DKIM verdict status (receipt.dkimVerdict.status)",
        reads: &["receipt.dkimVerdict.status"],
        get: Get::Message(|m| verdict(m, Verdict::Dkim)),
    },
    Field {
        name: "dmarc",
        about: "the DMARC verdict status (receipt.dmarcVerdict.status)",
        reads: &["receipt.dmarcVerdict.status"],
        get: Get::Message(|m| verdict(m, Verdict::Dmarc)),
    },
    Field {
        name: "dmarc_policy",
        about: "the sender's DMARC policy: none, quarantine or reject (receipt.dmarcPolicy)",
        reads: &["receipt.dmarcPolicy"],
        get: Get::Message(|m| Value::text(m.receipt().and_then(|r| r.dmarc_policy.as_ref()))),
    },
    Field {
        name: "spam",
        about: "the spam verdict status (receipt.spamVerdict.status)",
        reads: &["receipt.spamVerdict.status"],
        get: Get::Message(|m| verdict(m, Verdict::Spam)),
    },
    Field {
        name: "virus",
        about: "the virus verdict status (receipt.virusVerdict.status)",
        reads: &["receipt.virusVerdict.status"],
        get: Get::Message(|m| verdict(m, Verdict::Virus)),
    },
    Field {
        name: "action",
        about: "the receipt action type: Lambda, S3, SNS, Bounce… (receipt.action.type)",
        reads: &["receipt.action.type"],
        get: Get::Message(|m| {
            action(m)
                .and_then(Action::type_name)
                .map_or(Value::Missing, Value::Text)
        }),
    },
    Field {
        name: "function_arn",
        about: "the Lambda function of a Lambda action (receipt.action.functionArn)",
        reads: &["receipt.action.functionArn"],
        get: Get::Message(|m| match action(m) {
            Some(Action::Lambda { function_arn, .. }) => Value::text(function_arn.as_ref()),
            _ => Value::Missing,
        }),
    },
    Field {
        name: "invocation_type",
        about: "Event or RequestResponse, for a Lambda action (receipt.action.invocationType)",
        reads: &["receipt.action.invocationType"],
        get: Get::Message(|m| match action(m) {
            Some(Action::Lambda {
                invocation_type, ..
            }) => Value::text(invocation_type.as_ref()),
            _ => Value::Missing,
        }),
    },
    Field {
        name: "bucket",
        about: "the S3 bucket of an S3 action (receipt.action.bucketName)",
        reads: &["receipt.action.bucketName"],
        get: Get::Message(|m| match action(m) {
            Some(Action::S3 { bucket_name, .. }) => Value::text(bucket_name.as_ref()),
            _ => Value::Missing,
        }),
    },
    Field {
        name: "object_key",
        about: "the S3 object key of an S3 action (receipt.action.objectKey)",
        reads: &["receipt.action.objectKey"],
        get: Get::Message(|m| match action(m) {
            Some(Action::S3 { object_key, .. }) => Value::text(object_key.as_ref()),
            _ => Value::Missing,
        }),
    },
    Field {
        name: "topic_arn",
        about: "the SNS topic the action notifies (receipt.action.topicArn)",
        reads: &["receipt.action.topicArn"],
        get: Get::Message(|m| {
            action(m)
                .and_then(Action::topic_arn)
                .map_or(Value::Missing, Value::Text)
        }),
    },
    Field {
        name: "processing_ms",
        about: "how long SES took, in milliseconds (receipt.processingTimeMillis, delivery.processingTimeMillis)",
        reads: &[
            "receipt.processingTimeMillis",
            "delivery.processingTimeMillis",
        ],
        get: Get::Message(|m| {
            let millis = match &m.event {
                Event::Received(receipt) => receipt.processing_time_millis,
                Event::Sending(Sending::Delivery(delivery)) => delivery.processing_time_millis,
                Event::Sending(_) => None,
            };
            millis.map_or(Value::Missing, Value::Number)
        }),
    },
    Field {
        name: "headers_truncated",
        about: "true when SES cut the headers off at 10 KB (mail.headersTruncated)",
        reads: &["mail.headersTruncated"],
        get: Get::Message(|m| m.mail.headers_truncated.map_or(Value::Missing, Value::Bool)),
    },
    Field {
        name: "event_type",
        about: "Received for receipt events; otherwise the sending event's type as SES spells it: Send, Reject, Bounce, Complaint, Delivery, Open, Click, Rendering Failure, DeliveryDelay, Subscription…",
        reads: &[],
        get: Get::Message(|m| Value::Text(m.event_type())),
    },
    Field {
        name: "event_time",
        about: "when the event happened, by its own object (receipt.timestamp, bounce.timestamp, delivery.timestamp, open.timestamp…)",
        reads: &[
            "receipt.timestamp",
            "bounce.timestamp",
            "complaint.timestamp",
            "delivery.timestamp",
            "open.timestamp",
            "click.timestamp",
            "deliveryDelay.timestamp",
            "subscription.timestamp",
        ],
        get: Get::Message(|m| Value::text(m.event_time())),
    },
    Field {
        name: "recipient",
        about: "with --per-recipient: the row's recipient (one of recipients)",
        reads: RECIPIENT_PATHS,
        get: Get::Recipient {
            each: |r| r.address,
            listed: false,
        },
    },
    Field {
        name: "recipient_action",
        about: "with --per-recipient: the DSN action for the row's recipient, such as failed (bouncedRecipients[].action)",
        reads: &[
            "bounce.bouncedRecipients",
            "complaint.complainedRecipients",
            "deliveryDelay.delayedRecipients",
        ],
        get: Get::Recipient {
            each: |r| r.action,
            listed: false,
        },
    },
    Field {
        name: "status",
        about: "the DSN status per recipient, such as 5.1.1 (bouncedRecipients[].status, delayedRecipients[].status); one value with --per-recipient",
        reads: &[
            "bounce.bouncedRecipients",
            "complaint.complainedRecipients",
            "deliveryDelay.delayedRecipients",
        ],
        get: Get::Recipient {
            each: |r| r.status,
            listed: true,
        },
    },
    Field {
        name: "diagnostic_code",
        about: "the remote server's reply per recipient (bouncedRecipients[].diagnosticCode, delayedRecipients[].diagnosticCode); one value with --per-recipient",
        reads: &[
            "bounce.bouncedRecipients",
            "complaint.complainedRecipients",
            "deliveryDelay.delayedRecipients",
        ],
        get: Get::Recipient {
            each: |r| r.diagnostic_code,
            listed: true,
        },
    },
    Field {
        name: "bounce_type",
        about: "Permanent, Transient or Undetermined (bounce.bounceType)",
        reads: &["bounce.bounceType"],
        get: Get::Message(|m| Value::text(object!(m, Bounce).and_then(|b| b.bounce_type.as_ref()))),
    },
    Field {
        name: "bounce_subtype",
        about: "General, NoEmail, Suppressed, OnAccountSuppressionList, MailboxFull… (bounce.bounceSubType)",
        reads: &["bounce.bounceSubType"],
        get: Get::Message(|m| {
            Value::text(object!(m, Bounce).and_then(|b| b.bounce_sub_type.as_ref()))
        }),
    },
    Field {
        name: "complaint_type",
        about: "the feedback type the ISP reported: abuse, fraud, virus… (complaint.complaintFeedbackType)",
        reads: &["complaint.complaintFeedbackType"],
        get: Get::Message(|m| {
            Value::text(object!(m, Complaint).and_then(|c| c.complaint_feedback_type.as_ref()))
        }),
    },
    Field {
        name: "complaint_subtype",
        about: "OnAccountSuppressionList, or missing (complaint.complaintSubType)",
        reads: &["complaint.complaintSubType"],
        get: Get::Message(|m| {
            Value::text(object!(m, Complaint).and_then(|c| c.complaint_sub_type.as_ref()))
        }),
    },
    Field {
        name: "feedback_id",
        about: "the id of the bounce or complaint (bounce.feedbackId, complaint.feedbackId)",
        reads: &["bounce.feedbackId", "complaint.feedbackId"],
        get: Get::Message(|m| {
            Value::text(match m.sending() {
                Some(Sending::Bounce(b)) => b.feedback_id.as_ref(),
                Some(Sending::Complaint(c)) => c.feedback_id.as_ref(),
                _ => None,
            })
        }),
    },
    Field {
        name: "smtp_response",
        about: "the receiving server's reply to the delivery (delivery.smtpResponse)",
        reads: &["delivery.smtpResponse"],
        get: Get::Message(|m| {
            Value::text(object!(m, Delivery).and_then(|d| d.smtp_response.as_ref()))
        }),
    },
    Field {
        name: "reporting_mta",
        about: "the server that reported the event, as written (bounce.reportingMTA with its dns; or dsn; prefix, delivery.reportingMTA, deliveryDelay.reportingMTA)",
        reads: &[
            "bounce.reportingMTA",
            "delivery.reportingMTA",
            "deliveryDelay.reportingMTA",
        ],
        get: Get::Message(|m| Value::text(m.sending().and_then(Sending::reporting_mta))),
    },
    Field {
        name: "remote_mta_ip",
        about: "the IP address of the receiving server SES talked to (bounce.remoteMtaIp, delivery.remoteMtaIp)",
        reads: &["bounce.remoteMtaIp", "delivery.remoteMtaIp"],
        get: Get::Message(|m| {
            Value::text(match m.sending() {
                Some(Sending::Bounce(b)) => b.remote_mta_ip.as_ref(),
                Some(Sending::Delivery(d)) => d.remote_mta_ip.as_ref(),
                _ => None,
            })
        }),
    },
    Field {
        name: "delay_type",
        about: "why delivery is delayed: TransientCommunicationFailure, MailboxFull… (deliveryDelay.delayType)",
        reads: &["deliveryDelay.delayType"],
        get: Get::Message(|m| {
            Value::text(object!(m, DeliveryDelay).and_then(|d| d.delay_type.as_ref()))
        }),
    },
    Field {
        name: "expiration_time",
        about: "when SES stops trying to deliver (deliveryDelay.expirationTime)",
        reads: &["deliveryDelay.expirationTime"],
        get: Get::Message(|m| {
            Value::text(object!(m, DeliveryDelay).and_then(|d| d.expiration_time.as_ref()))
        }),
    },
    Field {
        name: "reject_reason",
        about: "why SES refused to send: Bad content (reject.reason)",
        reads: &["reject.reason"],
        get: Get::Message(|m| Value::text(object!(m, Reject).and_then(|r| r.reason.as_ref()))),
    },
    Field {
        name: "template",
        about: "the template that could not be rendered (failure.templateName)",
        reads: &["failure.templateName"],
        get: Get::Message(|m| {
            Value::text(object!(m, RenderingFailure).and_then(|f| f.template_name.as_ref()))
        }),
    },
    Field {
        name: "error_message",
        about: "why the template could not be rendered (failure.errorMessage)",
        reads: &["failure.errorMessage"],
        get: Get::Message(|m| {
            Value::text(object!(m, RenderingFailure).and_then(|f| f.error_message.as_ref()))
        }),
    },
    Field {
        name: "link",
        about: "the link clicked (click.link)",
        reads: &["click.link"],
        get: Get::Message(|m| Value::text(object!(m, Click).and_then(|c| c.link.as_ref()))),
    },
    Field {
        name: "ip_address",
        about: "where the recipient opened the message or clicked from (open.ipAddress, click.ipAddress)",
        reads: &["open.ipAddress", "click.ipAddress"],
        get: Get::Message(|m| match m.sending() {
            Some(Sending::Open(e) | Sending::Click(e)) => Value::text(e.ip_address.as_ref()),
            _ => Value::Missing,
        }),
    },
    Field {
        name: "user_agent",
        about: "the recipient's software (open.userAgent, click.userAgent, complaint.userAgent)",
        reads: &["open.userAgent", "click.userAgent", "complaint.userAgent"],
        get: Get::Message(|m| {
            Value::text(match m.sending() {
                Some(Sending::Open(e) | Sending::Click(e)) => e.user_agent.as_ref(),
                Some(Sending::Complaint(c)) => c.user_agent.as_ref(),
                _ => None,
            })
        }),
    },
    Field {
        name: "sending_account",
        about: "the AWS account that sent the message (mail.sendingAccountId)",
        reads: &["mail.sendingAccountId"],
        get: Get::Message(|m| Value::text(m.mail.sending_account_id.as_ref())),
    },
    Field {
        name: "source_arn",
        about: "the identity that sent the message (mail.sourceArn)",
        reads: &["mail.sourceArn"],
        get: Get::Message(|m| Value::text(m.mail.source_arn.as_ref())),
    },
    Field {
        name: "source_ip",
        about: "the IP address the sending request came from (mail.sourceIp, or the ses:source-ip tag)",
        reads: &["mail.sourceIp", "mail.tags"],
        get: Get::Message(|m| {
            Value::text(
                m.mail
                    .source_ip
                    .as_ref()
                    .or_else(|| first_tag(m, "ses:source-ip")),
            )
        }),
    },
    Field {
        name: "caller_identity",
        about: "the IAM identity that sent the message (mail.callerIdentity, or the ses:caller-identity tag)",
        reads: &["mail.callerIdentity", "mail.tags"],
        get: Get::Message(|m| {
            Value::text(
                m.mail
                    .caller_identity
                    .as_ref()
                    .or_else(|| first_tag(m, "ses:caller-identity")),
            )
        }),
    },
    Field {
        name: "configuration_set",
        about: "the configuration set the message was sent with (the ses:configuration-set tag)",
        reads: &["mail.tags"],
        get: Get::Message(|m| Value::text(first_tag(m, "ses:configuration-set"))),
    },
    Field {
        name: "tags",
        about: "the message tags, each name with its values; an object in JSON (mail.tags)",
        reads: &["mail.tags"],
        get: Get::Message(|m| m.mail.tags.as_ref().map_or(Value::Missing, Value::Tags)),
    },
    // Computed from the fields above.
    Field {
        name: "from_address",
        about: "the first From address without its display name (read from `from` by an RFC 5322 parser)",
        reads: &["mail.commonHeaders.from"],
        get: Get::Message(|m| Value::made(from_address(m))),
    },
    Field {
        name: "from_domain",
        about: "the domain of from_address, lower-cased",
        reads: &["mail.commonHeaders.from"],
        get: Get::Message(|m| Value::made(from_domain(m))),
    },
    Field {
        name: "source_domain",
        about: "the domain of the envelope sender (source), lower-cased",
        reads: &["mail.source"],
        get: Get::Message(|m| Value::made(m.mail.source.as_deref().and_then(mail::domain))),
    },
    Field {
        name: "recipient_domains",
        about: "the domains of the envelope recipients (recipients), lower-cased, each once",
        reads: RECIPIENT_PATHS,
        get: Get::Message(|m| {
            if recipients(m) == Value::Missing {
                return Value::Missing;
            }
            let mut domains: Vec<Text> = Vec::new();
            for domain in m
                .recipients()
                .iter()
                .filter_map(|r| r.address.and_then(mail::domain))
            {
                if !domains.contains(&domain) {
                    domains.push(domain);
                }
            }
            Value::List(Cow::Owned(domains))
        }),
    },
];

/// The `recipients` field: each reported recipient's address, in place, for the events that
/// report recipients one by one; the list of addresses for the others.
fn recipients<'m>(m: &'m Message<'_>) -> Value<'m> {
    match m.sending().and_then(Sending::reported_recipients) {
        Some(reported) => Value::Slots(
            reported
                .iter()
                .map(|r| r.email_address.as_deref())
                .collect(),
        ),
        None => m
            .recipient_addresses()
            .map_or(Value::Missing, |list| Value::List(Cow::Borrowed(list))),
    }
}

/// The first value of the message tag `name`.
fn first_tag<'m>(m: &'m Message<'_>, name: &str) -> Option<&'m Text<'m>> {
    m.mail.tags.as_ref()?.get(name)?.0.first()
}

/// The first address of the From header as SES parsed it (`mail.commonHeaders.from`).
pub fn from_address<'m>(m: &'m Message<'_>) -> Option<Cow<'m, str>> {
    mail::first_address(common(m)?.from.as_ref()?.0.first()?)
}

/// The domain of [`from_address`], lower-cased.
pub fn from_domain<'m>(m: &'m Message<'_>) -> Option<Cow<'m, str>> {
    match from_address(m)? {
        Cow::Borrowed(address) => mail::domain(address),
        Cow::Owned(address) => mail::domain(&address).map(|d| Cow::Owned(d.into_owned())),
    }
}

fn common<'m>(m: &'m Message<'_>) -> Option<&'m crate::model::CommonHeaders<'m>> {
    m.mail.common_headers.as_ref()
}

fn action<'m>(m: &'m Message<'_>) -> Option<&'m Action<'m>> {
    m.receipt().and_then(|r| r.action.as_ref())
}

fn verdict<'m>(message: &'m Message<'_>, verdict: Verdict) -> Value<'m> {
    message
        .verdict(verdict)
        .map_or(Value::Missing, Value::Verdict)
}

/// The field called `name`.
pub fn find(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        for (i, field) in FIELDS.iter().enumerate() {
            assert!(
                field
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                field.name
            );
            assert!(
                FIELDS[..i].iter().all(|f| f.name != field.name),
                "{} twice",
                field.name
            );
        }
    }
}
