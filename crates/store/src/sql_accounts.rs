//! The users' SQL, shared by both backends like `sql_store!` (whose helpers it uses).

/// Implements [`crate::AccountStore`] for `$store` over `$db`.
macro_rules! sql_accounts {
    ($store:ty, $db:ty) => {
        use $crate::accounts::*;

        #[async_trait]
        impl AccountStore for $store {
            #[instrument(level = "debug", skip(self, password_hash))]
            async fn create_user(&self, username: &str, password_hash: &str, role: Role, now: Time) -> Result<Option<i64>> {
                Ok(self
                    .write_returning(
                        sqlx::query_scalar(
                            "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (username) DO NOTHING RETURNING id",
                        )
                        .bind(username)
                        .bind(password_hash)
                        .bind(role)
                        .bind(now),
                    )
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn user(&self, username: &str) -> Result<Option<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn users(&self) -> Result<Vec<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.username");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool> {
                let changed = self
                    .write(sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2").bind(disabled).bind(username))
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_user_preferences(&self, user_id: i64, language: Option<&str>, time_zone: Option<&str>) -> Result<bool> {
                let changed = self
                    .write(
                        sqlx::query("UPDATE users SET language = $1, time_zone = $2 WHERE id = $3")
                            .bind(language)
                            .bind(time_zone)
                            .bind(user_id),
                    )
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self, password_hash))]
            async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<bool> {
                let changed = self
                    .write(sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(password_hash).bind(user_id))
                    .await?;
                Ok(changed == 1)
            }

            #[instrument(level = "debug", skip(self, token_hash))]
            async fn create_session(&self, token_hash: &str, user_id: i64, now: Time, expires_at: Time) -> Result<()> {
                self.write(
                    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                        .bind(token_hash)
                        .bind(user_id)
                        .bind(now)
                        .bind(expires_at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self, token_hash))]
            async fn session_user(&self, token_hash: &str, now: Time) -> Result<Option<User>> {
                let sql = format!(
                    "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, token_hash))]
            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                self.write(sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash)).await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn delete_expired_sessions(&self, now: Time) -> Result<u64> {
                Ok(self.write(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now)).await?)
            }
        }
    };
}

pub(crate) use sql_accounts;
