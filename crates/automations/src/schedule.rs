//! Opening hours: a week of hours in the shop's time zone, and holidays when it is closed all
//! day. Answers "is the shop open at this instant?" and "since when has it been closed?" (the
//! away message goes out at most once per closed period).
//!
//! A day's hours are `closed`, `open` (all day) or ranges such as `09:00-12:00, 13:30-18:00`;
//! a day missing from the week is closed. A range ends on its own day (`24:00` is midnight):
//! hours past midnight belong to the next day's line.

use std::fmt;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A week of opening hours, one line per day (`mon` … `sun`); a day left out is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Week {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<Hours>,
}

impl Week {
    /// The day's hours; `None` is closed.
    pub fn day(&self, w: Weekday) -> Option<&Hours> {
        match w {
            Weekday::Monday => self.mon.as_ref(),
            Weekday::Tuesday => self.tue.as_ref(),
            Weekday::Wednesday => self.wed.as_ref(),
            Weekday::Thursday => self.thu.as_ref(),
            Weekday::Friday => self.fri.as_ref(),
            Weekday::Saturday => self.sat.as_ref(),
            Weekday::Sunday => self.sun.as_ref(),
        }
    }
}

/// One day's opening hours: minutes since midnight, `[start, end)`, in order, not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    written: String,
    ranges: Vec<(u16, u16)>,
}

const DAY_MINUTES: u16 = 24 * 60;

impl Hours {
    pub fn parse(written: &str) -> Result<Hours, String> {
        let w = written.trim();
        let ranges = match w.to_ascii_lowercase().as_str() {
            "closed" => vec![],
            "open" => vec![(0, DAY_MINUTES)],
            _ => {
                let mut ranges = Vec::new();
                for part in w.split(',') {
                    let (from, to) = part.split_once('-').ok_or_else(|| bad_hours(written))?;
                    let (from, to) = (minute(from)?, minute(to)?);
                    if to <= from {
                        return Err(format!(
                            "`{}` ends before it starts: hours past midnight go on the next day's line",
                            part.trim()
                        ));
                    }
                    if ranges.last().is_some_and(|&(_, end)| from < end) {
                        return Err(format!(
                            "`{written}`: ranges must be in order and not overlap"
                        ));
                    }
                    ranges.push((from, to));
                }
                ranges
            }
        };
        Ok(Hours {
            written: w.to_owned(),
            ranges,
        })
    }

    /// The open ranges, minutes since midnight, `[start, end)`.
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.ranges
    }

    fn contains(&self, minute: u16) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= minute && minute < b)
    }
}

fn bad_hours(written: &str) -> String {
    format!(
        "`{written}` is not opening hours: write \"09:00-18:00\", \"09:00-12:00, 14:00-18:00\", \"open\" or \"closed\""
    )
}

