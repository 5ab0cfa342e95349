//! The delivery worker: drains the outbox through the Graph API.
//!
//! * Claims are leased and committed before any HTTP call; a dead worker's claims turn
//!   `unknown` when the lease runs out, never straight back to `queued`.
//! * Each message carries `metadata = fenestra:outbox:ID`. When a call's outcome is unknown
//!   (timeout, connection cut, 5xx that may have gone through) the row waits for the echo with
//!   that metadata; only if none comes within the reconcile time is it sent again. That is as
//!   close to exactly-once as the Send API allows (it has no idempotency key).
//! * Each page's sends are paced by a rate kept in the database (`take_turn`), so every
//!   instance on a shared PostgreSQL together stays under it; Meta's rate-limit errors (613 and
//!   friends) also pause the page's sends for a cool-down.
//! * Errors are read once, by `messenger::Meaning`: retry later (exponential back-off with
//!   jitter, up to `max_attempts`; rate limits also cool the page down), fix the request
//!   (failed), stop the contact (unreachable; the window is closed; another app controls the
//!   thread), stop the page (an invalid token pauses it until it gets a new one).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::future::join_all;
use messenger::comments::{CommentAction, CommentRequest};
use messenger::marketing::{MarketingMeaning, MarketingSend};
use messenger::send::SendRequest;
use messenger::{Meaning, SendError};
use store::{
    Consequence, GraphFailure, OutboxRow, Page, SendKind, SendOutcome, Time, outbox_metadata,
};

use crate::Engine;
use crate::broadcast::release;
use crate::worker::{Pace, Progress, Worker};

#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// Sends claimed, made and recorded together (each to a different customer).
    pub concurrency: usize,
    /// Batches in flight at once: while one waits for the database, others are sending.
    pub pipelines: usize,
    /// Sends per second per page; `None` is unlimited.
    pub rate_per_page: Option<NonZeroU32>,
    /// How long a claim is reserved; longer than the Graph timeout.
    pub lease: Duration,
    /// How long an ambiguous send waits for its echo before it is sent again.
    pub reconcile: Duration,
    /// Tries before a retryable error becomes a failure.
    pub max_attempts: i64,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// How long a page's sends pause after Meta says it sends too fast.
    pub rate_limit_cooldown: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            concurrency: 32,
            pipelines: 4,
            rate_per_page: NonZeroU32::new(40),
            lease: Duration::from_secs(60),
            reconcile: Duration::from_secs(120),
            max_attempts: 8,
            backoff_min: Duration::from_secs(2),
            backoff_max: Duration::from_secs(600),
            rate_limit_cooldown: Duration::from_secs(60),
        }
    }
}

pub struct Delivery {
    pub engine: Engine,
    pub config: DeliveryConfig,
    pub worker: String,
    /// Pages Meta asked to slow down, and until when.
    cooling: Mutex<HashMap<String, Time>>,
}

/// Other processes on a shared PostgreSQL do not wake this one: look anyway this often.
const POLL: Duration = Duration::from_millis(200);

/// One claim-send-record round. Several loops (`config.pipelines`) run it at once: while one
/// waits for the database, others are sending. Claims never overlap, and a customer's next
/// message is not claimed while an earlier one is unfinished, so they keep each customer's order.
impl Worker for Delivery {
    fn name(&self) -> &'static str {
        "delivery"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        Ok(Progress::of(
            self.deliver_batch().await?,
            self.config.concurrency,
        ))
    }
}

impl Delivery {
    pub fn new(engine: Engine, config: DeliveryConfig, worker: String) -> Delivery {
        Delivery {
            engine,
            config,
            worker,
            cooling: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for the page's turn under its rate, which every instance on the database shares.
    /// If the database cannot say, waits one turn's time and goes.
    async fn wait_turn(&self, page_id: &str) {
        let Some(rate) = self.config.rate_per_page else {
            return;
        };
        let every = Duration::from_secs(1) / rate.get();
        let key = format!("send:{page_id}");
        let mut paced = false;
        loop {
            match self.engine.store().take_turn(&key, every, rate.get()).await {
                Ok(None) => break,
                Ok(Some(wait)) => {
                    paced = true;
                    tokio::time::sleep(wait).await;
                }
                Err(e) => {
                    tracing::warn!(page_id, error = %e, "the shared send rate is unreadable; pacing locally");
                    tokio::time::sleep(every).await;
                    break;
                }
            }
        }
        if paced {
            self.engine.metrics.sends_paced.fetch_add(1, Relaxed);
        }
    }

    /// How a pipeline waits: woken when sends are queued.
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.queued.clone(), POLL)
    }

