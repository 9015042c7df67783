//! Pseudonyms: stand-ins derived from a keyed hash (HMAC-SHA-256), so that the same value gives
//! the same stand-in across a run, and across runs with the same key, and each keeps its kind
//! and shape (an address stays an address, an IP an IP of its version, an id its characters).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The documentation ranges an IPv4 address is replaced from (RFC 5737).
const IPV4_RANGES: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

/// Domains kept as they are: Amazon's own (SES, SNS, the mailbox simulator), which say how mail
/// travelled, and the names reserved for examples, which identify nobody.
const KEPT_DOMAIN_SUFFIXES: [&str; 8] = [
    "amazonses.com",
    "amazonaws.com",
    "amazon.com",
    "example.com",
    "example.org",
    "example.net",
    "example",
    "invalid",
];

/// The longest placeholder written, whatever the length of what it replaces.
const LONGEST_PLACEHOLDER: usize = 256;

/// Makes pseudonyms with one key.
#[derive(Clone)]
pub struct Pseudonyms {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Pseudonyms")
    }
}

impl Pseudonyms {
    pub fn new(key: &[u8]) -> Pseudonyms {
        // HMAC takes a key of any length.
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
            <Hmac<Sha256> as KeyInit>::new_from_slice(&[0]).expect("HMAC accepts any key")
        });
        Pseudonyms { mac }
    }

    /// At least `n` bytes derived from `kind` and `value` (a kind keeps an address's pseudonym
    /// apart from a domain's of the same text).
    fn bytes(&self, kind: &str, value: &str, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 32);
        let mut counter: u32 = 0;
        while out.len() < n {
            let mut mac = self.mac.clone();
            mac.update(kind.as_bytes());
            mac.update(&[0]);
            mac.update(value.as_bytes());
            mac.update(&counter.to_be_bytes());
            out.extend_from_slice(&mac.finalize().into_bytes());
            counter += 1;
        }
        out
    }

    /// `n` lowercase hexadecimal digits.
    pub fn hex(&self, kind: &str, value: &str, n: usize) -> String {
        self.bytes(kind, value, n.div_ceil(2))
            .iter()
            .flat_map(|b| [b >> 4, b & 0xf])
            .take(n)
            .map(|d| char::from_digit(u32::from(d), 16).unwrap_or('0'))
            .collect()
    }

    /// An address: `a7f3c2d1@d41a.example`. Amazon's own addresses (the mailbox simulator,
    /// MAILER-DAEMON) are kept: they say what happened, not who.
    pub fn address(&self, address: &str) -> String {
        let Some((local, domain)) = address.rsplit_once('@') else {
            return self.label("address", address);
        };
        let lower = domain.to_ascii_lowercase();
        if is_amazon(&lower) {
            return address.to_string();
        }
        let local_part = if local.is_empty() {
            String::new()
        } else {
            self.hex("local", &address.to_ascii_lowercase(), 8)
        };
        format!("{local_part}@{}", self.domain(domain))
    }

    /// A domain with as many labels: `mail.corp.com` → `h2c1.d41a.example`; kept when it is
    /// Amazon's or reserved for examples.
    pub fn domain(&self, domain: &str) -> String {
        let lower = domain.to_ascii_lowercase();
        if is_kept_domain(&lower) {
            return domain.to_string();
        }
        let labels: Vec<&str> = lower.split('.').collect();
        if labels.len() < 2 {
            return format!("h{}", self.hex("label", &lower, 4));
        }
        let registered = labels[labels.len() - 2..].join(".");
        let mut out = Vec::with_capacity(labels.len());
        for i in 0..labels.len() - 2 {
            let suffix = labels[i..].join(".");
            out.push(format!("h{}", self.hex("label", &suffix, 4)));
        }
        out.push(format!("d{}", self.hex("domain", &registered, 4)));
        out.push("example".to_string());
        out.join(".")
    }

    /// An IP of the same version from the documentation ranges; loopback and addresses already
    /// in those ranges are kept.
    pub fn ip(&self, ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V4(v4) => {
                let [a, b, c, _] = v4.octets();
                if v4.is_loopback() || IPV4_RANGES.contains(&[a, b, c]) {
                    return ip;
                }
                let bytes = self.bytes("ipv4", &v4.to_string(), 2);
                let [a, b, c] = IPV4_RANGES[usize::from(bytes[0]) % IPV4_RANGES.len()];
                IpAddr::V4(Ipv4Addr::new(a, b, c, 1 + bytes[1] % 254))
            }
            IpAddr::V6(v6) => {
                let segments = v6.segments();
                if v6.is_loopback() || segments[..2] == [0x2001, 0x0db8] {
                    return ip;
                }
                let bytes = self.bytes("ipv6", &v6.to_string(), 12);
                let mut out = [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0];
                for (i, pair) in bytes.chunks(2).take(6).enumerate() {
                    out[i + 2] = u16::from_be_bytes([pair[0], pair[1]]);
                }
                IpAddr::V6(Ipv6Addr::from(out))
            }
        }
    }

    /// Twelve digits for an AWS account id.
    pub fn account(&self, account: &str) -> String {
        self.bytes("account", account, 12)
            .iter()
            .take(12)
            .map(|b| char::from(b'0' + b % 10))
            .collect()
    }

    /// An ARN with its partition, service and region; the account and the names replaced, the
    /// resource type (`function:`, `identity/`) and versions kept.
    pub fn arn(&self, arn: &str) -> String {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() < 6 {
            return self.shaped("arn", arn);
        }
        let account = if parts[4].is_empty() {
            String::new()
        } else {
            self.account(parts[4])
        };
        let resource = parts[5];
        let pieces: Vec<&str> = resource.split_inclusive([':', '/']).collect();
        let mut out = String::with_capacity(resource.len());
        for (i, piece) in pieces.iter().enumerate() {
            let (name, separator) = match piece.strip_suffix([':', '/']) {
                Some(name) => (name, &piece[name.len()..]),
                None => (*piece, ""),
            };
            let is_type = i == 0 && pieces.len() > 1;
            let is_version =
                name.starts_with('$') || name.bytes().all(|b| b.is_ascii_digit()) || name == "*";
            if is_type || is_version || name.is_empty() {
                out.push_str(name);
            } else if name.contains('@') {
                out.push_str(&self.address(name));
            } else if name.contains('.')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                // An SES identity: a domain.
                out.push_str(&self.domain(name));
            } else {
                out.push_str(&self.label("name", name));
            }
            out.push_str(separator);
        }
        format!(
            "{}:{}:{}:{}:{account}:{out}",
            parts[0], parts[1], parts[2], parts[3]
        )
    }

    /// A name (a bucket, a configuration set, a tag's value): `n` and eight hex digits after
    /// `prefix`.
    pub fn label(&self, prefix: &str, name: &str) -> String {
        format!("{prefix}-{}", self.hex("name", name, 8))
    }

    /// The same characters in kind: digits for digits, letters for letters (hex digits for hex
    /// digits when the whole value is hexadecimal), of the same case; the rest kept. For ids.
    pub fn shaped(&self, kind: &str, value: &str) -> String {
        let hex = value
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, '-' | '_' | '.' | ':' | '/'));
        let bytes = self.bytes(kind, value, value.len());
        value
            .chars()
            .zip(bytes.iter().cycle())
            .map(|(c, b)| match c {
                '0'..='9' => char::from(b'0' + b % 10),
                'a'..='f' if hex => char::from(b"0123456789abcdef"[usize::from(b % 16)]),
                'A'..='F' if hex => char::from(b"0123456789ABCDEF"[usize::from(b % 16)]),
                'a'..='z' => char::from(b'a' + b % 26),
                'A'..='Z' => char::from(b'A' + b % 26),
                other => other,
            })
            .collect()
    }

    /// A placeholder of the same length class (up to 8, 16, 32, 64, 128 characters, or longer):
    /// `Subject 3fa9c2d1…`, as long as the class's longest; the same text gives the same one.
    pub fn placeholder(&self, kind: &str, text: &str) -> String {
        let length = length_class(text.chars().count());
        let hex = self.hex("placeholder", text, length);
        if length <= 8 {
            return hex;
        }
        let mut out = format!("{kind} {hex}");
        out.truncate(length);
        out
    }

    /// Characters from the base64 alphabet in place of each one of `value` that is not white
    /// space (signatures, hashes, opaque blobs), so that folding and length stay.
    pub fn base64_like(&self, value: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes = self.bytes("base64", value, value.len());
        value
            .chars()
            .zip(bytes.iter().cycle())
            .map(|(c, b)| {
                if c.is_whitespace() || c == '=' {
                    c
                } else {
                    char::from(ALPHABET[usize::from(b % 64)])
                }
            })
            .collect()
    }
}

