//! The automations' SQL, shared by both backends like `sql_store!`.

/// Implements [`crate::AutomationStore`] for `$store` over `$db`.
macro_rules! sql_automations {
    ($store:ty, $db:ty) => {
        use $crate::automations::*;

        const AUTOMATION_COLUMNS: &str = "page_id, version, document, updated_at, updated_by, profile_version, \
            profile_synced_at, profile_error, profile_error_at";

        #[async_trait]
        impl AutomationStore for $store {
            #[instrument(level = "debug", skip(self))]
            async fn automations(&self, page_id: &str) -> Result<Option<StoredAutomations>> {
                let sql = format!("SELECT {AUTOMATION_COLUMNS} FROM automations WHERE page_id = $1");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self, document))]
            async fn apply_automations(&self, page_id: &str, document: &str, by: &str, at: Time) -> Result<i64> {
                let mut tx = self.begin_write().await?;
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO automations (page_id, version, document, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4) \
                     ON CONFLICT (page_id) DO UPDATE SET version = automations.version + 1, document = excluded.document, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by, profile_error = NULL, \
                     profile_error_at = NULL RETURNING version",
                )
                .bind(page_id)
                .bind(document)
                .bind(at)
                .bind(by)
                .fetch_one(&mut *tx.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO automation_versions (page_id, version, document, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(page_id)
                .bind(version)
                .bind(document)
                .bind(at)
                .bind(by)
                .execute(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(version)
            }

            #[instrument(level = "debug", skip(self))]
            async fn automation_versions(&self, page_id: &str, limit: i64) -> Result<Vec<AutomationVersion>> {
                Ok(sqlx::query_as(
                    "SELECT version, applied_at, applied_by FROM automation_versions WHERE page_id = $1 \
                     ORDER BY version DESC LIMIT $2",
                )
                .bind(page_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn profiles_to_push(&self) -> Result<Vec<StoredAutomations>> {
                let sql = format!(
                    "SELECT {AUTOMATION_COLUMNS} FROM automations WHERE profile_version IS NULL OR profile_version <> version"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn profile_pushed(&self, page_id: &str, version: i64, error: Option<&str>, at: Time) -> Result<()> {
                let q = match error {
                    None => sqlx::query(
                        "UPDATE automations SET profile_version = $1, profile_synced_at = $2, profile_error = NULL, \
                         profile_error_at = NULL WHERE page_id = $3",
                    )
                    .bind(version)
                    .bind(at)
                    .bind(page_id),
                    Some(e) => sqlx::query(
                        "UPDATE automations SET profile_error = $1, profile_error_at = $2 WHERE page_id = $3",
                    )
                    .bind(e.to_owned())
                    .bind(at)
                    .bind(page_id),
                };
                self.write(q).await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn record_rating(&self, page_id: &str, psid: &str, mid: &str, rating: u8, at: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO ratings (page_id, psid, mid, rating, at, agent) VALUES ($1, $2, $3, $4, $5, \
                         COALESCE((SELECT u.username FROM conversations c JOIN users u ON u.id = c.assignee_id \
                                   WHERE c.page_id = $1 AND c.psid = $2), '')) \
                         ON CONFLICT (page_id, mid) DO NOTHING",
                    )
                    .bind(page_id)
                    .bind(psid)
                    .bind(mid)
                    .bind(i64::from(rating))
                    .bind(at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn ratings(&self, page_id: &str, since: Time) -> Result<Vec<Rating>> {
                Ok(sqlx::query_as(
                    "SELECT psid, rating, at FROM ratings WHERE page_id = $1 AND at >= $2 ORDER BY at",
                )
                .bind(page_id)
                .bind(since)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn last_sent_by(&self, page_id: &str, psid: &str, actor_like: &str) -> Result<Option<Time>> {
                Ok(sqlx::query_scalar(
                    "SELECT MAX(created_at) FROM outbox WHERE page_id = $1 AND psid = $2 AND actor LIKE $3 AND kind = 'message'",
                )
                .bind(page_id)
                .bind(psid)
                .bind(actor_like)
                .fetch_one(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use sql_automations;
