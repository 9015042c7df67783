//! What a message's headers say about its path and its authentication, read the way a mail
//! engineer reads them: `Received` hops, `Authentication-Results`, `Received-SPF`,
//! `DKIM-Signature` and ARC sets. Parsers are tolerant (what they cannot read they leave out) and
//! read each value in one pass, without recursion: time linear in its length.

use std::borrow::Cow;

pub mod auth;
pub mod received;
mod tokens;

/// Whether `byte` can never be part of a bare address (`user@domain` and nothing else).
fn not_bare(byte: u8) -> bool {
    matches!(byte, b'<' | b'"' | b',' | b'(' | b':' | b';' | b' ' | b'\\')
}

/// Whether `byte` is one of RFC 5322's specials, which a parser would read. All are ASCII, so
/// a byte test finds them in UTF-8 text.
fn special(byte: u8) -> bool {
    matches!(
        byte,
        b'"' | b'(' | b')' | b',' | b':' | b';' | b'<' | b'>' | b'@' | b'[' | b']' | b'\\'
    )
}

/// Whether `byte` is ASCII white space as `char::is_whitespace` has it (with the vertical tab).
fn blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Whether any byte of `text` passes `test`. Every byte is tested (a fold, not `any`), so that
/// many are tested at a time: the texts are short, and an early exit would cost more than it
/// saves.
fn any_byte(text: &str, test: impl Fn(u8) -> bool) -> bool {
    text.bytes().fold(false, |found, b| found | test(b))
}

/// The first address in an address field — `Name <user@domain>`, `user@domain`, a list or a
/// group — read by mailparse's RFC 5322 address parser, never fooled by a display name; `None`
/// when the field holds no address. Borrowed from `value` unless the parser had to read it.
pub fn first_address(value: &str) -> Option<Cow<'_, str>> {
    let bare = value.trim();
    // Most envelope senders are a bare address, and most From headers a plain name and one
    // address in brackets: nothing there for a parser to find.
    if bare.contains('@') && !any_byte(bare, not_bare) {
        return Some(Cow::Borrowed(bare));
    }
    if let Some(address) = plainly_named(bare) {
        return Some(Cow::Borrowed(address));
    }
    let addresses = mailparse::addrparse(value).ok()?;
    addresses.iter().find_map(|address| match address {
        mailparse::MailAddr::Single(single) => Some(Cow::Owned(single.addr.clone())),
        mailparse::MailAddr::Group(group) => {
            group.addrs.first().map(|s| Cow::Owned(s.addr.clone()))
        }
    })
}

/// The address of `Name <user@domain>` or `"Name" <user@domain>` when the name holds nothing a
/// parser would read (no comments, groups, lists or `@`; in quotes, no escapes), so the brackets
/// are the only address.
fn plainly_named(value: &str) -> Option<&str> {
    let bracketed = match value.strip_prefix('"') {
        // A quoted name without escapes ends at its next quote, whatever it holds.
        Some(quoted) => {
            let (name, rest) = quoted.split_once('"')?;
            if name.contains('\\') {
                return None;
            }
            rest.trim_start().strip_prefix('<')?
        }
        None => {
            let (name, rest) = value.split_once('<')?;
            if any_byte(name, special) {
                return None;
            }
            rest
        }
    };
    let address = bracketed.strip_suffix('>')?;
    // White space beyond ASCII's needs the slower test, and only text beyond ASCII can hold it.
    let plain = address.contains('@')
        && !any_byte(address, |b| special(b) && b != b'@' || blank(b))
        && (address.is_ascii() || !address.contains(char::is_whitespace));
    plain.then_some(address)
}

/// An address as a key: the address itself (`Name <user@example.com>`, as `mail.destination`
/// may have it, is `user@example.com`), lower-cased; text with no address in it stays as it is,
/// lower-cased. Borrowed when it is already so (most addresses), so that counting them does not
/// allocate.
pub fn address_key(value: &str) -> Cow<'_, str> {
    let bare = value.trim();
    lower_cased(first_address(bare).unwrap_or(Cow::Borrowed(bare)))
}

