//! Text that fails to parse as JSON: what it may still be (a Python repr, JSON quoted for a CSV
//! field), what to say when the event is lost (Node's `console.log`), and when to stay quiet (a
//! log line that does not look like an event).

use super::{Emit, Scope, decode_value};
use crate::input::frame::looks_like_event;
use crate::origin::Origin;
use crate::problem::ProblemKind;

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

/// JSON that sat in a CSV field (a Logs Insights console export), its quotes doubled.
fn csv_field(text: &str) -> Option<String> {
    if !text.contains("\"\"") {
        return None;
    }
    let unquoted = text.replace("\"\"", "\"");
    serde_json::from_str::<serde::de::IgnoredAny>(&unquoted)
        .is_ok()
        .then_some(unquoted)
}
