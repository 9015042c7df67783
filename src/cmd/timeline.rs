//! `sesinspect timeline`: the story of each SES message — its events grouped by message id, in
//! time order with the offset from the first, the sender and subject once, and what became of
//! each recipient. Every message is held until the end of input, compactly: per event only what
//! the timeline shows.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use super::{Env, Shown, reading};
use crate::cli::TimelineArgs;
use crate::color::Palette;
use crate::exit::Outcome;
use crate::model::{Event as Family, Message, Sending, Text, Verdict};
use crate::outcome::{self, Severity};
use crate::pipeline::{self, Collect, Delivery, Findings};
use crate::render::Format;
use crate::render::table::{self, MISSING};
use crate::sanitize::{Escaping, escaped};
use crate::select::{Filter, any_verdict_failed};

pub fn run(args: TimelineArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let mut reading = reading(&args.inputs, env, Shown::AtEnd, false)?;
    // The filter chooses messages, not events: every event is kept, and a message is shown when
    // any of its events passes.
    let filter = std::mem::take(&mut reading.filter);
    let choosing = filter.failed || !filter.conditions.is_empty();
    let mut stories = Stories::default();
    pipeline::run(
        &reading,
        Arc::new(Taking { filter }),
        &mut env.reporter,
        |delivery: Delivery<Vec<Taken>>| {
            for taken in delivery.part {
                stories.add(taken);
            }
            Ok(())
        },
    )?;
    let stories = stories.in_order(choosing);
    let palette = env.palette;
    let width = env.stdout.width;
    let out = &mut env.stdout.writer;
    match args.format {
        Format::Json => {
            // As every command's JSON array: one object per line.
            write!(out, "[")?;
            for (i, story) in stories.iter().enumerate() {
                if i > 0 {
                    write!(out, ",")?;
                }
                writeln!(out)?;
                serde_json::to_writer(&mut *out, &story.record())?;
            }
            writeln!(out, "\n]")?;
        }
        Format::Ndjson => {
            for story in &stories {
                serde_json::to_writer(&mut *out, &story.record())?;
                writeln!(out)?;
            }
        }
        _ => {
            for (i, story) in stories.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                for line in story.block(palette, width) {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(env.outcome())
}

/// Takes from each event what its message's timeline shows, and whether the filter chose it.
struct Taking {
    filter: Filter,
}

/// One event as taken from the input, with the message facts shown once per message.
struct Taken {
    id: Option<Box<str>>,
    source: Option<Box<str>>,
    subject: Option<Box<str>>,
    destination: Box<[Box<str>]>,
    chosen: bool,
    event: Event,
}

/// One event of a timeline: only what is shown of it.
struct Event {
    /// The event object's own time, else `mail.timestamp`.
    time: Time,
    /// True when the event has no time of its own and `mail.timestamp` stands in for it.
    time_from_mail: bool,
    /// `Delivery`, `Bounce`, `Received`, …, as SES spells it (borrowed when it is one SES
    /// documents).
    kind: Cow<'static, str>,
    /// The recipients a decisive event is about, each with its own outcome when it differs from
    /// the event's (a bounced recipient's status and reply).
    recipients: Box<[Reached]>,
    /// What happened, in words (`outcome.rs`), not yet escaped; without the recipients' own
    /// replies, which each [`Reached`] holds.
    words: Box<str>,
    severity: Severity,
    /// What a decisive event made of its recipients (`delivered`, `hard bounce`, …); empty for
    /// the events that only add to the story (send, open, click, subscription).
    result: &'static str,
    /// Where the event was read: input, line, column and envelope chain.
    input: Box<str>,
}

/// An event's time, kept as written and as read; the text is held only when it is not how SES
/// writes times (`2026-11-02T10:00:00.812Z`), which most are.
enum Time {
    /// Read, and written as SES writes it.
    Read(Timestamp),
    /// Read from text written otherwise (another offset, more digits, a space).
    ReadFrom(Timestamp, Box<str>),
    /// Written, but not a time jiff can read: shown as written, ordered last.
    Unreadable(Box<str>),
    /// Neither the event nor `mail` says when.
    Missing,
}

impl Time {
    fn of(text: Option<&str>) -> Time {
        let Some(text) = text else {
            return Time::Missing;
        };
        match parse_time(text) {
            Some(time) if written_as_ses_does(time) == text => Time::Read(time),
            Some(time) => Time::ReadFrom(time, text.into()),
            None => Time::Unreadable(text.into()),
        }
    }

    fn instant(&self) -> Option<Timestamp> {
        match self {
            Time::Read(time) | Time::ReadFrom(time, _) => Some(*time),
            Time::Unreadable(_) | Time::Missing => None,
        }
    }

    /// The time exactly as the event wrote it.
    fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Time::Read(time) => Some(Cow::Owned(written_as_ses_does(*time))),
            Time::ReadFrom(_, text) | Time::Unreadable(text) => Some(Cow::Borrowed(text)),
            Time::Missing => None,
        }
    }
}

/// `2026-11-02T10:00:00.812Z`: UTC, with milliseconds.
fn written_as_ses_does(time: Timestamp) -> String {
    format!("{time:.3}")
}

/// An event type as SES spells it, borrowed when it is one SES documents.
fn kind(name: &str) -> Cow<'static, str> {
    Sending::TYPES
        .into_iter()
        .chain(["Received"])
        .find(|known| *known == name)
        .map_or_else(|| Cow::Owned(name.to_string()), Cow::Borrowed)
}

