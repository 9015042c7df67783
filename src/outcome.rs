//! What a sending event says became of the message, in a few words for people
//! (`Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown`, `opened from 198.51.100.7`), and how
//! serious that is: the outcome column of `summary` and the failure lines of `check`.

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

/// Whether a bounce is a hard bounce that counts toward SES's bounce rate: `Permanent`, except
/// `OnAccountSuppressionList` (SES did not send: the address was already on the account's
/// suppression list, which SES does not count). `Suppressed` (SES's global list) counts.
pub fn is_hard_bounce(bounce: &Bounce) -> bool {
    bounce.bounce_type.as_deref() == Some("Permanent") && !is_on_account_suppression_list(bounce)
}

/// Whether SES did not send because the address is already on the account's suppression list.
pub fn is_on_account_suppression_list(bounce: &Bounce) -> bool {
    bounce.bounce_sub_type.as_deref() == Some("OnAccountSuppressionList")
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
    let mut seen: Vec<String> = Vec::new();
    for recipient in recipients {
        let reply = join([
            recipient.status.map(str::to_string),
            recipient.diagnostic_code.map(str::to_string),
        ]);
        if !reply.is_empty() && !seen.contains(&reply) {
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
    fn hard_bounces_are_permanent_ones_ses_counts() {
        let bounce = |sub_type: &'static str| Bounce {
            bounce_type: Some("Permanent".into()),
            bounce_sub_type: Some(sub_type.into()),
            ..Bounce::default()
        };
        assert!(is_hard_bounce(&bounce("General")));
        assert!(is_hard_bounce(&bounce("Suppressed")));
        assert!(!is_hard_bounce(&bounce("OnAccountSuppressionList")));
        assert!(is_on_account_suppression_list(&bounce(
            "OnAccountSuppressionList"
        )));
        let transient = Bounce {
            bounce_type: Some("Transient".into()),
            ..Bounce::default()
        };
        assert!(!is_hard_bounce(&transient));
    }
}
