//! Sending events of every type — Send, Reject, Bounce (with DSN status and diagnostic codes per
//! subtype), Complaint, Delivery, Open, Click, Rendering Failure, DeliveryDelay, Subscription —
//! as event publishing records (`eventType`, with tags) or identity notifications
//! (`notificationType`).

use serde_json::{Map, Value, json};

use super::truth::Effect;
use super::{
    Event, EventKind, Fact, Feedback, HeaderText, Rng, SUBJECTS, Spec, address_of, domain_of,
    header_text, iso, name_and_local_part, rfc5322,
};

/// Every sending type, in the order `--type sending` writes them in turn without `--mix`.
const TYPES: &[EventKind] = &[
    EventKind::Send,
    EventKind::Delivery,
    EventKind::Open,
    EventKind::Click,
    EventKind::Bounce,
    EventKind::DeliveryDelay,
    EventKind::Complaint,
    EventKind::Subscription,
    EventKind::Reject,
    EventKind::RenderingFailure,
];

/// A recipient's DSN status and the remote server's diagnostic code.
type Dsn = (&'static str, &'static str);

/// A bounce's type and subtype as SES spells them, and the DSN a recipient gets with it.
type Bounce = (&'static str, &'static str, Option<Dsn>);

/// A bounce's type and subtype, and the DSN status and diagnostic code a recipient gets with it
/// (none for the undetermined ones, like an out-of-office reply).
pub const BOUNCES: &[Bounce] = &[
    (
        "Permanent",
        "General",
        Some(("5.1.1", "smtp; 550 5.1.1 user unknown")),
    ),
    (
        "Permanent",
        "NoEmail",
        Some(("5.1.1", "smtp; 550 5.1.1 mailbox unavailable")),
    ),
    (
        "Permanent",
        "Suppressed",
        Some((
            "5.1.1",
            "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
        )),
    ),
    (
        "Permanent",
        "OnAccountSuppressionList",
        Some((
            "5.1.1",
            "Amazon SES did not send the message to this address because it is on the suppression list for your account.",
        )),
    ),
    (
        "Transient",
        "General",
        Some((
            "4.4.7",
            "smtp; 421 4.4.7 Message expired: unable to deliver in 840 minutes",
        )),
    ),
    (
        "Transient",
        "MailboxFull",
        Some(("4.2.2", "smtp; 452 4.2.2 Mailbox full")),
    ),
    (
        "Transient",
        "MessageTooLarge",
        Some(("5.3.4", "smtp; 552 5.3.4 Message size exceeds fixed limit")),
    ),
    (
        "Transient",
        "ContentRejected",
        Some(("5.7.1", "smtp; 554 5.7.1 Message rejected as spam")),
    ),
    (
        "Transient",
        "AttachmentRejected",
        Some(("5.7.1", "smtp; 554 5.7.1 Attachment type not allowed")),
    ),
    ("Undetermined", "Undetermined", None),
];

/// What Gmail says of an unknown user, over several lines: drawn for half the
/// Permanent/General bounces with `--mix`.
const GMAIL_NO_SUCH_USER: &str = "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. For more information, go to\n550 5.1.1  https://support.google.example/mail/?p=NoSuchUser x12si123wmc.1 - gsmtp";

/// How often each bounce happens, by its index in `BOUNCES`: mostly unknown users.
const BOUNCE_WEIGHTS: &[u64] = &[40, 15, 12, 5, 8, 8, 3, 4, 1, 4];

const FEEDBACK: &[(Feedback, u64)] = &[
    (Feedback::Abuse, 80),
    (Feedback::Fraud, 5),
    (Feedback::Virus, 3),
    (Feedback::NotSpam, 5),
    (Feedback::AuthFailure, 2),
    (Feedback::Other, 5),
];

const DELAYS: &[(&str, &str, &str)] = &[
    (
        "TransientCommunicationFailure",
        "4.4.1",
        "smtp; 421 4.4.1 Unable to connect to remote host",
    ),
    ("MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full"),
    (
        "SpamDetected",
        "4.7.1",
        "smtp; 421 4.7.1 Try again later, closing connection (spam)",
    ),
    (
        "RecipientServerError",
        "4.3.0",
        "smtp; 451 4.3.0 Internal server error",
    ),
];

