//! Where a JSON string stops: its first `"`, `\\` or line end, found eight bytes at a time for
//! the short strings events are made of. The framer's: the check of `mail.headers` asks memchr
//! for a quote or backslash instead, its values being long.

use memchr::memchr3;

/// The first `"`, `\\` or newline in `bytes`: where a string ends, escapes, or breaks. Most
/// strings in events are short, so eight bytes are tested at a time before handing long ones
/// to memchr.
pub fn string_stop(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut at = 0;
    for chunk in bytes.chunks_exact(8).take(8) {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let found = has(word, b'"') | has(word, b'\\') | has(word, b'\n');
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    memchr3(b'"', b'\\', b'\n', &bytes[at..]).map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_string_stops_at_every_offset() {
        for length in 0..80 {
            for stop in [b'"', b'\\', b'\n'] {
                let mut bytes = vec![b'a'; length];
                assert_eq!(string_stop(&bytes), None);
                for at in 0..length {
                    bytes[at] = stop;
                    assert_eq!(string_stop(&bytes), Some(at), "{length} {at}");
                    bytes[at] = 0x80 | stop;
                    assert_eq!(string_stop(&bytes), None, "high bytes are not stops");
                    bytes[at] = b'a';
                }
            }
        }
    }
}
