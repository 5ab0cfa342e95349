//! Each Page's automations document, its versions, and the state of its Messenger profile at
//! Meta. The store keeps the document as JSON text and does not read it (the `automations`
//! crate does): applying is one transaction that writes the new version and its history row,
//! so the history is the audit of who changed what, when.

use async_trait::async_trait;
use serde::Serialize;

use crate::{Result, Time};

/// The document in force for a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredAutomations {
    pub page_id: String,
    pub version: i64,
    /// JSON.
    pub document: String,
    pub updated_at: Time,
    pub updated_by: String,
    /// The version whose Messenger profile Meta has; `None`: never pushed.
    pub profile_version: Option<i64>,
    pub profile_synced_at: Option<Time>,
    /// Meta's refusal of the latest push, until a push works.
    pub profile_error: Option<String>,
    pub profile_error_at: Option<Time>,
}

impl StoredAutomations {
    /// Meta does not have this version's Messenger profile yet.
    pub fn profile_pending(&self) -> bool {
        self.profile_version != Some(self.version)
    }
}

/// One applied version (the audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AutomationVersion {
    pub version: i64,
    pub applied_at: Time,
    pub applied_by: String,
}

/// A customer's answer to the closing rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Rating {
    pub psid: String,
    pub rating: i64,
    pub at: Time,
}

#[async_trait]
pub trait AutomationStore: Send + Sync {
    async fn automations(&self, page_id: &str) -> Result<Option<StoredAutomations>>;
    /// Makes `document` the page's automations and records the version; returns its number.
    async fn apply_automations(
        &self,
        page_id: &str,
        document: &str,
        by: &str,
        at: Time,
    ) -> Result<i64>;
    /// The versions applied, newest first.
    async fn automation_versions(
        &self,
        page_id: &str,
        limit: i64,
    ) -> Result<Vec<AutomationVersion>>;
    /// Pages whose Messenger profile Meta does not have yet (or has refused).
    async fn profiles_to_push(&self) -> Result<Vec<StoredAutomations>>;
    /// Meta took version `version`'s profile (`error` is `None`) or refused it.
    async fn profile_pushed(
        &self,
        page_id: &str,
        version: i64,
        error: Option<&str>,
        at: Time,
    ) -> Result<()>;
    /// Keeps a customer's rating (the same answer twice is kept once).
    async fn record_rating(
        &self,
        page_id: &str,
        psid: &str,
        mid: &str,
        rating: u8,
        at: Time,
    ) -> Result<()>;
    /// The page's ratings since `since`, oldest first.
    async fn ratings(&self, page_id: &str, since: Time) -> Result<Vec<Rating>>;
    /// When the outbox last queued a message to the customer from an actor matching
    /// `actor_like` (an SQL `LIKE` pattern: `automation:away`, `agent:%`).
    async fn last_sent_by(
        &self,
        page_id: &str,
        psid: &str,
        actor_like: &str,
    ) -> Result<Option<Time>>;
}
