//! The users' SQL, shared by both backends like `sql_store!`.

/// Implements [`crate::AccountStore`] for `$store` over `$db`.
macro_rules! sql_accounts {
    ($store:ty, $db:ty) => {
        use $crate::accounts::*;

        const USER_COLUMNS: &str = "id, username, password_hash, role, disabled, created_at";

        fn user_from_row(r: &<$db as sqlx::Database>::Row) -> Result<User, sqlx::Error> {
            let role: String = r.try_get("role")?;
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                password_hash: r.try_get("password_hash")?,
                // The schema's CHECK admits only the two roles.
                role: Role::parse(&role).unwrap_or(Role::Agent),
                disabled: r.try_get("disabled")?,
                created_at: r.try_get("created_at")?,
            })
        }

        #[async_trait]
        impl AccountStore for $store {
            async fn create_user(&self, username: &str, password_hash: &str, role: Role, now: i64) -> Result<Option<i64>> {
                let _turn = self.write_turn().await;
                let row = sqlx::query(
                    "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (username) DO NOTHING RETURNING id",
                )
                .bind(username)
                .bind(password_hash)
                .bind(role.as_str())
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|r| r.try_get("id")).transpose()?)
            }

            async fn user(&self, username: &str) -> Result<Option<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(user_from_row).transpose()?)
            }

            async fn users(&self) -> Result<Vec<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
            }

            async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool> {
                let _turn = self.write_turn().await;
                let done = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
                    .bind(disabled)
                    .bind(username)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn create_session(&self, token_hash: &str, user_id: i64, now: i64, expires_at: i64) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(now)
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
                let row = sqlx::query(
                    "SELECT u.id, u.username, u.password_hash, u.role, u.disabled, u.created_at FROM sessions s \
                     JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.as_ref().map(user_from_row).transpose()?)
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}

pub(crate) use sql_accounts;
