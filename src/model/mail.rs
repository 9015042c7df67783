//! The `mail` object: envelope, headers, SES's parsed copy of the common headers, and for sent
//! mail the sending identity and the message tags.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::lenient::{Text, TextList, flag, object, objects, text};

/// `mail`, as in every SES event. Nothing here is required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail<'a> {
    /// When SES received the message, or when it accepted it for sending (ISO 8601, as sent).
    #[serde(borrow)]
    pub timestamp: Option<Text<'a>>,
    /// The envelope sender (MAIL FROM).
    #[serde(borrow)]
    pub source: Option<Text<'a>>,
    /// The SES message id (the S3 object key with the S3 action); not the RFC Message-ID.
    #[serde(borrow)]
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
    /// The headers in message order, each `{"name", "value"}`.
    #[serde(default, borrow, deserialize_with = "objects")]
    pub headers: Option<Vec<Header<'a>>>,
    #[serde(default, borrow, deserialize_with = "object")]
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
    pub fn headers(&self) -> &[Header<'a>] {
        self.headers.as_deref().unwrap_or_default()
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
