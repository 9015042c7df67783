//! SES sending events as a family: every public sample and every captured event read with the
//! right type, recipients and outcome; every envelope and capture form carries them; every
//! quirk real events have reads as written.

use std::io::Write;

use base64::Engine;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::harness::{json_array, json_rows, run, run_with_stdin};

/// A compact Bounce from event publishing, with the fields the quirks below change.
const BOUNCE: &str = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"ana@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-03-02T10:00:01.000Z","feedbackId":"fb-1","reportingMTA":"dsn; mta.example.com"},"mail":{"timestamp":"2026-03-02T10:00:00.000Z","source":"news@example.org","messageId":"0100-bounce","destination":["ana@example.com"],"commonHeaders":{"subject":"March news"},"tags":{"ses:configuration-set":["news"]}}}"#;

/// The fields of the one record `args` print as JSON.
fn only_record(args: &[&str], stdin: &str) -> Value {
    let (code, out, err) = run_with_stdin(args, stdin.as_bytes().to_vec());
    assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    let mut rows = json_rows(&out);
    assert_eq!(rows.len(), 1, "{out}");
    rows.remove(0)
}

/// `fields -f json -F LIST` of one event given on standard input.
fn fields_of(list: &str, event: &str) -> Value {
    only_record(&["fields", "-f", "json", "-F", list], event)
}

#[test]
fn every_public_sample_has_its_type_recipients_and_outcome() {
    let cases: [(&str, &str, &[&str], &str); 15] = [
        (
            "notification-bounce-with-dsn",
            "Bounce",
            &["jane@example.com"],
            "Permanent/General 5.1.1 smtp; 550 5.1.1 <jane@example.com>... User",
        ),
        (
            "notification-bounce-without-dsn",
            "Bounce",
            &["jane@example.com", "richard@example.com"],
            "Permanent/General",
        ),
        (
            "notification-complaint-with-feedback",
            "Complaint",
            &["richard@example.com"],
            "abuse",
        ),
        (
            "notification-complaint-without-feedback",
            "Complaint",
            &["richard@example.com"],
            "complaint",
        ),
        (
            "notification-delivery",
            "Delivery",
            &["jane@example.com"],
            "250 ok: Message 64111812 accepted",
        ),
        (
            "sns-eventpub-Bounce",
            "Bounce",
            &["recipient@example.com"],
            "Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown",
        ),
        (
            "sns-eventpub-Click",
            "Click",
            &["recipient@example.com"],
            "clicked http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html",
        ),
        (
            "sns-eventpub-Complaint",
            "Complaint",
            &["recipient@example.com"],
            "abuse",
        ),
        (
            "sns-eventpub-Delivery",
            "Delivery",
            &["recipient@example.com"],
            "250 2.6.0 Message received",
        ),
        (
            "sns-eventpub-DeliveryDelay",
            "DeliveryDelay",
            &["recipient@example.com"],
            "delayed: TransientCommunicationFailure 4.4.1 smtp; 421 4.4.1 Unable to connect to remote host",
        ),
        (
            "sns-eventpub-Open",
            "Open",
            &["recipient@example.com"],
            "opened from 192.0.2.1",
        ),
        (
            "sns-eventpub-Reject",
            "Reject",
            &["sender@example.com"],
            "rejected: Bad content",
        ),
        (
            "sns-eventpub-RenderingFailure",
            "Rendering Failure",
            &["recipient@example.com"],
            "not rendered: Attribute 'attributeName' is not present in the rendering data. (template MyTemplate)",
        ),
        (
            "sns-eventpub-Send",
            "Send",
            &["recipient@example.com"],
            "sent",
        ),
        (
            "sns-eventpub-Subscription",
            "Subscription",
            &["recipient@example.com"],
            "unsubscribed from all of ContactListName",
        ),
    ];
    for (name, event_type, recipients, outcome) in cases {
        let path = format!("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__{name}.json");
        let rows = json_array(&["summary", "-f", "json", &path]);
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(rows[0]["event_type"], event_type, "{name}");
        assert_eq!(rows[0]["recipients"], json!(recipients), "{name}");
        let (code, table, err) = run(&["summary", &path]);
        assert_eq!((code, err.as_str()), (0, ""), "{name}");
        let row = table
            .lines()
            .find(|line| line.contains(event_type) && !line.contains("Type"))
            .unwrap_or_default();
        assert!(
            row.contains(&format!("┆ {outcome} ")),
            "{name}: {outcome:?} in\n{table}"
        );
    }
}

