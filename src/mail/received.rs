//! One `Received` header as a hop: from (host and IP), by, with, id, for, and when.

use std::net::IpAddr;

use super::tokens::{Token, tokenize};

/// What one `Received` header says, in its own words. Every part is optional: servers write
/// what they like.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hop<'a> {
    /// The sending host as it named itself or was looked up.
    pub from_host: Option<&'a str>,
    pub from_ip: Option<IpAddr>,
    pub by: Option<&'a str>,
    /// The protocol (SMTP, ESMTPS, …).
    pub with: Option<&'a str>,
    pub id: Option<&'a str>,
    /// The date after the last `;`, when it can be read.
    pub time: Option<jiff::Timestamp>,
    /// The date as written, when there is one.
    pub date_text: Option<&'a str>,
}

/// The clauses of a `Received` header that name a part of the hop; `via` and `for` and unknown
/// ones are read past, never into another part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clause {
    From,
    By,
    With,
    Id,
    Other,
}

impl Clause {
    /// The clause a word starts, if it is a keyword.
    fn named(word: &str) -> Option<Clause> {
        let clause = match word.len() {
            2 if word.eq_ignore_ascii_case("by") => Clause::By,
            2 if word.eq_ignore_ascii_case("id") => Clause::Id,
            3 if word.eq_ignore_ascii_case("via") || word.eq_ignore_ascii_case("for") => {
                Clause::Other
            }
            4 if word.eq_ignore_ascii_case("from") => Clause::From,
            4 if word.eq_ignore_ascii_case("with") => Clause::With,
            _ => return None,
        };
        Some(clause)
    }
}

impl<'a> Hop<'a> {
    pub fn parse(value: &'a str) -> Hop<'a> {
        let (clauses, date) = match value.rfind(';') {
            Some(at) => (&value[..at], Some(value[at + 1..].trim())),
            None => (value, None),
        };
        let mut hop = Hop {
            date_text: date.filter(|d| !d.is_empty()),
            time: date
                .and_then(|d| jiff::fmt::rfc2822::parse(d).ok())
                .map(|z| z.timestamp()),
            ..Hop::default()
        };
        let mut clause = Clause::Other;
        for token in tokenize(clauses) {
            match token {
                Token::Word(word) => match Clause::named(word) {
                    Some(named) => clause = named,
                    None => hop.take_word(clause, word),
                },
                Token::Comment(comment) if clause == Clause::From => {
                    hop.from_ip = hop.from_ip.or_else(|| find_ip(comment));
                    if hop.from_host.is_none() {
                        hop.from_host = comment.split_whitespace().next();
                    }
                }
                _ => {}
            }
        }
        hop
    }

    fn take_word(&mut self, clause: Clause, word: &'a str) {
        let slot = match clause {
            Clause::From => &mut self.from_host,
            Clause::By => &mut self.by,
            Clause::With => &mut self.with,
            Clause::Id => &mut self.id,
            Clause::Other => return,
        };
        let word = word
            .trim_start_matches('<')
            .trim_end_matches(['>', '.', ',']);
        if slot.is_none() && !word.is_empty() {
            *slot = Some(word);
            if clause == Clause::From {
                self.from_ip = self.from_ip.or_else(|| find_ip(word));
            }
        }
    }

    /// `host [ip]`, `host`, `[ip]`, or nothing.
    pub fn from_text(&self) -> Option<String> {
        let Some(ip) = self.from_ip else {
            return self.from_host.map(str::to_string);
        };
        let mut text = String::with_capacity(self.from_host.map_or(0, str::len) + 44);
        if let Some(host) = self.from_host {
            text.push_str(host);
            text.push(' ');
        }
        text.push('[');
        let ip_start = text.len();
        push_ip(ip, &mut text);
        // A host written as its IP (`[192.0.2.1]`) is shown once.
        let ip_text = &text[ip_start..];
        if self
            .from_host
            .is_some_and(|host| host.trim_matches(['[', ']']) == ip_text)
        {
            text.replace_range(..ip_start, "[");
        }
        text.push(']');
        Some(text)
    }
}

/// Appends `ip` as `Display` writes it (IPv4's four numbers without the formatting machinery).
fn push_ip(ip: IpAddr, text: &mut String) {
    match ip {
        IpAddr::V4(v4) => {
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    text.push('.');
                }
                text.push_str(itoa::Buffer::new().format(octet));
            }
        }
        IpAddr::V6(v6) => {
            use std::fmt::Write as _;
            let _ = write!(text, "{v6}");
        }
    }
}

