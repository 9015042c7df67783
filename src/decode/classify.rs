//! Names what a JSON object is, from its top-level keys: an SES event, a list of items, an
//! envelope, a log record, or something foreign. One place decides; `decode` acts on the answer.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::model::{
    Bounce, Complaint, Delivery, DeliveryDelay, Engagement, Mail, Receipt, Reject,
    RenderingFailure, Sending, SendingObjects, Subscription, Text, object, text,
};

/// What one JSON object is.
pub(super) enum Kind<'a> {
    /// An SES email-receiving event: a Lambda record `{"eventSource":"aws:ses","ses":…}`, the
    /// bare `ses` object `{"mail","receipt"}` or the SNS notification
    /// `{"notificationType":"Received","mail","receipt","content"?}`.
    Receipt {
        mail: Box<Mail<'a>>,
        receipt: Box<Receipt<'a>>,
    },
    /// An SES sending event: an identity notification `{"notificationType":"Bounce"|"Complaint"|
    /// "Delivery","mail",…}` or an event publishing record `{"eventType":…,"mail",…}`, of any
    /// type, known or not.
    Sending {
        mail: Box<Mail<'a>>,
        sending: Sending<'a>,
    },
    /// A list whose elements are decoded one by one: a Lambda event's `Records`, a Firehose
    /// transformation event's `records`, the `Messages` `aws sqs receive-message` prints.
    List {
        label: &'static str,
        items: Vec<&'a RawValue>,
    },
    Envelope(Envelope<'a>),
    Log(LogRecord<'a>),
    /// None of the above: `foreign` describes it.
    Foreign,
}

/// A wrapper around one or more documents.
pub(super) enum Envelope<'a> {
    /// SNS → Lambda: `{"EventSource":"aws:sns","Sns":{"Message":"<JSON>"}}`.
    SnsRecord(&'a RawValue),
    /// An SNS HTTP(S) or SQS body: `{"Type":"Notification","Message":"<JSON>"}`. People also
    /// write the message as a JSON object rather than a string: both are read.
    SnsBody(&'a RawValue),
    /// SQS → Lambda: `{"eventSource":"aws:sqs","body":"<JSON>"}`.
    SqsRecord(Text<'a>),
    /// A message as `aws sqs receive-message` prints it: `{"ReceiptHandle",…,"Body":"<JSON>"}`.
    SqsMessage(Text<'a>),
    /// EventBridge: `{"source":"aws.ses","detail":{…}}`.
    EventBridge(&'a RawValue),
    /// Kinesis → Lambda: `{"kinesis":{"data":"<base64, possibly of gzip>"}}`.
    Kinesis(Text<'a>),
    /// A Firehose transformation record: `{"recordId","data":"<base64>"}`.
    FirehoseRecord(Text<'a>),
}

/// A record of CloudWatch Logs, in one of the forms people capture.
pub(super) enum LogRecord<'a> {
    /// Lambda's own records in JSON format (`platform.*`) and a subscription's
    /// `CONTROL_MESSAGE`: nothing was logged.
    Quiet,
    /// Log events, each a piece of log text: `aws logs filter-log-events` (`events`), a decoded
    /// subscription payload (`logEvents`), Logs Insights `get-query-results` (`results`). Each
    /// is read on its own (`log`), so that one broken event costs only itself.
    Events {
        label: &'static str,
        form: EventForm,
        events: Vec<&'a RawValue>,
    },
    /// A subscription payload `{"awslogs":{"data":"<base64 of gzip>"}}`.
    Subscription(Text<'a>),
    /// A Logs Insights console export row: its `@message` is log text.
    InsightsRow(Text<'a>),
    /// One record of Lambda's JSON log format or of Powertools Logger: the logged value, an
    /// object or a string, under `message` (or `event`, Powertools for TypeScript).
    Logged {
        label: &'static str,
        value: &'a RawValue,
    },
}

/// How each element of a [`LogRecord::Events`] list holds its log text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum EventForm {
    /// An object with `message` (and `id` or `eventId`).
    Object,
    /// A Logs Insights row: a list of `{"field","value"}`, `@message` among them.
    InsightsRow,
}

/// Every top-level key of every form sesinspect reads; the rest is skipped, not parsed.
/// `mail` and `receipt` (also inside `ses`) are boxed, and stay boxed in the message: a probe
/// and then a message are moved a few times, and unboxed they weighed 2 KB and 864 bytes, whose
/// copies cost more than the allocation.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Probe<'a> {
    #[serde(borrow, rename = "Records")]
    records: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow, deserialize_with = "text", alias = "EventSource")]
    event_source: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "object")]
    ses: Option<Ses<'a>>,
    #[serde(default, borrow, deserialize_with = "object")]
    mail: Option<Box<Mail<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    receipt: Option<Box<Receipt<'a>>>,
    #[serde(default, borrow, deserialize_with = "text")]
    notification_type: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    event_type: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "object")]
    reject: Option<Box<Reject<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    bounce: Option<Box<Bounce<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    complaint: Option<Box<Complaint<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    delivery: Option<Box<Delivery<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    open: Option<Box<Engagement<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    click: Option<Box<Engagement<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    failure: Option<Box<RenderingFailure<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    delivery_delay: Option<Box<DeliveryDelay<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    subscription: Option<Box<Subscription<'a>>>,
    #[serde(default, borrow, rename = "Sns", deserialize_with = "object")]
    sns: Option<SnsPart<'a>>,
    #[serde(default, borrow, deserialize_with = "text", rename = "Type")]
    envelope_type: Option<Text<'a>>,
    #[serde(borrow, rename = "Message")]
    envelope_message: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "text")]
    body: Option<Text<'a>>,
    #[serde(borrow, rename = "Messages")]
    sqs_messages: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow, deserialize_with = "text", rename = "ReceiptHandle")]
    receipt_handle: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text", rename = "Body")]
    sqs_body: Option<Text<'a>>,
    #[serde(borrow)]
    detail: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "object")]
    kinesis: Option<DataPart<'a>>,
    #[serde(borrow, rename = "records")]
    firehose_records: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow, deserialize_with = "text")]
    record_id: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    data: Option<Text<'a>>,
    #[serde(borrow, rename = "message")]
    log_message: Option<&'a RawValue>,
    #[serde(borrow)]
    event: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "text")]
    level: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text", alias = "AWSRequestId")]
    request_id: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text", rename = "type")]
    record_type: Option<Text<'a>>,
    #[serde(borrow)]
    events: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow, deserialize_with = "object")]
    awslogs: Option<DataPart<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    message_type: Option<Text<'a>>,
    #[serde(borrow)]
    log_events: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    results: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow, deserialize_with = "text", rename = "@message")]
    insights_message: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Ses<'a> {
    #[serde(default, borrow, deserialize_with = "object")]
    mail: Option<Box<Mail<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
    receipt: Option<Box<Receipt<'a>>>,
}

