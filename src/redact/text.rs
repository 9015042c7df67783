//! Text inside values: header values redacted per header (addresses, Received, DKIM tags,
//! Authentication-Results), and free text in which addresses, URLs, IPs and host names are
//! replaced while the words around them (SMTP replies, verdicts) are kept.

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::pseudonym::{Pseudonyms, is_kept_domain};

/// URLs, addresses, IPs and host names, in the order they are tried.
static SENSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<url>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\x22'()]+)",
        r"|(?P<email>[A-Za-z0-9._%+=-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}\b)",
        r"|(?P<ipv6>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:\.\d{1,3}){0,3})",
        r"|(?P<ipv4>\b\d{1,3}(?:\.\d{1,3}){3}\b)",
        r"|(?P<domain>\b(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b)",
    ))
    .expect("a valid pattern")
});

/// `id TOKEN` in a Received header: a queue id that an administrator can look up.
static RECEIVED_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bid\s+([^\s;()]+)").expect("a valid pattern"));

/// The first label of Authentication-Results property names (`smtp.mailfrom`, `header.from`),
/// which look like domains but are words of the header's grammar.
const PROPERTY_TYPES: [&str; 5] = ["smtp", "header", "body", "policy", "dns"];

/// How a header's value is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRule {
    /// Said by its form alone (MIME-Version, Content-Transfer-Encoding, SES's verdicts).
    Keep,
    /// Addresses, with display names: `Name <addr>` keeps its structure.
    Addresses,
    /// A subject or a topic: a placeholder of the same length class.
    Subject,
    /// A date: shifted with `--shift-time`.
    Date,
    /// A DKIM or ARC signature's tags: `d=`, `i=`, `s=` replaced, `b=` and `bh=` scrambled.
    TagList,
    /// A Received header: hosts, IPs, addresses and the queue id.
    Received,
    /// Text with addresses, URLs, IPs and hosts in it (Authentication-Results, Message-ID…).
    FreeText,
    /// A message id: as in the event's `commonHeaders.messageId`.
    MessageId,
    /// An opaque value (SES's encrypted receipt, Thread-Index): scrambled, same length.
    Opaque,
    /// A name (SES's configuration set): a pseudonym.
    Name,
    /// SES's message tags (`X-SES-MESSAGE-TAGS`): each value as in `mail.tags`.
    SesTags,
    /// A header redact does not know: a placeholder, and listed.
    Unknown,
}

/// The rule for a header, by its name (case-insensitive).
pub fn header_rule(name: &str) -> HeaderRule {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "mime-version"
        | "content-transfer-encoding"
        | "x-ses-spam-verdict"
        | "x-ses-virus-verdict"
        | "precedence"
        | "auto-submitted"
        | "x-priority"
        | "importance"
        | "content-language" => HeaderRule::Keep,
        "from"
        | "to"
        | "cc"
        | "bcc"
        | "reply-to"
        | "sender"
        | "return-path"
        | "delivered-to"
        | "x-original-to"
        | "resent-from"
        | "resent-to"
        | "resent-cc"
        | "resent-bcc"
        | "resent-sender"
        | "disposition-notification-to"
        | "x-forwarded-to"
        | "x-original-from" => HeaderRule::Addresses,
        "subject" | "thread-topic" => HeaderRule::Subject,
        "date" | "resent-date" => HeaderRule::Date,
        "dkim-signature" | "arc-message-signature" | "arc-seal" | "domainkey-signature" => {
            HeaderRule::TagList
        }
        "received" | "x-received" => HeaderRule::Received,
        "authentication-results"
        | "arc-authentication-results"
        | "received-spf"
        | "in-reply-to"
        | "references"
        | "content-type"
        | "content-disposition"
        | "list-unsubscribe"
        | "list-unsubscribe-post"
        | "list-id"
        | "feedback-id"
        | "x-ses-outgoing"
        | "x-mailer"
        | "user-agent" => HeaderRule::FreeText,
        "message-id" => HeaderRule::MessageId,
        "x-ses-configuration-set" => HeaderRule::Name,
        "x-ses-message-tags" => HeaderRule::SesTags,
        "x-ses-receipt" | "x-ses-dkim-signature" | "thread-index" => HeaderRule::Opaque,
        _ => HeaderRule::Unknown,
    }
}

