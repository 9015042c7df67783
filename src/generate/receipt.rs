//! Receipt events: `mail` with a Received chain, SES's verdict headers, an
//! Authentication-Results that agrees with the verdicts, DKIM signatures and `commonHeaders`;
//! `receipt` with the verdicts, the DMARC policy and the action.

use serde_json::{Map, Value, json};

use super::{
    Action, Event, Fact, HeaderText, LOWER_DIGITS, Policy, Rng, SUBJECTS, Spec, Status, address_of,
    base64_noise, domain_of, header_text, iso, mailbox_header, object, person, rfc5322,
};

/// Verdict statuses in the proportions of a busy inbound domain.
const STATUSES: &[(Status, u64)] = &[
    (Status::Pass, 80),
    (Status::Fail, 8),
    (Status::Gray, 6),
    (Status::ProcessingFailed, 3),
    (Status::Disabled, 3),
];
/// DMARC is never DISABLED: it is absent instead.
const DMARC_STATUSES: &[(Status, u64)] = &[
    (Status::Pass, 80),
    (Status::Fail, 12),
    (Status::Gray, 5),
    (Status::ProcessingFailed, 3),
];
const POLICIES: &[(Policy, u64)] = &[
    (Policy::None, 5),
    (Policy::Quarantine, 3),
    (Policy::Reject, 2),
];
const ACTIONS: &[(Action, u64)] = &[
    (Action::Lambda, 70),
    (Action::S3, 15),
    (Action::Sns, 6),
    (Action::Bounce, 3),
    (Action::WorkMail, 3),
    (Action::Stop, 2),
    (Action::AddHeader, 1),
];
const MAILERS: &[&str] = &[
    "mail-wr1-f41.google.example",
    "mx.example.org",
    "smtp-out.example.net",
    "o1.ptr1234.example.com",
];
const MAILBOXES: &[&str] = &["support", "billing", "jobs", "ops", "info"];
/// What mail programs name themselves in `X-Mailer`.
const MAIL_PROGRAMS: &[&str] = &[
    "Microsoft Outlook 16.0",
    "Apple Mail (2.3774.500.171.1.1)",
    "PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)",
];
const ACCOUNT: &str = "111122223333";
const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:inbound";

