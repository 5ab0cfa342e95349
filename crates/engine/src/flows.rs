//! A page's flows: the document (read, applied as a new version, exported) and the runs of
//! customers through them. [`Engine::flow_turn`] is asked first by the automations worker for
//! each customer message and tap: an unfinished run asking a question takes the answer; else a
//! flow whose trigger matches starts. [`FlowTimers`] wakes the runs whose wait is over.
//!
//! Each run keeps the document version it started with. Effects are carried out in order:
//! messages go through [`Engine::submit`] (the policy, the audit, the outbox) as
//! `automation:flow:NAME`, under a dedupe key made of the run, its step and what caused it, so
//! a repeat after a crash queues nothing; a message the policy refuses fails its step (its
//! `on_error` step, else a hand-over). The run's new state is saved after its effects.

use std::collections::BTreeMap;
use std::time::Duration;

use flows::answer::Answer;
use flows::{Context, Effect, Flow, Flows, Input, Quick, Run, State};
use messenger::send::OutgoingQuickReply;
use store::{AutomationVersion, Role, RunUpdate, StoredFlows, StoredRun, Time, User};

use crate::Engine;
use crate::automate::fill_first_name;
use crate::automations::AutomationsError;
use crate::outbox::{Actor, Draft};
use crate::problem::Forbidden;
use crate::worker::{Pace, Progress, Worker};

/// Runs woken at a time.
const BATCH: i64 = 64;

/// What a customer did, as a flow sees it.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    pub page_id: &'a str,
    pub psid: &'a str,
    /// The message's id (what caused the turn: part of the dedupe keys).
    pub mid: &'a str,
    pub text: Option<&'a str>,
    pub payload: Option<&'a str>,
    /// The `ref` of the m.me link or ad the customer came through.
    pub referral: Option<&'a str>,
    /// A comment on one of the page's posts (its id): only a `comments` flow starts, and its
    /// first message is the comment's private reply.
    pub comment_id: Option<&'a str>,
    /// Start this flow (a comment rule names it), whatever the triggers say.
    pub flow: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub first_name: Option<&'a str>,
}

impl Engine {
    /// The page's flows (none before a document was applied).
    pub async fn flows(
        &self,
        page_id: &str,
    ) -> Result<(Flows, Option<StoredFlows>), AutomationsError> {
        let stored = self.store.flows(page_id).await?;
        let doc = match &stored {
            Some(s) => read(&s.document, page_id, s.version),
            None => Flows::default(),
        };
        Ok((doc, stored))
    }

    /// Checks `text` (YAML or JSON) and makes it the page's flows; returns the version. A
    /// document with any problem changes nothing; customers in a flow stay on their version.
    pub async fn apply_flows(
        &self,
        page_id: &str,
        text: &str,
        by: &str,
    ) -> Result<(Flows, i64), AutomationsError> {
        if self.store.page(page_id).await?.is_none() {
            return Err(AutomationsError::UnknownPage(page_id.to_owned()));
        }
        let doc = flows::parse(text)?;
        let json = serde_json::to_string(&doc).unwrap_or_else(|e| unreachable!("{e}"));
        let version = self
            .store
            .apply_flows(page_id, &json, by, Time::now())
            .await?;
        tracing::info!(page_id, version, by, "flows applied");
        self.signals.changed();
        Ok((doc, version))
    }

    /// [`Engine::apply_flows`] by a user of the inbox or the API: admins only.
    pub async fn apply_flows_as(
        &self,
        user: &User,
        page_id: &str,
        text: &str,
    ) -> Result<(Flows, i64), AutomationsError> {
        if user.role != Role::Admin {
            return Err(AutomationsError::AdminOnly(Forbidden::Automations));
        }
        self.apply_flows(page_id, text, &format!("user:{}", user.username))
            .await
    }

    pub async fn flows_versions(
        &self,
        page_id: &str,
    ) -> Result<Vec<AutomationVersion>, AutomationsError> {
        Ok(self.store.flows_versions(page_id, 20).await?)
    }

