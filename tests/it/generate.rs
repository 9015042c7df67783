//! `generate`: the same seed gives the same bytes; everything it writes reads back with the
//! values asked for, in every envelope; options that do not fit together are refused.

use serde_json::{Value, json};

use crate::deliverability_stats::{TRUTH_COUNTS, suppression_list};
use crate::harness::{run, run_with_stdin};

/// `sesinspect generate ARGS`, which must succeed quietly: its stdout.
fn generate(args: &[&str]) -> String {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!((code, err.as_str()), (0, ""), "generate {args:?}");
    out
}

/// `fields -f ndjson -F FIELDS` of `events`, which must read without a problem: one object
/// per event.
fn fields(events: &str, names: &str) -> Vec<Value> {
    let (code, out, err) = run_with_stdin(
        &["fields", "-f", "ndjson", "-F", names],
        events.as_bytes().to_vec(),
    );
    assert_eq!((code, err.as_str()), (0, ""), "reading back {events}");
    out.lines()
        .map(|line| serde_json::from_str(line).expect("NDJSON"))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
    let args = ["--mix", "-n", "20", "--seed", "9"];
    let first = generate(&args);
    assert_eq!(first, generate(&args));
    assert_eq!(first.lines().count(), 20);
    assert_ne!(first, generate(&["--mix", "-n", "20", "--seed", "10"]));
    let sending = [
        "--type",
        "sending",
        "--mix",
        "-n",
        "20",
        "--wrap",
        "subscription",
    ];
    assert_eq!(generate(&sending), generate(&sending));
}

#[test]
fn receipt_events_read_back_with_the_verdicts_action_and_addresses_asked_for() {
    const STATUSES: [&str; 5] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"];
    const DMARC: [&str; 4] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"];
    const ACTIONS: [&str; 7] = [
        "S3",
        "Lambda",
        "SNS",
        "Bounce",
        "WorkMail",
        "Stop",
        "AddHeader",
    ];
    const POLICIES: [&str; 3] = ["none", "quarantine", "reject"];
    for i in 0..7 {
        let status = |offset: usize| STATUSES[(i + offset) % STATUSES.len()];
        let (spf, dkim, spam, virus) = (status(0), status(1), status(3), status(4));
        let (dmarc, policy, action) = (DMARC[i % 4], POLICIES[i % 3], ACTIONS[i]);
        let (from, to, subject) = (
            format!("Sender {i} <sender{i}@example.org>"),
            format!("rcpt{i}@example.com"),
            format!("Test {i} — ünïcode"),
        );
        let seed = i.to_string();
        let mix = if i % 2 == 0 { "--mix" } else { "--pretty" };
        let events = generate(&[
            "--seed",
            &seed,
            "-n",
            "2",
            mix,
            "--spf",
            spf,
            "--dkim",
            dkim,
            "--dmarc",
            dmarc,
            "--dmarc-policy",
            policy,
            "--spam",
            spam,
            "--virus",
            virus,
            "--action",
            action,
            "--from",
            &from,
            "--to",
            &to,
            "--to",
            "second@example.com",
            "--subject",
            &subject,
            "--encoded-words",
        ]);
        let rows = fields(
            &events,
            "event_type,spf,dkim,dmarc,dmarc_policy,spam,virus,action,from,to,subject,source",
        );
        let expected = json!({
            "event_type": "Received", "spf": spf, "dkim": dkim, "dmarc": dmarc,
            "dmarc_policy": policy, "spam": spam, "virus": virus, "action": action,
            "from": [from], "to": [to, "second@example.com"], "subject": subject,
            "source": format!("sender{i}@example.org"),
        });
        assert_eq!(rows, vec![expected.clone(), expected], "seed {i}");
    }
}

#[test]
fn dmarc_is_left_out_when_asked_and_its_policy_only_comes_with_a_failure() {
    let rows = fields(&generate(&["--no-dmarc"]), "dmarc,dmarc_policy");
    assert_eq!(rows, vec![json!({"dmarc": null, "dmarc_policy": null})]);
    let rows = fields(&generate(&["--dmarc", "fail"]), "dmarc,dmarc_policy");
    assert_eq!(rows, vec![json!({"dmarc": "FAIL", "dmarc_policy": "none"})]);
}

