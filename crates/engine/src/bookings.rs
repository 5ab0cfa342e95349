//! Appointments: the free slots a flow offers, booking one (the capacity checked again in the
//! store's transaction), cancelling and moving, and the reminder before each.
//!
//! A reminder goes out only on a compliant path, decided by the policy at the time: inside the
//! customer's window the page's text as a normal message; else the approved utility template
//! (with `first_name`, `date`, `time`); else none, and a note in the conversation tells the team.
//! Reminders are claimed in the store before they are sent (once, whatever the number of
//! instances) and carry a deadline: one that comes due after its appointment began (after an
//! outage) is dropped, with a note, not sent late.

use std::time::Duration;

use flows::booking::{Booking, Busy, Slot};
use jiff::Timestamp;
use store::{BookingRow, NewBooking, ReminderState, Time, User};

use crate::Engine;
use crate::automate::fill_first_name;
use crate::outbox::{Actor, Content, Draft};
use crate::team::TeamError;
use crate::worker::{Pace, Progress, Worker};

/// Slots offered at once (Meta shows at most 13 quick replies).
pub const OFFERED: usize = 10;
const BATCH: i64 = 32;

fn ts(t: Time) -> Timestamp {
    t.timestamp()
}

fn time(t: Timestamp) -> Time {
    Time::from_ms(t.as_millisecond())
}

impl Engine {
    /// The page's booking setup (the flows document's `booking` section).
    pub async fn booking_setup(&self, page_id: &str) -> anyhow::Result<Option<Booking>> {
        Ok(self.flows(page_id).await?.0.booking)
    }

    /// What is taken at the page from `now` on.
    async fn busy(&self, page_id: &str, now: Time, days: u16) -> store::Result<Vec<Busy>> {
        let to = Time::from_ms(now.ms() + i64::from(days.max(1) + 1) * 86_400_000);
        Ok(self
            .store
            .bookings(page_id, Time::from_ms(now.ms() - 86_400_000), to)
            .await?
            .into_iter()
            .filter(|b| b.status == store::BookingStatus::Booked)
            .map(|b| Busy {
                resource: b.resource,
                start: ts(b.starts_at),
                end: ts(b.ends_at),
            })
            .collect())
    }

    /// The free slots for `service`, soonest first.
    pub async fn free_slots(
        &self,
        setup: &Booking,
        page_id: &str,
        service: &str,
        day: Option<jiff::civil::Date>,
        now: Time,
    ) -> store::Result<Vec<Slot>> {
        let busy = self
            .busy(page_id, now, setup.days_ahead.unwrap_or(14))
            .await?;
        Ok(setup.free_slots(service, ts(now), day, &busy, OFFERED))
    }

    /// Books the slot of `payload` for the customer; the fields a flow saves, or `None` when it
    /// is not a slot or no longer free.
    pub async fn book_slot(
        &self,
        setup: &Booking,
        page_id: &str,
        psid: &str,
        service: &str,
        payload: &str,
        now: Time,
    ) -> anyhow::Result<Option<Vec<(String, String)>>> {
        let Some((resource, start)) = Slot::parse(payload) else {
            return Ok(None);
        };
        let busy = self
            .busy(page_id, now, setup.days_ahead.unwrap_or(14))
            .await?;
        let (Some(s), Some(r)) = (setup.service(service), setup.resource(&resource)) else {
            return Ok(None);
        };
        if start < ts(now) || !setup.fits(service, &resource, start, &busy) {
            return Ok(None);
        }
        let end = start + s.duration.duration();
        let new = NewBooking {
            page_id,
            psid,
            service,
            resource: &resource,
            starts_at: time(start),
            ends_at: time(end),
            remind_at: remind_at(setup, start, now),
            capacity: r.capacity,
        };
        let Some(id) = self.store.create_booking(&new, now).await? else {
            return Ok(None);
        };
        tracing::info!(page_id, psid, id, service, resource, "appointment booked");
        self.signals.changed();
        let contact = self.store.contact(page_id, psid).await?;
        let locale = contact.and_then(|c| c.profile.locale);
        Ok(Some(vec![
            ("booking_id".into(), id.to_string()),
            ("booking_at".into(), when(setup, start)),
            ("booking_with".into(), r.name.to_string()),
            (
                "booking_service".into(),
                s.name.pick(locale.as_deref()).to_owned(),
            ),
        ]))
    }

    /// Cancels the customer's upcoming appointments (they asked); how many.
    pub async fn unbook(&self, page_id: &str, psid: &str, now: Time) -> store::Result<usize> {
        let mut n = 0;
        for b in self.store.upcoming_bookings(page_id, psid, now).await? {
            n += usize::from(self.store.cancel_booking(b.id, now).await?);
        }
        self.signals.changed();
        Ok(n)
    }

    /// An agent cancels an appointment.
    pub async fn cancel_booking_as(&self, by: &User, id: i64) -> Result<bool, TeamError> {
        let cancelled = self.store.cancel_booking(id, Time::now()).await?;
        tracing::info!(id, agent = %by.username, cancelled, "appointment cancelled by the team");
        self.signals.changed();
        Ok(cancelled)
    }

