//! PostgreSQL, for several `fenestra serve` processes on one database.

use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::StoreError;
use crate::sql::WriteTx;

pub struct PgStore {
    pool: PgPool,
}

/// `SKIP LOCKED` lets several processes claim different rows at once without waiting on each other.
const SKIP_LOCKED: &str = "FOR UPDATE SKIP LOCKED";

impl PgStore {
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let connect_error = |source| StoreError::Connect {
            url: redact(url),
            source,
        };
        // JIT compilation pays off for long analytical queries, not for Fenestra's: on a large
        // store it spent 0.5 s compiling a 50 ms analytics query.
        let options = url
            .parse::<PgConnectOptions>()
            .map_err(connect_error)?
            .options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// PostgreSQL has row locks; writers need no turn.
    async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        None
    }

    async fn begin_write(&self) -> Result<WriteTx<Postgres>, sqlx::Error> {
        Ok(WriteTx {
            tx: self.pool.begin().await?,
            _turn: None,
        })
    }

    async fn begin_ingest(&self) -> Result<WriteTx<Postgres>, sqlx::Error> {
        self.begin_write().await
    }

    /// Row locks: nobody needs to go first.
    async fn begin_urgent(&self) -> Result<WriteTx<Postgres>, sqlx::Error> {
        self.begin_write().await
    }

    /// Refreshes the planner's statistics (see `Store::optimize`).
    async fn refresh_statistics(&self) -> crate::Result<()> {
        sqlx::raw_sql("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    /// Where writes outside a transaction go.
    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn close_pools(&self) {
        self.pool.close().await;
    }

    async fn backup_into(&self, path: &std::path::Path) -> crate::Result<()> {
        Err(StoreError::Unsupported(format!(
            "PostgreSQL is backed up with its own tools, consistently while Fenestra runs: \
             pg_dump --format=custom --file={} DATABASE_URL (restore: pg_restore --clean --dbname=DATABASE_URL {})",
            path.display(),
            path.display()
        )))
    }
}

/// Drops the password from a URL before it goes into an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

crate::sql::sql_store!(PgStore, Postgres, "postgres");
crate::sql_outbox::sql_outbox!(PgStore, Postgres);
crate::sql_accounts::sql_accounts!(PgStore, Postgres);
crate::sql_team::sql_team!(PgStore, Postgres);
crate::sql_automations::sql_automations!(PgStore, Postgres);
crate::sql_flows::sql_flows!(PgStore, Postgres);
crate::sql_broadcasts::sql_broadcasts!(PgStore, Postgres);
crate::sql_comments::sql_comments!(PgStore, Postgres);
crate::sql_analytics::sql_analytics!(PgStore, Postgres);
crate::sql_coordination::sql_coordination!(PgStore, Postgres);

/// The clock rates are kept by, in microseconds: the database's, the same for every instance.
const NOW_US: &str = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

impl PgStore {
    async fn publish_payload(&self, payload: &str) -> crate::Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::coordination::CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A connection of its own (not from the pool), listening on the channel.
    async fn listen(&self) -> crate::Result<Option<crate::coordination::Subscription>> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool).await?;
        listener.listen(crate::coordination::CHANNEL).await?;
        Ok(Some(crate::coordination::Subscription { listener }))
    }
}

/// `table`: PostgreSQL's statistics keep up (autovacuum), and it has no index hints.
fn through(table: &str, _index: &str) -> String {
    table.to_owned()
}

/// A conversation's labels in one column, comma-separated.
const LABELS_AGG: &str = "string_agg(l.label, ',')";

/// Conversations with a message containing the bound pattern (the trigram index serves it).
const SEARCH_TEXT_SQL: &str = "SELECT m.page_id, m.psid FROM messages m WHERE m.search_text LIKE ";

/// `%text%`, LIKE's wildcards escaped with PostgreSQL's default escape, the backslash.
fn search_text_term(text: &str) -> String {
    crate::sql::contains_pattern(text)
}
