//! The comments inbox's and the entry points' SQL, shared by both backends like `sql_store!`.

/// Implements [`crate::CommentStore`] for `$store` over `$db`.
macro_rules! sql_comments {
    ($store:ty, $db:ty) => {
        use $crate::comments::*;

        const COMMENT_COLUMNS: &str = "comment_id, post_id, parent_id, author_id, author_name, psid, text, photo, \
            by_page, hidden, removed, private_reply_sent, at, edited_at, replied_at";

        const ENTRY_COLUMNS: &str = "page_id, ref, title, kind, prefill, label, created_by, created_at";

        /// Whether a contact (`c`) left contact details, booked, or answered a broadcast.
        const DID_LEAD: &str = "EXISTS (SELECT 1 FROM contact_fields f WHERE f.page_id = c.page_id AND f.psid = c.psid \
            AND f.field IN ('email', 'phone'))";
        const DID_BOOK: &str = "EXISTS (SELECT 1 FROM bookings b WHERE b.page_id = c.page_id AND b.psid = c.psid)";
        const DID_ANSWER: &str = "EXISTS (SELECT 1 FROM broadcast_recipients r JOIN outbox o ON o.id = r.outbox_id \
            JOIN messages m ON m.page_id = o.page_id AND m.psid = r.psid AND m.direction = 'in' AND m.sent_at > o.created_at \
            WHERE r.psid = c.psid AND o.page_id = c.page_id)";

        #[async_trait]
        impl CommentStore for $store {
            #[instrument(level = "debug", skip(self))]
            async fn posts(&self, page_id: &str, limit: i64) -> Result<Vec<PostSummary>> {
                Ok(sqlx::query_as(
                    "SELECT p.post_id, p.message, p.permalink_url, p.created_at, \
                     (SELECT COUNT(*) FROM comments c WHERE c.page_id = p.page_id AND c.post_id = p.post_id \
                        AND NOT c.by_page AND NOT c.removed) AS comments, \
                     (SELECT COUNT(*) FROM comments c WHERE c.page_id = p.page_id AND c.post_id = p.post_id \
                        AND NOT c.by_page AND NOT c.removed AND c.replied_at IS NULL AND NOT c.private_reply_sent) AS unanswered, \
                     (SELECT MAX(c.at) FROM comments c WHERE c.page_id = p.page_id AND c.post_id = p.post_id) AS last_comment_at \
                     FROM posts p WHERE p.page_id = $1 \
                     ORDER BY COALESCE((SELECT MAX(c.at) FROM comments c WHERE c.page_id = p.page_id AND c.post_id = p.post_id), \
                        p.created_at) DESC LIMIT $2",
                )
                .bind(page_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn comment_list(&self, page_id: &str, f: &CommentFilter) -> Result<Vec<CommentRow>> {
                let sql = format!(
                    "SELECT {COMMENT_COLUMNS} FROM comments WHERE page_id = $1 AND ($2 IS NULL OR post_id = $2) \
                     AND (NOT $3 OR (NOT by_page AND NOT removed AND replied_at IS NULL AND NOT private_reply_sent)) \
                     AND (NOT $4 OR private_reply_sent) ORDER BY at DESC LIMIT $5"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(page_id)
                    .bind(&f.post_id)
                    .bind(f.unanswered)
                    .bind(f.private_reply)
                    .bind(if f.limit > 0 { f.limit } else { 200 })
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn comment(&self, page_id: &str, comment_id: &str) -> Result<Option<CommentRow>> {
                let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE page_id = $1 AND comment_id = $2");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(page_id)
                    .bind(comment_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn comments_of_contact(&self, page_id: &str, psid: &str) -> Result<Vec<CommentRow>> {
                let sql = format!(
                    "SELECT {COMMENT_COLUMNS} FROM comments WHERE page_id = $1 AND NOT by_page \
                     AND (psid = $2 OR author_id IN (SELECT author_id FROM comments WHERE page_id = $1 AND psid = $2)) \
                     ORDER BY at DESC LIMIT 50"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(page_id)
                    .bind(psid)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn private_reply_on_post(&self, page_id: &str, author_id: &str, post_id: &str) -> Result<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM comments WHERE page_id = $1 AND author_id = $2 AND post_id = $3 \
                     AND private_reply_sent",
                )
                .bind(page_id)
                .bind(author_id)
                .bind(post_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            #[instrument(level = "debug", skip(self))]
            async fn actor_sends_since(&self, page_id: &str, actor: &str, since: Time) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM outbox WHERE actor = $1 AND page_id = $2 AND created_at >= $3",
                )
                .bind(actor)
                .bind(page_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, e), fields(page = %e.page_id, r = %e.ref_))]
            async fn save_entry_point(&self, e: &EntryPoint) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO entry_points (page_id, ref, title, kind, prefill, label, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (page_id, ref) DO UPDATE SET \
                         title = excluded.title, kind = excluded.kind, prefill = excluded.prefill, label = excluded.label",
                    )
                    .bind(&e.page_id)
                    .bind(&e.ref_)
                    .bind(&e.title)
                    .bind(e.kind)
                    .bind(&e.prefill)
                    .bind(&e.label)
                    .bind(&e.created_by)
                    .bind(e.created_at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn entry_points(&self, page_id: &str) -> Result<Vec<EntryPoint>> {
                let sql = format!("SELECT {ENTRY_COLUMNS} FROM entry_points WHERE page_id = $1 ORDER BY created_at, ref");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(page_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn delete_entry_point(&self, page_id: &str, ref_: &str) -> Result<bool> {
                let n = self
                    .write(
                        sqlx::query("DELETE FROM entry_points WHERE page_id = $1 AND ref = $2")
                            .bind(page_id)
                            .bind(ref_),
                    )
                    .await?;
                Ok(n > 0)
            }

            #[instrument(level = "debug", skip(self))]
            async fn source_counts(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<SourceCounts>> {
                let first = format!(
                    "SELECT COALESCE(c.source_kind, 'organic') AS kind, COALESCE(c.source_ref, '') AS ref, COUNT(*) AS n, \
                     SUM(CASE WHEN {DID_LEAD} THEN 1 ELSE 0 END) AS leads, \
                     SUM(CASE WHEN {DID_BOOK} THEN 1 ELSE 0 END) AS bookings, \
                     SUM(CASE WHEN {DID_ANSWER} THEN 1 ELSE 0 END) AS answers \
                     FROM contacts c WHERE c.page_id = $1 AND c.first_seen_at >= $2 AND c.first_seen_at < $3 \
                     GROUP BY COALESCE(c.source_kind, 'organic'), COALESCE(c.source_ref, '')"
                );
                let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(first))
                    .bind(page_id)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await?;
                let latest: Vec<(String, String, i64)> = sqlx::query_as(
                    "SELECT COALESCE(latest_source_kind, source_kind, 'organic'), \
                     COALESCE(latest_source_ref, source_ref, ''), COUNT(*) FROM contacts \
                     WHERE page_id = $1 AND last_interaction_at >= $2 AND last_interaction_at < $3 \
                     GROUP BY COALESCE(latest_source_kind, source_kind, 'organic'), COALESCE(latest_source_ref, source_ref, '')",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                let mut out: Vec<SourceCounts> = rows
                    .into_iter()
                    .map(|(kind, ref_, n, leads, bookings, answers)| SourceCounts {
                        kind,
                        ref_,
                        new_conversations: n,
                        latest: 0,
                        leads,
                        bookings,
                        broadcast_replies: answers,
                    })
                    .collect();
                for (kind, ref_, n) in latest {
                    match out.iter_mut().find(|s| s.kind == kind && s.ref_ == ref_) {
                        Some(s) => s.latest = n,
                        None => out.push(SourceCounts { kind, ref_, latest: n, ..SourceCounts::default() }),
                    }
                }
                out.sort_by(|a, b| b.new_conversations.cmp(&a.new_conversations).then(b.latest.cmp(&a.latest)));
                Ok(out)
            }

            #[instrument(level = "debug", skip(self))]
            async fn relabel_source(&self, page_id: &str, psid: &str, raw: &str, entry: &str) -> Result<()> {
                self.write(
                    sqlx::query(
                        "UPDATE contacts SET \
                         source_ref = CASE WHEN source_ref = $3 THEN $4 ELSE source_ref END, \
                         latest_source_ref = CASE WHEN latest_source_ref = $3 THEN $4 ELSE latest_source_ref END \
                         WHERE page_id = $1 AND psid = $2",
                    )
                    .bind(page_id)
                    .bind(psid)
                    .bind(raw)
                    .bind(entry),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn label_arrival(&self, page_id: &str, psid: &str, label: &str, at: Time) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO conversations (page_id, psid, last_activity_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (page_id, psid) DO NOTHING",
                )
                .bind(page_id)
                .bind(psid)
                .bind(at)
                .execute(&mut *tx.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO conversation_labels (page_id, psid, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(page_id)
                .bind(psid)
                .bind(label)
                .execute(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self, fresh))]
            async fn link_secret(&self, page_id: &str, fresh: &str) -> Result<String> {
                self.write(
                    sqlx::query("UPDATE pages SET link_secret = $2 WHERE id = $1 AND link_secret IS NULL")
                        .bind(page_id)
                        .bind(fresh),
                )
                .await?;
                let secret: Option<Option<String>> =
                    sqlx::query_scalar("SELECT link_secret FROM pages WHERE id = $1")
                        .bind(page_id)
                        .fetch_optional(&self.pool)
                        .await?;
                secret.flatten().ok_or_else(|| {
                    $crate::StoreError::Unsupported(format!("page {page_id} is not connected"))
                })
            }
        }
    };
}

pub(crate) use sql_comments;
