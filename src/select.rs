//! Field selectors — a named field (`spf`), a path into the record (`receipt.action.type`,
//! `mail.headers[0].name`), a header (`header:Subject`, `header:Received[*]`) or a message tag
//! (`tag:campaign`) — and the `--where` / `--failed` filter built on them.

use std::borrow::Cow;
use std::fmt;

use crate::fields::{self, FIELDS, Field, Value};
use crate::model::{Message, Recipient, Sending, Status, Verdict, words};

mod tree;
pub use tree::{Paths, Tree};

/// Something that names a value of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Named(&'static Field),
    /// A path into the record, as typed (`receipt.action.functionArn`).
    Path {
        spec: String,
        steps: Vec<PathStep>,
    },
    /// `header:NAME` (the first) or `header:NAME[*]` (all, in order), decoded.
    Header {
        spec: String,
        name: String,
        all: bool,
    },
    /// `tag:NAME`: the values of the message tag NAME (`mail.tags`).
    Tag {
        spec: String,
        name: String,
    },
}

impl PartialEq for Field {
    fn eq(&self, other: &Field) -> bool {
        self.name == other.name
    }
}

impl Eq for Field {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// A selector that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectorError {
    pub message: String,
}

impl Selector {
    pub fn parse(spec: &str) -> Result<Selector, SelectorError> {
        if let Some(name) = spec.strip_prefix("header:") {
            let (name, all) = match name.strip_suffix("[*]") {
                Some(name) => (name, true),
                None => (name, false),
            };
            if name.is_empty() || name.contains([':', ' ', '[', ']']) {
                return Err(SelectorError {
                    message: format!(
                        "`{spec}` is not a header selector: write header:NAME or header:NAME[*]"
                    ),
                });
            }
            return Ok(Selector::Header {
                spec: spec.to_string(),
                name: name.to_string(),
                all,
            });
        }
        if let Some(name) = spec.strip_prefix("tag:") {
            if name.is_empty() {
                return Err(SelectorError {
                    message: format!("`{spec}` is not a tag selector: write tag:NAME"),
                });
            }
            return Ok(Selector::Tag {
                spec: spec.to_string(),
                name: name.to_string(),
            });
        }
        if spec.contains('.') {
            return Ok(Selector::Path {
                spec: spec.to_string(),
                steps: parse_path(spec)?,
            });
        }
        fields::find(spec)
            .map(Selector::Named)
            .ok_or_else(|| SelectorError {
                message: unknown_field_message(spec),
            })
    }

    /// The selector as typed: the column title and JSON key.
    pub fn name(&self) -> &str {
        match self {
            Selector::Named(field) => field.name,
            Selector::Path { spec, .. }
            | Selector::Header { spec, .. }
            | Selector::Tag { spec, .. } => spec,
        }
    }

    /// True for the fields that exist only with `--per-recipient`.
    pub fn per_recipient_only(&self) -> bool {
        matches!(self, Selector::Named(field) if field.per_recipient_only())
    }

    /// This selector's value for `message`, or for one of its recipients (`--per-recipient`);
    /// paths read the record through `tree`.
    pub fn value<'m>(
        &self,
        message: &'m Message,
        recipient: Option<&Recipient<'m>>,
        tree: &'m Tree<'_>,
    ) -> Value<'m> {
        match self {
            Selector::Named(field) => field.value(message, recipient),
            Selector::Path { steps, .. } => tree
                .get(message)
                .and_then(|root| walk(root, steps))
                .map_or(Value::Missing, Value::Json),
            Selector::Header { name, all, .. } => header_value(message, name, *all),
            Selector::Tag { name, .. } => match message.unreadable_at("mail.tags") {
                Some(unreadable) => Value::Unreadable(&unreadable.value),
                None => message
                    .mail
                    .tags
                    .as_ref()
                    .and_then(|tags| tags.get(name))
                    .map_or(Value::Missing, |values| {
                        Value::List(Cow::Borrowed(&values.0))
                    }),
            },
        }
    }
}

fn parse_path(spec: &str) -> Result<Vec<PathStep>, SelectorError> {
    let bad = |why: &str| SelectorError {
        message: format!("`{spec}` is not a path: {why} (write e.g. mail.headers[0].name)"),
    };
    let mut steps = Vec::new();
    for segment in spec.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => segment.split_at(i),
            None => (segment, ""),
        };
        if key.is_empty() {
            return Err(bad("a part is empty"));
        }
        steps.push(PathStep::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| bad("a `[` is not closed"))?;
            let index = rest[1..close]
                .parse()
                .map_err(|_| bad("an index is not a whole number"))?;
            steps.push(PathStep::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad("text follows `]`"));
            }
        }
    }
    Ok(steps)
}

