//! Finds SES events in wrappers sesinspect was not taught (a logger's record holding the event
//! under any key, an API output carrying records as base64): when no known shape matches an
//! object, its values are searched — objects, arrays, JSON in strings, base64 (of gzip) in
//! strings — and each value that yields an SES message is decoded, its origin naming the path
//! where it was found. Only what decodes to a message counts: a value that yields none is
//! dropped with its problems, so a document without SES events stays foreign.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::envelope::unpack;
use super::{Emit, Scope, decode_text, decode_value};
use crate::input::frame::Mode;
use crate::origin::{Link, Origin, Position};
use crate::problem::Problem;
use crate::sanitize::{Escaping, escaped};

/// How many wrappers deep the search goes: each object, array or string searched is one level.
/// Every level reads its value once more, so the search stays linear in the document's size.
pub(super) const MAX_DEPTH: u8 = 8;

/// The shortest string tried as base64: shorter ones cannot hold an SES event.
const MIN_BASE64: usize = 64;

/// Searches the object `json` (which no known shape matched) for SES events, handing what it
/// finds to `emit`; true when it found a message.
pub(super) fn object(scope: &Scope<'_>, json: &str, origin: &Origin, emit: &mut Emit) -> bool {
    if scope.searched >= MAX_DEPTH {
        return false;
    }
    let Ok(Entries(entries)) = serde_json::from_str::<Entries>(json) else {
        return false;
    };
    let deeper = Scope {
        searched: scope.searched + 1,
        ..*scope
    };
    // Text inside strings is placed at the object holding it.
    let here = scope.position_of(json);
    let mut found = false;
    for (key, value) in entries {
        let label = escaped(&key, Escaping::Display);
        found |= self::value(&deeper, here, value, &label, origin, emit);
    }
    found
}

/// Searches one value found under `label` in the object at `here`.
fn value(
    scope: &Scope<'_>,
    here: Position,
    value: &RawValue,
    label: &str,
    origin: &Origin,
    emit: &mut Emit,
) -> bool {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'{') => {
            let origin = origin.with_link(Link::field(label.to_string()));
            gated(emit, |emit| decode_value(scope, text, origin, emit))
        }
        Some(b'[') => {
            let Ok(elements) = serde_json::from_str::<Vec<&RawValue>>(text) else {
                return false;
            };
            let mut found = false;
            for (index, element) in elements.into_iter().enumerate() {
                let origin = origin.with_link(Link::element(label.to_string(), index));
                let text = element.get();
                found |= match text.as_bytes().first() {
                    Some(b'{') => gated(emit, |emit| decode_value(scope, text, origin, emit)),
                    Some(b'"') => string(scope, here, text, origin, emit),
                    _ => false,
                };
            }
            found
        }
        Some(b'"') => {
            let origin = origin.with_link(Link::field(label.to_string()));
            string(scope, here, text, origin, emit)
        }
        _ => false,
    }
}

/// Searches a JSON string (`quoted`, still quoted) for the JSON documents it may carry, as
/// text or as base64 (of gzip, possibly).
fn string(
    scope: &Scope<'_>,
    here: Position,
    quoted: &str,
    origin: Origin,
    emit: &mut Emit,
) -> bool {
    let Ok(text) = serde_json::from_str::<String>(quoted) else {
        return false;
    };
    let trimmed = text.trim();
    if trimmed.starts_with(['{', '[']) {
        return gated(emit, |emit| {
            decode_text(scope, here, trimmed.as_bytes(), Mode::Json, origin, emit);
        });
    }
    if !looks_like_base64(trimmed) {
        return false;
    }
    let Ok(bytes) = unpack(trimmed, scope.max_inflate) else {
        return false;
    };
    if !bytes.trim_ascii_start().starts_with(b"{") && !bytes.trim_ascii_start().starts_with(b"[") {
        return false;
    }
    gated(emit, |emit| {
        decode_text(scope, here, &bytes, Mode::Json, origin, emit);
    })
}

/// Base64 long enough to hold an event, in the standard alphabet.
fn looks_like_base64(text: &str) -> bool {
    text.len() >= MIN_BASE64
        && text.len() % 4 == 0
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Runs `decode`, passing on what it finds only when it finds a message: its problems are held
/// until the first message, and dropped if none comes. True when a message came.
fn gated(emit: &mut Emit, decode: impl FnOnce(&mut Emit)) -> bool {
    let mut held: Vec<Problem> = Vec::new();
    let mut found = false;
    decode(&mut |result| match result {
        Ok(message) => {
            if !found {
                found = true;
                for problem in held.drain(..) {
                    emit(Err(problem));
                }
            }
            emit(Ok(message));
        }
        Err(problem) if found => emit(Err(problem)),
        Err(problem) => held.push(problem),
    });
    found
}

/// An object's entries in order, each value left as raw JSON.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<'de>(PhantomData<&'de ()>);

        impl<'de> Visitor<'de> for EntriesVisitor<'de> {
            type Value = Entries<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}