/// The first IP address in `text`: in brackets (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) or alone.
fn find_ip(text: &str) -> Option<IpAddr> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',' | '='))
        .map(|mut part| {
            // `trim_start_matches("IPv6:")` would build a substring searcher for every word.
            while let Some(rest) = part.strip_prefix("IPv6:") {
                part = rest;
            }
            part.trim_end_matches('.')
        })
        // Only hex digits, dots and colons can be an address: host names are passed over
        // without a parse.
        .filter(|part| {
            part.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
        })
        .find_map(|part| part.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Option<jiff::Timestamp> {
        text.parse().ok()
    }

    #[test]
    fn reads_postfix() {
        let hop = Hop::parse(
            "from mail.example.org (mail.example.org [198.51.100.7]) by mx.example.com (Postfix) with ESMTPS id 4Xyz12abc for <bob@example.com>; Tue, 24 Nov 2026 10:00:01 +0100 (CET)",
        );
        assert_eq!(
            hop.from_text().as_deref(),
            Some("mail.example.org [198.51.100.7]")
        );
        assert_eq!(
            (hop.by, hop.with, hop.id),
            (Some("mx.example.com"), Some("ESMTPS"), Some("4Xyz12abc"))
        );
        assert_eq!(hop.time, time("2026-11-24T09:00:01Z"));
    }

    #[test]
    fn reads_exchange_with_bare_ipv6_comments() {
        let hop = Hop::parse(
            "from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:1::12) by AM6PR04MB5678.eurprd04.prod.outlook.com (2603:10a6:20b:2::34) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7611.20; Tue, 24 Nov 2026 09:00:02 +0000",
        );
        assert_eq!(
            hop.from_text().as_deref(),
            Some("AM6PR04MB1234.eurprd04.prod.outlook.com [2603:10a6:20b:1::12]")
        );
        assert_eq!(hop.with, Some("Microsoft"));
        assert_eq!(hop.id, Some("15.20.7611.20"));
    }

    #[test]
    fn reads_gmail_hops_with_and_without_from() {
        let inner = Hop::parse(
            "by 2002:a05:6402:1234:b0:56c:1234:5678 with SMTP id abc123csp456789; Tue, 24 Nov 2026 01:00:03 -0800 (PST)",
        );
        assert_eq!(
            (inner.from_text(), inner.by),
            (None, Some("2002:a05:6402:1234:b0:56c:1234:5678"))
        );
        assert_eq!(inner.time, time("2026-11-24T09:00:03Z"));
        let outer = Hop::parse(
            "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id x12sor345678wmc.1.2026.11.24.01.00.03 for <bob@example.com> (Google Transport Security); Tue, 24 Nov 2026 01:00:03 -0800 (PST)",
        );
        assert_eq!(
            outer.from_text().as_deref(),
            Some("mail-sor-f41.google.com [209.85.220.41]")
        );
        assert_eq!(outer.id, Some("x12sor345678wmc.1.2026.11.24.01.00.03"));
    }

    #[test]
    fn reads_ses() {
        let hop = Hop::parse(
            "from a9-183.smtp-out.amazonses.com (a9-183.smtp-out.amazonses.com [54.240.9.183]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id d6iitobk75ur44p8kdnnp7g2n800 for recipient@example.com; Fri, 11 Sep 2015 20:32:33 +0000 (UTC)",
        );
        assert_eq!(hop.from_ip, "54.240.9.183".parse().ok());
        assert_eq!(hop.by, Some("inbound-smtp.us-east-1.amazonaws.com"));
        assert_eq!(hop.time, time("2015-09-11T20:32:33Z"));
    }

    #[test]
    fn reads_qmail() {
        let invoked = Hop::parse("(qmail 12345 invoked by uid 89); 24 Nov 2026 10:00:04 -0000");
        assert_eq!((invoked.from_text(), invoked.by), (None, None));
        assert_eq!(invoked.time, time("2026-11-24T10:00:04Z"));
        let hop = Hop::parse(
            "from unknown (HELO mail.example.net) (203.0.113.9) by mx.example.com with SMTP; 24 Nov 2026 10:00:05 -0000",
        );
        assert_eq!(hop.from_text().as_deref(), Some("unknown [203.0.113.9]"));
    }

    #[test]
    fn an_unreadable_date_is_no_time() {
        let hop = Hop::parse("from a by b; yesterday at noon");
        assert_eq!((hop.time, hop.date_text), (None, Some("yesterday at noon")));
        assert_eq!(Hop::parse("by b").time, None);
        assert_eq!(
            Hop::parse("from a by ...").by,
            None,
            "elided, as in some samples"
        );
    }
}