#[test]
fn public_samples_give_every_field_their_type_has() {
    let path = |name: &str| {
        format!("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__{name}.json")
    };
    let bounce = json_array(&[
        "summary",
        "-f",
        "json",
        &path("notification-bounce-with-dsn"),
    ]);
    let expected = json!({
        "event_time": "2016-01-27T14:59:38.237Z",
        "timestamp": "2016-01-27T14:59:38.237Z",
        "status": ["5.1.1"],
        "diagnostic_code": ["smtp; 550 5.1.1 <jane@example.com>... User"],
        "bounce_type": "Permanent",
        "bounce_subtype": "General",
        "feedback_id": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
        "reporting_mta": "dns; email.example.com",
        "remote_mta_ip": "127.0.2.0",
        "sending_account": "123456789012",
        "source_arn": "arn:aws:ses:us-east-1:888888888888:identity/example.com",
        "source_ip": "127.0.3.0",
        "caller_identity": "IAM_user_or_role_name",
        "tags": null,
        "configuration_set": null,
        "spf": null,
        "action": null,
    });
    for (key, value) in expected.as_object().into_iter().flatten() {
        assert_eq!(&bounce[0][key], value, "{key}");
    }
    let delivery = json_array(&["summary", "-f", "json", &path("sns-eventpub-Delivery")]);
    assert_eq!(delivery[0]["processing_ms"], 11893);
    assert_eq!(delivery[0]["smtp_response"], "250 2.6.0 Message received");
    assert_eq!(delivery[0]["reporting_mta"], "mta.example.com");
    let delay = json_array(&["summary", "-f", "json", &path("sns-eventpub-DeliveryDelay")]);
    assert_eq!(delay[0]["delay_type"], "TransientCommunicationFailure");
    assert_eq!(delay[0]["expiration_time"], "2020-06-16T00:25:40.914Z");
    let click = json_array(&["summary", "-f", "json", &path("sns-eventpub-Click")]);
    assert_eq!(click[0]["ip_address"], "192.0.2.1");
    assert!(
        click[0]["user_agent"]
            .as_str()
            .is_some_and(|ua| ua.starts_with("Mozilla/5.0"))
    );
    // Event publishing carries the sending identity as tags.
    assert_eq!(click[0]["source_ip"], "192.0.2.0");
    assert_eq!(click[0]["caller_identity"], "ses_user");
    assert_eq!(click[0]["configuration_set"], "ConfigSet");
    assert_eq!(click[0]["tags"]["myCustomTag1"], json!(["myCustomValue1"]));
    let failure = json_array(&[
        "summary",
        "-f",
        "json",
        &path("sns-eventpub-RenderingFailure"),
    ]);
    assert_eq!(failure[0]["template"], "MyTemplate");
    assert_eq!(failure[0]["event_time"], Value::Null);
    let complaint = json_array(&[
        "summary",
        "-f",
        "json",
        &path("notification-complaint-with-feedback"),
    ]);
    assert_eq!(complaint[0]["complaint_type"], "abuse");
    assert_eq!(
        complaint[0]["user_agent"],
        "AnyCompany Feedback Loop (V0.01)"
    );
}

