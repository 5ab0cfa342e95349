//! The flows' SQL, shared by both backends like `sql_store!`.

/// Implements [`crate::FlowStore`] for `$store` over `$db`.
macro_rules! sql_flows {
    ($store:ty, $db:ty) => {
        use $crate::flows::*;

        const RUN_COLUMNS: &str =
            "id, page_id, psid, flow, version, state, finished, wake_at, started_at, updated_at";

        const BOOKING_COLUMNS: &str = "id, page_id, psid, service, resource, starts_at, ends_at, status, remind_at, \
            reminder, created_at, updated_at";

        /// Appointments of `resource` overlapping `[starts, ends)`, but `except`.
        const OVERLAPPING: &str = "SELECT COUNT(*) FROM bookings WHERE page_id = $1 AND resource = $2 AND status = 'booked' \
            AND starts_at < $4 AND ends_at > $3 AND id <> $5";

        impl $store {
            /// On PostgreSQL, concurrent bookings of the same page wait for each other, so the
            /// capacity check and the write see the same rows (SQLite has one writer anyway).
            async fn lock_bookings(&self, tx: &mut sqlx::Transaction<'_, $db>) -> Result<()> {
                if self.backend() == "postgres" {
                    sqlx::query("LOCK TABLE bookings IN SHARE ROW EXCLUSIVE MODE").execute(&mut **tx).await?;
                }
                Ok(())
            }

            async fn room(&self, tx: &mut sqlx::Transaction<'_, $db>, b: &NewBooking<'_>, except: i64) -> Result<bool> {
                let n: i64 = sqlx::query_scalar(OVERLAPPING)
                    .bind(b.page_id)
                    .bind(b.resource)
                    .bind(b.starts_at)
                    .bind(b.ends_at)
                    .bind(except)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok(n < i64::from(b.capacity))
            }
        }

        #[async_trait]
        impl FlowStore for $store {
            #[instrument(level = "debug", skip(self, b))]
            async fn create_booking(&self, b: &NewBooking<'_>, at: Time) -> Result<Option<i64>> {
                let mut tx = self.begin_write().await?;
                self.lock_bookings(&mut tx.tx).await?;
                if !self.room(&mut tx.tx, b, 0).await? {
                    return Ok(None);
                }
                let reminder = if b.remind_at.is_some() { ReminderState::Pending } else { ReminderState::None };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO bookings (page_id, psid, service, resource, starts_at, ends_at, remind_at, reminder, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(b.page_id)
                .bind(b.psid)
                .bind(b.service)
                .bind(b.resource)
                .bind(b.starts_at)
                .bind(b.ends_at)
                .bind(b.remind_at)
                .bind(reminder)
                .bind(at)
                .fetch_one(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(Some(id))
            }

            #[instrument(level = "debug", skip(self, to))]
            async fn move_booking(&self, id: i64, to: &NewBooking<'_>, at: Time) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                self.lock_bookings(&mut tx.tx).await?;
                if !self.room(&mut tx.tx, to, id).await? {
                    return Ok(false);
                }
                let reminder = if to.remind_at.is_some() { ReminderState::Pending } else { ReminderState::None };
                let moved = sqlx::query(
                    "UPDATE bookings SET resource = $1, starts_at = $2, ends_at = $3, remind_at = $4, reminder = $5, \
                     updated_at = $6 WHERE id = $7 AND status = 'booked'",
                )
                .bind(to.resource)
                .bind(to.starts_at)
                .bind(to.ends_at)
                .bind(to.remind_at)
                .bind(reminder)
                .bind(at)
                .bind(id)
                .execute(&mut *tx.tx)
                .await?
                .rows_affected();
                tx.tx.commit().await?;
                Ok(moved == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn cancel_booking(&self, id: i64, at: Time) -> Result<bool> {
                let n = self
                    .write(
                        sqlx::query(
                            "UPDATE bookings SET status = 'cancelled', reminder = CASE WHEN reminder = 'pending' THEN 'none' ELSE reminder END, \
                             updated_at = $1 WHERE id = $2 AND status = 'booked'",
                        )
                        .bind(at)
                        .bind(id),
                    )
                    .await?;
                Ok(n == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn booking(&self, id: i64) -> Result<Option<BookingRow>> {
                let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn bookings(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<BookingRow>> {
                let sql = format!(
                    "SELECT {BOOKING_COLUMNS} FROM bookings WHERE page_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).bind(from).bind(to).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn upcoming_bookings(&self, page_id: &str, psid: &str, now: Time) -> Result<Vec<BookingRow>> {
                let sql = format!(
                    "SELECT {BOOKING_COLUMNS} FROM bookings WHERE page_id = $1 AND psid = $2 AND status = 'booked' AND ends_at > $3 ORDER BY starts_at"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).bind(psid).bind(now).fetch_all(&self.pool).await?)
            }

            /// The state is tested again outside the subquery: on PostgreSQL a second worker
            /// that waited for the first one's row lock re-reads the row and skips it.
            #[instrument(level = "debug", skip(self))]
            async fn claim_reminders(&self, now: Time, limit: i64) -> Result<Vec<BookingRow>> {
                let sql = format!(
                    "UPDATE bookings SET reminder = 'firing', updated_at = $1 WHERE id IN ( \
                       SELECT id FROM bookings WHERE status = 'booked' AND remind_at <= $1 AND \
                       (reminder = 'pending' OR (reminder = 'firing' AND updated_at < $2)) ORDER BY remind_at LIMIT $3) \
                     AND (reminder = 'pending' OR (reminder = 'firing' AND updated_at < $2)) \
                     RETURNING {BOOKING_COLUMNS}"
                );
                let stale = Time::from_ms(now.ms() - 5 * 60_000);
                let mut tx = self.begin_write().await?;
                let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(stale)
                    .bind(limit)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                Ok(rows)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_reminder(&self, id: i64, state: ReminderState, at: Time) -> Result<()> {
                self.write(
                    sqlx::query("UPDATE bookings SET reminder = $1, updated_at = $2 WHERE id = $3")
                        .bind(state)
                        .bind(at)
                        .bind(id),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn flows(&self, page_id: &str) -> Result<Option<StoredFlows>> {
                Ok(sqlx::query_as(
                    "SELECT page_id, version, document, updated_at, updated_by FROM flows WHERE page_id = $1",
                )
                .bind(page_id)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn flows_version(&self, page_id: &str, version: i64) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT document FROM flow_versions WHERE page_id = $1 AND version = $2")
                    .bind(page_id)
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, document))]
            async fn apply_flows(&self, page_id: &str, document: &str, by: &str, at: Time) -> Result<i64> {
                let mut tx = self.begin_write().await?;
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO flows (page_id, version, document, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4) \
                     ON CONFLICT (page_id) DO UPDATE SET version = flows.version + 1, document = excluded.document, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING version",
                )
                .bind(page_id)
                .bind(document)
                .bind(at)
                .bind(by)
                .fetch_one(&mut *tx.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO flow_versions (page_id, version, document, applied_at, applied_by) VALUES ($1, $2, $3, $4, $5)",
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
            async fn flows_versions(&self, page_id: &str, limit: i64) -> Result<Vec<AutomationVersion>> {
                Ok(sqlx::query_as(
                    "SELECT version, applied_at, applied_by FROM flow_versions WHERE page_id = $1 ORDER BY version DESC LIMIT $2",
                )
                .bind(page_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn active_run(&self, page_id: &str, psid: &str) -> Result<Option<StoredRun>> {
                let sql = format!("SELECT {RUN_COLUMNS} FROM flow_runs WHERE page_id = $1 AND psid = $2 AND NOT finished");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).bind(psid).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self, update))]
            async fn start_run(
                &self,
                page_id: &str,
                psid: &str,
                flow: &str,
                version: i64,
                step: &str,
                update: &RunUpdate<'_>,
                at: Time,
            ) -> Result<i64> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO flow_runs (page_id, psid, flow, version, step, state, finished, wake_at, started_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(page_id)
                .bind(psid)
                .bind(flow)
                .bind(version)
                .bind(step)
                .bind(update.state)
                .bind(update.finished)
                .bind(update.wake_at)
                .bind(at)
                .fetch_one(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(id)
            }

            #[instrument(level = "debug", skip(self, update))]
            async fn save_run(&self, id: i64, step: &str, update: &RunUpdate<'_>, at: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "UPDATE flow_runs SET step = $1, state = $2, finished = $3, wake_at = $4, updated_at = $5 WHERE id = $6",
                    )
                    .bind(step)
                    .bind(update.state)
                    .bind(update.finished)
                    .bind(update.wake_at)
                    .bind(at)
                    .bind(id),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn due_runs(&self, now: Time, limit: i64) -> Result<Vec<StoredRun>> {
                let sql = format!(
                    "SELECT {RUN_COLUMNS} FROM flow_runs WHERE wake_at IS NOT NULL AND wake_at <= $1 AND NOT finished \
                     ORDER BY wake_at LIMIT $2"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(limit).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn flow_steps(&self, page_id: &str) -> Result<Vec<StepCount>> {
                Ok(sqlx::query_as(
                    "SELECT flow, step, COUNT(*) AS customers FROM flow_runs WHERE page_id = $1 AND NOT finished \
                     GROUP BY flow, step ORDER BY flow, step",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn flow_decisions(&self, page_id: &str, since: Time) -> Result<Vec<(String, i64, i64)>> {
                let rows: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT actor, SUM(CASE WHEN verdict = 'allow' THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN verdict = 'deny' THEN 1 ELSE 0 END) FROM audit_log \
                     WHERE page_id = $1 AND at >= $2 AND actor LIKE 'automation:flow:%' GROUP BY actor ORDER BY actor",
                )
                .bind(page_id)
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(actor, sent, refused)| {
                        (actor.trim_start_matches("automation:flow:").to_owned(), sent, refused)
                    })
                    .collect())
            }

            #[instrument(level = "debug", skip(self, value))]
            async fn set_field(&self, page_id: &str, psid: &str, field: &str, value: &str, at: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO contact_fields (page_id, psid, field, value, updated_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (page_id, psid, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    )
                    .bind(page_id)
                    .bind(psid)
                    .bind(field)
                    .bind(value)
                    .bind(at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn page_fields(&self, page_id: &str) -> Result<Vec<FieldRow>> {
                Ok(sqlx::query_as(
                    "SELECT psid, field, value, updated_at FROM contact_fields WHERE page_id = $1 ORDER BY psid, field",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn fields(&self, page_id: &str, psid: &str) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as(
                    "SELECT field, value FROM contact_fields WHERE page_id = $1 AND psid = $2 ORDER BY field",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use sql_flows;