#[test]
fn headers_agree_with_the_verdicts() {
    let events = generate(&["--mix", "-n", "40", "--seed", "3"]);
    let (code, out, err) = run_with_stdin(&["auth", "-f", "ndjson"], events.into_bytes());
    assert_eq!((code, err.as_str()), (0, ""));
    for line in out.lines() {
        let report: Value = serde_json::from_str(line).expect("NDJSON");
        assert_eq!(report["disagreements"], json!([]), "{line}");
        let added = &report["authentication_results"][0]["added"];
        assert_eq!(added, "by_ses", "SES's own Authentication-Results: {line}");
    }
}

#[test]
fn truncated_headers_are_marked_and_cut() {
    let whole = generate(&[]);
    let cut = generate(&["--headers-truncated"]);
    let count = |events: &str| {
        let event: Value = serde_json::from_str(events).expect("JSON");
        event["Records"][0]["ses"]["mail"]["headers"]
            .as_array()
            .map(Vec::len)
    };
    assert!(count(&cut) < count(&whole));
    let rows = fields(&cut, "headers_truncated");
    assert_eq!(rows, vec![json!({"headers_truncated": true})]);
}

#[test]
fn every_bounce_reads_back_with_its_type_subtype_and_dsn() {
    let bounces = [
        ("Permanent/General", Some("5.1.1")),
        ("Permanent/NoEmail", Some("5.1.1")),
        ("Permanent/Suppressed", Some("5.1.1")),
        ("Permanent/OnAccountSuppressionList", Some("5.1.1")),
        ("Transient/General", Some("4.4.7")),
        ("Transient/MailboxFull", Some("4.2.2")),
        ("Transient/MessageTooLarge", Some("5.3.4")),
        ("Transient/ContentRejected", Some("5.7.1")),
        ("Transient/AttachmentRejected", Some("5.7.1")),
        ("Undetermined/Undetermined", None),
    ];
    for (i, (bounce, status)) in bounces.into_iter().enumerate() {
        let notification = if i % 2 == 0 {
            "--notification"
        } else {
            "--pretty"
        };
        let seed = i.to_string();
        let events = generate(&[
            "--type",
            "bounce",
            "--bounce",
            bounce,
            "--to",
            "gone@example.com",
            "--seed",
            &seed,
            notification,
        ]);
        let rows = fields(
            &events,
            "event_type,bounce_type,bounce_subtype,recipients,status",
        );
        let (bounce_type, subtype) = bounce.split_once('/').expect("TYPE/SUBTYPE");
        let expected = json!({
            "event_type": "Bounce", "bounce_type": bounce_type, "bounce_subtype": subtype,
            "recipients": ["gone@example.com"], "status": status.map(|s| json!([s])),
        });
        assert_eq!(rows, vec![expected], "{bounce}");
    }
}

#[test]
fn every_sending_type_reads_back_in_turn_with_tags_and_complaint_types() {
    let events = generate(&[
        "--type",
        "sending",
        "-n",
        "10",
        "--from",
        "News <news@example.org>",
        "--subject",
        "Hello",
        "--tag",
        "campaign=spring",
        "--to",
        "reader@example.com",
    ]);
    let rows = fields(&events, "event_type,from,subject,recipients,tag:campaign");
    let types: Vec<&str> = rows
        .iter()
        .map(|row| row["event_type"].as_str().expect("a type"))
        .collect();
    assert_eq!(
        types,
        [
            "Send",
            "Delivery",
            "Open",
            "Click",
            "Bounce",
            "DeliveryDelay",
            "Complaint",
            "Subscription",
            "Reject",
            "Rendering Failure"
        ]
    );
    for row in &rows {
        assert_eq!(row["from"], json!(["News <news@example.org>"]));
        assert_eq!(row["subject"], "Hello");
        assert_eq!(row["recipients"], json!(["reader@example.com"]));
        assert_eq!(row["tag:campaign"], json!(["spring"]));
    }
    for feedback in [
        "abuse",
        "auth-failure",
        "fraud",
        "not-spam",
        "other",
        "virus",
    ] {
        let events = generate(&["--type", "complaint", "--complaint", feedback]);
        let rows = fields(&events, "event_type,complaint_type");
        assert_eq!(
            rows,
            vec![json!({"event_type": "Complaint", "complaint_type": feedback})]
        );
    }
}

