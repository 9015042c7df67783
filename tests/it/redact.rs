//! `redact`: the output is read like the input apart from the redacted values, nothing personal
//! stays, pseudonyms are consistent, forms (pretty JSON, log text, gzip payloads) are kept, and
//! what cannot be classified is listed (or, with `--strict`, not written).

use std::io::Read;

use base64::Engine;

use crate::harness::{json_rows, root, run, run_with_stdin};

/// Summary fields that say what happened: redaction must leave them equal.
const KEPT_FIELDS: &[&str] = &[
    "event_type",
    "timestamp",
    "event_time",
    "spf",
    "dkim",
    "dmarc",
    "dmarc_policy",
    "spam",
    "virus",
    "action",
    "invocation_type",
    "processing_ms",
    "headers_truncated",
    "bounce_type",
    "bounce_subtype",
    "complaint_type",
    "complaint_subtype",
    "delay_type",
    "status",
    "date",
    "expiration_time",
];

/// Summary fields that redaction may change (they hold personal data or ids).
const REDACTED_FIELDS: &[&str] = &[
    "input",
    "ses_id",
    "message_id",
    "source",
    "from",
    "to",
    "cc",
    "reply_to",
    "return_path",
    "subject",
    "destination",
    "recipients",
    "function_arn",
    "bucket",
    "object_key",
    "topic_arn",
    "from_address",
    "from_domain",
    "source_domain",
    "recipient_domains",
    "diagnostic_code",
    "feedback_id",
    "sending_account",
    "source_arn",
    "source_ip",
    "caller_identity",
    "configuration_set",
    "tags",
    "link",
    "template",
    "remote_mta_ip",
    "reporting_mta",
    "smtp_response",
    "ip_address",
    "user_agent",
    "error_message",
    "reject_reason",
];

fn fixtures() -> Vec<String> {
    let mut files = Vec::new();
    for folder in ["public", "sending", "captured"] {
        let dir = root().join("tests/fixtures").join(folder);
        for entry in std::fs::read_dir(&dir).expect("a fixture folder") {
            let path = entry.expect("an entry").path();
            let name = path.to_string_lossy().into_owned();
            if name.ends_with(".json") || name.ends_with(".txt") {
                files.push(name);
            }
        }
    }
    files.sort();
    files
}

fn redact(args: &[&str]) -> String {
    let mut all = vec!["redact"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn summary_of(stdin: &str) -> (i32, Vec<serde_json::Value>) {
    let (code, out, _) = run_with_stdin(&["summary", "-f", "json", "-"], stdin.into());
    (
        code,
        if out.is_empty() {
            Vec::new()
        } else {
            json_rows(&out)
        },
    )
}

#[test]
fn fixtures_read_the_same_apart_from_redacted_fields() {
    let fixtures = fixtures();
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Each fixture redacted into a file of the same order (a few at a time: each is a process).
    std::thread::scope(|scope| {
        for (chunk, files) in fixtures.chunks(fixtures.len().div_ceil(3)).enumerate() {
            let dir = dir.path();
            let skip = chunk * fixtures.len().div_ceil(3);
            scope.spawn(move || {
                for (i, fixture) in files.iter().enumerate() {
                    let redacted = redact(&["--key", "k", fixture]);
                    let name = format!("{:03}.txt", skip + i);
                    std::fs::write(dir.join(name), redacted).expect("written");
                }
            });
        }
    });
    let summary = |args: &[&str]| {
        let mut all = vec!["summary", "-f", "json"];
        all.extend_from_slice(args);
        json_rows(&run(&all).1)
    };
    let originals: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    let before = summary(&originals);
    let after = summary(&[&dir.path().to_string_lossy()]);
    assert!(before.len() > 40, "the fixtures hold many messages");
    assert_eq!(before.len(), after.len(), "messages");
    for (old, new) in before.iter().zip(&after) {
        let old = old.as_object().expect("a row");
        let input = &old["input"];
        for (field, value) in old {
            if KEPT_FIELDS.contains(&field.as_str()) {
                assert_eq!(value, &new[field], "{input}: {field}");
            } else {
                assert!(
                    REDACTED_FIELDS.contains(&field.as_str()) || value == &new[field],
                    "{input}: {field} changed: {value} → {}",
                    new[field]
                );
            }
        }
    }
}

const PERSONAL: &str = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"jane.doe@corp-mail.net","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 <jane.doe@corp-mail.net>: user unknown at mx1.corp-mail.net"}],"timestamp":"2024-06-01T10:00:00.000Z","feedbackId":"0100018fd2a1b2c3-aaaa","remoteMtaIp":"54.12.34.56","reportingMTA":"dsn; a8-1.smtp-out.amazonses.com"},"mail":{"timestamp":"2024-06-01T09:59:59.000Z","source":"Billing Team <billing@shop-corp.com>","sourceArn":"arn:aws:ses:eu-west-1:987654321098:identity/shop-corp.com","sourceIp":"2a00:1450:4001::5","sendingAccountId":"987654321098","messageId":"0100018fd2a1b2c3-bbbb","destination":["jane.doe@corp-mail.net"],"headers":[{"name":"Received","value":"from mx.shop-corp.com (mx.shop-corp.com [81.2.3.4]) by smtp.shop-corp.com with ESMTP id Q7abc99"},{"name":"Subject","value":"Your order 12345 for Jane"},{"name":"DKIM-Signature","value":"v=1; a=rsa-sha256; d=shop-corp.com; s=sel2024; bh=QUJD; b=REVG"}],"commonHeaders":{"from":["Billing Team <billing@shop-corp.com>"],"subject":"Your order 12345 for Jane"},"tags":{"ses:caller-identity":["jane-admin"],"ses:operation":["SendEmail"]}}}"#;