#[test]
fn every_captured_event_reads_with_its_way_in() {
    let cases = [
        (
            "ashiina__lambda-local__sns-lambda-event-delivery",
            ":1 Sns.Message",
            "Delivery",
        ),
        (
            "aws-powertools__powertools-lambda-python__sns-message-send-simulator",
            ":1",
            "Send",
        ),
        (
            "janis-commerce__aws-listener-test__sns-message-bounce-with-headers",
            ":1",
            "Bounce",
        ),
        (
            "juhasev__laravel-ses__bare-complaint-simulator-older",
            ":1",
            "Complaint",
        ),
        (
            "juhasev__laravel-ses__sns-bounce-simulator",
            ":1 Message",
            "Bounce",
        ),
        (
            "juhasev__laravel-ses__sns-complaint-simulator",
            ":1 Message",
            "Complaint",
        ),
        (
            "juhasev__laravel-ses__sns-delivery",
            ":1 Message",
            "Delivery",
        ),
        (
            "mozilla__fx-private-relay__hard-bounce-sns-http-body",
            ":1 Message",
            "Bounce",
        ),
        (
            "mozilla__fx-private-relay__sim-bounce-notification",
            ":1",
            "Bounce",
        ),
        (
            "mozilla__fx-private-relay__sim-complaint-notification",
            ":1",
            "Complaint",
        ),
        (
            "mozilla__fx-private-relay__sim-delivery-ooto",
            ":1",
            "Delivery",
        ),
        (
            "mozilla__fx-private-relay__sim-delivery-success",
            ":1",
            "Delivery",
        ),
        (
            "mozilla__fx-private-relay__sim-delivery-to-complaint-address",
            ":1",
            "Delivery",
        ),
        ("mozilla__fx-private-relay__sim-ooto-bounce", ":1", "Bounce"),
        (
            "mozilla__fx-private-relay__sim-suppressionlist-bounce",
            ":1",
            "Bounce",
        ),
        (
            "mozilla__fx-private-relay__soft-bounce-invented-subtype",
            ":1 Message",
            "Bounce",
        ),
        (
            "mozilla__fx-private-relay__spam-bounce-content-rejected",
            ":1 Message",
            "Bounce",
        ),
    ];
    for (name, place, event_type) in cases {
        let path = format!("tests/fixtures/sending/{name}.json");
        let row = only_record(
            &[
                "fields",
                "-f",
                "json",
                "-F",
                "input,event_type,recipients",
                &path,
            ],
            "",
        );
        assert_eq!(row["input"], format!("{path}{place}"), "{name}");
        assert_eq!(row["event_type"], event_type, "{name}");
        assert!(
            row["recipients"].as_array().is_some_and(|r| !r.is_empty()),
            "{name}: {row}"
        );
    }
}

