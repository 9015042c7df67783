//! Turns one framed JSON item into the SES messages it holds. Each object is first classified
//! (`classify`: an SES event, a list, an envelope, a log record, or foreign), then acted on: an
//! event becomes a [`Message`], a list or an envelope (`envelope`) is opened and what it holds
//! decoded the same way, to any depth, a log record (`log`) yields the text it logged; when no
//! known shape found an event, the values under every key are searched (`search`), and anything
//! else is a problem that says what it looks like (`foreign`). Text that is not JSON may still
//! be a Python repr or JSON quoted for CSV (`recover`).
//!
//! A receipt event written as SES writes it is read without serde (`direct`). An event whose
//! `mail.headers` can be set aside (`set_aside_headers`) is otherwise parsed without them, and
//! they are put back; an item the framer did not check (a trusted line) is confirmed by the
//! parse that decodes it, or handed back as [`Unconfirmed`].

mod classify;
pub mod direct;
mod envelope;
mod foreign;
mod log;
mod recover;
mod search;

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use serde::de::IgnoredAny;

use crate::input::frame::{Container, Framed, Framer, Item, Mode, Place, looks_like_event};
use crate::model::{Event, Mail, Message, Receipt, SET_ASIDE, set_aside_headers};
use crate::origin::{Link, Origin, Position};
use crate::problem::{Problem, ProblemKind};
use classify::{Kind, Probe, classify};

/// Where each message or problem found goes: messages may borrow from text unwrapped on the
/// way, so they are handed over, never kept.
pub type Emit<'f> = dyn FnMut(Result<Message<'_>, Problem>) + 'f;

/// The item being decoded and how to name places in it.
#[derive(Clone, Copy)]
struct Scope<'a> {
    input: &'a Arc<str>,
    /// The whole item, for turning offsets into positions.
    text: &'a str,
    at: Position,
    /// The last offset in `text` turned into a position, and that position: the next one is
    /// counted from there, so that placing every element of a long one-line document stays
    /// linear.
    last_place: &'a Cell<(usize, Position)>,
    /// Inside an envelope, every problem is placed at the envelope.
    inside_envelope: bool,
    /// Inside a log, what is not an SES message is skipped rather than reported.
    lenient: bool,
    /// How many values deep the search for events in unknown wrappers (`search`) has gone.
    searched: u8,
    /// The most a gzip payload may inflate to (`--max-inflate`).
    max_inflate: u64,
}

/// An unchecked item (see [`Framer::trusting_lines`]) that is not one JSON value: nothing was
/// decoded from it, and its line must be framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unconfirmed;

/// Decodes one framed item of a batch, handing each message (or problem) to `emit` in order.
/// Items from log text are read leniently; gzip payloads inflate to at most `max_inflate` bytes.
/// An unchecked item is first confirmed to be one JSON value, by the parse that decodes it.
pub fn decode_item(
    bytes: &[u8],
    item: &Item,
    input: &Arc<str>,
    from_log: bool,
    max_inflate: u64,
    emit: &mut Emit,
) -> Result<(), Unconfirmed> {
    let chain = match item.place {
        Place::Element {
            container,
            index,
            of_many: true,
        } => vec![Link::element(
            match container {
                Container::Array => "",
                Container::Records => "Records",
            },
            index,
        )],
        _ => Vec::new(),
    };
    let origin = Origin::at(input, item.document, chain);
    // simdutf8 checks ASCII many bytes at a time: events are nearly all ASCII.
    let text = match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) if item.unchecked => return Err(Unconfirmed),
        Err(e) => {
            let at = offset_position(bytes, item.at, e.valid_up_to());
            let problem = Problem::new(ProblemKind::Encoding, origin.moved_to(at), "invalid UTF-8");
            emit(Err(problem));
            return Ok(());
        }
    };
    let last_place = Cell::new((0, item.at));
    let scope = Scope {
        input,
        text,
        at: item.at,
        last_place: &last_place,
        inside_envelope: false,
        lenient: from_log,
        searched: 0,
        max_inflate,
    };
    let Err(origin) = decode_event_without_headers(text, origin, emit) else {
        // The parse confirmed an unchecked item too: it is one JSON value.
        return Ok(());
    };
    if item.unchecked {
        // It starts with `{`: the parse either confirms it, or says where it is not JSON.
        let probed = serde_json::from_str(text);
        if probed.is_err() && serde_json::from_str::<IgnoredAny>(text).is_err() {
            return Err(Unconfirmed);
        }
        decode_object(&scope, text, probed, origin, emit);
    } else {
        decode_value(&scope, text, origin, emit);
    }
    Ok(())
}

