//! What a message says about its own authentication — `Authentication-Results`,
//! `Received-SPF`, `DKIM-Signature`, ARC sets — who added each header (SES, or a server before
//! it), where SES's own headers disagree with its verdicts, and what the others' differences mean.

use std::borrow::Cow;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::received::Hop;
use super::tokens::{Token, tokenize};
use crate::model::{Header, Receipt, Status, Verdict, words};

/// One `Authentication-Results` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthenticationResults {
    pub authserv_id: String,
    pub results: Vec<MethodResult>,
}

/// One `method=result` with its reason and properties (`smtp.mailfrom`, `header.d`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodResult {
    pub method: String,
    pub result: String,
    pub reason: Option<String>,
    #[serde(serialize_with = "as_map")]
    pub properties: Vec<(String, String)>,
}

/// Pairs as a JSON object, in their order.
fn as_map<S: serde::Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl AuthenticationResults {
    /// Reads the header. A `;`-separated part that starts with a property rather than a method
    /// (SES writes `spf=pass (…) client-ip=…; envelope-from=…; helo=…;`) belongs to the method
    /// before it (or is left out, with no method before it).
    pub fn parse(value: &str) -> AuthenticationResults {
        let mut groups = split_groups(value).into_iter();
        let authserv_id = groups
            .next()
            .and_then(|g| g.first().map(|w| w.to_string()))
            .unwrap_or_default();
        let mut results: Vec<MethodResult> = Vec::new();
        for words in groups {
            if !words.first().is_some_and(|w| is_property(w)) {
                results.extend(MethodResult::parse(&words));
            } else if let Some(previous) = results.last_mut() {
                previous.add_properties(&words);
            }
        }
        AuthenticationResults {
            authserv_id,
            results,
        }
    }
}

/// Whether `word` is `key=value` for a property of a method rather than a method: a `ptype.name`
/// (`smtp.mailfrom`, `header.i`), a reason, or one of the keys of `Received-SPF` that SES
/// writes into its `Authentication-Results` (`client-ip`, `envelope-from`, `helo`…).
fn is_property(word: &str) -> bool {
    const SPF_KEYS: [&str; 7] = [
        "client-ip",
        "envelope-from",
        "helo",
        "receiver",
        "identity",
        "mechanism",
        "problem",
    ];
    word.split_once('=').is_some_and(|(key, _)| {
        key.contains('.')
            || key.eq_ignore_ascii_case("reason")
            || SPF_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
    })
}

impl MethodResult {
    fn parse(words: &[&str]) -> Option<MethodResult> {
        let (method, result) = words.first()?.split_once('=')?;
        let mut parsed = MethodResult {
            method: method.to_ascii_lowercase(),
            result: result.to_ascii_lowercase(),
            reason: None,
            properties: Vec::new(),
        };
        parsed.add_properties(&words[1..]);
        Some(parsed)
    }

    /// Adds the `key=value` words (a reason, or properties); other words are left out.
    fn add_properties(&mut self, words: &[&str]) {
        for word in words {
            let Some((key, value)) = word.split_once('=') else {
                continue;
            };
            let value = unquote(value);
            if key.eq_ignore_ascii_case("reason") {
                self.reason = Some(value);
            } else {
                self.properties.push((key.to_ascii_lowercase(), value));
            }
        }
    }
}

/// The words of each `;`-separated part, comments left out.
fn split_groups(value: &str) -> Vec<Vec<&str>> {
    let mut groups = vec![Vec::new()];
    for token in tokenize(value) {
        match token {
            Token::Semicolon => groups.push(Vec::new()),
            Token::Word(word) | Token::Quoted(word) => {
                if let Some(group) = groups.last_mut() {
                    group.push(word);
                }
            }
            Token::Comment(_) => {}
        }
    }
    groups.retain(|g| !g.is_empty());
    groups
}

fn unquote(value: &str) -> String {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .to_string()
}

/// One `Received-SPF` header: the result, who checked, and its `key=value` details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedSpf {
    pub result: String,
    /// The host that checked, when the header names it: `receiver=`, or a comment that starts
    /// with it (Google writes `(google.com: domain of … designates …)`).
    pub receiver: Option<String>,
    pub client_ip: Option<String>,
    pub envelope_from: Option<String>,
    pub helo: Option<String>,
}

