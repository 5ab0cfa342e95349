//! The SQL both backends share. SQLite and PostgreSQL agree on `$N` placeholders, `ON CONFLICT
//! … DO UPDATE`, `RETURNING` and `CASE`, so the statements are written once here; each backend
//! module supplies `begin_write` and `begin_ingest` (how to start a write transaction, for
//! processing and for storing bodies), `write_turn` (taken before writing outside a
//! transaction), `close_pools` and `CLAIM_SQL`.

/// A write transaction, holding the backend's write turn (SQLite) until it ends.
pub(crate) struct WriteTx<DB: sqlx::Database> {
    pub tx: sqlx::Transaction<'static, DB>,
    pub _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// Implements [`crate::Store`] for `$store` over `$db`.
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:literal) => {
        use async_trait::async_trait;
        use sqlx::{Row, Transaction};

        use $crate::model::*;
        use $crate::{Result, Store};

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn enqueue_webhooks(&self, bodies: &[IncomingBody]) -> Result<Vec<i64>> {
                let mut tx = self.begin_ingest().await?;
                let mut ids = Vec::with_capacity(bodies.len());
                for b in bodies {
                    let row = sqlx::query("INSERT INTO webhook_inbox (received_at, body) VALUES ($1, $2) RETURNING id")
                        .bind(b.received_at)
                        .bind(&b.body[..])
                        .fetch_one(&mut *tx.tx)
                        .await?;
                    ids.push(row.try_get("id")?);
                }
                tx.tx.commit().await?;
                Ok(ids)
            }

            async fn claim_webhooks(&self, worker: &str, limit: i64, now: i64, lease_ms: i64) -> Result<Vec<InboxRow>> {
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(CLAIM_SQL)
                    .bind(worker)
                    .bind(now + lease_ms)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx.tx)
                    .await?;
                tx.tx.commit().await?;
                let mut claimed = rows
                    .iter()
                    .map(|r| {
                        Ok(InboxRow {
                            id: r.try_get("id")?,
                            received_at: r.try_get("received_at")?,
                            body: r.try_get("body")?,
                            attempts: r.try_get("attempts")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                claimed.sort_by_key(|r| r.id);
                Ok(claimed)
            }

            async fn complete_webhooks(&self, batch: &[ProcessedBody], now: i64) -> Result<Applied> {
                let mut tx = self.begin_write().await?;
                let mut applied = Applied::default();
                for body in batch {
                    for ev in &body.events {
                        let new = apply_event(&mut tx.tx, body.inbox_id, ev).await?;
                        if new { applied.new_events += 1 } else { applied.duplicates += 1 }
                    }
                    sqlx::query(
                        "UPDATE webhook_inbox SET status = 'processed', processed_at = $1, claimed_by = NULL, \
                         claimed_until = NULL, error = NULL WHERE id = $2",
                    )
                    .bind(now)
                    .bind(body.inbox_id)
                    .execute(&mut *tx.tx)
                    .await?;
                }
                tx.tx.commit().await?;
                Ok(applied)
            }

            async fn quarantine_webhook(&self, inbox_id: i64, reason: &str, now: i64) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query(
                    "UPDATE webhook_inbox SET status = 'quarantined', processed_at = $1, claimed_by = NULL, \
                     claimed_until = NULL, error = $2 WHERE id = $3",
                )
                .bind(now)
                .bind(reason)
                .bind(inbox_id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn requeue_webhooks(&self, which: Requeue) -> Result<u64> {
                let _turn = self.write_turn().await;
                let filter = match which {
                    Requeue::All => "status <> 'pending'",
                    Requeue::Quarantined => "status = 'quarantined'",
                };
                let sql = format!(
                    "UPDATE webhook_inbox SET status = 'pending', attempts = 0, claimed_by = NULL, \
                     claimed_until = NULL WHERE {filter}"
                );
                Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&self.pool).await?.rows_affected())
            }

            async fn queue_stats(&self) -> Result<QueueStats> {
                let rows = sqlx::query("SELECT status, COUNT(*) AS n, MIN(received_at) AS oldest FROM webhook_inbox GROUP BY status")
                    .fetch_all(&self.pool)
                    .await?;
                let mut stats = QueueStats::default();
                for r in rows {
                    let n: i64 = r.try_get("n")?;
                    match r.try_get::<String, _>("status")?.as_str() {
                        "pending" => {
                            stats.pending = n;
                            stats.oldest_pending_at = r.try_get("oldest")?;
                        }
                        "processed" => stats.processed = n,
                        _ => stats.quarantined = n,
                    }
                }
                Ok(stats)
            }

            async fn inbox_row(&self, inbox_id: i64) -> Result<Option<InboxInfo>> {
                let row = sqlx::query("SELECT id, status, attempts, error FROM webhook_inbox WHERE id = $1")
                    .bind(inbox_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row
                    .map(|r| -> Result<_, sqlx::Error> {
                        Ok(InboxInfo {
                            id: r.try_get("id")?,
                            status: r.try_get("status")?,
                            attempts: r.try_get("attempts")?,
                            error: r.try_get("error")?,
                        })
                    })
                    .transpose()?)
            }

            async fn upsert_page(&self, page: &Page) -> Result<()> {
                let _turn = self.write_turn().await;
                sqlx::query(
                    "INSERT INTO pages (id, name, access_token) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE \
                     SET name = COALESCE(excluded.name, pages.name), \
                         access_token = COALESCE(excluded.access_token, pages.access_token), \
                         paused_reason = CASE WHEN excluded.access_token IS NULL THEN pages.paused_reason END",
                )
                .bind(&page.id)
                .bind(&page.name)
                .bind(&page.access_token)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn pages(&self) -> Result<Vec<Page>> {
                let sql = format!("SELECT {PAGE_COLUMNS} FROM pages ORDER BY id");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
                Ok(rows.iter().map(page_from_row).collect::<Result<_, _>>()?)
            }

            async fn page(&self, id: &str) -> Result<Option<Page>> {
                let sql = format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(page_from_row).transpose()?)
            }

            async fn set_page_settings(&self, id: &str, settings: &PageSettings) -> Result<bool> {
                let _turn = self.write_turn().await;
                let greeting = settings.greeting.as_ref();
                let done = sqlx::query(
                    "UPDATE pages SET human_agent_approved = $1, utility_messaging = $2, allowed_domains = $3, \
                     greeting_text = $4, greeting_after_hours = $5 WHERE id = $6",
                )
                .bind(settings.human_agent_approved)
                .bind(settings.utility_messaging)
                .bind(settings.allowed_domains.join(","))
                .bind(greeting.map(|g| g.text.as_str()))
                .bind(greeting.and_then(|g| g.after_hours))
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn contact(&self, page_id: &str, psid: &str) -> Result<Option<Contact>> {
                let row = sqlx::query(
                    "SELECT page_id, psid, first_seen_at, last_interaction_at, source_kind, source_ref, unreachable, \
                     opted_out, first_name, last_name, profile_pic, locale, timezone, gender, profile_fetched_at, \
                     window_closed_at FROM contacts WHERE page_id = $1 AND psid = $2",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row
                    .map(|r| -> Result<_, sqlx::Error> {
                        Ok(Contact {
                            page_id: r.try_get("page_id")?,
                            psid: r.try_get("psid")?,
                            first_seen_at: r.try_get("first_seen_at")?,
                            last_interaction_at: r.try_get("last_interaction_at")?,
                            source_kind: r.try_get("source_kind")?,
                            source_ref: r.try_get("source_ref")?,
                            unreachable: r.try_get("unreachable")?,
                            opted_out: r.try_get("opted_out")?,
                            profile: Profile {
                                first_name: r.try_get("first_name")?,
                                last_name: r.try_get("last_name")?,
                                profile_pic: r.try_get("profile_pic")?,
                                locale: r.try_get("locale")?,
                                timezone: r.try_get("timezone")?,
                                gender: r.try_get("gender")?,
                            },
                            profile_fetched_at: r.try_get("profile_fetched_at")?,
                            window_closed_at: r.try_get("window_closed_at")?,
                        })
                    })
                    .transpose()?)
            }

            async fn conversation(&self, page_id: &str, psid: &str) -> Result<Option<Conversation>> {
                let row = sqlx::query(
                    "SELECT id, page_id, psid, status, last_activity_at, last_message_at, last_message_text, \
                     unread_count, delivered_watermark, read_watermark FROM conversations WHERE page_id = $1 AND psid = $2",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row
                    .map(|r| -> Result<_, sqlx::Error> {
                        Ok(Conversation {
                            id: r.try_get("id")?,
                            page_id: r.try_get("page_id")?,
                            psid: r.try_get("psid")?,
                            status: r.try_get("status")?,
                            last_activity_at: r.try_get("last_activity_at")?,
                            last_message_at: r.try_get("last_message_at")?,
                            last_message_text: r.try_get("last_message_text")?,
                            unread_count: r.try_get("unread_count")?,
                            delivered_watermark: r.try_get("delivered_watermark")?,
                            read_watermark: r.try_get("read_watermark")?,
                        })
                    })
                    .transpose()?)
            }

            async fn messages(&self, page_id: &str, psid: &str) -> Result<Vec<StoredMessage>> {
                let rows = sqlx::query(
                    "SELECT mid, direction, text, attachments, quick_reply_payload, reply_to_mid, app_id, metadata, sent_at \
                     FROM messages WHERE page_id = $1 AND psid = $2 ORDER BY sent_at, mid",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(StoredMessage {
                            mid: r.try_get("mid")?,
                            direction: r.try_get("direction")?,
                            text: r.try_get("text")?,
                            attachments: r.try_get("attachments")?,
                            quick_reply_payload: r.try_get("quick_reply_payload")?,
                            reply_to_mid: r.try_get("reply_to_mid")?,
                            app_id: r.try_get("app_id")?,
                            metadata: r.try_get("metadata")?,
                            sent_at: r.try_get("sent_at")?,
                        })
                    })
                    .collect()
            }

            async fn interactions(&self, page_id: &str, psid: &str) -> Result<Vec<Interaction>> {
                let rows = sqlx::query(
                    "SELECT interaction, at FROM events WHERE page_id = $1 AND psid = $2 AND interaction IS NOT NULL \
                     ORDER BY at, id",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| Ok(Interaction { kind: r.try_get("interaction")?, at: r.try_get("at")? }))
                    .collect()
            }

            async fn one_time_tokens(&self, page_id: &str, psid: &str) -> Result<Vec<OneTimeToken>> {
                let rows = sqlx::query(
                    "SELECT token, topic, issued_at, used_at FROM one_time_tokens WHERE page_id = $1 AND psid = $2 \
                     ORDER BY issued_at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(OneTimeToken {
                            token: r.try_get("token")?,
                            topic: r.try_get("topic")?,
                            issued_at: r.try_get("issued_at")?,
                            used_at: r.try_get("used_at")?,
                        })
                    })
                    .collect()
            }

            async fn notification_tokens(&self, page_id: &str, psid: &str) -> Result<Vec<NotificationToken>> {
                let rows = sqlx::query(
                    "SELECT token, topic, frequency, issued_at, expires_at, status, last_sent_at FROM notification_tokens \
                     WHERE page_id = $1 AND psid = $2 ORDER BY issued_at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(NotificationToken {
                            token: r.try_get("token")?,
                            topic: r.try_get("topic")?,
                            frequency: r.try_get("frequency")?,
                            issued_at: r.try_get("issued_at")?,
                            expires_at: r.try_get("expires_at")?,
                            status: r.try_get("status")?,
                            last_sent_at: r.try_get("last_sent_at")?,
                        })
                    })
                    .collect()
            }

            async fn comments(&self, page_id: &str, psid: &str) -> Result<Vec<Comment>> {
                let rows = sqlx::query(
                    "SELECT comment_id, post_id, text, at, private_reply_sent FROM comments WHERE page_id = $1 AND psid = $2 \
                     ORDER BY at",
                )
                .bind(page_id)
                .bind(psid)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(Comment {
                            comment_id: r.try_get("comment_id")?,
                            post_id: r.try_get("post_id")?,
                            text: r.try_get("text")?,
                            at: r.try_get("at")?,
                            private_reply_sent: r.try_get("private_reply_sent")?,
                        })
                    })
                    .collect()
            }

            async fn close(&self) {
                self.close_pools().await;
            }
        }

        const PAGE_COLUMNS: &str = "id, name, access_token, restricted, restriction_reason, human_agent_approved, \
            utility_messaging, allowed_domains, greeting_text, greeting_after_hours, paused_reason";

        fn page_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Page, sqlx::Error> {
            let domains: String = r.try_get("allowed_domains")?;
            let greeting: Option<String> = r.try_get("greeting_text")?;
            Ok(Page {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                access_token: r.try_get("access_token")?,
                restricted: r.try_get("restricted")?,
                restriction_reason: r.try_get("restriction_reason")?,
                settings: PageSettings {
                    human_agent_approved: r.try_get("human_agent_approved")?,
                    utility_messaging: r.try_get("utility_messaging")?,
                    allowed_domains: domains.split(',').filter(|d| !d.is_empty()).map(str::to_owned).collect(),
                    greeting: match greeting {
                        Some(text) => Some(Greeting { text, after_hours: r.try_get("greeting_after_hours")? }),
                        None => None,
                    },
                },
                paused_reason: r.try_get("paused_reason")?,
            })
        }

        /// Logs the event (returning whether it is new) and applies its effect. Every statement
        /// is an upsert that converges whatever the order or number of deliveries.
        async fn apply_event(tx: &mut Transaction<'static, $db>, inbox_id: i64, ev: &NormalizedEvent) -> Result<bool> {
            let new = sqlx::query(
                "INSERT INTO events (page_id, event_key, kind, psid, interaction, at, inbox_id, summary) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (page_id, event_key) DO NOTHING",
            )
            .bind(&ev.page_id)
            .bind(&ev.event_key)
            .bind(&ev.kind)
            .bind(&ev.psid)
            .bind(ev.interaction)
            .bind(ev.at)
            .bind(inbox_id)
            .bind(&ev.summary)
            .execute(&mut **tx)
            .await?
            .rows_affected()
                == 1;

            if let Some(psid) = &ev.psid {
                let (source_kind, source_ref) = ev.source.clone().unzip();
                sqlx::query(
                    "INSERT INTO contacts (page_id, psid, first_seen_at, last_interaction_at, source_kind, source_ref) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (page_id, psid) DO UPDATE SET \
                     first_seen_at = CASE WHEN excluded.first_seen_at < contacts.first_seen_at \
                                     THEN excluded.first_seen_at ELSE contacts.first_seen_at END, \
                     last_interaction_at = CASE WHEN contacts.last_interaction_at IS NULL \
                                             OR excluded.last_interaction_at > contacts.last_interaction_at \
                                           THEN COALESCE(excluded.last_interaction_at, contacts.last_interaction_at) \
                                           ELSE contacts.last_interaction_at END, \
                     unreachable = CASE WHEN excluded.last_interaction_at IS NOT NULL THEN FALSE \
                                   ELSE contacts.unreachable END, \
                     source_kind = COALESCE(contacts.source_kind, excluded.source_kind), \
                     source_ref = COALESCE(contacts.source_ref, excluded.source_ref)",
                )
                .bind(&ev.page_id)
                .bind(psid)
                .bind(ev.at)
                .bind(ev.opens_window.then_some(ev.at))
                .bind(source_kind)
                .bind(source_ref)
                .execute(&mut **tx)
                .await?;
            }

            let psid = ev.psid.as_deref().unwrap_or("");
            match &ev.effect {
                Effect::None => {}
                Effect::Message(m) => {
                    sqlx::query(
                        "INSERT INTO messages (page_id, psid, mid, direction, text, attachments, quick_reply_payload, \
                         reply_to_mid, app_id, metadata, sent_at, inbox_id, automation_pending) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                         ON CONFLICT (page_id, mid) DO UPDATE SET text = excluded.text, attachments = excluded.attachments, \
                         quick_reply_payload = excluded.quick_reply_payload, reply_to_mid = excluded.reply_to_mid, \
                         app_id = excluded.app_id, metadata = excluded.metadata",
                    )
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(&m.mid)
                    .bind(m.direction.as_str())
                    .bind(&m.text)
                    .bind(&m.attachments)
                    .bind(&m.quick_reply_payload)
                    .bind(&m.reply_to_mid)
                    .bind(&m.app_id)
                    .bind(&m.metadata)
                    .bind(ev.at)
                    .bind(inbox_id)
                    .bind(new && m.direction == Direction::In)
                    .execute(&mut **tx)
                    .await?;
                    if let Some(id) = m.metadata.as_deref().and_then(outbox_id_from_metadata) {
                        reconcile_echo(tx, &ev.page_id, id, &m.mid, ev.at).await?;
                    }
                    let preview = m.text.clone().or_else(|| m.attachments.as_ref().map(|_| "[attachment]".to_owned()));
                    let unread: i64 = if new && m.direction == Direction::In { 1 } else { 0 };
                    sqlx::query(
                        "INSERT INTO conversations (page_id, psid, last_activity_at, last_message_at, last_message_text, \
                         unread_count) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (page_id, psid) DO UPDATE SET \
                         last_activity_at = CASE WHEN excluded.last_activity_at > conversations.last_activity_at \
                                            THEN excluded.last_activity_at ELSE conversations.last_activity_at END, \
                         last_message_text = CASE WHEN conversations.last_message_at IS NULL \
                                               OR excluded.last_message_at >= conversations.last_message_at \
                                             THEN excluded.last_message_text ELSE conversations.last_message_text END, \
                         last_message_at = CASE WHEN conversations.last_message_at IS NULL \
                                             OR excluded.last_message_at > conversations.last_message_at \
                                           THEN excluded.last_message_at ELSE conversations.last_message_at END, \
                         unread_count = conversations.unread_count + excluded.unread_count, \
                         status = CASE WHEN excluded.unread_count > 0 THEN 'open' ELSE conversations.status END",
                    )
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(ev.at)
                    .bind(ev.at)
                    .bind(preview)
                    .bind(unread)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::Delivered { watermark, .. } | Effect::Read { watermark } => {
                    let column = if matches!(ev.effect, Effect::Delivered { .. }) { "delivered_watermark" } else { "read_watermark" };
                    let sql = format!(
                        "INSERT INTO conversations (page_id, psid, last_activity_at, {column}) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (page_id, psid) DO UPDATE SET {column} = CASE \
                         WHEN excluded.{column} > conversations.{column} THEN excluded.{column} \
                         ELSE conversations.{column} END"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(&ev.page_id)
                        .bind(psid)
                        .bind(ev.at)
                        .bind(*watermark)
                        .execute(&mut **tx)
                        .await?;
                    mark_seen_by_customer(tx, ev, psid).await?;
                }
                Effect::OneTimeToken { token, topic } => {
                    sqlx::query(
                        "INSERT INTO one_time_tokens (token, page_id, psid, topic, issued_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (token) DO NOTHING",
                    )
                    .bind(token)
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(topic)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::NotificationToken { token, topic, frequency, expires_at, status } => {
                    // A later opt-in event for the same token (stop, resume) updates it; an
                    // older one arriving late does not.
                    sqlx::query(
                        "INSERT INTO notification_tokens (token, page_id, psid, topic, frequency, issued_at, expires_at, status) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (token) DO UPDATE SET \
                         status = excluded.status, expires_at = COALESCE(excluded.expires_at, notification_tokens.expires_at), \
                         frequency = COALESCE(excluded.frequency, notification_tokens.frequency), \
                         issued_at = excluded.issued_at \
                         WHERE excluded.issued_at >= notification_tokens.issued_at",
                    )
                    .bind(token)
                    .bind(&ev.page_id)
                    .bind(psid)
                    .bind(topic)
                    .bind(frequency)
                    .bind(ev.at)
                    .bind(*expires_at)
                    .bind(status)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::Comment { comment_id, post_id, text, verb } => {
                    sqlx::query(
                        "INSERT INTO comments (page_id, comment_id, post_id, psid, text, verb, at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (page_id, comment_id) DO UPDATE SET \
                         text = COALESCE(excluded.text, comments.text), verb = excluded.verb",
                    )
                    .bind(&ev.page_id)
                    .bind(comment_id)
                    .bind(post_id)
                    .bind(psid)
                    .bind(text)
                    .bind(verb)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
                Effect::PageRestriction { restricted, reason } => {
                    sqlx::query(
                        "INSERT INTO pages (id, restricted, restriction_reason, restriction_changed_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET restricted = excluded.restricted, \
                         restriction_reason = excluded.restriction_reason, \
                         restriction_changed_at = excluded.restriction_changed_at \
                         WHERE pages.restriction_changed_at IS NULL \
                            OR excluded.restriction_changed_at >= pages.restriction_changed_at",
                    )
                    .bind(&ev.page_id)
                    .bind(*restricted)
                    .bind(reason)
                    .bind(ev.at)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            Ok(new)
        }
    };
}

pub(crate) use sql_store;
