//! [`Time`]: the one type for an instant in Fenestra's data. The database keeps UTC milliseconds
//! since the Unix epoch (an integer sorts, compares and indexes the same on SQLite and
//! PostgreSQL); code adds [`Duration`]s to it and converts to `jiff::Timestamp` where calendars
//! or the policy engine need one.

use std::fmt;
use std::ops::{Add, Sub};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A UTC instant with millisecond precision. Serialized as milliseconds since the epoch.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct Time(i64);

/// How far [`Time::now`] is ahead of the wall clock.
static SHIFT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

impl Time {
    pub const EPOCH: Time = Time(0);
    /// 9999-12-31T23:59:59Z: "until further notice".
    pub const FOREVER: Time = Time(253_402_300_799_000);

    pub const fn from_ms(ms: i64) -> Time {
        Time(ms)
    }

    pub const fn ms(self) -> i64 {
        self.0
    }

    /// The wall clock, moved by [`Time::shift`] (zero but in `fenestra demo`).
    pub fn now() -> Time {
        Time(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0)
                + SHIFT.load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Moves this process's clock `ms` ahead of the wall clock: `fenestra demo` follows the
    /// emulator's clock this way, so moving it fires timers and reminders. Never in `serve`.
    pub fn shift(ms: i64) {
        SHIFT.store(ms, std::sync::atomic::Ordering::Relaxed);
    }

    /// How long after `earlier` this is (zero if it is not after it).
    pub fn since(self, earlier: Time) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0).max(0) as u64)
    }

    pub fn timestamp(self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    pub fn from_timestamp(t: jiff::Timestamp) -> Time {
        Time(t.as_millisecond())
    }

    /// Seconds since the epoch, as Meta's Graph API writes some times.
    pub fn from_secs(secs: i64) -> Time {
        Time(secs.saturating_mul(1000))
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Add<Duration> for Time {
    type Output = Time;
    fn add(self, d: Duration) -> Time {
        Time(self.0.saturating_add(millis(d)))
    }
}

impl Sub<Duration> for Time {
    type Output = Time;
    fn sub(self, d: Duration) -> Time {
        Time(self.0.saturating_sub(millis(d)))
    }
}

impl From<jiff::Timestamp> for Time {
    fn from(t: jiff::Timestamp) -> Time {
        Time::from_timestamp(t)
    }
}

impl From<Time> for jiff::Timestamp {
    fn from(t: Time) -> jiff::Timestamp {
        t.timestamp()
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_and_converts() {
        let t = Time::from_ms(1_773_144_000_000);
        assert_eq!((t + Duration::from_secs(3_600)).ms(), 1_773_147_600_000);
        assert_eq!((t - Duration::from_secs(60)).since(t), Duration::ZERO);
        assert_eq!(
            t.since(t - Duration::from_secs(60)),
            Duration::from_secs(60)
        );
        assert_eq!(t.to_string(), "2026-03-10T12:00:00Z");
        assert_eq!(Time::from(t.timestamp()), t);
        assert_eq!(
            Time::from_ms(i64::MAX) + Duration::from_secs(1),
            Time::from_ms(i64::MAX)
        );
    }
}
