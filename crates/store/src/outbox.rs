//! The outbound side: the audit log of every decision, the durable outbox the delivery worker
//! drains, and what decisions read besides the contact's history (templates, the automation
//! queue, cached profiles).
//!
//! An outbox row moves through these states:
//!
//! ```text
//! queued ──claim──▶ sending ──answer──▶ sent ──▶ delivered ──▶ read
//!    ▲                 │  ├─ retryable error ──▶ queued (later, backing off)
//!    │                 │  ├─ refused ──────────▶ failed (with the reason)
//!    │                 │  └─ outcome unknown ──▶ unknown ──echo──▶ sent
//!    │                 └─ worker died (lease ran out) ──▶ unknown
//!    └──────────── no echo before `reconcile_until` ──────┘
//! ```
//!
//! "No echo" means none among the webhooks received by `reconcile_until`, all processed: a body
//! still pending (its worker died holding the claim) holds the re-send back until it is done.
//!
//! The echo carries `metadata = "fenestra:outbox:ID"` (see [`outbox_metadata`]); seeing it
//! proves the message went out, whatever the worker knew.

use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;

use crate::kinds::{OutboxStatus, SendKind, TemplateStatus, Verdict};
use crate::{Profile, Result, Time};

/// What the worker puts in `message.metadata`; the echo brings it back.
pub fn outbox_metadata(id: i64) -> String {
    format!("fenestra:outbox:{id}")
}

/// The outbox id in an echo's metadata, if Fenestra sent it.
pub fn outbox_id_from_metadata(metadata: &str) -> Option<i64> {
    metadata.strip_prefix("fenestra:outbox:")?.parse().ok()
}

/// A decision, allowed or refused, as the audit log keeps it.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at: Time,
    pub page_id: String,
    pub psid: String,
    /// `agent:NAME`, `automation:instant_reply`, `broadcast:ID`, `cli:NAME`.
    pub actor: String,
    /// What was asked, as JSON.
    pub message: String,
    pub verdict: Verdict,
    /// The policy's rule id (`outside_window`).
    pub rule: String,
    pub explanation: String,
    /// The whole decision, as JSON.
    pub decision: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Time,
    pub page_id: String,
    pub psid: String,
    pub actor: String,
    pub message: String,
    pub verdict: Verdict,
    pub rule: String,
    pub explanation: String,
    pub decision: String,
    pub outbox_id: Option<i64>,
}

/// One Send API call to queue.
#[derive(Debug, Clone)]
pub struct NewSend {
    pub kind: SendKind,
    /// The Send API body, exactly as decided (recipient, `messaging_type`, `tag`), without metadata.
    pub request: String,
    /// Queues nothing if a row with this key exists (automations that may run twice).
    pub dedupe_key: Option<String>,
}

/// What an allowed message uses up, marked in the same transaction that queues it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consume {
    OneTimeToken(String),
    NotificationToken(String),
    /// A paid marketing message: the 12-hour spacing starts.
    MarketingToken(String),
    PrivateReply(String),
}