/// Paths start in the `ses` object when the record has one (so `mail.…` and `receipt.…` work for
/// every form), and fall back to the record itself (`content`, `eventSource`).
fn walk<'t>(root: &'t serde_json::Value, steps: &[PathStep]) -> Option<&'t serde_json::Value> {
    let from = |start: &'t serde_json::Value| {
        steps.iter().try_fold(start, |value, step| match step {
            PathStep::Key(key) => value.get(key.as_str()),
            PathStep::Index(index) => value.get(*index),
        })
    };
    root.get("ses").and_then(from).or_else(|| from(root))
}

fn header_value<'m>(message: &'m Message, name: &str, all: bool) -> Value<'m> {
    if let Some(unreadable) = message.unreadable_at("mail.headers") {
        return Value::Unreadable(&unreadable.value);
    }
    let Ok(headers) = message.mail.headers() else {
        return message
            .mail
            .headers
            .map_or(Value::Missing, |raw| Value::Unreadable(raw.get()));
    };
    let mut values = headers
        .into_iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| Cow::Owned(words::decode(&h.value).into_owned()));
    if all {
        let values: Vec<Cow<'m, str>> = values.collect();
        if values.is_empty() {
            Value::Missing
        } else {
            Value::List(Cow::Owned(values))
        }
    } else {
        values
            .next()
            .map_or(Value::Missing, |v| Value::Owned(v.into_owned()))
    }
}

/// `unknown field 'sbject' (did you mean subject?)`, or the list of names.
fn unknown_field_message(spec: &str) -> String {
    let mut close: Vec<(f64, &str)> = FIELDS
        .iter()
        .map(|f| (strsim::jaro_winkler(spec, f.name), f.name))
        .filter(|(score, _)| *score > 0.75)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<&str> = close.iter().take(3).map(|(_, name)| *name).collect();
    if names.is_empty() {
        format!(
            "unknown field `{spec}` (see `sesinspect fields --list`; paths contain a dot, headers are header:NAME, tags tag:NAME)"
        )
    } else {
        format!(
            "unknown field `{spec}` (did you mean {}?)",
            names.join(", ")
        )
    }
}

/// One `--where EXPR`: comparisons separated by `|`, of which at least one must hold.
#[derive(Debug, Clone)]
pub struct Condition {
    pub alternatives: Vec<Comparison>,
}

/// `FIELD=VALUE`, `FIELD!=VALUE`, `FIELD~TEXT` or `FIELD~/REGEX/`.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub selector: Selector,
    pub test: Test,
}

/// What a comparison asks of a value's text, case-insensitively (values lower-cased).
#[derive(Debug, Clone)]
pub enum Test {
    Equal(String),
    NotEqual(String),
    Contains(String),
    Matches(regex::Regex),
}

/// What every `--where` error ends with.
const GRAMMAR: &str = "write FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains) or FIELD~/REGEX/, \
                       and A|B for either";

impl Condition {
    /// The selectors of its alternatives.
    pub fn selectors(&self) -> impl Iterator<Item = &Selector> {
        self.alternatives.iter().map(|a| &a.selector)
    }

    /// Reads `A|B|…`. A regex runs to the `/` that ends the expression or comes before a `|`,
    /// so it may hold both; any other value runs to the next `|`.
    pub fn parse(expression: &str) -> Result<Condition, SelectorError> {
        let error = |why: String| SelectorError {
            message: format!("`{expression}`: {why}"),
        };
        let mut alternatives = Vec::new();
        let mut rest = expression;
        loop {
            let Some(at) = rest.find(['=', '!', '~', '<', '>']) else {
                return Err(error(format!("not a condition: {GRAMMAR}")));
            };
            let selector = Selector::parse(rest[..at].trim())?;
            let (test, after) = test(&rest[at..]).map_err(error)?;
            alternatives.push(Comparison { selector, test });
            match after.strip_prefix('|') {
                Some(next) if next.trim().is_empty() => {
                    return Err(error("nothing follows `|`".to_string()));
                }
                Some(next) => rest = next,
                None => break,
            }
        }
        Ok(Condition { alternatives })
    }

    /// Whether one of the alternatives holds for `message`, or for one of its recipients (with
    /// `--per-recipient`).
    fn holds<'m>(
        &self,
        message: &'m Message,
        recipient: Option<&Recipient<'m>>,
        tree: &'m Tree<'_>,
    ) -> bool {
        self.alternatives
            .iter()
            .any(|c| c.holds(&c.selector.value(message, recipient, tree)))
    }
}