const SENDERS: &[(&str, &str)] = &[
    ("Example News", "news@example.org"),
    ("Example Shop", "orders@shop.example.org"),
    ("Example Support", "support@example.org"),
    ("Example Billing", "billing@example.org"),
];
const CONFIGURATION_SETS: &[&str] = &["newsletter", "transactional", "marketing"];
/// Where recipients have their mailboxes: providers and companies.
const RECIPIENT_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "gmail.example",
    "outlook.example",
    "yahoo.example",
    "corp.example.io",
    "xn--bcher-kva.example",
];
const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
];
const ACCOUNT: &str = "111122223333";

/// The name SES gives a sending type.
pub fn type_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Send => "Send",
        EventKind::Reject => "Reject",
        EventKind::Bounce => "Bounce",
        EventKind::Complaint => "Complaint",
        EventKind::Delivery => "Delivery",
        EventKind::Open => "Open",
        EventKind::Click => "Click",
        EventKind::RenderingFailure => "Rendering Failure",
        EventKind::DeliveryDelay => "DeliveryDelay",
        EventKind::Subscription => "Subscription",
        EventKind::Received | EventKind::Sending => "Sending",
    }
}

/// Whether SES also sends this type as an identity notification.
pub fn has_notification(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Bounce | EventKind::Complaint | EventKind::Delivery
    )
}

/// A message sent, which sending events are about: the same for every event of a message.
pub(super) struct Message {
    /// The message's number in the run: part of its SES id, so that no two messages share one.
    index: u64,
    at: i64,
    from: String,
    subject: String,
    recipients: Vec<String>,
    configuration_set: &'static str,
    ses_id: String,
    source_ip: String,
    boundary: u64,
}

/// One event of a followed message: its type, the recipients it is about, how long after the
/// message, and for a bounce whether it is hard.
struct Step {
    kind: EventKind,
    recipients: Vec<String>,
    after: i64,
    permanent: bool,
}

/// With `--type sending --mix`, each message is followed through its events, as SES publishes
/// them: Send, then for each recipient a Delivery (most), a hard or soft bounce, a
/// DeliveryDelay before some, Opens and Clicks after some deliveries, a rare Complaint or
/// Subscription change; a very few messages are rejected or fail to render.
#[derive(Default)]
pub(super) struct Follow {
    message: Option<Message>,
    pending: std::collections::VecDeque<Step>,
    messages: u64,
}

/// The sending event number `index` of `spec`, and what it says for `--truth`.
pub(super) fn event(spec: &Spec, rng: &mut Rng, index: u64, follow: &mut Follow) -> (Event, Fact) {
    if spec.kind == EventKind::Sending && spec.mix {
        if follow.pending.is_empty() {
            let message = message(spec, rng, follow.messages);
            follow.messages += 1;
            follow.pending = plan(rng, &message.recipients, spec.trouble).into();
            follow.message = Some(message);
        }
        if let (Some(step), Some(message)) = (follow.pending.pop_front(), &follow.message) {
            return write(spec, rng, message, &step);
        }
    }
    let kind = match spec.kind {
        EventKind::Sending => TYPES[(index % TYPES.len() as u64) as usize],
        kind => kind,
    };
    let message = message(spec, rng, index);
    let step = Step {
        kind,
        recipients: message.recipients.clone(),
        after: 1_000 + rng.below(5_000) as i64,
        permanent: !spec.mix || rng.chance(650),
    };
    write(spec, rng, &message, &step)
}

/// Message number `index`: its sender, subject, recipients and ids.
fn message(spec: &Spec, rng: &mut Rng, index: u64) -> Message {
    let at = index as i64 * 3_000 + rng.below(3_000) as i64;
    let recipients: Vec<String> = if spec.to.is_empty() {
        let n = if spec.mix && rng.chance(200) {
            rng.between(2, 4)
        } else {
            1
        };
        (0..n).map(|_| recipient(rng)).collect()
    } else {
        spec.to.clone()
    };
    let (name, address) = *rng.pick(SENDERS);
    let from = spec
        .from
        .clone()
        .unwrap_or_else(|| format!("{name} <{address}>"));
    let subject = spec
        .subject
        .clone()
        .unwrap_or_else(|| (*rng.pick(SUBJECTS)).to_owned());
    let configuration_set = *rng.pick(CONFIGURATION_SETS);
    Message {
        index,
        at,
        from,
        subject,
        recipients,
        configuration_set,
        ses_id: format!("0102018e{index:08x}-{}-000000", rng.uuid()),
        source_ip: format!("198.51.100.{}", rng.between(1, 255)),
        boundary: rng.below(1_000_000_000),
    }
}