#[test]
fn simulator_captures_say_what_the_simulator_does() {
    let fixture =
        |name: &str| format!("tests/fixtures/sending/mozilla__fx-private-relay__{name}.json");
    let list = "recipients,bounce_type,bounce_subtype,status,complaint_type,complaint_subtype,user_agent,smtp_response";
    let row = |name: &str| only_record(&["fields", "-f", "json", "-F", list, &fixture(name)], "");
    let ooto = row("sim-ooto-bounce");
    assert_eq!(
        (
            &ooto["bounce_type"],
            &ooto["bounce_subtype"],
            &ooto["status"]
        ),
        (&json!("Transient"), &json!("General"), &Value::Null),
        "an out-of-office bounce whose recipient has only an address"
    );
    assert_eq!(ooto["recipients"], json!(["ooto@simulator.amazonses.com"]));
    let complaint = row("sim-complaint-notification");
    assert_eq!(complaint["complaint_subtype"], Value::Null);
    assert_eq!(complaint["complaint_type"], "abuse");
    assert_eq!(complaint["user_agent"], "Amazon SES Mailbox Simulator");
    let suppressed = row("sim-suppressionlist-bounce");
    assert_eq!(suppressed["bounce_type"], "Permanent");
    let invented = row("soft-bounce-invented-subtype");
    assert_eq!(invented["bounce_subtype"], "SRETeamEatenByDinosaurs");
    let success = row("sim-delivery-success");
    assert_eq!(success["smtp_response"], "250 2.6.0 Message received");
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

fn quoted(json: &str) -> String {
    serde_json::to_string(json).expect("a string")
}

#[test]
fn every_envelope_carries_sending_events() {
    let sns_body = format!(
        r#"{{"Type" : "Notification","MessageId":"m","TopicArn":"arn:aws:sns:eu-west-1:111122223333:ses","Subject":"Amazon SES Email Event Notification","Message":{}}}"#,
        quoted(&format!("{BOUNCE}\n"))
    );
    let cases: Vec<(String, &str)> = vec![
        (BOUNCE.to_string(), "<stdin>:1"),
        (
            format!(
                r#"{{"Records":[{{"EventSource":"aws:sns","Sns":{{"Type":"Notification","Subject":null,"Message":{}}}}}]}}"#,
                quoted(BOUNCE)
            ),
            "<stdin>:1 Sns.Message",
        ),
        (sns_body.clone(), "<stdin>:1 Message"),
        (
            format!(r#"{{"Type":"Notification","MessageId":"m","Message":{BOUNCE}}}"#),
            "<stdin>:1 Message",
        ),
        (
            format!(
                r#"{{"Records":[{{"messageId":"q","eventSource":"aws:sqs","body":{}}}]}}"#,
                quoted(&sns_body)
            ),
            "<stdin>:1 body → Message",
        ),
        (
            format!(
                r#"{{"Records":[{{"messageId":"q","eventSource":"aws:sqs","body":{}}}]}}"#,
                quoted(BOUNCE)
            ),
            "<stdin>:1 body",
        ),
        (
            format!(
                r#"{{"Messages":[{{"MessageId":"q","ReceiptHandle":"h","MD5OfBody":"x","Body":{}}}]}}"#,
                quoted(&sns_body)
            ),
            "<stdin>:1 Body → Message",
        ),
        (
            format!(
                r#"{{"Records":[{{"eventSource":"aws:kinesis","kinesis":{{"data":"{}"}}}}]}}"#,
                base64(&gzip(BOUNCE.as_bytes()))
            ),
            "<stdin>:1 kinesis.data",
        ),
        (
            format!(
                r#"{{"invocationId":"i","deliveryStreamArn":"arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses","records":[{{"recordId":"r","approximateArrivalTimestamp":1,"data":"{}"}}]}}"#,
                base64(format!("{BOUNCE}\n").as_bytes())
            ),
            "<stdin>:1 data",
        ),
        (
            format!(
                r#"{{"version":"0","id":"e","detail-type":"Email Bounced","source":"aws.ses","account":"111122223333","time":"2026-03-02T10:00:02Z","region":"eu-west-1","resources":[],"detail":{BOUNCE}}}"#
            ),
            "<stdin>:1 detail",
        ),
    ];
    for (input, place) in cases {
        let row = fields_of("input,event_type,bounce_type,recipients", &input);
        assert_eq!(row["input"], place, "{input}");
        assert_eq!(row["event_type"], "Bounce", "{input}");
        assert_eq!(row["bounce_type"], "Permanent", "{input}");
        assert_eq!(row["recipients"], json!(["ana@example.com"]), "{input}");
    }
}

#[test]
fn eventbridge_events_of_every_detail_type_are_read() {
    let types = [
        ("Email Sent", "Send", "send"),
        ("Email Delivered", "Delivery", "delivery"),
        ("Email Bounced", "Bounce", "bounce"),
        ("Email Complaint Received", "Complaint", "complaint"),
        ("Email Rejected", "Reject", "reject"),
        ("Email Opened", "Open", "open"),
        ("Email Clicked", "Click", "click"),
        ("Email Rendering Failed", "Rendering Failure", "failure"),
        ("Email Delivery Delayed", "DeliveryDelay", "deliveryDelay"),
        ("Email Subscribed", "Subscription", "subscription"),
    ];
    let mut input = String::new();
    for (detail_type, event_type, object) in types {
        input.push_str(&format!(
            r#"{{"version":"0","detail-type":"{detail_type}","source":"aws.ses","detail":{{"eventType":"{event_type}","mail":{{"messageId":"m"}},"{object}":{{}}}}}}"#
        ));
        input.push('\n');
    }
    let (code, out, err) = run_with_stdin(&["fields", "-F", "event_type"], input.into_bytes());
    assert_eq!((code, err.as_str()), (0, ""));
    let read: Vec<&str> = out.lines().collect();
    let expected: Vec<&str> = types.iter().map(|(_, t, _)| *t).collect();
    assert_eq!(read, expected);
}

#[test]
fn firehose_objects_in_s3_are_read_gzipped_one_per_line_or_run_together() {
    let delivery = BOUNCE
        .replace(r#""eventType":"Bounce""#, r#""eventType":"Delivery""#)
        .replace("0100-bounce", "0100-delivery");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let lines = dir.path().join("ses-1-2026-03-02-10-00-00-abc");
    std::fs::write(&lines, gzip(format!("{BOUNCE}\n{delivery}\n").as_bytes())).expect("written");
    let together = dir.path().join("ses-2-2026-03-02-10-05-00-def.gz");
    std::fs::write(&together, gzip(format!("{BOUNCE}{delivery}").as_bytes())).expect("written");
    for path in [lines, together] {
        let path = path.to_string_lossy().into_owned();
        let (code, out, err) = run(&["fields", "-F", "input,event_type", &path]);
        assert_eq!((code, err.as_str()), (0, ""));
        let types: Vec<&str> = out.lines().filter_map(|l| l.split('\t').nth(1)).collect();
        assert_eq!(types, ["Bounce", "Delivery"], "{out}");
    }
}

#[test]
fn cloudwatch_captures_carry_sending_events() {
    let node = format!(
        "START RequestId: 1 Version: $LATEST\n2026-03-02T10:00:02.000Z\t1\tINFO\t{BOUNCE}\nEND RequestId: 1\n"
    );
    let json_log = format!(
        r#"{{"timestamp":"2026-03-02T10:00:02.000Z","level":"INFO","requestId":"1","message":{BOUNCE}}}"#
    );
    let python = BOUNCE
        .replace('"', "'")
        .replace("'fb-1'", "'fb-1', 'arrivalDate': None");
    let python = format!(
        "START RequestId: 1 Version: $LATEST\n[INFO]\t2026-03-02T10:00:02.000Z\t1\t{python}\n"
    );
    let payload = format!(
        r#"{{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/bounces","logStream":"s","logEvents":[{{"id":"1","timestamp":1,"message":{}}}]}}"#,
        quoted(&format!("2026-03-02T10:00:02.000Z\t1\tINFO\t{BOUNCE}\n"))
    );
    let subscription = format!(
        r#"{{"awslogs":{{"data":"{}"}}}}"#,
        base64(&gzip(payload.as_bytes()))
    );
    let line = quoted(&format!("2026-03-02T10:00:02.000Z\t1\tINFO\t{BOUNCE}\n"));
    let filter_log_events = format!(
        r#"{{"events":[{{"logStreamName":"s","timestamp":1,"message":{line},"ingestionTime":2,"eventId":"1"}}],"searchedLogStreams":[]}}"#
    );
    let insights = format!(
        r#"{{"results":[[{{"field":"@timestamp","value":"2026-03-02 10:00:02.000"}},{{"field":"@message","value":{line}}}]],"status":"Complete"}}"#
    );
    let powertools = format!(
        r#"{{"level":"INFO","message":"Lambda invocation event","timestamp":"2026-03-02T10:00:02.000Z","service":"bounces","event":{BOUNCE}}}"#
    );
    for (input, place) in [
        (node, "<stdin>:2:33"),
        (json_log, "<stdin>:1 message"),
        (python, "<stdin>:2:35"),
        (subscription, "<stdin>:1 awslogs.data → logEvents[0]"),
        (filter_log_events, "<stdin>:1 events[0]"),
        (insights, "<stdin>:1 results[0]"),
        (powertools, "<stdin>:1 event"),
    ] {
        let row = fields_of("input,event_type,status", &input);
        assert_eq!(row["input"], place, "{input}");
        assert_eq!(row["event_type"], "Bounce", "{input}");
        assert_eq!(row["status"], json!(["5.1.1"]), "{input}");
    }
}

#[test]
fn quirks_of_real_events_read_as_written() {
    let with = |from: &str, to: &str| {
        assert!(BOUNCE.contains(from), "{from}");
        BOUNCE.replace(from, to)
    };
    // `action` capitalised, an empty diagnostic code, a recipient with only an address.
    let recipients = with(
        r#"[{"emailAddress":"ana@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]"#,
        r#"[{"emailAddress":"ana@example.com","action":"Failed","status":"5.2.1","diagnosticCode":""},{"emailAddress":"bo@example.com"}]"#,
    );
    let (code, out, _) = run_with_stdin(
        &[
            "fields",
            "--per-recipient",
            "-F",
            "recipient,recipient_action,status,diagnostic_code",
        ],
        recipients.clone().into_bytes(),
    );
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "ana@example.com\tFailed\t5.2.1\t\nbo@example.com\t\t\t\n"
        )
    );
    let row = fields_of("recipients,status,diagnostic_code", &recipients);
    assert_eq!(
        row["recipients"],
        json!(["ana@example.com", "bo@example.com"])
    );
    assert_eq!(row["status"], json!(["5.2.1", null]));
    assert_eq!(row["diagnostic_code"], json!(["", null]));
    // A multi-line diagnostic code: exact in JSON, escaped in TSV, one line in the table.
    let gmail = with(
        "smtp; 550 5.1.1 user unknown",
        r"smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address",
    );
    let row = fields_of("diagnostic_code", &gmail);
    assert!(
        row["diagnostic_code"][0]
            .as_str()
            .is_some_and(|d| d.contains("try\n550-5.1.1"))
    );
    let (_, tsv, _) = run_with_stdin(
        &["fields", "-F", "diagnostic_code"],
        gmail.clone().into_bytes(),
    );
    assert!(tsv.contains(r"Please try\n550-5.1.1 double"), "{tsv}");
    let (_, table, _) = run_with_stdin(&["summary"], gmail.into_bytes());
    assert!(
        table.contains("Please try 550-5.1.1 double-checking"),
        "{table}"
    );
    // reportingMTA with either prefix or none is kept as written.
    for mta in [
        "dns; mx.example.net",
        "dsn; mx.example.net",
        "mx.example.net",
    ] {
        let event = with("dsn; mta.example.com", mta);
        assert_eq!(fields_of("reporting_mta", &event)["reporting_mta"], mta);
    }
    // complaintSubType and complaintFeedbackType null.
    let complaint = r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"ana@example.com"}],"timestamp":"2026-03-02T10:05:00.000Z","feedbackId":"fb-2","complaintSubType":null,"complaintFeedbackType":null},"mail":{"messageId":"0100-c"}}"#;
    let row = fields_of(
        "event_type,recipients,complaint_subtype,complaint_type",
        complaint,
    );
    assert_eq!(
        row,
        json!({"event_type":"Complaint","recipients":["ana@example.com"],"complaint_subtype":null,"complaint_type":null})
    );
    // `send: {}` and `headersTruncated` written as a string.
    let send = r#"{"eventType":"Send","mail":{"messageId":"0100-s","destination":["ana@example.com"],"headersTruncated":"true"},"send":{}}"#;
    assert_eq!(
        fields_of("event_type,recipients,headers_truncated", send),
        json!({"event_type":"Send","recipients":["ana@example.com"],"headers_truncated":true})
    );
    let unreadable = send.replace(r#""true""#, r#""sometimes""#);
    assert_eq!(
        fields_of("headers_truncated", &unreadable)["headers_truncated"],
        Value::Null
    );
    // An unknown type and an unknown subtype are kept, with the unknown object reachable by path.
    let future = r#"{"eventType":"Teleport","teleport":{"destination":"Mars"},"mail":{"messageId":"0100-t","destination":["ana@example.com"]}}"#;
    assert_eq!(
        fields_of("event_type,recipients,teleport.destination", future),
        json!({"event_type":"Teleport","recipients":null,"teleport.destination":"Mars"})
    );
    let subtype = with(
        r#""bounceSubType":"General""#,
        r#""bounceSubType":"OnTenantSuppressionList""#,
    );
    assert_eq!(
        fields_of("bounce_subtype", &subtype)["bounce_subtype"],
        "OnTenantSuppressionList"
    );
}