/// Free text with every address, URL, IP and host name replaced by its pseudonym; the rest
/// (words, numbers, punctuation) kept.
pub fn free_text(names: &Pseudonyms, text: &str) -> String {
    SENSITIVE
        .replace_all(text, |caps: &Captures| replace(names, caps))
        .into_owned()
}

fn replace(names: &Pseudonyms, caps: &Captures) -> String {
    let whole = &caps[0];
    if let Some(url) = caps.name("url") {
        return self::url(names, url.as_str());
    }
    if caps.name("email").is_some() {
        return match whole.rsplit_once('@') {
            // `header.i=@example.com`: a property and a domain, no local part.
            Some((property, domain)) if property.ends_with('=') => {
                format!("{property}@{}", names.domain(domain))
            }
            _ => names.address(whole),
        };
    }
    if caps.name("ipv6").is_some() || caps.name("ipv4").is_some() {
        return match whole.parse::<IpAddr>() {
            Ok(ip) => names.ip(ip).to_string(),
            Err(_) => whole.to_string(),
        };
    }
    let mut labels = whole.split('.');
    let first = labels.next().unwrap_or_default().to_ascii_lowercase();
    let is_property = whole.split('.').count() == 2 && PROPERTY_TYPES.contains(&first.as_str());
    if is_property {
        whole.to_string()
    } else {
        names.domain(whole)
    }
}

/// A URL: its scheme kept, its host replaced, everything after the host replaced by a
/// pseudonym path (paths and queries name people and carry tokens).
fn url(names: &Pseudonyms, url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return names.placeholder("url", url);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
        _ => (host, None),
    };
    let mut out = format!("{scheme}://");
    match host.parse::<IpAddr>() {
        Ok(ip) => out.push_str(&names.ip(ip).to_string()),
        Err(_) if is_kept_domain(&host.to_ascii_lowercase()) => out.push_str(host),
        Err(_) => out.push_str(&names.domain(host)),
    }
    if let Some(port) = port {
        out.push(':');
        out.push_str(port);
    }
    if !path.is_empty() && path != "/" {
        out.push_str("/p-");
        out.push_str(&names.hex("path", url, 12));
    } else {
        out.push_str(path);
    }
    out
}

/// A list of addresses with display names: each address replaced, each display name a
/// placeholder, the structure (`Name <addr>`, groups, angle brackets) kept. Text that does not
/// read as addresses is redacted as free text.
pub fn addresses(names: &Pseudonyms, value: &str) -> String {
    let Ok(list) = mailparse::addrparse(value) else {
        return free_text(names, value);
    };
    let display = |name: &str| names.placeholder("Name", name);
    let single = |info: &mailparse::SingleInfo, bracketed: bool| match &info.display_name {
        Some(name) => format!("{} <{}>", display(name), names.address(&info.addr)),
        None if bracketed => format!("<{}>", names.address(&info.addr)),
        None => names.address(&info.addr),
    };
    let bracketed = value.trim_start().starts_with('<');
    let parts: Vec<String> = list
        .iter()
        .map(|address| match address {
            mailparse::MailAddr::Single(info) => single(info, bracketed),
            mailparse::MailAddr::Group(group) => {
                let members: Vec<String> = group.addrs.iter().map(|a| single(a, false)).collect();
                format!("{}: {};", display(&group.group_name), members.join(", "))
            }
        })
        .collect();
    if parts.is_empty() {
        free_text(names, value)
    } else {
        parts.join(", ")
    }
}

/// An id: with an `@` (a Message-ID) as free text, so that its domain is the same pseudonym
/// as elsewhere; else character for character (see [`Pseudonyms::shaped`]). The same id gives
/// the same text in a header and in an event's field.
pub fn message_id(names: &Pseudonyms, value: &str) -> String {
    if value.contains('@') {
        free_text(names, value)
    } else {
        names.shaped("id", value)
    }
}

/// A Received header: the queue id replaced, then hosts, IPs and addresses.
pub fn received(names: &Pseudonyms, value: &str) -> String {
    let ids = RECEIVED_ID.replace_all(value, |caps: &Captures| {
        format!("id {}", names.shaped("queue id", &caps[1]))
    });
    free_text(names, &ids)
}