/// The receipt event number `index` of `spec`, and what it says for `--truth`.
pub(super) fn event(spec: &Spec, rng: &mut Rng, index: u64) -> (Event, Fact) {
    let at = index as i64 * 7_000 + rng.below(7_000) as i64;
    let (stamp, date) = (iso(at), rfc5322(at));
    // Mail writes non-ASCII headers as encoded-words; --mix draws which encoding.
    let encoding = match (spec.encoded_words, spec.mix) {
        (_, true) if rng.chance(500) => HeaderText::Quoted,
        (true, _) | (_, true) => HeaderText::Base64,
        (false, false) => HeaderText::Raw,
    };
    let (name, address) = person(rng);
    let (from_header, sender) = match &spec.from {
        Some(from) => (from.clone(), address_of(from).to_owned()),
        None => (mailbox_header(&name, &address, encoding), address),
    };
    let sender_domain = domain_of(&sender).to_owned();
    let recipients: Vec<String> = if spec.to.is_empty() {
        let n = if spec.mix && rng.chance(150) { 2 } else { 1 };
        (0..n)
            .map(|_| format!("{}@inbound.example.com", rng.pick(MAILBOXES)))
            .collect()
    } else {
        spec.to.clone()
    };
    let subject = spec
        .subject
        .clone()
        .unwrap_or_else(|| (*rng.pick(SUBJECTS)).to_owned());
    let subject_header = header_text(&subject, encoding);
    let ses_id = rng.text(LOWER_DIGITS, 20);
    let message_id = format!("<{}@{sender_domain}>", rng.uuid());
    let ip = format!("203.0.113.{}", rng.between(1, 255));
    let helo = *rng.pick(MAILERS);

    let draw = |rng: &mut Rng, asked: Option<Status>, table: &[(Status, u64)]| {
        asked.unwrap_or_else(|| {
            if spec.mix {
                *rng.weighted(table)
            } else {
                Status::Pass
            }
        })
    };
    let spam = draw(rng, spec.verdicts.spam, STATUSES);
    let virus = draw(rng, spec.verdicts.virus, STATUSES);
    let spf = draw(rng, spec.verdicts.spf, STATUSES);
    let dkim = draw(rng, spec.verdicts.dkim, STATUSES);
    let dmarc = if spec.no_dmarc || (spec.mix && spec.verdicts.dmarc.is_none() && rng.chance(100)) {
        None
    } else {
        Some(draw(rng, spec.verdicts.dmarc, DMARC_STATUSES))
    };
    let policy = match (spec.dmarc_policy, dmarc) {
        (Some(policy), _) => Some(policy),
        (None, Some(Status::Fail)) if spec.mix => Some(*rng.weighted(POLICIES)),
        (None, Some(Status::Fail)) => Some(Policy::None),
        _ => None,
    };
    let action = spec.action.unwrap_or_else(|| {
        if spec.mix {
            *rng.weighted(ACTIONS)
        } else {
            Action::Lambda
        }
    });

    // SES puts its own headers first: its Received, the verdicts, Received-SPF,
    // Authentication-Results, its receipt and signature; then the hops before it, newest first.
    let hops = if spec.mix { rng.between(1, 5) } else { 2 };
    let mut chain = Vec::new();
    let (mut by, mut from, mut from_ip) =
        ("inbound-smtp.us-east-1.amazonaws.com", helo, ip.clone());
    let mut hop_at = at;
    let relays: Vec<&str> = MAILERS.iter().copied().filter(|m| *m != helo).collect();
    for hop in 0..hops {
        let id = if hop == 0 {
            ses_id.clone()
        } else {
            rng.text(LOWER_DIGITS, 12)
        };
        let protocol = rng.pick(&["SMTP", "ESMTPS", "ESMTPSA"]);
        chain.push(header(
            "Received",
            &format!(
                "from {from} ({from} [{from_ip}]) by {by} with {protocol} id {id} for {}; {}",
                recipients[0],
                rfc5322(hop_at)
            ),
        ));
        by = from;
        hop_at -= rng.between(200, 4_000) as i64;
        let next = hop as usize + 1;
        (from, from_ip) = if next + 1 == hops as usize {
            (
                "client.example.net",
                format!("192.0.2.{}", rng.between(1, 255)),
            )
        } else {
            (
                relays[next % relays.len()],
                format!("198.18.0.{}", rng.between(1, 255)),
            )
        };
    }
    let mut chain = chain.into_iter();
    let mut headers = vec![header("Return-Path", &format!("<{sender}>"))];
    headers.extend(chain.next());
    headers.push(header("X-SES-Spam-Verdict", spam.as_str()));
    headers.push(header("X-SES-Virus-Verdict", virus.as_str()));
    let spf_words = spf_comment(spf, &sender_domain, &ip);
    if spf != Status::Disabled {
        headers.push(header(
            "Received-SPF",
            &format!("{spf_words} client-ip={ip}; envelope-from={sender}; helo={helo};"),
        ));
    }
    headers.push(header(
        "Authentication-Results",
        &authentication_results(
            spf,
            dkim,
            dmarc,
            &spf_words,
            &ip,
            &sender,
            helo,
            &sender_domain,
        ),
    ));
    headers.push(header(
        "X-SES-RECEIPT",
        &format!("AEFBQUFBQUFBQUFH{}", base64_noise(rng, 48)),
    ));
    headers.push(header(
        "X-SES-DKIM-SIGNATURE",
        &format!(
            "a=rsa-sha256; q=dns/txt; b={}; c=relaxed/simple; s=224i4yxa5dv7c2xz3womw6peuasteono; d=amazonses.com; t={}; v=1; bh={}; h=From:To:Cc:Bcc:Subject:Date:Message-ID:MIME-Version:Content-Type:X-SES-RECEIPT;",
            base64_noise(rng, 96),
            (super::EPOCH_MS + at) / 1000,
            base64_noise(rng, 32)
        ),
    ));
    headers.extend(chain);
    // With --mix, as much variety as busy mail has: one or two DKIM signatures, up to two ARC
    // sets from forwarders, and a few of the headers mailers and lists add.
    let signatures = if spec.mix { rng.between(1, 3) } else { 1 };
    for _ in 0..signatures {
        headers.push(header(
            "DKIM-Signature",
            &format!(
                "v=1; a=rsa-sha256; c=relaxed/relaxed; d={sender_domain}; s=s{}; t={}; h=mime-version:from:date:message-id:subject:to:content-type; bh={}; b={}",
                rng.between(1, 9),
                (super::EPOCH_MS + at) / 1000,
                base64_noise(rng, 32),
                base64_noise(rng, 128)
            ),
        ));
    }
    if spec.mix {
        for instance in 1..=rng.below(3) {
            headers.extend(arc_set(rng, instance, &sender_domain, at));
        }
        headers.extend(list_and_mailer_headers(rng, &sender_domain));
    }
    headers.push(header("MIME-Version", "1.0"));
    headers.push(header("From", &from_header));
    headers.push(header("Date", &date));
    headers.push(header("Message-ID", &message_id));
    headers.push(header("Subject", &subject_header));
    headers.push(header("To", &recipients.join(", ")));
    let cc = (spec.mix && rng.chance(200)).then(|| {
        let (name, address) = person(rng);
        mailbox_header(&name, &address, encoding)
    });
    if let Some(cc) = &cc {
        headers.push(header("Cc", cc));
    }
    let reply_to = spec.mix && rng.chance(100);
    if reply_to {
        headers.push(header("Reply-To", &sender));
    }
    let boundary = rng.text(LOWER_DIGITS, 24);
    headers.push(header(
        "Content-Type",
        &format!("multipart/alternative; boundary=\"{boundary}\""),
    ));

    let mut common = Map::new();
    common.insert("returnPath".into(), json!(sender));
    common.insert("from".into(), json!([from_header]));
    common.insert("date".into(), json!(date));
    common.insert("to".into(), json!(recipients));
    if let Some(cc) = cc {
        common.insert("cc".into(), json!([cc]));
    }
    if reply_to {
        common.insert("replyTo".into(), json!([sender]));
    }
    common.insert("messageId".into(), json!(message_id));
    common.insert("subject".into(), json!(subject));

    let content = (action == Action::Sns).then(|| mime(&headers, &boundary));
    if spec.headers_truncated {
        headers.truncate(headers.len() / 2);
    }
    let mail = object([
        ("timestamp", Value::from(stamp.clone())),
        ("source", Value::from(sender.clone())),
        ("messageId", Value::from(ses_id.clone())),
        ("destination", Value::from(recipients.clone())),
        ("headersTruncated", Value::from(spec.headers_truncated)),
        ("headers", Value::Array(headers)),
        ("commonHeaders", Value::Object(common)),
    ]);

    let mut receipt = Map::new();
    receipt.insert("timestamp".into(), json!(stamp));
    receipt.insert("processingTimeMillis".into(), json!(rng.between(200, 2500)));
    receipt.insert("recipients".into(), json!(recipients));
    receipt.insert("spamVerdict".into(), json!({"status": spam.as_str()}));
    receipt.insert("virusVerdict".into(), json!({"status": virus.as_str()}));
    receipt.insert("spfVerdict".into(), json!({"status": spf.as_str()}));
    receipt.insert("dkimVerdict".into(), json!({"status": dkim.as_str()}));
    if let Some(dmarc) = dmarc {
        receipt.insert("dmarcVerdict".into(), json!({"status": dmarc.as_str()}));
    }
    if let Some(policy) = policy {
        receipt.insert("dmarcPolicy".into(), json!(policy.as_str()));
    }
    receipt.insert(
        "action".into(),
        action_object(action, rng, &ses_id, &recipients[0]),
    );
    let fact = Fact::Received {
        sender,
        verdicts: [Some(spam), Some(virus), Some(spf), Some(dkim), dmarc],
    };
    let event = Event::Received {
        mail,
        receipt: Value::Object(receipt),
        content,
    };
    (event, fact)
}

