//! SQLite in WAL mode, the zero-setup default.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::Connection;
use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

use crate::StoreError;
use crate::sql::WriteTx;

pub struct SqliteStore {
    /// Reads: `synchronous=NORMAL`.
    pool: SqlitePool,
    /// Every write but storing webhooks (processing, automations, people's edits), on one
    /// connection: `synchronous=NORMAL`, as what it writes is derived from the stored bodies (if a
    /// power cut loses a commit, those bodies are processed again). One connection, because a
    /// connection drops its whole page cache whenever another one has written: spread over a
    /// pool, each write transaction started cold and read its indexes back from the file.
    writer: SqlitePool,
    /// Storing webhook bodies: `synchronous=FULL`, so an acknowledged body survives a power cut.
    ingest: SqlitePool,
    /// SQLite has one writer. Writers take turns here, woken in order, instead of meeting
    /// SQLITE_BUSY and sleeping in SQLite's busy handler (up to 100 ms a try), which made the
    /// webhook 200s wait behind processing. Urgent writers go first.
    turn: Arc<Turn>,
    /// The task copying the WAL into the database file (see [`checkpoints`]).
    checkpoints: tokio::task::AbortHandle,
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.checkpoints.abort();
    }
}

/// The write turn, with a priority. Urgent writers (storing webhooks: Meta waits for the 200;
/// the delivery worker's claims and results: customers wait for the message) take it in order;
/// every other writer (processing, automations, people's edits) lets the urgent ones waiting
/// go first, for at most [`PATIENCE`], so a flood of webhooks cannot starve processing.
#[derive(Default)]
struct Turn {
    lock: Arc<Mutex<()>>,
    /// Urgent writers waiting for `lock`.
    urgent: AtomicUsize,
    /// Told when the last waiting urgent writer got the turn.
    clear: Notify,
}

/// An urgent writer waiting for the turn, counted while it lives (also if its future is
/// dropped while it waits).
struct Urgent<'a>(&'a Turn);

impl Drop for Urgent<'_> {
    fn drop(&mut self) {
        if self.0.urgent.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.clear.notify_waiters();
        }
    }
}

/// How often the WAL is copied into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Copies the WAL into the database file, off every writer's path. SQLite's automatic
/// checkpoint ran inside the commit that crossed 1,000 pages, so that writer held the write
/// turn (webhooks waited) while it copied and synced the file; a passive checkpoint runs
/// beside the writers.
async fn checkpoints(pool: SqlitePool) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(error = %e, "copying the write-ahead log into the database failed; retrying");
        }
    }
}

/// The writer's page cache, in KiB (negative: SQLite's unit for a size): the indexes that
/// processing walks stay in memory (the default 2 MB held a fraction of them).
const WRITER_CACHE: &str = "-32768";

/// The longest other writers defer to urgent ones.
const PATIENCE: std::time::Duration = std::time::Duration::from_millis(100);

/// Tables smaller than this keep no statistics: see `refresh_statistics`.
const ANALYZED_FROM_ROWS: i64 = 10_000;

/// SQLite has one writer at a time, so a claim (one UPDATE in a `BEGIN IMMEDIATE` transaction)
/// has nothing to skip.
const SKIP_LOCKED: &str = "";