#[test]
fn a_type_without_its_object_is_still_an_event_with_its_details_missing() {
    let bare = r#"{"eventType":"Bounce","mail":{"messageId":"0100-b"}}"#;
    let row = fields_of("event_type,bounce_type,recipients,status", bare);
    assert_eq!(
        row,
        json!({"event_type":"Bounce","bounce_type":null,"recipients":null,"status":null})
    );
    let (code, table, _) = run_with_stdin(&["summary"], bare.as_bytes().to_vec());
    assert_eq!(code, 0);
    assert!(table.contains("┆ Bounce ┆"), "{table}");
}

#[test]
fn mixed_input_works_in_every_command_and_format() {
    let inputs = [
        "examples/several-records.json",
        "examples/sending-events.ndjson",
    ];
    let formats: [(&str, &[&str]); 7] = [
        ("summary", &["table", "json", "ndjson", "tsv", "csv"]),
        ("fields", &["table", "json", "ndjson", "tsv", "csv"]),
        ("headers", &["table", "json", "ndjson", "tsv", "csv"]),
        ("hops", &["table", "json", "ndjson", "tsv", "csv"]),
        ("auth", &["table", "json", "ndjson"]),
        ("check", &["text", "json", "ndjson"]),
        ("stats", &["table", "json", "ndjson"]),
    ];
    for (command, formats) in formats {
        for format in formats {
            let mut args = vec![command, "-f", format];
            if command == "fields" {
                args.extend(["-F", "input,event_type,subject"]);
            }
            args.extend(inputs);
            let (code, out, err) = run(&args);
            let expected = if command == "check" { 1 } else { 0 };
            assert_eq!((code, err.as_str()), (expected, ""), "{args:?}");
            // Something of the received mail and something of the sent mail in every output.
            let (received, sent) = match (command, *format) {
                ("check", _) => ("FAIL", "Complaint"),
                ("stats", _) => ("PASS", "Complaint"),
                ("hops" | "auth", "table") => ("Application: platform engineer", "· Send ·"),
                ("hops" | "auth", _) => ("several-records.json", ""),
                _ => ("Überweisung bestätigt", "March news from Example"),
            };
            assert!(
                out.contains(received) && out.contains(sent),
                "{args:?}:\n{out}"
            );
        }
    }
}
