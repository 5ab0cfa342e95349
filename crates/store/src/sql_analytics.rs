//! The analytics' SQL, shared by both backends like `sql_store!`.

/// Implements [`crate::AnalyticsStore`] for `$store` over `$db`.
macro_rules! sql_analytics {
    ($store:ty, $db:ty) => {
        use $crate::analytics::*;

        #[async_trait]
        impl AnalyticsStore for $store {
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
                Ok(sqlx::query_as(
                    "SELECT sent_at / 3600000 AS hour, direction, COUNT(*) AS n FROM messages \
                     WHERE page_id = $1 AND sent_at >= $2 AND sent_at < $3 GROUP BY sent_at / 3600000, direction \
                     ORDER BY hour",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn who_wrote(&self, page_id: &str, from: Time, to: Time) -> Result<AudienceCounts> {
                // Who wrote in the period.
                const WROTE: &str = "SELECT c.first_seen_at, c.locale, c.gender FROM contacts c WHERE c.page_id = $1 \
                    AND EXISTS (SELECT 1 FROM messages m WHERE m.page_id = c.page_id AND m.psid = c.psid \
                    AND m.direction = 'in' AND m.sent_at >= $2 AND m.sent_at < $3)";
                let wrote: Vec<(Time, Option<String>, Option<String>)> = sqlx::query_as(WROTE)
                    .bind(page_id)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await?;
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
                for (first_seen, locale, gender) in &wrote {
                    if *first_seen < from {
                        returning += 1;
                    }
                    *by_locale.entry(locale.clone().unwrap_or_default()).or_default() += 1;
                    *by_gender.entry(gender.clone().unwrap_or_default()).or_default() += 1;
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
                Ok(sqlx::query_as(
                    "SELECT at / 86400000 AS day, rule, verdict, COUNT(*) AS n, \
                     SUM(CASE WHEN decision LIKE '%\"warnings\":[]%' THEN 0 ELSE 1 END) AS warned \
                     FROM audit_log WHERE page_id = $1 AND at >= $2 AND at < $3 \
                     GROUP BY at / 86400000, rule, verdict ORDER BY day, rule",
                )
                .bind(page_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            #[instrument(level = "debug", skip(self))]
            async fn ratings_by_agent(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<RatingSum>> {
                Ok(sqlx::query_as(
                    "SELECT u.username AS agent, COUNT(*) AS n, SUM(r.rating) AS total FROM ratings r \
                     LEFT JOIN conversations c ON c.page_id = r.page_id AND c.psid = r.psid \
                     LEFT JOIN users u ON u.id = c.assignee_id \
                     WHERE r.page_id = $1 AND r.at >= $2 AND r.at < $3 GROUP BY u.username ORDER BY u.username",
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