/// A recipient of a decisive event.
struct Reached {
    address: Box<str>,
    /// Its own outcome in words (with its status and reply), when it differs from the event's.
    words: Option<Box<str>>,
}

impl Reached {
    fn words<'e>(&'e self, event: &'e Event) -> &'e str {
        self.words.as_deref().unwrap_or(&event.words)
    }
}

impl Collect for Taking {
    type Part = Vec<Taken>;

    fn collect(&self, message: &Message, part: &mut Vec<Taken>, _: &mut Findings) {
        let mail = &message.mail;
        let boxed = |text: Option<&Text>| text.map(|t| Box::from(&**t));
        let subject = mail
            .common_headers
            .as_ref()
            .and_then(|c| c.subject.as_ref());
        let destination = mail
            .destination
            .iter()
            .flat_map(|list| &list.0)
            .map(|address| Box::from(&**address))
            .collect();
        part.push(Taken {
            id: boxed(mail.message_id.as_ref()),
            source: boxed(mail.source.as_ref()),
            subject: boxed(subject),
            destination,
            chosen: self.filter.matches(message),
            event: Event::of(message),
        });
    }
}

impl Event {
    fn of(message: &Message) -> Event {
        let own_time = message.event_time();
        let time_text = own_time.or(message.mail.timestamp.as_ref());
        let (words, severity, result) = match &message.event {
            Family::Sending(sending) => {
                // Each recipient's reply is its own (see `reached`): an event's words name none,
                // so that they stay short however many recipients it has.
                let said = outcome::of(sending, &[]);
                let words = match sending {
                    Sending::Open(engagement) | Sending::Click(engagement) => {
                        match engagement.user_agent.as_deref() {
                            Some(agent) => format!("{} {agent}", said.words),
                            None => said.words,
                        }
                    }
                    _ => said.words,
                };
                (words, said.severity, result(sending))
            }
            Family::Received(receipt) => {
                let action = receipt.action.as_ref().and_then(|a| a.type_name());
                let verdicts: Vec<String> = Verdict::ALL
                    .into_iter()
                    .filter_map(|v| {
                        receipt
                            .verdict(v)
                            .map(|s| format!("{}={}", v.name(), s.as_str()))
                    })
                    .collect();
                let mut words = match action {
                    Some(action) => format!("received, action {action}"),
                    None => "received".to_string(),
                };
                if !verdicts.is_empty() {
                    words.push(' ');
                    words.push_str(&verdicts.join(" "));
                }
                let severity = if any_verdict_failed(message) {
                    Severity::Warning
                } else {
                    Severity::Good
                };
                (words, severity, "received")
            }
        };
        let recipients = if !result.is_empty() {
            Self::reached(message, &words)
        } else {
            Box::default()
        };
        Event {
            time: Time::of(time_text.map(|t| &**t)),
            time_from_mail: own_time.is_none() && time_text.is_some(),
            kind: kind(message.event_type()),
            recipients,
            words: words.into(),
            severity,
            result,
            input: message.origin.to_string().into(),
        }
    }

