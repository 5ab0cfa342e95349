//! Deterministic ids and fault injection, seeded by `--seed` (fastrand's wyrand: the same
//! sequence for a seed, which is what a repeatable test run needs).

#[derive(Debug, Clone)]
pub struct Rng(fastrand::Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }

    /// True with probability `p` (0.0–1.0).
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.0.f64() < p
    }

    /// Random letters and digits, as in Meta's ids.
    pub fn token(&mut self, len: usize) -> String {
        (0..len).map(|_| self.0.alphanumeric()).collect()
    }

    /// A numeric id like a PSID (no leading zero).
    pub fn digits(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        s.push(char::from(b'1' + self.0.u8(..9)));
        for _ in 1..len {
            s.push(self.0.digit(10));
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