    /// Lets a flow take the customer's message or tap; whether one did (then nothing else
    /// answers it).
    pub async fn flow_turn(&self, t: &Turn<'_>) -> anyhow::Result<bool> {
        let now = Time::now();
        if let Some(stored) = self
            .store
            .active_run(t.page_id, t.psid)
            .await?
            .filter(|_| t.comment_id.is_none())
        {
            let doc = self.flows_of(t.page_id, stored.version).await?;
            let mut run: Run = serde_json::from_str(&stored.state)?;
            if let (Some(flow), State::Asking) = (doc.named(&run.flow), run.state) {
                let mut ctx = self.context(t, now).await?;
                let answer = Answer {
                    text: t.text,
                    payload: t.payload,
                };
                let effects = run.advance(flow, Input::Answer(answer), &mut ctx);
                self.carry_out(t, flow, &mut run, effects, &mut ctx, &stored.id.to_string())
                    .await?;
                self.save(stored.id, &run, now).await?;
                return Ok(true);
            }
        }
        let (doc, stored) = self.flows(t.page_id).await?;
        let arrival = flows::trigger::Arrival {
            text: t.text.filter(|_| t.comment_id.is_none()),
            payload: t.payload,
            referral: t.referral,
            comment: t.comment_id.and(t.text),
        };
        let chosen = match t.flow {
            Some(name) => doc.named(name),
            None => doc.triggered(arrival),
        };
        let (Some(flow), Some(stored)) = (chosen, stored) else {
            return Ok(false);
        };
        // A new flow replaces one the customer was waiting in.
        if let Some(old) = self.store.active_run(t.page_id, t.psid).await?
            && let Ok(mut run) = serde_json::from_str::<Run>(&old.state)
        {
            run.state = State::Finished {
                end: flows::End::Done,
            };
            self.save(old.id, &run, now).await?;
        }
        let mut ctx = self.context(t, now).await?;
        let (mut run, effects) = Run::start(flow, &mut ctx);
        // Stored first (as it is before its effects): the run's id keys its messages.
        let (state, finished, wake_at) = update(&run);
        let first = RunUpdate {
            state: &state,
            finished,
            wake_at,
        };
        let id = self
            .store
            .start_run(
                t.page_id,
                t.psid,
                &run.flow,
                stored.version,
                &run.step,
                &first,
                now,
            )
            .await?;
        self.carry_out(t, flow, &mut run, effects, &mut ctx, &id.to_string())
            .await?;
        self.save(id, &run, now).await?;
        tracing::info!(page = t.page_id, psid = t.psid, flow = %run.flow, "flow started");
        Ok(true)
    }

    /// Ends the customer's unfinished run, if any (they asked for a person).
    pub async fn end_flow(&self, page_id: &str, psid: &str, now: Time) -> anyhow::Result<()> {
        if let Some(stored) = self.store.active_run(page_id, psid).await? {
            let mut run: Run = serde_json::from_str(&stored.state)?;
            run.state = State::Finished {
                end: flows::End::HandedOver,
            };
            self.save(stored.id, &run, now).await?;
        }
        Ok(())
    }

    /// The document version of the customer's run (or the page's current one).
    async fn version_of(&self, t: &Turn<'_>) -> anyhow::Result<i64> {
        if let Some(run) = self.store.active_run(t.page_id, t.psid).await? {
            return Ok(run.version);
        }
        Ok(self.store.flows(t.page_id).await?.map_or(0, |f| f.version))
    }

    /// The document a run started with.
    async fn flows_of(&self, page_id: &str, version: i64) -> anyhow::Result<Flows> {
        Ok(match self.store.flows_version(page_id, version).await? {
            Some(text) => read(&text, page_id, version),
            None => Flows::default(),
        })
    }