#[test]
fn notifications_are_notifications_and_publishing_records_carry_tags() {
    let notification = generate(&["--type", "delivery", "--notification"]);
    let record: Value = serde_json::from_str(&notification).expect("JSON");
    assert_eq!(record["notificationType"], "Delivery");
    assert_eq!(record["mail"].get("tags"), None);
    let published = generate(&["--type", "delivery"]);
    let record: Value = serde_json::from_str(&published).expect("JSON");
    assert_eq!(record["eventType"], "Delivery");
    assert_eq!(
        record["mail"]["tags"]["ses:operation"],
        json!(["SendEmail"])
    );
}

/// What the round trip compares: every field that says what the message and event are.
const MESSAGE_FIELDS: &str = "ses_id,event_type,timestamp,event_time,from,to,subject,source,\
    recipients,spf,dkim,dmarc,dmarc_policy,spam,virus,action,bounce_type,bounce_subtype,status,\
    diagnostic_code,complaint_type,tags";

#[test]
fn every_wrap_reads_back_the_same_messages() {
    let forms = [
        ("received", "lambda"),
        ("received", "sns"),
        ("received", "sns-lambda"),
        ("received", "sqs"),
        ("received", "sqs-lambda"),
        ("received", "firehose"),
        ("received", "kinesis"),
        ("received", "cloudwatch-text"),
        ("received", "cloudwatch-json"),
        ("received", "subscription"),
        ("sending", "sns"),
        ("sending", "sns-lambda"),
        ("sending", "sqs"),
        ("sending", "sqs-lambda"),
        ("sending", "eventbridge"),
        ("sending", "firehose"),
        ("sending", "kinesis"),
        ("sending", "cloudwatch-text"),
        ("sending", "cloudwatch-json"),
        ("sending", "subscription"),
    ];
    for kind in ["received", "sending"] {
        let plain = fields(
            &generate(&["--type", kind, "--mix", "-n", "4", "--seed", "5"]),
            MESSAGE_FIELDS,
        );
        assert_eq!(plain.len(), 4);
        for (_, wrap) in forms.iter().filter(|(family, _)| *family == kind) {
            let wrapped = generate(&[
                "--type", kind, "--mix", "-n", "4", "--seed", "5", "--wrap", wrap,
            ]);
            assert_eq!(
                fields(&wrapped, MESSAGE_FIELDS),
                plain,
                "{kind} --wrap {wrap}"
            );
        }
    }
}

#[test]
fn the_sns_action_carries_the_raw_message_in_sns_forms() {
    let body = generate(&["--action", "SNS", "--wrap", "sns"]);
    let body: Value = serde_json::from_str(&body).expect("JSON");
    let message: Value =
        serde_json::from_str(body["Message"].as_str().expect("a string")).expect("JSON");
    assert_eq!(message["notificationType"], "Received");
    let content = message["content"].as_str().expect("content");
    assert!(content.contains("\r\n\r\n--"), "{content}");
    assert!(content.contains("Authentication-Results: amazonses.com;"));
}

#[test]
fn mix_draws_every_verdict_status_and_action() {
    let events = generate(&["--mix", "-n", "300"]);
    let rows = fields(&events, "spf,action");
    for status in ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"] {
        assert!(rows.iter().any(|row| row["spf"] == status), "{status}");
    }
    for action in [
        "Lambda",
        "S3",
        "SNS",
        "Bounce",
        "WorkMail",
        "Stop",
        "AddHeader",
    ] {
        assert!(rows.iter().any(|row| row["action"] == action), "{action}");
    }
    let passed = rows.iter().filter(|row| row["spf"] == "PASS").count();
    assert!((200..280).contains(&passed), "{passed} of 300 pass SPF");
}

