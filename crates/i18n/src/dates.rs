//! Times as a reader reads them, in their time zone and language: "14:05" today, "hôm qua
//! 14:05", "Thứ Hai 09:30" this week, "3 thg 11" this year, "3/11/2025" before; durations
//! ("3 h", "2 d 4 h") for what is left of a window.

use jiff::{Timestamp, Zoned};

use crate::Tr;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

impl Tr {
    fn local(&self, at: Timestamp) -> Zoned {
        at.to_zoned(self.zone.clone())
    }

    /// When something happened (or will: a window's end), as short as is clear from `now`.
    pub fn when(&self, at: Timestamp, now: Timestamp) -> String {
        let (at, now) = (self.local(at), self.local(now));
        let time = at.strftime("%H:%M").to_string();
        // Date minus date is a span of days (its largest unit for civil dates).
        let days = i64::from((now.date() - at.date()).get_days());
        match days {
            0 => time,
            1 => self.t1("when-yesterday", "time", time),
            -1 => self.t1("when-tomorrow", "time", time),
            2..=6 | -6..=-2 => self.t2(
                "when-weekday",
                "day",
                self.t(&format!("weekday-{}", at.weekday().to_monday_one_offset())),
                "time",
                time,
            ),
            _ if at.year() == now.year() => self.day_month(&at),
            _ => self.date_of(&at),
        }
    }

    /// A day: "30/11/2026" (the language's order).
    pub fn date(&self, at: Timestamp) -> String {
        self.date_of(&self.local(at))
    }

    /// A day and a time: "30/11/2026 14:05".
    pub fn date_time(&self, at: Timestamp) -> String {
        let at = self.local(at);
        self.t2(
            "date-time",
            "date",
            self.date_of(&at),
            "time",
            at.strftime("%H:%M").to_string(),
        )
    }

    fn day_month(&self, at: &Zoned) -> String {
        self.t2(
            "date-day-month",
            "day",
            i64::from(at.day()),
            "month",
            self.t(&format!("month-{}", at.month())),
        )
    }

    fn date_of(&self, at: &Zoned) -> String {
        self.format(
            "date-full",
            &[
                ("day", i64::from(at.day()).into()),
                ("month", i64::from(at.month()).into()),
                ("year", i64::from(at.year()).into()),
            ],
        )
    }

    /// How long is left: "2 d 4 h", "3 h 20 min", "12 min".
    pub fn left(&self, ms: i64) -> String {
        let ms = ms.max(0);
        if ms >= DAY {
            self.t2("duration-days-hours", "d", ms / DAY, "h", ms % DAY / HOUR)
        } else if ms >= HOUR {
            self.t2(
                "duration-hours-minutes",
                "h",
                ms / HOUR,
                "m",
                ms % HOUR / MIN,
            )
        } else {
            self.n("duration-minutes", (ms / MIN).max(1))
        }
    }

    /// How long ago: "just now", "5 min ago", "3 h ago", "2 d ago".
    pub fn ago(&self, at: Timestamp, now: Timestamp) -> String {
        let d = (now.as_millisecond() - at.as_millisecond()).max(0);
        match d {
            d if d < MIN => self.t("ago-now"),
            d if d < HOUR => self.n("ago-minutes", d / MIN),
            d if d < DAY => self.n("ago-hours", d / HOUR),
            d => self.n("ago-days", d / DAY),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn dates_read_in_the_readers_zone_and_language() {
        let now = ts("2026-11-30T10:00:00Z"); // 17:00 in Ho Chi Minh City, Monday
        let vi = Tr::new(Lang::Vi).in_zone(Some("Asia/Ho_Chi_Minh"));
        assert_eq!(vi.when(ts("2026-11-30T07:05:00Z"), now), "14:05");
        assert_eq!(vi.when(ts("2026-11-29T07:05:00Z"), now), "hôm qua 14:05");
        assert_eq!(vi.when(ts("2026-11-27T02:30:00Z"), now), "Thứ Sáu 09:30");
        assert_eq!(vi.when(ts("2026-03-03T02:30:00Z"), now), "3 thg 3");
        assert_eq!(vi.when(ts("2025-03-03T02:30:00Z"), now), "3/3/2025");
        assert_eq!(vi.when(ts("2026-12-01T02:30:00Z"), now), "ngày mai 09:30");
        assert_eq!(vi.when(ts("2026-12-03T02:30:00Z"), now), "Thứ Năm 09:30");
        // The same instant is "yesterday" in UTC but "today" in Ho Chi Minh City.
        let en = Tr::new(Lang::En);
        assert_eq!(en.when(ts("2026-11-29T23:30:00Z"), now), "yesterday 23:30");
        assert_eq!(vi.when(ts("2026-11-29T23:30:00Z"), now), "06:30");
        assert_eq!(en.date(ts("2026-11-30T10:00:00Z")), "30 Nov 2026");
        let it = Tr::new(Lang::It).in_zone(Some("Europe/Rome"));
        assert_eq!(it.when(ts("2026-11-29T12:00:00Z"), now), "ieri 13:00");
        assert_eq!(
            Tr::new(Lang::Ms).when(ts("2026-11-29T12:00:00Z"), now),
            "semalam 12:00"
        );
        assert!(
            Tr::new(Lang::Ar)
                .when(ts("2026-11-29T12:00:00Z"), now)
                .contains("أمس")
        );
    }

    #[test]
    fn durations_and_plurals_follow_the_language() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.left(3 * HOUR + 20 * MIN), "3 h 20 min");
        assert_eq!(en.left(2 * DAY + 4 * HOUR), "2 d 4 h");
        assert_eq!(en.left(30_000), "1 min");
        assert_eq!(en.n("conversations-unread", 1), "1 unread");
        assert_eq!(en.n("ago-minutes", 1), "1 min ago");
        let ar = Tr::new(Lang::Ar);
        // Arabic has six plural forms: two is not three.
        assert_ne!(
            ar.n("ago-days", 2).replace('2', ""),
            ar.n("ago-days", 3).replace('3', "")
        );
    }

    #[test]
    fn a_bad_zone_falls_back_to_utc_and_pseudo_wraps() {
        assert_eq!(
            Tr::new(Lang::En).in_zone(Some("Mars/Olympus")).zone_name(),
            "UTC"
        );
        assert_eq!(Tr::pseudo().t("nav-inbox"), "⟦Inbox⟧");
        assert_eq!(
            Tr::new(Lang::En).t("no-such-message"),
            "MISSING:no-such-message"
        );
    }
}
