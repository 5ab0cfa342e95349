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
        }
    };
}

pub(crate) use sql_analytics;