    /// Claims one batch and sends it; returns how many sends it claimed.
    pub async fn deliver_batch(&self) -> store::Result<usize> {
        let store = self.engine.store();
        let rows = store
            .claim_sends(
                &self.worker,
                self.config.concurrency as i64,
                Time::now(),
                self.config.lease,
                self.config.reconcile,
            )
            .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let pages: HashMap<String, Page> = store
            .pages()
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let n = rows.len();
        let outcomes = join_all(rows.iter().map(|row| async {
            let token = pages.get(&row.page_id).and_then(|p| p.access_token.clone());
            let outcome = self.attempt(row, token).await;
            self.count(row, &outcome);
            (row.id, outcome)
        }))
        .await;
        // One transaction for the batch. If it fails, the claims run out, the rows turn
        // `unknown` and their echoes settle them: nothing is sent twice.
        if let Err(e) = store
            .finish_sends(&self.worker, &outcomes, Time::now())
            .await
        {
            tracing::error!(error = %e, "recording {} send outcomes failed", outcomes.len());
        }
        self.engine.signals.changed();
        Ok(n)
    }

    async fn attempt(&self, row: &OutboxRow, token: Option<String>) -> SendOutcome {
        let Some(token) = token else {
            return SendOutcome::PausePage {
                error: failure(format!("page {} has no access token", row.page_id)),
            };
        };
        if let Some(until) = self.cooling_until(&row.page_id) {
            return SendOutcome::Deferred {
                at: until,
                reason: "Meta asked this page to send more slowly; waiting".into(),
            };
        }
        match row.kind {
            SendKind::Marketing => return self.attempt_marketing(row).await,
            SendKind::Comment => return self.attempt_comment(row, &token).await,
            SendKind::Message | SendKind::SenderAction => {}
        }
        let mut request: SendRequest = match serde_json::from_str(&row.request) {
            Ok(r) => r,
            Err(e) => {
                return SendOutcome::Failed {
                    error: failure(format!("the queued request is not a Send API body: {e}")),
                    consequence: Consequence::None,
                };
            }
        };
        if let Some(message) = request.message.as_mut() {
            message.metadata = Some(outbox_metadata(row.id));
        }
        self.wait_turn(&row.page_id).await;
        match self.engine.graph.send(&token, &request).await {
            Ok(answer) => SendOutcome::Sent {
                mid: answer.message_id,
            },
            Err(e) => self.judge(row, &e),
        }
    }

