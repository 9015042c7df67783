//! Where a JSON string stops: its first `"`, `\\` or line end (the framer's), or its first `"`,
//! `\\` or control character (the direct reader's), found eight bytes at a time for the short
//! strings events are made of. The check of `mail.headers` asks memchr for a quote or
//! backslash instead, its values being long.

use memchr::memchr3;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is `byte` (exact up to the first such byte, which is
/// all a search needs: a borrow may mark bytes after it).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The high bit of each byte of `word` below `bound` (at most 0x80; exact up to the first).
fn bytes_below(word: u64, bound: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGHS
}

fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes([
        chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
    ])
}

/// The first `"`, `\\` or newline in `bytes`: where a string ends, escapes, or breaks. Most
/// strings in events are short, so eight bytes are tested at a time before handing long ones
/// to memchr.
pub fn string_stop(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for chunk in bytes.chunks_exact(8).take(8) {
        let word = word(chunk);
        let found = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_equal(word, b'\n');
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    memchr3(b'"', b'\\', b'\n', &bytes[at..]).map(|i| at + i)
}

/// The first `"`, `\\` or control character in `bytes`: where a string ends, escapes, or is not
/// JSON (a string holds no control character unescaped). Eight bytes at a time throughout: the
/// strings it reads (those of an event but its headers) are short.
pub fn string_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = word(chunk);
        let found = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let stop = |&b: &u8| b == b'"' || b == b'\\' || b < 0x20;
    bytes[at..].iter().position(stop).map(|i| at + i)
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

    #[test]
    fn finds_string_ends_at_every_offset() {
        for length in 0..80 {
            let mut bytes = vec![b' '; length];
            assert_eq!(string_end(&bytes), None);
            for at in 0..length {
                for stop in [b'"', b'\\', b'\n', 0, 0x1f] {
                    bytes[at] = stop;
                    assert_eq!(string_end(&bytes), Some(at), "{length} {at} {stop}");
                    // A stop after the first does not move it.
                    if at + 1 < length {
                        bytes[length - 1] = 0;
                        assert_eq!(string_end(&bytes), Some(at), "{length} {at} {stop}");
                        bytes[length - 1] = b' ';
                    }
                }
                for other in [0x20, 0x7f, 0x80, 0x80 | b'"', 0x9f, 0xff] {
                    bytes[at] = other;
                    assert_eq!(string_end(&bytes), None, "{other:#x} is not a stop");
                }
                bytes[at] = b' ';
            }
        }
    }
}
