//! Opens the envelopes SES messages travel in — SNS, SQS (and `aws sqs receive-message`),
//! EventBridge, Kinesis, Firehose — and decodes what they carry, which may be another envelope.

use std::io::Read;

use base64::Engine;
use serde_json::value::RawValue;

use super::classify::Envelope;
use super::{Emit, Scope, decode_text, decode_value};
use crate::input::frame::{Mode, describe_size};
use crate::origin::{Link, Origin};
use crate::problem::ProblemKind;

/// Decodes the documents inside `envelope`, which is the object `json`.
pub(super) fn open(
    scope: &Scope<'_>,
    envelope: Envelope<'_>,
    json: &str,
    origin: Origin,
    emit: &mut Emit,
) {
    let here = scope.position_of(json);
    let (label, carried) = match envelope {
        Envelope::SnsRecord(message) => {
            return message_text(scope, message, "Sns.Message", json, origin, emit);
        }
        Envelope::SnsBody(message) => {
            return message_text(scope, message, "Message", json, origin, emit);
        }
        Envelope::SqsRecord(body) => ("body", body),
        Envelope::SqsMessage(body) => ("Body", body),
        Envelope::EventBridge(detail) => {
            let origin = origin.with_link(Link::field("detail"));
            return decode_value(scope, detail.get(), origin, emit);
        }
        Envelope::Kinesis(data) => {
            return encoded(scope, &data, "kinesis.data", json, origin, emit);
        }
        Envelope::FirehoseRecord(data) => return encoded(scope, &data, "data", json, origin, emit),
    };
    let origin = origin.with_link(Link::field(label));
    decode_text(scope, here, carried.as_bytes(), Mode::Json, origin, emit);
}

/// An SNS message under `label`: JSON text in a string, as SNS sends it, or the JSON itself.
fn message_text(
    scope: &Scope<'_>,
    message: &RawValue,
    label: &'static str,
    json: &str,
    origin: Origin,
    emit: &mut Emit,
) {
    let origin = origin.with_link(Link::field(label));
    match serde_json::from_str::<String>(message.get()) {
        Ok(text) => {
            let here = scope.position_of(json);
            decode_text(scope, here, text.as_bytes(), Mode::Json, origin, emit);
        }
        Err(_) => decode_value(scope, message.get(), origin, emit),
    }
}

/// Documents carried as base64 (of gzip, possibly) under `label`.
fn encoded(
    scope: &Scope<'_>,
    data: &str,
    label: &'static str,
    json: &str,
    origin: Origin,
    emit: &mut Emit,
) {
    let here = scope.position_of(json);
    let origin = origin.with_link(Link::field(label));
    match unpack(data, scope.max_inflate) {
        Ok(bytes) => decode_text(scope, here, &bytes, Mode::Json, origin, emit),
        Err(why) => emit(Err(scope.inner_problem(
            here,
            &origin,
            ProblemKind::Encoding,
            why,
        ))),
    }
}

/// Base64, then gunzip when the bytes are gzip (CloudWatch Logs through Kinesis), to at most
/// `max_inflate` bytes: more is an error, found without inflating past the limit.
pub(super) fn unpack(data: &str, max_inflate: u64) -> Result<Vec<u8>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("not base64 ({e})"))?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .take(max_inflate.saturating_add(1))
        .read_to_end(&mut text)
        .map_err(|e| format!("not valid gzip ({e})"))?;
    if text.len() as u64 > max_inflate {
        return Err(format!(
            "gzip that inflates to more than the limit of {} (--max-inflate): skipped",
            describe_size(max_inflate)
        ));
    }
    Ok(text)
}