    /// An agent moves an appointment to `start` with `resource` (within its hours and
    /// capacity); false when it does not fit.
    pub async fn move_booking_as(
        &self,
        by: &User,
        id: i64,
        resource: &str,
        start: Timestamp,
    ) -> Result<bool, TeamError> {
        let Some(b) = self.store.booking(id).await? else {
            return Ok(false);
        };
        let Some(setup) = self.flows(&b.page_id).await.ok().and_then(|f| f.0.booking) else {
            return Ok(false);
        };
        let now = Time::now();
        let busy: Vec<Busy> = self
            .busy(&b.page_id, now, setup.days_ahead.unwrap_or(14))
            .await?
            .into_iter()
            .filter(|x| !(x.resource == b.resource && x.start == ts(b.starts_at)))
            .collect();
        let (Some(s), Some(r)) = (setup.service(&b.service), setup.resource(resource)) else {
            return Ok(false);
        };
        if !setup.fits(&b.service, resource, start, &busy) {
            return Ok(false);
        }
        let to = NewBooking {
            page_id: &b.page_id,
            psid: &b.psid,
            service: &b.service,
            resource,
            starts_at: time(start),
            ends_at: time(start + s.duration.duration()),
            remind_at: remind_at(&setup, start, now),
            capacity: r.capacity,
        };
        let moved = self.store.move_booking(id, &to, now).await?;
        tracing::info!(id, agent = %by.username, resource, moved, "appointment moved by the team");
        self.signals.changed();
        Ok(moved)
    }
}

/// When to remind of an appointment at `start`: `before` it, if that is still to come.
fn remind_at(setup: &Booking, start: Timestamp, now: Time) -> Option<Time> {
    let before = setup.reminder.as_ref()?.before.duration();
    let at = start - before;
    (at > ts(now)).then(|| time(at))
}

/// Day and time in the page's time zone: `24/12/2026 09:30`.
pub fn when(setup: &Booking, at: Timestamp) -> String {
    at.to_zoned(setup.timezone.tz().clone())
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
}

/// Sends the reminders that are due.
pub struct BookingReminders {
    pub engine: Engine,
}

impl BookingReminders {
    pub fn pace(&self) -> Pace {
        Pace::new(
            std::sync::Arc::new(tokio::sync::Notify::new()),
            Duration::from_secs(1),
        )
    }

    async fn remind(&self, b: &BookingRow, now: Time) -> anyhow::Result<ReminderState> {
        let e = &self.engine;
        let Some(setup) = e.booking_setup(&b.page_id).await? else {
            return Ok(ReminderState::None);
        };
        let Some(reminder) = &setup.reminder else {
            return Ok(ReminderState::None);
        };
        let at = when(&setup, ts(b.starts_at));
        if b.starts_at <= now {
            let note = format!(
                "Reminder not sent: the appointment of {at} had begun when it came due (Fenestra was not running)."
            );
            e.store
                .add_note(&b.page_id, &b.psid, "fenestra", &note, now)
                .await?;
            tracing::warn!(
                booking = b.id,
                "reminder dropped: its appointment has begun"
            );
            return Ok(ReminderState::Dropped);
        }
        let contact = e.store.contact(&b.page_id, &b.psid).await?;
        let locale = contact.as_ref().and_then(|c| c.profile.locale.clone());
        let first_name = contact.and_then(|c| c.profile.first_name);
        let fields: std::collections::BTreeMap<String, String> = e
            .store
            .fields(&b.page_id, &b.psid)
            .await?
            .into_iter()
            .chain([
                ("booking_at".to_owned(), at.clone()),
                (
                    "booking_with".to_owned(),
                    setup
                        .resource(&b.resource)
                        .map_or(b.resource.clone(), |r| r.name.to_string()),
                ),
                (
                    "booking_service".to_owned(),
                    setup.service(&b.service).map_or(b.service.clone(), |s| {
                        s.name.pick(locale.as_deref()).to_owned()
                    }),
                ),
            ])
            .collect();
        let text = fields.iter().fold(
            fill_first_name(reminder.text.pick(locale.as_deref()), first_name.as_deref()),
            |t, (k, v)| t.replace(&format!("{{{{{k}}}}}"), v),
        );
        let mut draft = Draft::text(&b.page_id, &b.psid, Actor::Automation("reminder"), &text);
        draft.dedupe_key = Some(format!("reminder:{}", b.id));
        if e.submit(&draft).await?.allowed() {
            return Ok(ReminderState::Sent);
        }
        if let Some(template) = &reminder.template {
            let zoned = ts(b.starts_at).to_zoned(setup.timezone.tz().clone());
            let mut draft = draft.clone();
            draft.dedupe_key = Some(format!("reminder-template:{}", b.id));
            draft.content = Content::Template {
                name: template.to_string(),
                language: reminder
                    .language
                    .as_ref()
                    .map_or("en".to_owned(), ToString::to_string),
                params: vec![
                    ("first_name".into(), first_name.clone().unwrap_or_default()),
                    ("date".into(), zoned.strftime("%d/%m/%Y").to_string()),
                    ("time".into(), zoned.strftime("%H:%M").to_string()),
                ],
            };
            if e.submit(&draft).await?.allowed() {
                return Ok(ReminderState::Template);
            }
        }
        let note = format!(
            "Reminder of the appointment of {at} not sent: the customer's 24-hour window is closed and no approved utility template could carry it. Call them, or answer when they write."
        );
        e.store
            .add_note(&b.page_id, &b.psid, "fenestra", &note, now)
            .await?;
        Ok(ReminderState::Impossible)
    }
}

impl Worker for BookingReminders {
    fn name(&self) -> &'static str {
        "booking_reminders"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let now = Time::now();
        let due = self.engine.store.claim_reminders(now, BATCH).await?;
        for b in &due {
            match self.remind(b, now).await {
                Ok(state) => {
                    self.engine.store.set_reminder(b.id, state, now).await?;
                    tracing::info!(booking = b.id, ?state, "reminder handled");
                }
                // Left claimed: taken again after five minutes.
                Err(e) => tracing::warn!(booking = b.id, error = %e, "reminder failed; will retry"),
            }
        }
        if !due.is_empty() {
            self.engine.signals.changed();
        }
        Ok(Progress::of(due.len(), BATCH as usize))
    }
}
