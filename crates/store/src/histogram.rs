//! Answer times as a histogram, so a day's or a quarter's median is read from a few hundred
//! counts instead of every request.
//!
//! Invariant: a time is kept to the second under 2 minutes, to 5 seconds under 10 minutes, to 30
//! seconds under an hour and to 5 minutes beyond (rounded to the nearest step): quantiles and
//! averages computed from a histogram are those of the rounded times. 240 s and 1,800 s are
//! kept exactly.

use std::collections::BTreeMap;

/// Steps: (below this many seconds, round to this many).
const STEPS: [(i64, i64); 4] = [(120, 1), (600, 5), (3_600, 30), (i64::MAX, 300)];

/// Seconds, rounded to the step their size calls for.
pub fn rounded(seconds: i64) -> i64 {
    let seconds = seconds.max(0);
    let (_, step) = STEPS
        .iter()
        .find(|(below, _)| seconds < *below)
        .copied()
        .unwrap_or((i64::MAX, 300));
    (seconds + step / 2) / step * step
}

/// How many times each rounded time was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    counts: BTreeMap<i64, i64>,
}

impl Histogram {
    pub fn add(&mut self, seconds: i64, n: i64) {
        let c = self.counts.entry(rounded(seconds)).or_default();
        *c += n;
        if *c == 0 {
            self.counts.remove(&rounded(seconds));
        }
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (&s, &n) in &other.counts {
            self.add(s, n);
        }
    }

    pub fn len(&self) -> i64 {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The times in ascending order, each as often as it was seen.
    fn sorted(&self) -> impl Iterator<Item = i64> + '_ {
        self.counts
            .iter()
            .flat_map(|(&s, &n)| std::iter::repeat_n(s, n.max(0) as usize))
    }

    /// The value at quantile `q`, interpolated between neighbours (the median of 240 and 1,800
    /// is 1,020).
    pub fn quantile(&self, q: f64) -> Option<i64> {
        let len = self.len();
        if len <= 0 {
            return None;
        }
        let pos = q * (len - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        let mut it = self.sorted().skip(lo);
        let a = it.next()?;
        let b = if hi > lo { it.next().unwrap_or(a) } else { a };
        Some((a as f64 + (b - a) as f64 * (pos - lo as f64)).round() as i64)
    }

    /// The average of the `n` smallest times.
    pub fn mean_of_smallest(&self, n: usize) -> Option<i64> {
        (n > 0).then(|| (self.sorted().take(n).sum::<i64>() as f64 / n as f64).round() as i64)
    }

    /// Stored form: (rounded seconds, count) pairs as little-endian i64s.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.counts.len() * 16);
        for (&s, &n) in &self.counts {
            out.extend_from_slice(&s.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Histogram {
        let mut h = Histogram::default();
        for pair in bytes.chunks_exact(16) {
            let word = |b: &[u8]| i64::from_le_bytes(b.try_into().expect("8 bytes"));
            h.add(word(&pair[..8]), word(&pair[8..]));
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_grow_with_the_time_and_keep_whole_minutes() {
        assert_eq!(
            [0, 59, 119, 122, 242, 599, 1_800, 1_810, 3_700, 5_000].map(rounded),
            [0, 59, 119, 120, 240, 600, 1_800, 1_800, 3_600, 5_100]
        );
    }

    #[test]
    fn quantiles_interpolate_and_survive_the_stored_form() {
        let mut h = Histogram::default();
        h.add(240, 1);
        h.add(1_800, 1);
        let h = Histogram::from_bytes(&h.to_bytes());
        assert_eq!(h.quantile(0.5), Some(1_020));
        assert_eq!(h.quantile(0.9), Some(1_644));
        assert_eq!(h.mean_of_smallest(1), Some(240));
        let mut gone = h.clone();
        gone.add(240, -1);
        gone.add(1_800, -1);
        assert!(gone.is_empty() && gone.quantile(0.5).is_none());
    }
}