#[test]
fn options_that_do_not_fit_are_refused() {
    let refused = [
        (
            vec!["--type", "bounce", "--spf", "FAIL"],
            "--spf is about receipt events",
        ),
        (
            vec!["--bounce", "Permanent/NoEmail"],
            "--bounce is about sending events",
        ),
        (
            vec!["--type", "delivery", "--bounce", "Permanent"],
            "--bounce needs --type bounce",
        ),
        (
            vec!["--type", "bounce", "--bounce", "Permanent/Gone"],
            "not a bounce SES sends",
        ),
        (
            vec!["--type", "open", "--notification"],
            "only Bounce, Complaint and Delivery",
        ),
        (
            vec!["--type", "send", "--wrap", "lambda"],
            "SES does not invoke Lambda",
        ),
        (
            vec!["--wrap", "eventbridge"],
            "only sending events to EventBridge",
        ),
        (vec!["--wrap", "cloudwatch-text", "--pretty"], "log text"),
        (vec!["--wrap", "records", "--pretty"], "a record a line"),
        (
            vec!["--type", "sending", "--wrap", "records"],
            "sending events come one per line",
        ),
        (vec!["--trouble", "3"], "use it with --type sending --mix"),
        (
            vec!["--type", "sending", "--mix", "--trouble", "32"],
            "not in 1..=31",
        ),
        (
            vec!["--truth", "/nonexistent/folder/truth.json"],
            "--truth /nonexistent/folder/truth.json",
        ),
        (
            vec!["--type", "send", "--tag", "novalue"],
            "write NAME=VALUE",
        ),
    ];
    for (args, why) in refused {
        let mut all = vec!["generate"];
        all.extend(&args);
        let (code, out, err) = run(&all);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.contains(why), "{args:?}: {err}");
    }
}