/// ARC set number `instance` a forwarder adds: its seal and its message signature.
fn arc_set(rng: &mut Rng, instance: u64, domain: &str, at: i64) -> [Value; 2] {
    let time = (super::EPOCH_MS + at) / 1000;
    [
        header(
            "ARC-Seal",
            &format!(
                "i={instance}; a=rsa-sha256; t={time}; cv={}; d={domain}; s=arc-2016; b={}",
                if instance == 1 { "none" } else { "pass" },
                base64_noise(rng, 96)
            ),
        ),
        header(
            "ARC-Message-Signature",
            &format!(
                "i={instance}; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=arc-2016; h=to:subject:message-id:date:from:mime-version; bh={}; b={}",
                base64_noise(rng, 32),
                base64_noise(rng, 128)
            ),
        ),
    ]
}

/// A few of the headers mailers and mailing lists add, each present about half the time.
fn list_and_mailer_headers(rng: &mut Rng, domain: &str) -> Vec<Value> {
    let mut headers = Vec::new();
    let mut maybe = |rng: &mut Rng, name: &str, value: &dyn Fn(&mut Rng) -> String| {
        if rng.chance(450) {
            let value = value(rng);
            headers.push(header(name, &value));
        }
    };
    maybe(rng, "X-Mailer", &|rng| {
        (*rng.pick(MAIL_PROGRAMS)).to_owned()
    });
    maybe(rng, "List-Unsubscribe", &|rng| {
        format!(
            "<https://{domain}/unsubscribe?u={}>, <mailto:unsubscribe@{domain}>",
            rng.below(1_000_000)
        )
    });
    maybe(rng, "List-Id", &|_| format!("<news.{domain}>"));
    maybe(rng, "Feedback-ID", &|rng| {
        format!(
            "{}:{}:newsletter:{domain}",
            rng.below(1000),
            rng.below(1000)
        )
    });
    maybe(rng, "Thread-Index", &|rng| base64_noise(rng, 22));
    maybe(rng, "Precedence", &|_| "bulk".to_owned());
    maybe(rng, "Auto-Submitted", &|_| "auto-generated".to_owned());
    maybe(rng, "Content-Language", &|_| "en-US".to_owned());
    maybe(rng, "X-Priority", &|_| "3".to_owned());
    maybe(rng, "Importance", &|_| "normal".to_owned());
    headers
}

