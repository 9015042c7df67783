//! `timeline`: each message's events grouped by id, in time order with offsets, and what became
//! of each recipient; `--where`/`--failed` choose whole messages; nothing lost, nothing invented.

use serde_json::{Value, json};

use crate::harness::{run, run_with_stdin};

const STORY: &str = "tests/fixtures/timeline/story.ndjson";
const UNTIMED: &str = "tests/fixtures/timeline/untimed.ndjson";
const NEWS: &str = "0100019a1b2c3d4e-aaaaaaaa-1111-4a4a-8b8b-000000000001-000000";
const INVOICE: &str = "0100019a1b2c3d4e-bbbbbbbb-2222-4b4b-8c8c-000000000002-000000";
const HOSTILE: &str = "0100019a1b2c3d4e-cccccccc-3333-4c4c-8d8d-000000000003-000000";

/// `timeline -f json ARGS`, which must succeed: the messages.
fn messages(args: &[&str]) -> Vec<Value> {
    let mut full = vec!["timeline", "-f", "json"];
    full.extend_from_slice(args);
    let (code, out, err) = run(&full);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Vec<Value>>(&out).expect("a JSON array")
}

fn ids(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["ses_id"].as_str().expect("an id"))
        .collect()
}

fn types(message: &Value) -> Vec<&str> {
    message["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event_type"].as_str().expect("a type"))
        .collect()
}

#[test]
fn tells_each_message_in_time_order_with_offsets_and_each_recipients_fate() {
    let (code, out, err) = run(&["timeline", STORY]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{INVOICE}  2026-11-02T09:30:00.000Z  from news@example.com  Your invoice
      +0s  Send  sent
  +15m00s  DeliveryDelay → carol@example.net  delayed: MailboxFull 4.2.2 smtp; 452 4.2.2 mailbox full
   +1h32m  Delivery → carol@example.net  250 2.6.0 Message received
  outcome:
    carol@example.net  delivered: 250 2.6.0 Message received

{NEWS}  2026-11-02T10:00:00.000Z  from news@example.com  November news
      +0s  Send  sent
    +0.8s  Delivery → ana@example.com  250 2.0.0 OK 1730541600 q1si123
    +1.6s  Bounce → bob@example.org  Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown
   +2h14m  Open  opened from 198.51.100.7 Mozilla/5.0 (X11; Linux x86_64)
   +2h15m  Click  clicked https://example.com/news/november Mozilla/5.0 (X11; Linux x86_64)
  +22h01m  Complaint → ana@example.com  abuse
  outcome:
    ana@example.com  complaint: abuse
    bob@example.org  hard bounce: Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown
"
        )
    );
}

#[test]
fn json_has_one_object_per_message_with_its_events_and_recipients() {
    let messages = messages(&[STORY]);
    assert_eq!(ids(&messages), [INVOICE, NEWS]);
    let news = &messages[1];
    assert_eq!(news["source"], "news@example.com");
    assert_eq!(news["subject"], "November news");
    assert_eq!(
        news["destination"],
        json!(["ana@example.com", "bob@example.org"])
    );
    assert_eq!(
        types(news),
        ["Send", "Delivery", "Bounce", "Open", "Click", "Complaint"]
    );
    let events = news["events"].as_array().expect("events");
    assert_eq!(events[0]["time"], "2026-11-02T10:00:00.000Z");
    assert_eq!(events[0]["time_from"], "mail");
    assert_eq!(events[1]["time_from"], "event");
    assert_eq!(events[1]["offset_seconds"], json!(0.812));
    assert_eq!(
        events[1]["recipients"],
        json!([{"address": "ana@example.com", "outcome": "250 2.0.0 OK 1730541600 q1si123"}])
    );
    assert_eq!(events[2]["outcome"], "Permanent/General");
    assert_eq!(
        events[2]["recipients"],
        json!([{"address": "bob@example.org",
                "outcome": "Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown"}])
    );
    assert_eq!(events[1]["severity"], "good");
    assert_eq!(events[2]["severity"], "bad");
    assert_eq!(events[3]["offset_seconds"], json!(8049.0));
    assert_eq!(events[3]["recipients"], json!([]));
    assert_eq!(events[5]["input"], format!("{STORY}:6"));
    assert_eq!(
        news["recipients"],
        json!([
            {"address": "ana@example.com", "result": "complaint", "event_type": "Complaint",
             "time": "2026-11-03T08:01:00.000Z", "outcome": "abuse", "severity": "bad"},
            {"address": "bob@example.org", "result": "hard bounce", "event_type": "Bounce",
             "time": "2026-11-02T10:00:01.650Z",
             "outcome": "Permanent/General 5.1.1 smtp; 550 5.1.1 user unknown", "severity": "bad"},
        ])
    );
    let (code, out, _) = run(&["timeline", "-f", "ndjson", STORY]);
    assert_eq!(code, 0);
    let lines: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).expect("one object per line"))
        .collect();
    assert_eq!(lines, messages);
}