/// A DKIM or ARC tag list (`v=1; a=rsa-sha256; d=example.com; s=sel; b=…`): the signing domain
/// and identity replaced, the selector a pseudonym, signatures and hashes scrambled at the same
/// length; the other tags (algorithm, canonicalization, signed headers, times) kept.
pub fn tag_list(names: &Pseudonyms, value: &str) -> String {
    let parts: Vec<String> = value
        .split(';')
        .map(|part| {
            let Some((tag, tag_value)) = part.split_once('=') else {
                return part.to_string();
            };
            let replaced = match tag.trim() {
                "b" | "bh" => names.base64_like(tag_value),
                "s" => {
                    let selector = tag_value.trim();
                    let start = tag_value.find(selector).unwrap_or(0);
                    format!(
                        "{}{}{}",
                        &tag_value[..start],
                        names.label("s", selector),
                        &tag_value[start + selector.len()..]
                    )
                }
                _ => free_text(names, tag_value),
            };
            format!("{tag}={replaced}")
        })
        .collect();
    parts.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Pseudonyms {
        Pseudonyms::new(b"k")
    }

    #[test]
    fn free_text_replaces_what_names_and_keeps_the_words() {
        let names = names();
        let text =
            "smtp; 550 5.1.1 <jane@corp.com>: Recipient address rejected at mx.corp.com [54.1.2.3]";
        let out = free_text(&names, text);
        assert!(out.starts_with("smtp; 550 5.1.1 <"));
        assert!(out.contains(">: Recipient address rejected at h"));
        assert!(!out.contains("corp.com") && !out.contains("54.1.2.3"));
        assert!(out.contains(&names.address("jane@corp.com")));
    }

    #[test]
    fn authentication_results_keep_their_grammar() {
        let names = names();
        let value = "amazonses.com; spf=pass (spf: domain of corp.com designates 54.1.2.3 as \
                     permitted sender) client-ip=54.1.2.3; dkim=pass header.i=@corp.com; \
                     dmarc=pass header.from=corp.com;";
        let out = free_text(&names, value);
        assert!(out.starts_with("amazonses.com; spf=pass (spf: domain of d"));
        assert!(out.contains("dkim=pass header.i=@d") && out.contains("dmarc=pass header.from=d"));
        assert!(!out.contains("corp.com"));
    }

    #[test]
    fn address_headers_keep_name_and_angle_brackets() {
        let names = names();
        let out = addresses(&names, "\"Doe, Jane\" <jane@corp.com>, bob@corp.com");
        let expected = format!(
            "{} <{}>, {}",
            names.placeholder("Name", "Doe, Jane"),
            names.address("jane@corp.com"),
            names.address("bob@corp.com")
        );
        assert_eq!(out, expected);
        assert_eq!(
            addresses(&names, "<bounce@corp.com>"),
            format!("<{}>", names.address("bounce@corp.com"))
        );
    }

    #[test]
    fn dkim_tags_are_redacted_by_tag() {
        let names = names();
        let value = "v=1; a=rsa-sha256; c=relaxed/simple; d=corp.com; s=mail2024;\r\n t=1717236000; h=From:To:Subject; bh=AbCd+/==; b=QkFTRTY0\r\n  c2ln";
        let out = tag_list(&names, value);
        assert!(out.starts_with("v=1; a=rsa-sha256; c=relaxed/simple; d=d"));
        assert!(out.contains("; s=s-") && out.contains("t=1717236000; h=From:To:Subject; bh="));
        assert!(!out.contains("corp.com") && !out.contains("mail2024"));
        assert!(!out.contains("AbCd") && out.contains("\r\n  "));
        assert_eq!(
            out.len(),
            value.len() - "corp.com".len() + names.domain("corp.com").len() - "mail2024".len()
                + names.label("s", "mail2024").len()
        );
    }

    #[test]
    fn received_ids_hosts_and_ips_are_replaced() {
        let names = names();
        let value = "from mx.corp.com (mx.corp.com [54.1.2.3]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id abc123def for jane@corp.com; Sat, 01 Jun 2024 10:00:00 +0000";
        let out = received(&names, value);
        assert!(out.contains("by inbound-smtp.us-east-1.amazonaws.com with SMTP id "));
        assert!(
            !out.contains("abc123def") && !out.contains("corp.com") && !out.contains("54.1.2.3")
        );
        assert!(out.ends_with("; Sat, 01 Jun 2024 10:00:00 +0000"));
    }
}
