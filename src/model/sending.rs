//! SES sending events — identity notifications (`notificationType`) and event publishing records
//! (`eventType`): the event type as SES spells it, and the object that comes with it (`bounce`,
//! `complaint`, `delivery`, …). Nothing in the objects is required.

use serde::Deserialize;

use super::lenient::{Text, TextList, flag, millis, object, objects, text};

/// What SES reports about a message it sent: one variant per event type, holding its object (an
/// object absent from the record reads as empty). Objects are boxed so that every message, of
/// either family, stays as small to move as a receipt event.
#[derive(Debug)]
pub enum Sending<'a> {
    /// SES accepted the message; the `send` object is always empty.
    Send,
    Reject(Box<Reject<'a>>),
    Bounce(Box<Bounce<'a>>),
    Complaint(Box<Complaint<'a>>),
    Delivery(Box<Delivery<'a>>),
    Open(Box<Engagement<'a>>),
    Click(Box<Engagement<'a>>),
    /// `Rendering Failure`, whose object is `failure`.
    RenderingFailure(Box<RenderingFailure<'a>>),
    DeliveryDelay(Box<DeliveryDelay<'a>>),
    Subscription(Box<Subscription<'a>>),
    /// A type sesinspect does not know, as written; its object stays reachable by path.
    Other(Text<'a>),
}

/// The objects a sending record may carry, each under its own key; the event type says which
/// one belongs to the event.
#[derive(Debug, Default)]
pub struct SendingObjects<'a> {
    pub reject: Option<Box<Reject<'a>>>,
    pub bounce: Option<Box<Bounce<'a>>>,
    pub complaint: Option<Box<Complaint<'a>>>,
    pub delivery: Option<Box<Delivery<'a>>>,
    pub open: Option<Box<Engagement<'a>>>,
    pub click: Option<Box<Engagement<'a>>>,
    pub failure: Option<Box<RenderingFailure<'a>>>,
    pub delivery_delay: Option<Box<DeliveryDelay<'a>>>,
    pub subscription: Option<Box<Subscription<'a>>>,
}

impl<'a> Sending<'a> {
    /// The event of type `type_name` (`notificationType` or `eventType`), with its object.
    pub fn new(type_name: Text<'a>, objects: SendingObjects<'a>) -> Sending<'a> {
        match &*type_name {
            "Send" => Sending::Send,
            "Reject" => Sending::Reject(objects.reject.unwrap_or_default()),
            "Bounce" => Sending::Bounce(objects.bounce.unwrap_or_default()),
            "Complaint" => Sending::Complaint(objects.complaint.unwrap_or_default()),
            "Delivery" => Sending::Delivery(objects.delivery.unwrap_or_default()),
            "Open" => Sending::Open(objects.open.unwrap_or_default()),
            "Click" => Sending::Click(objects.click.unwrap_or_default()),
            "Rendering Failure" => Sending::RenderingFailure(objects.failure.unwrap_or_default()),
            "DeliveryDelay" => Sending::DeliveryDelay(objects.delivery_delay.unwrap_or_default()),
            "Subscription" => Sending::Subscription(objects.subscription.unwrap_or_default()),
            _ => Sending::Other(type_name),
        }
    }

    /// The types SES documents, as it spells them.
    pub const TYPES: [&'static str; 10] = [
        "Send",
        "Reject",
        "Bounce",
        "Complaint",
        "Delivery",
        "Open",
        "Click",
        "Rendering Failure",
        "DeliveryDelay",
        "Subscription",
    ];

    /// The bounce types SES documents (`bounce.bounceType`).
    pub const BOUNCE_TYPES: [&'static str; 3] = ["Permanent", "Transient", "Undetermined"];

    /// The event type as SES spells it: `Bounce`, `Rendering Failure`, `DeliveryDelay`, ….
    pub fn type_name(&self) -> &str {
        match self {
            Sending::Send => "Send",
            Sending::Reject(_) => "Reject",
            Sending::Bounce(_) => "Bounce",
            Sending::Complaint(_) => "Complaint",
            Sending::Delivery(_) => "Delivery",
            Sending::Open(_) => "Open",
            Sending::Click(_) => "Click",
            Sending::RenderingFailure(_) => "Rendering Failure",
            Sending::DeliveryDelay(_) => "DeliveryDelay",
            Sending::Subscription(_) => "Subscription",
            Sending::Other(name) => name,
        }
    }

    /// When the event happened, by its own object's `timestamp` (not `mail.timestamp`, the time
    /// the message was sent). Send, Reject and Rendering Failure events have none.
    pub fn timestamp(&self) -> Option<&Text<'a>> {
        match self {
            Sending::Bounce(b) => b.timestamp.as_ref(),
            Sending::Complaint(c) => c.timestamp.as_ref(),
            Sending::Delivery(d) => d.timestamp.as_ref(),
            Sending::Open(e) | Sending::Click(e) => e.timestamp.as_ref(),
            Sending::DeliveryDelay(d) => d.timestamp.as_ref(),
            Sending::Subscription(s) => s.timestamp.as_ref(),
            Sending::Send
            | Sending::Reject(_)
            | Sending::RenderingFailure(_)
            | Sending::Other(_) => None,
        }
    }

    /// The recipients the event reports one by one, with what it says about each: bounced,
    /// complained or delayed recipients. `None` when the list is absent, and for the types that
    /// name recipients by address only (`delivery.recipients`, or the message's destination).
    pub fn reported_recipients(&self) -> Option<&[ReportedRecipient<'a>]> {
        match self {
            Sending::Bounce(b) => b.bounced_recipients.as_deref(),
            Sending::Complaint(c) => c.complained_recipients.as_deref(),
            Sending::DeliveryDelay(d) => d.delayed_recipients.as_deref(),
            _ => None,
        }
    }

    /// `reportingMTA`, as written (a bounce's carries a `dns;` or `dsn;` prefix, a delivery's
    /// none).
    pub fn reporting_mta(&self) -> Option<&Text<'a>> {
        match self {
            Sending::Bounce(b) => b.reporting_mta.as_ref(),
            Sending::Delivery(d) => d.reporting_mta.as_ref(),
            Sending::DeliveryDelay(d) => d.reporting_mta.as_ref(),
            _ => None,
        }
    }
}

/// One recipient as an event reports it (`bouncedRecipients[]`, `complainedRecipients[]`,
/// `delayedRecipients[]`): an address, and what the DSN said about it when there was one.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportedRecipient<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub email_address: Option<Text<'a>>,
    /// The DSN `Action`: `failed`, `delayed`, … (`Failed` in some real events).
    #[serde(default, borrow, deserialize_with = "text")]
    pub action: Option<Text<'a>>,
    /// The enhanced status code, such as `5.1.1`.
    #[serde(default, borrow, deserialize_with = "text")]
    pub status: Option<Text<'a>>,
    /// The remote server's words, often `smtp; 550 …`; may be empty or span several lines.
    #[serde(default, borrow, deserialize_with = "text")]
    pub diagnostic_code: Option<Text<'a>>,
}

/// `reject`: SES refused to send the message.
#[derive(Debug, Default, Deserialize)]
pub struct Reject<'a> {
    /// `Bad content` (a virus) is the only value documented.
    #[serde(default, borrow, deserialize_with = "text")]
    pub reason: Option<Text<'a>>,
}

/// `bounce`: the receiving side refused the message, or SES gave up on it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bounce<'a> {
    /// `Undetermined`, `Permanent` or `Transient`.
    #[serde(default, borrow, deserialize_with = "text")]
    pub bounce_type: Option<Text<'a>>,
    /// `General`, `NoEmail`, `Suppressed`, `OnAccountSuppressionList`, `MailboxFull`, …
    #[serde(default, borrow, deserialize_with = "text")]
    pub bounce_sub_type: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "objects")]
    pub bounced_recipients: Option<Vec<ReportedRecipient<'a>>>,
    /// When the receiving side reported the bounce.
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub feedback_id: Option<Text<'a>>,
    #[serde(default, borrow, rename = "reportingMTA", deserialize_with = "text")]
    pub reporting_mta: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub remote_mta_ip: Option<Text<'a>>,
}

/// `complaint`: a recipient marked the message as spam.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Complaint<'a> {
    #[serde(default, borrow, deserialize_with = "objects")]
    pub complained_recipients: Option<Vec<ReportedRecipient<'a>>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub feedback_id: Option<Text<'a>>,
    /// `null` in most events, or `OnAccountSuppressionList`.
    #[serde(default, borrow, deserialize_with = "text")]
    pub complaint_sub_type: Option<Text<'a>>,
    /// From the ISP's feedback report, when it sent one.
    #[serde(default, borrow, deserialize_with = "text")]
    pub user_agent: Option<Text<'a>>,
    /// `abuse`, `auth-failure`, `fraud`, `not-spam`, `other` or `virus`, when reported.
    #[serde(default, borrow, deserialize_with = "text")]
    pub complaint_feedback_type: Option<Text<'a>>,
}