#[derive(Deserialize)]
struct SnsPart<'a> {
    #[serde(borrow, rename = "Message")]
    message: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct DataPart<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    data: Option<Text<'a>>,
}

/// What the object whose keys are in `probe` is. The order of the arms is the order of
/// precedence: an object that carries an event is never read as a log record.
pub(super) fn classify(mut probe: Probe<'_>) -> Kind<'_> {
    if let Some(items) = probe.records.take() {
        return Kind::List {
            label: "Records",
            items,
        };
    }
    let carries_mail = probe.ses.is_some() || probe.mail.is_some() || probe.receipt.is_some();
    if !carries_mail {
        if let Some(record) = log_record(&mut probe) {
            return Kind::Log(record);
        }
    }
    let (mail, receipt) = match probe.ses.take() {
        Some(ses) => (ses.mail, ses.receipt),
        None => (probe.mail.take(), probe.receipt.take()),
    };
    let foreign_source = probe
        .event_source
        .as_deref()
        .is_some_and(|source| source != "aws:ses");
    let sending_type = match probe.notification_type.take() {
        Some(kind) if kind == "Received" => None,
        Some(kind) => Some(kind),
        None => probe.event_type.take(),
    };
    match (mail, receipt, sending_type) {
        (Some(mail), _, Some(type_name)) if !foreign_source => {
            let sending = Sending::new(type_name, sending_objects(&mut probe));
            Kind::Sending { mail, sending }
        }
        (Some(mail), Some(receipt), None) if !foreign_source => Kind::Receipt { mail, receipt },
        _ => envelope(probe),
    }
}

/// Every object of a sending event the record carries; the event's type picks its own.
fn sending_objects<'a>(probe: &mut Probe<'a>) -> SendingObjects<'a> {
    SendingObjects {
        reject: probe.reject.take(),
        bounce: probe.bounce.take(),
        complaint: probe.complaint.take(),
        delivery: probe.delivery.take(),
        open: probe.open.take(),
        click: probe.click.take(),
        failure: probe.failure.take(),
        delivery_delay: probe.delivery_delay.take(),
        subscription: probe.subscription.take(),
    }
}

