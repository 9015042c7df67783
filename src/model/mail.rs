//! The `mail` object: envelope, headers, SES's parsed copy of the common headers, and for sent
//! mail the sending identity and the message tags.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::lenient::{Object, Text, TextList, flag, object, text};

/// `mail`, as in every SES event. Nothing here is required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail<'a> {
    /// When SES received the message, or when it accepted it for sending (ISO 8601, as sent).
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    /// The envelope sender (MAIL FROM).
    #[serde(default, borrow, deserialize_with = "text")]
    pub source: Option<Text<'a>>,
    /// The SES message id (the S3 object key with the S3 action); not the RFC Message-ID.
    #[serde(default, borrow, deserialize_with = "text")]
    pub message_id: Option<Text<'a>>,
    /// Addresses from To and Cc; for sent mail, every envelope recipient.
    #[serde(borrow)]
    pub destination: Option<TextList<'a>>,
    /// Sent mail: the ARN of the identity that sent it.
    #[serde(default, borrow, deserialize_with = "text")]
    pub source_arn: Option<Text<'a>>,
    /// Sent mail: the IP address the sending request came from (notifications only).
    #[serde(default, borrow, deserialize_with = "text")]
    pub source_ip: Option<Text<'a>>,
    /// Sent mail: the AWS account that sent it.
    #[serde(default, borrow, deserialize_with = "text")]
    pub sending_account_id: Option<Text<'a>>,
    /// Sent mail: the IAM identity that sent it (notifications only).
    #[serde(default, borrow, deserialize_with = "text")]
    pub caller_identity: Option<Text<'a>>,
    /// Sent mail through a configuration set: the message tags.
    #[serde(borrow)]
    pub tags: Option<Tags<'a>>,
    /// True when the headers were over 10 KB and `headers` is incomplete. Documented as a
    /// string for sent mail, sent as a boolean: both are read.
    #[serde(default, deserialize_with = "flag")]
    pub headers_truncated: Option<bool>,
    /// Kept unparsed until a command asks for the headers (see [`Mail::headers`]), once checked
    /// to be headers (see [`are_headers`]).
    #[serde(default, borrow, deserialize_with = "headers")]
    pub headers: Option<HeaderList<'a>>,
    #[serde(default, borrow, deserialize_with = "object")]
    pub common_headers: Option<CommonHeaders<'a>>,
}

/// The JSON text of `mail.headers`, known to be a list of headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderList<'a>(&'a str);

impl<'a> HeaderList<'a> {
    /// The headers at `list`, which a strict scan found to be a list of headers (see
    /// [`set_aside_headers`]).
    pub fn checked(list: &'a str) -> Self {
        HeaderList(list)
    }

    pub fn get(&self) -> &'a str {
        self.0
    }
}

/// `mail.headers`, kept as JSON text once it is known to read as headers: one of the wrong shape
/// is a field of the wrong type here, where the event is read, not a surprise in a later command.
/// [`SET_ASIDE`] stands for headers set aside before the event was parsed.
fn headers<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<HeaderList<'de>>, D::Error> {
    match Option::<&RawValue>::deserialize(deserializer)? {
        Some(raw) if raw.get() != SET_ASIDE && !are_headers(raw.get().as_bytes()) => Err(
            de::Error::custom("expected a list of {\"name\", \"value\"} strings"),
        ),
        raw => Ok(raw.map(|raw| HeaderList(raw.get()))),
    }
}

/// What stands in an event's text for its `mail.headers` set aside (see [`set_aside_headers`]).
pub const SET_ASIDE: &str = "\"\\u0000sesinspect: headers set aside\"";

