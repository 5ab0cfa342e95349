//! What keeps a long-running server tidy, once an hour: expired sessions deleted, processed
//! webhook bodies older than the retention deleted (quarantined ones stay until replayed), and
//! conversations past a page's retention setting erased, the planner's statistics refreshed, and
//! the last days of each Page's messaging insights fetched from Meta.

use std::time::Duration;

use store::Time;

use crate::Engine;
use crate::worker::{Pace, Progress, Worker};

pub struct Maintenance {
    pub engine: Engine,
    /// Processed webhook bodies are kept this long (for `fenestra replay`).
    pub webhook_retention: Duration,
}

/// Once an hour is often enough for all of it.
const EVERY: Duration = Duration::from_secs(3_600);

impl Worker for Maintenance {
    fn name(&self) -> &'static str {
        "maintenance"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let store = self.engine.store();
        let now = Time::now();
        let sessions = store.delete_expired_sessions(now).await?;
        let bodies = store.prune_webhooks(now - self.webhook_retention).await?;
        store.optimize().await?;
        let mut erased = 0;
        for page in store.pages().await? {
            erased += self.engine.apply_retention(&page).await?;
            // Meta's Page insights: blocks and reports reach no webhook.
            if let Err(e) = self.engine.fetch_insights(&page).await {
                tracing::warn!(page = %page.id, error = %e, "fetching the Page's insights failed");
            }
        }
        if sessions + bodies > 0 || erased > 0 {
            tracing::info!(
                sessions,
                bodies,
                erased,
                "maintenance: expired sessions, old webhook bodies and idle conversations removed"
            );
        }
        Ok(Progress::Idle)
    }
}

impl Maintenance {
    pub fn pace(&self) -> Pace {
        Pace::new(std::sync::Arc::<tokio::sync::Notify>::default(), EVERY)
    }
}