fn envelope(probe: Probe<'_>) -> Kind<'_> {
    if let Some(message) = probe.sns.and_then(|sns| sns.message) {
        return Kind::Envelope(Envelope::SnsRecord(message));
    }
    if let (Some("Notification"), Some(message)) =
        (probe.envelope_type.as_deref(), probe.envelope_message)
    {
        return Kind::Envelope(Envelope::SnsBody(message));
    }
    if let (Some("aws:sqs"), Some(body)) = (probe.event_source.as_deref(), probe.body.clone()) {
        return Kind::Envelope(Envelope::SqsRecord(body));
    }
    if let Some(items) = probe.sqs_messages {
        return Kind::List {
            label: "Messages",
            items,
        };
    }
    if let (Some(_), Some(body)) = (probe.receipt_handle, probe.sqs_body) {
        return Kind::Envelope(Envelope::SqsMessage(body));
    }
    if let Some(detail) = probe.detail {
        return Kind::Envelope(Envelope::EventBridge(detail));
    }
    if let Some(items) = probe.firehose_records {
        return Kind::List {
            label: "records",
            items,
        };
    }
    match (
        probe.kinesis.and_then(|k| k.data),
        probe.record_id,
        probe.data,
    ) {
        (Some(data), _, _) => Kind::Envelope(Envelope::Kinesis(data)),
        (None, Some(_), Some(data)) => Kind::Envelope(Envelope::FirehoseRecord(data)),
        _ => Kind::Foreign,
    }
}

fn log_record<'a>(probe: &mut Probe<'a>) -> Option<LogRecord<'a>> {
    if probe
        .record_type
        .as_deref()
        .is_some_and(|t| t.starts_with("platform."))
    {
        return Some(LogRecord::Quiet);
    }
    if let Some(kind) = probe.message_type.as_deref() {
        if kind == "CONTROL_MESSAGE" {
            return Some(LogRecord::Quiet);
        }
        if let Some(events) = probe.log_events.take() {
            return Some(LogRecord::Events {
                label: "logEvents",
                form: EventForm::Object,
                events,
            });
        }
    }
    if let Some(events) = probe.events.take() {
        return Some(LogRecord::Events {
            label: "events",
            form: EventForm::Object,
            events,
        });
    }
    if let Some(data) = probe.awslogs.take().and_then(|a| a.data) {
        return Some(LogRecord::Subscription(data));
    }
    if let Some(rows) = probe.results.take() {
        return Some(LogRecord::Events {
            label: "results",
            form: EventForm::InsightsRow,
            events: rows,
        });
    }
    if let Some(message) = probe.insights_message.take() {
        return Some(LogRecord::InsightsRow(message));
    }
    // Powertools for TypeScript describes the call in `message` and logs the event in `event`.
    if let Some(value) = probe.event {
        return Some(LogRecord::Logged {
            label: "event",
            value,
        });
    }
    let logged = probe
        .log_message
        .filter(|_| probe.level.is_some() || probe.request_id.is_some())?;
    Some(LogRecord::Logged {
        label: "message",
        value: logged,
    })
}