/// A decision and, if allowed, the sends it queues: written together or not at all.
#[derive(Debug, Clone)]
pub struct Enqueue {
    pub audit: NewAudit,
    /// Empty when the decision refused the message.
    pub sends: Vec<NewSend>,
    pub consume: Option<Consume>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueued {
    /// `None` when a send's dedupe key was queued before: then nothing was written.
    pub audit_id: Option<i64>,
    pub outbox_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub actor: String,
    pub kind: SendKind,
    pub request: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: Time,
    pub mid: Option<String>,
    pub sent_at: Option<Time>,
    pub error: Option<String>,
    pub error_code: Option<i64>,
    pub error_subcode: Option<i64>,
    pub created_at: Time,
    pub updated_at: Time,
}

/// How a claimed send ended, as the worker reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    Sent {
        mid: Option<String>,
    },
    /// Not sent; try again at `at`.
    Retry {
        at: Time,
        error: GraphFailure,
    },
    /// Not tried (the page is cooling down after Meta's rate limit): back in the queue at `at`,
    /// and the claim does not count as an attempt.
    Deferred {
        at: Time,
        reason: String,
    },
    /// It may have gone out: wait for its echo until `until`, then queue it again.
    Unknown {
        until: Time,
        error: String,
    },
    /// Never to be sent, with what it does to the contact.
    Failed {
        error: GraphFailure,
        consequence: Consequence,
    },
    /// The page's token was refused: the send goes back to the queue and the page is paused.
    PausePage {
        error: GraphFailure,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphFailure {
    pub message: String,
    pub code: Option<i64>,
    pub subcode: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consequence {
    None,
    /// The person blocked the page or cannot be reached (551, 1545041).
    ContactUnreachable,
    /// Meta says the window is closed (2018278) although Fenestra thought it open.
    WindowClosed,
    /// Meta says another app controls the thread (10/2018300).
    ThreadOwnedByOtherApp,
}

/// An approved (or not) utility template, as Meta reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Template {
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: TemplateStatus,
    /// The body text with `{{name}}` placeholders.
    pub body: String,
}

/// A customer's message or tap that automations have not looked at yet.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingMessage {
    pub page_id: String,
    pub psid: String,
    /// The message's id, or the tap's event key.
    pub mid: String,
    pub text: Option<String>,
    /// A quick reply's or a postback's payload.
    pub payload: Option<String>,
    /// The `ref` of an m.me link or an ad the customer arrived through.
    pub referral: Option<String>,
    pub trigger: crate::Trigger,
    #[sqlx(rename = "sent_at")]
    pub at: Time,
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Writes the audit entry and queues the sends (and marks what they consume), in one transaction.
    async fn enqueue(&self, e: &Enqueue) -> Result<Enqueued>;

    /// Claims up to `limit` due sends, at most one per recipient at a time (so a customer gets
    /// messages in the order they were queued), skipping paused pages. First settles what
    /// expired: a `sending` row whose lease ran out (its worker died mid-call) becomes
    /// `unknown` until `now + reconcile_ms`, and an `unknown` row whose echo never came is queued again.
    async fn claim_sends(
        &self,
        worker: &str,
        limit: i64,
        now: Time,
        lease: Duration,
        reconcile: Duration,
    ) -> Result<Vec<OutboxRow>>;

    /// Records how claimed sends ended, in one transaction. An outcome is ignored if the row is
    /// no longer this worker's `sending` claim, except `Sent`, which always stands (it may
    /// follow an echo).
    async fn finish_sends(
        &self,
        worker: &str,
        outcomes: &[(i64, SendOutcome)],
        now: Time,
    ) -> Result<()>;

    async fn outbox_row(&self, id: i64) -> Result<Option<OutboxRow>>;
    /// A contact's sends, oldest first.
    async fn outbox_for(&self, page_id: &str, psid: &str) -> Result<Vec<OutboxRow>>;
    /// How many sends are in each state.
    async fn outbox_counts(&self) -> Result<Vec<(OutboxStatus, i64)>>;
    /// A contact's decisions, oldest first.
    async fn audit_for(&self, page_id: &str, psid: &str) -> Result<Vec<AuditEntry>>;
    /// Messages sent by automations and broadcasts (not failed) since `since`.
    async fn automated_sent_since(&self, page_id: &str, psid: &str, since: Time) -> Result<i64>;

    /// Replaces the page's templates with Meta's list.
    async fn replace_templates(
        &self,
        page_id: &str,
        templates: &[Template],
        now: Time,
    ) -> Result<()>;
    async fn templates(&self, page_id: &str) -> Result<Vec<Template>>;

    async fn pending_automations(&self, limit: i64) -> Result<Vec<PendingMessage>>;
    async fn automation_done(&self, m: &PendingMessage) -> Result<()>;
    /// When the customer last wrote before the message `mid` at `at`.
    async fn previous_inbound_at(
        &self,
        page_id: &str,
        psid: &str,
        at: Time,
        mid: &str,
    ) -> Result<Option<Time>>;

    async fn save_profile(
        &self,
        page_id: &str,
        psid: &str,
        profile: &Profile,
        now: Time,
    ) -> Result<()>;
}