thread_local! {
    /// The text of the last event decoded without its headers, kept for its buffer.
    static WITHOUT_HEADERS: Cell<String> = const { Cell::new(String::new()) };
}

/// Decodes `json` when it is an event whose `mail.headers` can be set aside (see
/// `set_aside_headers`): serde parses a copy with a stand-in for them, which is most of an
/// event's bytes, and they are put back into the `mail` it reads. Otherwise nothing was emitted,
/// and the origin is given back for the whole parse: text that does not parse without the headers
/// is decoded the usual way, which says what is wrong, and so is anything but an event.
fn decode_event_without_headers(json: &str, origin: Origin, emit: &mut Emit) -> Result<(), Origin> {
    let list = set_aside_headers(json);
    if let Some((mail, receipt)) = direct::receipt_event(json, list.clone()) {
        let event = Event::Received(receipt);
        emit(Ok(Message::read_whole(origin, mail, event, json)));
        return Ok(());
    }
    let Some(list) = list else {
        return Err(origin);
    };
    let mut copy = WITHOUT_HEADERS.take();
    copy.clear();
    copy.push_str(&json[..list.start]);
    copy.push_str(SET_ASIDE);
    copy.push_str(&json[list.end..]);
    let stand_in = &copy[list.start..list.start + SET_ASIDE.len()];
    let headers = &json[list];
    let message = match serde_json::from_str(&copy).map(classify) {
        Ok(Kind::Receipt { mail, receipt }) => mail
            .with_headers_put_back(stand_in, headers)
            .map(|mail| (mail, Event::Received(receipt))),
        Ok(Kind::Sending { mail, sending }) => mail
            .with_headers_put_back(stand_in, headers)
            .map(|mail| (mail, Event::Sending(sending))),
        _ => None,
    };
    let result = match message {
        Some((mail, event)) => {
            emit(Ok(Message::read_whole(origin, mail, event, json)));
            Ok(())
        }
        None => Err(origin),
    };
    WITHOUT_HEADERS.set(copy);
    result
}

/// The mail and receipt serde reads from `json` when it is one receipt event: what
/// [`direct::receipt_event`] must read too (its test and the `direct` fuzz target compare them).
pub fn receipt_event_by_serde(json: &str) -> Option<(Box<Mail<'_>>, Box<Receipt<'_>>)> {
    match serde_json::from_str(json).map(classify) {
        Ok(Kind::Receipt { mail, receipt }) => Some((mail, receipt)),
        _ => None,
    }
}

/// Decodes one JSON value: classify, then act.
fn decode_value(scope: &Scope<'_>, json: &str, origin: Origin, emit: &mut Emit) {
    if !json.trim_start().starts_with('{') {
        if !scope.lenient {
            emit(Err(scope.not_ses(json, &origin)));
        }
        return;
    }
    decode_object(scope, json, serde_json::from_str(json), origin, emit);
}

