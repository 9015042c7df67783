//! Reads the log records events are captured in — Lambda's JSON log format and Powertools, CLI
//! outputs, subscription payloads, Logs Insights results — as the log text they hold, joining
//! log events that Lambda split; in a list of log events, a broken one costs only itself.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::classify::{EventForm, LogRecord};
use super::envelope::unpack;
use super::{Emit, Scope, decode_text, decode_value};
use crate::input::frame::{Mode, Unfinished};
use crate::model::Text;
use crate::origin::{Link, Origin, Position};
use crate::problem::ProblemKind;
use crate::sanitize::{Escaping, escaped};

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
        LogRecord::Events {
            label,
            form,
            events,
        } => {
            let texts: Vec<Piece> = events.iter().map(|event| log_text(event, form)).collect();
            read_events(&log, here, &texts, label, origin, emit);
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

/// One log event's text (empty when it logged nothing), or why it cannot be read.
type Piece<'a> = Result<Text<'a>, Unreadable>;

/// Why a log event cannot be read, and its id when it has one.
struct Unreadable {
    id: Option<String>,
    why: String,
}

impl Unreadable {
    fn new(why: String) -> Unreadable {
        Unreadable { id: None, why }
    }
}

/// The fields of a log event that matter here: its text, and its id to name it by.
#[derive(Deserialize)]
struct LogEvent<'a> {
    #[serde(borrow)]
    message: Option<&'a RawValue>,
    #[serde(borrow, alias = "eventId")]
    id: Option<&'a RawValue>,
}

/// One field of a Logs Insights row.
#[derive(Deserialize)]
struct InsightsField<'a> {
    #[serde(default, borrow, deserialize_with = "crate::model::text")]
    field: Option<Text<'a>>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

/// The log text of one element of an event list; an error names the event by its id.
fn log_text<'a>(event: &'a RawValue, form: EventForm) -> Piece<'a> {
    let message = match form {
        EventForm::Object => {
            let Ok(event) = serde_json::from_str::<LogEvent>(event.get()) else {
                let why = format!("it is {}, not a log event object", json_kind(event));
                return Err(Unreadable::new(why));
            };
            return match event.message.map(text) {
                None => Ok(Text::Borrowed("")),
                Some(Ok(text)) => Ok(text),
                Some(Err(kind)) => Err(Unreadable {
                    id: event
                        .id
                        .and_then(|id| serde_json::from_str::<Text>(id.get()).ok())
                        .map(|id| escaped(&id, Escaping::Display)),
                    why: format!("its `message` is {kind}, not text"),
                }),
            };
        }
        EventForm::InsightsRow => {
            let Ok(row) = serde_json::from_str::<Vec<InsightsField>>(event.get()) else {
                let why = format!(
                    "it is {}, not a row of `{{\"field\",\"value\"}}` objects",
                    json_kind(event)
                );
                return Err(Unreadable::new(why));
            };
            row.into_iter()
                .find(|f| f.field.as_deref() == Some("@message"))
                .and_then(|f| f.value)
        }
    };
    match message.map(text) {
        None => Ok(Text::Borrowed("")),
        Some(Ok(text)) => Ok(text),
        Some(Err(kind)) => Err(Unreadable::new(format!(
            "its `@message` is {kind}, not text"
        ))),
    }
}

/// A JSON string's text (null is no text); otherwise what the value is.
fn text(value: &RawValue) -> Result<Text<'_>, &'static str> {
    match serde_json::from_str::<Option<Text>>(value.get()) {
        Ok(text) => Ok(text.unwrap_or_default()),
        Err(_) => Err(json_kind(value)),
    }
}

/// What kind of JSON value `value` is, in words.
fn json_kind(value: &RawValue) -> &'static str {
    match value.get().as_bytes().first() {
        Some(b'{') => "a JSON object",
        Some(b'[') => "a JSON array",
        Some(b'"') => "a JSON string",
        Some(b't' | b'f') => "a JSON boolean",
        Some(b'n') => "JSON null",
        _ => "a JSON number",
    }
}

/// Each log event's message, read as log text. Lambda splits output longer than one log event
/// into consecutive events: a message whose JSON is unfinished is joined with the ones after it
/// until it is whole. When the pieces run out (or a broken event interrupts them) before the
/// value closes, each piece is read on its own instead, so that the unfinished value is
/// reported and the events after it are still read; every piece is scanned at most twice.
/// A broken event is reported and skipped: it costs only itself.
fn read_events(
    scope: &Scope<'_>,
    here: Position,
    pieces: &[Piece<'_>],
    label: &'static str,
    origin: &Origin,
    emit: &mut Emit,
) {
    let origin_of = |index: usize| origin.with_link(Link::element(label, index));
    let mut index = 0;
    while index < pieces.len() {
        let first = index;
        index += 1;
        let start = match &pieces[first] {
            Ok(text) => text,
            Err(Unreadable { id, why }) => {
                let message = match id {
                    Some(id) => format!("skipped log event {first} (id {id}): {why}"),
                    None => format!("skipped log event {first}: {why}"),
                };
                emit(Err(scope.inner_problem(
                    here,
                    &origin_of(first),
                    ProblemKind::WrongType,
                    message,
                )));
                continue;
            }
        };
        let mut unfinished = Unfinished::default();
        let mut joined = Cow::Borrowed(&**start);
        let mut open = unfinished.after(start.as_bytes());
        while open && joined.len() < MAX_JOINED {
            let Some(Ok(next)) = pieces.get(index) else {
                break;
            };
            joined.to_mut().push_str(next);
            open = unfinished.after(next.as_bytes());
            index += 1;
        }
        if open && index > first + 1 {
            for (number, piece) in pieces.iter().enumerate().take(index).skip(first) {
                let text = piece.as_deref().unwrap_or_default();
                decode_text(
                    scope,
                    here,
                    text.as_bytes(),
                    Mode::Log,
                    origin_of(number),
                    emit,
                );
            }
            continue;
        }
        decode_text(
            scope,
            here,
            joined.as_bytes(),
            Mode::Log,
            origin_of(first),
            emit,
        );
    }
}
