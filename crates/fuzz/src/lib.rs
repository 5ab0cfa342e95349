//! Seeded, bounded fuzzing on stable Rust, for the code that reads what strangers send:
//! webhook bodies (parser, normalizer, processor) and policy scenarios.
//!
//! Each input is a real one (a fixture) changed by a few [`mutate`] steps, mostly on its JSON
//! structure (wrong types, huge or odd values, missing and duplicated keys, deep nesting) and
//! sometimes on its bytes (truncation, flipped bits). Input `i` of a run depends only on the
//! seed and `i`, so a failure is reproduced by its seed and index alone.
//!
//! Inputs come from fastrand seeded per index.
//!
//! Knobs (environment): `FENESTRA_FUZZ_ITERATIONS` (the test suite's default is small; the
//! documented run in `scripts/fuzz` is a million per target), `FENESTRA_FUZZ_SEED`.

mod mutate;

pub use mutate::mutate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// What a run did.
#[derive(Debug)]
pub struct Report {
    pub target: &'static str,
    pub seed: u64,
    pub inputs: u64,
    pub panics: Vec<Failure>,
    pub seconds: f64,
}

/// One input that panicked, and how to get it back.
#[derive(Debug)]
pub struct Failure {
    pub index: u64,
    pub message: String,
    pub input: String,
}

impl Report {
    /// Panics with every failure's seed, index, message and input (the start of it).
    pub fn assert_no_panics(&self) {
        eprintln!(
            "fuzz {}: {} inputs, seed {}, {:.1} s ({:.0} inputs/s), {} panics",
            self.target,
            self.inputs,
            self.seed,
            self.seconds,
            self.inputs as f64 / self.seconds.max(1e-9),
            self.panics.len()
        );
        if let Some(first) = self.panics.first() {
            panic!(
                "{} of {} inputs panicked; the first, input {} of seed {} \
                 (FENESTRA_FUZZ_SEED={} to repeat): {}\ninput: {}",
                self.panics.len(),
                self.inputs,
                first.index,
                self.seed,
                self.seed,
                first.message,
                first.input
            );
        }
    }
}

thread_local! {
    static LOCATION: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// How many inputs: `FENESTRA_FUZZ_ITERATIONS`, else `default`.
pub fn iterations(default: u64) -> u64 {
    std::env::var("FENESTRA_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The run's seed: `FENESTRA_FUZZ_SEED`, else a fixed one so the suite is repeatable.
pub fn seed() -> u64 {
    std::env::var("FENESTRA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00f3_e57a_2026)
}

/// The `index`-th input of a run: a corpus entry, mutated one to four times.
pub fn input(corpus: &[Vec<u8>], seed: u64, index: u64) -> Vec<u8> {
    assert!(!corpus.is_empty(), "fuzzing needs at least one real input");
    let mut rng = fastrand::Rng::with_seed(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut bytes = corpus[rng.usize(..corpus.len())].clone();
    for _ in 0..=rng.usize(..4) {
        bytes = mutate(&mut rng, &bytes);
    }
    bytes
}

/// Feeds `iterations` mutated inputs to `target`, catching panics.
pub fn run(
    target: &'static str,
    corpus: &[Vec<u8>],
    iterations: u64,
    mut check: impl FnMut(&[u8]),
) -> Report {
    let seed = seed();
    let started = Instant::now();
    let mut panics = Vec::new();
    // Panics are collected and reported once, with where they happened, not printed a
    // million times.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| l.to_string()).unwrap_or_default();
        LOCATION.with(|l| *l.borrow_mut() = at);
    }));
    for index in 0..iterations {
        let bytes = input(corpus, seed, index);
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let at = LOCATION.with(|l| l.take());
            let message = format!("{message} (at {at})");
            let text = String::from_utf8_lossy(&bytes);
            panics.push(Failure {
                index,
                message,
                input: text.chars().take(2_000).collect(),
            });
        }
    }
    std::panic::set_hook(hook);
    Report {
        target,
        seed,
        inputs: iterations,
        panics,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The files of `dir` with extension `ext`, read: a corpus.
pub fn corpus(dir: &std::path::Path, ext: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_depends_only_on_seed_and_index() {
        let corpus = vec![br#"{"a":[1,{"b":"c"}],"d":null}"#.to_vec()];
        assert_eq!(input(&corpus, 7, 42), input(&corpus, 7, 42));
        let distinct: std::collections::HashSet<_> =
            (0..200).map(|i| input(&corpus, 7, i)).collect();
        assert!(
            distinct.len() > 100,
            "only {} distinct inputs",
            distinct.len()
        );
    }

    #[test]
    fn a_panic_is_reported_with_its_index() {
        let corpus = vec![b"{}".to_vec()];
        let report = run("test", &corpus, 50, |b| assert!(b.len() < 3, "long"));
        assert!(!report.panics.is_empty());
        let first = &report.panics[0];
        assert!(input(&corpus, report.seed, first.index).len() >= 3);
        assert!(
            first
                .message
                .starts_with("long (at crates/fuzz/src/lib.rs:"),
            "{}",
            first.message
        );
    }
}
