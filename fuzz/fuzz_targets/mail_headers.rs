//! The header parsers on arbitrary text: `Received`, `Authentication-Results`, `Received-SPF`,
//! `DKIM-Signature` tags, addresses and domains, encoded-words, and the whole authentication
//! report over headers made of the input's lines (`Name: value`). No panic.

#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use sesinspect::mail::auth::{
    AuthReport, AuthenticationResults, DkimSignature, ReceivedSpf, Tags, address_domain,
};
use sesinspect::mail::received::Hop;
use sesinspect::mail::{domain, first_address};
use sesinspect::model::Header;
use sesinspect::model::words;

fuzz_target!(|text: &str| {
    let hop = Hop::parse(text);
    let _ = hop.from_text();
    let _ = AuthenticationResults::parse(text);
    let _ = ReceivedSpf::parse(text);
    let _ = Tags::parse(text).get("d");
    let _ = DkimSignature::parse(text);
    let _ = address_domain(text);
    if let Some(address) = first_address(text) {
        let _ = domain(&address);
    }
    let _ = domain(text);
    let _ = words::decode(text);
    let headers: Vec<Header> = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| Header {
            name: Cow::Borrowed(name),
            value: Cow::Borrowed(value),
        })
        .collect();
    let _ = AuthReport::examine(&headers, None);
});
