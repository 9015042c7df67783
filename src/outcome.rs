//! What a sending event says became of the message, in a few words for people
//! (`Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown`, `opened from 198.51.100.7`), and how
//! serious that is: the outcome column of `summary` and the failure lines of `check`; and how a
//! bounce counts toward SES's bounce rate ([`bounce_class`]).

use crate::model::{Bounce, Recipient, Sending, Subscription};

/// How serious an outcome is, for colouring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Delivered.
    Good,
    /// Nothing went wrong, nothing to celebrate: sent, opened, clicked, a subscription change.
    Neutral,
    /// Worth watching: a soft or undetermined bounce, a delay.
    Warning,
    /// The message did not reach someone, or someone objected: a hard bounce, a complaint, a
    /// rejection, a rendering failure.
    Bad,
}

/// An outcome in words (not yet escaped) with its severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub words: String,
    pub severity: Severity,
}

/// The outcome of `sending`. `recipients` are the ones the row is about (all of the event's, or
/// one with `--per-recipient`): their statuses and diagnostic codes complete bounces and delays.
pub fn of(sending: &Sending, recipients: &[Recipient]) -> Outcome {
    let (words, severity) = match sending {
        Sending::Send => ("sent".to_string(), Severity::Neutral),
        Sending::Reject(reject) => (
            labelled("rejected", reject.reason.as_deref()),
            Severity::Bad,
        ),
        Sending::Bounce(bounce) => {
            let types: Vec<&str> = [&bounce.bounce_type, &bounce.bounce_sub_type]
                .into_iter()
                .flatten()
                .map(|t| &**t)
                .collect();
            let kind = if types.is_empty() {
                "bounced".to_string()
            } else {
                types.join("/")
            };
            let severity = match bounce.bounce_type.as_deref() {
                Some("Permanent") => Severity::Bad,
                _ => Severity::Warning,
            };
            (join([Some(kind), replies(recipients)]), severity)
        }
        Sending::Complaint(complaint) => {
            let kind = complaint
                .complaint_feedback_type
                .as_deref()
                .or(complaint.complaint_sub_type.as_deref())
                .unwrap_or("complaint");
            (kind.to_string(), Severity::Bad)
        }
        Sending::Delivery(delivery) => (
            delivery
                .smtp_response
                .as_deref()
                .unwrap_or("delivered")
                .to_string(),
            Severity::Good,
        ),
        Sending::Open(open) => (
            join([
                Some("opened".to_string()),
                open.ip_address.as_deref().map(|ip| format!("from {ip}")),
            ]),
            Severity::Neutral,
        ),
        Sending::Click(click) => (
            join([
                Some("clicked".to_string()),
                click.link.as_deref().map(str::to_string),
            ]),
            Severity::Neutral,
        ),
        Sending::RenderingFailure(failure) => (
            join([
                Some(labelled("not rendered", failure.error_message.as_deref())),
                failure
                    .template_name
                    .as_deref()
                    .map(|name| format!("(template {name})")),
            ]),
            Severity::Bad,
        ),
        Sending::DeliveryDelay(delay) => (
            join([
                Some(labelled("delayed", delay.delay_type.as_deref())),
                replies(recipients),
            ]),
            Severity::Warning,
        ),
        Sending::Subscription(subscription) => (subscribed(subscription), Severity::Neutral),
        Sending::Other(_) => (String::new(), Severity::Neutral),
    };
    Outcome {
        words: one_line(&words),
        severity,
    }
}

/// How a bounce counts, by SES's rules for its bounce rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceClass {
    /// A Permanent bounce that counts toward SES's bounce rate (every subtype but
    /// `OnAccountSuppressionList`; `Suppressed`, the global suppression list, counts).
    Hard,
    /// A Permanent bounce to an address on the account's own suppression list: SES did not
    /// try, and does not count it.
    OnAccountSuppressionList,
    /// A Transient or Undetermined bounce: SES does not count it.
    Soft,
    /// No bounce type, or one SES does not document.
    Unknown,
}

/// How a bounce counts, by its `bounceType` and `bounceSubType`.
pub fn bounce_class(bounce: &Bounce) -> BounceClass {
    match (
        bounce.bounce_type.as_deref(),
        bounce.bounce_sub_type.as_deref(),
    ) {
        (Some("Permanent"), Some("OnAccountSuppressionList")) => {
            BounceClass::OnAccountSuppressionList
        }
        (Some("Permanent"), _) => BounceClass::Hard,
        (Some("Transient" | "Undetermined"), _) => BounceClass::Soft,
        _ => BounceClass::Unknown,
    }
}

fn or_unknown(text: Option<&str>) -> &str {
    text.unwrap_or("?")
}

/// `rejected: Bad content`, or `rejected` alone when the event does not say why.
fn labelled(label: &str, detail: Option<&str>) -> String {
    match detail {
        Some(detail) => format!("{label}: {detail}"),
        None => label.to_string(),
    }
}

