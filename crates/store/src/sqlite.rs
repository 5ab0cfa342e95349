//! SQLite in WAL mode, the zero-setup default.

use std::str::FromStr;
use std::time::Duration;

use std::sync::Arc;

use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::StoreError;
use crate::sql::WriteTx;

pub struct SqliteStore {
    /// Processing, reads and everything else: `synchronous=NORMAL`. What it writes is derived
    /// from the stored bodies; if a power cut loses a commit, those bodies are processed again.
    pool: SqlitePool,
    /// Storing webhook bodies: `synchronous=FULL`, so an acknowledged body survives a power cut.
    ingest: SqlitePool,
    /// SQLite has one writer. Writers take turns here, woken in order, instead of meeting
    /// SQLITE_BUSY and sleeping in SQLite's busy handler (up to 100 ms a try), which made the
    /// webhook 200s wait behind processing.
    turn: Arc<Mutex<()>>,
}

/// SQLite has one writer at a time, so there is nothing to skip: the claim is one UPDATE in a
/// `BEGIN IMMEDIATE` transaction.
const CLAIM_SQL: &str = "UPDATE webhook_inbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM webhook_inbox WHERE status = 'pending' \
                  AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4) \
     RETURNING id, received_at, body, attempts";

/// Due sends, oldest first, one per recipient (none while an earlier one to them is unfinished),
/// none for a paused page.
const CLAIM_SENDS_SQL: &str = "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2, \
     attempts = attempts + 1, updated_at = $3 \
     WHERE id IN (SELECT o.id FROM outbox o WHERE o.status = 'queued' AND o.next_attempt_at <= $3 \
                  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.page_id = o.page_id AND p.psid = o.psid \
                                  AND p.id < o.id AND p.status IN ('queued', 'sending', 'unknown')) \
                  AND NOT EXISTS (SELECT 1 FROM pages g WHERE g.id = o.page_id AND g.paused_reason IS NOT NULL) \
                  ORDER BY o.id LIMIT $4) \
     RETURNING id, page_id, psid, actor, kind, request, status, attempts, next_attempt_at, mid, sent_at, error, \
               error_code, error_subcode, created_at, updated_at";

impl SqliteStore {
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let connect_err = |source| StoreError::Connect {
            url: url.to_owned(),
            source,
        };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(connect_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Normal))
            .await
            .map_err(connect_err)?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        // Checkpoints copy the WAL into the database file: leave them to the processing
        // connections, off the webhook's critical path.
        let ingest = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                options
                    .synchronous(SqliteSynchronous::Full)
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await
            .map_err(connect_err)?;
        Ok(SqliteStore {
            pool,
            ingest,
            turn: Arc::new(Mutex::new(())),
        })
    }

    async fn write_turn(&self) -> Option<OwnedMutexGuard<()>> {
        Some(self.turn.clone().lock_owned().await)
    }

    /// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads then writes
    /// never fails with SQLITE_BUSY halfway.
    async fn begin_write(&self) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = self.write_turn().await;
        Ok(WriteTx {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    async fn begin_ingest(&self) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = self.write_turn().await;
        Ok(WriteTx {
            tx: self.ingest.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    async fn close_pools(&self) {
        self.ingest.close().await;
        self.pool.close().await;
    }
}

crate::sql::sql_store!(SqliteStore, Sqlite, "sqlite");
crate::sql_outbox::sql_outbox!(SqliteStore, Sqlite);
crate::sql_accounts::sql_accounts!(SqliteStore, Sqlite);
crate::sql_team::sql_team!(SqliteStore, Sqlite);

/// A conversation's labels in one column, comma-separated.
const LABELS_AGG: &str = "group_concat(l.label, ',')";

/// Conversations with a message containing the bound FTS5 phrase (see `search_text_term`).
const SEARCH_TEXT_SQL: &str = "SELECT m.page_id, m.psid FROM messages_search s JOIN messages m ON m.id = s.rowid \
     WHERE messages_search MATCH ";

/// The text as one FTS5 phrase: the trigram index then matches it as a substring, quotes and
/// LIKE's wildcards included.
fn search_text_term(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}
