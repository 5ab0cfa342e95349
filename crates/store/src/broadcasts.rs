//! Broadcasts, audiences and paid marketing messages.
//!
//! A broadcast is written once, when it is sent: its row (the author's spec and the plan's
//! counts) and one recipient row per contact of the segment, with the path planned for them or
//! why they are skipped. Recipients then leave in small batches as their time comes
//! ([`BroadcastStore::release`]): each is judged again by the policy, audited, and queued in the
//! outbox in the same transaction that marks the recipient `queued` (or `refused`).
//!
//! Invariants:
//! * a recipient is released at most once: the release claims the row (`planned` → `queued`)
//!   in the transaction that writes its audit entry and outbox row;
//! * recipient rows are written in batches of [`RECIPIENT_BATCH`] per statement and committed in
//!   chunks, so a million recipients never hold the single SQLite writer for long;
//! * a marketing subscription is a `notification_messages` token: stopped by Meta's error
//!   2300034 (`marketing_stopped_at`), spaced by `last_marketing_at`, set when a send is queued.

use async_trait::async_trait;
use serde::Serialize;

use crate::kinds::{BroadcastStatus, RecipientPath, RecipientState};
use crate::outbox::Enqueue;
use crate::{NotificationToken, OneTimeToken, Result, Time};

/// Recipient rows per INSERT statement (6 values each: 12,000, under SQLite's 32,766 and PostgreSQL's 65,535).
pub const RECIPIENT_BATCH: usize = 2_000;

/// A Page onboarded to the Marketing Message API, and its broadcast safety limits.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MarketingSetup {
    pub page_id: String,
    /// `None`: the Page is not onboarded (no paid marketing messages).
    pub ad_account_id: Option<String>,
    #[serde(skip)]
    pub business_token: Option<String>,
    /// Minor units of the ad account's currency; `None` lets Meta set a cap.
    pub daily_budget: Option<i64>,
    /// A broadcast pauses when this share of its sends ends blocked (0.02 = 2 %)…
    pub pause_block_rate: f64,
    /// …or failed.
    pub pause_error_rate: f64,
    /// ISO 3166 country for phone numbers without a country code.
    pub default_country: Option<String>,
}

impl MarketingSetup {
    pub fn new(page_id: &str) -> MarketingSetup {
        MarketingSetup {
            page_id: page_id.to_owned(),
            ad_account_id: None,
            business_token: None,
            daily_budget: None,
            pause_block_rate: 0.02,
            pause_error_rate: 0.10,
            default_country: None,
        }
    }
}

/// A saved segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Audience {
    pub id: i64,
    pub page_id: String,
    pub name: String,
    /// JSON, as the engine's `audience::Segment` reads it.
    pub segment: String,
    pub updated_at: Time,
}

/// One contact as segments and broadcast plans read it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AudienceRow {
    pub psid: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: Option<String>,
    /// Hours from UTC, from the profile.
    pub timezone: Option<f64>,
    pub gender: Option<String>,
    pub first_seen_at: Time,
    pub last_interaction_at: Option<Time>,
    pub window_closed_at: Option<Time>,
    pub source_kind: Option<String>,
    pub source_ref: Option<String>,
    pub latest_source_kind: Option<String>,
    pub latest_source_ref: Option<String>,
    pub unreachable: bool,
    pub opted_out: bool,
    pub opted_out_at: Option<Time>,
    pub thread_owner: Option<String>,
    pub thread_owner_until: Option<Time>,
}

/// A page's tokens, with whose they are.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactNotificationToken {
    pub psid: String,
    #[sqlx(flatten)]
    pub token: NotificationToken,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactOneTimeToken {
    pub psid: String,
    #[sqlx(flatten)]
    pub token: OneTimeToken,
}

#[derive(Debug, Clone)]
pub struct NewBroadcast {
    pub page_id: String,
    pub name: String,
    pub spec: String,
    pub plan: String,
    pub status: BroadcastStatus,
    pub created_by: String,
    pub created_at: Time,
    pub start_at: Time,
    pub campaign_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct BroadcastRow {
    pub id: i64,
    pub page_id: String,
    pub name: String,
    pub spec: String,
    pub plan: String,
    pub status: BroadcastStatus,
    pub pause_reason: Option<String>,
    pub resume_at: Option<Time>,
    pub campaign_id: Option<String>,
    pub created_by: String,
    pub created_at: Time,
    pub start_at: Time,
    pub started_at: Option<Time>,
    pub resumed_at: Option<Time>,
    pub finished_at: Option<Time>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub psid: String,
    pub path: RecipientPath,
    pub rule: String,
    pub due_at: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecipientRow {
    pub psid: String,
    pub path: RecipientPath,
    pub rule: String,
    pub state: RecipientState,
    pub due_at: Time,
    pub outbox_id: Option<i64>,
    pub final_rule: Option<String>,
}

/// A recipient leaving the queue: the decision taken now, and what it queues if allowed.
#[derive(Debug, Clone)]
pub struct Release {
    pub psid: String,
    pub enqueue: Enqueue,
}

/// How the recipients of a broadcast stand, counted by the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub planned: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub read: i64,
    /// Wrote to the Page after the broadcast's message was sent.
    pub replied: i64,
    /// The person blocked the Page or cannot be reached (551 and friends).
    pub blocked: i64,
    pub failed: i64,
    /// Refused as it left the queue (the window closed, they opted out…).
    pub refused: i64,
    pub skipped: i64,
}

/// A recipient as the results list and CSV show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecipientResult {
    pub psid: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub path: RecipientPath,
    pub rule: String,
    pub state: RecipientState,
    pub final_rule: Option<String>,
    pub status: Option<crate::OutboxStatus>,
    pub error: Option<String>,
    pub error_code: Option<i64>,
}