/// The pieces present, joined with spaces.
fn join<const N: usize>(pieces: [Option<String>; N]) -> String {
    pieces
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each distinct `status diagnostic code` among the recipients, joined with ` · `.
fn replies(recipients: &[Recipient]) -> Option<String> {
    // In order of first appearance; the set keeps a bounce to thousands of recipients linear.
    let mut seen: Vec<String> = Vec::new();
    let mut known = std::collections::HashSet::new();
    for recipient in recipients {
        let reply = join([
            recipient.status.map(str::to_string),
            recipient.diagnostic_code.map(str::to_string),
        ]);
        if !reply.is_empty() && known.insert(reply.clone()) {
            seen.push(reply);
        }
    }
    (!seen.is_empty()).then(|| seen.join(" · "))
}

/// `unsubscribed from all of Newsletter`, or each topic's new status.
fn subscribed(subscription: &Subscription) -> String {
    let list = subscription.contact_list.as_deref();
    let Some(preferences) = &subscription.new_topic_preferences else {
        return join([
            Some("subscription changed".to_string()),
            list.map(|l| format!("({l})")),
        ]);
    };
    if preferences.unsubscribe_all == Some(true) {
        return join([
            Some("unsubscribed from all".to_string()),
            list.map(|l| format!("of {l}")),
        ]);
    }
    let topics: Vec<String> = preferences
        .topic_subscription_status
        .iter()
        .flatten()
        .map(|topic| {
            format!(
                "{} {}",
                or_unknown(topic.topic_name.as_deref()),
                or_unknown(topic.subscription_status.as_deref())
            )
        })
        .collect();
    join([
        Some("subscription:".to_string()),
        Some(topics.join(", ")),
        list.map(|l| format!("({l})")),
    ])
}

/// Multi-line server replies (Gmail's) as one line: every run of whitespace becomes one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bounce, Delivery, Engagement};

    fn recipient(status: &'static str, code: &'static str) -> Recipient<'static> {
        Recipient {
            address: Some("a@example.com"),
            status: Some(status),
            diagnostic_code: Some(code),
            ..Recipient::default()
        }
    }

    #[test]
    fn says_what_happened_in_a_few_words() {
        let bounce = Sending::Bounce(Box::new(Bounce {
            bounce_type: Some("Permanent".into()),
            bounce_sub_type: Some("General".into()),
            ..Bounce::default()
        }));
        let gmail = recipient(
            "5.1.1",
            "smtp; 550-5.1.1 does not exist. Please\n550-5.1.1 retry",
        );
        assert_eq!(
            of(&bounce, &[gmail, gmail]),
            Outcome {
                words:
                    "Permanent/General 5.1.1 smtp; 550-5.1.1 does not exist. Please 550-5.1.1 retry"
                        .to_string(),
                severity: Severity::Bad
            }
        );
        let delivery = Sending::Delivery(Box::new(Delivery {
            smtp_response: Some("250 2.6.0 Message received".into()),
            ..Delivery::default()
        }));
        assert_eq!(of(&delivery, &[]).words, "250 2.6.0 Message received");
        let open = Sending::Open(Box::new(Engagement {
            ip_address: Some("198.51.100.7".into()),
            ..Engagement::default()
        }));
        assert_eq!(of(&open, &[]).words, "opened from 198.51.100.7");
        assert_eq!(of(&Sending::Other("Future".into()), &[]).words, "");
    }

    #[test]
    fn replies_are_said_once_each_in_order_of_first_appearance() {
        let full = recipient("5.2.2", "smtp; 552 mailbox full");
        let unknown = recipient("5.1.1", "smtp; 550 user unknown");
        assert_eq!(
            replies(&[full, unknown, full, unknown]).as_deref(),
            Some("5.2.2 smtp; 552 mailbox full · 5.1.1 smtp; 550 user unknown")
        );
        assert_eq!(replies(&[]), None);
    }

    #[test]
    fn bounces_without_a_type_are_warnings_and_say_only_what_is_known() {
        let bounce = Sending::Bounce(Box::default());
        assert_eq!(
            of(&bounce, &[]),
            Outcome {
                words: "bounced".to_string(),
                severity: Severity::Warning
            }
        );
        let transient = Sending::Bounce(Box::new(Bounce {
            bounce_type: Some("Transient".into()),
            ..Bounce::default()
        }));
        assert_eq!(of(&transient, &[]).words, "Transient");
    }

    #[test]
    fn bounces_are_classed_as_ses_counts_them() {
        let bounce = |kind: Option<&'static str>, sub_type: Option<&'static str>| Bounce {
            bounce_type: kind.map(Into::into),
            bounce_sub_type: sub_type.map(Into::into),
            ..Bounce::default()
        };
        let permanent = Some("Permanent");
        for sub_type in [Some("General"), Some("Suppressed"), None] {
            assert_eq!(
                bounce_class(&bounce(permanent, sub_type)),
                BounceClass::Hard
            );
        }
        assert_eq!(
            bounce_class(&bounce(permanent, Some("OnAccountSuppressionList"))),
            BounceClass::OnAccountSuppressionList
        );
        assert_eq!(
            bounce_class(&bounce(Some("Transient"), Some("MailboxFull"))),
            BounceClass::Soft
        );
        assert_eq!(
            bounce_class(&bounce(Some("Undetermined"), None)),
            BounceClass::Soft
        );
        assert_eq!(bounce_class(&bounce(None, None)), BounceClass::Unknown);
    }
}
