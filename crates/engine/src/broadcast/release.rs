//! The releaser: lets a broadcast's recipients leave as their time comes, at most
//! [`Releaser::per_second`] a second per broadcast, each judged again by the policy as it leaves
//! (through [`Engine::judge`], the same door as every message) and written with its audit entry
//! in one transaction ([`store::BroadcastStore::release`]).
//!
//! It also stops what should stop:
//! * a scheduled broadcast, or recipients, more than [`LATE`] overdue (an outage) pause for the
//!   author's confirmation instead of going out hours late;
//! * a `messaging_policy_enforcement` webhook for the page since the broadcast (re)started, or a
//!   restricted page, pauses it;
//! * a block rate or an error rate above the page's thresholds pauses it (counted over the
//!   broadcast's own outbox rows, by an index, every round);
//! * Meta's budget and restriction errors pause it from the delivery worker
//!   ([`Engine::broadcast_trouble`]), with Meta's `remaining_seconds` as the time to resume.

use std::time::Duration;

use store::{BroadcastRow, BroadcastStatus, RecipientPath, RecipientRow, Release, Time};

use super::spec::{BroadcastSpec, fill_name};
use crate::Engine;
use crate::outbox::{Actor, Content, Draft, MarketingDraft};
use crate::worker::{Pace, Progress, Worker};

/// Overdue by more than this, a broadcast waits for its author.
pub const LATE: Duration = Duration::from_secs(3_600);

/// Sends Meta must have answered before the rates can pause a broadcast.
const MIN_FOR_RATES: i64 = 20;

/// Why a broadcast paused itself (the page shows these, translated).
pub mod reason {
    /// A person paused it.
    pub const MANUAL: &str = "manual";
    pub const LATE: &str = "late";
    pub const POLICY_ENFORCEMENT: &str = "policy_enforcement";
    pub const PAGE_RESTRICTED: &str = "page_restricted";
    pub const BLOCK_RATE: &str = "block_rate";
    pub const ERROR_RATE: &str = "error_rate";
    pub const BUDGET: &str = "budget";
    pub const MARKETING_SETUP: &str = "marketing_setup";
}

pub struct Releaser {
    pub engine: Engine,
    /// Recipients released per second per broadcast (Meta's Send API allows far more; the
    /// delivery worker paces the page too).
    pub per_second: usize,
}

impl Worker for Releaser {
    fn name(&self) -> &'static str {
        "broadcasts"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let now = Time::now();
        for b in self.engine.store().active_broadcasts(now).await? {
            if let Err(e) = self.step(&b, now).await {
                tracing::warn!(broadcast = b.id, error = %e, "a broadcast step failed");
            }
        }
        Ok(Progress::Idle)
    }
}

impl Releaser {
    pub fn new(engine: Engine) -> Releaser {
        Releaser {
            engine,
            per_second: 20,
        }
    }

    pub fn pace(&self) -> Pace {
        Pace::new(
            self.engine.signals.broadcasts.clone(),
            Duration::from_secs(1),
        )
    }

    async fn pause(
        &self,
        b: &BroadcastRow,
        why: &str,
        resume_at: Option<Time>,
        now: Time,
    ) -> anyhow::Result<()> {
        use BroadcastStatus::*;
        if self
            .engine
            .store()
            .set_broadcast_status(
                b.id,
                &[Scheduled, Sending],
                Paused,
                Some(why),
                resume_at,
                now,
            )
            .await?
        {
            tracing::warn!(broadcast = b.id, reason = why, "broadcast paused");
            self.engine.signals.changed();
        }
        Ok(())
    }

