//! SQLite in WAL mode, the zero-setup default.

use std::str::FromStr;
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

/// SQLite has one writer at a time, so a claim (one UPDATE in a `BEGIN IMMEDIATE` transaction)
/// has nothing to skip.
const SKIP_LOCKED: &str = "";

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
            .busy_timeout(std::time::Duration::from_secs(10))
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

    /// Taken by every write: `begin_write`, `begin_ingest` and `sql_store!`'s `write_*` helpers.
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
