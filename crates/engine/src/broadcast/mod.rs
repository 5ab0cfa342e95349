//! Broadcasts: one message to many customers, each reached only by a path Meta allows for them.
//!
//! * [`spec`]: what the author asks for; [`plan`]: the path per recipient; [`timing`]: when
//!   each is due.
//! * [`Engine::plan_broadcast`] is a dry run: counts per path and per skip reason, five sample
//!   recipients, Meta's cost estimate for the paid part. [`Engine::send_broadcast`] plans again
//!   and writes the broadcast and its recipients (see `store::broadcasts`).
//! * [`release`]: the worker that lets recipients leave as their time comes, paced, judging each
//!   again (a window may have closed, a customer opted out), through the one outbox; and that
//!   pauses a broadcast Meta or its own numbers say should stop.
//! * [`marketing`]: the paid Marketing Message API's campaign, opt-in requests, subscriptions.
//! * [`lists`]: customer lists matched against what customers gave Fenestra.

pub mod lists;
pub mod marketing;
pub mod plan;
pub mod release;
pub mod spec;
pub mod timing;

use serde::Serialize;
use store::{BroadcastRow, BroadcastStatus, NewBroadcast, NewRecipient, RecipientPath, Time};

use crate::Engine;
use crate::audience::{Contacts, PageFacts, Segment, SegmentError};
use plan::{Planner, Sample, Samples, Summary};
use spec::{BroadcastSpec, SpecError};

#[derive(Debug, thiserror::Error)]
pub enum BroadcastError {
    #[error("page {0} is not known to Fenestra")]
    UnknownPage(String),
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Segment(#[from] SegmentError),
    #[error("audience_id: audience {0} does not exist for this page")]
    UnknownAudience(i64),
    #[error(
        "utility: template `{name}` ({language}) is not known for this page: sync the templates (`fenestra template sync`)"
    )]
    UnknownTemplate { name: String, language: String },
    #[error("broadcast {0} does not exist")]
    UnknownBroadcast(i64),
    #[error("broadcast {id} is {status}: it cannot be {action}")]
    WrongState {
        id: i64,
        status: BroadcastStatus,
        action: &'static str,
    },
    #[error("the paid marketing messages need a campaign, and Meta refused it: {0}")]
    Campaign(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// A plan as the screen and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanOutcome {
    #[serde(flatten)]
    pub summary: Summary,
    pub samples: Vec<Sample>,
    /// Meta's estimate for the paid marketing part, when there is one and Meta answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<messenger::marketing::Estimate>,
    pub promotional: bool,
}

/// How long Meta warms a new campaign up before its first send.
pub const CAMPAIGN_WARMUP: std::time::Duration = std::time::Duration::from_secs(3_600);

impl Engine {
    /// The segment a spec means: its own, or its saved audience's.
    async fn segment_of(
        &self,
        page_id: &str,
        spec: &BroadcastSpec,
    ) -> Result<Segment, BroadcastError> {
        match spec.audience_id {
            None => Ok(spec.segment.clone()),
            Some(id) => {
                let a = self
                    .store()
                    .audience(id)
                    .await?
                    .filter(|a| a.page_id == page_id)
                    .ok_or(BroadcastError::UnknownAudience(id))?;
                let value = serde_json::from_str(&a.segment).unwrap_or(serde_json::Value::Null);
                Ok(Segment::from_value(value)?)
            }
        }
    }

    /// Walks the segment's contacts, planning each; `each` sees every recipient.
    async fn walk(
        &self,
        page_id: &str,
        spec: &BroadcastSpec,
        now: Time,
        mut each: impl FnMut(&store::AudienceRow, &plan::Planned),
    ) -> Result<(Summary, bool), BroadcastError> {
        let store = self.store();
        let page = store
            .page(page_id)
            .await?
            .ok_or_else(|| BroadcastError::UnknownPage(page_id.to_owned()))?;
        let segment = self.segment_of(page_id, spec).await?;
        let utility = match &spec.utility {
            None => None,
            Some(u) => {
                let templates = store.templates(page_id).await?;
                let t = templates
                    .iter()
                    .find(|t| t.name == u.name && t.language == u.language)
                    .ok_or_else(|| BroadcastError::UnknownTemplate {
                        name: u.name.clone(),
                        language: u.language.clone(),
                    })?;
                Some(policy::scenario::UtilityTemplate {
                    name: t.name.clone(),
                    status: crate::scenario::template_status(t.status),
                })
            }
        };
        let judged = crate::rich::judged_text(spec.text.pick(None), &spec.buttons, &[]);
        let promotional = spec.promotional.unwrap_or_else(|| {
            spec.text
                .iter()
                .any(|(_, t)| !policy::promo::detect(t, &page.settings.allowed_domains).is_empty())
                || !policy::promo::detect(&judged, &page.settings.allowed_domains).is_empty()
        });
        let marketing = store
            .marketing_setup(page_id)
            .await?
            .ad_account_id
            .is_some();
        let facts = PageFacts::load(store, page_id, now).await?;
        let planner = Planner {
            page: crate::scenario::policy_page(&page, marketing),
            default_app: page.settings.default_app,
            spec,
            utility,
            promotional,
            facts: &facts,
            now,
        };
        let mut summary = Summary::new();
        let mut contacts = Contacts::new(store, page_id);
        loop {
            let rows = contacts.next().await?;
            if rows.is_empty() {
                break;
            }
            // Planning is all CPU: let the server's other work (an agent's list, webhooks) in
            // between pages.
            tokio::task::yield_now().await;
            for c in &rows {
                if !segment.matches(c, &facts, now) {
                    summary.outside_segment += 1;
                    continue;
                }
                let p = planner.plan(c);
                summary.count(&p);
                each(c, &p);
            }
        }
        Ok((summary, promotional))
    }