/// A recipient: `first.last` and a number at a mailbox provider, so that a large run has as
/// many different addresses as a mailing list (about 86,000).
fn recipient(rng: &mut Rng) -> String {
    let (_, local) = name_and_local_part(rng);
    format!("{local}{}@{}", rng.below(100), rng.pick(RECIPIENT_DOMAINS))
}

/// What becomes of a message sent to `recipients`, event by event; `trouble` multiplies the
/// chances of bounces, complaints and unsubscriptions.
fn plan(rng: &mut Rng, recipients: &[String], trouble: u64) -> Vec<Step> {
    let step = |kind, recipients: &[String], after, permanent| Step {
        kind,
        recipients: recipients.to_vec(),
        after,
        permanent,
    };
    let mut steps = vec![step(EventKind::Send, recipients, 0, false)];
    let refused = rng.below(10_000);
    if refused < 5 {
        steps.push(step(EventKind::Reject, recipients, 0, false));
        return steps;
    }
    if refused < 20 {
        steps.push(step(EventKind::RenderingFailure, recipients, 0, false));
        return steps;
    }
    for recipient in recipients {
        let one = std::slice::from_ref(recipient);
        let fate = rng.below(1000);
        let (hard, soft) = (
            fate < 22 * trouble,
            (22 * trouble..32 * trouble).contains(&fate),
        );
        if rng.chance(if soft { 500 } else { 10 }) {
            steps.push(step(EventKind::DeliveryDelay, one, 600_000, false));
        }
        if hard || soft {
            let after = if hard { 2_000 } else { 50_000_000 };
            steps.push(step(EventKind::Bounce, one, after, hard));
            continue;
        }
        steps.push(step(EventKind::Delivery, one, 1_000, false));
        let opens = *rng.pick(&[0, 0, 0, 0, 0, 0, 1, 1, 2, 3]);
        for n in 0..opens {
            steps.push(step(EventKind::Open, one, 300_000 + 900_000 * n, false));
        }
        if opens > 0 && rng.chance(200) {
            steps.push(step(EventKind::Click, one, 1_500_000, false));
        }
        if rng.chance(trouble) {
            steps.push(step(EventKind::Complaint, one, 7_200_000, false));
        }
        if rng.chance(2 * trouble) {
            steps.push(step(EventKind::Subscription, one, 3_600_000, false));
        }
    }
    steps
}

/// The record of `step` about `message`, and what it says for `--truth`.
fn write(spec: &Spec, rng: &mut Rng, message: &Message, step: &Step) -> (Event, Fact) {
    let notification =
        has_notification(step.kind) && (spec.notification || (spec.mix && rng.chance(100)));
    let event_at = message.at + step.after + rng.below(1_000) as i64;
    let type_name = type_name(step.kind);
    let mut record = Map::new();
    let label = if notification {
        "notificationType"
    } else {
        "eventType"
    };
    record.insert(label.into(), json!(type_name));
    record.insert("mail".into(), mail(spec, message, notification));
    let bounce = (step.kind == EventKind::Bounce).then(|| bounce_drawn(spec, rng, step));
    let (key, object) = object(step, spec, rng, event_at, bounce);
    record.insert(key.into(), object);
    let effect = match (step.kind, bounce) {
        (EventKind::Reject | EventKind::RenderingFailure, _) => Effect::Refused,
        (EventKind::Complaint, _) => Effect::Complaint,
        (_, Some(("Permanent", "OnAccountSuppressionList", _))) => Effect::ListedBounce,
        (_, Some(("Permanent", _, _))) => Effect::HardBounce,
        (_, Some(_)) => Effect::SoftBounce,
        _ => Effect::Nothing,
    };
    let fact = Fact::Sending {
        type_name,
        message: message.index,
        recipients: step.recipients.clone(),
        effect,
    };
    let event = Event::Sending {
        record: Value::Object(record),
        event_type: type_name.to_owned(),
    };
    (event, fact)
}

/// A bounce's type, subtype and DSN: the one asked for, or drawn with `--mix` (hard or soft
/// as the step says), else Permanent/General.
fn bounce_drawn(spec: &Spec, rng: &mut Rng, step: &Step) -> Bounce {
    match &spec.bounce {
        Some((bounce_type, subtype)) => BOUNCES
            .iter()
            .find(|(t, s, _)| t == bounce_type && s == subtype)
            .copied()
            .unwrap_or(BOUNCES[0]),
        None if spec.mix => {
            let weighted: Vec<(usize, u64)> = BOUNCE_WEIGHTS
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| (BOUNCES[*i].0 == "Permanent") == step.permanent)
                .collect();
            BOUNCES[*rng.weighted(&weighted)]
        }
        None => BOUNCES[0],
    }
}