#[test]
fn nothing_personal_is_left_and_what_debugs_stays() {
    let (code, out, err) = run_with_stdin(&["redact"], PERSONAL.into());
    assert_eq!(code, 0, "{err}");
    for secret in [
        "jane",
        "Jane",
        "corp-mail",
        "shop-corp",
        "Billing",
        "54.12.34.56",
        "2a00:1450",
        "81.2.3.4",
        "987654321098",
        "sel2024",
        "Q7abc99",
        "order",
        "QUJD",
        "REVG",
    ] {
        assert!(!out.contains(secret), "{secret} left in {out}");
    }
    for kept in [
        "\"bounceType\":\"Permanent\"",
        "\"status\":\"5.1.1\"",
        "smtp; 550 5.1.1 <",
        ">: user unknown at ",
        "a8-1.smtp-out.amazonses.com",
        "arn:aws:ses:eu-west-1:",
        "\"2024-06-01T10:00:00.000Z\"",
        " with ESMTP id ",
        "\"ses:operation\":[\"SendEmail\"]",
        "v=1; a=rsa-sha256; d=",
        "\"sourceIp\":\"2001:db8:",
    ] {
        assert!(out.contains(kept), "{kept} lost in {out}");
    }
    assert!(out.ends_with("}\n") || out.ends_with('}'));
}

#[test]
fn the_same_key_gives_the_same_pseudonyms_and_none_gives_new_ones() {
    let with_key = |key: &str| {
        let (_, out, _) = run_with_stdin(&["redact", "--key", key], PERSONAL.into());
        out
    };
    assert_eq!(with_key("team secret"), with_key("team secret"));
    assert_ne!(with_key("team secret"), with_key("another"));
    let (_, one, _) = run_with_stdin(&["redact"], PERSONAL.into());
    let (_, two, _) = run_with_stdin(&["redact"], PERSONAL.into());
    assert_ne!(one, two, "a random key per run");
    // Within a run, the address is the same pseudonym wherever it appears.
    let doc: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    let recipient = doc["bounce"]["bouncedRecipients"][0]["emailAddress"]
        .as_str()
        .expect("an address");
    assert_eq!(doc["mail"]["destination"][0], recipient);
    let diagnostic = doc["bounce"]["bouncedRecipients"][0]["diagnosticCode"]
        .as_str()
        .expect("a code");
    assert!(diagnostic.contains(recipient));
}