/// `text` lower-cased: as it is when lower-casing would leave it so, as most is.
pub fn lower_cased(text: Cow<'_, str>) -> Cow<'_, str> {
    if is_lower_case(&text) {
        text
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Whether lower-casing `text` would leave it as it is.
fn is_lower_case(text: &str) -> bool {
    if text.is_ascii() {
        return !any_byte(text, |b| b.is_ascii_uppercase());
    }
    text.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    })
}

/// The domain of an address (what follows the last `@`), its ASCII letters lower-cased, borrowed
/// when none is upper case; `None` without one.
pub fn domain(address: &str) -> Option<Cow<'_, str>> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    if domain.is_empty() {
        None
    } else if any_byte(domain, |b| b.is_ascii_uppercase()) {
        Some(Cow::Owned(domain.to_ascii_lowercase()))
    } else {
        Some(Cow::Borrowed(domain))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{address_key, domain, first_address, plainly_named};

    #[test]
    fn finds_the_domain() {
        assert_eq!(domain("Ana@Example.COM").as_deref(), Some("example.com"));
        assert_eq!(domain("\"a@b\"@c.example").as_deref(), Some("c.example"));
        assert_eq!(domain("postmaster"), None);
        assert_eq!(domain("x@"), None);
        assert!(matches!(
            domain("ana@mail.example"),
            Some(Cow::Borrowed("mail.example"))
        ));
    }

    #[test]
    fn keys_an_address_by_itself_lower_cased() {
        assert_eq!(address_key("Bo Smith <Bo@Example.COM>"), "bo@example.com");
        assert_eq!(address_key(" ana@example.com "), "ana@example.com");
        assert_eq!(address_key("Undisclosed"), "undisclosed");
        // A title-case letter is not upper case, yet lower-cases to another letter.
        assert_eq!(address_key("\u{1C5}a@example.com"), "\u{1C6}a@example.com");
        for plain in ["ana@example.com", "łukasz@example.pl"] {
            assert!(matches!(address_key(plain), Cow::Borrowed(_)), "{plain}");
        }
        for value in [
            "Ana@example.com",
            "Ana <ana@example.com>",
            "ä@x",
            "ǅ@x",
            "Σ@x",
        ] {
            assert_eq!(
                address_key(value),
                first_address(value)
                    .map_or_else(|| value.to_string(), Cow::into_owned)
                    .to_lowercase(),
                "{value}"
            );
        }
    }

    #[test]
    fn finds_the_first_address() {
        let first = |value| first_address(value).unwrap_or_default();
        assert_eq!(
            first("Ana <ana@example.com>, Bo <bo@example.org>"),
            "ana@example.com"
        );
        assert_eq!(
            first("\"Doe, Jane\" <jane@example.org>"),
            "jane@example.org"
        );
        assert_eq!(first(" ops@example.net "), "ops@example.net");
        assert_eq!(first("ops@example.net (Ops)"), "ops@example.net");
        assert_eq!(
            first("\"evil@x.example\" <real@y.example>"),
            "real@y.example"
        );
        assert_eq!(first_address("undisclosed-recipients:;"), None);
        // Read without the parser: a plain name, or one in quotes without escapes.
        for (value, address) in [
            ("Ana <ana@example.com>", "ana@example.com"),
            ("\"Doe, Jane\" <jane@example.org>", "jane@example.org"),
        ] {
            assert_eq!(plainly_named(value), Some(address));
        }
        assert_eq!(plainly_named("\"Say \\\"hi\\\"\" <hi@example.org>"), None);
    }

    #[test]
    fn reads_a_plainly_named_address_as_the_parser_does() {
        for value in [
            "Ana Silva <ana.silva@example.com>",
            "=?ISO-8859-1?Q?Ren=E9e?= <alice@example.com>",
            "<bare@example.com>",
            "Łukasz Kowalski <lukasz@news.example.co.uk>",
            "\"ceo@bank.example\" <thief@evil.example>",
            "ceo@bank.example <thief@evil.example>",
            "Team: a@x.example, b@y.example;",
            "A <a@x.example>, B <b@y.example>",
            "Odd <a b@x.example>",
            "\"Ivan Kowalski\" <ivan.kowalski@shop.example>",
            "\"Doe, Jane\" <jane@example.org>",
            "\"Doe, Jane\"<jane@example.org>",
            "\"\" <empty@example.org>",
            "\"<a@x.example>\" <b@y.example>",
            "\"Say \\\"hi\\\"\" <hi@example.org>",
            "\"A\" \"B\" <ab@example.org>",
            "\"unclosed <a@x.example>",
            "\"A\" <a@x.example>, b@y.example",
            "\"A\" <a@x.example>, \"B\" <b@y.example>",
            "\"A\" (comment) <a@x.example>",
            "\"Łukasz (Ł)\" <l@x.example>",
        ]
        .into_iter()
        .map(String::from)
        // A quoted name holding each character a parser might read, and a bare one too.
        .chain(
            "\"(),:;<>@[]\\ é\t\u{b}\u{c}\r\u{a0}\u{2003}"
                .chars()
                .flat_map(|c| {
                    [
                        format!("\"a{c}b\" <x@y.example>"),
                        format!("a{c}b <x@y.example>"),
                        format!("\"a\" <x{c}@y.example>"),
                    ]
                }),
        ) {
            let value = value.as_str();
            let parsed = mailparse::addrparse(value).ok().and_then(|list| {
                list.iter().find_map(|address| match address {
                    mailparse::MailAddr::Single(single) => Some(single.addr.clone()),
                    mailparse::MailAddr::Group(group) => {
                        group.addrs.first().map(|s| s.addr.clone())
                    }
                })
            });
            assert_eq!(first_address(value).map(Cow::into_owned), parsed, "{value}");
        }
    }
}
