//! Persistence for Fenestra: one [`Store`] API, two implementations.
//!
//! * SQLite in WAL mode (the default, `sqlite://fenestra.db`): one file, zero setup.
//! * PostgreSQL (`postgres://…`): several `fenestra serve` processes share one database; queue
//!   rows are claimed with `FOR UPDATE SKIP LOCKED`.
//!
//! Both run the same SQL (see `sql_store!`); only the migrations, the string aggregate, the text
//! search and the claims' lock clause differ. Times are [`Time`]s (UTC milliseconds since the
//! Unix epoch); closed sets of values are enums ([`kinds`]). Every write that normalizes a
//! webhook event is an idempotent upsert, so a duplicated or replayed event changes nothing
//! twice and events applied out of order converge to the same state.
//!
//! With the `testing` feature, [`testing`] makes throwaway databases for tests and benchmarks.

mod accounts;
mod analytics;
mod automations;
mod batch;
mod broadcasts;
mod comments;
pub mod coordination;
mod flows;
pub mod histogram;
pub mod kinds;
mod model;
mod outbox;
mod postgres;
pub mod search;
mod sql;
mod sql_accounts;
mod sql_analytics;
mod sql_automations;
mod sql_broadcasts;
mod sql_comments;
mod sql_coordination;
mod sql_flows;
mod sql_outbox;
mod sql_team;
mod sqlite;
mod team;
#[cfg(feature = "testing")]
pub mod testing;
mod time;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