/// The `mail` object every sending event carries.
fn mail(spec: &Spec, message: &Message, notification: bool) -> Value {
    let Message {
        index: _,
        at,
        ref from,
        ref subject,
        ref recipients,
        configuration_set,
        ref ses_id,
        ref source_ip,
        boundary,
    } = *message;
    let source = address_of(from);
    let date = rfc5322(at);
    let subject_header = header_text(
        subject,
        if spec.encoded_words {
            HeaderText::Base64
        } else {
            HeaderText::Raw
        },
    );
    let mut headers = Vec::new();
    if !notification {
        headers.push(json!({"name": "X-SES-CONFIGURATION-SET", "value": configuration_set}));
    }
    headers.extend([
        json!({"name": "From", "value": from}),
        json!({"name": "To", "value": recipients.join(", ")}),
        json!({"name": "Subject", "value": subject_header}),
        json!({"name": "MIME-Version", "value": "1.0"}),
        json!({"name": "Content-Type", "value": format!("multipart/alternative; boundary=\"----=_Part_{boundary}\"")}),
        json!({"name": "Date", "value": date}),
        json!({"name": "Message-ID", "value": format!("<{ses_id}@email.amazonses.com>")}),
    ]);
    if spec.headers_truncated {
        headers.truncate(headers.len() / 2);
    }
    let mut mail = Map::new();
    mail.insert("timestamp".into(), json!(iso(at)));
    mail.insert("source".into(), json!(from));
    mail.insert(
        "sourceArn".into(),
        json!(format!(
            "arn:aws:ses:us-east-1:{ACCOUNT}:identity/{}",
            domain_of(source)
        )),
    );
    if notification {
        mail.insert("sourceIp".into(), json!(source_ip));
        mail.insert("callerIdentity".into(), json!("mailer"));
    }
    mail.insert("sendingAccountId".into(), json!(ACCOUNT));
    mail.insert("messageId".into(), json!(ses_id));
    mail.insert("destination".into(), json!(recipients));
    mail.insert("headersTruncated".into(), json!(spec.headers_truncated));
    mail.insert("headers".into(), Value::Array(headers));
    mail.insert(
        "commonHeaders".into(),
        json!({
            "from": [from],
            "date": date,
            "to": recipients,
            "messageId": format!("<{ses_id}@email.amazonses.com>"),
            "subject": subject,
        }),
    );
    if !notification {
        let mut tags = Map::new();
        tags.insert("ses:operation".into(), json!(["SendEmail"]));
        tags.insert("ses:configuration-set".into(), json!([configuration_set]));
        tags.insert("ses:source-ip".into(), json!([source_ip]));
        tags.insert("ses:from-domain".into(), json!([domain_of(source)]));
        tags.insert("ses:caller-identity".into(), json!(["mailer"]));
        for (name, value) in &spec.tags {
            let values = tags.entry(name.clone()).or_insert_with(|| json!([]));
            if let Value::Array(values) = values {
                values.push(json!(value));
            }
        }
        mail.insert("tags".into(), Value::Object(tags));
    }
    Value::Object(mail)
}