    async fn context<'a>(&self, t: &Turn<'a>, now: Time) -> store::Result<Context<'a>> {
        let fields: BTreeMap<String, String> = self
            .store
            .fields(t.page_id, t.psid)
            .await?
            .into_iter()
            .collect();
        Ok(Context {
            locale: t.locale,
            fields,
            now: now.timestamp(),
        })
    }

    async fn save(&self, id: i64, run: &Run, now: Time) -> store::Result<()> {
        let (state, finished, wake_at) = update(run);
        let update = RunUpdate {
            state: &state,
            finished,
            wake_at,
        };
        self.store.save_run(id, &run.step, &update, now).await
    }

    /// Carries out `effects` in order; a refused message fails its step, whose own effects
    /// follow (at most a few times: a failing `on_error` ends in a hand-over).
    async fn carry_out(
        &self,
        t: &Turn<'_>,
        flow: &Flow,
        run: &mut Run,
        effects: Vec<Effect>,
        ctx: &mut Context<'_>,
        cause: &str,
    ) -> anyhow::Result<()> {
        let mut queue = effects;
        let mut failures = 0;
        let mut n = 0;
        // A comment's flow answers with its one private reply: the first message.
        let mut private_reply = t.comment_id;
        while !queue.is_empty() {
            let effect = queue.remove(0);
            n += 1;
            let key = format!("flow:{}:{}:{}:{cause}:{n}", t.page_id, t.psid, t.mid);
            match effect {
                Effect::Send { step, message } => {
                    let text = fill_first_name(&message.text, t.first_name);
                    let mut draft =
                        Draft::text(t.page_id, t.psid, Actor::Flow(flow.name.to_string()), &text);
                    draft.dedupe_key = Some(key);
                    draft.quick_replies = message.quick_replies.iter().map(quick).collect();
                    draft.buttons = message.buttons;
                    draft.attachment = message.attachment;
                    draft.cards = message.cards;
                    draft.private_reply_to = private_reply.take().map(str::to_owned);
                    let submitted = self.submit(&draft).await?;
                    if !submitted.allowed() && failures < 3 {
                        failures += 1;
                        tracing::info!(psid = t.psid, flow = %flow.name, step, rule = ?submitted.decision.rule, "flow message refused by policy");
                        queue = run.advance(flow, Input::Failed(&step), ctx);
                    }
                }
                Effect::Retry { text, .. } => {
                    let lang = i18n::Lang::of_customer(t.locale);
                    let text = text
                        .unwrap_or_else(|| i18n::customer_text(lang, "customer-flow-retry", &[]));
                    let mut draft =
                        Draft::text(t.page_id, t.psid, Actor::Flow(flow.name.to_string()), &text);
                    draft.dedupe_key = Some(key);
                    self.submit(&draft).await?;
                }
                Effect::Save { field, value } => {
                    self.store
                        .set_field(t.page_id, t.psid, &field, &value, Time::now())
                        .await?;
                }
                Effect::Labels { add, remove } => {
                    for l in &add {
                        self.store.add_label(t.page_id, t.psid, l).await?;
                    }
                    for l in &remove {
                        self.store.remove_label(t.page_id, t.psid, l).await?;
                    }
                }
                Effect::Offer {
                    step,
                    text,
                    service,
                    day,
                } => {
                    let setup = self
                        .flows_of(t.page_id, self.version_of(t).await?)
                        .await?
                        .booking;
                    let slots = match (&setup, &service) {
                        (Some(setup), Some(service)) => {
                            let day = day.and_then(|d| d.parse().ok());
                            self.free_slots(setup, t.page_id, service, day, Time::now())
                                .await?
                        }
                        _ => vec![],
                    };
                    if slots.is_empty() {
                        tracing::info!(psid = t.psid, flow = %flow.name, step, "no free slot to offer");
                        queue.extend(run.advance(flow, Input::Failed(&step), ctx));
                        continue;
                    }
                    let setup = setup.unwrap_or_else(|| unreachable!("slots come from a setup"));
                    let text = fill_first_name(&text, t.first_name);
                    let mut draft =
                        Draft::text(t.page_id, t.psid, Actor::Flow(flow.name.to_string()), &text);
                    draft.dedupe_key = Some(key);
                    draft.quick_replies = slots
                        .iter()
                        .map(|s| {
                            let name = setup
                                .resource(&s.resource)
                                .map_or(s.resource.as_str(), |r| r.name.as_str());
                            let title = format!("{} {name}", slot_title(&setup, s.start));
                            OutgoingQuickReply::text(
                                &title.chars().take(20).collect::<String>(),
                                &s.payload(),
                            )
                        })
                        .collect();
                    self.submit(&draft).await?;
                }
                Effect::Book {
                    service, payload, ..
                } => {
                    let setup = self
                        .flows_of(t.page_id, self.version_of(t).await?)
                        .await?
                        .booking;
                    let booked = match (setup, service, payload) {
                        (Some(setup), Some(service), Some(payload)) => {
                            self.book_slot(
                                &setup,
                                t.page_id,
                                t.psid,
                                &service,
                                &payload,
                                Time::now(),
                            )
                            .await?
                        }
                        _ => None,
                    };
                    queue.extend(run.advance(flow, Input::Booked(booked.as_deref()), ctx));
                }
                Effect::Call { step, call, fields } => {
                    let allow = self
                        .flows_of(t.page_id, self.version_of(t).await?)
                        .await?
                        .calls
                        .map(|c| c.allow)
                        .unwrap_or_default();
                    let answer = match self
                        .call_shop(t.page_id, t.psid, &call, &fields, &allow)
                        .await
                    {
                        Ok(saved) => Some(saved),
                        Err(e) => {
                            tracing::warn!(psid = t.psid, flow = %flow.name, step, url = %call.url, error = %e, "a flow's call failed");
                            None
                        }
                    };
                    queue.extend(run.advance(flow, Input::Called(answer.as_deref()), ctx));
                }
                Effect::Unbook => {
                    self.unbook(t.page_id, t.psid, Time::now()).await?;
                }
                Effect::Handover { text } => {
                    let lang = i18n::Lang::of_customer(t.locale);
                    let text =
                        text.unwrap_or_else(|| i18n::customer_text(lang, "customer-handover", &[]));
                    let mut draft =
                        Draft::text(t.page_id, t.psid, Actor::Flow(flow.name.to_string()), &text);
                    draft.dedupe_key = Some(key);
                    self.submit(&draft).await?;
                    self.hand_over(t.page_id, t.psid, Time::now()).await?;
                }
            }
        }
        self.signals.changed();
        Ok(())
    }
}