impl ReceivedSpf {
    pub fn parse(value: &str) -> ReceivedSpf {
        let words: Vec<&str> = split_groups(value).into_iter().flatten().collect();
        let get = |key: &str| {
            words.iter().find_map(|w| {
                w.split_once('=')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| unquote(v))
            })
        };
        let commented = tokenize(value).find_map(|token| match token {
            Token::Comment(comment) => Some(comment),
            _ => None,
        });
        ReceivedSpf {
            result: words
                .first()
                .filter(|w| !w.contains('='))
                .map(|w| w.to_ascii_lowercase())
                .unwrap_or_default(),
            receiver: get("receiver").or_else(|| commented.and_then(host_before_colon)),
            client_ip: get("client-ip"),
            envelope_from: get("envelope-from"),
            helo: get("helo"),
        }
    }
}

/// The host name a comment starts with, before a colon (`google.com: domain of …`); SES's
/// `spfCheck:` names no host.
fn host_before_colon(comment: &str) -> Option<String> {
    let (host, _) = comment.split_once(':')?;
    let host = host.trim();
    let plausible = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    plausible.then(|| host.to_ascii_lowercase())
}

/// A DKIM-style tag list (`v=1; a=rsa-sha256; d=…`): each tag with its value as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Tags<'a> {
    pub fn parse(value: &'a str) -> Tags<'a> {
        // Made to size: a tag a `;`, and one after the last.
        let mut tags = Vec::with_capacity(1 + value.bytes().filter(|&b| b == b';').count());
        tags.extend(
            value
                .split(';')
                .filter_map(|part| part.split_once('='))
                .map(|(tag, value)| (tag.trim(), value)),
        );
        Tags(tags)
    }

    /// The value of `tag` as written, folding whitespace and all.
    fn written(&self, tag: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|&(_, value)| value)
    }

    /// The value of `tag`, folding whitespace removed.
    pub fn get(&self, tag: &str) -> Option<Cow<'a, str>> {
        let value = self.written(tag)?;
        // White space is ASCII's or beyond ASCII: a look at the bytes clears most values.
        let maybe_space = value
            .bytes()
            .any(|b| matches!(b, b'\t'..=b'\r' | b' ') || !b.is_ascii());
        Some(match maybe_space && value.contains(char::is_whitespace) {
            true => Cow::Owned(value.chars().filter(|c| !c.is_whitespace()).collect()),
            false => Cow::Borrowed(value),
        })
    }
}

/// One `DKIM-Signature`, as shown: `bh` and `b` shortened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DkimSignature {
    pub v: Option<String>,
    pub a: Option<String>,
    pub c: Option<String>,
    pub d: Option<String>,
    pub s: Option<String>,
    pub t: Option<String>,
    pub x: Option<String>,
    /// The signed headers' names joined by `:`, empty names left out (a list in JSON).
    #[serde(serialize_with = "as_list")]
    pub h: String,
    pub bh: Option<String>,
    pub b: Option<String>,
}

/// Names joined by `:` as a JSON list.
fn as_list<S: serde::Serializer>(joined: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(joined.split(':').filter(|name| !name.is_empty()))
}

impl DkimSignature {
    pub fn parse(value: &str) -> DkimSignature {
        let tags = Tags::parse(value);
        let get = |tag: &str| tags.get(tag).map(Cow::into_owned);
        DkimSignature {
            v: get("v"),
            a: get("a"),
            c: get("c"),
            d: tags.get("d").map(|d| d.to_ascii_lowercase()),
            s: get("s"),
            t: get("t"),
            x: get("x"),
            h: tags.get("h").map(|h| joined_names(&h)).unwrap_or_default(),
            bh: tags.written("bh").map(shortened),
            b: tags.written("b").map(shortened),
        }
    }
}

/// The names of a `:`-separated list, empty ones left out, joined by `:` again.
fn joined_names(list: &str) -> String {
    let mut joined = String::with_capacity(list.len());
    for name in list.split(':').filter(|name| !name.is_empty()) {
        if !joined.is_empty() {
            joined.push(':');
        }
        joined.push_str(name);
    }
    joined
}

