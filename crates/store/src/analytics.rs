//! What the analytics read: each conversation's messages in the order of Meta's timestamps, with
//! who wrote the Page's (the outbox row an echo settled names the actor).
//!
//! Invariant: times are Meta's (`messages.sent_at` is the webhook's timestamp), never when
//! Fenestra processed the event.

use async_trait::async_trait;

use crate::{Direction, Result, Time};

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

#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// The Page's messages with `from ≤ sent_at < to`, oldest first.
    async fn timeline(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<TimelineRow>>;
}