    async fn step(&self, b: &BroadcastRow, now: Time) -> anyhow::Result<()> {
        use BroadcastStatus::*;
        let store = self.engine.store();
        if matches!(b.status, Scheduled | Sending) {
            let page = store.page(&b.page_id).await?;
            if page.as_ref().is_some_and(|p| p.restricted) {
                return self.pause(b, reason::PAGE_RESTRICTED, None, now).await;
            }
            // A warning from Meta after the broadcast was made (or last resumed) stops it too.
            let since = b.resumed_at.unwrap_or(b.created_at);
            if store
                .last_event_of_kind(&b.page_id, "policy_enforcement")
                .await?
                .is_some_and(|at| at >= since)
            {
                return self.pause(b, reason::POLICY_ENFORCEMENT, None, now).await;
            }
        }
        match b.status {
            Scheduled if now < b.start_at => return Ok(()),
            Scheduled if now.since(b.start_at) > LATE => {
                return self.pause(b, reason::LATE, None, now).await;
            }
            Scheduled | Paused => {
                store
                    .set_broadcast_status(b.id, &[Scheduled, Paused], Sending, None, None, now)
                    .await?;
                self.engine.signals.changed();
                return Ok(());
            }
            Sending => {}
            Done | Cancelled => return Ok(()),
        }
        let (answered, blocked, failed) = store.send_rates(b.id).await?;
        if answered >= MIN_FOR_RATES {
            let setup = store.marketing_setup(&b.page_id).await?;
            let rate = |n: i64| n as f64 / answered as f64;
            if rate(blocked) > setup.pause_block_rate {
                return self.pause(b, reason::BLOCK_RATE, None, now).await;
            }
            if rate(failed) > setup.pause_error_rate {
                return self.pause(b, reason::ERROR_RATE, None, now).await;
            }
        }
        let due = store
            .due_recipients(b.id, now, self.per_second as i64)
            .await?;
        let Some(first) = due.first() else {
            if store.next_due(b.id).await?.is_none() {
                store
                    .set_broadcast_status(b.id, &[Sending], Done, None, None, now)
                    .await?;
                self.engine.signals.changed();
            }
            return Ok(());
        };
        if now.since(first.due_at) > LATE && b.resumed_at.is_none_or(|r| r < first.due_at) {
            return self.pause(b, reason::LATE, None, now).await;
        }
        let spec: BroadcastSpec = serde_json::from_str(&b.spec)?;
        let mut releases = Vec::with_capacity(due.len());
        for r in &due {
            match self.draft(b, &spec, r, now).await {
                Ok(Some(draft)) => {
                    let (_, enqueue) = self.engine.judge(&draft, now).await?;
                    releases.push(Release {
                        psid: r.psid.clone(),
                        enqueue,
                    });
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(broadcast = b.id, psid = %r.psid, error = %e, "recipient not released")
                }
            }
        }
        let queued = store.release(b.id, &releases).await?;
        if queued > 0 {
            self.engine.signals.queued.notify_one();
        }
        self.engine.signals.changed();
        Ok(())
    }

    /// The message for one recipient, by the path planned for them.
    async fn draft(
        &self,
        b: &BroadcastRow,
        spec: &BroadcastSpec,
        r: &RecipientRow,
        now: Time,
    ) -> anyhow::Result<Option<Draft>> {
        let store = self.engine.store();
        let contact = store.contact(&b.page_id, &r.psid).await?;
        let profile = contact.map(|c| c.profile).unwrap_or_default();
        let locale = profile.locale.as_deref();
        let mut draft = Draft::text(
            &b.page_id,
            &r.psid,
            Actor::Broadcast(b.id),
            &spec.text_for(locale, profile.first_name.as_deref()),
        );
        draft.buttons = spec.buttons.clone();
        draft.attachment = spec.image_url.as_ref().map(|url| crate::rich::Attachment {
            kind: crate::rich::AttachmentKind::Image,
            url: Some(url.clone()),
            attachment_id: None,
        });
        match r.path {
            RecipientPath::Update => {}
            RecipientPath::Utility => {
                let Some(u) = &spec.utility else {
                    return Ok(None);
                };
                let mut params = Vec::new();
                for (name, source) in &u.params {
                    params.push((
                        name.clone(),
                        self.param(b, &r.psid, source, &profile, now).await?,
                    ));
                }
                draft.content = Content::Template {
                    name: u.name.clone(),
                    language: u.language.clone(),
                    params,
                };
                draft.attachment = None;
                draft.buttons = vec![];
            }
            RecipientPath::Notification => {
                let tokens = store.notification_tokens(&b.page_id, &r.psid).await?;
                let usable = tokens
                    .iter()
                    .map(crate::scenario::notification_token)
                    .find(|t| {
                        spec.fits_topic(t.topic.as_deref(), false)
                            && policy::notification_token_usable(t, now.timestamp())
                    });
                draft.notification_token = usable
                    .map(|t| t.token)
                    .or_else(|| tokens.last().map(|t| t.token.clone()));
            }
            RecipientPath::OneTime => {
                let tokens = store.one_time_tokens(&b.page_id, &r.psid).await?;
                draft.one_time_token = tokens
                    .iter()
                    .find(|t| t.used_at.is_none() && spec.fits_topic(t.topic.as_deref(), true))
                    .map(|t| t.token.clone());
            }
            RecipientPath::Marketing => {
                let Some(campaign_id) = b.campaign_id.clone() else {
                    return Ok(None);
                };
                let tokens = store.notification_tokens(&b.page_id, &r.psid).await?;
                let Some(token) = tokens.last() else {
                    return Ok(None);
                };
                // Meta fills {{first_name}} itself.
                draft.content = Content::Text(spec.text.pick(locale).to_owned());
                draft.marketing = Some(MarketingDraft {
                    token: token.token.clone(),
                    campaign_id,
                });
            }
            RecipientPath::Skipped => return Ok(None),
        }
        Ok(Some(draft))
    }

