//! The analytics' SQL, shared by both backends like `sql_store!`.

/// One Page's (`$1`) rollups emptied, then the counts recomputed from the event tables.
pub(crate) const REBUILD: [&str; 10] = [
    "DELETE FROM message_hours WHERE page_id = $1",
    "DELETE FROM contact_days WHERE page_id = $1",
    "DELETE FROM decision_days WHERE page_id = $1",
    "DELETE FROM answer_times WHERE page_id = $1",
    "DELETE FROM answer_days WHERE page_id = $1",
    "DELETE FROM answers_pending WHERE page_id = $1",
    "INSERT INTO message_hours (page_id, hour, direction, n) SELECT page_id, sent_at / 3600000, direction, COUNT(*) \
     FROM messages WHERE page_id = $1 GROUP BY page_id, sent_at / 3600000, direction",
    "INSERT INTO contact_days (page_id, psid, day) SELECT DISTINCT page_id, psid, sent_at / 86400000 \
     FROM messages WHERE page_id = $1 AND direction = 'in'",
    "UPDATE contacts SET last_in_at = (SELECT MAX(m.sent_at) FROM messages m \
     WHERE m.page_id = contacts.page_id AND m.psid = contacts.psid AND m.direction = 'in') WHERE page_id = $1",
    "INSERT INTO decision_days (page_id, day, rule, verdict, n, warned) SELECT page_id, at / 86400000, rule, verdict, \
     COUNT(*), SUM(CASE WHEN decision LIKE '%\"warnings\":[]%' THEN 0 ELSE 1 END) \
     FROM audit_log WHERE page_id = $1 GROUP BY page_id, at / 86400000, rule, verdict",
];

