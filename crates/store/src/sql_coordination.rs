//! Coordination's SQL, shared by both backends like `sql_store!` (whose helpers it uses). Each
//! backend names its clock in `NOW_US` (microseconds since the epoch) and implements
//! `publish_payload` and `listen`.

/// Implements [`crate::CoordinationStore`] for `$store` over `$db`.
macro_rules! sql_coordination {
    ($store:ty, $db:ty) => {
        use $crate::coordination::*;

        static TAKE_TURN: LazyLock<String> = LazyLock::new(|| {
            format!(
                "INSERT INTO paces (key, tat) VALUES ($1, {NOW_US} + $2) \
                 ON CONFLICT (key) DO UPDATE \
                 SET tat = CASE WHEN paces.tat > {NOW_US} THEN paces.tat ELSE {NOW_US} END + $2 \
                 WHERE paces.tat - $3 <= {NOW_US} RETURNING tat"
            )
        });
        static TURN_WAIT: LazyLock<String> =
            LazyLock::new(|| format!("SELECT tat - $2 - {NOW_US} FROM paces WHERE key = $1"));
        static FORGET_PACES: LazyLock<String> =
            LazyLock::new(|| format!("DELETE FROM paces WHERE tat < {NOW_US} - 3600000000"));

        #[async_trait]
        impl CoordinationStore for $store {
            async fn take_turn(&self, key: &str, every: Duration, burst: u32) -> Result<Option<Duration>> {
                let every_us = every.as_micros().clamp(1, i64::MAX as u128) as i64;
                let tolerance_us = every_us.saturating_mul(i64::from(burst.max(1) - 1));
                // Urgent on SQLite: a send waiting for its turn must not wait behind processing.
                let mut tx = self.begin_urgent().await?;
                let taken: Option<i64> = sqlx::query_scalar(TAKE_TURN.as_str())
                    .bind(key)
                    .bind(every_us)
                    .bind(tolerance_us)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                if taken.is_some() {
                    return Ok(None);
                }
                let wait: Option<i64> = sqlx::query_scalar(TURN_WAIT.as_str())
                    .bind(key)
                    .bind(tolerance_us)
                    .fetch_optional(&self.pool)
                    .await?;
                // At least a millisecond: the row may have moved on since.
                Ok(Some(Duration::from_micros(wait.unwrap_or(0).max(1_000) as u64)))
            }

            async fn login_failures(&self, name: &str, since: Time) -> Result<u32> {
                let n: Option<i64> = sqlx::query_scalar(
                    "SELECT failures FROM login_failures WHERE name = $1 AND last_at >= $2",
                )
                .bind(name)
                .bind(since)
                .fetch_optional(&self.pool)
                .await?;
                Ok(n.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32)
            }

            async fn login_failed(&self, name: &str, now: Time, since: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO login_failures (name, failures, last_at) VALUES ($1, 1, $2) \
                         ON CONFLICT (name) DO UPDATE SET last_at = $2, failures = \
                         CASE WHEN login_failures.last_at < $3 THEN 1 ELSE login_failures.failures + 1 END",
                    )
                    .bind(name)
                    .bind(now)
                    .bind(since),
                )
                .await?;
                Ok(())
            }

            async fn login_succeeded(&self, name: &str) -> Result<()> {
                self.write(sqlx::query("DELETE FROM login_failures WHERE name = $1").bind(name))
                    .await?;
                Ok(())
            }

            async fn forget_coordination(&self, failures_before: Time) -> Result<u64> {
                let failures = self
                    .write(sqlx::query("DELETE FROM login_failures WHERE last_at < $1").bind(failures_before))
                    .await?;
                let paces = self.write(sqlx::query(FORGET_PACES.as_str())).await?;
                Ok(failures + paces)
            }

            async fn publish(&self, payload: &str) -> Result<()> {
                self.publish_payload(payload).await
            }

            async fn subscribe(&self) -> Result<Option<Subscription>> {
                self.listen().await
            }
        }
    };
}

pub(crate) use sql_coordination;