#[test]
fn a_message_is_chosen_whole_when_any_of_its_events_matches() {
    let complained = messages(&["--where", "event_type=Complaint", STORY]);
    assert_eq!(ids(&complained), [NEWS]);
    assert_eq!(types(&complained[0]).len(), 6, "every event of the message");
    // --failed: the bounce and complaint choose one, the delivery delay the other.
    assert_eq!(ids(&messages(&["--failed", STORY])), [INVOICE, NEWS]);
    let carol = messages(&["--where", "recipients~carol@", STORY]);
    assert_eq!(ids(&carol), [INVOICE]);
    assert_eq!(types(&carol[0]), ["Send", "DeliveryDelay", "Delivery"]);
    assert!(messages(&["--where", "event_type=Reject", STORY]).is_empty());
}

#[test]
fn events_of_a_message_are_gathered_wherever_they_come_in_the_input() {
    let story = std::fs::read_to_string(STORY).expect("the fixture");
    let mut lines: Vec<&str> = story.lines().collect();
    lines.reverse();
    let reversed = lines.join("\n");
    let (code, out, err) = run_with_stdin(&["timeline", "-f", "json"], reversed.into_bytes());
    assert_eq!(code, 0, "{err}");
    let mut from_stdin: Vec<Value> = serde_json::from_str(&out).expect("JSON");
    for message in &mut from_stdin {
        for event in message["events"].as_array_mut().expect("events") {
            event["input"] = Value::Null;
        }
    }
    let mut from_file = messages(&[STORY]);
    for message in &mut from_file {
        for event in message["events"].as_array_mut().expect("events") {
            event["input"] = Value::Null;
        }
    }
    assert_eq!(from_stdin, from_file);
}

#[test]
fn events_without_a_readable_time_are_kept_last_and_said_to_be() {
    let messages = messages(&[STORY, UNTIMED]);
    assert_eq!(ids(&messages), [INVOICE, NEWS, HOSTILE]);
    let hostile = &messages[2];
    assert_eq!(types(hostile), ["Send", "Bounce", "Open"]);
    let events = hostile["events"].as_array().expect("events");
    assert_eq!(events[1]["time"], "yesterday");
    assert_eq!(events[1]["offset_seconds"], Value::Null);
    assert_eq!(events[2]["time"], Value::Null);
    assert_eq!(events[2]["time_from"], Value::Null);
    assert_eq!(hostile["recipients"][0]["result"], "soft bounce");
    let (code, out, _) = run(&["timeline", UNTIMED]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "    ?  Bounce → dan@example.com  Transient/MailboxFull 4.2.2 smtp; 452 4.2.2 full  (unreadable time \"yesterday\")\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("    ?  Open  opened from 198.51.100.9  (no time)\n"),
        "{out}"
    );
}