/// The event's own object, under its key; `bounce` is the bounce drawn for a Bounce.
fn object(
    step: &Step,
    spec: &Spec,
    rng: &mut Rng,
    at: i64,
    bounce: Option<Bounce>,
) -> (&'static str, Value) {
    let recipients = &step.recipients;
    let mta = format!(
        "a{}-{}.smtp-out.us-east-1.amazonses.com",
        rng.between(8, 99),
        rng.between(1, 40)
    );
    let remote_ip = format!("203.0.113.{}", rng.between(1, 255));
    let agent = *rng.pick(USER_AGENTS);
    let reader_ip = format!("198.51.100.{}", rng.between(1, 255));
    match step.kind {
        EventKind::Send | EventKind::Received | EventKind::Sending => ("send", json!({})),
        EventKind::Reject => ("reject", json!({"reason": "Bad content"})),
        EventKind::Bounce => {
            let (bounce_type, subtype, mut dsn) = bounce.unwrap_or(BOUNCES[0]);
            if spec.mix && (bounce_type, subtype) == ("Permanent", "General") && rng.chance(500) {
                dsn = dsn.map(|(status, _)| (status, GMAIL_NO_SUCH_USER));
            }
            let bounced: Vec<Value> = recipients
                .iter()
                .map(|address| match dsn {
                    Some((status, code)) => json!({
                        "emailAddress": address,
                        "action": "failed",
                        "status": status,
                        "diagnosticCode": code,
                    }),
                    None => json!({"emailAddress": address}),
                })
                .collect();
            let mut bounce = Map::new();
            bounce.insert("bounceType".into(), json!(bounce_type));
            bounce.insert("bounceSubType".into(), json!(subtype));
            bounce.insert("bouncedRecipients".into(), Value::Array(bounced));
            bounce.insert("timestamp".into(), json!(iso(at)));
            bounce.insert("feedbackId".into(), json!(feedback_id(rng)));
            if dsn.is_some() && !subtype.contains("Suppress") {
                bounce.insert("reportingMTA".into(), json!(format!("dns; {mta}")));
                bounce.insert("remoteMtaIp".into(), json!(remote_ip));
            }
            ("bounce", Value::Object(bounce))
        }
        EventKind::Complaint => {
            // With --mix, about one complaint in eleven comes without a feedback report (no
            // feedback type, user agent or arrival date), as from ISPs that send none.
            let feedback = match spec.feedback {
                Some(feedback) => Some(feedback),
                None if spec.mix => (!rng.chance(90)).then(|| *rng.weighted(FEEDBACK)),
                None => Some(Feedback::Abuse),
            };
            let complained: Vec<Value> = recipients
                .iter()
                .map(|address| json!({"emailAddress": address}))
                .collect();
            let mut complaint = json!({
                "feedbackId": feedback_id(rng),
                "complaintSubType": null,
                "complainedRecipients": complained,
                "timestamp": iso(at),
            });
            if let (Some(feedback), Value::Object(fields)) = (feedback, &mut complaint) {
                fields.insert("userAgent".into(), json!("Yahoo!-Mail-Feedback/2.0"));
                fields.insert("complaintFeedbackType".into(), json!(feedback.as_str()));
                fields.insert("arrivalDate".into(), json!(iso(at - 1_000)));
            }
            ("complaint", complaint)
        }
        EventKind::Delivery => (
            "delivery",
            json!({
                "timestamp": iso(at),
                "processingTimeMillis": rng.between(300, 4000),
                "recipients": recipients,
                "smtpResponse": format!("250 2.0.0 OK {} - gsmtp", rng.below(1_000_000_000)),
                "reportingMTA": mta,
                "remoteMtaIp": remote_ip,
            }),
        ),
        EventKind::Open => (
            "open",
            json!({"timestamp": iso(at), "userAgent": agent, "ipAddress": reader_ip}),
        ),
        EventKind::Click => (
            "click",
            json!({
                "timestamp": iso(at),
                "ipAddress": reader_ip,
                "userAgent": agent,
                "link": format!("https://example.org/orders?id={}", rng.below(1_000_000)),
                "linkTags": {"section": ["body"]},
            }),
        ),
        EventKind::RenderingFailure => (
            "failure",
            json!({
                "templateName": "order-shipped",
                "errorMessage": "Attribute 'firstName' is not present in the rendering data.",
            }),
        ),
        EventKind::DeliveryDelay => {
            let (delay_type, status, code) = *rng.pick(DELAYS);
            let delayed: Vec<Value> = recipients
                .iter()
                .map(|address| {
                    json!({"emailAddress": address, "status": status, "diagnosticCode": code})
                })
                .collect();
            (
                "deliveryDelay",
                json!({
                    "timestamp": iso(at),
                    "delayType": delay_type,
                    "expirationTime": iso(at + 14 * 3_600_000),
                    "delayedRecipients": delayed,
                    "reportingMTA": mta,
                }),
            )
        }
        EventKind::Subscription => (
            "subscription",
            json!({
                "contactList": "Newsletter",
                "timestamp": iso(at),
                "source": "UnsubscribeHeader",
                "newTopicPreferences": {
                    "unsubscribeAll": true,
                    "topicSubscriptionStatus": [{"topicName": "Monthly", "subscriptionStatus": "OptOut"}],
                },
                "oldTopicPreferences": {
                    "unsubscribeAll": false,
                    "topicSubscriptionStatus": [{"topicName": "Monthly", "subscriptionStatus": "OptIn"}],
                },
            }),
        ),
    }
}

fn feedback_id(rng: &mut Rng) -> String {
    format!("0102018f{}-000000", rng.uuid())
}