/// A long base64 value cut to its first 12 characters, folding whitespace removed, with `…`
/// after them when there were more. Only the characters kept are copied.
fn shortened(written: &str) -> String {
    let mut characters = written.chars().filter(|c| !c.is_whitespace());
    let mut short = String::with_capacity(16);
    short.extend(characters.by_ref().take(12));
    if characters.next().is_some() {
        short.push('…');
    }
    short
}

/// One ARC set: the instance and, from its seal, the chain validation and signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArcSet {
    pub instance: Option<String>,
    pub cv: Option<String>,
    pub d: Option<String>,
    pub s: Option<String>,
}

/// SES's verdicts, as the report shows them next to the headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    statuses: [Option<Status<'static>>; 5],
    pub dmarc_policy: Option<String>,
}

impl Verdicts {
    fn of(receipt: Option<&Receipt>) -> Verdicts {
        Verdicts {
            statuses: Verdict::ALL.map(|verdict| {
                receipt
                    .and_then(|r| r.verdict(verdict))
                    .map(|s| s.clone().into_owned())
            }),
            dmarc_policy: receipt
                .and_then(|r| r.dmarc_policy.as_deref())
                .map(str::to_string),
        }
    }

    pub fn get(&self, verdict: Verdict) -> Option<&Status<'static>> {
        self.statuses[verdict.index()].as_ref()
    }
}

/// `{"spf":…,"dkim":…,"dmarc":…,"dmarc_policy":…,"spam":…,"virus":…}`.
impl Serialize for Verdicts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Verdict::ALL.len() + 1))?;
        for verdict in Verdict::ALL {
            map.serialize_entry(verdict.name(), &self.get(verdict).map(Status::as_str))?;
            if verdict == Verdict::Dmarc {
                map.serialize_entry("dmarc_policy", &self.dmarc_policy)?;
            }
        }
        map.end()
    }
}

/// When a header was added, told by its place among the headers: in the run of headers SES puts
/// on top, or below it, there before SES received the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    BySes,
    BeforeSes,
    /// No `Received` header of SES's to tell by.
    Unknown,
}

/// A header as read, with its place: its number among the message's headers (from 1, as
/// `headers` shows them), when it was added, and by whom when the header says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed<T> {
    #[serde(flatten)]
    pub header: T,
    pub index: usize,
    pub added: Added,
    pub added_by: Option<String>,
}

/// Everything `auth` reports about one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthReport {
    pub authentication_results: Vec<Placed<AuthenticationResults>>,
    pub received_spf: Vec<Placed<ReceivedSpf>>,
    pub dkim_signatures: Vec<DkimSignature>,
    pub arc: Vec<ArcSet>,
    pub verdicts: Verdicts,
    /// SES's own headers against SES's verdicts.
    pub disagreements: Vec<String>,
    /// What else is worth knowing, in plain words: other servers' verdicts that differ from
    /// SES's and what that usually means, DKIM signers that do not align with the From domain.
    pub notes: Vec<String>,
}

/// SES's authserv-id in its own `Authentication-Results`.
const SES_AUTHSERV_ID: &str = "amazonses.com";