/// Decodes an object, given the result of parsing it as a `Probe`.
fn decode_object<'a>(
    scope: &Scope<'a>,
    json: &'a str,
    probed: serde_json::Result<Probe<'a>>,
    origin: Origin,
    emit: &mut Emit,
) {
    let probe = match probed {
        Ok(probe) => probe,
        Err(e) => return recover::unparsable(scope, json, origin, &e, emit),
    };
    match classify(probe) {
        Kind::Receipt { mail, receipt } => {
            let event = Event::Received(receipt);
            emit(Ok(Message::read_whole(origin, mail, event, json)));
        }
        Kind::Sending { mail, sending } => {
            let event = Event::Sending(sending);
            emit(Ok(Message::read_whole(origin, mail, event, json)));
        }
        Kind::List { label, items } => {
            let many = items.len() > 1;
            for (index, item) in items.iter().enumerate() {
                let origin = if many {
                    origin.with_link(Link::element(label, index))
                } else {
                    origin.clone()
                };
                decode_value(scope, item.get(), origin, emit);
            }
        }
        Kind::Envelope(envelope) => envelope::open(scope, envelope, json, origin, emit),
        Kind::Log(record) => {
            let mut found = false;
            log::read(scope, record, json, &origin, &mut |result| {
                found |= result.is_ok();
                emit(result);
            });
            // A log record whose text holds no event may hold one under another key.
            if !found {
                let log = Scope {
                    lenient: true,
                    ..*scope
                };
                search::object(&log, json, &origin, emit);
            }
        }
        Kind::Foreign => {
            if search::object(scope, json, &origin, emit) {
                return;
            }
            let (kind, description) = foreign::describe(json);
            // In a log, what is foreign is quiet; an SES event missing a part never is.
            if !scope.lenient || kind == ProblemKind::IncompleteSes {
                let at = scope.origin_at(scope.position_of(json), &origin);
                emit(Err(Problem::new(
                    kind,
                    at,
                    format!("not an SES event: {description}"),
                )));
            }
        }
    }
}

