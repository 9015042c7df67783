//! Reads a receipt event written the way SES writes it — a Lambda record
//! `{"eventSource":"aws:ses","eventVersion":…,"ses":{"mail":…,"receipt":…}}` or the bare
//! `{"mail":…,"receipt":…}` of a notification — straight into the model, without serde. It
//! takes only what it is sure of: every key one it knows, once; every value of the type the model
//! reads; the text valid JSON to its end. On anything else it reads nothing, and serde's parse
//! decides (`decode_event_without_headers`). What it reads is what serde reads: a unit test and
//! the `direct` fuzz target hold the two together.

use std::borrow::Cow;
use std::ops::Range;

use crate::model::{Action, ActionFields, HeaderList, Mail, Receipt, Status, Text, TextList};
use crate::model::{CommonHeaders, Tags};
use crate::string_stop::string_end;

/// The mail and receipt of the receipt event that is the whole of `json`, when it is written
/// as this reader expects; `headers` is where `set_aside_headers` found the event's headers (the
/// value of `mail.headers`, checked there), if it did.
pub fn receipt_event(
    json: &str,
    headers: Option<Range<usize>>,
) -> Option<(Box<Mail<'_>>, Box<Receipt<'_>>)> {
    let mut reader = Reader {
        json,
        at: 0,
        headers,
    };
    // A Lambda record holds the two in `ses`; a notification, at the top. A record with both
    // is read from `ses` alone: this reader leaves it to serde.
    const SOURCE: u32 = 0;
    const VERSION: u32 = 1;
    const NOTIFICATION: u32 = 2;
    const SES: u32 = 3;
    const MAIL: u32 = 4;
    const RECEIPT: u32 = 5;
    let (mut mail, mut receipt) = (None, None);
    let (mut seen, mut inner) = (Seen::default(), Seen::default());
    reader.object(|r, key| {
        match key {
            b"eventSource" => {
                seen.first(SOURCE)?;
                (r.string()? == "aws:ses").then_some(())?;
            }
            b"eventVersion" => {
                seen.first(VERSION)?;
                r.string()?;
            }
            b"notificationType" => {
                seen.first(NOTIFICATION)?;
                (r.string()? == "Received").then_some(())?;
            }
            b"ses" if !seen.has(MAIL) && !seen.has(RECEIPT) => {
                seen.first(SES)?;
                r.object(|r, key| {
                    match key {
                        b"mail" => {
                            inner.first(MAIL)?;
                            mail = Some(r.mail()?);
                        }
                        b"receipt" => {
                            inner.first(RECEIPT)?;
                            receipt = Some(r.receipt()?);
                        }
                        _ => return None,
                    }
                    Some(())
                })?;
            }
            b"mail" if !seen.has(SES) => {
                seen.first(MAIL)?;
                mail = Some(r.mail()?);
            }
            b"receipt" if !seen.has(SES) => {
                seen.first(RECEIPT)?;
                receipt = Some(r.receipt()?);
            }
            _ => return None,
        }
        Some(())
    })?;
    reader.next().is_none().then_some(())?;
    mail.zip(receipt)
}

/// Which of an object's keys were read: a key read twice is an error to serde.
#[derive(Default)]
struct Seen(u32);

impl Seen {
    fn first(&mut self, key: u32) -> Option<()> {
        let bit = 1 << key;
        (self.0 & bit == 0).then(|| self.0 |= bit)
    }

    fn has(&self, key: u32) -> bool {
        self.0 & (1 << key) != 0
    }
}

/// A position in the JSON text being read.
struct Reader<'a> {
    json: &'a str,
    at: usize,
    /// Where the value of `mail.headers` is, checked to be a list of headers.
    headers: Option<Range<usize>>,
}

