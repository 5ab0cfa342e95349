//! A small deterministic generator (SplitMix64) for ids and fault injection, seeded by `--seed`.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p` (0.0–1.0).
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// Random letters and digits, as in Meta's ids.
    pub fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| ALPHABET[(self.next_u64() % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A numeric id like a PSID (no leading zero).
    pub fn digits(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        s.push(char::from(b'1' + (self.next_u64() % 9) as u8));
        for _ in 1..len {
            s.push(char::from(b'0' + (self.next_u64() % 10) as u8));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.token(12), b.token(12));
        assert_eq!(a.digits(16), b.digits(16));
        assert!(!a.digits(16).starts_with('0'));
        let hits = (0..10_000).filter(|_| a.chance(0.2)).count();
        assert!((1_800..2_200).contains(&hits), "{hits}");
    }
}
