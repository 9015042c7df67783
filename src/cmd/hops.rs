//! `sesinspect hops`: the `Received` chain as a path, origin first — from (host and IP), by,
//! with, id, time (UTC) and the delay since the previous hop — with the total at the end.
//! A date that cannot be read leaves the hop without a time; a negative delay is flagged.

use super::report::{self, Report, View, identity};
use super::{Env, Shown, reading};
use crate::cli::HopsArgs;
use crate::exit::Outcome;
use crate::fields::Value;
use crate::mail::received::Hop;
use crate::model::{Header, Message};
use crate::pipeline::Findings;
use crate::render::table::{MISSING, Table, shown};
use crate::sanitize::{Escaping, escaped};
use std::fmt::Write as _;

pub fn run(args: HopsArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let reading = reading(&args.inputs, env, Shown::AsFound, false)?;
    report::run(&reading, Hops, args.format, args.spreadsheet.safe, env)
}

struct Hops;

/// A hop with its delay since the hop before it, when both have times.
struct Leg<'h> {
    hop: Hop<'h>,
    delay: Option<i64>,
}

/// The chain, origin first: `Received` headers are added on top, so the last is the oldest.
fn chain<'h>(headers: &'h [Header]) -> Vec<Leg<'h>> {
    let mut previous: Option<jiff::Timestamp> = None;
    headers
        .iter()
        .rev()
        .filter(|h| h.name.eq_ignore_ascii_case("Received"))
        .map(|h| {
            let hop = Hop::parse(&h.value);
            let delay = match (previous, hop.time) {
                (Some(before), Some(now)) => Some(now.as_second() - before.as_second()),
                _ => None,
            };
            previous = hop.time.or(previous);
            Leg { hop, delay }
        })
        .collect()
}

impl Report for Hops {
    const COLUMNS: &'static [&'static str] = &[
        "input",
        "ses_id",
        "hop",
        "from",
        "by",
        "with",
        "id",
        "time",
        "delay_seconds",
    ];

    fn records(
        &self,
        message: &Message,
        headers: &[Header],
        _: &mut Findings,
        add: &mut dyn FnMut(&[Value]),
    ) {
        let input = message.origin.to_string();
        for (number, leg) in chain(headers).iter().enumerate() {
            let [input, ses_id] = identity(message, &input);
            add(&[
                input,
                ses_id,
                Value::Number(number as u64 + 1),
                leg.hop.from_text().map_or(Value::Missing, Value::Owned),
                optional(leg.hop.by),
                optional(leg.hop.with),
                optional(leg.hop.id),
                leg.hop
                    .time
                    .map_or(Value::Missing, |t| Value::Owned(t.to_string())),
                leg.delay.map_or(Value::Missing, Value::Signed),
            ]);
        }
    }

    fn block(
        &self,
        _: &Message,
        headers: &[Header],
        _: &mut Findings,
        view: View,
        out: &mut Vec<u8>,
    ) {
        self.body(&chain(headers), view, out);
    }
}

impl Hops {
    fn body(&self, legs: &[Leg], view: View, body: &mut Vec<u8>) {
        let palette = view.palette;
        let mut table = Table::new(["Hop", "From", "By", "With", "ID", "Time (UTC)", "Delay"]);
        for (number, leg) in legs.iter().enumerate() {
            let hop = &leg.hop;
            let time = hop.time.map(utc_time);
            let time = match (time, hop.date_text) {
                (Some(time), _) => time,
                (None, Some(unreadable)) => palette.warning(&format!(
                    "unreadable: {}",
                    escaped(unreadable, Escaping::Display)
                )),
                (None, None) => palette.dim(MISSING),
            };
            let delay = match leg.delay {
                Some(seconds) if seconds < 0 => {
                    palette.warning(&format!("{} (clock skew)", duration(seconds)))
                }
                Some(seconds) => duration(seconds),
                None => palette.dim(MISSING),
            };
            let from = hop.from_text();
            table.push([
                (number + 1).to_string().into(),
                shown(from.as_deref(), palette),
                shown(hop.by, palette),
                shown(hop.with, palette),
                shown(hop.id, palette),
                time.into(),
                delay.into(),
            ]);
        }
        if table.is_empty() {
            body.extend_from_slice(palette.dim("no Received headers\n").as_bytes());
            return;
        }
        // Writing into memory cannot fail.
        let _ = table.write(palette, view.width, body);
        let times: Vec<jiff::Timestamp> = legs.iter().filter_map(|s| s.hop.time).collect();
        if let (Some(first), Some(last), true) = (times.first(), times.last(), times.len() > 1) {
            let total = last.as_second() - first.as_second();
            let mut line = format!("total {} over {} hops", duration(total), times.len());
            if legs.iter().any(|s| s.delay.is_some_and(|d| d < 0)) {
                let _ = write!(
                    line,
                    " · {}",
                    palette.warning("a clock runs behind: negative delay")
                );
            }
            body.extend_from_slice(line.as_bytes());
            body.push(b'\n');
        }
    }
}

fn optional(text: Option<&str>) -> Value<'_> {
    text.map_or(Value::Missing, Value::Text)
}

/// `2026-03-02 08:00:02`: the time in UTC, as `%Y-%m-%d %H:%M:%S` writes it, without the
/// formatting machinery (a table of hops shows one a hop).
fn utc_time(time: jiff::Timestamp) -> String {
    let t = jiff::tz::Offset::UTC.to_datetime(time);
    let Ok(year) = u16::try_from(t.year()) else {
        return time.strftime("%Y-%m-%d %H:%M:%S").to_string();
    };
    let mut text = String::with_capacity(19);
    let parts = [t.month(), t.day(), t.hour(), t.minute(), t.second()].map(|n| n as u16);
    push_padded(year, 4, &mut text);
    for (part, before) in parts.into_iter().zip(['-', '-', ' ', ':', ':']) {
        text.push(before);
        push_padded(part, 2, &mut text);
    }
    text
}

/// Appends `number` with zeros before it up to `width` digits.
fn push_padded(number: u16, width: usize, text: &mut String) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(number);
    text.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    text.push_str(digits);
}

/// `0s`, `42s`, `3m 05s`, `2h 01m 09s`; negative with a leading `-`.
fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sign}{sec}s"),
        (0, min, sec) => format!("{sign}{min}m {sec:02}s"),
        (hours, min, sec) => format!("{sign}{hours}h {min:02}m {sec:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::{duration, utc_time};

    #[test]
    fn writes_durations() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(42), "42s");
        assert_eq!(duration(185), "3m 05s");
        assert_eq!(duration(7269), "2h 01m 09s");
        assert_eq!(duration(-5), "-5s");
    }

    #[test]
    fn writes_times_as_strftime_does() {
        for text in [
            "2026-03-02T08:00:02Z",
            "1999-12-31T23:59:59Z",
            "0007-01-09T00:00:00Z",
            "-000001-06-15T12:30:45Z",
            "9999-12-30T01:02:03Z",
        ] {
            let time: jiff::Timestamp = text.parse().expect("a timestamp");
            assert_eq!(
                utc_time(time),
                time.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                "{text}"
            );
        }
    }
}