impl<'a> Reader<'a> {
    /// The next byte that is not white space, not taken; `None` at the end.
    fn next(&mut self) -> Option<u8> {
        let bytes = self.json.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.at) {
            self.at += 1;
        }
        bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then(|| self.at += 1)
    }

    /// `null`, which must come next if `self.next()` is `n`.
    fn null(&mut self) -> Option<()> {
        self.literal("null")
    }

    fn literal(&mut self, text: &str) -> Option<()> {
        let rest = self.json.as_bytes().get(self.at..)?;
        rest.starts_with(text.as_bytes())
            .then(|| self.at += text.len())
    }

    /// An object, calling `field` with each key (without escapes) for it to read the value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        self.items(b'}', |r| {
            let key = r.key()?;
            r.expect(b':')?;
            field(r, key)
        })
    }

    /// The items of an object or a list whose opening bracket was just taken, each read by
    /// `item`, to its `close`.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.next()? != close {
            loop {
                item(self)?;
                match self.next()? {
                    b',' => self.at += 1,
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        Some(())
    }

    /// A key without escapes or control characters.
    fn key(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let bytes = self.json.as_bytes();
        let end = self.at + string_end(&bytes[self.at..])?;
        (bytes[end] == b'"').then_some(())?;
        let key = &bytes[self.at..end];
        self.at = end + 1;
        Some(key)
    }

    /// A string: borrowed when it has no escapes, else unescaped (by serde when one is `\\u`).
    fn string(&mut self) -> Option<Text<'a>> {
        self.expect(b'"')?;
        let bytes = self.json.as_bytes();
        let start = self.at;
        let mut escaped = false;
        let end = loop {
            let found = self.at + string_end(bytes.get(self.at..)?)?;
            match bytes[found] {
                b'"' => break found,
                // The escaped character is taken whatever it is: serde checks the escapes below.
                b'\\' => {
                    escaped = true;
                    self.at = found + 2;
                }
                _ => return None,
            }
        };
        self.at = end + 1;
        let body = &self.json[start..end];
        if !escaped {
            return Some(Cow::Borrowed(body));
        }
        let decoded =
            unescape(body).or_else(|| serde_json::from_str(&self.json[start - 1..=end]).ok());
        decoded.map(Cow::Owned)
    }

    /// An optional string: `null` is none.
    fn text(&mut self) -> Option<Option<Text<'a>>> {
        match self.next()? {
            b'n' => self.null().map(|()| None),
            _ => self.string().map(Some),
        }
    }

    /// A list of strings, or one string read as a list of one; `null` is none.
    fn text_list(&mut self) -> Option<Option<TextList<'a>>> {
        match self.next()? {
            b'n' => self.null().map(|()| None),
            b'"' => Some(Some(TextList(vec![self.string()?]))),
            b'[' => {
                self.at += 1;
                let mut texts = Vec::new();
                self.items(b']', |r| {
                    texts.push(r.string()?);
                    Some(())
                })?;
                Some(Some(TextList(texts)))
            }
            _ => None,
        }
    }

    /// An optional object read by `read`: `null` is none.
    fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.next()? {
            b'n' => self.null().map(|()| None),
            _ => read(self).map(Some),
        }
    }

    fn mail(&mut self) -> Option<Box<Mail<'a>>> {
        let mut mail = Box::<Mail>::default();
        let mut seen = Seen::default();
        self.object(|r, key| {
            match key {
                b"timestamp" => {
                    seen.first(0)?;
                    mail.timestamp = r.text()?;
                }
                b"source" => {
                    seen.first(1)?;
                    mail.source = r.text()?;
                }
                b"messageId" => {
                    seen.first(2)?;
                    mail.message_id = r.text()?;
                }
                b"destination" => {
                    seen.first(3)?;
                    mail.destination = r.text_list()?;
                }
                b"sourceArn" => {
                    seen.first(4)?;
                    mail.source_arn = r.text()?;
                }
                b"sourceIp" => {
                    seen.first(5)?;
                    mail.source_ip = r.text()?;
                }
                b"sendingAccountId" => {
                    seen.first(6)?;
                    mail.sending_account_id = r.text()?;
                }
                b"callerIdentity" => {
                    seen.first(7)?;
                    mail.caller_identity = r.text()?;
                }
                b"tags" => {
                    seen.first(8)?;
                    mail.tags = r.optional(Self::tags)?;
                }
                b"headersTruncated" => {
                    seen.first(9)?;
                    mail.headers_truncated = match r.next()? {
                        b't' => r.literal("true").map(|()| Some(true))?,
                        b'f' => r.literal("false").map(|()| Some(false))?,
                        _ => r.null().map(|()| None)?,
                    };
                }
                b"headers" => {
                    seen.first(10)?;
                    r.next()?;
                    let list = r.headers.clone().filter(|list| list.start == r.at)?;
                    r.at = list.end;
                    mail.headers = Some(HeaderList::checked(&r.json[list]));
                }
                b"commonHeaders" => {
                    seen.first(11)?;
                    mail.common_headers = r.optional(Self::common_headers)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(mail)
    }

    fn common_headers(&mut self) -> Option<CommonHeaders<'a>> {
        let mut common = CommonHeaders::default();
        let mut seen = Seen::default();
        self.object(|r, key| {
            match key {
                b"from" => {
                    seen.first(0)?;
                    common.from = r.text_list()?;
                }
                b"to" => {
                    seen.first(1)?;
                    common.to = r.text_list()?;
                }
                b"cc" => {
                    seen.first(2)?;
                    common.cc = r.text_list()?;
                }
                b"replyTo" | b"reply-to" => {
                    seen.first(3)?;
                    common.reply_to = r.text_list()?;
                }
                b"returnPath" => {
                    seen.first(4)?;
                    common.return_path = r.text()?;
                }
                b"date" => {
                    seen.first(5)?;
                    common.date = r.text()?;
                }
                b"messageId" => {
                    seen.first(6)?;
                    common.message_id = r.text()?;
                }
                b"subject" => {
                    seen.first(7)?;
                    common.subject = r.text()?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(common)
    }

    /// `mail.tags`: a tag whose values are `null` has none.
    fn tags(&mut self) -> Option<Tags<'a>> {
        let mut tags = Vec::new();
        self.expect(b'{')?;
        self.items(b'}', |r| {
            let name = r.string()?;
            r.expect(b':')?;
            tags.push((name, r.text_list()?.unwrap_or_default()));
            Some(())
        })?;
        Some(Tags(tags))
    }

    fn receipt(&mut self) -> Option<Box<Receipt<'a>>> {
        let mut receipt = Box::<Receipt>::default();
        let mut seen = Seen::default();
        self.object(|r, key| {
            match key {
                b"timestamp" => {
                    seen.first(0)?;
                    receipt.timestamp = r.text()?;
                }
                b"processingTimeMillis" => {
                    seen.first(1)?;
                    receipt.processing_time_millis = r.millis()?;
                }
                b"recipients" => {
                    seen.first(2)?;
                    receipt.recipients = r.text_list()?;
                }
                b"spamVerdict" => {
                    seen.first(3)?;
                    receipt.spam = r.verdict()?;
                }
                b"virusVerdict" => {
                    seen.first(4)?;
                    receipt.virus = r.verdict()?;
                }
                b"spfVerdict" => {
                    seen.first(5)?;
                    receipt.spf = r.verdict()?;
                }
                b"dkimVerdict" => {
                    seen.first(6)?;
                    receipt.dkim = r.verdict()?;
                }
                b"dmarcVerdict" => {
                    seen.first(7)?;
                    receipt.dmarc = r.verdict()?;
                }
                b"dmarcPolicy" => {
                    seen.first(8)?;
                    receipt.dmarc_policy = r.text()?;
                }
                b"action" => {
                    seen.first(9)?;
                    receipt.action = r.optional(Self::action)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(receipt)
    }

    /// A whole number of milliseconds as JSON writes one (no sign, fraction or exponent) that
    /// fits a `u64`, or `null`.
    fn millis(&mut self) -> Option<Option<u64>> {
        if self.next()? == b'n' {
            return self.null().map(|()| None);
        }
        let bytes = self.json.as_bytes();
        let digits = bytes[self.at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = bytes.get(self.at + digits);
        let plain = digits > 0
            && (digits == 1 || bytes[self.at] != b'0')
            && !matches!(after, Some(b'.' | b'e' | b'E'));
        plain.then_some(())?;
        let value = self.json[self.at..self.at + digits].parse().ok()?;
        self.at += digits;
        Some(Some(value))
    }

    /// `{"status": "PASS"}`: a verdict without a status (or `null`) is none.
    fn verdict(&mut self) -> Option<Option<Status<'a>>> {
        let status = self.optional(|r| {
            let mut status = None;
            r.object(|r, key| match key {
                b"status" if status.is_none() => {
                    status = Some(r.text()?);
                    Some(())
                }
                _ => None,
            })?;
            Some(status.flatten())
        })?;
        Some(status.flatten().map(Status::from_text))
    }

    fn action(&mut self) -> Option<Action<'a>> {
        let mut fields = ActionFields::default();
        let mut seen = Seen::default();
        self.object(|r, key| {
            let (bit, field) = match key {
                b"type" => (0, &mut fields.type_name),
                b"functionArn" => (1, &mut fields.function_arn),
                b"invocationType" => (2, &mut fields.invocation_type),
                b"topicArn" => (3, &mut fields.topic_arn),
                b"bucketName" => (4, &mut fields.bucket_name),
                b"objectKey" => (5, &mut fields.object_key),
                b"objectKeyPrefix" => (6, &mut fields.object_key_prefix),
                b"encoding" => (7, &mut fields.encoding),
                b"smtpReplyCode" => (8, &mut fields.smtp_reply_code),
                b"statusCode" => (9, &mut fields.status_code),
                b"message" => (10, &mut fields.message),
                b"sender" => (11, &mut fields.sender),
                b"organizationArn" => (12, &mut fields.organization_arn),
                b"headerName" => (13, &mut fields.header_name),
                b"headerValue" => (14, &mut fields.header_value),
                _ => return None,
            };
            seen.first(bit)?;
            *field = r.text()?;
            Some(())
        })?;
        Some(Action::from_fields(fields))
    }
}

/// The text of a string's `body` (as written, without its quotes) with its escapes undone; `None`
/// when it holds a `\\u` escape (or one that is not JSON).
fn unescape(body: &str) -> Option<String> {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        text.push_str(&rest[..at]);
        text.push(match rest.as_bytes().get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            _ => return None,
        });
        rest = &rest[at + 2..];
    }
    text.push_str(rest);
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::receipt_event;
    use crate::decode::receipt_event_by_serde;
    use crate::generate::rng::Rng;
    use crate::model::set_aside_headers;

    /// True when the reader reads `json`, having checked that serde reads the same from it.
    fn read_alike(json: &str) -> bool {
        let Some(direct) = receipt_event(json, set_aside_headers(json)) else {
            return false;
        };
        let serde = receipt_event_by_serde(json);
        let serde = serde.unwrap_or_else(|| panic!("serde reads no receipt event: {json}"));
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"), "{json}");
        true
    }

    /// The receipt events of the examples, each as a Lambda record and as the bare `ses`
    /// object, compact (as SES writes them) and indented.
    fn events() -> Vec<String> {
        let documents = [
            include_str!("../../examples/lambda-event.json"),
            include_str!("../../examples/several-records.json"),
            include_str!("../../examples/failing-verdicts.json"),
            include_str!("../../examples/hostile-subject.json"),
            include_str!("../../examples/forwarded-list-mail.json"),
        ];
        let mut events = Vec::new();
        for document in documents {
            let document: serde_json::Value = serde_json::from_str(document).expect("JSON");
            for record in document["Records"].as_array().expect("Records") {
                for event in [record, &record["ses"]] {
                    events.push(event.to_string());
                    events.push(serde_json::to_string_pretty(event).expect("JSON"));
                }
            }
        }
        events
    }

    #[test]
    fn reads_what_serde_reads_from_events_as_ses_writes_them() {
        let events = events();
        assert!(events.len() >= 20, "{} events", events.len());
        // Indented, the headers are not found to be set aside (`"headers": [`): serde reads them.
        for event in events {
            let compact = !event.contains('\n');
            assert!(read_alike(&event) || !compact, "not read: {event}");
        }
    }

    /// A small event as SES writes it, with `changes` made to it (what is replaced, by what).
    fn small_event(changes: &[(&str, &str)]) -> String {
        let mut event = concat!(
            r#"{"eventSource":"aws:ses","eventVersion":"1.0","ses":{"mail":{"timestamp":"t","#,
            r#""source":"a@x.example","destination":["b@y.example"],"headersTruncated":false,"#,
            r#""headers":[{"name":"From","value":"a@x.example"}],"commonHeaders":{"from":"#,
            r#"["a@x.example"],"replyTo":["r@x.example"],"subject":"Hi"}},"receipt":{"#,
            r#""processingTimeMillis":512,"spfVerdict":{"status":"PASS"},"#,
            r#""action":{"type":"S3","bucketName":"b"}}}}"#
        )
        .to_string();
        for (from, to) in changes {
            assert!(event.contains(from), "{from}");
            event = event.replacen(from, to, 1);
        }
        event
    }

    #[test]
    fn reads_what_it_is_sure_of_alike() {
        let read = [
            vec![],
            vec![(":", " : "), (",", " ,\n\t"), ("{", "\r\n{ ")],
            vec![("\"t\"", "null"), ("[\"b@y.example\"]", "\"b@y.example\"")],
            vec![
                ("\"Hi\"", r#""\"H\u00e9\"\n\ud83d\ude00""#),
                ("false", "true"),
            ],
            vec![
                ("\"Hi\"", r#""\"\\\/\b\f\n\r\t\"""#),
                ("\"b\"}", "\"\\\"\"}"),
            ],
            vec![("512", "0"), ("{\"status\":\"PASS\"}", "{}")],
            vec![("512", "9999999999999999999"), ("\"PASS\"", "null")],
            vec![
                (
                    "\"eventSource\":\"aws:ses\",\"eventVersion\":\"1.0\",\"ses\":{",
                    "",
                ),
                ("}}}}", "}}}"),
            ],
            vec![(
                "\"source\"",
                "\"tags\":{\"a\":null,\"b\":\"c\",\"d\\\"\":[]},\"source\"",
            )],
            vec![
                ("\"replyTo\"", "\"reply-to\""),
                ("\"bucketName\":\"b\"", "\"topicArn\":null"),
            ],
            vec![(
                "\"eventSource\"",
                "\"notificationType\":\"Received\",\"eventSource\"",
            )],
        ];
        for changes in read {
            let event = small_event(&changes);
            assert!(read_alike(&event), "not read: {event}");
        }
        // Each of these is not JSON, or not read by serde as a receipt event, or not as the
        // reader would have: it is left to serde.
        let left = [
            vec![("512", "0512")],
            vec![("512", "51.2")],
            vec![("512", "-512")],
            vec![("512", "5e2")],
            vec![("512", "99999999999999999999")],
            vec![("512", "\"512\"")],
            vec![("\"t\"", "\"t\",\"timestamp\":\"u\"")],
            vec![("\"replyTo\"", "\"reply-to\":[],\"replyTo\"")],
            vec![("\"PASS\"", "\"PASS\",\"status\":\"FAIL\"")],
            vec![("\"ses\":{\"mail\"", "\"mail\":{},\"ses\":{\"mail\"")],
            vec![("\"ses\":{\"mail\"", "\"ses\":{\"x\":1,\"mail\"")],
            vec![
                (
                    "\"eventVersion\":\"1.0\",\"ses\":{",
                    "\"ses\":{\"receipt\":{}},",
                ),
                (",\"receipt\":{", "}, \"receipt\":{"),
                ("}}}}", "}}}"),
            ],
            vec![("}}}}", "}}},\"mail\":{}}")],
            vec![("}}}}", "}}}} x")],
            vec![("}}}}", "}}}")],
            vec![("aws:ses", "aws:sqs")],
            vec![(
                "\"eventSource\"",
                "\"notificationType\":\"Bounce\",\"eventSource\"",
            )],
            vec![("\"timestamp\"", "\"time\\u0073tamp\"")],
            vec![("\"Hi\"", "\"H\u{1}i\"")],
            vec![("\"Hi\"", "\"H\\ud800\"")],
            vec![("\"Hi\"", "\"H\\qi\"")],
            vec![("\"Hi\"", "1")],
            vec![("[\"b@y.example\"]", "[1]")],
            vec![("false", "\"false\"")],
            vec![("\"headers\":[", "\"headers\": [")],
            vec![("\"mail\":{", "\"mail\":null,\"x\":{")],
            vec![("\"action\":{", "\"action\":[],\"y\":{")],
            vec![("\"subject\"", "\"x-mailer\"")],
        ];
        for changes in left {
            let event = small_event(&changes);
            assert!(!read_alike(&event), "read: {event}");
        }
    }

    /// Events changed a few bytes at a time (a piece put in, a span cut out or doubled) are
    /// either read as serde reads them or left to serde; some are each.
    #[test]
    fn reads_changed_events_as_serde_does_or_not_at_all() {
        let pieces = [
            "\"",
            "\\",
            "\\u00e9",
            "\\ud800",
            "\\q",
            "null",
            "0",
            "01",
            "-1",
            "1.5",
            "1e3",
            "99999999999999999999",
            ",",
            " ",
            "\n",
            "{",
            "}",
            "[",
            "]",
            ":",
            "true",
            "\"x\"",
            "\u{1}",
            "é",
            "\"mail\":{},",
            "\"headers\":[],",
            "\"ses\":{},",
            "\"receipt\":null,",
            "\"status\":\"PASS\",",
            "\"replyTo\":\"a\",",
            "\"reply-to\":[],",
        ];
        let mut rng = Rng::new(7);
        let mut random = |below: usize| rng.below(below as u64) as usize;
        let (mut read, mut left) = (0, 0);
        for event in events() {
            for _ in 0..300 {
                let mut changed = event.clone();
                for _ in 0..1 + random(3) {
                    let mut start = random(changed.len() + 1);
                    while !changed.is_char_boundary(start) {
                        start -= 1;
                    }
                    let mut end = (start + random(12)).min(changed.len());
                    while !changed.is_char_boundary(end) {
                        end -= 1;
                    }
                    let piece = pieces[random(pieces.len())];
                    match random(4) {
                        0 => changed.insert_str(start, piece),
                        1 => changed.replace_range(start..end, piece),
                        2 => changed.replace_range(start..end, ""),
                        _ => {
                            let span = changed[start..end].to_owned();
                            changed.insert_str(start, &span);
                        }
                    }
                }
                if read_alike(&changed) {
                    read += 1;
                } else {
                    left += 1;
                }
            }
        }
        assert!(
            read > 1_000 && left > 1_000,
            "{read} read, {left} left to serde"
        );
    }
}
