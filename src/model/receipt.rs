//! The `receipt` object: SES's verdicts on a received message and the action its rule ran.

use serde::{Deserialize, Deserializer};

use super::lenient::{Text, TextList, millis, object, text};
use super::verdict::{Status, Verdict};

/// `receipt`, from an email-receiving event. Nothing here is required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt<'a> {
    /// When the receipt rule ran.
    #[serde(default, borrow, deserialize_with = "text")]
    pub timestamp: Option<Text<'a>>,
    #[serde(default, deserialize_with = "millis")]
    pub processing_time_millis: Option<u64>,
    /// The envelope recipients that matched the rule.
    #[serde(borrow)]
    pub recipients: Option<TextList<'a>>,
    #[serde(default, borrow, rename = "spamVerdict", deserialize_with = "verdict")]
    pub spam: Option<Status<'a>>,
    #[serde(default, borrow, rename = "virusVerdict", deserialize_with = "verdict")]
    pub virus: Option<Status<'a>>,
    #[serde(default, borrow, rename = "spfVerdict", deserialize_with = "verdict")]
    pub spf: Option<Status<'a>>,
    #[serde(default, borrow, rename = "dkimVerdict", deserialize_with = "verdict")]
    pub dkim: Option<Status<'a>>,
    #[serde(default, borrow, rename = "dmarcVerdict", deserialize_with = "verdict")]
    pub dmarc: Option<Status<'a>>,
    /// `none`, `quarantine` or `reject`, as sent.
    #[serde(default, borrow, deserialize_with = "text")]
    pub dmarc_policy: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "action")]
    pub action: Option<Action<'a>>,
}

impl<'a> Receipt<'a> {
    /// The status of `verdict`, when the event has it.
    pub fn verdict(&self, verdict: Verdict) -> Option<&Status<'a>> {
        match verdict {
            Verdict::Spf => self.spf.as_ref(),
            Verdict::Dkim => self.dkim.as_ref(),
            Verdict::Dmarc => self.dmarc.as_ref(),
            Verdict::Spam => self.spam.as_ref(),
            Verdict::Virus => self.virus.as_ref(),
        }
    }
}

/// Reads `{"status": "PASS"}` (an object only); a verdict without a status counts as absent.
fn verdict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Status<'de>>, D::Error> {
    #[derive(Deserialize)]
    struct Verdict<'a> {
        #[serde(default, borrow, deserialize_with = "text")]
        status: Option<Text<'a>>,
    }
    let verdict: Option<Verdict<'de>> = object(deserializer)?;
    Ok(verdict.and_then(|v| v.status).map(Status::from_text))
}