/// The test that `text` (an operator and what follows) starts with, and the text after it.
fn test(text: &str) -> Result<(Test, &str), String> {
    let operator_end = text
        .find(|c| !matches!(c, '=' | '!' | '~' | '<' | '>'))
        .unwrap_or(text.len());
    let unknown = || {
        let mut operator = &text[..operator_end];
        if operator.starts_with('~') && text[1..].starts_with('/') {
            operator = "~";
        }
        format!("unknown operator `{operator}`: {GRAMMAR}")
    };
    let value_to_bar = |from: usize| {
        let end = text[from..].find('|').map_or(text.len(), |i| from + i);
        (text[from..end].to_lowercase(), &text[end..])
    };
    let bytes = text.as_bytes();
    match (bytes[0], bytes.get(1)) {
        (b'=', Some(b'=' | b'~' | b'<' | b'>')) | (b'~', Some(b'=')) => Err(unknown()),
        (b'=', _) => {
            let (value, rest) = value_to_bar(1);
            Ok((Test::Equal(value), rest))
        }
        (b'!', Some(b'=')) if bytes.get(2) != Some(&b'=') => {
            let (value, rest) = value_to_bar(2);
            Ok((Test::NotEqual(value), rest))
        }
        (b'~', Some(b'/')) => {
            let body = &text[2..];
            let close = body
                .match_indices('/')
                .map(|(i, _)| i)
                .find(|&i| body[i + 1..].is_empty() || body[i + 1..].starts_with('|'))
                .ok_or_else(|| "the regex is not closed: write FIELD~/REGEX/".to_string())?;
            let regex = regex::RegexBuilder::new(&body[..close])
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("not a valid regex: {}", last_line(&e.to_string())))?;
            Ok((Test::Matches(regex), &body[close + 1..]))
        }
        (b'~', _) => {
            let (value, rest) = value_to_bar(1);
            Ok((Test::Contains(value), rest))
        }
        _ => Err(unknown()),
    }
}

/// The regex crate explains an error over several lines; the last says what is wrong.
fn last_line(message: &str) -> String {
    message
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

impl Comparison {
    /// Missing values compare as empty text; a list holds when any item does (`!=`: when none
    /// equals).
    fn holds(&self, value: &Value) -> bool {
        let texts = value.texts();
        let lower = |text: &String| text.to_lowercase();
        match &self.test {
            Test::Equal(wanted) => texts.iter().any(|t| lower(t) == *wanted),
            Test::NotEqual(unwanted) => !texts.iter().any(|t| lower(t) == *unwanted),
            Test::Contains(part) => texts.iter().any(|t| lower(t).contains(part.as_str())),
            Test::Matches(regex) => texts.iter().any(|t| regex.is_match(t)),
        }
    }
}

/// Which messages a command looks at: every `--where` condition holds (each when one of its
/// alternatives does), and with `--failed` the event reports a problem. With `--per-recipient`,
/// the conditions are checked on each recipient's row instead ([`Filter::rows`]).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub conditions: Vec<Condition>,
    pub failed: bool,
    pub per_recipient: bool,
    /// The paths the conditions read.
    paths: Paths,
}

impl Filter {
    pub fn new(conditions: Vec<Condition>, failed: bool, per_recipient: bool) -> Filter {
        let mut filter = Filter {
            conditions,
            failed,
            per_recipient,
            paths: Paths::default(),
        };
        filter.paths = Paths::of(filter.selectors());
        filter
    }

    /// The selectors of every condition.
    pub fn selectors(&self) -> impl Iterator<Item = &Selector> {
        self.conditions.iter().flat_map(Condition::selectors)
    }

    /// The paths the conditions read, for the [`Tree`] they are evaluated on.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn matches(&self, message: &Message) -> bool {
        if self.failed && !reports_a_problem(message) {
            return false;
        }
        self.per_recipient || self.keeps(message, None, &Tree::new(&self.paths))
    }

    /// The rows of a message that `matches`: its one row; with `--per-recipient`, a row for each
    /// of its `recipients` (or one without a recipient when the event names none) where every
    /// condition holds.
    pub fn rows<'r, 'm>(
        &self,
        message: &'m Message,
        recipients: &'r [Recipient<'m>],
        tree: &'m Tree<'_>,
    ) -> Vec<Option<&'r Recipient<'m>>> {
        if !self.per_recipient {
            return vec![None];
        }
        let rows: Vec<Option<&Recipient>> = if recipients.is_empty() {
            vec![None]
        } else {
            recipients.iter().map(Some).collect()
        };
        rows.into_iter()
            .filter(|recipient| self.keeps(message, *recipient, tree))
            .collect()
    }

    /// Whether the row of `message` (for `recipient`, with `--per-recipient`) meets every
    /// condition.
    fn keeps<'m>(
        &self,
        message: &'m Message,
        recipient: Option<&Recipient<'m>>,
        tree: &'m Tree<'_>,
    ) -> bool {
        self.conditions
            .iter()
            .all(|c| c.holds(message, recipient, tree))
    }
}

