//! What a message's headers say about its path and its authentication, read the way a mail
//! engineer reads them: `Received` hops, `Authentication-Results`, `Received-SPF`,
//! `DKIM-Signature` and ARC sets. Parsers are tolerant (what they cannot read they leave out) and
//! read each value in one pass, without recursion: time linear in its length.

pub mod auth;
pub mod received;
mod tokens;

/// The first address in an address field — `Name <user@domain>`, `user@domain`, a list or a
/// group — read by mailparse's RFC 5322 address parser, never fooled by a display name; `None`
/// when the field holds no address.
pub fn first_address(value: &str) -> Option<String> {
    let bare = value.trim();
    // Most envelope senders are a bare address, and most From headers a plain name and one
    // address in brackets: nothing there for a parser to find.
    if bare.contains('@') && !bare.contains(['<', '"', ',', '(', ':', ';', ' ', '\\']) {
        return Some(bare.to_string());
    }
    if let Some(address) = plainly_named(bare) {
        return Some(address.to_string());
    }
    let addresses = mailparse::addrparse(value).ok()?;
    addresses.iter().find_map(|address| match address {
        mailparse::MailAddr::Single(single) => Some(single.addr.clone()),
        mailparse::MailAddr::Group(group) => group.addrs.first().map(|s| s.addr.clone()),
    })
}

/// The address of `Name <user@domain>` when the name holds nothing a parser would read (no
/// quotes, comments, groups, lists or `@`), so the brackets are the only address.
fn plainly_named(value: &str) -> Option<&str> {
    let (name, rest) = value.split_once('<')?;
    let address = rest.strip_suffix('>')?;
    let special = |c: char| "\"(),:;<>@[]\\".contains(c);
    let plain = !name.contains(special)
        && address.contains('@')
        && !address.contains(|c: char| special(c) && c != '@' || c.is_whitespace());
    plain.then_some(address)
}

/// The domain of an address (what follows the last `@`), lower-cased; `None` without one.
pub fn domain(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::{domain, first_address};

    #[test]
    fn finds_the_domain() {
        assert_eq!(domain("Ana@Example.COM").as_deref(), Some("example.com"));
        assert_eq!(domain("\"a@b\"@c.example").as_deref(), Some("c.example"));
        assert_eq!(domain("postmaster"), None);
        assert_eq!(domain("x@"), None);
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
        ] {
            let parsed = mailparse::addrparse(value).ok().and_then(|list| {
                list.iter().find_map(|address| match address {
                    mailparse::MailAddr::Single(single) => Some(single.addr.clone()),
                    mailparse::MailAddr::Group(group) => {
                        group.addrs.first().map(|s| s.addr.clone())
                    }
                })
            });
            assert_eq!(first_address(value), parsed, "{value}");
        }
    }
}
