//! The envelope or capture form events are written in: what a Lambda function, an SNS
//! subscriber, an SQS consumer, an EventBridge rule, a Kinesis or Firehose consumer, or a
//! CloudWatch Logs reader receives — the shapes `decode` reads back.

use std::io::Write;

use base64::Engine;
use clap::ValueEnum;
use serde_json::{Value, json};

use super::{Event, Rng, object};

/// A form events are delivered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Wrap {
    /// Receipt events as SES invokes Lambda: `{"Records":[{"eventSource":"aws:ses",…}]}`
    Lambda,
    /// Every receipt event in one document, `{"Records":[r1, r2, …]}`, a record a line: one
    /// large document to stream
    Records,
    /// An SNS notification body (HTTP(S) subscription, or SQS without raw delivery)
    Sns,
    /// SNS invoking Lambda: `{"Records":[{"EventSource":"aws:sns","Sns":{…}}]}`
    SnsLambda,
    /// `aws sqs receive-message` output, each body an SNS notification
    Sqs,
    /// SQS invoking Lambda: `{"Records":[{"eventSource":"aws:sqs","body":…}]}`
    SqsLambda,
    /// An EventBridge event from `aws.ses` (sending events only)
    Eventbridge,
    /// A Kinesis Data Firehose transformation event, the record base64 in `data`
    Firehose,
    /// Kinesis invoking Lambda, the record base64 in `kinesis.data`
    Kinesis,
    /// The text log of a Lambda function (Node.js format) that logs each event as JSON
    CloudwatchText,
    /// Lambda's JSON log format, the event under `message`
    CloudwatchJson,
    /// A CloudWatch Logs subscription invoking Lambda: `{"awslogs":{"data":…}}` (gzip, base64)
    Subscription,
}

impl Wrap {
    /// Why events of this family cannot travel in this form, if they cannot.
    pub fn refuses(self, received: bool) -> Option<&'static str> {
        match (self, received) {
            (Wrap::Lambda, false) => Some(
                "SES does not invoke Lambda with sending events: they reach it through SNS \
                 (sns-lambda), SQS (sqs-lambda), EventBridge or Firehose",
            ),
            (Wrap::Records, false) => Some(
                "one {\"Records\":[…]} document holds receipt events, as SES hands them to \
                 Lambda; sending events come one per line (the default)",
            ),
            (Wrap::Eventbridge, true) => Some(
                "SES publishes only sending events to EventBridge; receipt events reach your code \
                 through Lambda, SNS or S3",
            ),
            _ => None,
        }
    }
}

/// What is written of one event: a JSON document, text for a text log capture, or a record of
/// the one `{"Records":[…]}` document of `--wrap records`.
#[derive(Debug)]
pub enum Written {
    Json(Value),
    Text(String),
    Record(Value),
}

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "111122223333";

