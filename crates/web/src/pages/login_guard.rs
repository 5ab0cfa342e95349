//! Login attempts, limited so that guessing is slow and nobody can lock a user out:
//!
//! * per client address, a hard limit ([`ADDRESS_QUOTA`] attempts a minute, then 429 with the
//!   wait): one address cannot try many passwords;
//! * per user name, a growing delay after failures ([`delay_after`]), never a block: an
//!   attacker with many addresses slows attempts on `mai` down, and `mai` still logs in;
//! * bounded memory whatever the traffic: names are refused past `MAX_USERNAME` bytes before
//!   anything is kept, at most [`MAX_NAMES`] names are tracked (the stalest forgotten first),
//!   and addresses idle for a minute are pruned by [`LoginGuard::prune`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts per client address per minute.
pub const ADDRESS_QUOTA: u32 = 10;
/// User names whose failures are remembered at once.
pub const MAX_NAMES: usize = 10_000;
/// Failures are forgotten after this long without another.
const FORGET: Duration = Duration::from_secs(15 * 60);
/// Failures before any delay.
const FREE_FAILURES: u32 = 3;
/// The longest wait one attempt on a name can cost.
const MAX_DELAY: Duration = Duration::from_secs(4);

pub struct LoginGuard {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// The wait before the next attempt on a name that failed `failures` times in a row:
/// nothing for the first three, then 250 ms doubling, at most 4 s.
pub fn delay_after(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES) {
        None => Duration::ZERO,
        Some(n) => Duration::from_millis(250)
            .saturating_mul(1 << n.min(8))
            .min(MAX_DELAY),
    }
}

impl Default for LoginGuard {
    fn default() -> Self {
        LoginGuard {
            by_address: RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(ADDRESS_QUOTA).expect("non-zero"),
            )),
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginGuard {
    /// `Err(wait)` when this address has used its attempts for now.
    pub fn admit(&self, address: IpAddr) -> Result<(), Duration> {
        self.by_address.check_key(&address).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ))
        })
    }

    /// How long an attempt on `username` waits before its password is checked.
    pub fn delay(&self, username: &str) -> Duration {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures
            .get(&key(username))
            .filter(|f| f.last.elapsed() < FORGET)
            .map_or(Duration::ZERO, |f| delay_after(f.count))
    }

    pub fn failed(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if failures.len() >= MAX_NAMES && !failures.contains_key(&key(username)) {
            failures.retain(|_, f| f.last.elapsed() < FORGET);
            if failures.len() >= MAX_NAMES
                && let Some(stalest) = failures
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone())
            {
                failures.remove(&stalest);
            }
        }
        let entry = failures.entry(key(username)).or_insert(Failures {
            count: 0,
            last: now,
        });
        if entry.last.elapsed() >= FORGET {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key(username));
    }

    /// Forgets idle addresses and stale names (run every minute).
    pub fn prune(&self) {
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, f| f.last.elapsed() < FORGET);
    }

    /// Names and addresses tracked now (for tests and `/metrics`).
    pub fn tracked(&self) -> (usize, usize) {
        let names = self
            .failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        (names, self.by_address.len())
    }
}

/// Names are compared case-insensitively; the caller refused long ones already.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_but_stay_short() {
        assert_eq!(delay_after(2), Duration::ZERO);
        assert_eq!(delay_after(3), Duration::from_millis(250));
        assert_eq!(delay_after(4), Duration::from_millis(500));
        assert_eq!(delay_after(5), Duration::from_secs(1));
        assert_eq!(delay_after(1_000), MAX_DELAY);
    }

    #[test]
    fn an_address_is_limited_and_a_name_is_only_slowed() {
        let g = LoginGuard::default();
        let attacker: IpAddr = "203.0.113.9".parse().unwrap();
        for _ in 0..ADDRESS_QUOTA {
            assert!(g.admit(attacker).is_ok());
        }
        assert!(g.admit(attacker).is_err());
        assert!(
            g.admit("198.51.100.1".parse().unwrap()).is_ok(),
            "others unaffected"
        );
        for _ in 0..100 {
            g.failed("Mai");
        }
        assert_eq!(g.delay("mai"), MAX_DELAY, "slowed, not blocked");
        g.succeeded("mai");
        assert_eq!(g.delay("mai"), Duration::ZERO);
    }

    #[test]
    fn memory_is_bounded_whatever_the_names() {
        let g = LoginGuard::default();
        for i in 0..(MAX_NAMES + 500) {
            g.failed(&format!("name{i}"));
        }
        assert_eq!(g.tracked().0, MAX_NAMES);
    }
}
