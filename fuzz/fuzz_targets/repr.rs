//! The Python-repr converter on arbitrary text: no panic, and what it returns is JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sesinspect::input::repr::to_json;

fuzz_target!(|text: &str| {
    if let Some(json) = to_json(text) {
        assert!(
            serde_json::from_str::<serde::de::IgnoredAny>(&json).is_ok(),
            "the conversion is not JSON: {json:?}"
        );
    }
});