    /// A paid marketing message, through the page's ad account with the business token. Its
    /// tracking id stands for the message id; Meta's webhooks find it by that.
    async fn attempt_marketing(&self, row: &OutboxRow) -> SendOutcome {
        let e = &self.engine;
        let body: MarketingSend = match serde_json::from_str(&row.request) {
            Ok(b) => b,
            Err(err) => {
                return SendOutcome::Failed {
                    error: failure(format!(
                        "the queued request is not a marketing message: {err}"
                    )),
                    consequence: Consequence::None,
                };
            }
        };
        let setup = match e.store().marketing_setup(&row.page_id).await {
            Ok(s) => s,
            Err(err) => {
                return SendOutcome::Retry {
                    at: Time::now() + self.backoff(row.attempts),
                    error: failure(err.to_string()),
                };
            }
        };
        let page_token = e
            .store()
            .page(&row.page_id)
            .await
            .ok()
            .flatten()
            .and_then(|p| p.access_token);
        let (Some(account), Some(token)) =
            (setup.ad_account_id, setup.business_token.or(page_token))
        else {
            e.broadcast_trouble(&row.actor, release::reason::MARKETING_SETUP, None)
                .await;
            return SendOutcome::Failed {
                error: failure(format!(
                    "page {} has no ad account for marketing messages",
                    row.page_id
                )),
                consequence: Consequence::None,
            };
        };
        self.wait_turn(&row.page_id).await;
        let err = match e.graph.send_marketing(&token, &account, &body).await {
            Ok(answer) => {
                return SendOutcome::Sent {
                    mid: answer.marketing_message_tracking_id,
                };
            }
            Err(err) => err,
        };
        let SendError::Graph { error: graph, .. } = &err else {
            return self.judge(row, &err);
        };
        let Some(meaning) = MarketingMeaning::of(graph) else {
            return self.judge(row, &err);
        };
        let now = Time::now();
        let failure = GraphFailure {
            message: err.to_string(),
            code: graph.code,
            subcode: graph.error_subcode,
        };
        let failed = SendOutcome::Failed {
            error: failure.clone(),
            consequence: Consequence::None,
        };
        let token = &body.messenger_delivery_data.subscription_token;
        match meaning {
            MarketingMeaning::Stopped => {
                if let Err(err) = e.store().stop_marketing(&row.page_id, token, now).await {
                    tracing::error!(error = %err, "recording a stopped subscription failed");
                }
                failed
            }
            MarketingMeaning::RetryLater { seconds } => SendOutcome::Deferred {
                at: now + Duration::from_secs(seconds.max(1) as u64),
                reason: failure.message,
            },
            MarketingMeaning::BudgetReached { seconds } => {
                let resume = seconds.map(|s| now + Duration::from_secs(s.max(1) as u64));
                e.broadcast_trouble(&row.actor, release::reason::BUDGET, resume)
                    .await;
                SendOutcome::Deferred {
                    at: resume.unwrap_or(now + Duration::from_secs(3_600)),
                    reason: failure.message,
                }
            }
            MarketingMeaning::Setup => {
                e.broadcast_trouble(&row.actor, release::reason::MARKETING_SETUP, None)
                    .await;
                failed
            }
            MarketingMeaning::TooSoon
            | MarketingMeaning::LoadCap
            | MarketingMeaning::Unavailable
            | MarketingMeaning::Region
            | MarketingMeaning::TokenUnusable
            | MarketingMeaning::Invalid => failed,
        }
    }

    /// A public reply, hide, unhide or delete. No echo follows: the `feed` webhook about it
    /// updates the comments inbox.
    async fn attempt_comment(&self, row: &OutboxRow, token: &str) -> SendOutcome {
        let request: CommentRequest = match serde_json::from_str(&row.request) {
            Ok(r) => r,
            Err(e) => {
                return SendOutcome::Failed {
                    error: failure(format!("the queued request is not a comment action: {e}")),
                    consequence: Consequence::None,
                };
            }
        };
        self.wait_turn(&row.page_id).await;
        match self.engine.graph.comment_action(token, &request).await {
            Ok(id) => SendOutcome::Sent { mid: id },
            // Without an echo to settle it, a reply that may have been posted is not posted
            // again; hiding and deleting twice do no harm.
            Err(e)
                if e.outcome_unknown() && matches!(request.action, CommentAction::Reply { .. }) =>
            {
                SendOutcome::Failed {
                    error: failure(format!(
                        "{e}; not sent again, so the reply is not posted twice"
                    )),
                    consequence: Consequence::None,
                }
            }
            Err(e) if e.outcome_unknown() => SendOutcome::Retry {
                at: Time::now() + self.backoff(row.attempts),
                error: failure(e.to_string()),
            },
            Err(e) => self.judge(row, &e),
        }
    }