    /// The recipients of a decisive event, each with its own outcome when it differs from the
    /// event's `words`: a bounced or delayed recipient's status and reply.
    fn reached(message: &Message, words: &str) -> Box<[Reached]> {
        message
            .recipients()
            .iter()
            .filter_map(|recipient| {
                let address = recipient.address?;
                let own = match &message.event {
                    Family::Sending(sending) => {
                        Some(outcome::of(sending, std::slice::from_ref(recipient)).words)
                    }
                    Family::Received(_) => None,
                };
                Some(Reached {
                    address: address.into(),
                    words: own.filter(|own| own != words).map(Box::from),
                })
            })
            .collect()
    }

    /// The words every recipient of the event shares, when they share them (always with one).
    fn shared_words(&self) -> Option<&str> {
        let (first, rest) = self.recipients.split_first()?;
        let words = first.words(self);
        rest.iter()
            .all(|other| other.words(self) == words)
            .then_some(words)
    }

    /// Whether the event settles what became of its recipients (a delivery, bounce, complaint,
    /// delay, rejection, rendering failure or receipt) rather than adding to the story.
    fn is_decisive(&self) -> bool {
        !self.result.is_empty()
    }

    fn is_timed(&self) -> bool {
        self.time.instant().is_some()
    }
}

/// What a sending event made of its recipients, or nothing when it does not settle it.
fn result(sending: &Sending) -> &'static str {
    match sending {
        Sending::Delivery(_) => "delivered",
        Sending::Bounce(bounce) => match bounce.bounce_type.as_deref() {
            Some("Permanent") => "hard bounce",
            Some("Transient") => "soft bounce",
            Some("Undetermined") => "undetermined bounce",
            _ => "bounce",
        },
        Sending::Complaint(_) => "complaint",
        Sending::DeliveryDelay(_) => "delayed",
        Sending::Reject(_) => "rejected",
        Sending::RenderingFailure(_) => "not rendered",
        Sending::Send
        | Sending::Open(_)
        | Sending::Click(_)
        | Sending::Subscription(_)
        | Sending::Other(_) => "",
    }
}

/// A time as SES writes it (RFC 3339), or with a space before the offset as seen in the wild.
fn parse_time(text: &str) -> Option<Timestamp> {
    text.parse()
        .ok()
        .or_else(|| text.replacen(' ', "", 1).parse().ok())
}

/// The messages read so far, in the order their first event came, found by id.
#[derive(Default)]
struct Stories {
    stories: Vec<Story>,
    /// Each id is allocated once, shared by its story and this index.
    by_id: HashMap<Arc<str>, usize>,
}

/// One message and its events, in input order until [`Stories::in_order`] sorts them.
struct Story {
    id: Option<Arc<str>>,
    source: Option<Box<str>>,
    subject: Option<Box<str>>,
    destination: Box<[Box<str>]>,
    /// Some event of it passed `--where` and `--failed`.
    chosen: bool,
    events: Vec<Event>,
}

impl Stories {
    fn add(&mut self, taken: Taken) {
        let known = taken
            .id
            .as_deref()
            .and_then(|id| self.by_id.get(id))
            .copied();
        let Some(index) = known else {
            // A new story; an event without a message id cannot be told apart from others and
            // is a story of its own.
            let id: Option<Arc<str>> = taken.id.map(Arc::from);
            if let Some(id) = &id {
                self.by_id.insert(Arc::clone(id), self.stories.len());
            }
            self.stories.push(Story {
                id,
                source: taken.source,
                subject: taken.subject,
                destination: taken.destination,
                chosen: taken.chosen,
                events: vec![taken.event],
            });
            return;
        };
        let story = &mut self.stories[index];
        story.chosen |= taken.chosen;
        if story.source.is_none() {
            story.source = taken.source;
        }
        if story.subject.is_none() {
            story.subject = taken.subject;
        }
        if story.destination.is_empty() {
            story.destination = taken.destination;
        }
        story.events.push(taken.event);
    }