/// Where the value of an event's `mail.headers` is in `json` (a whole JSON item, as text), when
/// it can be set aside before the event is parsed — serde then reads the rest, and never walks
/// the headers, most of an event's bytes; [`Mail::with_headers_put_back`] puts them back. That is when
/// the first `"headers":[` starts a list that a strict scan finds to be valid JSON made only of
/// `{"name": "…", "value": "…"}` objects. The text with [`SET_ASIDE`] in their place is valid
/// JSON exactly when the text is. The text may hold [`SET_ASIDE`] elsewhere too: the headers
/// are put back only where the stand-in read is the one put in their place.
pub fn set_aside_headers(json: &str) -> Option<Range<usize>> {
    // A searcher made once: making one costs as much as a search through an event.
    static KEY: LazyLock<Finder> = LazyLock::new(|| Finder::new(b"\"headers\":["));
    let bytes = json.as_bytes();
    let start = KEY.find(bytes)? + KEY.needle().len() - 1;
    let mut scan = Scan {
        json: bytes,
        at: start,
        strict: true,
    };
    scan.headers(|_, _| ())?;
    // The scan stops at the list's `]`.
    let list = start..scan.at + 1;
    let no_controls = !bytes[list.clone()]
        .iter()
        .fold(false, |any, &b| any | (b < 0x20));
    no_controls.then_some(list)
}

/// True when `json`, which is valid JSON, is a list of objects that each have one `name` and
/// one `value`, both strings. A scan of the bytes, not a parse: it runs on every event, and
/// serde would cost as much again as reading the rest of the event (the headers are most of it).
/// A key spelled with escapes (`"n\u0061me"`) is not taken for `name`: such headers are
/// unreadable, never misread.
fn are_headers(json: &[u8]) -> bool {
    Scan {
        json,
        at: 0,
        strict: false,
    }
    .headers(|_, _| ())
    .is_some()
}

/// A position in JSON text known to be valid; or, when `strict`, text that is checked as it is
/// read, and is then valid if the scan succeeds (but for control characters, which the caller
/// looks for), with only `name` and `value` keys.
struct Scan<'j> {
    json: &'j [u8],
    at: usize,
    strict: bool,
}

impl<'j> Scan<'j> {
    /// A list of headers, calling `each` with where each one's name and value are (the text
    /// inside their quotes) as it goes.
    fn headers(&mut self, mut each: impl FnMut(Body, Body)) -> Option<()> {
        self.expect(b'[')?;
        if self.next()? == b']' {
            return Some(());
        }
        loop {
            let (name, value) = self.header()?;
            each(name, value);
            match self.next()? {
                b',' => self.at += 1,
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// One `{"name": "…", "value": "…", …}`: where its name and value are.
    fn header(&mut self) -> Option<(Body, Body)> {
        let start = self.at;
        if let Some(compact) = self.compact_header() {
            return Some(compact);
        }
        self.at = start;
        self.expect(b'{')?;
        let (mut name, mut value) = (None, None);
        if self.next()? != b'}' {
            loop {
                let key = self.key()?;
                self.expect(b':')?;
                let seen = match key {
                    b"name" => Some(&mut name),
                    b"value" => Some(&mut value),
                    _ => None,
                };
                match seen {
                    Some(Some(_)) => return None,
                    Some(seen) => *seen = Some(self.string()?),
                    None => self.skip_value()?,
                }
                match self.next()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        name.zip(value)
    }

    /// A header written as SES writes them, `{"name":"…","value":"…"}`, read without a look for
    /// white space or other keys between its parts.
    fn compact_header(&mut self) -> Option<(Body, Body)> {
        self.literal(b"{\"name\":\"")?;
        let name = self.string_body()?;
        self.literal(b",\"value\":\"")?;
        let value = self.string_body()?;
        self.literal(b"}")?;
        Some((name, value))
    }

    /// Takes `text`, which must come next.
    fn literal(&mut self, text: &[u8]) -> Option<()> {
        self.json[self.at..]
            .starts_with(text)
            .then(|| self.at += text.len())
    }

    /// The next byte that is not whitespace, not taken.
    fn next(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.json.get(self.at) {
            self.at += 1;
        }
        self.json.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then(|| self.at += 1)
    }

    /// A key, which must come next: `"name"` and `"value"` without a search for their end.
    fn key(&mut self) -> Option<&'j [u8]> {
        self.next()?;
        for key in [&b"\"name\""[..], b"\"value\""] {
            if self.json[self.at..].starts_with(key) {
                self.at += key.len();
                return Some(&key[1..key.len() - 1]);
            }
        }
        if self.strict {
            return None;
        }
        let body = self.string()?;
        Some(&self.json[body.at])
    }

    /// A string, which must come next: where its body (as written) is. Inlined: returned from a
    /// call, the body went through the stack and was read back before it was written (a stall
    /// that cost a fifth of the headers scan).
    #[inline(always)]
    fn string(&mut self) -> Option<Body> {
        self.expect(b'"')?;
        self.string_body()
    }

    /// The rest of a string whose opening quote was just taken.
    #[inline(always)]
    fn string_body(&mut self) -> Option<Body> {
        let start = self.at;
        let mut escaped = false;
        loop {
            // The stop is a quote or an escape. A control character inside a string (a line
            // end among them) is not one: valid JSON has none, and a strict scan's caller looks.
            let found = self.at + memchr::memchr2(b'"', b'\\', self.json.get(self.at..)?)?;
            if self.json[found] == b'"' {
                self.at = found + 1;
                return Some(Body {
                    at: start..found,
                    escaped,
                });
            }
            escaped = true;
            self.at = found + 2;
            if self.strict {
                self.at += self.escape_length(found)?;
            }
        }
    }

    /// Checks the escape whose backslash is at `found` (`\n`, `\u00e9`…): how many bytes it
    /// takes after its first two.
    fn escape_length(&self, found: usize) -> Option<usize> {
        match self.json.get(found + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(0),
            b'u' => {
                let digits = self.json.get(found + 2..found + 6)?;
                digits.iter().all(u8::is_ascii_hexdigit).then_some(4)
            }
            _ => None,
        }
    }

    /// Any one value: the text is valid JSON, so only strings and nesting need care.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                b',' | b'}' | b']' if depth == 0 => return Some(()),
                _ => self.at += 1,
            }
        }
    }
}

/// One header as received: SES unfolds values but does not decode encoded-words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(borrow)]
    pub value: Text<'a>,
}

