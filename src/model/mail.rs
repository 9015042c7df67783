//! The `mail` object: envelope, headers and SES's parsed copy of the common headers.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::lenient::{Text, TextList};

/// `mail`, as in every SES event. Nothing here is required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail<'a> {
    /// When SES received the message (ISO 8601, as sent).
    #[serde(borrow)]
    pub timestamp: Option<Text<'a>>,
    /// The envelope sender (MAIL FROM).
    #[serde(borrow)]
    pub source: Option<Text<'a>>,
    /// The SES message id (the S3 object key with the S3 action); not the RFC Message-ID.
    #[serde(borrow)]
    pub message_id: Option<Text<'a>>,
    /// Addresses from To and Cc.
    #[serde(borrow)]
    pub destination: Option<TextList<'a>>,
    /// True when the headers were over 10 KB and `headers` is incomplete.
    pub headers_truncated: Option<bool>,
    /// Kept unparsed until a command asks for the headers: see [`Mail::headers`].
    #[serde(borrow)]
    pub headers: Option<&'a RawValue>,
    #[serde(borrow)]
    pub common_headers: Option<CommonHeaders<'a>>,
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
    /// The headers in message order; empty when the event has none.
    pub fn headers(&self) -> Result<Vec<Header<'a>>, serde_json::Error> {
        match self.headers {
            Some(raw) => serde_json::from_str(raw.get()),
            None => Ok(Vec::new()),
        }
    }
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
    #[serde(borrow)]
    pub return_path: Option<Text<'a>>,
    #[serde(borrow)]
    pub date: Option<Text<'a>>,
    /// The RFC 5322 Message-ID; sometimes missing.
    #[serde(borrow)]
    pub message_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub subject: Option<Text<'a>>,
}