impl AuthReport {
    /// Reads the headers and compares them with the receipt. The values of the headers it
    /// reads are decoded (RFC 2047 encoded-words), and only those.
    pub fn examine(headers: &[Header], receipt: Option<&Receipt>) -> AuthReport {
        let named = |name: &'static str| {
            headers
                .iter()
                .enumerate()
                .filter(move |(_, h)| h.name.eq_ignore_ascii_case(name))
                .map(|(at, h)| (at, words::decode(&h.value)))
        };
        let values = |name: &'static str| named(name).map(|(_, value)| value);
        let added = when_added(headers);
        let verdicts = Verdicts::of(receipt);
        let mut report = AuthReport {
            authentication_results: named("Authentication-Results")
                .map(|(at, value)| {
                    let header = AuthenticationResults::parse(&value);
                    let by = Some(header.authserv_id.clone()).filter(|id| !id.is_empty());
                    Placed {
                        header,
                        index: at + 1,
                        added: added(at),
                        added_by: by,
                    }
                })
                .collect(),
            received_spf: named("Received-SPF")
                .map(|(at, value)| {
                    let header = ReceivedSpf::parse(&value);
                    let added = added(at);
                    let by = header
                        .receiver
                        .clone()
                        .or_else(|| (added == Added::BySes).then(|| SES_AUTHSERV_ID.to_string()));
                    Placed {
                        header,
                        index: at + 1,
                        added,
                        added_by: by,
                    }
                })
                .collect(),
            dkim_signatures: values("DKIM-Signature")
                .map(|value| DkimSignature::parse(&value))
                .collect(),
            arc: values("ARC-Seal")
                .map(|value| {
                    let tags = Tags::parse(&value);
                    let get = |tag: &str| tags.get(tag).map(Cow::into_owned);
                    ArcSet {
                        instance: get("i"),
                        cv: get("cv"),
                        d: get("d"),
                        s: get("s"),
                    }
                })
                .collect(),
            verdicts,
            disagreements: Vec::new(),
            notes: Vec::new(),
        };
        let from_domain = values("From")
            .next()
            .and_then(|value| address_domain(&value));
        report.compare(from_domain.as_deref());
        report
    }

    fn compare(&mut self, from_domain: Option<&str>) {
        let mut disagreements = Vec::new();
        let mut notes = Vec::new();
        for placed in &self.authentication_results {
            let header = &placed.header;
            let ses_own = placed.added != Added::BeforeSes
                && header.authserv_id.eq_ignore_ascii_case(SES_AUTHSERV_ID);
            let mut differences = Vec::new();
            for result in &header.results {
                let Some(verdict) = Verdict::named(&result.method)
                    .filter(|v| matches!(v, Verdict::Spf | Verdict::Dkim | Verdict::Dmarc))
                else {
                    continue;
                };
                if let Some(ses) = contradicted(&result.result, self.verdicts.get(verdict)) {
                    if ses_own {
                        disagreements.push(format!(
                            "SES's own Authentication-Results (header {}) says {}={}, but SES's {} verdict is {ses}",
                            placed.index,
                            result.method,
                            result.result,
                            verdict.label(),
                        ));
                    } else {
                        differences.push((
                            format!("{}={}", result.method, result.result),
                            verdict,
                            ses,
                        ));
                    }
                }
            }
            if !differences.is_empty() {
                let who = placed.added_by.as_deref().unwrap_or("a server");
                notes.push(explain(
                    &format!("Authentication-Results from {who}"),
                    placed,
                    &differences,
                ));
            }
        }
        for placed in &self.received_spf {
            let spf = &placed.header;
            let Some(ses) = contradicted(&spf.result, self.verdicts.get(Verdict::Spf)) else {
                continue;
            };
            if placed.added == Added::BySes {
                disagreements.push(format!(
                    "SES's own Received-SPF (header {}) says {}, but SES's SPF verdict is {ses}",
                    placed.index, spf.result,
                ));
            } else {
                let subject = match &placed.added_by {
                    Some(who) => format!("Received-SPF from {who}"),
                    None => "Received-SPF".to_string(),
                };
                notes.push(explain(
                    &subject,
                    placed,
                    &[(format!("spf={}", spf.result), Verdict::Spf, ses)],
                ));
            }
        }
        if let Some(from) = from_domain {
            for signature in &self.dkim_signatures {
                if let Some(d) = signature.d.as_deref().filter(|d| !aligned(d, from)) {
                    notes.push(format!(
                        "DKIM signature d={d} does not align with the From domain {from}"
                    ));
                }
            }
        }
        self.disagreements = disagreements;
        self.notes = notes;
    }
}

