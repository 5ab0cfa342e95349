//! The team's SQL, shared by both backends like `sql_store!` (whose helpers it uses). Each
//! backend names its string aggregate in `LABELS_AGG` and its text search in `SEARCH_TEXT_SQL`.

/// Implements [`crate::TeamStore`] for `$store` over `$db`.
macro_rules! sql_team {
    ($store:ty, $db:ty) => {
        use $crate::team::*;

        const DAY: Duration = Duration::from_secs(86_400);

        #[async_trait]
        impl TeamStore for $store {
            #[instrument(level = "debug", skip(self))]
            async fn conversation_list(&self, f: &ConversationFilter, limit: i64) -> Result<Vec<ConversationSummary>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT c.page_id, c.psid, k.first_name, k.last_name, k.profile_pic, c.status, c.last_activity_at, \
                     c.last_message_text, c.last_message_by, c.unread_count, k.last_interaction_at, k.window_closed_at, u.username AS assignee, \
                     (SELECT {LABELS_AGG} FROM conversation_labels l WHERE l.page_id = c.page_id AND l.psid = c.psid) AS labels \
                     FROM conversations c LEFT JOIN contacts k ON k.page_id = c.page_id AND k.psid = c.psid \
                     LEFT JOIN users u ON u.id = c.assignee_id WHERE TRUE"
                ));
                match f.assignee {
                    AssigneeFilter::Anyone => {}
                    AssigneeFilter::User(id) => {
                        q.push(" AND c.assignee_id = ").push_bind(id);
                    }
                    AssigneeFilter::Unassigned => {
                        q.push(" AND c.assignee_id IS NULL");
                    }
                }
                if let Some(status) = f.status {
                    q.push(" AND c.status = ").push_bind(status);
                }
                if let Some(label) = &f.label {
                    q.push(" AND EXISTS (SELECT 1 FROM conversation_labels l WHERE l.page_id = c.page_id \
                            AND l.psid = c.psid AND l.label = ").push_bind(label.clone()).push(")");
                }
                if let Some(open) = f.window_open {
                    q.push(if open { " AND " } else { " AND NOT " });
                    q.push("COALESCE(k.last_interaction_at > ").push_bind(f.now - DAY)
                        .push(" AND (k.window_closed_at IS NULL OR k.last_interaction_at > k.window_closed_at), FALSE)");
                }
                // Folded like the stored copies: "vay" finds "váy", "dam" finds "đầm".
                if let Some(text) = f.search.as_deref().map(fold::fold_text).filter(|t| !t.is_empty()) {
                    // The matching customers, found once (names, then message text), rather than
                    // a test on every conversation the ordered scan passes.
                    q.push(" AND (c.page_id, c.psid) IN (SELECT k2.page_id, k2.psid FROM contacts k2 \
                            WHERE k2.search_name LIKE ")
                        .push_bind(contains_pattern(&text))
                        .push(" ESCAPE '\\' UNION ");
                    // The text index finds substrings of three characters or more; shorter
                    // ones are looked for in every message.
                    if text.chars().count() >= 3 {
                        q.push(SEARCH_TEXT_SQL).push_bind(search_text_term(&text));
                    } else {
                        q.push("SELECT m.page_id, m.psid FROM messages m WHERE m.search_text LIKE ")
                            .push_bind(contains_pattern(&text))
                            .push(" ESCAPE '\\'");
                    }
                    q.push(")");
                }
                q.push(" ORDER BY c.last_activity_at DESC LIMIT ").push_bind(limit);
                Ok(q.build_query_as().fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn team_state(&self, page_id: &str, psid: &str) -> Result<Option<TeamState>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT c.status, c.unread_count, u.username AS assignee, \
                     (SELECT {LABELS_AGG} FROM conversation_labels l WHERE l.page_id = c.page_id AND l.psid = c.psid) AS labels \
                     FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.page_id = $1 AND c.psid = $2"
                )))
                .bind(page_id)
                .bind(psid)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn labels_in_use(&self) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar("SELECT DISTINCT label FROM conversation_labels ORDER BY label")
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn unread_conversations(&self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM conversations WHERE unread_count > 0 AND status = 'open'")
                    .fetch_one(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn assign(&self, page_id: &str, psid: &str, user_id: Option<i64>) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query("UPDATE conversations SET assignee_id = $1 WHERE page_id = $2 AND psid = $3")
                            .bind(user_id)
                            .bind(page_id)
                            .bind(psid),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn open_load(&self) -> Result<Vec<(i64, String, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT u.id, u.username, COUNT(c.id) FROM users u \
                     LEFT JOIN conversations c ON c.assignee_id = u.id AND c.status = 'open' \
                     WHERE NOT u.disabled GROUP BY u.id, u.username ORDER BY u.username",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_status(&self, page_id: &str, psid: &str, status: ConversationStatus) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query(
                            "UPDATE conversations SET status = $1, \
                             closed_at = CASE WHEN $1 = 'closed' THEN $4 ELSE closed_at END \
                             WHERE page_id = $2 AND psid = $3",
                        )
                        .bind(status)
                        .bind(page_id)
                        .bind(psid)
                        .bind(Time::now()),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn closed_at(&self, page_id: &str, psid: &str) -> Result<Option<Time>> {
                Ok(sqlx::query_scalar("SELECT closed_at FROM conversations WHERE page_id = $1 AND psid = $2")
                    .bind(page_id)
                    .bind(psid)
                    .fetch_optional(&self.pool)
                    .await?
                    .flatten())
            }

            #[instrument(level = "debug", skip(self))]
            async fn add_label(&self, page_id: &str, psid: &str, label: &str) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query(
                            "INSERT INTO conversation_labels (page_id, psid, label) \
                             SELECT page_id, psid, $3 FROM conversations WHERE page_id = $1 AND psid = $2 \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(page_id)
                        .bind(psid)
                        .bind(label),
                    )
                    .await?;
                Ok(changed == 1 || self.team_state(page_id, psid).await?.is_some())
            }

            #[instrument(level = "debug", skip(self))]
            async fn remove_label(&self, page_id: &str, psid: &str, label: &str) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query("DELETE FROM conversation_labels WHERE page_id = $1 AND psid = $2 AND label = $3")
                            .bind(page_id)
                            .bind(psid)
                            .bind(label),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn mark_read(&self, page_id: &str, psid: &str) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query("UPDATE conversations SET unread_count = 0 WHERE page_id = $1 AND psid = $2")
                            .bind(page_id)
                            .bind(psid),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self, text))]
            async fn add_note(&self, page_id: &str, psid: &str, author: &str, text: &str, now: Time) -> Result<i64> {
                let id = self
                    .write_returning(
                        sqlx::query_scalar(
                            "INSERT INTO notes (page_id, psid, author, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        )
                        .bind(page_id)
                        .bind(psid)
                        .bind(author)
                        .bind(text)
                        .bind(now),
                    )
                    .await?;
                Ok(id.ok_or(sqlx::Error::RowNotFound)?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn notes(&self, page_id: &str, psid: &str) -> Result<Vec<Note>> {
                Ok(sqlx::query_as::<_, Note>(
                    "SELECT id, author, text, created_at FROM notes WHERE page_id = $1 AND psid = $2 ORDER BY created_at, id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn thread_events(&self, page_id: &str, psid: &str) -> Result<Vec<ThreadEvent>> {
                Ok(sqlx::query_as::<_, ThreadEvent>(
                    "SELECT kind, at, summary, detail FROM events WHERE page_id = $1 AND psid = $2 AND summary IS NOT NULL \
                     ORDER BY at, id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn saved_replies(&self) -> Result<Vec<SavedReply>> {
                Ok(sqlx::query_as::<_, SavedReply>("SELECT id, name, text, rich FROM saved_replies ORDER BY name")
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, text, rich))]
            async fn save_reply(&self, name: &str, text: &str, rich: Option<&str>, now: Time) -> Result<i64> {
                let id = self
                    .write_returning(
                        sqlx::query_scalar(
                            "INSERT INTO saved_replies (name, text, rich, created_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (name) DO UPDATE SET text = excluded.text, rich = excluded.rich RETURNING id",
                        )
                        .bind(name)
                        .bind(text)
                        .bind(rich)
                        .bind(now),
                    )
                    .await?;
                Ok(id.ok_or(sqlx::Error::RowNotFound)?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn delete_saved_reply(&self, id: i64) -> Result<bool> {
                Ok(self.write(sqlx::query("DELETE FROM saved_replies WHERE id = $1").bind(id)).await? == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn personas(&self, page_id: &str) -> Result<Vec<Persona>> {
                Ok(sqlx::query_as::<_, Persona>(
                    "SELECT id, page_id, name, profile_picture_url FROM personas WHERE page_id = $1 ORDER BY name",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn add_persona(&self, p: &Persona, now: Time) -> Result<()> {
                self.write(sqlx::query(
                    "INSERT INTO personas (id, page_id, name, profile_picture_url, created_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, profile_picture_url = excluded.profile_picture_url",
                )
                .bind(&p.id)
                .bind(&p.page_id)
                .bind(&p.name)
                .bind(&p.profile_picture_url)
                .bind(now))
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self, token_hash))]
            async fn create_api_token(
                &self,
                token_hash: &str,
                user_id: i64,
                name: &str,
                now: Time,
                expires_at: Option<Time>,
            ) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(name)
                    .bind(now)
                    .bind(expires_at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self, token_hash))]
            async fn api_token_user(&self, token_hash: &str, now: Time) -> Result<Option<User>> {
                let sql = format!(
                    "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
                     WHERE t.token_hash = $1 AND NOT u.disabled AND t.revoked_at IS NULL \
                     AND (t.expires_at IS NULL OR t.expires_at > $2)"
                );
                let user: Option<User> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).bind(now).fetch_optional(&self.pool).await?;
                if user.is_some() {
                    // Once a minute is precise enough, and spares a write per request.
                    self.write(
                        sqlx::query(
                            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 \
                             AND (last_used_at IS NULL OR last_used_at < $3)",
                        )
                        .bind(token_hash)
                        .bind(now)
                        .bind(now - Duration::from_secs(60)),
                    )
                    .await?;
                }
                Ok(user)
            }

            #[instrument(level = "debug", skip(self))]
            async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
                let sql = format!(
                    "SELECT SUBSTR(token_hash, 1, {TOKEN_ID_LEN}) AS id, name, created_at, expires_at, last_used_at, revoked_at \
                     FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn revoke_api_token(&self, user_id: i64, id: &str, now: Time) -> Result<bool> {
                if id.len() < TOKEN_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Ok(false);
                }
                let sql = format!(
                    "UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND SUBSTR(token_hash, 1, {TOKEN_ID_LEN}) = $2 \
                     AND revoked_at IS NULL"
                );
                Ok(self
                    .write(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(&id[..TOKEN_ID_LEN]).bind(now))
                    .await?
                    == 1)
            }
        }
    };
}

pub(crate) use sql_team;