/// Decodes text carried inside an envelope or a log record: any number of documents, framed
/// like a file. Problems inside are placed at the envelope, with the chain that leads into it.
fn decode_text(
    scope: &Scope<'_>,
    envelope: Position,
    bytes: &[u8],
    mode: Mode,
    origin: Origin,
    emit: &mut Emit,
) {
    if mode == Mode::Log && memchr::memchr(b'{', bytes).is_none() {
        // Log text without a `{` holds no JSON: nothing to frame.
        return;
    }
    let mut spare = SPARE_BUFFERS.take();
    let text_bytes = bytes;
    // A bracket too many after an event is reported here, with the envelope's origin.
    let mut framer = Framer::with_mode(bytes, mode).leaving_stray_closers();
    let mut documents = Vec::new();
    let framed = loop {
        match framer.next_batch(&mut spare) {
            Ok(Some(batch)) => documents.push(batch),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    framer.recycle(&mut spare);
    SPARE_BUFFERS.set(spare);
    if let Err(e) = framed {
        let problem = scope.inner_problem(envelope, &origin, ProblemKind::Io, e.to_string());
        return emit(Err(problem));
    }
    let items: usize = documents.iter().map(|b| b.framed.len()).sum();
    let mut number = 0;
    for (batch_number, batch) in documents.iter().enumerate() {
        for framed in &batch.framed {
            let origin = if items > 1 {
                origin.with_link(Link::element("", number))
            } else {
                origin.clone()
            };
            number += 1;
            match framed {
                Framed::Error(error) => emit(Err(scope.inner_problem(
                    envelope,
                    &origin,
                    error.kind,
                    error.message.clone(),
                ))),
                Framed::Item(item) => {
                    let bytes = &batch.bytes[item.range.clone()];
                    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
                        emit(Err(scope.inner_problem(
                            envelope,
                            &origin,
                            ProblemKind::Encoding,
                            "invalid UTF-8".to_string(),
                        )));
                        continue;
                    };
                    let inner = Scope {
                        text,
                        at: envelope,
                        inside_envelope: true,
                        lenient: scope.lenient || batch.from_log,
                        ..*scope
                    };
                    let origin = match item.place {
                        Place::Element {
                            index,
                            of_many: true,
                            ..
                        } => origin.with_link(Link::element("Records", index)),
                        _ => origin,
                    };
                    // The first batch starts at the text's start: its offsets are the text's.
                    let stray = (batch.from_log && batch_number == 0)
                        .then(|| stray_closer_after(text_bytes, item))
                        .flatten();
                    decode_value(&inner, text, origin.clone(), emit);
                    if let Some(closer) = stray {
                        let message = format!(
                            "unexpected `{}` after the JSON value: the event's JSON is broken",
                            char::from(closer)
                        );
                        emit(Err(scope.inner_problem(
                            envelope,
                            &origin,
                            ProblemKind::Syntax,
                            message,
                        )));
                    }
                }
            }
        }
    }
    SPARE_BUFFERS.with_borrow_mut(|spare| {
        let reusable = documents
            .into_iter()
            .map(|batch| batch.bytes)
            .filter(|bytes| !bytes.is_empty() && bytes.len() <= MAX_SPARE_SIZE);
        spare.extend(reusable);
        spare.retain(|bytes| bytes.len() <= MAX_SPARE_SIZE);
        spare.truncate(MAX_SPARE_BUFFERS);
    });
}

thread_local! {
    /// Framing buffers (2 MiB each) kept between the texts one thread frames inside envelopes
    /// and log events: allocating and zeroing one per log event made a log of many small
    /// events take seconds.
    static SPARE_BUFFERS: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// How many framing buffers a thread keeps, and how large one may be to be kept: memory held
/// between texts stays a few MiB per thread, whatever the longest text was.
const MAX_SPARE_BUFFERS: usize = 4;
const MAX_SPARE_SIZE: usize = 4 << 20;

/// In log text, the `}` or `]` that follows, on its line, the document holding `item` when
/// that document looks like an SES event: a bracket too many, so the event's JSON is broken.
/// The framer hands out a `{"Records":[…]}` document's records one by one: its end is found
/// (once, at its first record) by parsing it.
fn stray_closer_after(bytes: &[u8], item: &Item) -> Option<u8> {
    let end = match item.place {
        Place::Document => item.range.end,
        Place::Element {
            container: Container::Records,
            index: 0,
            ..
        } => {
            let start = memchr::memrchr(b'{', &bytes[..item.range.start])?;
            let mut documents = serde_json::Deserializer::from_slice(&bytes[start..])
                .into_iter::<serde::de::IgnoredAny>();
            documents.next()?.ok()?;
            start + documents.byte_offset()
        }
        Place::Element { .. } => return None,
    };
    stray_closer(&bytes[end..]).filter(|_| looks_like_event(&bytes[item.range.clone()]))
}

/// The `}` or `]` that follows a value on its line, if any.
fn stray_closer(after: &[u8]) -> Option<u8> {
    after
        .iter()
        .take_while(|&&byte| byte != b'\n')
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\r'))
        .copied()
        .filter(|byte| matches!(byte, b'}' | b']'))
}

impl Scope<'_> {
    fn position_of(&self, json: &str) -> Position {
        if self.inside_envelope {
            return self.at;
        }
        let offset = (json.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let (from, start) = match self.last_place.get() {
            (from, start) if from <= offset => (from, start),
            _ => (0, self.at),
        };
        let bytes = self.text.as_bytes().get(from..).unwrap_or_default();
        let at = offset_position(bytes, start, offset - from);
        self.last_place.set((offset, at));
        at
    }

    /// A problem inside an envelope, placed at the envelope.
    fn inner_problem(
        &self,
        envelope: Position,
        origin: &Origin,
        kind: ProblemKind,
        message: String,
    ) -> Problem {
        Problem::new(kind, self.origin_at(envelope, origin), message)
    }

    /// `origin`'s chain, in this scope's input, at `at`.
    fn origin_at(&self, at: Position, origin: &Origin) -> Origin {
        Origin::at(self.input, at, origin.chain.clone())
    }

    fn parse_problem(&self, json: &str, origin: &Origin, error: &serde_json::Error) -> Problem {
        let start = self.position_of(json);
        let at = if self.inside_envelope {
            start
        } else {
            relative_position(start, error.line() as u64, error.column() as u64)
        };
        let (kind, message) = match error.classify() {
            serde_json::error::Category::Data => (ProblemKind::WrongType, wrong_type(json)),
            _ => (ProblemKind::Syntax, strip_location(&error.to_string())),
        };
        Problem::new(kind, self.origin_at(at, origin), message)
    }

    fn not_ses(&self, json: &str, origin: &Origin) -> Problem {
        let (kind, description) = foreign::describe(json);
        Problem::new(
            kind,
            self.origin_at(self.position_of(json), origin),
            format!("not an SES event: {description}"),
        )
    }
}

/// A type mismatch again, this time with the path to the field that has the wrong type.
fn wrong_type(json: &str) -> String {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, Probe>(deserializer) {
        Err(e) => format!("{}: {}", e.path(), strip_location(&e.inner().to_string())),
        Ok(_) => "unreadable event".to_string(),
    }
}

/// serde_json appends ` at line L column C`; sesinspect prints its own position.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(end) => message[..end].to_string(),
        None => message.to_string(),
    }
}