/// `delivery`: the receiving server accepted the message.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, deserialize_with = "millis")]
    pub processing_time_millis: Option<u64>,
    #[serde(borrow)]
    pub recipients: Option<TextList<'a>>,
    /// Such as `250 2.6.0 Message received`.
    #[serde(default, borrow, deserialize_with = "text")]
    pub smtp_response: Option<Text<'a>>,
    #[serde(default, borrow, rename = "reportingMTA", deserialize_with = "text")]
    pub reporting_mta: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub remote_mta_ip: Option<Text<'a>>,
}

/// `open` and `click`: a recipient opened the message or clicked one of its links.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Engagement<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub ip_address: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub user_agent: Option<Text<'a>>,
    /// The link clicked (clicks only).
    #[serde(default, borrow, deserialize_with = "text")]
    pub link: Option<Text<'a>>,
}

/// `failure`: a templated message could not be rendered.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderingFailure<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub template_name: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub error_message: Option<Text<'a>>,
}

/// `deliveryDelay`: SES could not deliver yet and keeps trying until `expirationTime`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDelay<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    /// `TransientCommunicationFailure`, `MailboxFull`, `SpamDetected`, …
    #[serde(default, borrow, deserialize_with = "text")]
    pub delay_type: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub expiration_time: Option<Text<'a>>,
    #[serde(default, borrow, rename = "reportingMTA", deserialize_with = "text")]
    pub reporting_mta: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "objects")]
    pub delayed_recipients: Option<Vec<ReportedRecipient<'a>>>,
}

/// `subscription`: a recipient changed their subscription to a contact list.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub contact_list: Option<Text<'a>>,
    /// How the change was made, such as `UnsubscribeHeader`.
    #[serde(default, borrow, deserialize_with = "text")]
    pub source: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "object")]
    pub new_topic_preferences: Option<TopicPreferences<'a>>,
}

/// A recipient's preferences for a contact list's topics.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicPreferences<'a> {
    #[serde(default, deserialize_with = "flag")]
    pub unsubscribe_all: Option<bool>,
    #[serde(default, borrow, deserialize_with = "objects")]
    pub topic_subscription_status: Option<Vec<TopicStatus<'a>>>,
}

/// One topic and whether the recipient is in (`OptIn`) or out (`OptOut`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicStatus<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub topic_name: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub subscription_status: Option<Text<'a>>,
}