#[test]
fn a_message_without_any_readable_time_comes_last() {
    let untimed =
        r#"{"eventType":"Open","mail":{"messageId":"no-time"},"open":{"timestamp":"soon"}}"#;
    let timed = r#"{"eventType":"Send","mail":{"messageId":"timed","timestamp":"2026-01-01T00:00:00Z"},"send":{}}"#;
    let (code, out, err) = run_with_stdin(
        &["timeline", "-f", "ndjson"],
        format!("{untimed}\n{timed}\n").into_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let order: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON")["ses_id"].clone())
        .collect();
    assert_eq!(order, [json!("timed"), json!("no-time")]);
}

#[test]
fn events_without_a_message_id_each_stand_alone() {
    let event = r#"{"eventType":"Send","mail":{"timestamp":"2026-01-01T00:00:00Z"},"send":{}}"#;
    let (code, out, err) = run_with_stdin(
        &["timeline", "-f", "ndjson"],
        format!("{event}\n{event}\n").into_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(r#"{"ses_id":null,"#), "{out}");
}

#[test]
fn untrusted_text_is_escaped_for_people_and_exact_in_json() {
    let (code, out, _) = run(&["timeline", "--color", "always", UNTIMED]);
    assert_eq!(code, 0);
    assert!(
        out.contains(r"\u{1b}[31mred\u{1b}[0m \u{202e}evil"),
        "{out}"
    );
    assert!(!out.contains('\u{202e}'));
    assert!(!out.contains("\u{1b}[31m"));
    let messages = messages(&[UNTIMED]);
    assert_eq!(
        messages[0]["subject"],
        "\u{1b}[31mred\u{1b}[0m \u{202e}evil"
    );
}

#[test]
fn lines_fit_the_width_with_continuations_under_the_text() {
    let (code, out, _) = run_with_stdin(&["timeline", STORY], Vec::new());
    assert_eq!(code, 0);
    let narrow = crate::harness::sesinspect(&["timeline", STORY])
        .env("COLUMNS", "60")
        .run()
        .1;
    assert_ne!(out, narrow);
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    assert!(
        narrow.contains(
            "    +1.6s  Bounce → bob@example.org  Permanent/General\n           5.1.1 smtp; 550 5.1.1 user unknown\n"
        ),
        "{narrow}"
    );
    assert!(narrow.starts_with(&format!("{INVOICE}\n  2026-11-02T09:30:00.000Z  from")));
}

#[test]
fn bad_input_is_reported_and_the_rest_still_told() {
    let story = std::fs::read_to_string(STORY).expect("the fixture");
    let broken = story.replacen("\n", "\n{\"eventType\": \"Bounce\", broken\n", 1);
    let (code, out, err) = run_with_stdin(&["timeline", "-f", "json"], broken.into_bytes());
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>:2"), "{err}");
    let messages: Vec<Value> = serde_json::from_str(&out).expect("JSON");
    assert_eq!(ids(&messages), [INVOICE, NEWS]);
    assert_eq!(types(&messages[1]).len(), 6);
}

#[test]
fn every_event_of_the_fixtures_is_told_once_and_none_invented() {
    let inputs = ["tests/fixtures/sending/", "tests/fixtures/public/", STORY];
    let mut count_args = vec!["summary", "--count", "--skip-foreign"];
    count_args.extend_from_slice(&inputs);
    let (_, count, _) = run(&count_args);
    let mut args = vec!["timeline", "-f", "json", "--skip-foreign"];
    args.extend_from_slice(&inputs);
    let (_, out, _) = run(&args);
    let messages: Vec<Value> = serde_json::from_str(&out).expect("JSON");
    let events: usize = messages
        .iter()
        .map(|m| m["events"].as_array().expect("events").len())
        .sum();
    assert_eq!(events.to_string(), count.trim());
    let mut inputs_told: Vec<&str> = messages
        .iter()
        .flat_map(|m| m["events"].as_array().expect("events"))
        .map(|e| e["input"].as_str().expect("input"))
        .collect();
    let told = inputs_told.len();
    inputs_told.sort_unstable();
    inputs_told.dedup();
    assert_eq!(inputs_told.len(), told, "no event twice");
}

#[test]
fn output_is_the_same_with_any_number_of_threads() {
    let args = |threads: &'static str| {
        run(&[
            "timeline",
            "--threads",
            threads,
            "--skip-foreign",
            "tests/fixtures/sending/",
            "tests/fixtures/public/",
            STORY,
            UNTIMED,
        ])
    };
    let one = args("1");
    assert_eq!(one.0, 0, "{}", one.2);
    assert_eq!(args("3"), one);
}

#[test]
fn nothing_chosen_is_an_empty_array() {
    let (code, out, _) = run(&[
        "timeline",
        "-f",
        "json",
        "--where",
        "event_type=Reject",
        STORY,
    ]);
    assert_eq!((code, out.as_str()), (0, "[\n]\n"));
}

/// A bounce of `recipients`, each with a reply of its own, for the message `id`.
fn bounce_of(id: &str, recipients: usize) -> String {
    let bounced: Vec<Value> = (0..recipients)
        .map(|i| {
            json!({"emailAddress": format!("u{i}@example.com"), "status": "5.1.1",
                   "diagnosticCode": format!("smtp; 550 5.1.1 user {i} unknown")})
        })
        .collect();
    json!({"eventType": "Bounce",
           "mail": {"messageId": id, "timestamp": "2026-01-01T00:00:00.000Z"},
           "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                      "timestamp": "2026-01-01T00:00:01.000Z", "bouncedRecipients": bounced}})
    .to_string()
}

#[test]
fn recipients_told_different_things_each_get_a_line_under_the_event() {
    let (code, out, err) = run_with_stdin(&["timeline"], bounce_of("two", 2).into_bytes());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "two  2026-01-01T00:00:01.000Z  from —  —
  +0s  Bounce → u0@example.com, u1@example.com  Permanent/General
         u0@example.com: Permanent/General 5.1.1 smtp; 550 5.1.1 user 0 unknown
         u1@example.com: Permanent/General 5.1.1 smtp; 550 5.1.1 user 1 unknown
  outcome:
    u0@example.com  hard bounce: Permanent/General 5.1.1 smtp; 550 5.1.1 user 0 unknown
    u1@example.com  hard bounce: Permanent/General 5.1.1 smtp; 550 5.1.1 user 1 unknown
"
    );
}

#[test]
fn many_recipients_and_many_events_take_linear_time() {
    // A bounce of many recipients with different replies took time in the square of their
    // number while the event's words gathered every distinct reply, comparing each with all
    // before it (20,000: seconds); the event's words now leave the replies to each recipient.
    let mut input = bounce_of("wide", 5_000);
    input.push('\n');
    let send = r#"{"eventType":"Open","mail":{"messageId":"long"},"open":{"timestamp":"2026-01-01T00:00:00.000Z"}}"#;
    for _ in 0..5_000 {
        input.push_str(send);
        input.push('\n');
    }
    let started = std::time::Instant::now();
    let (code, out, err) = run_with_stdin(&["timeline", "-f", "ndjson"], input.into_bytes());
    let took = started.elapsed();
    assert_eq!(code, 0, "{err}");
    let messages: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(ids(&messages), ["long", "wide"]);
    assert_eq!(messages[0]["events"].as_array().map(Vec::len), Some(5_000));
    assert_eq!(messages[1]["events"][0]["outcome"], "Permanent/General");
    assert_eq!(
        messages[1]["recipients"].as_array().map(Vec::len),
        Some(5_000)
    );
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}

#[test]
fn outcomes_are_coloured_by_severity_when_asked() {
    let (code, out, _) = run(&["timeline", "--color", "always", STORY]);
    assert_eq!(code, 0);
    let red = "\u{1b}[1m\u{1b}[31m";
    assert!(
        out.contains(&format!("{red}hard bounce: Permanent/General")),
        "{out}"
    );
    assert!(
        out.contains("\u{1b}[32mdelivered: 250 2.6.0 Message received"),
        "{out}"
    );
    let (_, plain, _) = run(&["timeline", STORY]);
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn limit_counts_the_events_read() {
    let messages = messages(&["--limit", "2", STORY]);
    assert_eq!(ids(&messages), [NEWS]);
    assert_eq!(types(&messages[0]), ["Send", "Delivery"]);
}

#[test]
fn real_events_end_as_they_say() {
    let fate = |fixture: &str| -> Value {
        let messages = messages(&[fixture]);
        assert_eq!(messages.len(), 1, "{fixture}");
        let recipient = &messages[0]["recipients"][0];
        json!([
            recipient["address"],
            recipient["result"],
            recipient["severity"]
        ])
    };
    assert_eq!(
        fate("tests/fixtures/sending/mozilla__fx-private-relay__sim-ooto-bounce.json"),
        json!(["ooto@simulator.amazonses.com", "soft bounce", "warning"])
    );
    assert_eq!(
        fate("tests/fixtures/sending/mozilla__fx-private-relay__sim-suppressionlist-bounce.json"),
        json!([
            "suppressionlist@simulator.amazonses.com",
            "hard bounce",
            "bad"
        ])
    );
    assert_eq!(
        fate(
            "tests/fixtures/public/awsdocs-amazon-ses-developer-guide__notification-delivery.json"
        ),
        json!(["jane@example.com", "delivered", "good"])
    );
    assert_eq!(
        fate("tests/fixtures/public/awsdocs-amazon-ses-developer-guide__sns-eventpub-Open.json"),
        json!(["recipient@example.com", null, null]),
        "an open decides nothing"
    );
    // Received mail is told too.
    assert_eq!(
        fate("tests/fixtures/public/aws-lambda-go__ses-lambda-event.json"),
        json!(["lambda@amazon.com", "received", "good"])
    );
}
