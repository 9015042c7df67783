//! Reads the log records events are captured in — Lambda's JSON log format and Powertools, CLI
//! outputs, subscription payloads, Logs Insights results — as the log text they hold, joining
//! log events that Lambda split.

use std::borrow::Cow;

use super::classify::LogRecord;
use super::envelope::unpack;
use super::{Emit, Scope, decode_text, decode_value};
use crate::input::frame::{Mode, Unfinished};
use crate::model::Text;
use crate::origin::{Link, Origin, Position};
use crate::problem::ProblemKind;

/// Decodes what the log record `json` holds. Inside a log, what is not an SES event is quiet.
pub(super) fn read(
    scope: &Scope<'_>,
    record: LogRecord<'_>,
    json: &str,
    origin: &Origin,
    emit: &mut Emit,
) {
    let here = scope.position_of(json);
    let log = Scope {
        lenient: true,
        ..*scope
    };
    match record {
        LogRecord::Quiet => {}
        LogRecord::Events { label, messages } => {
            events(&log, here, &messages, label, origin, emit);
        }
        LogRecord::Subscription(data) => {
            let origin = origin.with_link(Link::field("awslogs.data"));
            match unpack(&data, scope.max_inflate) {
                Ok(bytes) => decode_text(&log, here, &bytes, Mode::Json, origin, emit),
                Err(why) => emit(Err(scope.inner_problem(
                    here,
                    &origin,
                    ProblemKind::Encoding,
                    why,
                ))),
            }
        }
        LogRecord::InsightsRow(message) => {
            let origin = origin.with_link(Link::field("@message"));
            decode_text(&log, here, message.as_bytes(), Mode::Log, origin, emit);
        }
        LogRecord::Logged { label, value } => {
            let origin = origin.with_link(Link::field(label));
            match serde_json::from_str::<Text>(value.get()) {
                Ok(text) => decode_text(&log, here, text.as_bytes(), Mode::Log, origin, emit),
                Err(_) => decode_value(&log, value.get(), origin, emit),
            }
        }
    }
}

/// How long a value joined from consecutive log events may grow (Python's `indent=` output is
/// one log event per line, so an event may span hundreds of them).
const MAX_JOINED: usize = 16 << 20;

/// Each log event's message, read as log text. Lambda splits output longer than one log event
/// into consecutive events: a message whose JSON is unfinished is joined with the ones after it
/// until it is whole.
fn events(
    scope: &Scope<'_>,
    here: Position,
    messages: &[Option<Text<'_>>],
    label: &'static str,
    origin: &Origin,
    emit: &mut Emit,
) {
    let piece = |index: usize| messages[index].as_deref().unwrap_or_default();
    let mut index = 0;
    while index < messages.len() {
        let first = index;
        let mut unfinished = Unfinished::default();
        let mut joined = Cow::Borrowed(piece(index));
        let mut open = unfinished.after(piece(index).as_bytes());
        index += 1;
        while open && index < messages.len() && joined.len() < MAX_JOINED {
            joined.to_mut().push_str(piece(index));
            open = unfinished.after(piece(index).as_bytes());
            index += 1;
        }
        let origin = origin.with_link(Link::element(label, first));
        decode_text(scope, here, joined.as_bytes(), Mode::Log, origin, emit);
    }
}