impl<'a> Mail<'a> {
    /// This mail with the headers set aside before the event was parsed put back (see
    /// [`set_aside_headers`]), `list` being their text and `stand_in` the [`SET_ASIDE`] put in
    /// their place in the text parsed; `None` when this mail's headers are not that stand-in
    /// (the same text elsewhere, or none).
    pub fn with_headers_put_back(
        mut self: Box<Self>,
        stand_in: &str,
        list: &'a str,
    ) -> Option<Box<Mail<'a>>> {
        let headers = self
            .headers
            .as_mut()
            .filter(|h| std::ptr::eq(h.0, stand_in))?;
        *headers = HeaderList(list);
        Some(self)
    }

    /// The headers in message order; empty when the event has none. Read by the scan that
    /// checked them, which finds each string's text (serde's parse would cost as much again);
    /// serde reads whatever the scan does not take, and says what is wrong with it.
    pub fn headers(&self) -> Result<Vec<Header<'a>>, serde_json::Error> {
        let Some(raw) = self.headers else {
            return Ok(Vec::new());
        };
        let json = raw.get();
        let mut headers = Vec::new();
        let mut unreadable = false;
        let scanned = Scan {
            json: json.as_bytes(),
            at: 0,
            strict: false,
        }
        .headers(
            |name, value| match (text_at(json, name), text_at(json, value)) {
                (Some(name), Some(value)) => headers.push(Header { name, value }),
                _ => unreadable = true,
            },
        );
        match (scanned, unreadable) {
            (Some(()), false) => Ok(headers),
            _ => serde_json::from_str::<Vec<Object<Header>>>(json)
                .map(|headers| headers.into_iter().map(|header| header.0).collect()),
        }
    }
}

/// Where a string's text is in the JSON, and whether it holds escapes.
struct Body {
    at: Range<usize>,
    escaped: bool,
}

/// The string at `body` in `json` (valid JSON text): borrowed when it holds no escape, else
/// unescaped by serde (`None` when that fails, for a lone surrogate).
fn text_at(json: &str, body: Body) -> Option<Text<'_>> {
    let Body { at, escaped } = body;
    if !escaped {
        return Some(Cow::Borrowed(&json[at]));
    }
    serde_json::from_str(&json[at.start - 1..at.end + 1])
        .ok()
        .map(Cow::Owned)
}

