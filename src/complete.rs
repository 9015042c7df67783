//! What the shell completes beyond commands and options: field names after `-F` (after each
//! comma), and in `--where` a field name, then the values it takes (statuses, action types,
//! sending event and bounce types).
//! The shell asks the binary (`COMPLETE=bash sesinspect …`), so the names never go stale.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use crate::fields::FIELDS;
use crate::model::{Action, Sending, Status, Verdict};

/// `-F`: the field names that start with what is typed, and `header:` (the engine completes
/// after the last comma).
pub fn field(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    field_names(current, "")
}

/// `--where`: after the last `|`, a field name and `=`; after `FIELD=` or `FIELD!=`, the values
/// that field takes.
pub fn condition(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let (before, alternative) = match current.rfind('|') {
        Some(at) => current.split_at(at + 1),
        None => ("", current),
    };
    let candidates = match alternative.find(['=', '~', '!']) {
        None => field_names(alternative, "="),
        Some(at) => {
            let (field, rest) = alternative.split_at(at);
            let operator = if rest.starts_with("!=") { "!=" } else { "=" };
            match rest.strip_prefix(operator) {
                Some(typed) => values(field, typed)
                    .map(|value| CompletionCandidate::new(format!("{field}{operator}{value}")))
                    .collect(),
                None => Vec::new(),
            }
        }
    };
    candidates
        .into_iter()
        .map(|candidate| candidate.add_prefix(before))
        .collect()
}

fn field_names(typed: &str, then: &str) -> Vec<CompletionCandidate> {
    let mut names: Vec<CompletionCandidate> = FIELDS
        .iter()
        .filter(|field| field.name.starts_with(typed))
        .map(|field| {
            CompletionCandidate::new(format!("{}{then}", field.name)).help(Some(field.about.into()))
        })
        .collect();
    if "header:".starts_with(typed) {
        names.push(CompletionCandidate::new("header:").help(Some("a header by name".into())));
    }
    if "tag:".starts_with(typed) {
        names
            .push(CompletionCandidate::new("tag:").help(Some("a message tag of sent mail".into())));
    }
    names
}

/// The values `field` takes that start with `typed`, in its case: `spf=f` offers `fail`.
fn values<'t>(field: &str, typed: &'t str) -> impl Iterator<Item = String> + 't {
    let known: Vec<&str> = if Verdict::named(field).is_some() {
        Status::KNOWN.iter().map(Status::as_str).collect()
    } else {
        match field {
            "action" => Action::TYPES.to_vec(),
            "event_type" => [&["Received"][..], &Sending::TYPES].concat(),
            "bounce_type" => Sending::BOUNCE_TYPES.to_vec(),
            "dmarc_policy" => vec!["none", "quarantine", "reject"],
            "invocation_type" => vec!["Event", "RequestResponse"],
            "headers_truncated" => vec!["true", "false"],
            _ => Vec::new(),
        }
    };
    let lower = !typed.is_empty() && typed == typed.to_lowercase();
    known
        .into_iter()
        .filter(move |value| value.to_lowercase().starts_with(&typed.to_lowercase()))
        .map(move |value| {
            if lower {
                value.to_lowercase()
            } else {
                value.to_string()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(candidates: Vec<CompletionCandidate>) -> Vec<String> {
        candidates
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn completes_field_names_then_values() {
        assert_eq!(offered(field(OsStr::new("sp"))), ["spf", "spam"]);
        assert_eq!(
            offered(field(OsStr::new("he"))),
            ["headers_truncated", "header:"]
        );
        assert_eq!(offered(condition(OsStr::new("dk"))), ["dkim="]);
        assert_eq!(
            offered(condition(OsStr::new("spf=f"))),
            ["spf=fail"],
            "in the case typed"
        );
        assert_eq!(
            offered(condition(OsStr::new("spf=FAIL|action!=L"))),
            ["spf=FAIL|action!=Lambda"]
        );
        assert!(offered(condition(OsStr::new("subject~x"))).is_empty());
        assert_eq!(
            offered(condition(OsStr::new("event_type=de"))),
            ["event_type=delivery", "event_type=deliverydelay"]
        );
        assert_eq!(offered(field(OsStr::new("ta"))), ["tags", "tag:"]);
    }
}