/// The position `offset` bytes after `start` in `bytes`.
fn offset_position(bytes: &[u8], start: Position, offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    match memchr::memrchr(b'\n', before) {
        None => Position {
            line: start.line,
            column: start.column + offset as u64,
        },
        Some(last) => Position {
            line: start.line + memchr::memchr_iter(b'\n', before).count() as u64,
            column: (offset - last) as u64,
        },
    }
}

/// A position serde_json reports (1-based line and column within the text) made absolute.
fn relative_position(start: Position, line: u64, column: u64) -> Position {
    if line <= 1 {
        Position {
            line: start.line,
            column: start.column + column.saturating_sub(1),
        }
    } else {
        Position {
            line: start.line + line - 1,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// What `json` decodes to parsed whole; whether it decoded with its headers set aside, and
    /// to what.
    fn decoded_both_ways(json: &str) -> (Vec<String>, Result<(), Origin>, Vec<String>) {
        let input = Arc::from("t.json");
        let origin = Origin::at(&input, Position::START, Vec::new());
        let last_place = Cell::new((0, Position::START));
        let scope = Scope {
            input: &input,
            text: json,
            at: Position::START,
            last_place: &last_place,
            inside_envelope: false,
            lenient: false,
            searched: 0,
            max_inflate: crate::input::DEFAULT_MAX_INFLATE,
        };
        let mut whole = Vec::new();
        decode_value(&scope, json, origin.clone(), &mut |m| {
            whole.push(format!("{m:?}"))
        });
        let mut set_aside = Vec::new();
        let decoded =
            decode_event_without_headers(json, origin, &mut |m| set_aside.push(format!("{m:?}")));
        (whole, decoded, set_aside)
    }

    /// Events whose headers are set aside decode to the message the whole parse finds.
    #[test]
    fn events_decode_alike_with_their_headers_set_aside() {
        let lambda: serde_json::Value =
            serde_json::from_str(include_str!("../../examples/lambda-event.json")).expect("JSON");
        let receipt = lambda["Records"][0].to_string();
        let sending = include_str!("../../examples/sending-events.ndjson");
        let events: Vec<&str> = std::iter::once(receipt.as_str())
            .chain(sending.lines())
            .collect();
        for json in events {
            let (whole, decoded, set_aside) = decoded_both_ways(json);
            if !json.contains("\"headers\":[") {
                assert!(decoded.is_err() && set_aside.is_empty(), "{json}");
                continue;
            }
            assert!(decoded.is_ok(), "{json}");
            assert_eq!(set_aside, whole);
            assert!(whole[0].contains("HeaderList(\"[{"), "{}", whole[0]);
        }
    }

    /// The stand-in for the headers may be in an event's text already: the headers are put back
    /// only where the stand-in read is the one put in their place, and the event decodes as the
    /// whole parse decodes it, set aside or not.
    #[test]
    fn events_with_the_stand_in_in_their_text_decode_alike() {
        let list = r#"[{"name":"From","value":"a@x.example"}]"#;
        let receipt = r#""receipt":{"spfVerdict":{"status":"PASS"}}"#;
        let events = [
            // Elsewhere: set aside all the same.
            (
                format!(r#"{{"mail":{{"headers":{list},"source":{SET_ASIDE}}},{receipt}}}"#),
                true,
            ),
            (
                format!(r#"{{"x":{SET_ASIDE},"mail":{{"headers":{list}}},{receipt}}}"#),
                true,
            ),
            // The first `"headers":[` is not the mail's, whose headers are the stand-in's text.
            (
                format!(
                    r#"{{"x":{{"headers":{list}}},"mail":{{"headers":{SET_ASIDE}}},{receipt}}}"#
                ),
                false,
            ),
            (
                format!(r#"{{"x":{{"headers":{list}}},"mail":{{"headers":{list}}},{receipt}}}"#),
                false,
            ),
        ];
        for (json, put_back) in events {
            let (whole, decoded, set_aside) = decoded_both_ways(&json);
            assert_eq!(decoded.is_ok(), put_back, "{json}");
            if put_back {
                assert_eq!(set_aside, whole, "{json}");
                assert!(whole[0].contains("HeaderList(\"[{"), "{}", whole[0]);
            } else {
                assert!(set_aside.is_empty(), "{json}");
            }
        }
    }

    /// Each message as `origin|ses_id`, or the problem.
    fn decode(json: &str) -> Vec<Result<String, Problem>> {
        let item = Item {
            range: 0..json.len(),
            at: Position::START,
            document: Position::START,
            place: Place::Document,
            unchecked: false,
        };
        let mut out = Vec::new();
        decode_item(
            json.as_bytes(),
            &item,
            &Arc::from("t.json"),
            false,
            crate::input::DEFAULT_MAX_INFLATE,
            &mut |m| {
                out.push(m.map(|m| {
                    format!(
                        "{}|{}",
                        m.origin,
                        m.mail.message_id.as_deref().unwrap_or("")
                    )
                }))
            },
        )
        .expect("a framed item needs no confirming");
        out
    }

    /// The last problem decoding `json` reports.
    fn problem(json: &str) -> Problem {
        decode(json).pop().and_then(Result::err).expect("a problem")
    }

    fn ok(json: &str) -> Vec<String> {
        decode(json)
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| format!("error: {e}")))
            .collect()
    }

    const RECORD: &str =
        r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m1"},"receipt":{}}}"#;

    #[test]
    fn reads_each_direct_form() {
        let lambda = format!(r#"{{"Records":[{RECORD},{RECORD}]}}"#);
        let bare = r#"{"mail":{"messageId":"m1"},"receipt":{"spfVerdict":{"status":"FAIL"}}}"#;
        let sns = r#"{"notificationType":"Received","mail":{"messageId":"m2"},"receipt":{},"content":"MIME"}"#;
        assert_eq!(
            ok(&lambda),
            ["t.json:1 Records[0]|m1", "t.json:1 Records[1]|m1"]
        );
        assert_eq!(ok(RECORD), ["t.json:1|m1"]);
        assert_eq!(ok(bare), ["t.json:1|m1"]);
        assert_eq!(ok(sns), ["t.json:1|m2"]);
    }

    fn quoted(json: &str) -> String {
        serde_json::to_string(json).unwrap_or_default()
    }

    fn base64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn unwraps_sns_and_sqs_envelopes() {
        let lambda = format!(r#"{{"Records":[{RECORD}]}}"#);
        let sns_record = format!(
            r#"{{"EventSource":"aws:sns","Sns":{{"Type":"Notification","Message":{},"Subject":null}}}}"#,
            quoted(&lambda)
        );
        assert_eq!(
            ok(&format!(r#"{{"Records":[{sns_record}]}}"#)),
            ["t.json:1 Sns.Message|m1"]
        );
        let notification = r#"{"notificationType":"Received","mail":{"messageId":"m2"},"receipt":{},"content":"x"}"#;
        let sns_body = format!(
            r#"{{"Type":"Notification","MessageId":"1","Message":{},"SigningCertURL":"u"}}"#,
            quoted(notification)
        );
        assert_eq!(ok(&sns_body), ["t.json:1 Message|m2"]);
        let sqs = format!(
            r#"{{"Records":[{{"eventSource":"aws:sqs","body":{}}},{{"eventSource":"aws:sqs","body":{}}}]}}"#,
            quoted(&sns_body),
            quoted(notification)
        );
        assert_eq!(
            ok(&sqs),
            [
                "t.json:1 Records[0] → body → Message|m2",
                "t.json:1 Records[1] → body|m2"
            ]
        );
    }

    #[test]
    fn unwraps_eventbridge_kinesis_and_firehose() {
        let bridge =
            format!(r#"{{"version":"0","detail-type":"x","source":"aws.ses","detail":{RECORD}}}"#);
        assert_eq!(ok(&bridge), ["t.json:1 detail|m1"]);
        let two = format!("{RECORD}\n{RECORD}\n");
        let kinesis = format!(
            r#"{{"Records":[{{"kinesis":{{"data":"{}"}},"eventSource":"aws:kinesis"}}]}}"#,
            base64(two.as_bytes())
        );
        assert_eq!(
            ok(&kinesis),
            [
                "t.json:1 kinesis.data → [0]|m1",
                "t.json:1 kinesis.data → [1]|m1"
            ]
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, RECORD.as_bytes()).unwrap_or_default();
        let firehose = format!(
            r#"{{"invocationId":"i","records":[{{"recordId":"r1","data":"{}"}},{{"recordId":"r2","data":"{}"}}]}}"#,
            base64(RECORD.as_bytes()),
            base64(&gz.finish().unwrap_or_default())
        );
        assert_eq!(
            ok(&firehose),
            [
                "t.json:1 records[0] → data|m1",
                "t.json:1 records[1] → data|m1"
            ]
        );
    }

    #[test]
    fn problems_inside_envelopes_point_at_the_envelope() {
        let sns_body = r#"{"Type":"Notification","Message":"hello"}"#;
        let error = problem(sns_body);
        assert_eq!(
            error.to_string(),
            "t.json:1:1 Message: expected a JSON document (`{` or `[`), found `h`"
        );
        let kinesis = r#"{"kinesis":{"data":"%%%"}}"#;
        let error = problem(kinesis);
        assert_eq!(error.kind, ProblemKind::Encoding);
        assert!(
            error
                .to_string()
                .starts_with("t.json:1:1 kinesis.data: not base64"),
            "{error}"
        );
    }

    #[test]
    fn says_what_a_foreign_document_looks_like() {
        let s3 = r#"{"Records":[{"eventSource":"aws:s3","s3":{}}]}"#;
        let error = problem(s3);
        assert_eq!(error.kind, ProblemKind::NotSes);
        assert_eq!(
            error.message,
            "not an SES event: it is an S3 event record (eventSource aws:s3)"
        );
        assert_eq!(
            error.origin.at,
            Some(Position {
                line: 1,
                column: 13
            })
        );
        let cut_down = r#"{"notificationType":"Received","receipt":{"timestamp":"t"}}"#;
        assert_eq!(problem(cut_down).kind, ProblemKind::IncompleteSes);
        assert_eq!(
            problem(cut_down).message,
            "not an SES event: it is an SES receipt notification with `receipt` but no `mail`"
        );
        let no_mail = r#"{"eventType":"Bounce","bounce":{}}"#;
        assert_eq!(
            problem(no_mail).message,
            "not an SES event: it is an SES Bounce event without `mail`"
        );
        let hostile = r#"{"eventType":"[2JBounce"}"#;
        assert_eq!(
            problem(hostile).message,
            "not an SES event: it is an SES \\u{1b}[2JBounce event without `mail`"
        );
    }

    #[test]
    fn reads_sending_events_of_every_type_known_or_not() {
        let notification = r#"{"notificationType":"Bounce","mail":{"messageId":"b1"},"bounce":{}}"#;
        let published =
            r#"{"eventType":"Rendering Failure","mail":{"messageId":"f1"},"failure":{}}"#;
        let future = r#"{"eventType":"Teleport","mail":{"messageId":"t1"},"teleport":{"x":1}}"#;
        assert_eq!(ok(notification), ["t.json:1|b1"]);
        assert_eq!(ok(published), ["t.json:1|f1"]);
        assert_eq!(ok(future), ["t.json:1|t1"]);
    }

    #[test]
    fn reads_what_aws_sqs_receive_message_prints() {
        let send = r#"{"eventType":"Send","mail":{"messageId":"s1"},"send":{}}"#;
        let output = format!(
            r#"{{"Messages":[{{"MessageId":"q1","ReceiptHandle":"h1","MD5OfBody":"x","Body":{}}},{{"MessageId":"q2","ReceiptHandle":"h2","Body":{}}}]}}"#,
            quoted(send),
            quoted(send)
        );
        assert_eq!(
            ok(&output),
            [
                "t.json:1 Messages[0] → Body|s1",
                "t.json:1 Messages[1] → Body|s1"
            ]
        );
    }

    #[test]
    fn reads_an_sns_message_written_as_an_object() {
        let body = r#"{"Type":"Notification","Message":{"eventType":"Send","mail":{"messageId":"s1"},"send":{}}}"#;
        assert_eq!(ok(body), ["t.json:1 Message|s1"]);
        let record = r#"{"EventSource":"aws:sns","Sns":{"Message":{"eventType":"Send","mail":{"messageId":"s2"}}}}"#;
        assert_eq!(ok(record), ["t.json:1 Sns.Message|s2"]);
    }

    /// CPU time spent by this thread so far, in clock ticks (Linux).
    fn thread_cpu_ticks() -> u64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
        let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after_name.split(' ').collect();
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
        ticks(11).unwrap_or(0) + ticks(12).unwrap_or(0)
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn many_small_log_events_are_read_in_linear_time() {
        // Each log event was framed with a fresh 2 MiB buffer, zeroed: 40 000 events took three
        // seconds of CPU, whatever their size. Measured as this thread's CPU time, not as
        // wall-clock time, which depends on the machine's load, and against as many events whose
        // messages need no framing, so that the bound holds in a debug build and on a slow
        // machine: framing adds a tenth to two fifths; the fresh buffers more than doubled it.
        let mut events: Vec<serde_json::Value> = (0..40_000)
            .map(|n| serde_json::json!({ "message": format!("INFO\t{{\"n\":{n}}}\n") }))
            .collect();
        events[23_456] = serde_json::json!({ "message": RECORD });
        let input = serde_json::json!({ "events": events }).to_string();
        let plain: Vec<serde_json::Value> = (0..40_000)
            .map(|n| serde_json::json!({ "message": format!("INFO n={n}") }))
            .collect();
        let plain = serde_json::json!({ "events": plain }).to_string();
        let before = thread_cpu_ticks();
        assert_eq!(ok(&plain).len(), 0);
        let unframed = thread_cpu_ticks() - before;
        let before = thread_cpu_ticks();
        assert_eq!(ok(&input), ["t.json:1 events[23456]|m1"]);
        let as_events = thread_cpu_ticks() - before;
        assert!(
            as_events < 2 * unframed + 20,
            "{as_events} clock ticks of CPU framing log events, {unframed} without"
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn every_element_of_a_long_line_is_placed_in_linear_time() {
        // Each place was counted from the start of the item: 30 000 foreign elements on one
        // line, and the search through the values of a log's events, were quadratic. Four times
        // the elements must take about four times the CPU, not sixteen.
        let messages = |count: usize| {
            let elements = vec![r#"{"a":"b"}"#; count].join(",");
            format!(r#"{{"Messages":[{elements}]}}"#)
        };
        let (few, many) = (messages(7_500), messages(30_000));
        let before = thread_cpu_ticks();
        assert_eq!(decode(&few).len(), 7_500);
        let few_ticks = thread_cpu_ticks() - before;
        let before = thread_cpu_ticks();
        let results = decode(&many);
        let many_ticks = thread_cpu_ticks() - before;
        assert_eq!(results.len(), 30_000);
        let last = results
            .last()
            .and_then(|r| r.as_ref().err())
            .map(|p| p.to_string());
        assert_eq!(
            last.as_deref(),
            Some(
                "t.json:1:300004 Messages[29999]: not an SES event: it is a JSON object with keys a"
            )
        );
        assert!(
            many_ticks < 8 * few_ticks + 20,
            "{many_ticks} clock ticks of CPU for 30 000 elements, {few_ticks} for 7 500"
        );
    }

    #[test]
    fn keeps_a_message_with_a_field_of_the_wrong_type_and_names_the_field() {
        let bad = "{\"mail\":{\"messageId\":\"m1\"},\n\"receipt\":{\"recipients\":[1]}}";
        let mut results = decode(bad).into_iter();
        let warning = results.next().and_then(Result::err).expect("a warning");
        assert_eq!(warning.kind, ProblemKind::WrongType);
        assert_eq!(
            warning.message,
            "receipt.recipients[0]: expected a string, found a number; shown as unreadable"
        );
        assert_eq!(warning.origin.at.map(|p| p.line), Some(2));
        assert_eq!(
            results.next().and_then(Result::ok).as_deref(),
            Some("t.json:1|m1")
        );
    }
}