#[test]
fn readme_pipelines_are_true() {
    let readme = std::fs::read_to_string(crate::harness::root().join("README.md")).expect("README");
    let block = readme
        .split_once("checked by tests/it/generate.rs")
        .and_then(|(_, rest)| rest.split_once("```text\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the generate example block");
    let examples: Vec<&str> = block.split("$ ").filter(|e| !e.is_empty()).collect();
    assert_eq!(examples.len(), 4);
    for example in examples {
        let (command, expected) = example.split_once('\n').expect("a command and its output");
        let mut output = Vec::new();
        for stage in command.split(" | ") {
            let args: Vec<&str> = stage.split(' ').skip(1).collect();
            let (code, out, err) = run_with_stdin(&args, output);
            assert_eq!((code, err.as_str()), (0, ""), "{stage}");
            output = out.into_bytes();
        }
        assert_eq!(String::from_utf8_lossy(&output), expected, "{command}");
    }
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sesinspect"))
        .args(["generate", "--count", "100000000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sesinspect runs");
    let mut start = [0; 100];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut start)
        .expect("the first events");
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn encoded_words_are_in_the_headers_and_decode_to_the_subject() {
    for kind in ["received", "send"] {
        let events = generate(&["--type", kind, "--subject", "Grüße", "--encoded-words"]);
        assert!(events.contains("=?UTF-8?B?R3LDvMOfZQ==?="), "{kind}");
        let rows = fields(&events, "subject,header:subject");
        assert_eq!(
            rows,
            vec![json!({"subject": "Grüße", "header:subject": "Grüße"})]
        );
    }
}

/// The key paths of `value` (`.mail.headers[].name`), maps of free keys (tags) as one path.
fn key_paths(value: &Value, path: &str, paths: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(fields) if !path.ends_with("tags") && !path.ends_with("linkTags") => {
            for (key, inner) in fields {
                let here = format!("{path}.{key}");
                paths.insert(here.clone());
                key_paths(inner, &here, paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{path}[]"), paths);
            }
        }
        _ => {}
    }
}

/// The SES event in a public sample or a generated document: an SNS body's `Message` parsed.
fn event_in(text: &str) -> Value {
    let document: Value = serde_json::from_str(text).expect("JSON");
    match document.get("Message").and_then(Value::as_str) {
        Some(message) => serde_json::from_str(message).expect("JSON in Message"),
        None => document,
    }
}

#[test]
fn generated_events_have_every_field_of_the_public_samples() {
    let samples = [
        ("sns-eventpub-Bounce", vec!["--type", "bounce"]),
        ("sns-eventpub-Click", vec!["--type", "click"]),
        ("sns-eventpub-Complaint", vec!["--type", "complaint"]),
        ("sns-eventpub-Delivery", vec!["--type", "delivery"]),
        (
            "sns-eventpub-DeliveryDelay",
            vec!["--type", "delivery-delay"],
        ),
        ("sns-eventpub-Open", vec!["--type", "open"]),
        ("sns-eventpub-Reject", vec!["--type", "reject"]),
        (
            "sns-eventpub-RenderingFailure",
            vec!["--type", "rendering-failure"],
        ),
        ("sns-eventpub-Send", vec!["--type", "send"]),
        ("sns-eventpub-Subscription", vec!["--type", "subscription"]),
        (
            "notification-bounce-with-dsn",
            vec!["--type", "bounce", "--notification"],
        ),
        (
            "notification-complaint-with-feedback",
            vec!["--type", "complaint", "--notification"],
        ),
        (
            "notification-delivery",
            vec!["--type", "delivery", "--notification"],
        ),
        (
            "receiving-notification-sns-action-with-content",
            vec!["--action", "SNS", "--wrap", "sns"],
        ),
    ];
    for (sample, args) in samples {
        let file =
            format!("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__{sample}.json");
        let text = std::fs::read_to_string(crate::harness::root().join(&file)).expect("the sample");
        let (mut expected, mut generated) = (Default::default(), Default::default());
        key_paths(&event_in(&text), "", &mut expected);
        key_paths(&event_in(&generate(&args)), "", &mut generated);
        let missing: Vec<&String> = expected.difference(&generated).collect();
        assert!(
            missing.is_empty(),
            "{sample}: generate {args:?} lacks {missing:?}"
        );
    }
}

#[test]
fn mixed_sending_events_follow_each_message_from_its_send() {
    let events = generate(&["--type", "sending", "--mix", "-n", "300", "--seed", "2"]);
    let rows = fields(&events, "ses_id,event_type");
    let mut seen = std::collections::BTreeSet::new();
    let mut current = None;
    for row in &rows {
        let id = row["ses_id"].as_str().expect("an id");
        if current != Some(id) {
            assert_eq!(
                row["event_type"], "Send",
                "a message starts with its Send: {row}"
            );
            assert!(
                seen.insert(id.to_owned()),
                "{id} comes back after another message"
            );
            current = Some(id);
        }
    }
    let deliveries = rows
        .iter()
        .filter(|r| r["event_type"] == "Delivery")
        .count();
    assert!(
        deliveries > seen.len() * 8 / 10,
        "{deliveries} of {} messages",
        seen.len()
    );
}

/// `generate ARGS --truth FILE`: the events written, and the truth.
fn generate_with_truth(args: &[&str]) -> (String, Value) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("truth.json");
    let mut all = args.to_vec();
    all.extend(["--truth", path.to_str().expect("a UTF-8 path")]);
    let events = generate(&all);
    let truth = std::fs::read_to_string(&path).expect("the truth is written");
    (events, serde_json::from_str(&truth).expect("JSON"))
}

/// `sesinspect ARGS` over `events`, which must succeed quietly.
fn read(args: &[&str], events: &str) -> String {
    let (code, out, err) = run_with_stdin(args, events.as_bytes().to_vec());
    assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    out
}

/// `stats -f json` of `events`.
fn stats_of(events: &str) -> Value {
    serde_json::from_str(&read(&["stats", "-f", "json"], events)).expect("JSON")
}

/// A small run of sending events with fifteen times the usual trouble.
const TROUBLED: &[&str] = &[
    "--type",
    "sending",
    "--mix",
    "-n",
    "300",
    "--seed",
    "2",
    "--trouble",
    "15",
];

#[test]
fn stats_and_the_suppression_list_of_sending_events_equal_the_truth() {
    let runs: [&[&str]; 5] = [
        &["--type", "sending", "--mix", "-n", "400", "--seed", "1"],
        TROUBLED,
        &[
            "--type",
            "sending",
            "--mix",
            "-n",
            "200",
            "--seed",
            "3",
            "--trouble",
            "31",
            "--wrap",
            "sns",
        ],
        &["--type", "sending", "-n", "23", "--seed", "4"],
        &[
            "--type",
            "bounce",
            "--mix",
            "-n",
            "9",
            "--notification",
            "--to",
            "A@Example.com",
        ],
    ];
    for args in runs {
        let (events, truth) = generate_with_truth(args);
        let stats = stats_of(&events);
        for key in TRUTH_COUNTS {
            assert_eq!(stats["sending"][key], truth[key], "{key} of {args:?}");
        }
        let listed = suppression_list(&read(&["recipients", "--suppress"], &events));
        assert_eq!(listed, truth["suppress"], "{args:?}");
    }
}

#[test]
fn trouble_brings_every_kind_of_event_into_a_small_run() {
    let (_, truth) = generate_with_truth(TROUBLED);
    for kind in [
        "Bounce",
        "Complaint",
        "DeliveryDelay",
        "Subscription",
        "Open",
        "Click",
    ] {
        assert!(truth["events"][kind].as_u64() > Some(0), "{kind}: {truth}");
    }
    assert!(truth["soft_bounces"].as_u64() > Some(0), "{truth}");
    let suppress = truth["suppress"].as_object().expect("the list");
    for reason in ["BOUNCE", "COMPLAINT"] {
        assert!(suppress.values().any(|r| r == reason), "{reason}: {truth}");
    }
}

#[test]
fn stats_of_receipt_events_equal_the_truth() {
    let runs: [&[&str]; 3] = [
        &["--mix", "-n", "150", "--seed", "1"],
        &["--mix", "-n", "120", "--seed", "2", "--wrap", "records"],
        &[
            "-n",
            "5",
            "--no-dmarc",
            "--spf",
            "FAIL",
            "--from",
            "Jo <Jo@Example.org>",
        ],
    ];
    for args in runs {
        let (events, truth) = generate_with_truth(args);
        let stats = stats_of(&events);
        assert_eq!(stats["messages"], truth["records"], "{args:?}");
        assert_eq!(
            stats["distinct_senders"], truth["distinct_senders"],
            "{args:?}"
        );
        for (verdict, name) in [
            ("spamVerdict", "spam"),
            ("virusVerdict", "virus"),
            ("spfVerdict", "spf"),
            ("dkimVerdict", "dkim"),
            ("dmarcVerdict", "dmarc"),
        ] {
            let counted = stats["verdicts"][name].as_object().expect("counts");
            for (status, count) in counted {
                let expected = truth["verdicts"][verdict].get(status).cloned();
                assert_eq!(
                    expected.unwrap_or(json!(0)),
                    *count,
                    "{verdict} {status} of {args:?}"
                );
            }
        }
    }
}

#[test]
fn records_writes_one_document_a_record_a_line() {
    let events = generate(&["--mix", "-n", "3", "--wrap", "records"]);
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), 5, "{events}");
    assert_eq!((lines[0], lines[4]), ("{\"Records\":[", "]}"));
    let document: Value = serde_json::from_str(&events).expect("one JSON document");
    assert_eq!(document["Records"].as_array().map(Vec::len), Some(3));
    let plain = fields(&generate(&["--mix", "-n", "3"]), MESSAGE_FIELDS);
    assert_eq!(fields(&events, MESSAGE_FIELDS), plain);
    assert_eq!(
        generate(&["-n", "0", "--wrap", "records"]),
        "{\"Records\":[\n]}\n"
    );
}