/// `event` in the form `wrap` (none: as SES writes it — a Lambda event for receipt events, the
/// record for sending events), with envelope ids drawn from `rng`.
pub fn wrap(event: Event, wrap: Option<Wrap>, rng: &mut Rng, gzip: &mut Gzip) -> Written {
    let millis = millis(event.time());
    let time = event.time().to_owned();
    let Some(wrap) = wrap else {
        return Written::Json(natural(event));
    };
    match wrap {
        Wrap::Lambda => Written::Json(natural(event)),
        Wrap::Records => Written::Record(match event {
            Event::Received { mail, receipt, .. } => receipt_record(mail, receipt),
            Event::Sending { record, .. } => record,
        }),
        Wrap::Sns => Written::Json(sns_body(
            &event,
            rng,
            &time,
            "SigningCertURL",
            "UnsubscribeURL",
        )),
        Wrap::SnsLambda => {
            let mut sns = sns_body(&event, rng, &time, "SigningCertUrl", "UnsubscribeUrl");
            if let Value::Object(fields) = &mut sns {
                fields.insert("MessageAttributes".into(), json!({}));
            }
            let topic = topic(&event);
            Written::Json(json!({"Records": [{
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": format!("{topic}:{}", rng.uuid()),
                "Sns": sns,
            }]}))
        }
        Wrap::Sqs => {
            let body = sns_body(&event, rng, &time, "SigningCertURL", "UnsubscribeURL").to_string();
            Written::Json(json!({"Messages": [{
                "MessageId": rng.uuid(),
                "ReceiptHandle": noise(rng, 96),
                "Body": body,
            }]}))
        }
        Wrap::SqsLambda => {
            let body = sns_body(&event, rng, &time, "SigningCertURL", "UnsubscribeURL").to_string();
            Written::Json(json!({"Records": [{
                "messageId": rng.uuid(),
                "receiptHandle": noise(rng, 96),
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": millis.to_string(),
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": (millis + 20).to_string(),
                },
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:ses-events"),
                "awsRegion": REGION,
            }]}))
        }
        Wrap::Eventbridge => {
            let (detail_type, resources) = match &event {
                Event::Sending { event_type, record } => (
                    detail_type(event_type),
                    json!([record["mail"]["sourceArn"]]),
                ),
                Event::Received { .. } => ("Email Received".to_owned(), json!([])),
            };
            let mut envelope = json!({
                "version": "0",
                "id": rng.uuid(),
                "detail-type": detail_type,
                "source": "aws.ses",
                "account": ACCOUNT,
                "time": seconds(&time),
                "region": REGION,
                "resources": resources,
            });
            envelope["detail"] = natural(event);
            Written::Json(envelope)
        }
        Wrap::Firehose => {
            let data = base64(format!("{}\n", natural(event)).as_bytes());
            Written::Json(json!({
                "invocationId": rng.uuid(),
                "deliveryStreamArn": format!("arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/ses-events"),
                "region": REGION,
                "records": [{
                    "recordId": noise(rng, 48),
                    "approximateArrivalTimestamp": millis,
                    "data": data,
                }],
            }))
        }
        Wrap::Kinesis => {
            let data = base64(natural(event).to_string().as_bytes());
            let stream = format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/ses-events");
            Written::Json(json!({"Records": [{
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": rng.uuid(),
                    "sequenceNumber": sequence_number(rng),
                    "data": data,
                    "approximateArrivalTimestamp": millis as f64 / 1000.0,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": format!("shardId-000000000000:{}", sequence_number(rng)),
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": format!("arn:aws:iam::{ACCOUNT}:role/ses-events-reader"),
                "awsRegion": REGION,
                "eventSourceARN": stream,
            }]}))
        }
        Wrap::CloudwatchText => {
            let request = rng.uuid();
            let line = log_line(&time, &request, &natural(event));
            Written::Text(format!(
                "START RequestId: {request} Version: $LATEST\n{line}END RequestId: {request}\n\
                 REPORT RequestId: {request}\tDuration: 12.34 ms\tBilled Duration: 13 ms\t\
                 Memory Size: 128 MB\tMax Memory Used: 71 MB"
            ))
        }
        Wrap::CloudwatchJson => {
            let mut record = json!({
                "timestamp": time,
                "level": "INFO",
                "requestId": rng.uuid(),
            });
            record["message"] = natural(event);
            Written::Json(record)
        }
        Wrap::Subscription => {
            let request = rng.uuid();
            let payload = json!({
                "messageType": "DATA_MESSAGE",
                "owner": ACCOUNT,
                "logGroup": "/aws/lambda/ses-events",
                "logStream": format!("2026/03/02/[$LATEST]{}", noise_hex(rng)),
                "subscriptionFilters": ["ses-events"],
                "logEvents": [{
                    "id": sequence_number(rng),
                    "timestamp": millis,
                    "message": log_line(&time, &request, &natural(event)),
                }],
            });
            Written::Json(
                json!({"awslogs": {"data": base64(&gzip.compress(payload.to_string().as_bytes()))}}),
            )
        }
    }
}

/// The event as SES writes it: a Lambda event for receipt events, the record for sending ones.
fn natural(event: Event) -> Value {
    match event {
        Event::Received { mail, receipt, .. } => {
            object([("Records", Value::Array(vec![receipt_record(mail, receipt)]))])
        }
        Event::Sending { record, .. } => record,
    }
}

/// A receipt event's record, as in the `Records` of a Lambda event.
fn receipt_record(mail: Value, receipt: Value) -> Value {
    object([
        ("eventSource", Value::from("aws:ses")),
        ("eventVersion", Value::from("1.0")),
        ("ses", object([("mail", mail), ("receipt", receipt)])),
    ])
}

