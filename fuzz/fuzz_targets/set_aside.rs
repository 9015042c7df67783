//! Headers set aside before an event is parsed (`set_aside_headers`) must be valid JSON, a list
//! of headers, and the text with the stand-in in their place must be valid JSON exactly when the
//! text is: then parsing the rest and putting the headers back reads what the whole parse reads.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;
use std::collections::BTreeMap;

use serde_json::value::RawValue;
use sesinspect::model::{SET_ASIDE, set_aside_headers};

fn valid(json: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(json).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(list) = set_aside_headers(text) else {
        return;
    };
    let headers = &text[list.clone()];
    assert!(valid(headers), "{headers}");
    // Strings as written (one with a lone surrogate is a header's text all the same).
    let objects: Vec<BTreeMap<&str, &RawValue>> =
        serde_json::from_str(headers).expect("a list of objects");
    for object in objects {
        let keys: Vec<&str> = object.keys().copied().collect();
        assert_eq!(keys, ["name", "value"], "{headers}");
        assert!(object.values().all(|v| v.get().starts_with('"')), "{headers}");
    }
    let without = format!("{}{SET_ASIDE}{}", &text[..list.start], &text[list.end..]);
    assert_eq!(valid(&without), valid(text), "{text}");
});
