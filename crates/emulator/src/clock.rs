//! The emulator's clock: real time plus an offset that only moves forward (`--now`,
//! `POST /_emulator/clock/advance`). Windows, token expiry and dated rules follow it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    /// A clock reading `start_ms` now (or real time).
    pub fn starting_at(start_ms: Option<i64>) -> Clock {
        Clock {
            offset_ms: AtomicI64::new(start_ms.map_or(0, |t| t - real_ms())),
        }
    }

    pub fn now_ms(&self) -> i64 {
        real_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms.max(0), Ordering::Relaxed);
    }

    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    pub fn set_offset_ms(&self, offset: i64) {
        self.offset_ms.store(offset, Ordering::Relaxed);
    }
}

/// RFC 3339 for the clock's readings.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}