#[async_trait]
pub trait BroadcastStore: Send + Sync {
    async fn marketing_setup(&self, page_id: &str) -> Result<MarketingSetup>;
    async fn set_marketing_setup(&self, setup: &MarketingSetup, at: Time) -> Result<()>;

    async fn audiences(&self, page_id: &str) -> Result<Vec<Audience>>;
    async fn audience(&self, id: i64) -> Result<Option<Audience>>;
    /// Creates or replaces the audience named `name`; returns its id.
    async fn save_audience(
        &self,
        page_id: &str,
        name: &str,
        segment: &str,
        at: Time,
    ) -> Result<i64>;
    async fn delete_audience(&self, id: i64) -> Result<bool>;

    /// Up to `limit` of the page's contacts (not erased) after `after` in PSID order: a
    /// keyset page, so a million contacts are read in steady steps.
    async fn audience_rows(
        &self,
        page_id: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<AudienceRow>>;
    /// Every (PSID, label) of the page.
    async fn page_labels(&self, page_id: &str) -> Result<Vec<(String, String)>>;
    async fn page_notification_tokens(
        &self,
        page_id: &str,
    ) -> Result<Vec<ContactNotificationToken>>;
    async fn page_one_time_tokens(&self, page_id: &str) -> Result<Vec<ContactOneTimeToken>>;
    /// The PSIDs with an appointment booked from `from` on.
    async fn psids_with_bookings(&self, page_id: &str, from: Time) -> Result<Vec<String>>;

    async fn create_broadcast(&self, b: &NewBroadcast) -> Result<i64>;
    /// Writes recipient rows in batches, committing every few thousand.
    async fn add_recipients(&self, broadcast_id: i64, recipients: &[NewRecipient]) -> Result<()>;
    async fn broadcasts(&self, page_id: &str) -> Result<Vec<BroadcastRow>>;
    async fn broadcast(&self, id: i64) -> Result<Option<BroadcastRow>>;
    /// Broadcasts to look at: scheduled or sending, and paused ones due to resume by `now`.
    async fn active_broadcasts(&self, now: Time) -> Result<Vec<BroadcastRow>>;
    /// Moves the broadcast to `status`; `from` lists the statuses it may leave (none: any).
    /// Returns whether it moved.
    async fn set_broadcast_status(
        &self,
        id: i64,
        from: &[BroadcastStatus],
        status: BroadcastStatus,
        reason: Option<&str>,
        resume_at: Option<Time>,
        at: Time,
    ) -> Result<bool>;
    async fn set_campaign(&self, id: i64, campaign_id: &str) -> Result<()>;

    /// Planned recipients due by `now`, earliest first.
    async fn due_recipients(
        &self,
        broadcast_id: i64,
        now: Time,
        limit: i64,
    ) -> Result<Vec<RecipientRow>>;
    /// The next time a planned recipient is due, if any.
    async fn next_due(&self, broadcast_id: i64) -> Result<Option<Time>>;
    /// Claims each recipient, writes its audit entry and, if allowed, its outbox rows, in one
    /// transaction. Returns how many were queued.
    async fn release(&self, broadcast_id: i64, releases: &[Release]) -> Result<usize>;
    async fn tally(&self, broadcast_id: i64) -> Result<Tally>;
    /// The broadcast's sends Meta answered: (answered, blocked, failed including blocked).
    /// Cheaper than [`BroadcastStore::tally`]: it reads the broadcast's outbox rows only.
    async fn send_rates(&self, broadcast_id: i64) -> Result<(i64, i64, i64)>;
    /// Skip reasons (or refusal rules) with their counts.
    async fn reasons(&self, broadcast_id: i64) -> Result<Vec<(String, i64)>>;
    /// Recipients after `after` (PSID order), only skipped/refused ones when `problems`.
    async fn recipient_results(
        &self,
        broadcast_id: i64,
        problems: bool,
        after: &str,
        limit: i64,
    ) -> Result<Vec<RecipientResult>>;

    /// What customers gave the page themselves, as (PSID, value): flow answers and lead-form
    /// fields, and the payloads of phone and e-mail quick replies.
    async fn given_contact_details(&self, page_id: &str) -> Result<Vec<(String, String)>>;
    /// When the page's latest event of `kind` happened (Meta's time).
    async fn last_event_of_kind(&self, page_id: &str, kind: &str) -> Result<Option<Time>>;
    /// Meta said the person stopped marketing messages (error 2300034).
    async fn stop_marketing(&self, page_id: &str, token: &str, at: Time) -> Result<()>;
    /// Records an opt-in request; `false` if one with this title went to them in the last week.
    async fn record_optin_request(
        &self,
        page_id: &str,
        psid: &str,
        title: &str,
        at: Time,
    ) -> Result<bool>;
    /// Subscribers Meta listed who came without an opt-in webhook (ads): kept as tokens.
    async fn sync_subscription(
        &self,
        page_id: &str,
        psid: &str,
        token: &str,
        time_zone: Option<&str>,
        region: Option<&str>,
        at: Time,
    ) -> Result<bool>;
}
