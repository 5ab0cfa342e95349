//! The broadcasts' SQL, shared by both backends like `sql_store!` (`release` reuses
//! `sql_outbox!`'s `enqueue_in`).

/// Implements [`crate::BroadcastStore`] for `$store` over `$db`.
macro_rules! sql_broadcasts {
    ($store:ty, $db:ty) => {
        use $crate::broadcasts::*;
        use $crate::kinds::{BroadcastStatus, RecipientState};

        const BROADCAST_COLUMNS: &str = "id, page_id, name, spec, plan, status, pause_reason, resume_at, campaign_id, \
            created_by, created_at, start_at, started_at, resumed_at, finished_at";

        const TOKEN_COLUMNS: &str = "psid, token, topic, frequency, issued_at, expires_at, status, last_sent_at, time_zone, \
            region, marketing_stopped_at, last_marketing_at";

        /// Recipient rows written per transaction: the SQLite writer is free again in between.
        const RECIPIENTS_PER_COMMIT: usize = 20_000;

        #[async_trait]
        impl BroadcastStore for $store {
            #[instrument(level = "debug", skip(self))]
            async fn marketing_setup(&self, page_id: &str) -> Result<MarketingSetup> {
                let row: Option<MarketingSetup> = sqlx::query_as(
                    "SELECT page_id, ad_account_id, business_token, daily_budget, pause_block_rate, pause_error_rate, \
                     default_country FROM page_marketing WHERE page_id = $1",
                )
                .bind(page_id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.unwrap_or_else(|| MarketingSetup::new(page_id)))
            }

            #[instrument(level = "debug", skip(self, s), fields(page = %s.page_id))]
            async fn set_marketing_setup(&self, s: &MarketingSetup, at: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "INSERT INTO page_marketing (page_id, ad_account_id, business_token, daily_budget, pause_block_rate, \
                         pause_error_rate, default_country, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (page_id) DO UPDATE SET ad_account_id = excluded.ad_account_id, \
                         business_token = excluded.business_token, daily_budget = excluded.daily_budget, \
                         pause_block_rate = excluded.pause_block_rate, pause_error_rate = excluded.pause_error_rate, \
                         default_country = excluded.default_country, updated_at = excluded.updated_at",
                    )
                    .bind(&s.page_id)
                    .bind(&s.ad_account_id)
                    .bind(&s.business_token)
                    .bind(s.daily_budget)
                    .bind(s.pause_block_rate)
                    .bind(s.pause_error_rate)
                    .bind(&s.default_country)
                    .bind(at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn audiences(&self, page_id: &str) -> Result<Vec<Audience>> {
                Ok(sqlx::query_as(
                    "SELECT id, page_id, name, segment, updated_at FROM audiences WHERE page_id = $1 ORDER BY name",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn audience(&self, id: i64) -> Result<Option<Audience>> {
                Ok(sqlx::query_as("SELECT id, page_id, name, segment, updated_at FROM audiences WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self, segment))]
            async fn save_audience(&self, page_id: &str, name: &str, segment: &str, at: Time) -> Result<i64> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO audiences (page_id, name, segment, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
                     ON CONFLICT (page_id, name) DO UPDATE SET segment = excluded.segment, updated_at = excluded.updated_at \
                     RETURNING id",
                )
                .bind(page_id)
                .bind(name)
                .bind(segment)
                .bind(at)
                .fetch_one(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(id)
            }

            #[instrument(level = "debug", skip(self))]
            async fn delete_audience(&self, id: i64) -> Result<bool> {
                Ok(self.write(sqlx::query("DELETE FROM audiences WHERE id = $1").bind(id)).await? == 1)
            }

            #[instrument(level = "debug", skip(self))]
            async fn audience_rows(&self, page_id: &str, after: &str, limit: i64) -> Result<Vec<AudienceRow>> {
                Ok(sqlx::query_as(
                    "SELECT psid, first_name, last_name, locale, timezone, gender, first_seen_at, last_interaction_at, \
                     window_closed_at, source_kind, source_ref, latest_source_kind, latest_source_ref, unreachable, opted_out, \
                     opted_out_at, thread_owner, thread_owner_until FROM contacts \
                     WHERE page_id = $1 AND psid > $2 AND erased_at IS NULL ORDER BY psid LIMIT $3",
                )
                .bind(page_id)
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn page_labels(&self, page_id: &str) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as("SELECT psid, label FROM conversation_labels WHERE page_id = $1")
                    .bind(page_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn page_notification_tokens(&self, page_id: &str) -> Result<Vec<ContactNotificationToken>> {
                let sql = format!("SELECT {TOKEN_COLUMNS} FROM notification_tokens WHERE page_id = $1 ORDER BY issued_at");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn page_one_time_tokens(&self, page_id: &str) -> Result<Vec<ContactOneTimeToken>> {
                Ok(sqlx::query_as(
                    "SELECT psid, token, topic, issued_at, used_at FROM one_time_tokens WHERE page_id = $1 ORDER BY issued_at",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn psids_with_bookings(&self, page_id: &str, from: Time) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT DISTINCT psid FROM bookings WHERE page_id = $1 AND status = 'booked' AND starts_at >= $2",
                )
                .bind(page_id)
                .bind(from)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, b), fields(page = %b.page_id))]
            async fn create_broadcast(&self, b: &NewBroadcast) -> Result<i64> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO broadcasts (page_id, name, spec, plan, status, campaign_id, created_by, created_at, start_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) RETURNING id",
                )
                .bind(&b.page_id)
                .bind(&b.name)
                .bind(&b.spec)
                .bind(&b.plan)
                .bind(b.status)
                .bind(&b.campaign_id)
                .bind(&b.created_by)
                .bind(b.created_at)
                .bind(b.start_at)
                .fetch_one(&mut *tx.tx)
                .await?;
                tx.tx.commit().await?;
                Ok(id)
            }

            #[instrument(level = "debug", skip(self, recipients), fields(n = recipients.len()))]
            async fn add_recipients(&self, broadcast_id: i64, recipients: &[NewRecipient]) -> Result<()> {
                for chunk in recipients.chunks(RECIPIENTS_PER_COMMIT) {
                    let mut tx = self.begin_write().await?;
                    for batch in chunk.chunks(RECIPIENT_BATCH) {
                        let mut q = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO broadcast_recipients (broadcast_id, psid, path, rule, state, due_at) ",
                        );
                        q.push_values(batch, |mut row, r| {
                            let state = if r.path == RecipientPath::Skipped {
                                RecipientState::Skipped
                            } else {
                                RecipientState::Planned
                            };
                            row.push_bind(broadcast_id)
                                .push_bind(&r.psid)
                                .push_bind(r.path)
                                .push_bind(&r.rule)
                                .push_bind(state)
                                .push_bind(r.due_at);
                        });
                        q.build().execute(&mut *tx.tx).await?;
                    }
                    tx.tx.commit().await?;
                }
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn broadcasts(&self, page_id: &str) -> Result<Vec<BroadcastRow>> {
                let sql = format!("SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE page_id = $1 ORDER BY id DESC");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn broadcast(&self, id: i64) -> Result<Option<BroadcastRow>> {
                let sql = format!("SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE id = $1");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn active_broadcasts(&self, now: Time) -> Result<Vec<BroadcastRow>> {
                let sql = format!(
                    "SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE status IN ('scheduled', 'sending') \
                     OR (status = 'paused' AND resume_at IS NOT NULL AND resume_at <= $1) ORDER BY id"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_broadcast_status(
                &self,
                id: i64,
                from: &[BroadcastStatus],
                status: BroadcastStatus,
                reason: Option<&str>,
                resume_at: Option<Time>,
                at: Time,
            ) -> Result<bool> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE broadcasts SET status = ");
                q.push_bind(status)
                    .push(", pause_reason = ")
                    .push_bind(reason)
                    .push(", resume_at = ")
                    .push_bind(resume_at)
                    .push(", updated_at = ")
                    .push_bind(at);
                if status == BroadcastStatus::Sending {
                    q.push(", started_at = COALESCE(started_at, ").push_bind(at).push(")");
                    q.push(", resumed_at = CASE WHEN status = 'paused' THEN ").push_bind(at).push(" ELSE resumed_at END");
                }
                if matches!(status, BroadcastStatus::Done | BroadcastStatus::Cancelled) {
                    q.push(", finished_at = ").push_bind(at);
                }
                q.push(" WHERE id = ").push_bind(id);
                if !from.is_empty() {
                    q.push(" AND status IN (");
                    let mut list = q.separated(", ");
                    for s in from {
                        list.push_bind(*s);
                    }
                    list.push_unseparated(")");
                }
                let mut tx = self.begin_write().await?;
                let moved = q.build().execute(&mut *tx.tx).await?.rows_affected() == 1;
                tx.tx.commit().await?;
                Ok(moved)
            }

            #[instrument(level = "debug", skip(self))]
            async fn set_campaign(&self, id: i64, campaign_id: &str) -> Result<()> {
                self.write(sqlx::query("UPDATE broadcasts SET campaign_id = $1 WHERE id = $2").bind(campaign_id).bind(id))
                    .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn due_recipients(&self, broadcast_id: i64, now: Time, limit: i64) -> Result<Vec<RecipientRow>> {
                Ok(sqlx::query_as(
                    "SELECT psid, path, rule, state, due_at, outbox_id, final_rule FROM broadcast_recipients \
                     WHERE broadcast_id = $1 AND state = 'planned' AND due_at <= $2 ORDER BY due_at, psid LIMIT $3",
                )
                .bind(broadcast_id)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn next_due(&self, broadcast_id: i64) -> Result<Option<Time>> {
                let at: Option<i64> = sqlx::query_scalar(
                    "SELECT MIN(due_at) FROM broadcast_recipients WHERE broadcast_id = $1 AND state = 'planned'",
                )
                .bind(broadcast_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(at.map(Time::from_ms))
            }

            #[instrument(level = "debug", skip(self, releases), fields(n = releases.len()))]
            async fn release(&self, broadcast_id: i64, releases: &[Release]) -> Result<usize> {
                let mut tx = self.begin_write().await?;
                let mut queued = 0;
                for r in releases {
                    let allowed = !r.enqueue.sends.is_empty();
                    let state = if allowed { RecipientState::Queued } else { RecipientState::Refused };
                    let claimed = sqlx::query(
                        "UPDATE broadcast_recipients SET state = $3, final_rule = $4 \
                         WHERE broadcast_id = $1 AND psid = $2 AND state = 'planned'",
                    )
                    .bind(broadcast_id)
                    .bind(&r.psid)
                    .bind(state)
                    .bind(&r.enqueue.audit.rule)
                    .execute(&mut *tx.tx)
                    .await?
                    .rows_affected()
                        == 1;
                    if !claimed {
                        continue;
                    }
                    let Some(enqueued) = enqueue_in(&mut tx.tx, &r.enqueue).await? else {
                        continue;
                    };
                    if let Some(&outbox_id) = enqueued.outbox_ids.last() {
                        queued += 1;
                        sqlx::query("UPDATE broadcast_recipients SET outbox_id = $3 WHERE broadcast_id = $1 AND psid = $2")
                            .bind(broadcast_id)
                            .bind(&r.psid)
                            .bind(outbox_id)
                            .execute(&mut *tx.tx)
                            .await?;
                    }
                }
                tx.tx.commit().await?;
                Ok(queued)
            }

            #[instrument(level = "debug", skip(self))]
            async fn tally(&self, broadcast_id: i64) -> Result<Tally> {
                let rows: Vec<(RecipientState, Option<$crate::OutboxStatus>, Option<i64>, Option<i64>, i64, i64)> =
                    sqlx::query_as(
                        "SELECT r.state, o.status, o.error_code, o.error_subcode, COUNT(*), \
                         SUM(CASE WHEN o.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.page_id = o.page_id \
                             AND m.psid = o.psid AND m.direction = 'in' AND m.sent_at > o.sent_at) THEN 1 ELSE 0 END) \
                         FROM broadcast_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id \
                         WHERE r.broadcast_id = $1 GROUP BY r.state, o.status, o.error_code, o.error_subcode",
                    )
                    .bind(broadcast_id)
                    .fetch_all(&self.pool)
                    .await?;
                let mut t = Tally::default();
                for (state, status, code, subcode, n, replied) in rows {
                    use $crate::OutboxStatus as O;
                    t.replied += replied;
                    match (state, status) {
                        (RecipientState::Planned, _) => t.planned += n,
                        (RecipientState::Skipped, _) => t.skipped += n,
                        (RecipientState::Refused, _) => t.refused += n,
                        (RecipientState::Queued, Some(O::Sent)) => t.sent += n,
                        (RecipientState::Queued, Some(O::Delivered)) => t.delivered += n,
                        (RecipientState::Queued, Some(O::Read)) => t.read += n,
                        (RecipientState::Queued, Some(O::Failed)) if blocked(code, subcode) => t.blocked += n,
                        (RecipientState::Queued, Some(O::Failed)) => t.failed += n,
                        (RecipientState::Queued, _) => t.queued += n,
                    }
                }
                Ok(t)
            }

            #[instrument(level = "debug", skip(self))]
            async fn send_rates(&self, broadcast_id: i64) -> Result<(i64, i64, i64)> {
                let (answered, blocked, failed): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
                    "SELECT COUNT(*), \
                     SUM(CASE WHEN status = 'failed' AND (error_code = 551 OR error_subcode IN (1545041, 2018108)) \
                         THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) \
                     FROM outbox WHERE actor = $1 AND status IN ('sent', 'delivered', 'read', 'failed')",
                )
                .bind(format!("broadcast:{broadcast_id}"))
                .fetch_one(&self.pool)
                .await?;
                Ok((answered, blocked.unwrap_or(0), failed.unwrap_or(0)))
            }

            #[instrument(level = "debug", skip(self))]
            async fn reasons(&self, broadcast_id: i64) -> Result<Vec<(String, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT COALESCE(final_rule, rule), COUNT(*) FROM broadcast_recipients \
                     WHERE broadcast_id = $1 AND state IN ('skipped', 'refused') GROUP BY COALESCE(final_rule, rule) \
                     ORDER BY COUNT(*) DESC",
                )
                .bind(broadcast_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn recipient_results(
                &self,
                broadcast_id: i64,
                problems: bool,
                after: &str,
                limit: i64,
            ) -> Result<Vec<RecipientResult>> {
                let filter = if problems { "AND r.state IN ('skipped', 'refused')" } else { "" };
                let sql = format!(
                    "SELECT r.psid, c.first_name, c.last_name, r.path, r.rule, r.state, r.final_rule, o.status, o.error, \
                     o.error_code FROM broadcast_recipients r \
                     JOIN broadcasts b ON b.id = r.broadcast_id \
                     LEFT JOIN contacts c ON c.page_id = b.page_id AND c.psid = r.psid \
                     LEFT JOIN outbox o ON o.id = r.outbox_id \
                     WHERE r.broadcast_id = $1 AND r.psid > $2 {filter} ORDER BY r.psid LIMIT $3"
                );
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(broadcast_id)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn given_contact_details(&self, page_id: &str) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as(
                    "SELECT psid, value FROM contact_fields WHERE page_id = $1 \
                     UNION ALL SELECT psid, quick_reply_payload FROM messages \
                     WHERE page_id = $1 AND direction = 'in' AND quick_reply_payload IS NOT NULL \
                     AND (quick_reply_payload LIKE '%@%' OR quick_reply_payload LIKE '+%')",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn last_event_of_kind(&self, page_id: &str, kind: &str) -> Result<Option<Time>> {
                let at: Option<i64> = sqlx::query_scalar("SELECT MAX(at) FROM events WHERE page_id = $1 AND kind = $2")
                    .bind(page_id)
                    .bind(kind)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(at.map(Time::from_ms))
            }

            #[instrument(level = "debug", skip(self))]
            async fn stop_marketing(&self, page_id: &str, token: &str, at: Time) -> Result<()> {
                self.write(
                    sqlx::query(
                        "UPDATE notification_tokens SET marketing_stopped_at = $3 WHERE page_id = $1 AND token = $2",
                    )
                    .bind(page_id)
                    .bind(token)
                    .bind(at),
                )
                .await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn record_optin_request(&self, page_id: &str, psid: &str, title: &str, at: Time) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                let recent: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM marketing_requests WHERE page_id = $1 AND psid = $2 AND title = $3 AND sent_at > $4",
                )
                .bind(page_id)
                .bind(psid)
                .bind(title)
                .bind(at - std::time::Duration::from_secs(7 * 86_400))
                .fetch_one(&mut *tx.tx)
                .await?;
                if recent > 0 {
                    return Ok(false);
                }
                sqlx::query("INSERT INTO marketing_requests (page_id, psid, title, sent_at) VALUES ($1, $2, $3, $4)")
                    .bind(page_id)
                    .bind(psid)
                    .bind(title)
                    .bind(at)
                    .execute(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                Ok(true)
            }

            #[instrument(level = "debug", skip(self))]
            async fn sync_subscription(
                &self,
                page_id: &str,
                psid: &str,
                token: &str,
                time_zone: Option<&str>,
                region: Option<&str>,
                at: Time,
            ) -> Result<bool> {
                let n = self
                    .write(
                        sqlx::query(
                            "INSERT INTO notification_tokens (token, page_id, psid, issued_at, status, time_zone, region, source) \
                             VALUES ($1, $2, $3, $4, 'active', $5, $6, 'synced') ON CONFLICT (token) DO NOTHING",
                        )
                        .bind(token)
                        .bind(page_id)
                        .bind(psid)
                        .bind(at)
                        .bind(time_zone)
                        .bind(region),
                    )
                    .await?;
                Ok(n == 1)
            }
        }

        /// The person blocked the Page or cannot be reached.
        fn blocked(code: Option<i64>, subcode: Option<i64>) -> bool {
            code == Some(551) || matches!(subcode, Some(1545041 | 2018108))
        }
    };
}

pub(crate) use sql_broadcasts;