impl SqliteStore {
    pub async fn connect(url: &str) -> crate::Result<Self> {
        prepare_file(url);
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
        // Migrations on a connection of their own, and small tables' statistics forgotten: the
        // pools' connections open afterwards and load what is left (see `refresh_statistics`).
        let mut setup = SqliteConnection::connect_with(&options)
            .await
            .map_err(connect_err)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&mut setup)
            .await?;
        forget_small_statistics(&mut setup).await?;
        setup.close().await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone().synchronous(SqliteSynchronous::Normal))
            .await
            .map_err(connect_err)?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .synchronous(SqliteSynchronous::Normal)
                    .pragma("cache_size", WRITER_CACHE)
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await
            .map_err(connect_err)?;
        // Neither writer checkpoints: [`checkpoints`] does, beside them.
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
            checkpoints: tokio::spawn(checkpoints(pool.clone())).abort_handle(),
            pool,
            writer,
            ingest,
            turn: Arc::default(),
        })
    }

    /// Taken by every write but the urgent ones: `begin_write` and `sql_store!`'s `write_*`
    /// helpers. Waits while urgent writers do (at most [`PATIENCE`]), then in line.
    async fn write_turn(&self) -> Option<OwnedMutexGuard<()>> {
        let turn = &self.turn;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let clear = turn.clear.notified();
            tokio::pin!(clear);
            // Registered before looking, so a notification in between is not lost.
            clear.as_mut().enable();
            let calm = || {
                turn.urgent.load(Ordering::SeqCst) == 0 || tokio::time::Instant::now() >= deadline
            };
            if calm() {
                let guard = turn.lock.clone().lock_owned().await;
                if calm() {
                    return Some(guard);
                }
                continue; // an urgent writer came while this one queued: after it
            }
            let _ = tokio::time::timeout_at(deadline, clear).await;
        }
    }

    /// Taken by urgent writes: `begin_ingest` and `begin_urgent`.
    async fn urgent_turn(&self) -> OwnedMutexGuard<()> {
        let turn = &self.turn;
        turn.urgent.fetch_add(1, Ordering::SeqCst);
        let _counted = Urgent(turn);
        turn.lock.clone().lock_owned().await
    }

    /// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads then writes
    /// never fails with SQLITE_BUSY halfway.
    async fn begin_write(&self) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = self.write_turn().await;
        Ok(WriteTx {
            tx: self.writer.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    async fn begin_urgent(&self) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = self.urgent_turn().await;
        Ok(WriteTx {
            tx: self.writer.begin_with("BEGIN IMMEDIATE").await?,
            _turn: Some(turn),
        })
    }

    async fn begin_ingest(&self) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = self.urgent_turn().await;
        Ok(WriteTx {
            tx: self.ingest.begin_with("BEGIN IMMEDIATE").await?,
            _turn: Some(turn),
        })
    }

    /// Refreshes the planner's statistics (see `Store::optimize`) of the tables big enough to
    /// keep them. Statistics of a small table misled the planner as it grew: taken when
    /// `messages` held 64 rows, they had it scan the whole table (90,000 rows) to update 50 by
    /// id, an hour long. Without statistics SQLite assumes a big table, and uses the indexes.
    /// Each index is sampled (400 rows), not read whole: an hourly run stays cheap on a big file.
    async fn refresh_statistics(&self) -> crate::Result<()> {
        let tables: Vec<String> = sqlx::query_scalar(
            // Ordinary tables with a rowid: not the search index's (virtual, shadow) nor SQLite's.
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND NOT wr \
             AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(&self.writer)
        .await?;
        let mut conn = self.writer.acquire().await?;
        sqlx::raw_sql("PRAGMA analysis_limit = 400")
            .execute(&mut *conn)
            .await?;
        for table in tables {
            // The largest rowid: a row count, give or take deletions, read in one index step.
            let rows: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT MAX(rowid) FROM \"{table}\""
            )))
            .fetch_one(&mut *conn)
            .await?;
            if rows.unwrap_or(0) >= ANALYZED_FROM_ROWS {
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("ANALYZE \"{table}\"")))
                    .execute(&mut *conn)
                    .await?;
            }
        }
        forget_small_statistics(&mut conn).await
    }

    /// Where writes outside a transaction go (in their turn).
    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    async fn close_pools(&self) {
        self.ingest.close().await;
        self.writer.close().await;
        self.pool.close().await;
    }

    /// `VACUUM INTO` writes a consistent copy while the database is in use.
    async fn backup_into(&self, path: &std::path::Path) -> crate::Result<()> {
        if path.exists() {
            return Err(StoreError::Unsupported(format!(
                "{} exists: the backup goes to a new file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Unsupported(format!("{} is not a UTF-8 path", path.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        private_file(path);
        Ok(())
    }
}

/// Deletes the statistics of tables under [`ANALYZED_FROM_ROWS`] rows (the first number of
/// `stat`), such as an earlier version's taken of a new, near-empty database.
async fn forget_small_statistics(conn: &mut SqliteConnection) -> crate::Result<()> {
    let kept: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'")
            .fetch_optional(&mut *conn)
            .await?;
    if kept.is_some() {
        sqlx::query("DELETE FROM sqlite_stat1 WHERE CAST(stat AS INTEGER) < $1")
            .bind(ANALYZED_FROM_ROWS)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Page tokens and password hashes live in the database: only its owner may read it.
#[cfg(unix)]
fn private_file(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        tracing::warn!(path = %path.display(), error = %e, "could not make the database file private");
    }
}

#[cfg(not(unix))]
fn private_file(_: &std::path::Path) {}

/// Creates the database file readable and writable by its owner only (SQLite gives its `-wal`
/// and `-shm` files the same permissions), and makes an existing one so.
fn prepare_file(url: &str) {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|p| p.split('?').next().unwrap_or(p))
        .filter(|p| !p.is_empty() && !p.starts_with(':'))
    else {
        return;
    };
    let path = std::path::Path::new(path);
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        if let Err(e) = options.open(path) {
            tracing::debug!(path = %path.display(), error = %e, "SQLite will create the database file");
        }
    }
    private_file(path);
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!(
            "{}{suffix}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        ));
        if side.exists() {
            private_file(&side);
        }
    }
}

crate::sql::sql_store!(SqliteStore, Sqlite, "sqlite");
crate::sql_outbox::sql_outbox!(SqliteStore, Sqlite);
crate::sql_accounts::sql_accounts!(SqliteStore, Sqlite);
crate::sql_team::sql_team!(SqliteStore, Sqlite);
crate::sql_automations::sql_automations!(SqliteStore, Sqlite);
crate::sql_flows::sql_flows!(SqliteStore, Sqlite);
crate::sql_broadcasts::sql_broadcasts!(SqliteStore, Sqlite);
crate::sql_comments::sql_comments!(SqliteStore, Sqlite);
crate::sql_analytics::sql_analytics!(SqliteStore, Sqlite);
crate::sql_coordination::sql_coordination!(SqliteStore, Sqlite);

/// The clock rates are kept by, in microseconds (SQLite's has milliseconds).
const NOW_US: &str = "CAST(unixepoch('subsec') * 1000000 AS BIGINT)";

impl SqliteStore {
    /// One process serves a SQLite file: there is nobody to tell.
    async fn publish_payload(&self, _payload: &str) -> crate::Result<()> {
        Ok(())
    }

    async fn listen(&self) -> crate::Result<Option<crate::coordination::Subscription>> {
        Ok(None)
    }
}

/// `table` read through its partial `index`, whatever the planner's statistics say: a snapshot
/// taken while every row of a queue was pending had it scan the whole table for a few rows.
fn through(table: &str, index: &str) -> String {
    format!("{table} INDEXED BY {index}")
}

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
