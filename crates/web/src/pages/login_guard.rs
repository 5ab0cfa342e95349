//! Login attempts, limited so that guessing is slow and nobody can lock a user out:
//!
//! * per client address, a hard limit ([`ADDRESS_QUOTA`] attempts a minute, then 429 with the
//!   wait): one address cannot try many passwords;
//! * per user name, a growing delay after failures ([`delay_after`]), never a block: an
//!   attacker with many addresses slows attempts on `mai` down, and `mai` still logs in.
//!
//! Both are kept in the database (`CoordinationStore`), so every instance on a shared
//! PostgreSQL counts the same attempts, and nothing grows in memory: names are refused past
//! `MAX_USERNAME` bytes before anything is kept, failures are forgotten after [`FORGET`]
//! ([`prune`], every minute) and an address's rate after an hour idle. If the database cannot
//! answer, the attempt is not slowed: checking the password needs the database anyway.

use std::net::IpAddr;
use std::time::Duration;

use store::{Store, Time};

/// Attempts per client address per minute.
pub const ADDRESS_QUOTA: u32 = 10;
/// Failures are forgotten after this long without another.
const FORGET: Duration = Duration::from_secs(15 * 60);
/// Failures before any delay.
const FREE_FAILURES: u32 = 3;
/// The longest wait one attempt on a name can cost.
const MAX_DELAY: Duration = Duration::from_secs(4);

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

/// `Err(wait)` when this address has used its attempts for now.
pub async fn admit(store: &dyn Store, address: IpAddr) -> Result<(), Duration> {
    let every = Duration::from_secs(60) / ADDRESS_QUOTA;
    match store
        .take_turn(&format!("login:{address}"), every, ADDRESS_QUOTA)
        .await
    {
        Ok(None) => Ok(()),
        Ok(Some(wait)) => Err(wait),
        Err(e) => {
            tracing::warn!(error = %e, "login attempts could not be counted");
            Ok(())
        }
    }
}

/// How long an attempt on `username` waits before its password is checked.
pub async fn delay(store: &dyn Store, username: &str) -> Duration {
    match store
        .login_failures(&key(username), Time::now() - FORGET)
        .await
    {
        Ok(n) => delay_after(n),
        Err(e) => {
            tracing::warn!(error = %e, "failed logins could not be read");
            Duration::ZERO
        }
    }
}

pub async fn failed(store: &dyn Store, username: &str) {
    let now = Time::now();
    if let Err(e) = store.login_failed(&key(username), now, now - FORGET).await {
        tracing::warn!(error = %e, "a failed login could not be counted");
    }
}

pub async fn succeeded(store: &dyn Store, username: &str) {
    if let Err(e) = store.login_succeeded(&key(username)).await {
        tracing::warn!(error = %e, "a login's failures could not be forgotten");
    }
}

/// Forgets stale names and idle addresses (run every minute).
pub async fn prune(store: &dyn Store) {
    if let Err(e) = store.forget_coordination(Time::now() - FORGET).await {
        tracing::warn!(error = %e, "forgetting old login failures failed");
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
}