/// Implements [`crate::AnalyticsStore`] for `$store` over `$db`.
macro_rules! sql_analytics {
    ($store:ty, $db:ty) => {
        use $crate::analytics::*;

        /// Folds the conversations of `psids` in `tx`; how many were pending. Five statements
        /// whatever their number (one per conversation each cost a round trip).
        async fn fold_many(
            tx: &mut sqlx::Transaction<'static, $db>,
            page_id: &str,
            psids: &[String],
            replay: Replay<'_>,
            days: &mut std::collections::BTreeMap<(Measure, i64, String), AnswerDay>,
        ) -> Result<usize> {
            if psids.is_empty() {
                return Ok(0);
            }
            // Claiming deletes the mark; a message stored meanwhile marks the conversation again.
            let mut q = sqlx::QueryBuilder::<$db>::new("DELETE FROM answers_pending WHERE page_id = ");
            q.push_bind(page_id).push(" AND psid IN ");
            $crate::batch::push_list(&mut q, psids);
            q.push(" RETURNING psid, since");
            let claimed: Vec<(String, Time)> = q.build_query_as().fetch_all(&mut **tx).await?;
            if claimed.is_empty() {
                return Ok(0);
            }
            // The last answer before the change closed every request before it: replay from there.
            let mut q = sqlx::QueryBuilder::<$db>::new("SELECT f.column1, (SELECT MAX(a.answered_at) FROM answer_times a WHERE a.page_id = ");
            q.push_bind(page_id).push(
                " AND a.psid = f.column1 AND a.measure = 'team' AND a.answered_at < f.column2) FROM (",
            );
            q.push_values(&claimed, |mut b, (psid, since)| {
                b.push_bind(psid).push_bind(*since);
            });
            q.push(") AS f");
            let anchors: Vec<(String, Option<Time>)> = q.build_query_as().fetch_all(&mut **tx).await?;
            let starts: Vec<(String, Time)> = anchors
                .into_iter()
                .map(|(psid, anchor)| (psid, anchor.unwrap_or(Time::from_ms(i64::MIN))))
                .collect();
            let names: Vec<String> = starts.iter().map(|(psid, _)| psid.clone()).collect();

            let mut q = sqlx::QueryBuilder::<$db>::new("SELECT m.psid, m.sent_at, m.direction, o.actor, m.app_id FROM (");
            push_starts(&mut q, &starts);
            // CROSS JOIN: SQLite then reads each conversation by its index, not the Page's messages.
            q.push(
                ") AS f CROSS JOIN messages m \
                 LEFT JOIN outbox o ON m.direction = 'out' AND o.mid = m.mid AND o.page_id = m.page_id \
                 WHERE m.page_id = ",
            );
            q.push_bind(page_id).push(" AND m.psid = f.column1 AND m.sent_at >= f.column2 ORDER BY m.psid, m.sent_at, m.id");
            let timeline: Vec<TimelineRow> = q.build_query_as().fetch_all(&mut **tx).await?;

            let mut q = sqlx::QueryBuilder::<$db>::new("DELETE FROM answer_times WHERE page_id = ");
            q.push_bind(page_id).push(" AND psid IN ");
            $crate::batch::push_list(&mut q, &names);
            q.push(" AND EXISTS (SELECT 1 FROM (");
            push_starts(&mut q, &starts);
            q.push(") AS f WHERE f.column1 = answer_times.psid AND answer_times.at >= f.column2) \
                    RETURNING measure, at, seconds, agent");
            let old: Vec<AnswerRow> = q.build_query_as().fetch_all(&mut **tx).await?;

            let mut answers: Vec<(&str, Answer)> = Vec::new();
            for conversation in timeline.chunk_by(|a, b| a.psid == b.psid) {
                let psid = conversation[0].psid.as_str();
                answers.extend(replay(conversation).into_iter().map(|a| (psid, a)));
            }
            let new: Vec<AnswerRow> = answers.iter().map(|(_, a)| AnswerRow::from(a)).collect();
            add_to_days(days, &old, -1);
            add_to_days(days, &new, 1);
            // Well under either database's limit of bound values per statement.
            for answers in answers.chunks(1_000) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO answer_times (page_id, psid, measure, at, answered_at, seconds, agent) ",
                );
                q.push_values(answers, |mut b, (psid, a)| {
                    b.push_bind(page_id)
                        .push_bind(*psid)
                        .push_bind(a.measure)
                        .push_bind(a.at)
                        .push_bind(a.answered_at)
                        .push_bind(a.seconds)
                        .push_bind(a.agent.as_deref().unwrap_or(""));
                });
                q.build().execute(&mut **tx).await?;
            }
            Ok(claimed.len())
        }

        /// `VALUES (psid, start), …`: where each conversation's replay starts.
        fn push_starts(q: &mut sqlx::QueryBuilder<$db>, starts: &[(String, Time)]) {
            q.push_values(starts, |mut b, (psid, start)| {
                b.push_bind(psid.clone()).push_bind(*start);
            });
        }

        /// Adds what the folds changed to the sums per day, in key order, so concurrent folds on
        /// PostgreSQL lock them in the same order.
        async fn add_answer_days(
            tx: &mut sqlx::Transaction<'static, $db>,
            page_id: &str,
            days: std::collections::BTreeMap<(Measure, i64, String), AnswerDay>,
        ) -> Result<()> {
            for ((measure, day, agent), d) in days {
                if d.requests == 0 && d.answered == 0 && d.times.is_empty() {
                    continue;
                }
                // The upsert takes the row's lock (PostgreSQL) before its histogram is read.
                let times: Vec<u8> = sqlx::query_scalar(
                    "INSERT INTO answer_days (page_id, measure, day, agent, requests, answered, times) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (page_id, measure, day, agent) DO UPDATE SET \
                     requests = answer_days.requests + excluded.requests, answered = answer_days.answered + excluded.answered \
                     RETURNING times",
                )
                .bind(page_id)
                .bind(measure)
                .bind(day)
                .bind(&agent)
                .bind(d.requests)
                .bind(d.answered)
                .bind(Vec::<u8>::new())
                .fetch_one(&mut **tx)
                .await?;
                let mut merged = $crate::histogram::Histogram::from_bytes(&times);
                merged.merge(&d.times);
                sqlx::query(
                    "UPDATE answer_days SET times = $5 WHERE page_id = $1 AND measure = $2 AND day = $3 AND agent = $4",
                )
                .bind(page_id)
                .bind(measure)
                .bind(day)
                .bind(&agent)
                .bind(merged.to_bytes())
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        #[async_trait]
        impl AnalyticsStore for $store {
            #[instrument(level = "debug", skip(self))]
            async fn pending_answers(&self, page_id: Option<&str>, limit: i64) -> Result<Vec<(String, String)>> {
                Ok(sqlx::query_as(
                    "SELECT page_id, psid FROM answers_pending WHERE ($1 IS NULL OR page_id = $1) ORDER BY since LIMIT $2",
                )
                .bind(page_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, replay))]
            async fn fold_answers(&self, page_id: &str, psids: &[String], replay: Replay<'_>) -> Result<usize> {
                let mut tx = self.begin_write().await?;
                let mut days = std::collections::BTreeMap::new();
                let claimed = fold_many(&mut tx.tx, page_id, psids, replay, &mut days).await?;
                add_answer_days(&mut tx.tx, page_id, days).await?;
                tx.tx.commit().await?;
                Ok(claimed)
            }

            #[instrument(level = "debug", skip(self))]
            async fn answer_days(&self, page_id: &str, measure: Measure, from: Time, to: Time) -> Result<Vec<AnswerDay>> {
                let cut = split(from, to, DAY_MS);
                let whole: Vec<(i64, String, i64, i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT day, agent, requests, answered, times FROM answer_days \
                     WHERE page_id = $1 AND measure = $2 AND day >= $3 AND day < $4",
                )
                .bind(page_id)
                .bind(measure)
                .bind(cut.units.0)
                .bind(cut.units.1)
                .fetch_all(&self.pool)
                .await?;
                let ends: Vec<AnswerRow> = sqlx::query_as(
                    "SELECT measure, at, seconds, agent FROM answer_times WHERE page_id = $1 AND measure = $2 \
                     AND ((at >= $3 AND at < $4) OR (at >= $5 AND at < $6))",
                )
                .bind(page_id)
                .bind(measure)
                .bind(cut.before.0)
                .bind(cut.before.1)
                .bind(cut.after.0)
                .bind(cut.after.1)
                .fetch_all(&self.pool)
                .await?;
                let mut days = std::collections::BTreeMap::new();
                add_to_days(&mut days, &ends, 1);
                let mut out: Vec<AnswerDay> = days.into_values().collect();
                out.extend(whole.into_iter().map(|(day, agent, requests, answered, times)| AnswerDay {
                    day,
                    agent,
                    requests,
                    answered,
                    times: $crate::histogram::Histogram::from_bytes(&times),
                }));
                out.sort_by(|a, b| (a.day, &a.agent).cmp(&(b.day, &b.agent)));
                Ok(out)
            }

            #[instrument(level = "debug", skip(self))]
            async fn rebuild_rollups(&self, page_id: &str) -> Result<u64> {
                let mut tx = self.begin_write().await?;
                for statement in $crate::sql_analytics::REBUILD {
                    sqlx::query(statement).bind(page_id).execute(&mut *tx.tx).await?;
                }
                let pending = sqlx::query(
                    "INSERT INTO answers_pending (page_id, psid, since) \
                     SELECT DISTINCT page_id, psid, 0 FROM messages WHERE page_id = $1",
                )
                .bind(page_id)
                .execute(&mut *tx.tx)
                .await?
                .rows_affected();
                tx.tx.commit().await?;
                Ok(pending)
            }

            #[instrument(level = "debug", skip(self))]
            async fn timeline(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<TimelineRow>> {
                Ok(sqlx::query_as(
                    "SELECT m.psid, m.sent_at, m.direction, o.actor, m.app_id FROM messages m \
                     LEFT JOIN outbox o ON m.direction = 'out' AND o.mid = m.mid AND o.page_id = m.page_id \
                     WHERE m.page_id = $1 AND m.sent_at >= $2 AND m.sent_at < $3 ORDER BY m.sent_at, m.id",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self, rows))]
            async fn save_insights(&self, page_id: &str, rows: &[InsightRow], at: Time) -> Result<()> {
                let mut tx = self.begin_write().await?;
                for r in rows {
                    sqlx::query(
                        "INSERT INTO page_insights (page_id, day, metric, value, fetched_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (page_id, day, metric) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at",
                    )
                    .bind(page_id)
                    .bind(&r.day)
                    .bind(&r.metric)
                    .bind(r.value)
                    .bind(at)
                    .execute(&mut *tx.tx)
                    .await?;
                }
                tx.tx.commit().await?;
                Ok(())
            }

            #[instrument(level = "debug", skip(self))]
            async fn insights(&self, page_id: &str, from: &str, to: &str) -> Result<Vec<InsightRow>> {
                Ok(sqlx::query_as(
                    "SELECT day, metric, value FROM page_insights WHERE page_id = $1 AND day >= $2 AND day < $3 \
                     ORDER BY day, metric",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn flow_funnels(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<FlowFunnel>> {
                Ok(sqlx::query_as(
                    "SELECT r.flow, COUNT(*) AS started, \
                     SUM(CASE WHEN r.finished THEN 1 ELSE 0 END) AS finished, \
                     SUM(CASE WHEN EXISTS (SELECT 1 FROM contact_fields f WHERE f.page_id = r.page_id AND f.psid = r.psid \
                         AND f.field IN ('email', 'phone') AND f.updated_at >= r.started_at) THEN 1 ELSE 0 END) AS leads, \
                     SUM(CASE WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.page_id = r.page_id AND b.psid = r.psid \
                         AND b.created_at >= r.started_at) THEN 1 ELSE 0 END) AS bookings \
                     FROM flow_runs r WHERE r.page_id = $1 AND r.started_at >= $2 AND r.started_at < $3 \
                     GROUP BY r.flow ORDER BY started DESC, r.flow",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn broadcast_conversions(&self, broadcast_id: i64, since: Time) -> Result<(i64, i64, i64)> {
                Ok(sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM broadcast_recipients x WHERE x.broadcast_id = $1 AND x.state <> 'skipped'), \
                     COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM contact_fields f WHERE f.page_id = b.page_id AND f.psid = r.psid \
                         AND f.field IN ('email', 'phone') AND f.updated_at >= $2) THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM bookings k WHERE k.page_id = b.page_id AND k.psid = r.psid \
                         AND k.created_at >= $2) THEN 1 ELSE 0 END), 0) \
                     FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id \
                     WHERE r.broadcast_id = $1 AND r.state = 'queued'",
                )
                .bind(broadcast_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn messages_by_hour(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<HourCount>> {
                let cut = split(from, to, HOUR_MS);
                let mut rows: Vec<HourCount> = sqlx::query_as(
                    "SELECT hour, direction, n FROM message_hours WHERE page_id = $1 AND hour >= $2 AND hour < $3 \
                     UNION ALL \
                     SELECT sent_at / 3600000 AS hour, direction, COUNT(*) AS n FROM messages WHERE page_id = $1 \
                     AND ((sent_at >= $4 AND sent_at < $5) OR (sent_at >= $6 AND sent_at < $7)) \
                     GROUP BY sent_at / 3600000, direction",
                )
                .bind(page_id)
                .bind(cut.units.0)
                .bind(cut.units.1)
                .bind(cut.before.0)
                .bind(cut.before.1)
                .bind(cut.after.0)
                .bind(cut.after.1)
                .fetch_all(&self.pool)
                .await?;
                rows.sort_by_key(|r| r.hour);
                Ok(rows)
            }

            #[instrument(level = "debug", skip(self))]
            async fn who_wrote(&self, page_id: &str, from: Time, to: Time, writers: bool) -> Result<AudienceCounts> {
                // Who wrote in the period, counted in the database (one row per locale, gender and
                // first-seen-before): those whose last message falls in it, and of those who wrote
                // since, the ones with a whole day in it (`contact_days`) or a message in a partial
                // day at either end.
                const WROTE: &str = "SELECT COALESCE(c.locale, '') AS locale, COALESCE(c.gender, '') AS gender, \
                    CAST(CASE WHEN c.first_seen_at < $4 THEN 1 ELSE 0 END AS BIGINT) AS earlier, COUNT(*) AS n \
                    FROM contacts c WHERE c.page_id = $1 AND c.last_in_at >= $4 AND (c.last_in_at < $5 \
                    OR EXISTS (SELECT 1 FROM contact_days d WHERE d.page_id = $1 AND d.psid = c.psid \
                               AND d.day >= $2 AND d.day < $3) \
                    OR EXISTS (SELECT 1 FROM messages m WHERE m.page_id = $1 AND m.psid = c.psid \
                               AND m.sent_at >= $6 AND m.sent_at < $7 AND m.direction = 'in') \
                    OR EXISTS (SELECT 1 FROM messages m WHERE m.page_id = $1 AND m.psid = c.psid \
                               AND m.sent_at >= $8 AND m.sent_at < $9 AND m.direction = 'in')) \
                    GROUP BY 1, 2, 3";
                let cut = split(from, to, DAY_MS);
                let wrote: Vec<(String, String, i64, i64)> = if !writers { vec![] } else { sqlx::query_as(WROTE)
                    .bind(page_id)
                    .bind(cut.units.0)
                    .bind(cut.units.1)
                    .bind(from)
                    .bind(to)
                    .bind(cut.before.0)
                    .bind(cut.before.1)
                    .bind(cut.after.0)
                    .bind(cut.after.1)
                    .fetch_all(&self.pool)
                    .await? };
                let (new_customers, opted_out): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM contacts WHERE page_id = $1 AND first_seen_at >= $2 AND first_seen_at < $3), \
                     (SELECT COUNT(*) FROM contacts WHERE page_id = $1 AND opted_out_at >= $2 AND opted_out_at < $3)",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_one(&self.pool)
                .await?;
                let mut by_locale = std::collections::BTreeMap::<String, i64>::new();
                let mut by_gender = std::collections::BTreeMap::<String, i64>::new();
                let mut returning = 0;
                for (locale, gender, before, n) in wrote {
                    returning += before * n;
                    *by_locale.entry(locale).or_default() += n;
                    *by_gender.entry(gender).or_default() += n;
                }
                let sorted = |m: std::collections::BTreeMap<String, i64>| {
                    let mut v: Vec<(String, i64)> = m.into_iter().collect();
                    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    v
                };
                Ok(AudienceCounts {
                    new_customers,
                    returning_customers: returning,
                    opted_out,
                    by_locale: sorted(by_locale),
                    by_gender: sorted(by_gender),
                })
            }

            #[instrument(level = "debug", skip(self))]
            async fn decisions_by_day(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<RuleDay>> {
                let cut = split(from, to, DAY_MS);
                let mut rows: Vec<RuleDay> = sqlx::query_as(
                    "SELECT day, rule, verdict, n, warned FROM decision_days WHERE page_id = $1 AND day >= $2 AND day < $3 \
                     UNION ALL \
                     SELECT at / 86400000 AS day, rule, verdict, COUNT(*) AS n, \
                     SUM(CASE WHEN decision LIKE '%\"warnings\":[]%' THEN 0 ELSE 1 END) AS warned \
                     FROM audit_log WHERE page_id = $1 AND ((at >= $4 AND at < $5) OR (at >= $6 AND at < $7)) \
                     GROUP BY at / 86400000, rule, verdict",
                )
                .bind(page_id)
                .bind(cut.units.0)
                .bind(cut.units.1)
                .bind(cut.before.0)
                .bind(cut.before.1)
                .bind(cut.after.0)
                .bind(cut.after.1)
                .fetch_all(&self.pool)
                .await?;
                rows.sort_by(|a, b| (a.day, &a.rule).cmp(&(b.day, &b.rule)));
                Ok(rows)
            }

            #[instrument(level = "debug", skip(self))]
            async fn ratings_by_agent(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<RatingSum>> {
                Ok(sqlx::query_as(
                    "SELECT w.agent, COUNT(*) AS n, SUM(w.rating) AS total FROM (\
                     SELECT r.rating, CASE WHEN r.agent IS NULL THEN u.username WHEN r.agent = '' THEN NULL ELSE r.agent END AS agent \
                     FROM ratings r LEFT JOIN conversations c ON c.page_id = r.page_id AND c.psid = r.psid \
                     LEFT JOIN users u ON u.id = c.assignee_id \
                     WHERE r.page_id = $1 AND r.at >= $2 AND r.at < $3) w GROUP BY w.agent ORDER BY w.agent",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use sql_analytics;