    /// The chosen messages (all, when nothing chooses), each with its events in time order
    /// (those without a readable time last, in input order), ordered by their first event's
    /// time; messages without any readable time come last, in input order.
    fn in_order(self, choosing: bool) -> Vec<Story> {
        let mut stories: Vec<Story> = self
            .stories
            .into_iter()
            .filter(|story| !choosing || story.chosen)
            .collect();
        for story in &mut stories {
            story
                .events
                .sort_by_key(|event| (!event.is_timed(), event.time.instant()));
        }
        stories.sort_by_key(|story| {
            let first = story.first_time();
            (first.is_none(), first)
        });
        stories
    }
}

/// What became of one recipient: the last decisive event about it, and what that says.
struct Fate<'s> {
    address: &'s str,
    last: Option<(&'s Event, &'s str)>,
}

impl Story {
    fn first_time(&self) -> Option<Timestamp> {
        self.events.first().and_then(|event| event.time.instant())
    }

    /// Each recipient — the message's destination, then any other address an event names — with
    /// the last decisive event about it. Addresses are matched ignoring case.
    fn fates<'s>(&'s self) -> Vec<Fate<'s>> {
        let mut fates: Vec<Fate> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut slot = |address: &'s str, fates: &mut Vec<Fate<'s>>| -> usize {
            let next = fates.len();
            let at = *index.entry(address.to_lowercase()).or_insert(next);
            if at == next {
                fates.push(Fate {
                    address,
                    last: None,
                });
            }
            at
        };
        for address in &self.destination {
            slot(address, &mut fates);
        }
        for event in self.events.iter().filter(|event| event.is_decisive()) {
            for reached in &event.recipients {
                let at = slot(&reached.address, &mut fates);
                let words = reached.words(event);
                fates[at].last = Some((event, words));
            }
        }
        fates
    }

    /// The block for people: a header line, one line per event, then each recipient's outcome.
    fn block(&self, palette: Palette, width: Option<usize>) -> Vec<String> {
        let show = |text: Option<&str>| match text {
            Some(text) => shown(text),
            None => palette.dim(MISSING),
        };
        let mut lines = Vec::new();
        let first = self
            .events
            .iter()
            .find(|event| event.is_timed())
            .and_then(|event| event.time.text());
        let id = show(self.id.as_deref());
        let about = format!(
            "{}  from {}  {}",
            show(first.as_deref()),
            show(self.source.as_deref()),
            show(self.subject.as_deref()),
        );
        let id_width = table::display_width(&id);
        if width.is_none_or(|w| id_width + 2 + table::display_width(&about) <= w) {
            lines.push(format!("{}  {about}", palette.bold(&id)));
        } else {
            // Too wide for one line: the id alone, then the rest under it.
            lines.push(palette.bold(&id));
            add_wrapped(&mut lines, "  ", 2, &about, width, str::to_string);
        }
        let offsets: Vec<String> = self
            .events
            .iter()
            .map(|event| match (event.time.instant(), self.first_time()) {
                (Some(time), Some(first)) => offset(time, first),
                _ => "?".to_string(),
            })
            .collect();
        let offset_width = offsets.iter().map(String::len).max().unwrap_or(0);
        for (event, offset) in self.events.iter().zip(&offsets) {
            let mut text = escaped(&event.kind, Escaping::Display);
            if !event.recipients.is_empty() {
                let to: Vec<&str> = event.recipients.iter().map(|r| &*r.address).collect();
                text.push_str(" → ");
                text.push_str(&shown(&to.join(", ")));
            }
            let shared = event.shared_words();
            let words = shared.unwrap_or(&event.words);
            if !words.is_empty() {
                text.push_str("  ");
                text.push_str(&shown(words));
            }
            if !event.is_timed() {
                text.push_str(&match event.time.text() {
                    Some(written) => format!("  (unreadable time \"{}\")", shown(&written)),
                    None => "  (no time)".to_string(),
                });
            }
            let lead = format!("  {offset:>offset_width$}  ");
            add_wrapped(
                &mut lines,
                &palette.dim(&lead),
                lead.len(),
                &text,
                width,
                |t| palette.severity(event.severity, t),
            );
            if shared.is_none() {
                // Recipients told different things: each on a line of its own, under the event.
                let indent = " ".repeat(lead.len() + 2);
                for reached in &event.recipients {
                    let said = format!("{}: {}", reached.address, reached.words(event));
                    let said = shown(&said);
                    add_wrapped(&mut lines, &indent, indent.len(), &said, width, |t| {
                        palette.severity(event.severity, t)
                    });
                }
            }
        }
        let fates = self.fates();
        if !fates.is_empty() {
            lines.push(palette.dim("  outcome:"));
        }
        let address_width = fates
            .iter()
            .map(|fate| table::display_width(&escaped(fate.address, Escaping::Display)))
            .max()
            .unwrap_or(0)
            .min(40);
        for fate in &fates {
            let address = shown(fate.address);
            let pad = address_width.saturating_sub(table::display_width(&address));
            let lead = format!("    {address}{}  ", " ".repeat(pad));
            let lead_width = table::display_width(&lead);
            match fate.last {
                Some((event, words)) => {
                    let said = if words.starts_with(event.result) {
                        words.to_string()
                    } else {
                        format!("{}: {words}", event.result)
                    };
                    let text = shown(&said);
                    add_wrapped(&mut lines, &lead, lead_width, &text, width, |t| {
                        palette.severity(event.severity, t)
                    });
                }
                None => lines.push(format!(
                    "{lead}{}",
                    palette.dim("no delivery, bounce or complaint reported")
                )),
            }
        }
        lines
    }

    /// The record for `-f json` and `-f ndjson`.
    fn record(&self) -> Record<'_> {
        let first = self.first_time();
        Record {
            ses_id: self.id.as_deref(),
            source: self.source.as_deref(),
            subject: self.subject.as_deref(),
            destination: self.destination.iter().map(|a| &**a).collect(),
            events: self
                .events
                .iter()
                .map(|event| EventRecord {
                    time: event.time.text(),
                    time_from: (!matches!(event.time, Time::Missing)).then_some(
                        if event.time_from_mail {
                            "mail"
                        } else {
                            "event"
                        },
                    ),
                    offset_seconds: match (event.time.instant(), first) {
                        (Some(time), Some(first)) => {
                            Some((time.as_millisecond() - first.as_millisecond()) as f64 / 1000.0)
                        }
                        _ => None,
                    },
                    event_type: &event.kind,
                    recipients: event
                        .recipients
                        .iter()
                        .map(|r| RecipientOutcome {
                            address: &r.address,
                            outcome: r.words(event),
                        })
                        .collect(),
                    outcome: &event.words,
                    severity: severity_name(event.severity),
                    input: &event.input,
                })
                .collect(),
            recipients: self
                .fates()
                .into_iter()
                .map(|fate| RecipientRecord {
                    address: fate.address,
                    result: fate.last.map(|(event, _)| event.result),
                    event_type: fate.last.map(|(event, _)| &*event.kind),
                    time: fate.last.and_then(|(event, _)| event.time.text()),
                    outcome: fate.last.map(|(_, words)| words),
                    severity: fate.last.map(|(event, _)| severity_name(event.severity)),
                })
                .collect(),
        }
    }
}

