//! PostgreSQL, for several `fenestra serve` processes on one database.

use sqlx::Postgres;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::StoreError;
use crate::sql::WriteTx;

pub struct PgStore {
    pool: PgPool,
}

/// `SKIP LOCKED` lets several processes claim different rows at once without waiting on each other.
const CLAIM_SQL: &str = "UPDATE webhook_inbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM webhook_inbox WHERE status = 'pending' \
                  AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) \
     RETURNING id, received_at, body, attempts";

/// Due sends, oldest first, one per recipient (none while an earlier one to them is unfinished),
/// none for a paused page.
const CLAIM_SENDS_SQL: &str = "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2, \
     attempts = attempts + 1, updated_at = $3 \
     WHERE id IN (SELECT o.id FROM outbox o WHERE o.status = 'queued' AND o.next_attempt_at <= $3 \
                  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.page_id = o.page_id AND p.psid = o.psid \
                                  AND p.id < o.id AND p.status IN ('queued', 'sending', 'unknown')) \
                  AND NOT EXISTS (SELECT 1 FROM pages g WHERE g.id = o.page_id AND g.paused_reason IS NOT NULL) \
                  ORDER BY o.id LIMIT $4 FOR UPDATE OF o SKIP LOCKED) \
     RETURNING id, page_id, psid, actor, kind, request, status, attempts, next_attempt_at, mid, sent_at, error, \
               error_code, error_subcode, created_at, updated_at";

impl PgStore {
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await
            .map_err(|source| StoreError::Connect {
                url: redact(url),
                source,
            })?;
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

    async fn close_pools(&self) {
        self.pool.close().await;
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

/// A conversation's labels in one column, comma-separated.
const LABELS_AGG: &str = "string_agg(l.label, ',')";

/// Conversations with a message containing the bound pattern (the trigram index serves it).
const SEARCH_TEXT_SQL: &str = "SELECT m.page_id, m.psid FROM messages m WHERE m.text ILIKE ";

/// `%text%`, LIKE's wildcards escaped with PostgreSQL's default escape, the backslash.
fn search_text_term(text: &str) -> String {
    contains_pattern(text)
}