/// `--failed`: a receipt event with a verdict present and not PASS; a sending event that is a
/// Bounce, Complaint, Reject, Rendering Failure or DeliveryDelay.
fn reports_a_problem(message: &Message) -> bool {
    match message.sending() {
        None => any_verdict_failed(message),
        Some(sending) => matches!(
            sending,
            Sending::Bounce(_)
                | Sending::Complaint(_)
                | Sending::Reject(_)
                | Sending::RenderingFailure(_)
                | Sending::DeliveryDelay(_)
        ),
    }
}

/// Some verdict of the message is present and not PASS, or present and unreadable (what could
/// not be read is not a PASS).
pub fn any_verdict_failed(message: &Message) -> bool {
    Verdict::ALL.into_iter().any(|verdict| {
        message.verdict(verdict).is_some_and(|s| *s != Status::Pass)
            || message.unreadable_at(verdict.path()).is_some()
    })
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_of_selector() {
        assert!(matches!(Selector::parse("spf"), Ok(Selector::Named(f)) if f.name == "spf"));
        assert_eq!(
            Selector::parse("mail.headers[0].name").map(|s| match s {
                Selector::Path { steps, .. } => steps,
                _ => Vec::new(),
            }),
            Ok(vec![
                PathStep::Key("mail".into()),
                PathStep::Key("headers".into()),
                PathStep::Index(0),
                PathStep::Key("name".into())
            ])
        );
        assert!(matches!(
            Selector::parse("header:Received[*]"),
            Ok(Selector::Header { all: true, .. })
        ));
        assert!(matches!(
            Selector::parse("tag:ses:configuration-set"),
            Ok(Selector::Tag { name, .. }) if name == "ses:configuration-set"
        ));
        assert!(Selector::parse("tag:").is_err());
        assert!(Selector::parse("mail.headers[x]").is_err());
        assert!(Selector::parse("mail..x").is_err());
    }

    #[test]
    fn suggests_close_names() {
        let error = Selector::parse("subjet").expect_err("unknown");
        assert_eq!(
            error.message,
            "unknown field `subjet` (did you mean subject?)"
        );
    }

    fn comparisons(expression: &str) -> Vec<(String, String)> {
        match Condition::parse(expression) {
            Ok(condition) => condition
                .alternatives
                .iter()
                .map(|c| (c.selector.name().to_string(), format!("{:?}", c.test)))
                .collect(),
            Err(e) => vec![("error".to_string(), e.message)],
        }
    }

    #[test]
    fn parses_conditions_with_alternatives_and_regexes() {
        let pair = |field: &str, test: &str| (field.to_string(), test.to_string());
        assert_eq!(
            comparisons("header:X-Spam~Yes"),
            [pair("header:X-Spam", "Contains(\"yes\")")]
        );
        assert_eq!(
            comparisons("spf!=PASS"),
            [pair("spf", "NotEqual(\"pass\")")]
        );
        assert_eq!(comparisons("dmarc="), [pair("dmarc", "Equal(\"\")")]);
        assert_eq!(
            comparisons("spf=fail|dkim=fail"),
            [
                pair("spf", "Equal(\"fail\")"),
                pair("dkim", "Equal(\"fail\")")
            ]
        );
        let regex = comparisons("subject~/^(re|fwd):/|object_key~/raw/2026/");
        assert_eq!(regex.len(), 2, "{regex:?}");
        assert!(regex[0].1.contains("^(re|fwd):"), "{regex:?}");
        assert!(regex[1].1.contains("raw/2026"), "{regex:?}");
    }

    #[test]
    fn names_unknown_operators() {
        for (expression, operator) in [
            ("spf==fail", "=="),
            ("processing_ms>3", ">"),
            ("processing_ms>=3", ">="),
            ("spf=~fail", "=~"),
            ("spf!fail", "!"),
            ("spf~=fail", "~="),
        ] {
            let error = comparisons(expression);
            assert_eq!(error[0].0, "error", "{expression}");
            assert!(
                error[0]
                    .1
                    .contains(&format!("unknown operator `{operator}`")),
                "{expression}: {}",
                error[0].1
            );
        }
        assert!(comparisons("spf")[0].1.contains("not a condition"));
        assert!(comparisons("subject~/re:")[0].1.contains("not closed"));
        assert!(
            comparisons("subject~/(/")[0]
                .1
                .contains("not a valid regex")
        );
        assert!(comparisons("spf=fail|")[0].1.contains("nothing follows"));
    }
}
