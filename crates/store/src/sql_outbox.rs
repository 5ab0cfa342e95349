//! The outbox's SQL, shared by both backends like `sql_store!` (whose helpers it uses).

/// Implements [`crate::OutboxStore`] for `$store` over `$db`, and the two hooks webhook
/// processing calls: `reconcile_echo` and `mark_seen_by_customer`.
macro_rules! sql_outbox {
    ($store:ty, $db:ty) => {
        use $crate::outbox::*;

        static CLAIM_SENDS: LazyLock<String> = LazyLock::new(|| claim_sends_sql(SKIP_LOCKED));

        /// Writes the audit entry, the sends and what they consume in `tx`. `None` when a send's
        /// dedupe key was queued before: the caller rolls back.
        async fn enqueue_in(tx: &mut sqlx::Transaction<'static, $db>, e: &Enqueue) -> Result<Option<Enqueued>> {
            let a = &e.audit;
            let audit_id: i64 = sqlx::query_scalar(
                "INSERT INTO audit_log (at, page_id, psid, actor, message, verdict, rule, explanation, decision) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(a.at)
            .bind(&a.page_id)
            .bind(&a.psid)
            .bind(&a.actor)
            .bind(&a.message)
            .bind(&a.verdict)
            .bind(&a.rule)
            .bind(&a.explanation)
            .bind(&a.decision)
            .fetch_one(&mut **tx)
            .await?;
            // The day's count by rule (see `analytics`).
            sqlx::query(
                "INSERT INTO decision_days (page_id, day, rule, verdict, n, warned) VALUES ($1, $2, $3, $4, 1, $5) \
                 ON CONFLICT (page_id, day, rule, verdict) DO UPDATE SET n = decision_days.n + 1, \
                 warned = decision_days.warned + excluded.warned",
            )
            .bind(&a.page_id)
            .bind(a.at.ms().div_euclid(86_400_000))
            .bind(&a.rule)
            .bind(&a.verdict)
            .bind(i64::from(!a.decision.contains("\"warnings\":[]")))
            .execute(&mut **tx)
            .await?;
            let mut outbox_ids = Vec::with_capacity(e.sends.len());
            for send in &e.sends {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO outbox (page_id, psid, dedupe_key, actor, kind, request, next_attempt_at, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                )
                .bind(&a.page_id)
                .bind(&a.psid)
                .bind(&send.dedupe_key)
                .bind(&a.actor)
                .bind(send.kind)
                .bind(&send.request)
                .bind(a.at)
                .fetch_optional(&mut **tx)
                .await?;
                match id {
                    Some(id) => outbox_ids.push(id),
                    None => return Ok(None),
                }
            }
            if let Some(&message_id) = outbox_ids.last() {
                sqlx::query("UPDATE audit_log SET outbox_id = $1 WHERE id = $2")
                    .bind(message_id)
                    .bind(audit_id)
                    .execute(&mut **tx)
                    .await?;
            }
            let consume = match &e.consume {
                None => None,
                Some(Consume::OneTimeToken(t)) => Some(
                    sqlx::query("UPDATE one_time_tokens SET used_at = $3 WHERE page_id = $1 AND token = $2")
                        .bind(&a.page_id)
                        .bind(t)
                        .bind(a.at),
                ),
                Some(Consume::NotificationToken(t)) => Some(
                    sqlx::query("UPDATE notification_tokens SET last_sent_at = $3 WHERE page_id = $1 AND token = $2")
                        .bind(&a.page_id)
                        .bind(t)
                        .bind(a.at),
                ),
                Some(Consume::MarketingToken(t)) => Some(
                    sqlx::query("UPDATE notification_tokens SET last_marketing_at = $3 WHERE page_id = $1 AND token = $2")
                        .bind(&a.page_id)
                        .bind(t)
                        .bind(a.at),
                ),
                Some(Consume::PrivateReply(c)) => Some(
                    sqlx::query("UPDATE comments SET private_reply_sent = TRUE WHERE page_id = $1 AND comment_id = $2")
                        .bind(&a.page_id)
                        .bind(c),
                ),
            };
            if let Some(query) = consume {
                query.execute(&mut **tx).await?;
            }
            Ok(Some(Enqueued { audit_id: Some(audit_id), outbox_ids }))
        }

        #[async_trait]
        impl OutboxStore for $store {
            #[instrument(level = "debug", skip_all, fields(page = %e.audit.page_id, psid = %e.audit.psid))]
            async fn enqueue(&self, e: &Enqueue) -> Result<Enqueued> {
                let mut tx = self.begin_write().await?;
                match enqueue_in(&mut tx.tx, e).await? {
                    Some(enqueued) => {
                        tx.tx.commit().await?;
                        Ok(enqueued)
                    }
                    // Queued before by an earlier run: leave everything as it was.
                    None => {
                        tx.tx.rollback().await?;
                        Ok(Enqueued { audit_id: None, outbox_ids: vec![] })
                    }
                }
            }

            #[instrument(level = "debug", skip(self))]
            async fn claim_sends(
                &self,
                worker: &str,
                limit: i64,
                now: Time,
                lease: Duration,
                reconcile: Duration,
            ) -> Result<Vec<OutboxRow>> {
                let mut tx = self.begin_urgent().await?;
                sqlx::query(
                    "UPDATE outbox SET status = 'unknown', reconcile_until = $1, claimed_by = NULL, claimed_until = NULL, \
                     error = 'the worker stopped during the send; waiting for its echo', updated_at = $2 \
                     WHERE status = 'sending' AND claimed_until < $2",
                )
                .bind(now + reconcile)
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
                // An echo may be in a webhook we already hold but have not processed (its worker
                // died with the claim): while any body received in time is pending, wait for it.
                sqlx::query(
                    "UPDATE outbox SET status = 'queued', reconcile_until = NULL, next_attempt_at = $1, updated_at = $1, \
                     error = 'no echo arrived: the send did not go out; sending again' \
                     WHERE status = 'unknown' AND reconcile_until < $1 \
                     AND NOT EXISTS (SELECT 1 FROM webhook_inbox w WHERE w.status = 'pending' \
                                     AND w.received_at <= outbox.reconcile_until)",
                )
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
                let mut claimed: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(CLAIM_SENDS.as_str()))
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

            #[instrument(level = "debug", skip(self, outcomes), fields(outcomes = outcomes.len()))]
            async fn finish_sends(&self, worker: &str, outcomes: &[(i64, SendOutcome)], now: Time) -> Result<()> {
                let mut tx = self.begin_urgent().await?;
                for (id, outcome) in outcomes {
                    finish_one(&mut tx.tx, *id, worker, outcome, now).await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn outbox_row(&self, id: i64) -> Result<Option<OutboxRow>> {
                let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn outbox_for(&self, page_id: &str, psid: &str) -> Result<Vec<OutboxRow>> {
                let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE page_id = $1 AND psid = $2 ORDER BY id");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(page_id).bind(psid).fetch_all(&self.pool).await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn outbox_counts(&self) -> Result<Vec<(OutboxStatus, i64)>> {
                Ok(sqlx::query_as("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status")
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn audit_for(&self, page_id: &str, psid: &str) -> Result<Vec<AuditEntry>> {
                Ok(sqlx::query_as(
                    "SELECT id, at, page_id, psid, actor, message, verdict, rule, explanation, decision, outbox_id \
                     FROM audit_log WHERE page_id = $1 AND psid = $2 ORDER BY id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn automated_sent_since(&self, page_id: &str, psid: &str, since: Time) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) AS n FROM outbox WHERE page_id = $1 AND psid = $2 AND created_at >= $3 \
                     AND kind = 'message' AND status <> 'failed' \
                     AND (actor LIKE 'automation:%' OR actor LIKE 'broadcast:%')",
                )
                .bind(page_id)
                .bind(psid)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, templates))]
            async fn replace_templates(&self, page_id: &str, templates: &[Template], now: Time) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM templates WHERE page_id = $1").bind(page_id).execute(&mut *tx.tx).await?;
                for t in templates {
                    sqlx::query(
                        "INSERT INTO templates (page_id, name, language, category, status, body, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(page_id)
                    .bind(&t.name)
                    .bind(&t.language)
                    .bind(&t.category)
                    .bind(t.status)
                    .bind(&t.body)
                    .bind(now)
                    .execute(&mut *tx.tx)
                    .await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn templates(&self, page_id: &str) -> Result<Vec<Template>> {
                Ok(sqlx::query_as(
                    "SELECT name, language, category, status, body FROM templates WHERE page_id = $1 ORDER BY name, language",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn pending_automations(&self, limit: i64) -> Result<Vec<PendingMessage>> {
                static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!(
                    "SELECT * FROM (SELECT page_id, psid, mid, text, quick_reply_payload AS payload, NULL AS referral, \
                     'message' AS trigger, sent_at FROM {} WHERE automation_pending ORDER BY id LIMIT $1) m \
                     UNION ALL SELECT * FROM (SELECT page_id, psid, event_key, NULL, payload, referral, 'tap', at FROM {} \
                     WHERE automation_pending ORDER BY id LIMIT $1) e \
                     UNION ALL SELECT * FROM (SELECT page_id, author_id, comment_id, text, NULL, NULL, 'comment', at FROM {} \
                     WHERE automation_pending AND author_id IS NOT NULL ORDER BY at LIMIT $1) c ORDER BY sent_at",
                    through("messages", "messages_automation"),
                    through("events", "events_automation"),
                    through("comments", "comments_automation"),
                ));
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(SQL.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, m))]
            async fn automation_done(&self, m: &PendingMessage) -> Result<()> {
                let sql = match m.trigger {
                    Trigger::Message => "UPDATE messages SET automation_pending = FALSE WHERE page_id = $1 AND mid = $2",
                    Trigger::Tap => "UPDATE events SET automation_pending = FALSE WHERE page_id = $1 AND event_key = $2",
                    Trigger::Comment => "UPDATE comments SET automation_pending = FALSE WHERE page_id = $1 AND comment_id = $2",
                };
                self.write(sqlx::query(sql).bind(&m.page_id).bind(&m.mid)).await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn previous_inbound_at(&self, page_id: &str, psid: &str, at: Time, mid: &str) -> Result<Option<Time>> {
                Ok(sqlx::query_scalar(
                    "SELECT MAX(sent_at) AS at FROM messages WHERE page_id = $1 AND psid = $2 AND direction = 'in' \
                     AND sent_at <= $3 AND mid <> $4",
                )
                .bind(page_id)
                .bind(psid)
                .bind(at)
                .bind(mid)
                .fetch_one(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, p))]
            async fn save_profile(&self, page_id: &str, psid: &str, p: &Profile, now: Time) -> Result<()> {
                self.write(sqlx::query(
                    "UPDATE contacts SET first_name = $1, last_name = $2, profile_pic = $3, locale = $4, timezone = $5, \
                     gender = $6, profile_fetched_at = $7, search_name = $10 WHERE page_id = $8 AND psid = $9",
                )
                .bind(&p.first_name)
                .bind(&p.last_name)
                .bind(&p.profile_pic)
                .bind(&p.locale)
                .bind(p.timezone)
                .bind(&p.gender)
                .bind(now)
                .bind(page_id)
                .bind(psid)
                .bind($crate::search::search_name(p)))
                .await?;
                Ok(())
            }
        }

        /// Records one outcome (see [`OutboxStore::finish_sends`]).
        async fn finish_one(
            tx: &mut Transaction<'static, $db>,
            id: i64,
            worker: &str,
            outcome: &SendOutcome,
            now: Time,
        ) -> Result<()> {
            let mine = "id = $1 AND status = 'sending' AND claimed_by = $2";
            let failure = |e: &GraphFailure| (e.message.clone(), e.code, e.subcode);
            match outcome {
                SendOutcome::Sent { mid } => {
                    sqlx::query(
                        "UPDATE outbox SET status = CASE WHEN status IN ('queued', 'sending', 'unknown', 'failed') \
                         THEN 'sent' ELSE status END, mid = COALESCE(mid, $2), sent_at = COALESCE(sent_at, $3), \
                         error = NULL, error_code = NULL, error_subcode = NULL, claimed_by = NULL, \
                         claimed_until = NULL, reconcile_until = NULL, updated_at = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(mid)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                }
                SendOutcome::Retry { at, error } => {
                    let (message, code, subcode) = failure(error);
                    let sql = format!(
                        "UPDATE outbox SET status = 'queued', next_attempt_at = $3, error = $4, error_code = $5, \
                         error_subcode = $6, claimed_by = NULL, claimed_until = NULL, updated_at = $7 WHERE {mine}"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(at).bind(message).bind(code).bind(subcode).bind(now)
                        .execute(&mut **tx)
                        .await?;
                }
                SendOutcome::Deferred { at, reason } => {
                    let sql = format!(
                        "UPDATE outbox SET status = 'queued', next_attempt_at = $3, error = $4, attempts = attempts - 1, \
                         claimed_by = NULL, claimed_until = NULL, updated_at = $5 WHERE {mine}"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(at).bind(reason).bind(now)
                        .execute(&mut **tx)
                        .await?;
                }
                SendOutcome::Unknown { until, error } => {
                    let sql = format!(
                        "UPDATE outbox SET status = 'unknown', reconcile_until = $3, error = $4, claimed_by = NULL, \
                         claimed_until = NULL, updated_at = $5 WHERE {mine}"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(until).bind(error).bind(now)
                        .execute(&mut **tx)
                        .await?;
                }
                SendOutcome::Failed { error, consequence } => {
                    let (message, code, subcode) = failure(error);
                    let sql = format!(
                        "UPDATE outbox SET status = 'failed', error = $3, error_code = $4, error_subcode = $5, \
                         claimed_by = NULL, claimed_until = NULL, updated_at = $6 WHERE {mine} \
                         RETURNING page_id, psid"
                    );
                    let row: Option<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(message).bind(code).bind(subcode).bind(now)
                        .fetch_optional(&mut **tx)
                        .await?;
                    if let Some((page_id, psid)) = row {
                        let effect = match consequence {
                            Consequence::None => None,
                            // The next message the customer sends makes them reachable again.
                            Consequence::ContactUnreachable => Some(
                                sqlx::query("UPDATE contacts SET unreachable = TRUE WHERE page_id = $1 AND psid = $2")
                                    .bind(page_id.clone())
                                    .bind(psid.clone()),
                            ),
                            Consequence::WindowClosed => Some(
                                sqlx::query("UPDATE contacts SET window_closed_at = $3 WHERE page_id = $1 AND psid = $2")
                                    .bind(page_id.clone())
                                    .bind(psid.clone())
                                    .bind(now),
                            ),
                            Consequence::ThreadOwnedByOtherApp => None,
                        };
                        if let Some(query) = effect {
                            query.execute(&mut **tx).await?;
                        }
                        // Some app controls the thread; its control lapses after 24 idle hours.
                        if *consequence == Consequence::ThreadOwnedByOtherApp {
                            let fact = ThreadFact::Other { app: None, until: now + std::time::Duration::from_secs(86_400) };
                            apply_thread_fact(tx, &page_id, &psid, &fact, now).await?;
                        }
                    }
                }
                SendOutcome::PausePage { error } => {
                    let (message, code, subcode) = failure(error);
                    let sql = format!(
                        "UPDATE outbox SET status = 'queued', error = $3, error_code = $4, error_subcode = $5, \
                         attempts = attempts - 1, claimed_by = NULL, claimed_until = NULL, updated_at = $6 \
                         WHERE {mine} RETURNING page_id"
                    );
                    let page_id: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(&message).bind(code).bind(subcode).bind(now)
                        .fetch_optional(&mut **tx)
                        .await?;
                    if let Some(page_id) = page_id {
                        sqlx::query("UPDATE pages SET paused_reason = $1 WHERE id = $2")
                            .bind(&message)
                            .bind(page_id)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
            }
            Ok(())
        }

        /// An echo carrying an outbox id proves that send went out, whatever its worker knew.
        async fn reconcile_echo(
            tx: &mut Transaction<'static, $db>,
            page_id: &str,
            outbox_id: i64,
            mid: &str,
            at: Time,
        ) -> Result<()> {
            sqlx::query(
                "UPDATE outbox SET status = CASE WHEN status IN ('queued', 'sending', 'unknown', 'failed') \
                 THEN 'sent' ELSE status END, mid = COALESCE(mid, $1), platform_at = $2, \
                 sent_at = COALESCE(sent_at, $2), reconcile_until = NULL, updated_at = $2, \
                 error = CASE WHEN status IN ('sent', 'delivered', 'read') THEN error END \
                 WHERE id = $3 AND page_id = $4",
            )
            .bind(mid)
            .bind(at)
            .bind(outbox_id)
            .bind(page_id)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Delivery and read receipts move our sent messages on: by the mids a delivery names,
        /// and by watermark for messages whose echo told us Meta's timestamp.
        async fn mark_seen_by_customer(
            tx: &mut Transaction<'static, $db>,
            ev: &NormalizedEvent,
            psid: &str,
        ) -> Result<()> {
            let (status, from, watermark, mids): (&str, &str, Time, &[String]) = match &ev.effect {
                Effect::Delivered { watermark, mids } => ("delivered", "('sent')", *watermark, mids),
                Effect::Read { watermark } => ("read", "('sent', 'delivered')", *watermark, &[]),
                _ => return Ok(()),
            };
            for mid in mids {
                let sql = format!(
                    "UPDATE outbox SET status = '{status}', updated_at = $1 WHERE page_id = $2 AND mid = $3 \
                     AND status IN {from}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ev.at).bind(&ev.page_id).bind(mid).execute(&mut **tx).await?;
            }
            let sql = format!(
                "UPDATE outbox SET status = '{status}', updated_at = $1 WHERE page_id = $2 AND psid = $3 \
                 AND status IN {from} AND platform_at <= $4"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(ev.at)
                .bind(&ev.page_id)
                .bind(psid)
                .bind(watermark)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
    };
}

pub(crate) use sql_outbox;