/// `commonHeaders`: SES's re-serialised copy of the usual headers; each key only when present.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommonHeaders<'a> {
    #[serde(borrow)]
    pub from: Option<TextList<'a>>,
    #[serde(borrow)]
    pub to: Option<TextList<'a>>,
    #[serde(borrow)]
    pub cc: Option<TextList<'a>>,
    /// `replyTo` in real events; `reply-to` in old documentation.
    #[serde(borrow, alias = "reply-to")]
    pub reply_to: Option<TextList<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub return_path: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub date: Option<Text<'a>>,
    /// The RFC 5322 Message-ID; sometimes missing.
    #[serde(default, borrow, deserialize_with = "text")]
    pub message_id: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub subject: Option<Text<'a>>,
}

/// `mail.tags`: each tag's name (`ses:configuration-set`, `campaign`…) with its values, in the
/// order of the event. A lone string is read as one value, `null` as none.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tags<'a>(pub Vec<(Text<'a>, TextList<'a>)>);

impl<'a> Tags<'a> {
    /// The values of the tag called `name` (exactly, as tag names are case-sensitive).
    pub fn get(&self, name: &str) -> Option<&TextList<'a>> {
        self.0
            .iter()
            .find(|(tag, _)| tag == name)
            .map(|(_, values)| values)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Tags<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TagsVisitor<'a> {
            type Value = Tags<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of tag names to lists of values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut tags = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((TagName(name), values)) =
                    map.next_entry::<TagName, Option<TextList>>()?
                {
                    tags.push((name, values.unwrap_or_default()));
                }
                Ok(Tags(tags))
            }
        }
        deserializer.deserialize_map(TagsVisitor(std::marker::PhantomData))
    }
}

