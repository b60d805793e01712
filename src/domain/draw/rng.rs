//! The only randomness a draw uses: the raw ChaCha20 keystream read as little-endian u64s
//! (docs/draw-protocol.md §3–4). Nothing from `rand`'s distributions, which may change values
//! between versions.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Domain-separation tag of protocol version 1's key derivation.
pub const KEY_TAG_V1: &[u8] = b"choucha-draw-key-v1";

/// Stream ids: one for the institutions, one for the teams.
pub const STREAM_INSTITUTIONS: u64 = 0;
pub const STREAM_TEAMS: u64 = 1;

/// key = SHA-256(tag ‖ 0x00 ‖ inputs digest (32 raw bytes) ‖ seed as UTF-8).
pub fn derive_key(inputs_digest: &[u8; 32], seed: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(KEY_TAG_V1);
    h.update([0u8]);
    h.update(inputs_digest);
    h.update(seed.as_bytes());
    h.finalize().into()
}

/// A ChaCha20 keystream positioned at block 0 of `stream`.
pub struct Stream {
    rng: ChaCha20Rng,
    /// How many u64 words were read: reported in diagnostics and test vectors.
    pub words_read: u64,
}

impl Stream {
    pub fn new(key: [u8; 32], stream: u64) -> Self {
        let mut rng = ChaCha20Rng::from_seed(key);
        rng.set_stream(stream);
        Stream { rng, words_read: 0 }
    }

    pub fn next_word(&mut self) -> u64 {
        self.words_read += 1;
        self.rng.next_u64()
    }

    /// A uniform integer in [0, n) by rejection: with r = 2^64 mod n, words x ≥ 2^64 − r are
    /// rejected and the next word read; the result is x mod n. Always reads at least one word.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        let r = (u64::MAX % n + 1) % n; // 2^64 mod n without overflow
        loop {
            let x = self.next_word();
            if r == 0 || x < 0u64.wrapping_sub(r) {
                return x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8439-independent check: the all-zero key's first keystream block, stream 0, is the
    /// well-known ChaCha20 test vector 76 b8 e0 ad a0 f1 3d 90 …
    #[test]
    fn zero_key_matches_the_published_keystream() {
        let mut s = Stream::new([0u8; 32], 0);
        assert_eq!(
            s.next_word().to_le_bytes(),
            [0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90]
        );
        assert_eq!(
            s.next_word().to_le_bytes(),
            [0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28]
        );
    }

    #[test]
    fn streams_differ_and_are_repeatable() {
        let key = derive_key(&[7u8; 32], "007");
        let a: Vec<u64> = (0..4)
            .map({
                let mut s = Stream::new(key, 0);
                move |_| s.next_word()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut s = Stream::new(key, 0);
                move |_| s.next_word()
            })
            .collect();
        let c: Vec<u64> = (0..4)
            .map({
                let mut s = Stream::new(key, 1);
                move |_| s.next_word()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(derive_key(&[7u8; 32], "007"), derive_key(&[7u8; 32], "7"));
    }

    #[test]
    fn below_is_in_range_and_rejects_the_top_zone() {
        let mut s = Stream::new([1u8; 32], 0);
        for n in [1u64, 2, 3, 7, 1000, u64::MAX] {
            for _ in 0..100 {
                assert!(s.below(n) < n);
            }
        }
        // n = 2^63 + 1: r = 2^63 - 1, so about half of all words are rejected.
        let n = (1u64 << 63) + 1;
        let before = s.words_read;
        for _ in 0..1000 {
            s.below(n);
        }
        assert!(s.words_read - before > 1500);
    }
}