/// In plain words, what another server's verdicts that differ from SES's mean.
fn explain<T>(
    subject: &str,
    placed: &Placed<T>,
    differences: &[(String, Verdict, &Status)],
) -> String {
    let said: Vec<&str> = differences
        .iter()
        .map(|(said, _, _)| said.as_str())
        .collect();
    let ses: Vec<String> = differences
        .iter()
        .map(|(_, verdict, status)| format!("{} {status}", verdict.label()))
        .collect();
    let who = placed.added_by.as_deref().unwrap_or("that server");
    let (when, meaning) = match placed.added {
        Added::BeforeSes => (
            "added before SES received the message",
            format!(
                "typical of forwarding: {who} checked the original sender, SES checked the forwarder"
            ),
        ),
        Added::BySes | Added::Unknown => (
            "not SES's own",
            format!("{who} checked the message as it reached it, SES as it reached SES"),
        ),
    };
    format!(
        "{subject} (header {}, {when}) says {} where SES says {}; {meaning}",
        placed.index,
        said.join(", "),
        ses.join(", "),
    )
}

/// For a header's position (from 0), when it was added. SES puts its own headers on top, one of
/// each: `Return-Path`, its `Received` (by its inbound host, `inbound-smtp.<region>.amazonaws.com`),
/// `Received-SPF`, `Authentication-Results` and `X-SES-…`; the first header past that run (another
/// name, or one of these names again) was there before SES received the message. Without SES's
/// `Received` in the run, there is no telling.
fn when_added(headers: &[Header]) -> impl Fn(usize) -> Added + use<> {
    const SES_WRITES: [&str; 4] = [
        "Return-Path",
        "Received",
        "Received-SPF",
        "Authentication-Results",
    ];
    let mut seen: Vec<&str> = Vec::new();
    let mut ses_hop = false;
    let mut run = 0;
    for header in headers {
        let name = header.name.as_ref();
        let written = SES_WRITES.iter().any(|n| name.eq_ignore_ascii_case(n))
            || name
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("X-SES-"));
        if !written || seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            break;
        }
        if name.eq_ignore_ascii_case("Received") {
            ses_hop = Hop::parse(&words::decode(&header.value))
                .by
                .is_some_and(|by| {
                    let by = by.to_ascii_lowercase();
                    by.starts_with("inbound-smtp.") && by.ends_with(".amazonaws.com")
                });
            if !ses_hop {
                break;
            }
        }
        seen.push(name);
        run += 1;
    }
    move |at| match (ses_hop, at < run) {
        (false, _) => Added::Unknown,
        (true, true) => Added::BySes,
        (true, false) => Added::BeforeSes,
    }
}

/// SES's status, when a header's result says the opposite.
fn contradicted<'s>(header_result: &str, ses: Option<&'s Status<'s>>) -> Option<&'s Status<'s>> {
    let header_failed = matches!(
        header_result,
        "fail" | "softfail" | "hardfail" | "permerror"
    );
    ses.filter(|status| match status {
        Status::Pass => header_failed,
        Status::Fail => header_result == "pass",
        _ => false,
    })
}

/// Relaxed alignment, approximately: the same domain, or one inside the other.
fn aligned(signer: &str, from: &str) -> bool {
    let (signer, from) = (signer.to_ascii_lowercase(), from.to_ascii_lowercase());
    signer == from || from.ends_with(&format!(".{signer}")) || signer.ends_with(&format!(".{from}"))
}