/// What SNS delivers: the notification (for receipt events the SNS action's, with `content`)
/// as a JSON string in `Message`. The two URL keys are spelled `…URL` in bodies and `…Url` in
/// Lambda's records.
fn sns_body(event: &Event, rng: &mut Rng, time: &str, cert: &str, unsubscribe: &str) -> Value {
    let (subject, message) = match event {
        Event::Received {
            mail,
            receipt,
            content,
        } => {
            let notification = ReceiptNotification {
                notification_type: "Received",
                mail,
                receipt,
                content: content.as_deref(),
            };
            (
                "Amazon SES Email Receipt Notification",
                serde_json::to_string(&notification).expect("a Value serializes"),
            )
        }
        Event::Sending { record, .. } => {
            ("Amazon SES Email Event Notification", record.to_string())
        }
    };
    let topic = topic(event);
    let mut body = serde_json::Map::new();
    body.insert("Type".into(), json!("Notification"));
    body.insert("MessageId".into(), json!(rng.uuid()));
    body.insert("TopicArn".into(), json!(topic));
    body.insert("Subject".into(), json!(subject));
    body.insert("Message".into(), json!(message));
    body.insert("Timestamp".into(), json!(time));
    body.insert("SignatureVersion".into(), json!("1"));
    body.insert("Signature".into(), json!(noise(rng, 256)));
    body.insert(
        cert.into(),
        json!(format!("https://sns.{REGION}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem")),
    );
    body.insert(
        unsubscribe.into(),
        json!(format!(
            "https://sns.{REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={topic}:{}",
            rng.uuid()
        )),
    );
    Value::Object(body)
}

/// The notification SES's SNS action publishes, borrowing the event's parts (`json!` would copy
/// them first).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ReceiptNotification<'a> {
    notification_type: &'static str,
    mail: &'a Value,
    receipt: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
}

fn topic(event: &Event) -> String {
    let name = match event {
        Event::Received { .. } => "ses-inbound",
        Event::Sending { .. } => "ses-events",
    };
    format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}")
}

/// EventBridge's detail-type for a sending type.
fn detail_type(event_type: &str) -> String {
    match event_type {
        "Send" => "Email Sent",
        "Delivery" => "Email Delivered",
        "Bounce" => "Email Bounced",
        "Complaint" => "Email Complaint Received",
        "Reject" => "Email Rejected",
        "Open" => "Email Opened",
        "Click" => "Email Clicked",
        "Rendering Failure" => "Email Rendering Failed",
        "DeliveryDelay" => "Email Delivery Delayed",
        "Subscription" => "Email Subscribed",
        other => return format!("Email {other}"),
    }
    .to_owned()
}

/// One Node.js log line: time, request id, level, the value as JSON.
fn log_line(time: &str, request: &str, value: &Value) -> String {
    format!("{time}\t{request}\tINFO\t{value}\n")
}

/// Milliseconds since 1970 of an ISO 8601 time written by `generate`.
fn millis(time: &str) -> i64 {
    time.parse::<jiff::Timestamp>()
        .map_or(0, |t| t.as_millisecond())
}

/// The same time to the second, as EventBridge writes it.
fn seconds(time: &str) -> String {
    format!("{}Z", time.get(..19).unwrap_or(time))
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Gzip in memory, with one deflate state kept across events: a fresh one is allocated and
/// zeroed each time (a few hundred KB), which made `--wrap subscription` three times slower. The
/// header has no time or name, so the bytes depend only on the input.
pub struct Gzip {
    deflate: flate2::write::DeflateEncoder<Vec<u8>>,
}

impl Default for Gzip {
    fn default() -> Gzip {
        Gzip {
            deflate: flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default()),
        }
    }
}

impl Gzip {
    /// `bytes` as one gzip member (RFC 1952): header, deflate data, CRC-32 and length.
    fn compress(&mut self, bytes: &[u8]) -> Vec<u8> {
        const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        let deflated = self
            .deflate
            .write_all(bytes)
            .and_then(|()| self.deflate.reset(Vec::new()))
            .expect("writing to memory does not fail");
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        let mut member = HEADER.to_vec();
        member.extend_from_slice(&deflated);
        member.extend_from_slice(&crc.sum().to_le_bytes());
        member.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        member
    }
}

/// Random base64 text of about `n` characters: handles and signatures.
fn noise(rng: &mut Rng, n: usize) -> String {
    base64(&rng.bytes(n * 3 / 4))
}

fn noise_hex(rng: &mut Rng) -> String {
    format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
}

/// A Kinesis or CloudWatch Logs sequence number: 56 digits.
fn sequence_number(rng: &mut Rng) -> String {
    (0..56)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}