#[test]
fn unclassified_values_are_replaced_and_listed_or_refused_with_strict() {
    let doc = r#"{"eventType":"Send","mail":{"messageId":"m1","source":"a@corp.com","x-note":"call Jane at home"},"send":{}}"#;
    let (code, out, err) = run_with_stdin(&["redact"], format!("{doc}\n").into_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("Jane"));
    assert!(
        err.contains("could not classify 1 value at mail.x-note"),
        "{err}"
    );
    let (code, out, err) = run_with_stdin(
        &["redact", "--strict"],
        format!("{doc}\n{{}}\n").into_bytes(),
    );
    assert_eq!(code, 2);
    assert_eq!(out, "{}\n", "only the document without unclassified values");
    assert!(err.contains("<stdin>:1:1"), "{err}");
    assert!(
        err.contains("not written (--strict)") && err.contains("mail.x-note"),
        "{err}"
    );
}

#[test]
fn key_paths_on_stderr_are_escaped() {
    let doc = "{\"eventType\":\"Send\",\"mail\":{\"\\u001b[31mkey\":\"value here\"}}\n";
    let (_, _, err) = run_with_stdin(&["redact"], doc.into());
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("\\u{1b}[31mkey"), "{err}");
}

#[test]
fn broken_json_is_reported_and_the_rest_redacted() {
    let input = "{\"eventType\":\"Send\",\"mail\":{\"source\":\"a@corp.com\",}}\n{\"eventType\":\"Send\",\"mail\":{\"source\":\"b@corp.com\"},\"send\":{}}\n";
    let (code, out, err) = run_with_stdin(&["redact"], input.into());
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>:1:"), "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("\"eventType\":\"Send\"") && !out.contains("corp.com"));
}

#[test]
fn times_shift_by_a_constant() {
    let (_, before) = summary_of(PERSONAL);
    let (code, out, err) = run_with_stdin(&["redact", "--shift-time", "-1h"], PERSONAL.into());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"timestamp\":\"2024-06-01T09:00:00.000Z\""),
        "{out}"
    );
    let (_, after) = summary_of(&out);
    assert_eq!(before[0]["timestamp"], "2024-06-01T09:59:59.000Z");
    assert_eq!(after[0]["timestamp"], "2024-06-01T08:59:59.000Z");
    let (code, _, err) = run(&["redact", "--shift-time", "soon", "-"]);
    assert_eq!(code, 2);
    assert!(err.contains("--shift-time"), "{err}");
}

#[test]
fn pretty_documents_stay_pretty_and_log_text_stays_log_text() {
    let fixture = "tests/fixtures/public/aws-sam-cli__SesEmailReceiving.json";
    let out = redact(&["--key", "k", fixture]);
    assert!(out.lines().count() > 20, "pretty, as the input");
    let log = "tests/fixtures/captured/cli-logs-tail-detailed.txt";
    let original = std::fs::read_to_string(root().join(log)).expect("a fixture");
    let out = redact(&["--key", "k", log]);
    assert_eq!(original.lines().count(), out.lines().count());
    for (a, b) in original.lines().zip(out.lines()) {
        // The timestamp and log stream that start each line are kept.
        let prefix = |line: &str| line.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert_eq!(prefix(a), prefix(b));
    }
    assert!(!out.contains("alice@") && !out.contains("bob@"));
}

#[test]
fn gzip_payloads_are_redacted_and_encoded_again() {
    let fixture = "tests/fixtures/captured/subscription-lambda-event.txt";
    let out = redact(&["--key", "k", fixture]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let data = doc["awslogs"]["data"].as_str().expect("awslogs data");
    let gzip = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_string(&mut text)
        .expect("gzip");
    assert!(
        text.contains("logEvents") && text.contains("aws:ses"),
        "{text}"
    );
    assert!(!text.contains("alice@") && !text.contains("bob@"), "{text}");
}

#[test]
fn log_text_keeps_request_ids_and_replaces_ips_and_words() {
    let line = "2026-11-20T10:00:00.100Z\t6b8d2c4e-1f3a-4e8b-9c1d-2a7f5e9b0c11\tINFO\tfrom 81.2.69.160 jane\n";
    let (code, out, err) = run_with_stdin(&["redact", "--shift-time", "1h"], line.into());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("2026-11-20T11:00:00.100Z\t6b8d2c4e-1f3a-4e8b-9c1d-2a7f5e9b0c11\tINFO\t"),
        "{out}"
    );
    assert!(
        !out.contains("81.2.69.160") && !out.contains("jane"),
        "{out}"
    );
    assert!(
        err.contains("could not classify 1 value at (text)"),
        "{err}"
    );
}