/// The domain of the (first) address in a From value: `Name <user@domain>` or `user@domain`.
pub fn address_domain(value: &str) -> Option<String> {
    let address = super::first_address(value)?;
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property<'r>(result: &'r MethodResult, key: &str) -> Option<&'r str> {
        result
            .properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn reads_authentication_results() {
        let header = AuthenticationResults::parse(
            "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbCd; spf=softfail (google.com: domain of transitioning x@example.com does not designate 192.0.2.1 as permitted sender) smtp.mailfrom=x@example.com; dmarc=fail (p=REJECT sp=REJECT dis=NONE) reason=\"policy; no alignment\" header.from=example.com",
        );
        assert_eq!(header.authserv_id, "mx.google.com");
        let methods: Vec<(&str, &str)> = header
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("dkim", "pass"), ("spf", "softfail"), ("dmarc", "fail")]
        );
        assert_eq!(
            property(&header.results[0], "header.i"),
            Some("@example.com")
        );
        assert_eq!(
            property(&header.results[1], "smtp.mailfrom"),
            Some("x@example.com")
        );
        assert_eq!(
            header.results[2].reason.as_deref(),
            Some("policy; no alignment")
        );
        assert_eq!(
            property(&header.results[2], "header.from"),
            Some("example.com")
        );
    }

    #[test]
    fn reads_received_spf() {
        let spf = ReceivedSpf::parse(
            "pass (spfCheck: domain of example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=a@example.com; helo=mail.example.com;",
        );
        assert_eq!(spf.result, "pass");
        assert_eq!(spf.client_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(spf.envelope_from.as_deref(), Some("a@example.com"));
        assert_eq!(spf.helo.as_deref(), Some("mail.example.com"));
    }

    #[test]
    fn reads_dkim_signatures() {
        let dkim = DkimSignature::parse(
            "v=1; a=rsa-sha256; c=relaxed/relaxed; d=Example.COM; s=s1;\r\n t=1732450000; x=1733050000; h=from : to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGhp cyBp cyBub3Q=",
        );
        assert_eq!(
            (dkim.d.as_deref(), dkim.s.as_deref(), dkim.t.as_deref()),
            (Some("example.com"), Some("s1"), Some("1732450000"))
        );
        assert_eq!(dkim.h, "from:to:subject");
        assert_eq!(dkim.bh.as_deref(), Some("47DEQpj8HBSa…"));
        assert_eq!(dkim.b.as_deref(), Some("dGhpcyBpcyBu…"));
    }

    fn header(name: &str, value: &str) -> Header<'static> {
        Header {
            name: name.to_string().into(),
            value: value.to_string().into(),
        }
    }

    #[test]
    fn reads_ses_own_authentication_results_with_spf_properties_after_semicolons() {
        let header = AuthenticationResults::parse(
            "amazonses.com; spf=pass (spfCheck: domain of example.com designates 1.2.3.4 as permitted sender) client-ip=1.2.3.4; envelope-from=x@example.com; helo=mail.example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;",
        );
        let methods: Vec<&str> = header.results.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["spf", "dkim", "dmarc"]);
        assert_eq!(
            header.results[0].properties,
            [
                ("client-ip".to_string(), "1.2.3.4".to_string()),
                ("envelope-from".to_string(), "x@example.com".to_string()),
                ("helo".to_string(), "mail.example.com".to_string()),
            ]
        );
        let reason = AuthenticationResults::parse("x; dkim=fail; reason=\"bad\"; spf=none");
        assert_eq!(reason.results[0].reason.as_deref(), Some("bad"));
        assert_eq!(reason.results.len(), 2);
        let orphan = AuthenticationResults::parse("x; helo=a; spf=pass");
        assert_eq!(
            orphan.results.len(),
            1,
            "a property before any method is left out"
        );
    }

    #[test]
    fn names_who_checked_in_received_spf() {
        let google = ReceivedSpf::parse(
            "pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1;",
        );
        assert_eq!(google.receiver.as_deref(), Some("google.com"));
        let ses = ReceivedSpf::parse("pass (spfCheck: domain of example.com designates …)");
        assert_eq!(ses.receiver, None);
        let named = ReceivedSpf::parse("fail (x) receiver=mx.example.net; client-ip=192.0.2.1");
        assert_eq!(named.receiver.as_deref(), Some("mx.example.net"));
    }

    /// SES's headers on top of a message forwarded by mx.example.net, which checked it first.
    fn forwarded() -> Vec<Header<'static>> {
        vec![
            header("Return-Path", "<list-bounces@lists.example.org>"),
            header(
                "Received",
                "from mx.example.net by inbound-smtp.eu-west-1.amazonaws.com with SMTP id a1; Mon, 23 Nov 2026 14:02:23 +0000",
            ),
            header("X-SES-Spam-Verdict", "PASS"),
            header("Received-SPF", "pass (spfCheck: …) client-ip=192.0.2.9;"),
            header(
                "Authentication-Results",
                "amazonses.com; spf=pass smtp.mailfrom=list-bounces@lists.example.org; dkim=pass header.i=@example.com",
            ),
            header(
                "Authentication-Results",
                "mx.example.net; dkim=pass header.d=example.com; spf=fail smtp.mailfrom=x@y",
            ),
            header(
                "Received-SPF",
                "softfail (mx.example.net: …) client-ip=192.0.2.1;",
            ),
            header(
                "Received",
                "from a by mx.example.net; Mon, 23 Nov 2026 14:02:20 +0000",
            ),
            header("From", "Alice <alice@news.example.com>"),
            header("DKIM-Signature", "v=1; d=example.com; s=a; b=x"),
            header("DKIM-Signature", "v=1; d=mailer.example; s=b; b=y"),
            header(
                "ARC-Seal",
                "i=1; a=rsa-sha256; cv=none; d=example.com; s=arc; b=z",
            ),
        ]
    }

    #[test]
    fn a_disagreement_is_ses_own_header_against_its_verdicts() {
        let receipt = Receipt {
            spf: Some(Status::Pass),
            dkim: Some(Status::Fail),
            ..Receipt::default()
        };
        let report = AuthReport::examine(&forwarded(), Some(&receipt));
        assert_eq!(
            report.disagreements,
            [
                "SES's own Authentication-Results (header 5) says dkim=pass, but SES's DKIM verdict is FAIL"
            ]
        );
        assert_eq!(
            report.notes,
            [
                "Authentication-Results from mx.example.net (header 6, added before SES received the message) says dkim=pass, spf=fail where SES says DKIM FAIL, SPF PASS; typical of forwarding: mx.example.net checked the original sender, SES checked the forwarder",
                "Received-SPF from mx.example.net (header 7, added before SES received the message) says spf=softfail where SES says SPF PASS; typical of forwarding: mx.example.net checked the original sender, SES checked the forwarder",
                "DKIM signature d=mailer.example does not align with the From domain news.example.com",
            ]
        );
        let placed: Vec<(usize, Added, Option<&str>)> = report
            .authentication_results
            .iter()
            .map(|p| (p.index, p.added, p.added_by.as_deref()))
            .chain(
                report
                    .received_spf
                    .iter()
                    .map(|p| (p.index, p.added, p.added_by.as_deref())),
            )
            .collect();
        assert_eq!(
            placed,
            [
                (5, Added::BySes, Some("amazonses.com")),
                (6, Added::BeforeSes, Some("mx.example.net")),
                (4, Added::BySes, Some("amazonses.com")),
                (7, Added::BeforeSes, Some("mx.example.net")),
            ]
        );
        assert_eq!(report.arc[0].cv.as_deref(), Some("none"));
    }

    #[test]
    fn a_header_claiming_to_be_ses_below_its_place_is_not_ses_own() {
        let mut headers = forwarded();
        headers[5] = header("Authentication-Results", "amazonses.com; dkim=fail");
        let receipt = Receipt {
            dkim: Some(Status::Pass),
            ..Receipt::default()
        };
        let report = AuthReport::examine(&headers, Some(&receipt));
        assert_eq!(report.disagreements, Vec::<String>::new());
        assert_eq!(report.authentication_results[1].added, Added::BeforeSes);
        assert!(
            report.notes[0].starts_with(
                "Authentication-Results from amazonses.com (header 6, added before SES"
            )
        );
    }

    #[test]
    fn without_ses_received_header_only_the_authserv_id_tells() {
        let headers = [
            header("Authentication-Results", "amazonses.com; dkim=pass"),
            header("Authentication-Results", "mx.example.net; dkim=pass"),
        ];
        let receipt = Receipt {
            dkim: Some(Status::Fail),
            ..Receipt::default()
        };
        let report = AuthReport::examine(&headers, Some(&receipt));
        assert_eq!(
            report.disagreements,
            [
                "SES's own Authentication-Results (header 1) says dkim=pass, but SES's DKIM verdict is FAIL"
            ]
        );
        assert_eq!(
            report.notes,
            [
                "Authentication-Results from mx.example.net (header 2, not SES's own) says dkim=pass where SES says DKIM FAIL; mx.example.net checked the message as it reached it, SES as it reached SES"
            ]
        );
        assert_eq!(report.authentication_results[1].added, Added::Unknown);
    }

    #[test]
    fn finds_the_from_domain() {
        assert_eq!(
            address_domain("\"Doe, Jane\" <jane@Example.org>").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            address_domain("jane@example.org").as_deref(),
            Some("example.org")
        );
        assert_eq!(address_domain("undisclosed-recipients:;"), None);
    }
}
