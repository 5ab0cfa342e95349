//! The SQL both backends share. SQLite and PostgreSQL agree on `$N` placeholders, `ON CONFLICT
//! … DO UPDATE`, `RETURNING` and `CASE`, so the statements are written once here. Each backend
//! module supplies `begin_write`, `begin_ingest` and `begin_urgent` (how to start a write
//! transaction: for most writes, for storing bodies, and for the delivery worker, which SQLite
//! lets go first), `write_turn` (taken before writing outside a
//! transaction, by [`sql_store!`]'s `write_*` helpers and nowhere else), `close_pools`,
//! `SKIP_LOCKED` (the claims' lock clause), `LABELS_AGG` and the text search.
//!
//! Rows are read with `sqlx::FromRow`; text columns with a closed set of values decode into
//! the enums of [`crate::kinds`]; times into [`crate::Time`].

/// A write transaction, holding the backend's write turn (SQLite) until it ends.
pub(crate) struct WriteTx<DB: sqlx::Database> {
    pub tx: sqlx::Transaction<'static, DB>,
    pub _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// Pending bodies, oldest first, claimed for a lease; `{lock}` is the backend's lock clause.
pub(crate) fn claim_webhooks_sql(lock: &str) -> String {
    format!(
        "UPDATE webhook_inbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM webhook_inbox WHERE status = 'pending' \
                      AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4 {lock}) \
         RETURNING id, received_at, body, attempts"
    )
}

/// Due sends, oldest first, one per recipient (none while an earlier one to them is
/// unfinished), none for a paused page; `{lock}` is the backend's lock clause on `outbox o`.
pub(crate) fn claim_sends_sql(lock: &str) -> String {
    format!(
        "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2, \
         attempts = attempts + 1, updated_at = $3 \
         WHERE id IN (SELECT o.id FROM outbox o WHERE o.status = 'queued' AND o.next_attempt_at <= $3 \
                      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.page_id = o.page_id AND p.psid = o.psid \
                                      AND p.id < o.id AND p.status IN ('queued', 'sending', 'unknown')) \
                      AND NOT EXISTS (SELECT 1 FROM pages g WHERE g.id = o.page_id AND g.paused_reason IS NOT NULL) \
                      ORDER BY o.id LIMIT $4 {lock}) \
         RETURNING {OUTBOX_COLUMNS}"
    )
}

pub(crate) const OUTBOX_COLUMNS: &str = "id, page_id, psid, actor, kind, request, status, attempts, \
    next_attempt_at, mid, sent_at, error, error_code, error_subcode, created_at, updated_at";

pub(crate) const PAGE_COLUMNS: &str = "id, name, access_token, restricted, restriction_reason, \
    human_agent_approved, utility_messaging, allowed_domains, paused_reason, \
    default_app, retention_days";

pub(crate) const CONTACT_COLUMNS: &str = "page_id, psid, first_seen_at, last_interaction_at, source_kind, \
    source_ref, latest_source_kind, latest_source_ref, unreachable, opted_out, opted_out_at, first_name, last_name, profile_pic, locale, timezone, gender, \
    profile_fetched_at, window_closed_at, thread_owner, thread_owner_until, paused_at, paused_until, paused_reason, \
    erased_at";

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.username, u.password_hash, u.role, u.disabled, u.created_at, u.language, u.time_zone";

/// `%text%` for LIKE, with LIKE's own wildcards taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Implements [`crate::Store`] for `$store` over `$db`, and the `write_*` helpers every other
/// SQL macro uses for single statements outside a transaction.
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:literal) => {
        use std::sync::LazyLock;
        use std::time::Duration;

        use async_trait::async_trait;
        use sqlx::Transaction;
        use tracing::instrument;

        use $crate::kinds::*;
        use $crate::model::*;
        use $crate::sql::*;
        use $crate::batch::{ConversationRow, MessageRow};
        use $crate::{Result, Store, Time};

        type Args = <$db as sqlx::Database>::Arguments;

        impl $store {
            /// One writing statement outside a transaction, in the backend's write turn;
            /// returns the rows it changed.
            async fn write(&self, q: sqlx::query::Query<'_, $db, Args>) -> Result<u64, sqlx::Error> {
                let _turn = self.write_turn().await;
                Ok(q.execute(self.writer()).await?.rows_affected())
            }

            /// A writing statement that returns one value (`RETURNING id`), if any.
            async fn write_returning<O>(
                &self,
                q: sqlx::query::QueryScalar<'_, $db, O, Args>,
            ) -> Result<Option<O>, sqlx::Error>
            where
                O: Send + Unpin,
                (O,): for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row>,
            {
                let _turn = self.write_turn().await;
                q.fetch_optional(self.writer()).await
            }
        }

        static CLAIM_WEBHOOKS: LazyLock<String> = LazyLock::new(|| claim_webhooks_sql(SKIP_LOCKED));

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            #[instrument(level = "debug", skip_all, fields(bodies = bodies.len()))]
            async fn enqueue_webhooks(&self, bodies: &[IncomingBody]) -> Result<Vec<i64>> {
                let mut tx = self.begin_ingest().await?;
                let mut ids = Vec::with_capacity(bodies.len());
                for rows in bodies.chunks($crate::batch::ROWS) {
                    let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO webhook_inbox (received_at, body) ");
                    q.push_values(rows, |mut b, body| {
                        b.push_bind(body.received_at).push_bind(&body.body[..]);
                    });
                    q.push(" RETURNING id");
                    let mut more: Vec<i64> = q.build_query_scalar().fetch_all(&mut *tx.tx).await?;
                    // One statement numbers its rows in order; RETURNING need not list them so.
                    more.sort_unstable();
                    ids.extend(more);
                }
                tx.tx.commit().await?;
                Ok(ids)
            }

            #[instrument(level = "debug", skip(self))]
            async fn claim_webhooks(&self, worker: &str, limit: i64, now: Time, lease: Duration) -> Result<Vec<InboxRow>> {
                let mut tx = self.begin_write().await?;
                let mut claimed = sqlx::query_as::<_, InboxRow>(sqlx::AssertSqlSafe(CLAIM_WEBHOOKS.as_str()))
                    .bind(worker)
                    .bind(now + lease)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                claimed.sort_by_key(|r| r.id);
                Ok(claimed)
            }

            #[instrument(level = "debug", skip_all, fields(bodies = batch.len()))]
            async fn complete_webhooks(&self, batch: &[ProcessedBody], now: Time) -> Result<Applied> {
                let events: Vec<(i64, &NormalizedEvent)> =
                    batch.iter().flat_map(|b| b.events.iter().map(|ev| (b.inbox_id, ev))).collect();
                let mut tx = self.begin_write().await?;
                let mut applied = Applied::default();
                let mut counts = $crate::analytics::NewMessages::default();
                // Plain events go in runs, applied table by table; any other event alone, in its
                // place, so that everything is applied in the events' order.
                let mut start = 0;
                for (i, (_, ev)) in events.iter().enumerate() {
                    if !$crate::batch::is_plain(ev) {
                        applied += apply_run(&mut tx.tx, &events[start..i], &mut counts).await?;
                        applied += apply_run(&mut tx.tx, &events[i..=i], &mut counts).await?;
                        start = i + 1;
                    }
                }
                applied += apply_run(&mut tx.tx, &events[start..], &mut counts).await?;
                let ids: Vec<i64> = batch.iter().map(|b| b.inbox_id).collect();
                for ids in ids.chunks($crate::batch::ROWS) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "UPDATE webhook_inbox SET status = 'processed', claimed_by = NULL, claimed_until = NULL, \
                         error = NULL, processed_at = ",
                    );
                    q.push_bind(now).push(" WHERE id IN ");
                    $crate::batch::push_list(&mut q, ids);
                    q.build().execute(&mut *tx.tx).await?;
                }
                count_messages(&mut tx.tx, counts).await?;
                tx.tx.commit().await?;
                Ok(applied)
            }

            #[instrument(level = "debug", skip(self))]
            async fn quarantine_webhook(&self, inbox_id: i64, reason: &str, now: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "UPDATE webhook_inbox SET status = 'quarantined', processed_at = $1, claimed_by = NULL, \
                         claimed_until = NULL, error = $2 WHERE id = $3",
                    )
                    .bind(now)
                    .bind(reason)
                    .bind(inbox_id),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn requeue_webhooks(&self, which: Requeue) -> Result<u64> {
                let filter = match which {
                    Requeue::All => "status <> 'pending'",
                    Requeue::Quarantined => "status = 'quarantined'",
                };
                let sql = format!(
                    "UPDATE webhook_inbox SET status = 'pending', attempts = 0, claimed_by = NULL, \
                     claimed_until = NULL WHERE {filter}"
                );
                Ok(self.write(sqlx::query(sqlx::AssertSqlSafe(sql))).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn queue_depth(&self) -> Result<QueueDepth> {
                // Counts on the (status, id) index alone; the oldest is the first pending id.
                let count = "SELECT COUNT(*) FROM webhook_inbox WHERE status = $1";
                let pending: i64 = sqlx::query_scalar(count).bind(InboxStatus::Pending).fetch_one(&self.pool).await?;
                let quarantined: i64 = sqlx::query_scalar(count).bind(InboxStatus::Quarantined).fetch_one(&self.pool).await?;
                let oldest_pending_at: Option<Time> = sqlx::query_scalar(
                    "SELECT received_at FROM webhook_inbox WHERE status = 'pending' ORDER BY id LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?;
                Ok(QueueDepth { pending, quarantined, oldest_pending_at })
            }

            #[instrument(level = "debug", skip(self))]
            async fn queue_stats(&self) -> Result<QueueStats> {
                let depth = self.queue_depth().await?;
                let processed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_inbox WHERE status = $1")
                    .bind(InboxStatus::Processed)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(QueueStats {
                    pending: depth.pending,
                    processed,
                    quarantined: depth.quarantined,
                    oldest_pending_at: depth.oldest_pending_at,
                })
            }

            #[instrument(level = "debug", skip(self))]
            async fn inbox_row(&self, inbox_id: i64) -> Result<Option<InboxInfo>> {
                Ok(sqlx::query_as("SELECT id, status, attempts, error FROM webhook_inbox WHERE id = $1")
                    .bind(inbox_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip_all, fields(page = %page.id))]
            async fn upsert_page(&self, page: &Page) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO pages (id, name, access_token) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE \
                         SET name = COALESCE(excluded.name, pages.name), \
                             access_token = COALESCE(excluded.access_token, pages.access_token), \
                             paused_reason = CASE WHEN excluded.access_token IS NULL THEN pages.paused_reason END",
                    )
                    .bind(&page.id)
                    .bind(&page.name)
                    .bind(&page.access_token),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn last_event_at(&self, page_id: &str) -> Result<Option<Time>> {
                let at: Option<i64> = sqlx::query_scalar("SELECT MAX(at) FROM events WHERE page_id = $1")
                    .bind(page_id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(at.map(Time::from_ms))
            }

            #[instrument(level = "debug", skip(self))]
            async fn pages(&self) -> Result<Vec<Page>> {
                let sql = format!("SELECT {PAGE_COLUMNS} FROM pages ORDER BY id");
                let rows: Vec<PageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(Page::from).collect())
            }

            #[instrument(level = "debug", skip(self))]
            async fn page(&self, id: &str) -> Result<Option<Page>> {
                let sql = format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = $1");
                let row: Option<PageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                Ok(row.map(Page::from))
            }

            #[instrument(level = "debug", skip(self, settings))]
            async fn set_page_settings(&self, id: &str, settings: &PageSettings) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query(
                            "UPDATE pages SET human_agent_approved = $1, utility_messaging = $2, allowed_domains = $3, \
                             default_app = $4, retention_days = $5 WHERE id = $6",
                        )
                        .bind(settings.human_agent_approved)
                        .bind(settings.utility_messaging)
                        .bind(settings.allowed_domains.join(","))
                        .bind(settings.default_app)
                        .bind(settings.retention_days)
                        .bind(id),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn contact(&self, page_id: &str, psid: &str) -> Result<Option<Contact>> {
                let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE page_id = $1 AND psid = $2");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(page_id)
                    .bind(psid)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn conversation(&self, page_id: &str, psid: &str) -> Result<Option<Conversation>> {
                Ok(sqlx::query_as(
                    "SELECT id, page_id, psid, status, last_activity_at, last_message_at, last_message_text, \
                     unread_count, delivered_watermark, read_watermark FROM conversations WHERE page_id = $1 AND psid = $2",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn messages(&self, page_id: &str, psid: &str) -> Result<Vec<StoredMessage>> {
                Ok(sqlx::query_as(
                    "SELECT mid, direction, text, attachments, quick_reply_payload, reply_to_mid, app_id, metadata, sent_at \
                     FROM messages WHERE page_id = $1 AND psid = $2 ORDER BY sent_at, mid",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn interactions(&self, page_id: &str, psid: &str) -> Result<Vec<Interaction>> {
                Ok(sqlx::query_as(
                    "SELECT interaction, at FROM events WHERE page_id = $1 AND psid = $2 AND interaction IS NOT NULL \
                     ORDER BY at, id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn one_time_tokens(&self, page_id: &str, psid: &str) -> Result<Vec<OneTimeToken>> {
                Ok(sqlx::query_as(
                    "SELECT token, topic, issued_at, used_at FROM one_time_tokens WHERE page_id = $1 AND psid = $2 \
                     ORDER BY issued_at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn notification_tokens(&self, page_id: &str, psid: &str) -> Result<Vec<NotificationToken>> {
                Ok(sqlx::query_as(
                    "SELECT token, topic, frequency, issued_at, expires_at, status, last_sent_at, time_zone, region, \
                     marketing_stopped_at, last_marketing_at FROM notification_tokens \
                     WHERE page_id = $1 AND psid = $2 ORDER BY issued_at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn comments(&self, page_id: &str, psid: &str) -> Result<Vec<Comment>> {
                Ok(sqlx::query_as(
                    "SELECT comment_id, post_id, text, at, private_reply_sent FROM comments WHERE page_id = $1 \
                     AND (author_id = $2 OR psid = $2) AND NOT by_page \
                     ORDER BY at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_opted_out(&self, page_id: &str, psid: &str, at: Option<Time>) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query("UPDATE contacts SET opted_out = $1, opted_out_at = $2 WHERE page_id = $3 AND psid = $4")
                            .bind(at.is_some())
                            .bind(at)
                            .bind(page_id)
                            .bind(psid),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_pause(&self, page_id: &str, psid: &str, pause: Option<Pause>) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query(
                            "UPDATE contacts SET paused_at = $1, paused_until = $2, paused_reason = $3 \
                             WHERE page_id = $4 AND psid = $5",
                        )
                        .bind(pause.map(|p| p.since))
                        .bind(pause.and_then(|p| p.until))
                        .bind(pause.map(|p| p.reason))
                        .bind(page_id)
                        .bind(psid),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn record_thread_fact(&self, page_id: &str, psid: &str, fact: &ThreadFact, at: Time) -> Result<()> {
                let mut tx = self.begin_write().await?;
                apply_thread_fact(&mut tx.tx, page_id, psid, fact, at).await?;
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn prune_webhooks(&self, before: Time) -> Result<u64> {
                Ok(self
                    .write(
                        sqlx::query("DELETE FROM webhook_inbox WHERE status = 'processed' AND processed_at < $1")
                            .bind(before),
                    )
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
                self.backup_into(path).await
            }

            #[instrument(level = "debug", skip(self))]
            async fn events_for(&self, page_id: &str, psid: &str) -> Result<Vec<StoredEvent>> {
                Ok(sqlx::query_as(
                    "SELECT kind, at, interaction, summary FROM events WHERE page_id = $1 AND psid = $2 ORDER BY at, id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn erase_customer(&self, page_id: &str, psid: &str, now: Time) -> Result<Erased> {
                const TOMBSTONE: &str = "{\"erased\":true}";
                let mut tx = self.begin_write().await?;
                let mut n = Erased::default();
                let mut run = async |sql: &str, extra: Option<&str>| -> Result<u64> {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).bind(page_id).bind(psid);
                    if let Some(e) = extra {
                        q = q.bind(e.to_owned());
                    }
                    Ok(q.execute(&mut *tx.tx).await?.rows_affected())
                };
                // The raw bodies first, while the events still say which ones held this customer.
                n.webhook_bodies = run(
                    "DELETE FROM webhook_inbox WHERE status = 'processed' AND id IN \
                     (SELECT inbox_id FROM events WHERE page_id = $1 AND psid = $2 AND inbox_id IS NOT NULL)",
                    None,
                )
                .await?;
                n.messages = run(
                    "UPDATE messages SET text = NULL, search_text = NULL, attachments = NULL, quick_reply_payload = NULL, \
                     automation_pending = FALSE, media_pending = FALSE, push_pending = FALSE WHERE page_id = $1 AND psid = $2",
                    None,
                )
                .await?;
                n.events = run("UPDATE events SET summary = NULL, detail = NULL, payload = NULL, automation_pending = FALSE WHERE page_id = $1 AND psid = $2", None).await?;
                n.notes = run("DELETE FROM notes WHERE page_id = $1 AND psid = $2", None).await?;
                n.media = run("DELETE FROM media WHERE page_id = $1 AND psid = $2", None).await?;
                run("DELETE FROM conversation_labels WHERE page_id = $1 AND psid = $2", None).await?;
                run("DELETE FROM contact_fields WHERE page_id = $1 AND psid = $2", None).await?;
                run("DELETE FROM flow_runs WHERE page_id = $1 AND psid = $2", None).await?;
                n.tokens = run("DELETE FROM one_time_tokens WHERE page_id = $1 AND psid = $2", None).await?
                    + run("DELETE FROM notification_tokens WHERE page_id = $1 AND psid = $2", None).await?;
                n.comments = run("UPDATE comments SET text = NULL WHERE page_id = $1 AND psid = $2", None).await?;
                n.decisions = run(
                    "UPDATE audit_log SET message = $3, explanation = '[erased]', decision = $3 \
                     WHERE page_id = $1 AND psid = $2",
                    Some(TOMBSTONE),
                )
                .await?;
                n.sends = run(
                    "UPDATE outbox SET request = $3, error = NULL WHERE page_id = $1 AND psid = $2",
                    Some(TOMBSTONE),
                )
                .await?;
                run("UPDATE conversations SET last_message_text = NULL WHERE page_id = $1 AND psid = $2", None).await?;
                sqlx::query(
                    "UPDATE contacts SET first_name = NULL, last_name = NULL, search_name = NULL, profile_pic = NULL, locale = NULL, \
                     timezone = NULL, gender = NULL, source_ref = NULL, erased_at = $3 WHERE page_id = $1 AND psid = $2",
                )
                .bind(page_id)
                .bind(psid)
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(n)
            }

            #[instrument(level = "debug", skip(self))]
            async fn idle_customers(&self, page_id: &str, before: Time, limit: i64) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT c.psid FROM conversations c JOIN contacts k ON k.page_id = c.page_id AND k.psid = c.psid \
                     WHERE c.page_id = $1 AND c.last_activity_at < $2 AND (k.erased_at IS NULL OR k.erased_at < c.last_activity_at) \
                     ORDER BY c.last_activity_at LIMIT $3",
                )
                .bind(page_id)
                .bind(before)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn media(&self, page_id: &str, psid: &str, key: &str) -> Result<Option<Media>> {
                Ok(sqlx::query_as(
                    "SELECT content_type, bytes, source_url, fetched_at FROM media WHERE page_id = $1 AND psid = $2 AND key = $3",
                )
                .bind(page_id)
                .bind(psid)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn media_keys(&self, page_id: &str, psid: &str) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar("SELECT key FROM media WHERE page_id = $1 AND psid = $2")
                    .bind(page_id)
                    .bind(psid)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, media))]
            async fn save_media(&self, page_id: &str, psid: &str, key: &str, media: &Media) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO media (page_id, psid, key, content_type, bytes, source_url, fetched_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (page_id, psid, key) DO UPDATE SET \
                         content_type = excluded.content_type, bytes = excluded.bytes, \
                         source_url = excluded.source_url, fetched_at = excluded.fetched_at",
                    )
                    .bind(page_id)
                    .bind(psid)
                    .bind(key)
                    .bind(&media.content_type)
                    .bind(&media.bytes)
                    .bind(&media.source_url)
                    .bind(media.fetched_at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn media_pending(&self, limit: i64) -> Result<Vec<PendingMedia>> {
                static SQL: LazyLock<String> = LazyLock::new(|| format!(
                    "SELECT id, page_id, psid, mid, attachments FROM {} \
                     WHERE media_pending AND attachments IS NOT NULL ORDER BY id LIMIT $1",
                    through("messages", "messages_media_pending")
                ));
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn media_done(&self, message_id: i64) -> Result<()> {
                self.write(sqlx::query("UPDATE messages SET media_pending = FALSE WHERE id = $1").bind(message_id))
                    .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self, value))]
            async fn secret_or_insert(&self, name: &str, value: &str, now: Time) -> Result<String> {
                self.write(
                    sqlx::query("INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
                        .bind(name)
                        .bind(value)
                        .bind(now),
                )
                .await?;
                Ok(sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, subscription))]
            async fn save_push_subscription(&self, user_id: i64, endpoint: &str, subscription: &str, now: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO push_subscriptions (endpoint, user_id, subscription, created_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, subscription = excluded.subscription, \
                         created_at = excluded.created_at, last_error = NULL",
                    )
                    .bind(endpoint)
                    .bind(user_id)
                    .bind(subscription)
                    .bind(now),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn delete_push_subscription(&self, endpoint: &str) -> Result<bool> {
                Ok(self
                    .write(sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1").bind(endpoint))
                    .await?
                    == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>> {
                Ok(sqlx::query_as(
                    "SELECT p.endpoint, p.user_id, u.username, u.language, p.subscription FROM push_subscriptions p \
                     JOIN users u ON u.id = p.user_id WHERE NOT u.disabled ORDER BY p.created_at",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn push_failed(&self, endpoint: &str, error: &str) -> Result<()> {
                self.write(sqlx::query("UPDATE push_subscriptions SET last_error = $1 WHERE endpoint = $2").bind(error).bind(endpoint))
                    .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn push_pending(&self, limit: i64) -> Result<Vec<PendingPush>> {
                static SQL: LazyLock<String> = LazyLock::new(|| format!(
                    "SELECT m.id, m.page_id, m.psid, k.first_name, k.last_name, c.assignee_id FROM {} \
                     LEFT JOIN contacts k ON k.page_id = m.page_id AND k.psid = m.psid \
                     LEFT JOIN conversations c ON c.page_id = m.page_id AND c.psid = m.psid \
                     WHERE m.push_pending ORDER BY m.id LIMIT $1",
                    through("messages AS m", "messages_push_pending")
                ));
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn push_done(&self, message_ids: &[i64]) -> Result<()> {
                let mut tx = self.begin_write().await?;
                for ids in message_ids.chunks($crate::batch::ROWS) {
                    let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE messages SET push_pending = FALSE WHERE id IN ");
                    $crate::batch::push_list(&mut q, ids);
                    q.build().execute(&mut *tx.tx).await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn optimize(&self) -> Result<()> {
                // It writes statistics: in the write turn.
                let _turn = self.write_turn().await;
                self.refresh_statistics().await
            }

            async fn fold_for_search(&self) -> Result<u64> {
                use $crate::search::FOLD_BATCH;
                let mut folded = 0;
                loop {
                    let rows: Vec<(i64, String)> = sqlx::query_as(
                        "SELECT id, text FROM messages WHERE search_text IS NULL AND text IS NOT NULL LIMIT $1",
                    )
                    .bind(FOLD_BATCH)
                    .fetch_all(&self.pool)
                    .await?;
                    let names: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
                        "SELECT page_id, psid, first_name, last_name FROM contacts WHERE search_name IS NULL \
                         AND (first_name IS NOT NULL OR last_name IS NOT NULL) LIMIT $1",
                    )
                    .bind(FOLD_BATCH)
                    .fetch_all(&self.pool)
                    .await?;
                    if rows.is_empty() && names.is_empty() {
                        return Ok(folded);
                    }
                    let mut tx = self.begin_write().await?;
                    for (id, text) in &rows {
                        sqlx::query("UPDATE messages SET search_text = $1 WHERE id = $2")
                            .bind(fold::fold_text(text))
                            .bind(id)
                            .execute(&mut *tx.tx)
                            .await?;
                    }
                    for (page_id, psid, first_name, last_name) in names.iter().cloned() {
                        let profile = Profile { first_name, last_name, ..Profile::default() };
                        // A name that folds to nothing is kept as "" so it is not read again.
                        sqlx::query("UPDATE contacts SET search_name = $1 WHERE page_id = $2 AND psid = $3")
                            .bind($crate::search::search_name(&profile).unwrap_or_default())
                            .bind(page_id)
                            .bind(psid)
                            .execute(&mut *tx.tx)
                            .await?;
                    }
                    tx.tx.commit().await?;
                    folded += (rows.len() + names.len()) as u64;
                }
            }

            #[instrument(level = "debug", skip(self, entry))]
            async fn log_admin(&self, entry: &AdminLogEntry) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO admin_log (at, actor, action, page_id, psid, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(entry.at)
                    .bind(&entry.actor)
                    .bind(entry.action)
                    .bind(&entry.page_id)
                    .bind(&entry.psid)
                    .bind(&entry.detail),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn admin_log(&self, limit: i64) -> Result<Vec<AdminLogEntry>> {
                Ok(sqlx::query_as(
                    "SELECT at, actor, action, page_id, psid, detail FROM admin_log ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn close(&self) {
                self.close_pools().await;
            }
        }

        /// Who controls the thread, converging whatever the order of events: an ownership fact
        /// older than the newest applied changes nothing; lapse times only move later.
        async fn apply_thread_fact(
            tx: &mut Transaction<'static, $db>,
            page_id: &str,
            psid: &str,
            fact: &ThreadFact,
            at: Time,
        ) -> Result<()> {
            let newer = "(thread_changed_at IS NULL OR thread_changed_at <= $3)";
            match fact {
                // Back to us: a pause that came from another app's reply ends with its control.
                ThreadFact::Ours => thread_ours(tx, &[(page_id, psid, at)]).await?,
                ThreadFact::Other { app, until } => {
                    let sql = format!(
                        "UPDATE contacts SET thread_owner = COALESCE($4, thread_owner, 'unknown'), \
                         thread_owner_until = CASE WHEN thread_owner_until IS NULL OR thread_owner_until < $5 \
                                              THEN $5 ELSE thread_owner_until END, \
                         thread_changed_at = $3 WHERE page_id = $1 AND psid = $2 AND {newer}"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(page_id)
                        .bind(psid)
                        .bind(at)
                        .bind(app)
                        .bind(*until)
                        .execute(&mut **tx)
                        .await?;
                }
                ThreadFact::RepliedElsewhere { app, until, owns } => {
                    if *owns {
                        let other = ThreadFact::Other { app: app.clone(), until: *until };
                        Box::pin(apply_thread_fact(tx, page_id, psid, &other, at)).await?;
                    }
                    sqlx::query(
                        "UPDATE contacts SET paused_at = COALESCE(paused_at, $3), \
                         paused_until = CASE WHEN paused_at IS NOT NULL AND paused_until IS NULL THEN NULL \
                                        WHEN paused_until IS NULL OR paused_until < $4 THEN $4 ELSE paused_until END, \
                         paused_reason = COALESCE(paused_reason, 'replied_elsewhere'), \
                         thread_owner_until = CASE WHEN thread_owner IS NOT NULL AND thread_owner_until < $4 \
                                              THEN $4 ELSE thread_owner_until END, \
                         thread_owner = CASE WHEN thread_owner = 'unknown' AND $5 IS NOT NULL THEN $5 \
                                        ELSE thread_owner END \
                         WHERE page_id = $1 AND psid = $2",
                    )
                    .bind(page_id)
                    .bind(psid)
                    .bind(at)
                    .bind(*until)
                    .bind(app)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            Ok(())
        }

        /// A comment's `feed` change. Only a new customer comment waits for the automations; the
        /// Page's own answer marks its parent replied.
        async fn apply_comment(
            tx: &mut Transaction<'static, $db>,
            page_id: &str,
            c: &CommentChange,
            at: Time,
            new: bool,
        ) -> Result<()> {
            if let Some(post_id) = &c.post_id {
                sqlx::query(
                    "INSERT INTO posts (page_id, post_id, permalink_url, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (page_id, post_id) DO UPDATE SET \
                     permalink_url = COALESCE(posts.permalink_url, excluded.permalink_url)",
                )
                .bind(page_id)
                .bind(post_id)
                .bind(&c.permalink_url)
                .bind(at)
                .execute(&mut **tx)
                .await?;
            }
            match c.verb {
                CommentVerb::Add | CommentVerb::Edited => {
                    let edited = (c.verb == CommentVerb::Edited).then_some(at);
                    sqlx::query(
                        "INSERT INTO comments (page_id, comment_id, post_id, parent_id, author_id, author_name, by_page, \
                         text, photo, verb, at, edited_at, automation_pending) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                         ON CONFLICT (page_id, comment_id) DO UPDATE SET \
                         text = COALESCE(excluded.text, comments.text), verb = excluded.verb, \
                         photo = COALESCE(excluded.photo, comments.photo), \
                         edited_at = COALESCE(excluded.edited_at, comments.edited_at)",
                    )
                    .bind(page_id)
                    .bind(&c.comment_id)
                    .bind(&c.post_id)
                    .bind(&c.parent_id)
                    .bind(&c.author_id)
                    .bind(&c.author_name)
                    .bind(c.by_page)
                    .bind(&c.text)
                    .bind(&c.photo)
                    .bind(c.verb.as_str())
                    .bind(at)
                    .bind(edited)
                    .bind(new && c.verb == CommentVerb::Add && !c.by_page && c.author_id.is_some())
                    .execute(&mut **tx)
                    .await?;
                    if c.by_page && c.verb == CommentVerb::Add {
                        if let Some(parent) = &c.parent_id {
                            sqlx::query(
                                "UPDATE comments SET replied_at = $3 WHERE page_id = $1 AND comment_id = $2 \
                                 AND (replied_at IS NULL OR replied_at < $3)",
                            )
                            .bind(page_id)
                            .bind(parent)
                            .bind(at)
                            .execute(&mut **tx)
                            .await?;
                        }
                    }
                }
                CommentVerb::Remove | CommentVerb::Hide | CommentVerb::Unhide => {
                    let sql = match c.verb {
                        CommentVerb::Remove => "UPDATE comments SET removed = TRUE, automation_pending = FALSE \
                                                WHERE page_id = $1 AND comment_id = $2",
                        CommentVerb::Hide => "UPDATE comments SET hidden = TRUE WHERE page_id = $1 AND comment_id = $2",
                        _ => "UPDATE comments SET hidden = FALSE WHERE page_id = $1 AND comment_id = $2",
                    };
                    sqlx::query(sql).bind(page_id).bind(&c.comment_id).execute(&mut **tx).await?;
                }
            }
            Ok(())
        }

        /// The rollups the transaction's new messages change (see `analytics`): their hours'
        /// counts, the days customers wrote, and their conversations' answers, which wait to be
        /// folded from the earliest new message on. (Each customer's last message is kept by the
        /// contact's upsert.)
        async fn count_messages(
            tx: &mut Transaction<'static, $db>,
            counts: $crate::analytics::NewMessages,
        ) -> Result<()> {
            let hours: Vec<_> = counts.hours.into_iter().collect();
            for rows in hours.chunks(500) {
                let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO message_hours (page_id, hour, direction, n) ");
                q.push_values(rows, |mut b, ((page, hour, direction), n)| {
                    b.push_bind(page).push_bind(*hour).push_bind(*direction).push_bind(*n);
                });
                q.push(" ON CONFLICT (page_id, hour, direction) DO UPDATE SET n = message_hours.n + excluded.n");
                q.build().execute(&mut **tx).await?;
            }
            let days: Vec<_> = counts.days.into_iter().collect();
            for rows in days.chunks(500) {
                let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO contact_days (page_id, psid, day) ");
                q.push_values(rows, |mut b, (page, psid, day)| {
                    b.push_bind(page).push_bind(psid).push_bind(*day);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut **tx).await?;
            }
            let pending: Vec<_> = counts.pending.into_iter().collect();
            for rows in pending.chunks(500) {
                let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO answers_pending (page_id, psid, since) ");
                q.push_values(rows, |mut b, ((page, psid), since)| {
                    b.push_bind(page).push_bind(psid).push_bind(*since);
                });
                q.push(
                    " ON CONFLICT (page_id, psid) DO UPDATE SET since = CASE WHEN excluded.since < answers_pending.since \
                     THEN excluded.since ELSE answers_pending.since END",
                );
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// The echo of a private reply names the PSID of the comment's author: from now on their
        /// comments link to that contact, who arrived through a comment, and what a flow started
        /// for the comment continues in their Messenger thread.
        async fn link_commenter(
            tx: &mut Transaction<'static, $db>,
            page_id: &str,
            outbox_id: i64,
            psid: &str,
        ) -> Result<()> {
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT psid, request FROM outbox WHERE id = $1 AND page_id = $2")
                    .bind(outbox_id)
                    .bind(page_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            let Some((author, request)) = row else { return Ok(()) };
            let comment_id = serde_json::from_str::<serde_json::Value>(&request)
                .ok()
                .and_then(|r| r["recipient"]["comment_id"].as_str().map(str::to_owned));
            let Some(comment_id) = comment_id else { return Ok(()) };
            if author == psid {
                return Ok(());
            }
            let post: Option<Option<String>> =
                sqlx::query_scalar("SELECT post_id FROM comments WHERE page_id = $1 AND comment_id = $2")
                    .bind(page_id)
                    .bind(&comment_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            sqlx::query("UPDATE comments SET psid = $3 WHERE page_id = $1 AND author_id = $2")
                .bind(page_id)
                .bind(&author)
                .bind(psid)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE contacts SET source_kind = 'comment', source_ref = $3 \
                 WHERE page_id = $1 AND psid = $2 AND source_kind IS NULL",
            )
            .bind(page_id)
            .bind(psid)
            .bind(post.flatten().unwrap_or_default())
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "UPDATE flow_runs SET psid = $3 WHERE page_id = $1 AND psid = $2 AND NOT finished \
                 AND NOT EXISTS (SELECT 1 FROM flow_runs r WHERE r.page_id = $1 AND r.psid = $3 AND NOT r.finished)",
            )
            .bind(page_id)
            .bind(&author)
            .bind(psid)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "UPDATE contact_fields SET psid = $3 WHERE page_id = $1 AND psid = $2 \
                 AND field NOT IN (SELECT f.field FROM contact_fields f WHERE f.page_id = $1 AND f.psid = $3)",
            )
            .bind(page_id)
            .bind(&author)
            .bind(psid)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Applies a run of events (see `complete_webhooks`) table by table, each table's rows
        /// in the run's order. A run holds either plain events (`batch::is_plain`) or one event. Every
        /// statement converges whatever the order or number of deliveries.
        async fn apply_run(
            tx: &mut Transaction<'static, $db>,
            run: &[(i64, &NormalizedEvent)],
            counts: &mut $crate::analytics::NewMessages,
        ) -> Result<Applied> {
            let new = log_events(tx, run).await?;
            let customers: Vec<&NormalizedEvent> = run.iter().map(|(_, ev)| *ev).filter(|ev| ev.psid.is_some()).collect();
            upsert_contacts(tx, &customers).await?;
            let mut ours = Vec::new();
            for ev in &customers {
                let psid = ev.psid.as_deref().unwrap_or_default();
                match &ev.thread {
                    Some(ThreadFact::Ours) => ours.push((ev.page_id.as_str(), psid, ev.at)),
                    Some(fact) => apply_thread_fact(tx, &ev.page_id, psid, fact, ev.at).await?,
                    None => {}
                }
            }
            thread_ours(tx, &ours).await?;

            let mut messages = Vec::new();
            for ((inbox_id, ev), &new) in run.iter().zip(&new) {
                match &ev.effect {
                    Effect::Message(m) => messages.push(MessageRow { inbox_id: *inbox_id, ev, m, new }),
                    _ => apply_effect(tx, ev, new).await?,
                }
            }
            upsert_messages(tx, &messages).await?;
            let mut conversations = Vec::with_capacity(messages.len());
            for MessageRow { ev, m, new, .. } in messages {
                let psid = ev.psid.as_deref().unwrap_or_default();
                if new {
                    counts.add(&ev.page_id, psid, m.direction, ev.at);
                }
                let mut speaker = match m.direction {
                    Direction::In => Speaker::Customer,
                    Direction::Out => Speaker::OtherApp,
                };
                if let Some(id) = m.metadata.as_deref().and_then($crate::outbox_id_from_metadata) {
                    reconcile_echo(tx, &ev.page_id, id, &m.mid, ev.at).await?;
                    link_commenter(tx, &ev.page_id, id, psid).await?;
                    let actor: Option<String> = sqlx::query_scalar("SELECT actor FROM outbox WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut **tx)
                        .await?;
                    speaker = actor.as_deref().map_or(speaker, Speaker::of_actor);
                }
                conversations.push(ConversationRow {
                    page_id: &ev.page_id,
                    psid,
                    at: ev.at,
                    preview: m.text.clone().or_else(|| m.attachments.as_ref().map(|_| "[attachment]".to_owned())),
                    unread: if new && m.direction == Direction::In { 1 } else { 0 },
                    speaker,
                });
            }
            upsert_conversations(tx, &conversations).await?;
            let fresh = new.iter().filter(|n| **n).count() as u64;
            Ok(Applied { new_events: fresh, duplicates: new.len() as u64 - fresh })
        }

        /// Logs the events; says for each whether it is new (of repeated ones, the first).
        async fn log_events(tx: &mut Transaction<'static, $db>, run: &[(i64, &NormalizedEvent)]) -> Result<Vec<bool>> {
            let mut inserted = std::collections::HashSet::new();
            for rows in run.chunks($crate::batch::ROWS) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO events (page_id, event_key, kind, psid, interaction, at, inbox_id, summary, detail) ",
                );
                q.push_values(rows, |mut b, (inbox_id, ev)| {
                    b.push_bind(&ev.page_id)
                        .push_bind(&ev.event_key)
                        .push_bind(&ev.kind)
                        .push_bind(&ev.psid)
                        .push_bind(ev.interaction)
                        .push_bind(ev.at)
                        .push_bind(*inbox_id)
                        .push_bind(&ev.summary)
                        .push_bind(&ev.detail);
                });
                q.push(" ON CONFLICT (page_id, event_key) DO NOTHING RETURNING page_id, event_key");
                let keys: Vec<(String, String)> = q.build_query_as().fetch_all(&mut **tx).await?;
                inserted.extend(keys);
            }
            Ok(run.iter().map(|(_, ev)| inserted.remove(&(ev.page_id.clone(), ev.event_key.clone()))).collect())
        }

        /// The customers' contacts, created or moved on.
        async fn upsert_contacts(tx: &mut Transaction<'static, $db>, events: &[&NormalizedEvent]) -> Result<()> {
            for rows in $crate::batch::runs(events, |ev| (&ev.page_id, &ev.psid)) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO contacts (page_id, psid, first_seen_at, last_interaction_at, source_kind, source_ref, \
                     latest_source_kind, latest_source_ref, last_in_at) ",
                );
                q.push_values(rows, |mut b, ev| {
                    let (kind, reference) = ev.source.clone().unzip();
                    // Who wrote in a period starts from each customer's last message (`analytics`).
                    let customer_wrote = matches!(&ev.effect, Effect::Message(m) if m.direction == Direction::In);
                    b.push_bind(&ev.page_id)
                        .push_bind(&ev.psid)
                        .push_bind(ev.at)
                        .push_bind(ev.opens_window.then_some(ev.at))
                        .push_bind(kind.clone())
                        .push_bind(reference.clone())
                        .push_bind(kind)
                        .push_bind(reference)
                        .push_bind(customer_wrote.then_some(ev.at));
                });
                q.push(
                    " ON CONFLICT (page_id, psid) DO UPDATE SET \
                     last_in_at = CASE WHEN contacts.last_in_at IS NULL OR excluded.last_in_at > contacts.last_in_at \
                                  THEN COALESCE(excluded.last_in_at, contacts.last_in_at) ELSE contacts.last_in_at END, \
                     latest_source_kind = COALESCE(excluded.source_kind, contacts.latest_source_kind), \
                     latest_source_ref = CASE WHEN excluded.source_kind IS NULL THEN contacts.latest_source_ref \
                                         ELSE excluded.source_ref END, \
                     first_seen_at = CASE WHEN excluded.first_seen_at < contacts.first_seen_at \
                                     THEN excluded.first_seen_at ELSE contacts.first_seen_at END, \
                     last_interaction_at = CASE WHEN contacts.last_interaction_at IS NULL \
                                             OR excluded.last_interaction_at > contacts.last_interaction_at \
                                           THEN COALESCE(excluded.last_interaction_at, contacts.last_interaction_at) \
                                           ELSE contacts.last_interaction_at END, \
                     unreachable = CASE WHEN excluded.last_interaction_at IS NOT NULL THEN FALSE \
                                   ELSE contacts.unreachable END, \
                     source_kind = COALESCE(contacts.source_kind, excluded.source_kind), \
                     source_ref = COALESCE(contacts.source_ref, excluded.source_ref)",
                );
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// Threads back with us (page, PSID, when): a pause that came from another app's reply
        /// ends with its control. A fact older than the newest applied changes nothing.
        async fn thread_ours(tx: &mut Transaction<'static, $db>, facts: &[(&str, &str, Time)]) -> Result<()> {
            for rows in $crate::batch::runs(facts, |(page, psid, _)| (*page, *psid)) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "UPDATE contacts SET thread_owner = NULL, thread_owner_until = NULL, thread_changed_at = f.column3, \
                     paused_at = CASE WHEN paused_reason = 'replied_elsewhere' THEN NULL ELSE paused_at END, \
                     paused_until = CASE WHEN paused_reason = 'replied_elsewhere' THEN NULL ELSE paused_until END, \
                     paused_reason = CASE WHEN paused_reason = 'replied_elsewhere' THEN NULL ELSE paused_reason END \
                     FROM (",
                );
                q.push_values(rows, |mut b, (page, psid, at)| {
                    b.push_bind(*page).push_bind(*psid).push_bind(*at);
                });
                q.push(
                    ") AS f WHERE contacts.page_id = f.column1 AND contacts.psid = f.column2 \
                     AND (contacts.thread_changed_at IS NULL OR contacts.thread_changed_at <= f.column3)",
                );
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// The messages, stored or (delivered again, edited) updated; new customer messages wait
        /// for the automations, the media copier and the browsers' notifications.
        async fn upsert_messages(tx: &mut Transaction<'static, $db>, messages: &[MessageRow<'_>]) -> Result<()> {
            for rows in $crate::batch::runs(messages, |r| (&r.ev.page_id, &r.m.mid)) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO messages (page_id, psid, mid, direction, text, attachments, quick_reply_payload, \
                     reply_to_mid, app_id, metadata, sent_at, inbox_id, automation_pending, search_text, media_pending, \
                     push_pending) ",
                );
                q.push_values(rows, |mut b, MessageRow { inbox_id, ev, m, new }| {
                    let customer_new = *new && m.direction == Direction::In;
                    b.push_bind(&ev.page_id)
                        .push_bind(ev.psid.as_deref().unwrap_or_default())
                        .push_bind(&m.mid)
                        .push_bind(m.direction)
                        .push_bind(&m.text)
                        .push_bind(&m.attachments)
                        .push_bind(&m.quick_reply_payload)
                        .push_bind(&m.reply_to_mid)
                        .push_bind(&m.app_id)
                        .push_bind(&m.metadata)
                        .push_bind(ev.at)
                        .push_bind(*inbox_id)
                        .push_bind(customer_new)
                        .push_bind(m.text.as_deref().map(fold::fold_text))
                        .push_bind(customer_new && m.attachments.is_some())
                        .push_bind(customer_new);
                });
                q.push(
                    " ON CONFLICT (page_id, mid) DO UPDATE SET text = excluded.text, attachments = excluded.attachments, \
                     search_text = excluded.search_text, \
                     quick_reply_payload = excluded.quick_reply_payload, reply_to_mid = excluded.reply_to_mid, \
                     app_id = excluded.app_id, metadata = excluded.metadata",
                );
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// The conversations' last message, activity and unread count.
        async fn upsert_conversations(tx: &mut Transaction<'static, $db>, conversations: &[ConversationRow<'_>]) -> Result<()> {
            for rows in $crate::batch::runs(conversations, |c| (c.page_id, c.psid)) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO conversations (page_id, psid, last_activity_at, last_message_at, last_message_text, \
                     unread_count, last_message_by) ",
                );
                q.push_values(rows, |mut b, c| {
                    b.push_bind(c.page_id)
                        .push_bind(c.psid)
                        .push_bind(c.at)
                        .push_bind(c.at)
                        .push_bind(&c.preview)
                        .push_bind(c.unread)
                        .push_bind(c.speaker);
                });
                q.push(
                    " ON CONFLICT (page_id, psid) DO UPDATE SET \
                     last_activity_at = CASE WHEN excluded.last_activity_at > conversations.last_activity_at \
                                        THEN excluded.last_activity_at ELSE conversations.last_activity_at END, \
                     last_message_text = CASE WHEN conversations.last_message_at IS NULL \
                                           OR excluded.last_message_at >= conversations.last_message_at \
                                         THEN excluded.last_message_text ELSE conversations.last_message_text END, \
                     last_message_by = CASE WHEN conversations.last_message_at IS NULL \
                                         OR excluded.last_message_at >= conversations.last_message_at \
                                       THEN excluded.last_message_by ELSE conversations.last_message_by END, \
                     last_message_at = CASE WHEN conversations.last_message_at IS NULL \
                                         OR excluded.last_message_at > conversations.last_message_at \
                                       THEN excluded.last_message_at ELSE conversations.last_message_at END, \
                     unread_count = conversations.unread_count + excluded.unread_count, \
                     status = CASE WHEN excluded.unread_count > 0 THEN 'open' ELSE conversations.status END",
                );
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        /// What an event other than a message changes.
        async fn apply_effect(tx: &mut Transaction<'static, $db>, ev: &NormalizedEvent, new: bool) -> Result<()> {
            let psid = ev.psid.as_deref().unwrap_or("");
            match &ev.effect {
                Effect::None | Effect::Message(_) => {}
                Effect::Tap { payload, referral } => {
                    if new {
                        sqlx::query(
                            "UPDATE events SET payload = $1, referral = $4, automation_pending = TRUE \
                             WHERE page_id = $2 AND event_key = $3",
                        )
                            .bind(payload)
                            .bind(&ev.page_id)
                            .bind(&ev.event_key)
                            .bind(referral)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
                Effect::Delivered { watermark, .. } | Effect::Read { watermark } => {
                    let column = if matches!(ev.effect, Effect::Delivered { .. }) { "delivered_watermark" } else { "read_watermark" };
                    let sql = format!(
                        "INSERT INTO conversations (page_id, psid, last_activity_at, {column}) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (page_id, psid) DO UPDATE SET {column} = CASE \
                         WHEN excluded.{column} > conversations.{column} THEN excluded.{column} \
                         ELSE conversations.{column} END"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(&ev.page_id)
                        .bind(psid)
                        .bind(ev.at)
                        .bind(*watermark)
                        .execute(&mut **tx)
                        .await?;
                    mark_seen_by_customer(tx, ev, psid).await?;
                }
                Effect::OneTimeToken { token, topic } => {
                    sqlx::query(
                        "INSERT INTO one_time_tokens (token, page_id, psid, topic, issued_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (token) DO NOTHING",
                    )
                    .bind(token)
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(topic)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::Marketing { tracking_id, outcome } => {
                    // Later news only moves a send forward: delivered after sent, read after either.
                    let (status, from, error) = match outcome {
                        MarketingOutcome::Delivered => ("delivered", "'sent'", None),
                        MarketingOutcome::Read => ("read", "'sent', 'delivered'", None),
                        MarketingOutcome::Failed(e) => ("failed", "'sent'", Some(e.clone())),
                    };
                    let sql = format!(
                        "UPDATE outbox SET status = $1, error = COALESCE($2, error), updated_at = $3 \
                         WHERE kind = 'marketing' AND page_id = $4 AND mid = $5 AND status IN ({from})"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(status)
                        .bind(error)
                        .bind(ev.at)
                        .bind(&ev.page_id)
                        .bind(tracking_id)
                        .execute(&mut **tx)
                        .await?;
                }
                Effect::NotificationToken { token, topic, frequency, expires_at, status, time_zone, region } => {
                    // A later opt-in event for the same token (stop, resume) updates it; an
                    // older one arriving late does not.
                    sqlx::query(
                        "INSERT INTO notification_tokens (token, page_id, psid, topic, frequency, issued_at, expires_at, status, \
                         time_zone, region) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (token) DO UPDATE SET \
                         status = excluded.status, expires_at = COALESCE(excluded.expires_at, notification_tokens.expires_at), \
                         frequency = COALESCE(excluded.frequency, notification_tokens.frequency), \
                         time_zone = COALESCE(excluded.time_zone, notification_tokens.time_zone), \
                         region = COALESCE(excluded.region, notification_tokens.region), \
                         issued_at = excluded.issued_at, \
                         marketing_stopped_at = CASE WHEN excluded.status = 'active' THEN NULL \
                                                ELSE notification_tokens.marketing_stopped_at END \
                         WHERE excluded.issued_at >= notification_tokens.issued_at",
                    )
                    .bind(token)
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(topic)
                    .bind(frequency)
                    .bind(ev.at)
                    .bind(*expires_at)
                    .bind(*status)
                    .bind(time_zone)
                    .bind(region)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::TemplateStatus { name, language, status } => {
                    sqlx::query(
                        "UPDATE templates SET status = $1, updated_at = $2 WHERE page_id = $3 AND name = $4 \
                         AND ($5 IS NULL OR language = $5)",
                    )
                    .bind(*status)
                    .bind(ev.at)
                    .bind(&ev.page_id)
                    .bind(name)
                    .bind(language)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::Comment(c) => apply_comment(tx, &ev.page_id, c, ev.at, new).await?,
                Effect::Post { post_id, message, item, permalink_url } => {
                    sqlx::query(
                        "INSERT INTO posts (page_id, post_id, message, item, permalink_url, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (page_id, post_id) DO UPDATE SET \
                         message = COALESCE(excluded.message, posts.message), item = excluded.item, \
                         permalink_url = COALESCE(excluded.permalink_url, posts.permalink_url)",
                    )
                    .bind(&ev.page_id)
                    .bind(post_id)
                    .bind(message)
                    .bind(item)
                    .bind(permalink_url)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::PageRestriction { restricted, reason } => {
                    sqlx::query(
                        "INSERT INTO pages (id, restricted, restriction_reason, restriction_changed_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET restricted = excluded.restricted, \
                         restriction_reason = excluded.restriction_reason, \
                         restriction_changed_at = excluded.restriction_changed_at \
                         WHERE pages.restriction_changed_at IS NULL \
                            OR excluded.restriction_changed_at >= pages.restriction_changed_at",
                    )
                    .bind(&ev.page_id)
                    .bind(*restricted)
                    .bind(reason)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            Ok(())
        }
    };
}

pub(crate) use sql_store;