/// A slot's day and time as a quick reply shows it: `24/12 09:30`.
fn slot_title(setup: &flows::booking::Booking, at: jiff::Timestamp) -> String {
    at.to_zoned(setup.timezone.tz().clone())
        .strftime("%d/%m %H:%M")
        .to_string()
}

/// A stored document this version reads; one it cannot (written by a newer Fenestra) has no
/// flows rather than a guess.
fn read(text: &str, page_id: &str, version: i64) -> Flows {
    flows::parse(text).unwrap_or_else(|e| {
        tracing::error!(page_id, version, error = %e, "stored flows unreadable: no flows");
        Flows::default()
    })
}

/// The run as stored: its state, whether it is over, when to wake it.
fn update(run: &Run) -> (String, bool, Option<Time>) {
    let wake_at = match run.state {
        State::Sleeping { until } => Some(Time::from_ms(until.as_millisecond())),
        _ => None,
    };
    let json = serde_json::to_string(run).unwrap_or_else(|e| unreachable!("{e}"));
    (json, run.finished(), wake_at)
}

fn quick(q: &Quick) -> OutgoingQuickReply {
    match q {
        Quick::Text { title, payload } => OutgoingQuickReply::text(title, payload),
        Quick::UserEmail | Quick::UserPhone => OutgoingQuickReply {
            content_type: if matches!(q, Quick::UserEmail) {
                "user_email"
            } else {
                "user_phone_number"
            }
            .to_owned(),
            title: None,
            payload: None,
            image_url: None,
        },
    }
}

/// Wakes the runs whose wait is over.
pub struct FlowTimers {
    pub engine: Engine,
}

impl FlowTimers {
    pub fn pace(&self) -> Pace {
        Pace::new(
            std::sync::Arc::new(tokio::sync::Notify::new()),
            Duration::from_secs(1),
        )
    }
}

impl Worker for FlowTimers {
    fn name(&self) -> &'static str {
        "flow_timers"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let now = Time::now();
        let due = self.engine.store.due_runs(now, BATCH).await?;
        for stored in &due {
            if let Err(e) = self.wake(stored, now).await {
                tracing::warn!(run = stored.id, error = %e, "waking a flow run failed; will retry");
            }
        }
        Ok(Progress::of(due.len(), BATCH as usize))
    }
}

impl FlowTimers {
    async fn wake(&self, stored: &StoredRun, now: Time) -> anyhow::Result<()> {
        let e = &self.engine;
        let doc = e.flows_of(&stored.page_id, stored.version).await?;
        let mut run: Run = serde_json::from_str(&stored.state)?;
        let Some(flow) = doc.named(&run.flow) else {
            run.state = State::Finished {
                end: flows::End::Done,
            };
            return Ok(e.save(stored.id, &run, now).await?);
        };
        let contact = e.store.contact(&stored.page_id, &stored.psid).await?;
        let locale = contact.as_ref().and_then(|c| c.profile.locale.clone());
        let first_name = contact.as_ref().and_then(|c| c.profile.first_name.clone());
        let cause = format!("{}:wake:{}", stored.id, stored.wake_at.map_or(0, Time::ms));
        let t = Turn {
            page_id: &stored.page_id,
            psid: &stored.psid,
            mid: "",
            text: None,
            payload: None,
            referral: None,
            comment_id: None,
            flow: None,
            locale: locale.as_deref(),
            first_name: first_name.as_deref(),
        };
        let mut ctx = e.context(&t, now).await?;
        let effects = run.advance(flow, Input::Wake, &mut ctx);
        e.carry_out(&t, flow, &mut run, effects, &mut ctx, &cause)
            .await?;
        e.save(stored.id, &run, now).await?;
        Ok(())
    }
}