/// A tag's name, borrowed from the input when it has no escapes. Read as a plain string (not a
/// newtype, as a derived wrapper would) so that a problem in the tag's values names the tag.
struct TagName<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for TagName<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for NameVisitor<'a> {
            type Value = TagName<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(TagName(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TagName(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(NameVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{Header, Mail, Object, are_headers, set_aside_headers};

    /// The scan agrees with serde on lists of objects with any of these keys and values.
    #[test]
    fn agrees_with_a_parse() {
        let keys = ["\"name\"", "\"value\"", "\"x\""];
        let values = [
            "\"s\"",
            "\"a\\\"b\"",
            "1",
            "null",
            "[\"a\"]",
            "{\"n\":\"]\"}",
            "true",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..5_000 {
            let headers: Vec<String> = (0..random(4))
                .map(|_| {
                    let fields: Vec<String> = (0..random(4))
                        .map(|_| format!("{} : {}", keys[random(3)], values[random(values.len())]))
                        .collect();
                    format!("{{{}}}", fields.join(", "))
                })
                .collect();
            let json = format!("[{}]", headers.join(","));
            let parsed = serde_json::from_str::<Vec<Object<Header>>>(&json).is_ok();
            assert_eq!(are_headers(json.as_bytes()), parsed, "{json}");
        }
    }

    /// Headers are set aside only when they are valid JSON and headers (as serde and the scan
    /// that checks them when they are parsed with the event say), and always when they are made
    /// of strings under `name` and `value` alone, without control characters.
    #[test]
    fn sets_aside_what_is_valid_headers() {
        let pieces = [
            r#""s""#,
            r#""a\"b\\c\/""#,
            r#""\u00e9\ud800""#,
            r#""é""#,
            r#""\u12g4""#,
            r#""\q""#,
            "\"tab\there\"",
            r#""\"#,
            "1",
            "{",
        ];
        let valid = 4;
        let seed = std::cell::Cell::new(0x9e37_79b9_7f4a_7c15_u64);
        let random = |below: usize| {
            let mut next = seed.get();
            next ^= next << 13;
            next ^= next >> 7;
            next ^= next << 17;
            seed.set(next);
            (next % below as u64) as usize
        };
        // Mostly pieces that are valid strings.
        let piece = |clean: &mut bool| {
            let at = match random(3) {
                0 => random(pieces.len()),
                _ => random(valid),
            };
            *clean &= at < valid;
            pieces[at]
        };
        let (mut set_aside, mut kept) = (0, 0);
        for _ in 0..20_000 {
            // Strings that are valid, in objects of `name` and `value` alone.
            let (mut clean, mut plain) = (true, true);
            let headers: Vec<String> = (0..random(4))
                .map(|_| {
                    let (name, value) = (piece(&mut clean), piece(&mut clean));
                    let shape = random(12);
                    plain &= shape > 4;
                    match shape {
                        0 => format!(r#"{{"name":{name},"value":{value},"x":1}}"#),
                        1 => format!(r#"{{"name":{name}}}"#),
                        2 => format!(r#"{{"name" {name},"value":{value}}}"#),
                        3 => format!(r#"{{"value":{value},"name":{name},}}"#),
                        4 => format!(r#"{{"name":{name},"name":{value}}}"#),
                        _ => format!(r#"{{"value":{value}, "name" : {name}}}"#),
                    }
                })
                .collect();
            let list = format!("[{}]", headers.join(","));
            let event = format!(r#"{{"mail":{{"headers":{list},"source":"a"}}}}"#);
            let valid_json = serde_json::from_str::<serde::de::IgnoredAny>(&list).is_ok();
            match set_aside_headers(&event) {
                Some(at) => {
                    assert_eq!(&event[at], list);
                    assert!(valid_json && are_headers(list.as_bytes()), "{list}");
                    set_aside += 1;
                }
                None => {
                    assert!(!(clean && plain), "{list}");
                    kept += 1;
                }
            }
        }
        assert!(
            set_aside > 1_000 && kept > 1_000,
            "{set_aside} set aside, {kept} kept"
        );
    }

    /// Headers read by the scan are the headers serde reads; where serde cannot read them (a
    /// lone surrogate), the error is serde's.
    #[test]
    fn reads_headers_as_serde_does() {
        let lists = [
            r#"[]"#,
            r#"[{"name":"From","value":"Ana <a@x.example>"}]"#,
            r#" [ { "value" : "a\"b\\c\u00e9\n" , "name" : "X\/Y" , "extra" : {"n":[1,"]"]} } , {"name":"Y","value":""} ] "#,
            r#"[{"name":"A","value":"\ud83d\ude00"},{"name":"B","value":"\ud800"}]"#,
        ];
        for list in lists {
            let event = format!(r#"{{"headers":{list}}}"#);
            let mail: Mail = serde_json::from_str(&event).expect("headers");
            let parsed = serde_json::from_str::<Vec<Object<Header>>>(list)
                .map(|headers| headers.into_iter().map(|h| h.0).collect::<Vec<_>>());
            match (mail.headers(), parsed) {
                (Ok(read), Ok(parsed)) => assert_eq!(read, parsed, "{list}"),
                (Err(read), Err(parsed)) => assert_eq!(read.to_string(), parsed.to_string()),
                (read, parsed) => panic!("{list}: {read:?} against {parsed:?}"),
            }
        }
    }

    /// Strings without escapes are borrowed from the input, not copied.
    #[test]
    fn borrows_its_text() {
        let json = r#"{"timestamp":"2026","source":"a@b","messageId":"m",
            "commonHeaders":{"returnPath":"r","date":"d","messageId":"i","subject":"s"}}"#;
        let mail: Mail = serde_json::from_str(json).unwrap_or_default();
        let common = mail.common_headers.unwrap_or_default();
        for text in [
            mail.timestamp,
            mail.source,
            mail.message_id,
            common.return_path,
            common.date,
            common.message_id,
            common.subject,
        ] {
            assert!(matches!(text, Some(Cow::Borrowed(_))), "{text:?}");
        }
    }

    #[test]
    fn tells_headers_from_other_json() {
        let yes = [
            "[]",
            r#"[{"name":"From","value":"a"}]"#,
            r#" [ { "value" : "a\"b" , "name" : "X" , "extra" : {"n":[1,"]"]} } , {"name":"Y","value":""} ] "#,
        ];
        for json in yes {
            assert!(are_headers(json.as_bytes()), "{json}");
        }
        let no = [
            r#"{"From":"a"}"#,
            r#"[["From","a"]]"#,
            r#"[{"name":1,"value":"a"}]"#,
            r#"[{"name":"From"}]"#,
            r#"[{"name":"From","value":"a","name":"To"}]"#,
            r#"[{"name":"From","value":null}]"#,
            r#"[{"n\u0061me":"From","value":"a"}]"#,
            r#"[{"name":"From","value":"a"},1]"#,
            r#""text""#,
        ];
        for json in no {
            assert!(!are_headers(json.as_bytes()), "{json}");
        }
    }
}
