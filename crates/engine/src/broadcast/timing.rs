//! When each recipient's message is due: the broadcast's start, or the next time it is the
//! chosen hour in the recipient's own time zone; moved into the send window of their day, so a
//! message never lands at 3 a.m. where they are. Pure.

use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use store::Time;

use super::spec::Schedule;

/// The recipient's zone: their profile's UTC offset when Meta gave one, else `fallback`.
pub fn zone_of(offset_hours: Option<f64>, fallback: &TimeZone) -> TimeZone {
    offset_hours
        .filter(|h| h.abs() <= 14.0)
        .and_then(|h| Offset::from_seconds((h * 3_600.0).round() as i32).ok())
        .map(TimeZone::fixed)
        .unwrap_or_else(|| fallback.clone())
}

/// The first moment at or after `start` that suits `schedule` in `zone`.
pub fn due_at(schedule: &Schedule, zone: &TimeZone, start: Time) -> Time {
    let start_ts = start.timestamp();
    let mut t = match schedule.local_hour {
        Some(h) => next_hour(start_ts, zone, h),
        None => start_ts,
    };
    if let Some([from, to]) = schedule.window {
        let hour = t.to_zoned(zone.clone()).hour() as u8;
        if hour < from || hour >= to {
            t = next_hour(t, zone, from);
        }
    }
    Time::from_timestamp(t)
}

/// The next `hour`:00 in `zone` at or after `t`.
fn next_hour(t: Timestamp, zone: &TimeZone, hour: u8) -> Timestamp {
    let local = t.to_zoned(zone.clone());
    let today = local
        .with()
        .hour(hour as i8)
        .minute(0)
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .unwrap_or_else(|_| local.clone());
    let at = if today.timestamp() >= t {
        today
    } else {
        today.checked_add(1.day()).unwrap_or(today)
    };
    at.timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broadcast::spec::DEFAULT_WINDOW;

    fn at(s: &str) -> Time {
        Time::from_timestamp(s.parse().unwrap())
    }

    #[test]
    fn the_same_local_hour_for_each_recipient() {
        let schedule = Schedule {
            local_hour: Some(9),
            ..Schedule::default()
        };
        let start = at("2026-12-01T00:00:00Z");
        let hanoi = zone_of(Some(7.0), &TimeZone::UTC);
        let rome = zone_of(Some(1.0), &TimeZone::UTC);
        assert_eq!(due_at(&schedule, &hanoi, start), at("2026-12-01T02:00:00Z"));
        assert_eq!(due_at(&schedule, &rome, start), at("2026-12-01T08:00:00Z"));
    }

    #[test]
    fn nothing_lands_outside_the_window() {
        let schedule = Schedule {
            window: Some(DEFAULT_WINDOW),
            ..Schedule::default()
        };
        // 22:00 in Hanoi: waits for 08:00 the next morning.
        let late = at("2026-12-01T15:00:00Z");
        let hanoi = zone_of(Some(7.0), &TimeZone::UTC);
        assert_eq!(due_at(&schedule, &hanoi, late), at("2026-12-02T01:00:00Z"));
        // 10:00 in Hanoi: now.
        let fine = at("2026-12-01T03:00:00Z");
        assert_eq!(due_at(&schedule, &hanoi, fine), fine);
    }
}