#[test]
fn a_line_of_brackets_costs_linear_time() {
    let line = format!("note {}\n", "{[".repeat(200_000));
    let started = std::time::Instant::now();
    let (code, out, err) = run_with_stdin(&["redact"], line.into_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.starts_with("note"),
        "the word is replaced; the brackets name nobody"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_truncated_gzip_input_is_reported_after_what_was_read() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(b"{\"eventType\":\"Send\",\"mail\":{\"source\":\"a@corp.com\"},\"send\":{}}\n")
        .expect("gzip in memory");
    let gzip = encoder.finish().expect("gzip in memory");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("cut.json.gz");
    std::fs::write(&path, &gzip[..gzip.len() - 6]).expect("written");
    let (code, out, err) = run(&["redact", &path.to_string_lossy()]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("cut.json.gz"), "{err}");
    assert!(!out.contains("corp.com"));
}

#[test]
fn a_message_of_many_lines_around_json_costs_linear_time() {
    let mut message = "line of text\n".repeat(5_000);
    message.push_str("{\"source\":\"a@corp.com\"}\n");
    let doc = serde_json::json!({ "message": message }).to_string();
    let started = std::time::Instant::now();
    let (code, out, err) = run_with_stdin(&["redact"], format!("{doc}\n").into_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("corp.com"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Every form `generate` writes, for each family it writes it for.
const GENERATED_FORMS: &[(&[&str], &[&str])] = &[
    (
        &["--type", "received", "--mix"],
        &[
            "",
            "lambda",
            "sns",
            "sns-lambda",
            "sqs",
            "sqs-lambda",
            "firehose",
            "kinesis",
            "cloudwatch-text",
            "cloudwatch-json",
            "subscription",
        ],
    ),
    (
        &["--type", "sending", "--mix"],
        &[
            "",
            "sns",
            "sns-lambda",
            "sqs",
            "sqs-lambda",
            "eventbridge",
            "firehose",
            "kinesis",
            "cloudwatch-text",
            "cloudwatch-json",
            "subscription",
        ],
    ),
    (
        &["--type", "sending", "--mix", "--notification"],
        &[
            "",
            "sns",
            "sqs",
            "sqs-lambda",
            "eventbridge",
            "subscription",
        ],
    ),
];

#[test]
fn every_generated_form_is_classified_and_reads_the_same() {
    // Every form in two inputs (JSON documents, and log text, which an input is read as from
    // its start): a redaction and two summaries each, however many forms.
    let (mut documents, mut logs) = (String::new(), String::new());
    for (family, forms) in GENERATED_FORMS {
        for (seed, form) in forms.iter().enumerate() {
            // Every kind of event as SES writes it (many: actions and types are drawn), and a
            // few in each envelope (a seed per form: more kinds in as few as possible).
            let (seed, count) = (seed.to_string(), if form.is_empty() { "60" } else { "3" });
            let mut args = vec!["generate", "-n", count, "--seed", &seed];
            args.extend_from_slice(family);
            if !form.is_empty() {
                args.extend(["--wrap", form]);
            }
            let (code, out, err) = run(&args);
            assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
            let input = if *form == "cloudwatch-text" {
                &mut logs
            } else {
                &mut documents
            };
            input.push_str(&out);
        }
    }
    for events in [documents, logs] {
        let (code, redacted, err) =
            run_with_stdin(&["redact", "--key", "k"], events.clone().into());
        assert_eq!((code, err.as_str()), (0, ""), "nothing left unclassified");
        let (before, after) = (summary_of(&events), summary_of(&redacted));
        assert_eq!(before.0, 0);
        assert_eq!((after.0, after.1.len()), (0, before.1.len()));
        for (old, new) in before.1.iter().zip(&after.1) {
            for field in KEPT_FIELDS {
                assert_eq!(old[field], new[field], "{}: {field}", old["input"]);
            }
        }
    }
}