    /// What a failed call means for this row.
    fn judge(&self, row: &OutboxRow, e: &SendError) -> SendOutcome {
        let now = Time::now();
        let (code, subcode) = match e {
            SendError::Graph { error, .. } => (error.code, error.error_subcode),
            _ => (None, None),
        };
        let error = GraphFailure {
            message: e.to_string(),
            code,
            subcode,
        };
        let failed = |consequence| SendOutcome::Failed {
            error: error.clone(),
            consequence,
        };
        match e.meaning() {
            // A typing indicator sent twice does no harm; a message might.
            Meaning::Temporary if e.outcome_unknown() && row.kind == SendKind::SenderAction => {
                SendOutcome::Sent { mid: None }
            }
            Meaning::Temporary if e.outcome_unknown() => SendOutcome::Unknown {
                until: now + self.config.reconcile,
                error: format!("{e}; waiting for the echo before sending again"),
            },
            Meaning::Temporary | Meaning::RateLimited
                if row.attempts >= self.config.max_attempts =>
            {
                SendOutcome::Failed {
                    error: GraphFailure {
                        message: format!("gave up after {} attempts: {e}", row.attempts),
                        ..error
                    },
                    consequence: Consequence::None,
                }
            }
            meaning @ (Meaning::Temporary | Meaning::RateLimited) => {
                if meaning == Meaning::RateLimited {
                    self.cool_down(&row.page_id, now);
                }
                SendOutcome::Retry {
                    at: now + self.backoff(row.attempts),
                    error,
                }
            }
            Meaning::WindowClosed => failed(Consequence::WindowClosed),
            Meaning::Unreachable => failed(Consequence::ContactUnreachable),
            Meaning::ThreadOwnedByOtherApp => failed(Consequence::ThreadOwnedByOtherApp),
            Meaning::TokenInvalid => {
                tracing::error!(
                    page_id = %row.page_id,
                    error = %e,
                    "ALERT: Meta refused page {}'s access token; its sends are paused until \
                     `fenestra page add --id {} --token NEW_TOKEN`",
                    row.page_id,
                    row.page_id
                );
                self.engine.metrics.pages_paused.fetch_add(1, Relaxed);
                SendOutcome::PausePage { error }
            }
            Meaning::PageRestricted => {
                let (engine, actor) = (self.engine.clone(), row.actor.clone());
                tokio::spawn(async move {
                    engine
                        .broadcast_trouble(&actor, release::reason::PAGE_RESTRICTED, None)
                        .await
                });
                failed(Consequence::None)
            }
            Meaning::PermissionMissing | Meaning::InvalidRequest => failed(Consequence::None),
        }
    }

    /// The delay before try number `attempts + 1`: doubling from `backoff_min`, capped at
    /// `backoff_max`, plus up to as much again at random so retries of many sends spread out.
    fn backoff(&self, attempts: i64) -> Duration {
        ExponentialBuilder::default()
            .with_min_delay(self.config.backoff_min)
            .with_max_delay(self.config.backoff_max)
            .with_jitter()
            .without_max_times()
            .build()
            .nth(attempts.saturating_sub(1).max(0) as usize)
            .unwrap_or(self.config.backoff_max)
    }

    fn cool_down(&self, page_id: &str, now: Time) {
        let until = now + self.config.rate_limit_cooldown;
        tracing::warn!(
            page_id,
            "Meta says the page sends too fast; pausing its sends"
        );
        self.cooling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(page_id.to_owned(), until);
    }

    fn cooling_until(&self, page_id: &str) -> Option<Time> {
        let cooling = self.cooling.lock().unwrap_or_else(|e| e.into_inner());
        cooling.get(page_id).copied().filter(|&u| u > Time::now())
    }

    fn count(&self, row: &OutboxRow, outcome: &SendOutcome) {
        let m = &self.engine.metrics;
        let counter = match outcome {
            SendOutcome::Sent { .. } => &m.sends_sent,
            SendOutcome::Retry { .. }
            | SendOutcome::PausePage { .. }
            | SendOutcome::Deferred { .. } => &m.sends_retried,
            SendOutcome::Unknown { .. } => &m.sends_unknown,
            SendOutcome::Failed { error, .. } => {
                tracing::warn!(outbox_id = row.id, page_id = %row.page_id, psid = %row.psid, error = %error.message, "send failed");
                &m.sends_failed
            }
        };
        counter.fetch_add(1, Relaxed);
    }
}

fn failure(message: String) -> GraphFailure {
    GraphFailure {
        message,
        code: None,
        subcode: None,
    }
}