/// Untrusted `text` as people see it: escaped, and at most [`table::WIDEST_CELL`] columns wide.
fn shown(text: &str) -> String {
    table::capped(&escaped(text, Escaping::Display)).into_owned()
}

/// `text` after `lead` (already coloured; `lead_width` columns), cut to the width with the
/// continuation lines indented under the text, each piece coloured by `colour`.
fn add_wrapped(
    lines: &mut Vec<String>,
    lead: &str,
    lead_width: usize,
    text: &str,
    width: Option<usize>,
    colour: impl Fn(&str) -> String,
) {
    // Below this many columns for the text, wrapping would only make it harder to read.
    const NARROWEST: usize = 20;
    let room = width.map_or(usize::MAX, |w| w.saturating_sub(lead_width).max(NARROWEST));
    for (i, piece) in table::wrap(text, room).iter().enumerate() {
        if i == 0 {
            lines.push(format!("{lead}{}", colour(piece)));
        } else {
            lines.push(format!("{}{}", " ".repeat(lead_width), colour(piece)));
        }
    }
}

/// The time from `first` to `time`, shortly: `+0s`, `+0.8s`, `+45s`, `+2m05s`, `+2h14m`,
/// `+3d04h`.
fn offset(time: Timestamp, first: Timestamp) -> String {
    let millis = time.as_millisecond() - first.as_millisecond();
    let seconds = millis / 1000;
    match seconds {
        _ if millis == 0 => "+0s".to_string(),
        0..10 => format!("+{}.{}s", seconds, (millis % 1000) / 100),
        10..60 => format!("+{seconds}s"),
        60..3600 => format!("+{}m{:02}s", seconds / 60, seconds % 60),
        3600..86_400 => format!("+{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
        _ => format!("+{}d{:02}h", seconds / 86_400, seconds % 86_400 / 3600),
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Good => "good",
        Severity::Neutral => "neutral",
        Severity::Warning => "warning",
        Severity::Bad => "bad",
    }
}

/// One message: `{ses_id, source, subject, destination, events, recipients}`.
#[derive(Serialize)]
struct Record<'s> {
    ses_id: Option<&'s str>,
    source: Option<&'s str>,
    subject: Option<&'s str>,
    destination: Vec<&'s str>,
    events: Vec<EventRecord<'s>>,
    recipients: Vec<RecipientRecord<'s>>,
}

