//! Text that fails to parse as an event: an event with fields of the wrong type (kept, those
//! fields unreadable), what the text may still be when it is not JSON (a Python repr, JSON quoted
//! for a CSV field), what to say when the event is lost (Node's `console.log`), and when to stay
//! quiet (a log line that does not look like an event).

use serde_path_to_error::Segment;

use super::classify::{Kind, Probe, classify};
use super::{Emit, Scope, decode_value};
use crate::input::frame::looks_like_event;
use crate::model::{Event, Message, Unreadable};
use crate::origin::Origin;
use crate::problem::{Problem, ProblemKind};

/// The most fields of the wrong type one event may have and still be read; past it, the event
/// is reported as unreadable as a whole.
const MAX_UNREADABLE: usize = 16;

/// Decodes `json`, which serde could not parse, if it can be recovered; reports it otherwise.
pub(super) fn unparsable(
    scope: &Scope<'_>,
    json: &str,
    origin: Origin,
    error: &serde_json::Error,
    emit: &mut Emit,
) {
    let at = scope.position_of(json);
    let syntax = error.classify() != serde_json::error::Category::Data;
    if !syntax && read_around_wrong_types(scope, json, &origin, error, emit) {
        return;
    }
    // Decoded again once only: both conversions give text that parses as JSON, so the decoding
    // below cannot come back here for the same text (no recursion without a bound).
    let converted = syntax
        .then(|| csv_field(json).or_else(|| crate::input::repr::to_json(json)))
        .flatten()
        .filter(|converted| {
            converted != json && serde_json::from_str::<serde::de::IgnoredAny>(converted).is_ok()
        });
    if let Some(converted) = converted {
        let inner = Scope {
            text: &converted,
            at,
            inside_envelope: true,
            ..*scope
        };
        return decode_value(&inner, &converted, origin, emit);
    }
    if json.contains("[Object]") || json.contains("[Array]") {
        let message = "this is Node's console.log(event) output, which prints nested objects as \
                       [Object]: the event cannot be recovered; log JSON.stringify(event) instead";
        return emit(Err(scope.inner_problem(
            at,
            &origin,
            ProblemKind::Encoding,
            message.to_string(),
        )));
    }
    if !scope.lenient || looks_like_event(json.as_bytes()) {
        emit(Err(scope.parse_problem(json, &origin, error)));
    }
}

/// JSON that sat in a CSV field (a Logs Insights console export), its quotes doubled: every
/// quote, or it is not that (broken JSON with an empty string in it is not repaired).
fn csv_field(text: &str) -> Option<String> {
    if !text.contains("\"\"") || text.replace("\"\"", "").contains('"') {
        return None;
    }
    let unquoted = text.replace("\"\"", "\"");
    serde_json::from_str::<serde::de::IgnoredAny>(&unquoted)
        .is_ok()
        .then_some(unquoted)
}

/// Reads an event whose fields of the wrong type made it fail, keeping each such field as
/// [`Unreadable`] with a warning that names its path. False (nothing emitted) when the text is
/// not an event once those fields are set aside, or has more than [`MAX_UNREADABLE`] of them.
fn read_around_wrong_types(
    scope: &Scope<'_>,
    json: &str,
    origin: &Origin,
    error: &serde_json::Error,
    emit: &mut Emit,
) -> bool {
    let Some((readable, found)) = set_aside_wrong_types(json) else {
        return false;
    };
    let Ok(probe) = serde_json::from_str::<Probe>(&readable) else {
        return false;
    };
    let event = match classify(probe) {
        Kind::Receipt { mail, receipt } => (mail, Event::Received(receipt)),
        Kind::Sending { mail, sending } => (mail, Event::Sending(sending)),
        _ => return false,
    };
    // serde places the first wrong value exactly; the others are found in a copy of the event,
    // and placed at the event.
    let mut place = scope.parse_problem(json, origin, error).origin;
    let mut unreadable = Vec::with_capacity(found.len());
    for wrong in found {
        let message = format!("{}: {}; shown as unreadable", wrong.at, wrong.problem);
        emit(Err(Problem::new(ProblemKind::WrongType, place, message)));
        place = scope.origin_at(scope.position_of(json), origin);
        let field = field_path(&wrong.steps).unwrap_or_default();
        unreadable.push(Unreadable {
            field: field.strip_prefix("ses.").unwrap_or(&field).to_string(),
            value: wrong.value.to_string(),
        });
    }
    let (mail, event) = event;
    emit(Ok(Message {
        origin: origin.clone(),
        mail,
        event,
        raw: json,
        unreadable,
    }));
    true
}