/// `receipt.action`: what the matching rule did. Unknown types keep their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    Lambda {
        function_arn: Option<Text<'a>>,
        /// `Event` or `RequestResponse`.
        invocation_type: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
    S3 {
        bucket_name: Option<Text<'a>>,
        object_key: Option<Text<'a>>,
        object_key_prefix: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
    Sns {
        topic_arn: Option<Text<'a>>,
        /// `UTF8` or `BASE64`: how `content` is encoded.
        encoding: Option<Text<'a>>,
    },
    Bounce {
        smtp_reply_code: Option<Text<'a>>,
        status_code: Option<Text<'a>>,
        message: Option<Text<'a>>,
        sender: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
    WorkMail {
        organization_arn: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
    Stop {
        topic_arn: Option<Text<'a>>,
    },
    AddHeader {
        header_name: Option<Text<'a>>,
        header_value: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
    /// A type sesinspect does not know (or none at all); the record keeps its fields.
    Other {
        type_name: Option<Text<'a>>,
        topic_arn: Option<Text<'a>>,
    },
}

/// Every field any action type has, as the event spells them.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionFields<'a> {
    #[serde(default, borrow, deserialize_with = "text", rename = "type")]
    pub type_name: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub function_arn: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub invocation_type: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub topic_arn: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub bucket_name: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub object_key: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub object_key_prefix: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub encoding: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub smtp_reply_code: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub status_code: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub message: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub sender: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub organization_arn: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub header_name: Option<Text<'a>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub header_value: Option<Text<'a>>,
}

fn action<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Action<'de>>, D::Error> {
    let fields: Option<ActionFields<'de>> = object(deserializer)?;
    Ok(fields.map(Action::from_fields))
}

impl<'a> Action<'a> {
    /// The action the fields of its object describe.
    pub fn from_fields(f: ActionFields<'a>) -> Self {
        let topic_arn = f.topic_arn;
        match f.type_name.as_deref() {
            Some("Lambda") => Action::Lambda {
                function_arn: f.function_arn,
                invocation_type: f.invocation_type,
                topic_arn,
            },
            Some("S3") => Action::S3 {
                bucket_name: f.bucket_name,
                object_key: f.object_key,
                object_key_prefix: f.object_key_prefix,
                topic_arn,
            },
            Some("SNS") => Action::Sns {
                topic_arn,
                encoding: f.encoding,
            },
            Some("Bounce") => Action::Bounce {
                smtp_reply_code: f.smtp_reply_code,
                status_code: f.status_code,
                message: f.message,
                sender: f.sender,
                topic_arn,
            },
            Some("WorkMail") => Action::WorkMail {
                organization_arn: f.organization_arn,
                topic_arn,
            },
            Some("Stop") => Action::Stop { topic_arn },
            Some("AddHeader") => Action::AddHeader {
                header_name: f.header_name,
                header_value: f.header_value,
                topic_arn,
            },
            _ => Action::Other {
                type_name: f.type_name,
                topic_arn,
            },
        }
    }

    /// The types SES documents, as it names them.
    pub const TYPES: [&'static str; 7] = [
        "Lambda",
        "S3",
        "SNS",
        "Bounce",
        "WorkMail",
        "Stop",
        "AddHeader",
    ];

    /// The action's type as SES names it.
    pub fn type_name(&self) -> Option<&str> {
        Some(match self {
            Action::Lambda { .. } => "Lambda",
            Action::S3 { .. } => "S3",
            Action::Sns { .. } => "SNS",
            Action::Bounce { .. } => "Bounce",
            Action::WorkMail { .. } => "WorkMail",
            Action::Stop { .. } => "Stop",
            Action::AddHeader { .. } => "AddHeader",
            Action::Other { type_name, .. } => return type_name.as_deref(),
        })
    }

    /// The SNS topic the action notifies, which any type may carry.
    pub fn topic_arn(&self) -> Option<&str> {
        match self {
            Action::Lambda { topic_arn, .. }
            | Action::S3 { topic_arn, .. }
            | Action::Sns { topic_arn, .. }
            | Action::Bounce { topic_arn, .. }
            | Action::WorkMail { topic_arn, .. }
            | Action::Stop { topic_arn }
            | Action::AddHeader { topic_arn, .. }
            | Action::Other { topic_arn, .. } => topic_arn.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    #[test]
    fn borrows_text_from_the_input() {
        let receipt: super::Receipt = serde_json::from_str(
            r#"{"timestamp":"2026-01-05T08:00:02.970Z","recipients":["a@example.com"]}"#,
        )
        .unwrap_or_default();
        assert!(matches!(receipt.timestamp, Some(Cow::Borrowed(_))));
        let recipients = receipt.recipients.unwrap_or_default();
        assert!(matches!(recipients.0[..], [Cow::Borrowed("a@example.com")]));
    }

    /// Every string a verdict or an action holds is borrowed when it has no escapes: serde's
    /// `borrow` alone copies a `Cow` inside an `Option` (an allocation per field per event).
    #[test]
    fn borrows_verdicts_and_actions() {
        let receipt: super::Receipt = serde_json::from_str(
            r#"{"spfVerdict":{"status":"PASS"},"dmarcPolicy":"reject",
                "action":{"type":"S3","bucketName":"b","objectKey":"k","topicArn":"t"}}"#,
        )
        .unwrap_or_default();
        assert!(matches!(
            receipt.verdict(super::Verdict::Spf),
            Some(super::Status::Pass)
        ));
        assert!(matches!(
            receipt.dmarc_policy,
            Some(Cow::Borrowed("reject"))
        ));
        let Some(super::Action::S3 {
            bucket_name,
            object_key,
            topic_arn,
            ..
        }) = receipt.action
        else {
            panic!("an S3 action");
        };
        for text in [bucket_name, object_key, topic_arn] {
            assert!(matches!(text, Some(Cow::Borrowed(_))), "{text:?}");
        }
    }
}
