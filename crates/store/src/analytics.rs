//! What the analytics read: each conversation's messages in the order of Meta's timestamps, with
//! who wrote the Page's (the outbox row an echo settled names the actor).
//!
//! Invariant: times are Meta's (`messages.sent_at` is the webhook's timestamp), never when
//! Fenestra processed the event.

use async_trait::async_trait;

use crate::{Direction, Result, Time, Verdict};

/// A message, with the actor of Fenestra's sends and the app of other apps' echoes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TimelineRow {
    pub psid: String,
    pub sent_at: Time,
    pub direction: Direction,
    /// `agent:NAME`, `automation:instant_reply`, `broadcast:ID`, … for Fenestra's messages.
    pub actor: Option<String>,
    /// The app that sent an echo (Meta's inbox: `263902037430900`).
    pub app_id: Option<String>,
}

/// Messages of one UTC hour (`hour` = milliseconds since the epoch / 3,600,000).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HourCount {
    pub hour: i64,
    pub direction: Direction,
    pub n: i64,
}

/// Who wrote in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AudienceCounts {
    /// Contacts first seen in the period (conversations started).
    pub new_customers: i64,
    /// Contacts who wrote in the period, first seen before it.
    pub returning_customers: i64,
    /// Contacts who opted out in the period.
    pub opted_out: i64,
    /// Of those who wrote: by Messenger locale (`vi_VN`), and by gender where Meta gives it.
    pub by_locale: Vec<(String, i64)>,
    pub by_gender: Vec<(String, i64)>,
}

/// Decisions of one UTC day (`day` = milliseconds / 86,400,000) by rule and verdict.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleDay {
    pub day: i64,
    pub rule: String,
    pub verdict: Verdict,
    pub n: i64,
    /// Of those, decisions that came with warnings.
    pub warned: i64,
}

/// The closing survey's ratings, by the agent the conversation was assigned to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingSum {
    pub agent: Option<String>,
    pub n: i64,
    pub total: i64,
}

/// A flow's runs started in a period, and what they led to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct FlowFunnel {
    pub flow: String,
    pub started: i64,
    pub finished: i64,
    /// Runs whose customer left an e-mail or phone number after the run started.
    pub leads: i64,
    /// Runs whose customer booked after the run started.
    pub bookings: i64,
}

/// One of Meta's Page insights for one day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct InsightRow {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub metric: String,
    pub value: i64,
}

#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// Keeps what Meta's insights said (a later fetch of the same day replaces it).
    async fn save_insights(&self, page_id: &str, rows: &[InsightRow], at: Time) -> Result<()>;

    /// Insights of the days `from ≤ day < to` (`YYYY-MM-DD`).
    async fn insights(&self, page_id: &str, from: &str, to: &str) -> Result<Vec<InsightRow>>;

    /// Flows by runs started in `[from, to)`.
    async fn flow_funnels(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<FlowFunnel>>;

    /// A broadcast's recipients not skipped, and of those queued, who left contact details or
    /// booked after it started.
    async fn broadcast_conversions(
        &self,
        broadcast_id: i64,
        since: Time,
    ) -> Result<(i64, i64, i64)>;

    /// Messages per UTC hour and direction.
    async fn messages_by_hour(&self, page_id: &str, from: Time, to: Time)
    -> Result<Vec<HourCount>>;

    async fn who_wrote(&self, page_id: &str, from: Time, to: Time) -> Result<AudienceCounts>;

    /// The policy's decisions per UTC day, rule and verdict.
    async fn decisions_by_day(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<RuleDay>>;

    async fn ratings_by_agent(&self, page_id: &str, from: Time, to: Time)
    -> Result<Vec<RatingSum>>;

    /// The Page's messages with `from ≤ sent_at < to`, oldest first.
    async fn timeline(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<TimelineRow>>;
}
