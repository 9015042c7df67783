//! What a message's headers say about its path and its authentication, read the way a mail
//! engineer reads them: `Received` hops, `Authentication-Results`, `Received-SPF`,
//! `DKIM-Signature` and ARC sets. Parsers are tolerant: what they cannot read they leave out.

/// The (first) address in an address field: `Name <user@domain>`, `user@domain`, or a list.
pub fn address(value: &str) -> &str {
    let address = match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value.split(',').next().unwrap_or(value),
    };
    address.trim()
}

pub mod auth;
pub mod received;
mod tokens;
