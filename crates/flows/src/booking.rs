//! Appointments: the services a page offers (with their length), the staff or rooms that
//! provide them (with their opening hours and how many customers each takes at once), and the
//! free slots a `book` step offers, computed with `now` and the booked times given.
//!
//! ```yaml
//! booking:
//!   timezone: Asia/Ho_Chi_Minh
//!   services: [{id: cut, name: {default: Haircut, vi: Cắt tóc}, duration: 30m}]
//!   resources:
//!     - {id: minh, name: Minh, services: [cut], hours: {mon: "09:00-18:00"}, capacity: 1}
//!   reminder: {before: 1d, text: "See you tomorrow at {{booking_at}}!", template: appointment_reminder}
//! ```

use automations::schedule::{Week, Zone};
use automations::values::{Bounded, Period, Texts};
use jiff::civil::{Date, Time};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    pub timezone: Zone,
    pub services: Vec<Service>,
    pub resources: Vec<Resource>,
    /// Slots start this often (default 30m).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<Period>,
    /// How far ahead slots are offered (default 14 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_ahead: Option<u16>,
    /// How soon a slot may start (default 1h from now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: Bounded<40>,
    pub name: Texts,
    pub duration: Period,
}

/// A person or room that provides services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub id: Bounded<40>,
    pub name: Bounded<40>,
    /// The services' ids.
    pub services: Vec<Bounded<40>>,
    pub hours: Week,
    /// Customers at the same time (default 1).
    #[serde(default = "one")]
    pub capacity: u32,
}

fn one() -> u32 {
    1
}

/// A reminder before each appointment: inside the customer's 24-hour window `text` as a normal
/// message; else the approved utility `template` (parameters `first_name`, `date`, `time`);
/// else none, and the team is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    pub before: Period,
    pub text: Texts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Bounded<512>>,
    /// The template's language (default `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Bounded<10>>,
}

/// A time already taken at a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    pub resource: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A free slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub resource: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Slot {
    /// What a quick reply carries back: `SLOT:resource:start-ms`.
    pub fn payload(&self) -> String {
        format!("SLOT:{}:{}", self.resource, self.start.as_millisecond())
    }

    pub fn parse(payload: &str) -> Option<(String, Timestamp)> {
        let rest = payload.strip_prefix("SLOT:")?;
        let (resource, ms) = rest.rsplit_once(':')?;
        Some((
            resource.to_owned(),
            Timestamp::from_millisecond(ms.parse().ok()?).ok()?,
        ))
    }
}

impl Booking {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id.as_str() == id)
    }

    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id.as_str() == id)
    }

    /// `(field, message)` for what the shape cannot say.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, r) in self.resources.iter().enumerate() {
            for (j, s) in r.services.iter().enumerate() {
                if self.service(s.as_str()).is_none() {
                    out.push((
                        format!("booking.resources[{i}].services[{j}]"),
                        format!("no service has the id `{s}`"),
                    ));
                }
            }
            if r.capacity == 0 {
                out.push((
                    format!("booking.resources[{i}].capacity"),
                    "at least 1".into(),
                ));
            }
        }
        out
    }

    /// Whether `resource` may take `service` from `start` (within its hours, on the slot grid
    /// or not) with `busy` taken: under its capacity throughout.
    pub fn fits(&self, service: &str, resource: &str, start: Timestamp, busy: &[Busy]) -> bool {
        let (Some(s), Some(r)) = (self.service(service), self.resource(resource)) else {
            return false;
        };
        if !r.services.iter().any(|x| x.as_str() == service) {
            return false;
        }
        let end = start + s.duration.duration();
        let tz = self.timezone.tz();
        let (zs, ze) = (start.to_zoned(tz.clone()), end.to_zoned(tz.clone()));
        if zs.date() != ze.date() && ze.time() != Time::midnight() {
            return false;
        }
        let from = minutes(zs.time());
        let to = if ze.time() == Time::midnight() && zs.date() != ze.date() {
            24 * 60
        } else {
            minutes(ze.time())
        };
        let open = r
            .hours
            .day(zs.date().weekday())
            .is_some_and(|h| h.ranges().iter().any(|&(a, b)| a <= from && to <= b));
        open && taken(busy, resource, start, end) < r.capacity as usize
    }

    /// Up to `max` free slots for `service` from `now` (from the day `from` if later), soonest
    /// first, then by resource.
    pub fn free_slots(
        &self,
        service: &str,
        now: Timestamp,
        from: Option<Date>,
        busy: &[Busy],
        max: usize,
    ) -> Vec<Slot> {
        let Some(s) = self.service(service) else {
            return vec![];
        };
        let tz = self.timezone.tz();
        let every = self
            .every
            .as_ref()
            .map_or(30, |p| (p.duration().as_secs() / 60).max(5)) as i64;
        let earliest = now
            + self
                .notice
                .as_ref()
                .map_or(std::time::Duration::from_secs(3600), Period::duration);
        let today = now.to_zoned(tz.clone()).date();
        let last = today
            .checked_add(i64::from(self.days_ahead.unwrap_or(14)).days())
            .unwrap_or(today);
        let first = from.filter(|f| *f > today).unwrap_or(today);
        let mut out = Vec::new();
        for d in 0.. {
            let Ok(day) = first.checked_add(i64::from(d).days()) else {
                break;
            };
            if day >= last {
                break;
            }
            let mut todays: Vec<Slot> = Vec::new();
            for r in self
                .resources
                .iter()
                .filter(|r| r.services.iter().any(|x| x.as_str() == service))
            {
                let Some(hours) = r.hours.day(day.weekday()) else {
                    continue;
                };
                for &(a, b) in hours.ranges() {
                    let mut m = i64::from(a);
                    while m + (s.duration.duration().as_secs() as i64) / 60 <= i64::from(b) {
                        if let Some(start) = at(day, m, tz)
                            && start >= earliest
                            && self.fits(service, r.id.as_str(), start, busy)
                        {
                            todays.push(Slot {
                                resource: r.id.to_string(),
                                start,
                                end: start + s.duration.duration(),
                            });
                        }
                        m += every;
                    }
                }
            }
            todays.sort_by(|x, y| x.start.cmp(&y.start).then(x.resource.cmp(&y.resource)));
            out.extend(todays);
            if out.len() >= max {
                out.truncate(max);
                break;
            }
        }
        out
    }
}