/// One event of a message's record.
#[derive(Serialize)]
struct EventRecord<'s> {
    time: Option<Cow<'s, str>>,
    time_from: Option<&'static str>,
    offset_seconds: Option<f64>,
    event_type: &'s str,
    recipients: Vec<RecipientOutcome<'s>>,
    outcome: &'s str,
    severity: &'static str,
    input: &'s str,
}

/// A recipient of an event, with what the event says of it.
#[derive(Serialize)]
struct RecipientOutcome<'s> {
    address: &'s str,
    outcome: &'s str,
}

/// What became of one recipient, in a message's record.
#[derive(Serialize)]
struct RecipientRecord<'s> {
    address: &'s str,
    result: Option<&'static str>,
    event_type: Option<&'s str>,
    time: Option<Cow<'s, str>>,
    outcome: Option<&'s str>,
    severity: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_short_and_exact_to_what_they_show() {
        let first: Timestamp = "2026-11-02T10:00:00Z".parse().expect("a time");
        let after = |text: &str| offset(text.parse().expect("a time"), first);
        assert_eq!(after("2026-11-02T10:00:00Z"), "+0s");
        assert_eq!(after("2026-11-02T10:00:00.812Z"), "+0.8s");
        assert_eq!(after("2026-11-02T10:00:45.5Z"), "+45s");
        assert_eq!(after("2026-11-02T10:02:05Z"), "+2m05s");
        assert_eq!(after("2026-11-02T12:14:59Z"), "+2h14m");
        assert_eq!(after("2026-11-05T14:00:00Z"), "+3d04h");
    }

    #[test]
    fn a_time_is_kept_exactly_as_written() {
        for written in [
            "2026-11-02T10:00:00.812Z",
            "2026-11-02T10:00:00.000Z",
            "2026-11-02T10:00:00Z",
            "2026-11-02T10:00:00.812345Z",
            "2026-11-02T11:00:00+01:00",
            "2018-10-08T14:05:45 +0000",
            "yesterday",
        ] {
            assert_eq!(Time::of(Some(written)).text().as_deref(), Some(written));
        }
        assert!(matches!(
            Time::of(Some("2026-11-02T10:00:00.812Z")),
            Time::Read(_)
        ));
        assert!(matches!(Time::of(Some("yesterday")), Time::Unreadable(_)));
        assert!(Time::of(None).text().is_none());
    }
}