/// The longest length of the class that `length` falls in.
fn length_class(length: usize) -> usize {
    let mut class = 8;
    while class < length && class < LONGEST_PLACEHOLDER {
        class *= 2;
    }
    class
}

fn is_amazon(domain: &str) -> bool {
    ["amazonses.com", "amazonaws.com", "amazon.com"]
        .iter()
        .any(|suffix| has_suffix(domain, suffix))
}

/// True for domains written as they are: see [`KEPT_DOMAIN_SUFFIXES`].
pub fn is_kept_domain(domain: &str) -> bool {
    KEPT_DOMAIN_SUFFIXES
        .iter()
        .any(|suffix| has_suffix(domain, suffix))
}

/// `domain` is `suffix` or a subdomain of it.
fn has_suffix(domain: &str, suffix: &str) -> bool {
    domain == suffix
        || domain
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Pseudonyms {
        Pseudonyms::new(b"test key")
    }

    #[test]
    fn addresses_are_consistent_and_keep_their_structure() {
        let names = names();
        let one = names.address("Jane.Doe@mail.corp.com");
        assert_eq!(one, names.address("jane.doe@MAIL.corp.com"));
        let (local, domain) = one.split_once('@').expect("an address");
        assert_eq!(local.len(), 8);
        assert!(domain.starts_with('h') && domain.ends_with(".example"));
        assert_eq!(domain.split('.').count(), 3);
        assert_ne!(one, names.address("john@mail.corp.com"));
        assert_eq!(
            names.address("bounce@simulator.amazonses.com"),
            "bounce@simulator.amazonses.com"
        );
        assert_ne!(
            one,
            Pseudonyms::new(b"other").address("jane.doe@mail.corp.com")
        );
    }

    #[test]
    fn ips_stay_in_documentation_ranges_of_their_version() {
        let names = names();
        for text in ["10.1.2.3", "54.240.8.1", "255.255.255.255"] {
            let IpAddr::V4(v4) = names.ip(text.parse().expect("ip")) else {
                panic!("not v4")
            };
            let [a, b, c, d] = v4.octets();
            assert!(IPV4_RANGES.contains(&[a, b, c]) && d != 0 && d != 255);
        }
        let IpAddr::V6(v6) = names.ip("2a00:1450::1".parse().expect("ip")) else {
            panic!("not v6")
        };
        assert_eq!(v6.segments()[..2], [0x2001, 0x0db8]);
    }

    #[test]
    fn arns_keep_their_shape() {
        let names = names();
        let arn = names.arn("arn:aws:lambda:us-east-1:123456789012:function:Inbound:$LATEST");
        let parts: Vec<&str> = arn.split(':').collect();
        assert_eq!(parts[..4], ["arn", "aws", "lambda", "us-east-1"]);
        assert_eq!(parts[4].len(), 12);
        assert_ne!(parts[4], "123456789012");
        assert_eq!(parts[5], "function");
        assert!(parts[6].starts_with("name-"));
        assert_eq!(parts[7], "$LATEST");
        let identity = names.arn("arn:aws:ses:eu-west-1:123456789012:identity/corp.com");
        assert!(identity.ends_with(&format!("identity/{}", names.domain("corp.com"))));
    }

    #[test]
    fn placeholders_keep_the_length_class() {
        let names = names();
        assert_eq!(names.placeholder("Subject", "Hi").len(), 8);
        let long = names.placeholder("Subject", "Your invoice for March, 2024");
        assert_eq!(long.len(), 32);
        assert!(long.starts_with("Subject "));
        assert_eq!(names.placeholder("Subject", &"x".repeat(5000)).len(), 256);
    }

    #[test]
    fn shaped_ids_keep_their_characters() {
        let names = names();
        let id = names.shaped("id", "0100018c-9f2a-4b8e");
        assert_eq!(id.len(), 18);
        assert_eq!(id.as_bytes()[8], b'-');
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'));
        let mixed = names.shaped("id", "Ab-12");
        assert!(mixed.as_bytes()[0].is_ascii_uppercase() && mixed.as_bytes()[4].is_ascii_digit());
    }
}