    /// The plan, without writing anything.
    pub async fn plan_broadcast(
        &self,
        page_id: &str,
        spec: &BroadcastSpec,
    ) -> Result<PlanOutcome, BroadcastError> {
        let mut samples = Samples::default();
        let mut seen = Vec::new();
        let (summary, promotional) = self
            .walk(page_id, spec, Time::now(), |c, p| {
                samples.offer(c, p);
                if seen.len() < Samples::MAX * 4 {
                    seen.push((c.clone(), p.clone()));
                }
            })
            .await?;
        for (c, p) in &seen {
            samples.fill(c, p);
        }
        let estimate = if summary.marketing() > 0 {
            self.marketing_estimate(page_id).await
        } else {
            None
        };
        Ok(PlanOutcome {
            summary,
            samples: samples.0,
            estimate,
            promotional,
        })
    }

    /// Plans and records the broadcast; its recipients leave as their time comes.
    pub async fn send_broadcast(
        &self,
        page_id: &str,
        spec: &BroadcastSpec,
        author: &str,
    ) -> Result<(i64, PlanOutcome), BroadcastError> {
        let now = Time::now();
        let start = spec
            .schedule
            .at
            .map(Time::from_timestamp)
            .unwrap_or(now)
            .max(now);
        let fallback = spec.time_zone();
        let mut recipients: Vec<NewRecipient> = Vec::new();
        let mut marketing_psids = Vec::new();
        let (summary, promotional) = self
            .walk(page_id, spec, now, |c, p| {
                let zone = timing::zone_of(c.timezone, &fallback);
                if p.path == RecipientPath::Marketing {
                    marketing_psids.push(recipients.len());
                }
                recipients.push(NewRecipient {
                    psid: c.psid.clone(),
                    path: p.path,
                    rule: p.rule.as_str().to_owned(),
                    due_at: timing::due_at(&spec.schedule, &zone, start),
                });
            })
            .await?;
        // Meta warms a new campaign up before its first send: paid messages wait for it.
        let campaign = if marketing_psids.is_empty() {
            None
        } else {
            let name = if spec.name.is_empty() {
                format!("Fenestra {}", now)
            } else {
                spec.name.clone()
            };
            let id = self
                .create_campaign(page_id, &name, start)
                .await
                .map_err(BroadcastError::Campaign)?;
            let ready = now + CAMPAIGN_WARMUP;
            for i in marketing_psids {
                recipients[i].due_at = recipients[i].due_at.max(ready);
            }
            Some(id)
        };
        let plan = PlanOutcome {
            summary,
            samples: vec![],
            estimate: None,
            promotional,
        };
        let id = self
            .store()
            .create_broadcast(&NewBroadcast {
                page_id: page_id.to_owned(),
                name: if spec.name.is_empty() {
                    short_name(spec.text.pick(None))
                } else {
                    spec.name.clone()
                },
                spec: serde_json::to_string(spec).expect("a spec serializes"),
                plan: serde_json::to_string(&plan.summary).expect("a summary serializes"),
                status: BroadcastStatus::Scheduled,
                created_by: author.to_owned(),
                created_at: now,
                start_at: start,
                campaign_id: campaign,
            })
            .await?;
        self.store().add_recipients(id, &recipients).await?;
        self.signals.broadcasts.notify_one();
        self.signals.changed();
        Ok((id, plan))
    }

    async fn broadcast_row(&self, id: i64) -> Result<BroadcastRow, BroadcastError> {
        self.store()
            .broadcast(id)
            .await?
            .ok_or(BroadcastError::UnknownBroadcast(id))
    }

    /// Moves a broadcast as a person asked: `pause`, `resume` or `cancel`.
    pub async fn steer_broadcast(
        &self,
        id: i64,
        action: Steer,
        who: &str,
    ) -> Result<BroadcastRow, BroadcastError> {
        use BroadcastStatus::*;
        let b = self.broadcast_row(id).await?;
        let now = Time::now();
        let (from, to, reason, verb): (&[BroadcastStatus], _, _, _) = match action {
            Steer::Pause => (
                &[Scheduled, Sending],
                Paused,
                Some(release::reason::MANUAL),
                "paused",
            ),
            Steer::Resume => (&[Paused], Sending, None, "resumed"),
            Steer::Cancel => (&[Scheduled, Sending, Paused], Cancelled, None, "cancelled"),
        };
        tracing::info!(broadcast = id, by = who, action = verb, "broadcast steered");
        if !self
            .store()
            .set_broadcast_status(id, from, to, reason, None, now)
            .await?
        {
            return Err(BroadcastError::WrongState {
                id,
                status: b.status,
                action: verb,
            });
        }
        self.signals.broadcasts.notify_one();
        self.signals.changed();
        self.broadcast_row(id).await
    }
}

/// A broadcast without a name is called by the start of its text, cut at a word.
fn short_name(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(40).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(w, _)| w);
    format!("{words}…")
}

/// What a person may do to a broadcast under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steer {
    Pause,
    Resume,
    Cancel,
}