fn minutes(t: Time) -> u16 {
    (t.hour() as u16) * 60 + t.minute() as u16
}

fn at(day: Date, minute: i64, tz: &jiff::tz::TimeZone) -> Option<Timestamp> {
    let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
    Some(day.to_datetime(time).to_zoned(tz.clone()).ok()?.timestamp())
}

fn taken(busy: &[Busy], resource: &str, start: Timestamp, end: Timestamp) -> usize {
    busy.iter()
        .filter(|b| b.resource == resource && b.start < end && start < b.end)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salon() -> Booking {
        let text = "timezone: Asia/Ho_Chi_Minh\nservices: [{id: cut, name: Haircut, duration: 1h}]\nresources:\n  - {id: minh, name: Minh, services: [cut], hours: {mon: \"09:00-11:00\", tue: \"09:00-10:00\"}}\n  - {id: lan, name: Lan, services: [cut], hours: {mon: \"10:00-11:00\"}, capacity: 2}\n";
        read(text)
    }

    fn read(text: &str) -> Booking {
        let doc = crate::parse(&format!(
            "booking:\n{}",
            text.lines().map(|l| format!("  {l}\n")).collect::<String>()
        ))
        .unwrap();
        doc.booking.unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn slots_follow_hours_notice_and_what_is_taken() {
        let b = salon();
        // Sunday 2026-11-29 20:00 in Vietnam (13:00 UTC).
        let now = ts("2026-11-29T13:00:00Z");
        let slots = b.free_slots("cut", now, None, &[], 10);
        let starts: Vec<String> = slots
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s.resource,
                    s.start
                        .to_zoned(b.timezone.tz().clone())
                        .strftime("%a %H:%M")
                )
            })
            .collect();
        assert_eq!(
            starts[..6],
            [
                "minh Mon 09:00",
                "minh Mon 09:30",
                "lan Mon 10:00",
                "minh Mon 10:00",
                "minh Tue 09:00",
                "minh Mon 09:00"
            ],
            "then the next week"
        );
        // Minh is taken at 09:00-10:00 Monday: his 09:00 and 09:30 go.
        let busy = [Busy {
            resource: "minh".into(),
            start: ts("2026-11-30T02:00:00Z"),
            end: ts("2026-11-30T03:00:00Z"),
        }];
        let slots = b.free_slots("cut", now, None, &busy, 2);
        assert_eq!(slots[0].resource, "lan");
        assert!(!b.fits("cut", "minh", ts("2026-11-30T02:30:00Z"), &busy));
        // Lan takes two at once.
        let lan = |n| {
            vec![
                Busy {
                    resource: "lan".into(),
                    start: ts("2026-11-30T03:00:00Z"),
                    end: ts("2026-11-30T04:00:00Z")
                };
                n
            ]
        };
        assert!(b.fits("cut", "lan", ts("2026-11-30T03:00:00Z"), &lan(1)));
        assert!(!b.fits("cut", "lan", ts("2026-11-30T03:00:00Z"), &lan(2)));
        assert!(
            !b.fits("cut", "lan", ts("2026-11-30T03:30:00Z"), &[]),
            "past closing"
        );
        assert!(!b.fits("colour", "lan", ts("2026-11-30T03:00:00Z"), &[]));
        // From a day asked for.
        let tuesday = b.free_slots("cut", now, Some("2026-12-01".parse().unwrap()), &[], 1);
        assert_eq!(tuesday[0].start, ts("2026-12-01T02:00:00Z"));
    }

    #[test]
    fn payloads_carry_the_slot() {
        let s = Slot {
            resource: "minh".into(),
            start: ts("2026-11-30T02:00:00Z"),
            end: ts("2026-11-30T03:00:00Z"),
        };
        assert_eq!(Slot::parse(&s.payload()), Some(("minh".into(), s.start)));
        assert_eq!(Slot::parse("HUMAN"), None);
    }
}