#[test]
fn the_readme_truth_is_true() {
    let readme = std::fs::read_to_string(crate::harness::root().join("README.md")).expect("README");
    let block = readme
        .split_once("The truth below is checked by tests/it/generate.rs")
        .and_then(|(_, rest)| rest.split_once("```text\n$ sesinspect generate "))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the truth example");
    let (command, rest) = block.split_once('\n').expect("the command");
    let expected = rest
        .strip_prefix("$ cat truth.json\n")
        .expect("the truth shown");
    let args: Vec<&str> = command
        .split_once(" --truth truth.json > events.ndjson")
        .map(|(args, _)| args.split(' ').collect())
        .expect("--truth truth.json > events.ndjson");
    let (_, truth) = generate_with_truth(&args);
    assert_eq!(
        serde_json::to_string_pretty(&truth).expect("JSON") + "\n",
        expected
    );
}

#[test]
fn mix_writes_non_ascii_headers_as_encoded_words_of_both_kinds_that_decode() {
    let events = generate(&["--mix", "-n", "60", "--seed", "6"]);
    assert!(events.contains("=?UTF-8?Q?") && events.contains("=?UTF-8?B?"));
    let rows = fields(&events, "subject,header:subject");
    assert!(
        rows.iter()
            .any(|row| !row["subject"].as_str().is_some_and(str::is_ascii))
    );
    for row in rows {
        assert_eq!(row["subject"], row["header:subject"], "{row}");
    }
}
