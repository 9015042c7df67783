//! The selector and `--where` parsers on arbitrary text, and the filter they make evaluated on a
//! few real events (received mail, a bounce with recipients, a delivery): each line of the input
//! is a condition; the first byte turns on `--failed` and `--per-recipient`. No panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sesinspect::input::frame::Mode;
use sesinspect::select::{Condition, Filter, Selector, Tree};

const EVENTS: [&[u8]; 3] = [
    include_bytes!("../../tests/fixtures/public/aws-sam-cli__SesEmailReceiving.json"),
    include_bytes!(
        "../../tests/fixtures/sending/janis-commerce__aws-listener-test__sns-message-bounce-with-headers.json"
    ),
    include_bytes!(
        "../../tests/fixtures/public/awsdocs-amazon-ses-developer-guide__notification-delivery.json"
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let mut conditions = Vec::new();
    for line in text.lines() {
        let _ = Selector::parse(line);
        if let Ok(condition) = Condition::parse(line) {
            conditions.push(condition);
        }
    }
    let filter = Filter::new(conditions, flags & 1 != 0, flags & 2 != 0);
    for event in EVENTS {
        sesinspect_fuzz::each_message(event, Mode::Auto, &mut |message| {
            if filter.matches(message) {
                let recipients = message.recipients();
                let tree = Tree::new(filter.paths());
                let _ = filter.rows(message, &recipients, &tree);
            }
        });
    }
});