pub use accounts::*;
pub use analytics::*;
pub use automations::*;
pub use batch::apply_cost;
pub use broadcasts::*;
pub use comments::*;
pub use coordination::{CoordinationStore, Subscription};
pub use flows::*;
pub use kinds::*;
pub use model::*;
pub use outbox::*;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use team::*;
pub use time::Time;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{0}` is not understood: use sqlite://PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    #[error("cannot open the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Unsupported(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[async_trait]
pub trait Store:
    OutboxStore
    + AccountStore
    + TeamStore
    + AutomationStore
    + FlowStore
    + BroadcastStore
    + CommentStore
    + AnalyticsStore
    + CoordinationStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Stores raw webhook bodies in one transaction, durably, and returns their ids in order.
    async fn enqueue_webhooks(&self, bodies: &[IncomingBody]) -> Result<Vec<i64>>;

    /// Claims up to `limit` pending bodies (oldest first) for `lease_ms`. Bodies whose lease
    /// ran out (their worker died) are claimed again. Safe with several processes.
    async fn claim_webhooks(
        &self,
        worker: &str,
        limit: i64,
        now: Time,
        lease: Duration,
    ) -> Result<Vec<InboxRow>>;

    /// Applies the normalized events of several bodies and marks them processed, in one
    /// transaction (one disk sync for the batch).
    async fn complete_webhooks(&self, batch: &[ProcessedBody], now: Time) -> Result<Applied>;

    /// [`Store::complete_webhooks`] for one body.
    async fn complete_webhook(
        &self,
        inbox_id: i64,
        events: &[NormalizedEvent],
        now: Time,
    ) -> Result<Applied> {
        self.complete_webhooks(
            &[ProcessedBody {
                inbox_id,
                events: events.to_vec(),
            }],
            now,
        )
        .await
    }

    /// Marks a body that cannot be processed, keeping it and the reason.
    async fn quarantine_webhook(&self, inbox_id: i64, reason: &str, now: Time) -> Result<()>;

    /// Puts stored bodies back in the queue (`fenestra replay`); returns how many.
    async fn requeue_webhooks(&self, which: Requeue) -> Result<u64>;

    /// For `/metrics` and `/healthz`: no count of processed bodies, which grows with retention.
    async fn queue_depth(&self) -> Result<QueueDepth>;
    async fn queue_stats(&self) -> Result<QueueStats>;
    async fn inbox_row(&self, inbox_id: i64) -> Result<Option<InboxInfo>>;

    async fn upsert_page(&self, page: &Page) -> Result<()>;
    async fn pages(&self) -> Result<Vec<Page>>;
    async fn page(&self, id: &str) -> Result<Option<Page>>;
    /// When the latest event from the page happened (any kind): webhooks from it arrive.
    async fn last_event_at(&self, page_id: &str) -> Result<Option<Time>>;
    /// Returns false if the page is not known.
    async fn set_page_settings(&self, id: &str, settings: &PageSettings) -> Result<bool>;

    async fn contact(&self, page_id: &str, psid: &str) -> Result<Option<Contact>>;
    async fn conversation(&self, page_id: &str, psid: &str) -> Result<Option<Conversation>>;
    /// The thread in time order (then by mid, so equal timestamps are stable).
    async fn messages(&self, page_id: &str, psid: &str) -> Result<Vec<StoredMessage>>;
    /// The customer's interactions (window-opening or not), in time order.
    async fn interactions(&self, page_id: &str, psid: &str) -> Result<Vec<Interaction>>;
    async fn one_time_tokens(&self, page_id: &str, psid: &str) -> Result<Vec<OneTimeToken>>;
    async fn notification_tokens(
        &self,
        page_id: &str,
        psid: &str,
    ) -> Result<Vec<NotificationToken>>;
    async fn comments(&self, page_id: &str, psid: &str) -> Result<Vec<Comment>>;

    /// Records the customer's opt-out at `at`, or its end (`None`); false if no such contact.
    async fn set_opted_out(&self, page_id: &str, psid: &str, at: Option<Time>) -> Result<bool>;
    /// Pauses automations for the customer, or resumes them (`None`); false if no such contact.
    async fn set_pause(&self, page_id: &str, psid: &str, pause: Option<Pause>) -> Result<bool>;
    /// Applies what Fenestra learnt about the thread itself (a take-over it made, Meta's
    /// 10/2018300), as webhook events do, at Meta's time `at`.
    async fn record_thread_fact(
        &self,
        page_id: &str,
        psid: &str,
        fact: &ThreadFact,
        at: Time,
    ) -> Result<()>;

    /// Deletes processed webhook bodies processed before `before` (quarantined and pending ones
    /// stay); returns how many.
    async fn prune_webhooks(&self, before: Time) -> Result<u64>;
    /// A consistent copy of the database at `path`, while it runs (SQLite's `VACUUM INTO`).
    /// PostgreSQL answers [`StoreError::Unsupported`] with the `pg_dump` recipe.
    async fn backup_to(&self, path: &std::path::Path) -> Result<()>;

    /// Every event of a customer, oldest first (for the export).
    async fn events_for(&self, page_id: &str, psid: &str) -> Result<Vec<StoredEvent>>;
    /// Erases a customer's personal data in one transaction: texts, profile, tokens, notes and
    /// the raw webhook bodies go; rows stay, their content replaced by a tombstone, so counts
    /// (and analytics) stay right.
    async fn erase_customer(&self, page_id: &str, psid: &str, now: Time) -> Result<Erased>;
    /// Customers of the page whose conversation has been idle since before `before`, not yet
    /// erased (at most `limit`).
    async fn idle_customers(&self, page_id: &str, before: Time, limit: i64) -> Result<Vec<String>>;
    async fn log_admin(&self, entry: &AdminLogEntry) -> Result<()>;
    async fn admin_log(&self, limit: i64) -> Result<Vec<AdminLogEntry>>;

    /// A copy of a customer's picture (`picture`) or attachment.
    async fn media(&self, page_id: &str, psid: &str, key: &str) -> Result<Option<Media>>;
    /// The keys of the copies held for a customer.
    async fn media_keys(&self, page_id: &str, psid: &str) -> Result<Vec<String>>;
    async fn save_media(&self, page_id: &str, psid: &str, key: &str, media: &Media) -> Result<()>;
    /// Customers' messages whose attachments are not copied yet, oldest first.
    async fn media_pending(&self, limit: i64) -> Result<Vec<PendingMedia>>;
    /// The message's attachments were copied (or could not be).
    async fn media_done(&self, message_id: i64) -> Result<()>;

    /// The secret named `name`, created with `value` if there is none yet (first start);
    /// returns the one kept, so concurrent first starts agree.
    async fn secret_or_insert(&self, name: &str, value: &str, now: Time) -> Result<String>;
    /// A device's Web Push subscription for `user_id` (replacing one with the same endpoint).
    async fn save_push_subscription(
        &self,
        user_id: i64,
        endpoint: &str,
        subscription: &str,
        now: Time,
    ) -> Result<()>;
    async fn delete_push_subscription(&self, endpoint: &str) -> Result<bool>;
    /// Every enabled user's subscriptions.
    async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>>;
    async fn push_failed(&self, endpoint: &str, error: &str) -> Result<()>;
    /// Customers' messages not yet announced by Web Push, oldest first.
    async fn push_pending(&self, limit: i64) -> Result<Vec<PendingPush>>;
    async fn push_done(&self, message_ids: &[i64]) -> Result<()>;

    /// Folds the message texts and customer names written before search folding existed (see
    /// [`search`]); `connect` runs it, so it usually finds nothing. Returns the rows folded.
    async fn fold_for_search(&self) -> Result<u64>;

    /// Refreshes the query planner's statistics (SQLite `PRAGMA optimize`, PostgreSQL
    /// `ANALYZE`): after a bulk import, and hourly, so plans follow the data's growth.
    async fn optimize(&self) -> Result<()>;

    /// Closes the pool; later calls fail (used to test "database unavailable").
    async fn close(&self);
}

/// Opens (creating if needed) and migrates the database named by `url`.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = if url.starts_with("sqlite:") {
        Arc::new(SqliteStore::connect(url).await?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Arc::new(PgStore::connect(url).await?)
    } else {
        return Err(StoreError::BadUrl(url.to_owned()));
    };
    let folded = store.fold_for_search().await?;
    if folded > 0 {
        tracing::info!(folded, "folded existing texts and names for search");
    }
    Ok(store)
}