    /// A utility template parameter's value for this recipient.
    async fn param(
        &self,
        b: &BroadcastRow,
        psid: &str,
        source: &str,
        profile: &store::Profile,
        now: Time,
    ) -> anyhow::Result<String> {
        let store = self.engine.store();
        let Some(name) = source
            .trim()
            .strip_prefix("{{")
            .and_then(|s| s.strip_suffix("}}"))
        else {
            return Ok(source.to_owned());
        };
        let name = name.trim();
        if name == "first_name" {
            return Ok(fill_name("{{first_name}}", profile.first_name.as_deref()));
        }
        if name == "last_name" {
            return Ok(profile.last_name.clone().unwrap_or_default());
        }
        if let Some(field) = name.strip_prefix("field.") {
            let fields = store.fields(&b.page_id, psid).await?;
            return Ok(fields
                .into_iter()
                .find(|(k, _)| k == field)
                .map(|(_, v)| v)
                .unwrap_or_default());
        }
        if let Some(part) = name.strip_prefix("booking.") {
            let next = store.upcoming_bookings(&b.page_id, psid, now).await?;
            let setup = self.engine.booking_setup(&b.page_id).await?;
            let zone = setup.map_or(jiff::tz::TimeZone::UTC, |s| s.timezone.tz().clone());
            return Ok(next
                .first()
                .map(|bk| {
                    let at = bk.starts_at.timestamp().to_zoned(zone.clone());
                    match part {
                        "date" => at.strftime("%d/%m/%Y").to_string(),
                        _ => at.strftime("%H:%M").to_string(),
                    }
                })
                .unwrap_or_default());
        }
        Ok(String::new())
    }
}

impl Engine {
    /// The delivery worker met an error that should stop a broadcast's next sends (Meta's
    /// budget, a restriction, an account problem). `actor` is the outbox row's.
    pub async fn broadcast_trouble(&self, actor: &str, why: &str, resume_at: Option<Time>) {
        let Some(id) = actor
            .strip_prefix("broadcast:")
            .and_then(|i| i.parse::<i64>().ok())
        else {
            return;
        };
        use BroadcastStatus::*;
        match self
            .store()
            .set_broadcast_status(
                id,
                &[Scheduled, Sending],
                Paused,
                Some(why),
                resume_at,
                Time::now(),
            )
            .await
        {
            Ok(true) => {
                tracing::warn!(
                    broadcast = id,
                    reason = why,
                    "broadcast paused by Meta's answer"
                );
                self.signals.changed();
            }
            Ok(false) => {}
            Err(e) => tracing::error!(broadcast = id, error = %e, "pausing a broadcast failed"),
        }
    }
}