/// `09:00` → 540; `24:00` is the end of the day.
fn minute(hhmm: &str) -> Result<u16, String> {
    let s = hhmm.trim();
    let (h, m) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}` is not a time: write it as 09:00"))?;
    let (h, m): (u16, u16) = (
        h.parse().map_err(|_| format!("`{s}` is not a time"))?,
        m.parse().map_err(|_| format!("`{s}` is not a time"))?,
    );
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(format!("`{s}` is not a time of day"));
    }
    Ok(h * 60 + m)
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hours, D::Error> {
        Hours::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.written)
    }
}

/// An IANA time zone name (`Asia/Ho_Chi_Minh`), checked against the bundled database.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn get(name: &str) -> Result<Zone, String> {
        let tz = TimeZone::get(name.trim()).map_err(|_| {
            format!("`{name}` is not a time zone: write one such as Asia/Ho_Chi_Minh, Asia/Kuala_Lumpur, Asia/Riyadh or Europe/Rome")
        })?;
        Ok(Zone {
            name: name.trim().to_owned(),
            tz,
        })
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Zone, D::Error> {
        Zone::get(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

/// The week and the holidays, in a time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule<'a> {
    pub zone: &'a Zone,
    pub week: &'a Week,
    pub holidays: &'a [Date],
}

/// How far back [`Schedule::closed_since`] looks for the last closing time: a shop closed for
/// longer counts as closed since then.
const LOOK_BACK_DAYS: i64 = 14;

impl Schedule<'_> {
    fn hours(&self, date: Date) -> Option<&Hours> {
        if self.holidays.contains(&date) {
            return None;
        }
        self.week.day(date.weekday())
    }

    pub fn is_open(&self, at: Timestamp) -> bool {
        let local = at.to_zoned(self.zone.tz.clone());
        let minute = (local.hour() as u16) * 60 + local.minute() as u16;
        self.hours(local.date()).is_some_and(|h| h.contains(minute))
    }

    /// When the shop next opens after `at` (within two weeks); `None` when it never does.
    pub fn opens_at(&self, at: Timestamp) -> Option<Timestamp> {
        let today = at.to_zoned(self.zone.tz.clone()).date();
        (0..LOOK_BACK_DAYS).find_map(|ahead| {
            let date = today.checked_add(ahead.days()).ok()?;
            self.hours(date)?
                .ranges
                .iter()
                .map(|&(start, _)| self.instant(date, start))
                .find(|&t| t > at)
        })
    }

    /// When the closed period around `at` began (the last closing time at or before `at`);
    /// meaningful when the shop is closed at `at`.
    pub fn closed_since(&self, at: Timestamp) -> Timestamp {
        let local = at.to_zoned(self.zone.tz.clone());
        let today = local.date();
        for back in 0..LOOK_BACK_DAYS {
            let date = today.checked_sub(back.days()).unwrap_or(today);
            let Some(hours) = self.hours(date) else {
                continue;
            };
            let closing = hours
                .ranges
                .iter()
                .rev()
                .map(|&(_, end)| self.instant(date, end))
                .find(|&t| t <= at);
            if let Some(t) = closing {
                return t;
            }
        }
        at.checked_sub((LOOK_BACK_DAYS * 24).hours())
            .unwrap_or(Timestamp::MIN)
    }

    /// The instant `minute` minutes after midnight on `date`, in the zone (24:00 is the next
    /// midnight; a time skipped by a clock change moves forward).
    fn instant(&self, date: Date, minute: u16) -> Timestamp {
        let (date, minute) = if minute >= DAY_MINUTES {
            (date.tomorrow().unwrap_or(date), 0)
        } else {
            (date, minute)
        };
        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).unwrap_or(Time::MIN);
        date.to_datetime(time)
            .to_zoned(self.zone.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MIN)
    }
}

#[cfg(test)]
mod opens {
    use super::*;
    use crate::document::Automations;

    #[test]
    fn the_next_opening_skips_closed_days_and_holidays() {
        let doc: Automations = crate::parse(
            "away:\n  timezone: Asia/Ho_Chi_Minh\n  hours: {mon: \"09:00-18:00\", sat: \"09:00-12:00\"}\n  holidays: [2026-12-05]\n  text: closed\n",
        )
        .unwrap();
        let away = doc.away.unwrap();
        let s = away.schedule();
        // Friday 4 December 2026, 20:00 in Vietnam: Saturday is a holiday, so Monday 09:00.
        let at: Timestamp = "2026-12-04T13:00:00Z".parse().unwrap();
        assert_eq!(
            s.opens_at(at),
            Some("2026-12-07T02:00:00Z".parse().unwrap())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(h: &str) -> Option<Hours> {
        Some(Hours::parse(h).unwrap())
    }

    fn at(s: &str) -> Timestamp {
        // Local Ho Chi Minh City time (UTC+7).
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(TimeZone::get("Asia/Ho_Chi_Minh").unwrap())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn open_inside_the_hours_closed_outside_and_on_holidays() {
        let zone = Zone::get("Asia/Ho_Chi_Minh").unwrap();
        let week = Week {
            mon: hours("09:00-18:00"),
            sat: hours("09:00-12:00"),
            sun: hours("closed"),
            ..Week::default()
        };
        let holidays = ["2026-02-16".parse().unwrap()];
        let s = Schedule {
            zone: &zone,
            week: &week,
            holidays: &holidays,
        };
        assert!(s.is_open(at("2026-11-30T09:00")), "Monday 9:00");
        assert!(s.is_open(at("2026-11-30T17:59")));
        assert!(!s.is_open(at("2026-11-30T18:00")), "closing time is closed");
        assert!(!s.is_open(at("2026-11-30T08:59")));
        assert!(!s.is_open(at("2026-12-01T10:00")), "Tuesday is not listed");
        assert!(!s.is_open(at("2026-11-29T10:00")), "Sunday closed");
        assert!(!s.is_open(at("2026-02-16T10:00")), "a Monday holiday");
        // Saturday noon closing, then Sunday, then Monday early: one closed period.
        let since = at("2026-12-05T12:00");
        assert_eq!(s.closed_since(at("2026-12-05T13:00")), since);
        assert_eq!(s.closed_since(at("2026-12-06T20:00")), since);
        assert_eq!(s.closed_since(at("2026-12-07T08:00")), since);
        // Monday evening: closed since 18:00 that day.
        assert_eq!(
            s.closed_since(at("2026-12-07T23:00")),
            at("2026-12-07T18:00")
        );
    }

    #[test]
    fn hours_are_read_strictly() {
        assert!(Hours::parse("open").unwrap().contains(0));
        assert!(
            Hours::parse("09:00-12:00, 13:30-24:00")
                .unwrap()
                .contains(23 * 60 + 59)
        );
        assert!(Hours::parse("9-18").unwrap_err().contains("not a time"));
        assert!(
            Hours::parse("22:00-02:00")
                .unwrap_err()
                .contains("next day's line")
        );
        assert!(
            Hours::parse("09:00-12:00, 11:00-13:00")
                .unwrap_err()
                .contains("overlap")
        );
        assert!(Hours::parse("25:00-26:00").is_err());
        assert!(
            Zone::get("Mars/Olympus")
                .unwrap_err()
                .contains("not a time zone")
        );
    }
}
