//! What a message says about its own authentication — `Authentication-Results`,
//! `Received-SPF`, `DKIM-Signature`, ARC sets — and where that disagrees with SES's verdicts or
//! with the From domain.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::tokens::{Token, tokenize};
use crate::model::{Header, Receipt, Status, Verdict};

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
    pub fn parse(value: &str) -> AuthenticationResults {
        let mut groups = split_groups(value).into_iter();
        let authserv_id = groups
            .next()
            .and_then(|g| g.first().map(|w| w.to_string()))
            .unwrap_or_default();
        let results = groups
            .filter_map(|words| MethodResult::parse(&words))
            .collect();
        AuthenticationResults {
            authserv_id,
            results,
        }
    }
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
        for word in &words[1..] {
            let Some((key, value)) = word.split_once('=') else {
                continue;
            };
            let value = unquote(value);
            if key.eq_ignore_ascii_case("reason") {
                parsed.reason = Some(value);
            } else {
                parsed.properties.push((key.to_ascii_lowercase(), value));
            }
        }
        Some(parsed)
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

/// One `Received-SPF` header: the result and its `key=value` details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedSpf {
    pub result: String,
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
        ReceivedSpf {
            result: words
                .first()
                .filter(|w| !w.contains('='))
                .map(|w| w.to_ascii_lowercase())
                .unwrap_or_default(),
            client_ip: get("client-ip"),
            envelope_from: get("envelope-from"),
            helo: get("helo"),
        }
    }
}

/// A DKIM-style tag list (`v=1; a=rsa-sha256; d=…`), folding whitespace removed from values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn parse(value: &str) -> Tags {
        Tags(
            value
                .split(';')
                .filter_map(|part| part.split_once('='))
                .map(|(tag, value)| {
                    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                    (tag.trim().to_string(), value)
                })
                .collect(),
        )
    }

    pub fn get(&self, tag: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, v)| v.as_str())
    }
}

/// One `DKIM-Signature`, as shown: `h` as a list, `bh` and `b` shortened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DkimSignature {
    pub v: Option<String>,
    pub a: Option<String>,
    pub c: Option<String>,
    pub d: Option<String>,
    pub s: Option<String>,
    pub t: Option<String>,
    pub x: Option<String>,
    pub h: Vec<String>,
    pub bh: Option<String>,
    pub b: Option<String>,
}

impl DkimSignature {
    pub fn parse(value: &str) -> DkimSignature {
        let tags = Tags::parse(value);
        let get = |tag: &str| tags.get(tag).map(str::to_string);
        DkimSignature {
            v: get("v"),
            a: get("a"),
            c: get("c"),
            d: get("d").map(|d| d.to_ascii_lowercase()),
            s: get("s"),
            t: get("t"),
            x: get("x"),
            h: tags
                .get("h")
                .map(|h| {
                    h.split(':')
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            bh: tags.get("bh").map(shorten),
            b: tags.get("b").map(shorten),
        }
    }
}

/// A long base64 value cut to its first 12 characters.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(12) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
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

/// Everything `auth` reports about one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthReport {
    pub authentication_results: Vec<AuthenticationResults>,
    pub received_spf: Vec<ReceivedSpf>,
    pub dkim_signatures: Vec<DkimSignature>,
    pub arc: Vec<ArcSet>,
    pub verdicts: Verdicts,
    pub disagreements: Vec<String>,
}

impl AuthReport {
    /// Reads the headers (values already decoded) and compares them with the receipt.
    pub fn examine(headers: &[Header], receipt: Option<&Receipt>) -> AuthReport {
        let values = |name: &'static str| {
            headers
                .iter()
                .filter(move |h| h.name.eq_ignore_ascii_case(name))
                .map(|h| h.value.as_ref())
        };
        let verdicts = Verdicts::of(receipt);
        let mut report = AuthReport {
            authentication_results: values("Authentication-Results")
                .map(AuthenticationResults::parse)
                .collect(),
            received_spf: values("Received-SPF").map(ReceivedSpf::parse).collect(),
            dkim_signatures: values("DKIM-Signature").map(DkimSignature::parse).collect(),
            arc: values("ARC-Seal")
                .map(|v| {
                    let tags = Tags::parse(v);
                    let get = |tag: &str| tags.get(tag).map(str::to_string);
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
        };
        let from_domain = values("From").next().and_then(address_domain);
        report.find_disagreements(from_domain.as_deref());
        report
    }

    fn find_disagreements(&mut self, from_domain: Option<&str>) {
        let mut found = Vec::new();
        for header in &self.authentication_results {
            for result in &header.results {
                let Some(verdict) = Verdict::named(&result.method)
                    .filter(|v| matches!(v, Verdict::Spf | Verdict::Dkim | Verdict::Dmarc))
                else {
                    continue;
                };
                if let Some(ses) = contradicted(&result.result, self.verdicts.get(verdict)) {
                    found.push(format!(
                        "Authentication-Results from {} says {}={}, but SES's {} verdict is {ses}",
                        header.authserv_id,
                        result.method,
                        result.result,
                        verdict.label(),
                    ));
                }
            }
        }
        for spf in &self.received_spf {
            if let Some(ses) = contradicted(&spf.result, self.verdicts.get(Verdict::Spf)) {
                found.push(format!(
                    "Received-SPF says {}, but SES's SPF verdict is {ses}",
                    spf.result,
                ));
            }
        }
        if let Some(from) = from_domain {
            for signature in &self.dkim_signatures {
                if let Some(d) = signature.d.as_deref().filter(|d| !aligned(d, from)) {
                    found.push(format!(
                        "DKIM signature d={d} does not align with the From domain {from}"
                    ));
                }
            }
        }
        self.disagreements = found;
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
        assert_eq!(dkim.h, ["from", "to", "subject"]);
        assert_eq!(dkim.bh.as_deref(), Some("47DEQpj8HBSa…"));
        assert_eq!(dkim.b.as_deref(), Some("dGhpcyBpcyBu…"));
    }

    #[test]
    fn finds_disagreements() {
        let header = |name: &str, value: &str| Header {
            name: name.to_string().into(),
            value: value.to_string().into(),
        };
        let headers = [
            header("From", "Alice <alice@news.example.com>"),
            header(
                "Authentication-Results",
                "mx.example.net; dkim=pass header.d=example.com; spf=fail smtp.mailfrom=x@y",
            ),
            header("Received-SPF", "softfail (x) client-ip=192.0.2.1;"),
            header("DKIM-Signature", "v=1; d=example.com; s=a; b=x"),
            header("DKIM-Signature", "v=1; d=mailer.example; s=b; b=y"),
            header(
                "ARC-Seal",
                "i=1; a=rsa-sha256; cv=none; d=example.com; s=arc; b=z",
            ),
        ];
        let receipt = Receipt {
            spf: Some(Status::Pass),
            dkim: Some(Status::Fail),
            ..Receipt::default()
        };
        let report = AuthReport::examine(&headers, Some(&receipt));
        assert_eq!(
            report.disagreements,
            [
                "Authentication-Results from mx.example.net says dkim=pass, but SES's DKIM verdict is FAIL",
                "Authentication-Results from mx.example.net says spf=fail, but SES's SPF verdict is PASS",
                "Received-SPF says softfail, but SES's SPF verdict is PASS",
                "DKIM signature d=mailer.example does not align with the From domain news.example.com",
            ]
        );
        assert_eq!(report.arc[0].cv.as_deref(), Some("none"));
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