/// One field of the wrong type, found and set aside.
struct WrongType {
    /// The exact place of the wrong value (`receipt.recipients[0]`).
    at: String,
    /// What was expected and found there.
    problem: String,
    /// The place of what was set aside: the wrong value, or the list that holds it.
    steps: Vec<Segment>,
    /// What was there.
    value: serde_json::Value,
}

/// The event's JSON with each field of the wrong type set to `null` (absent), and those fields.
/// serde names the first wrong field of a parse only, so the event is parsed again after each
/// one is set aside: at most [`MAX_UNREADABLE`] + 1 parses of the one event.
fn set_aside_wrong_types(json: &str) -> Option<(String, Vec<WrongType>)> {
    let mut tree: serde_json::Value = serde_json::from_str(json).ok()?;
    let mut found: Vec<WrongType> = Vec::new();
    let mut text = json.to_string();
    loop {
        let deserializer = &mut serde_json::Deserializer::from_str(&text);
        let error = match serde_path_to_error::deserialize::<_, Probe>(deserializer) {
            Ok(_) => return Some((text, found)),
            Err(error) => error,
        };
        if found.len() == MAX_UNREADABLE {
            return None;
        }
        let mut steps: Vec<Segment> = error.path().iter().cloned().collect();
        let problem = expected_found(&error.inner().to_string(), value_at(&mut tree, &steps)?);
        // An item of a list cannot be set aside alone: the list is unreadable as a whole.
        if matches!(steps.last(), Some(Segment::Seq { .. })) {
            steps.pop();
        }
        // Every field of the model may be absent: one that fails again once set aside would be
        // a field that may not, and the event is then reported whole rather than read in a loop.
        if found
            .iter()
            .any(|f| field_path(&f.steps) == field_path(&steps))
        {
            return None;
        }
        found.push(WrongType {
            at: error.path().to_string(),
            problem,
            value: std::mem::take(value_at(&mut tree, &steps)?),
            steps,
        });
        text = tree.to_string();
    }
}

/// The path of `steps` as the field table writes paths (`receipt.spfVerdict.status`); `None`
/// for the top level or a step serde cannot name.
fn field_path(steps: &[Segment]) -> Option<String> {
    let mut path = String::new();
    for step in steps {
        match step {
            Segment::Map { key } if path.is_empty() => path.push_str(key),
            Segment::Map { key } => {
                path.push('.');
                path.push_str(key);
            }
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => return None,
        }
    }
    (!path.is_empty()).then_some(path)
}

fn value_at<'t>(
    tree: &'t mut serde_json::Value,
    steps: &[Segment],
) -> Option<&'t mut serde_json::Value> {
    steps.iter().try_fold(tree, |value, step| match step {
        Segment::Map { key } => value.get_mut(key.as_str()),
        Segment::Seq { index } => value.get_mut(*index),
        Segment::Enum { .. } | Segment::Unknown => None,
    })
}

/// `expected a string, found a number`, from serde's `invalid type: integer `1`, expected a
/// string` (which copies the value, too long for a warning); other messages (`missing field
/// `value``) as serde words them.
fn expected_found(serde_message: &str, value: &serde_json::Value) -> String {
    let message = super::strip_location(serde_message);
    let Some((_, expected)) = message.rsplit_once(", expected ") else {
        return message;
    };
    let expected = if expected == "a sequence" {
        "a list"
    } else {
        expected
    };
    let found = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    };
    format!("expected {expected}, found {found}")
}
