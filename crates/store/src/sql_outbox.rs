//! The outbox's SQL, shared by both backends like `sql_store!`; each backend supplies
//! `CLAIM_SENDS_SQL`.

/// Implements [`crate::OutboxStore`] for `$store` over `$db`, and the two hooks webhook
/// processing calls: `reconcile_echo` and `mark_seen_by_customer`.
macro_rules! sql_outbox {
    ($store:ty, $db:ty) => {
        use $crate::outbox::*;

        const OUTBOX_COLUMNS: &str = "id, page_id, psid, actor, kind, request, status, attempts, next_attempt_at, mid, \
            sent_at, error, error_code, error_subcode, created_at, updated_at";

        fn outbox_from_row(r: &<$db as sqlx::Database>::Row) -> Result<OutboxRow, sqlx::Error> {
            Ok(OutboxRow {
                id: r.try_get("id")?,
                page_id: r.try_get("page_id")?,
                psid: r.try_get("psid")?,
                actor: r.try_get("actor")?,
                kind: r.try_get("kind")?,
                request: r.try_get("request")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                mid: r.try_get("mid")?,
                sent_at: r.try_get("sent_at")?,
                error: r.try_get("error")?,
                error_code: r.try_get("error_code")?,
                error_subcode: r.try_get("error_subcode")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        }

        #[async_trait]
        impl OutboxStore for $store {
            async fn enqueue(&self, e: &Enqueue) -> Result<Enqueued> {
                let mut tx = self.begin_write().await?;
                let a = &e.audit;
                let audit_id: i64 = sqlx::query(
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
                .fetch_one(&mut *tx.tx)
                .await?
                .try_get("id")?;
                let mut outbox_ids = Vec::with_capacity(e.sends.len());
                for send in &e.sends {
                    let row = sqlx::query(
                        "INSERT INTO outbox (page_id, psid, dedupe_key, actor, kind, request, next_attempt_at, created_at, \
                         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                    )
                    .bind(&a.page_id)
                    .bind(&a.psid)
                    .bind(&send.dedupe_key)
                    .bind(&a.actor)
                    .bind(send.kind.as_str())
                    .bind(&send.request)
                    .bind(a.at)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
                    match row {
                        Some(r) => outbox_ids.push(r.try_get("id")?),
                        // Queued before by an earlier run: leave everything as it was.
                        None => {
                            tx.tx.rollback().await?;
                            return Ok(Enqueued { audit_id: None, outbox_ids: vec![] });
                        }
                    }
                }
                if let Some(&message_id) = outbox_ids.last() {
                    sqlx::query("UPDATE audit_log SET outbox_id = $1 WHERE id = $2")
                        .bind(message_id)
                        .bind(audit_id)
                        .execute(&mut *tx.tx)
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
                    Some(Consume::PrivateReply(c)) => Some(
                        sqlx::query("UPDATE comments SET private_reply_sent = TRUE WHERE page_id = $1 AND comment_id = $2")
                            .bind(&a.page_id)
                            .bind(c),
                    ),
                };
                if let Some(query) = consume {
                    query.execute(&mut *tx.tx).await?;
                }
                tx.tx.commit().await?;
                Ok(Enqueued { audit_id: Some(audit_id), outbox_ids })
            }

            async fn claim_sends(
                &self,
                worker: &str,
                limit: i64,
                now: i64,
                lease_ms: i64,
                reconcile_ms: i64,
            ) -> Result<Vec<OutboxRow>> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "UPDATE outbox SET status = 'unknown', reconcile_until = $1, claimed_by = NULL, claimed_until = NULL, \
                     error = 'the worker stopped during the send; waiting for its echo', updated_at = $2 \
                     WHERE status = 'sending' AND claimed_until < $2",
                )
                .bind(now + reconcile_ms)
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
                let rows = sqlx::query(CLAIM_SENDS_SQL)
                    .bind(worker)
                    .bind(now + lease_ms)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                let mut claimed = rows.iter().map(outbox_from_row).collect::<Result<Vec<_>, _>>()?;
                claimed.sort_by_key(|r| r.id);
                Ok(claimed)
            }

            async fn finish_sends(&self, worker: &str, outcomes: &[(i64, SendOutcome)], now: i64) -> Result<()> {
                let mut tx = self.begin_write().await?;
                for (id, outcome) in outcomes {
                    finish_one(&mut tx.tx, *id, worker, outcome, now).await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            async fn outbox_row(&self, id: i64) -> Result<Option<OutboxRow>> {
                let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(outbox_from_row).transpose()?)
            }

            async fn outbox_for(&self, page_id: &str, psid: &str) -> Result<Vec<OutboxRow>> {
                let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE page_id = $1 AND psid = $2 ORDER BY id");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(page_id).bind(psid).fetch_all(&self.pool).await?;
                Ok(rows.iter().map(outbox_from_row).collect::<Result<_, _>>()?)
            }

            async fn outbox_counts(&self) -> Result<Vec<(String, i64)>> {
                let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn audit_for(&self, page_id: &str, psid: &str) -> Result<Vec<AuditEntry>> {
                let rows = sqlx::query(
                    "SELECT id, at, page_id, psid, actor, message, verdict, rule, explanation, decision, outbox_id \
                     FROM audit_log WHERE page_id = $1 AND psid = $2 ORDER BY id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .iter()
                    .map(|r| {
                        Ok(AuditEntry {
                            id: r.try_get("id")?,
                            at: r.try_get("at")?,
                            page_id: r.try_get("page_id")?,
                            psid: r.try_get("psid")?,
                            actor: r.try_get("actor")?,
                            message: r.try_get("message")?,
                            verdict: r.try_get("verdict")?,
                            rule: r.try_get("rule")?,
                            explanation: r.try_get("explanation")?,
                            decision: r.try_get("decision")?,
                            outbox_id: r.try_get("outbox_id")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn automated_sent_since(&self, page_id: &str, psid: &str, since: i64) -> Result<i64> {
                let row = sqlx::query(
                    "SELECT COUNT(*) AS n FROM outbox WHERE page_id = $1 AND psid = $2 AND created_at >= $3 \
                     AND kind = 'message' AND status <> 'failed' \
                     AND (actor LIKE 'automation:%' OR actor LIKE 'broadcast:%')",
                )
                .bind(page_id)
                .bind(psid)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.try_get("n")?)
            }

            async fn replace_templates(&self, page_id: &str, templates: &[Template], now: i64) -> Result<()> {
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
                    .bind(&t.status)
                    .bind(&t.body)
                    .bind(now)
                    .execute(&mut *tx.tx)
                    .await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            async fn templates(&self, page_id: &str) -> Result<Vec<Template>> {
                let rows = sqlx::query(
                    "SELECT name, language, category, status, body FROM templates WHERE page_id = $1 ORDER BY name, language",
                )
                .bind(page_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .iter()
                    .map(|r| {
                        Ok(Template {
                            name: r.try_get("name")?,
                            language: r.try_get("language")?,
                            category: r.try_get("category")?,
                            status: r.try_get("status")?,
                            body: r.try_get("body")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn pending_automations(&self, limit: i64) -> Result<Vec<PendingMessage>> {
                let rows = sqlx::query(
                    "SELECT page_id, psid, mid, text, sent_at FROM messages WHERE automation_pending ORDER BY id LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .iter()
                    .map(|r| {
                        Ok(PendingMessage {
                            page_id: r.try_get("page_id")?,
                            psid: r.try_get("psid")?,
                            mid: r.try_get("mid")?,
                            text: r.try_get("text")?,
                            at: r.try_get("sent_at")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn automation_done(&self, page_id: &str, mid: &str) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query("UPDATE messages SET automation_pending = FALSE WHERE page_id = $1 AND mid = $2")
                    .bind(page_id)
                    .bind(mid)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn previous_inbound_at(&self, page_id: &str, psid: &str, at: i64, mid: &str) -> Result<Option<i64>> {
                let row = sqlx::query(
                    "SELECT MAX(sent_at) AS at FROM messages WHERE page_id = $1 AND psid = $2 AND direction = 'in' \
                     AND sent_at <= $3 AND mid <> $4",
                )
                .bind(page_id)
                .bind(psid)
                .bind(at)
                .bind(mid)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.try_get("at")?)
            }

            async fn save_profile(&self, page_id: &str, psid: &str, p: &Profile, now: i64) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query(
                    "UPDATE contacts SET first_name = $1, last_name = $2, profile_pic = $3, locale = $4, timezone = $5, \
                     gender = $6, profile_fetched_at = $7 WHERE page_id = $8 AND psid = $9",
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
                .execute(&self.pool)
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
            now: i64,
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
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(message).bind(code).bind(subcode).bind(now)
                        .fetch_optional(&mut **tx)
                        .await?;
                    if let Some(row) = row {
                        let (page_id, psid): (String, String) = (row.try_get("page_id")?, row.try_get("psid")?);
                        let effect = match consequence {
                            Consequence::None => None,
                            // The next message the customer sends makes them reachable again.
                            Consequence::ContactUnreachable => Some(
                                sqlx::query("UPDATE contacts SET unreachable = TRUE WHERE page_id = $1 AND psid = $2")
                                    .bind(page_id)
                                    .bind(psid),
                            ),
                            Consequence::WindowClosed => Some(
                                sqlx::query("UPDATE contacts SET window_closed_at = $3 WHERE page_id = $1 AND psid = $2")
                                    .bind(page_id)
                                    .bind(psid)
                                    .bind(now),
                            ),
                        };
                        if let Some(query) = effect {
                            query.execute(&mut **tx).await?;
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
                    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id).bind(worker).bind(&message).bind(code).bind(subcode).bind(now)
                        .fetch_optional(&mut **tx)
                        .await?;
                    if let Some(row) = row {
                        let page_id: String = row.try_get("page_id")?;
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
            at: i64,
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
            let (status, from, watermark, mids): (&str, &str, i64, &[String]) = match &ev.effect {
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