fn header(name: &str, value: &str) -> Value {
    object([("name", Value::from(name)), ("value", Value::from(value))])
}

/// What SES writes in Received-SPF before `client-ip`, for `status`.
fn spf_comment(status: Status, domain: &str, ip: &str) -> String {
    match status {
        Status::Pass => {
            format!("pass (spfCheck: domain of {domain} designates {ip} as permitted sender)")
        }
        Status::Fail => format!(
            "fail (spfCheck: domain of {domain} does not designate {ip} as permitted sender)"
        ),
        Status::Gray => format!(
            "neutral (spfCheck: {ip} is neither permitted nor denied by domain of {domain})"
        ),
        Status::ProcessingFailed => {
            format!("temperror (spfCheck: error in processing during lookup of {domain})")
        }
        Status::Disabled => String::new(),
    }
}

/// The word an Authentication-Results header uses for a verdict: none when the check is off.
fn result_word(status: Status) -> Option<&'static str> {
    match status {
        Status::Pass => Some("pass"),
        Status::Fail => Some("fail"),
        Status::Gray => Some("none"),
        Status::ProcessingFailed => Some("temperror"),
        Status::Disabled => None,
    }
}

/// SES's own Authentication-Results, saying what the verdicts say.
#[expect(
    clippy::too_many_arguments,
    reason = "each is one property of the header"
)]
fn authentication_results(
    spf: Status,
    dkim: Status,
    dmarc: Option<Status>,
    spf_words: &str,
    ip: &str,
    sender: &str,
    helo: &str,
    domain: &str,
) -> String {
    let mut text = String::from("amazonses.com;");
    if spf != Status::Disabled {
        let words = if spf == Status::Gray {
            spf_words.replacen("neutral", "none", 1)
        } else {
            spf_words.to_owned()
        };
        text.push_str(&format!(
            " spf={words} client-ip={ip}; envelope-from={sender}; helo={helo};"
        ));
    }
    if let Some(word) = result_word(dkim) {
        text.push_str(&format!(" dkim={word} header.i=@{domain};"));
    }
    if let Some(word) = dmarc.and_then(result_word) {
        text.push_str(&format!(" dmarc={word} header.from={domain};"));
    }
    text
}

/// `receipt.action` of type `action`.
fn action_object(action: Action, rng: &mut Rng, ses_id: &str, recipient: &str) -> Value {
    match action {
        Action::Lambda => json!({
            "type": "Lambda",
            "functionArn": format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:Inbound"),
            "invocationType": rng.pick(&["Event", "RequestResponse"]),
        }),
        Action::S3 => json!({
            "type": "S3",
            "topicArn": TOPIC,
            "bucketName": "inbound-mail",
            "objectKeyPrefix": "raw/",
            "objectKey": format!("raw/{ses_id}"),
        }),
        Action::Sns => json!({"type": "SNS", "topicArn": TOPIC, "encoding": "UTF8"}),
        Action::Bounce => json!({
            "type": "Bounce",
            "topicArn": "arn:aws:sns:us-east-1:111122223333:bounced",
            "smtpReplyCode": "550",
            "statusCode": "5.1.1",
            "message": "Mailbox does not exist",
            "sender": format!("mailer-daemon@{}", domain_of(recipient)),
        }),
        Action::WorkMail => json!({
            "type": "WorkMail",
            "topicArn": TOPIC,
            "organizationArn": format!("arn:aws:workmail:us-east-1:{ACCOUNT}:organization/m-{}", rng.text(LOWER_DIGITS, 32)),
        }),
        Action::Stop => json!({"type": "Stop", "topicArn": TOPIC}),
        Action::AddHeader => json!({
            "type": "AddHeader",
            "headerName": "X-Inbound-Rule",
            "headerValue": "tagged",
        }),
    }
}

/// The raw message the SNS action sends in `content`: the headers, then a short body in two
/// parts.
fn mime(headers: &[Value], boundary: &str) -> String {
    let mut text = String::new();
    for header in headers {
        let (name, value) = (
            header["name"].as_str().unwrap_or_default(),
            header["value"].as_str().unwrap_or_default(),
        );
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!(
        "\r\n--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello,\r\n\r\nthis is a test message.\r\n\r\n--{boundary}\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Hello,</p><p>this is a test message.</p>\r\n\r\n--{boundary}--\r\n"
    ));
    text
}
