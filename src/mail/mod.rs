//! What a message's headers say about its path and its authentication, read the way a mail
//! engineer reads them: `Received` hops, `Authentication-Results`, `Received-SPF`,
//! `DKIM-Signature` and ARC sets. Parsers are tolerant: what they cannot read they leave out.

pub mod auth;
pub mod received;
mod tokens;
