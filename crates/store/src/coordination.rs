//! What processes sharing one database coordinate through it, so that N `fenestra serve`
//! instances behave as one:
//!
//! * **rates** ([`CoordinationStore::take_turn`]): a Page's sends and an address's login
//!   attempts are counted in the database, by the database's clock, so N instances together
//!   never exceed a limit one of them would keep;
//! * **failed logins** per user name, so a guesser gains nothing by spreading attempts over
//!   instances;
//! * **notifications** ([`CoordinationStore::publish`], [`Subscription`]): on PostgreSQL,
//!   `LISTEN/NOTIFY` tells every instance that work arrived or an inbox changed. SQLite serves
//!   one process, which needs no notifications (`subscribe` answers `None`).
//!
//! Rows here are small and bounded: [`CoordinationStore::forget_coordination`] deletes rates
//! idle for an hour and failures older than their window.

use std::time::Duration;

use async_trait::async_trait;

use crate::{Result, Time};

/// The channel every instance listens on.
pub const CHANNEL: &str = "fenestra";

#[async_trait]
pub trait CoordinationStore {
    /// Takes a turn under the rate `key` (one turn every `every`, up to `burst` at once) if one
    /// is free: `None` means go (the turn is taken), `Some(wait)` that none is free for `wait`.
    /// Shared by every process on the database (the generic cell rate algorithm in one row).
    async fn take_turn(&self, key: &str, every: Duration, burst: u32) -> Result<Option<Duration>>;

    /// Failed logins on `name` in a row, the last one after `since`; 0 if none.
    async fn login_failures(&self, name: &str, since: Time) -> Result<u32>;

    /// Counts a failed login on `name`; a count whose last failure is before `since` restarts.
    async fn login_failed(&self, name: &str, now: Time, since: Time) -> Result<()>;

    /// Forgets `name`'s failures (it logged in).
    async fn login_succeeded(&self, name: &str) -> Result<()>;

    /// Deletes failures last seen before `failures_before` and rates idle for an hour.
    async fn forget_coordination(&self, failures_before: Time) -> Result<u64>;

    /// Tells every subscribed process `payload` (PostgreSQL `NOTIFY`; nothing on SQLite).
    async fn publish(&self, payload: &str) -> Result<()>;

    /// Listens for what [`CoordinationStore::publish`] sends; `None` on a backend that serves
    /// one process.
    async fn subscribe(&self) -> Result<Option<Subscription>>;
}

/// A connection listening on [`CHANNEL`].
pub struct Subscription {
    pub(crate) listener: sqlx::postgres::PgListener,
}

impl Subscription {
    /// The next payload. `None` when the connection dropped: notifications sent meanwhile are
    /// lost, so the caller should look for work as if told; the next call reconnects.
    pub async fn recv(&mut self) -> Result<Option<String>> {
        Ok(self
            .listener
            .try_recv()
            .await?
            .map(|n| n.payload().to_owned()))
    }
}
