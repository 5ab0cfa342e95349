//! Gives Meta each page's Messenger profile (Get Started, greeting, ice breakers, persistent
//! menu) from its automations document: `POST /me/messenger_profile` with what the document
//! has, `DELETE` of what it no longer has. Meta allows 10 calls per 10 minutes per page, so
//! calls are counted per page and wait their turn; a refusal is kept (shown in Settings) and
//! tried again after [`RETRY_AFTER`] or at once when a new version is applied.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use store::{StoredAutomations, Time};

use crate::Engine;
use crate::worker::{Pace, Progress, Worker};

const POLL: Duration = Duration::from_secs(30);
/// After Meta refused a profile, the same version is tried again this much later.
pub const RETRY_AFTER: Duration = Duration::from_secs(10 * 60);

pub struct ProfilePush {
    engine: Engine,
    /// Meta's limit: 10 calls per 10 minutes per page.
    calls: Arc<DefaultKeyedRateLimiter<String>>,
}

impl ProfilePush {
    pub fn new(engine: Engine) -> ProfilePush {
        let ten = NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(Duration::from_secs(60))
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(ten);
        ProfilePush {
            engine,
            calls: Arc::new(RateLimiter::keyed(quota)),
        }
    }

    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.profile.clone(), POLL)
    }

    /// Pushes the profile of `stored` (one version); records the outcome.
    async fn push(&self, stored: &StoredAutomations) -> anyhow::Result<()> {
        let store = self.engine.store();
        let Some(page) = store.page(&stored.page_id).await? else {
            return Ok(());
        };
        let Some(token) = page.access_token.as_deref() else {
            return Ok(());
        };
        let doc = automations::parse(&stored.document)?;
        let (set, delete) = automations::profile::to_meta(doc.messenger_profile.as_ref());
        let calls = usize::from(!set.is_empty()) + usize::from(!delete.is_empty());
        let n = NonZeroU32::new(calls as u32).unwrap_or(NonZeroU32::MIN);
        if self.calls.check_key_n(&stored.page_id, n) != Ok(Ok(())) {
            tracing::debug!(page = %stored.page_id, "Messenger profile waits for Meta's rate limit");
            return Ok(());
        }
        let mut result = Ok(());
        if !set.is_empty() {
            result = self.engine.graph.set_messenger_profile(token, &set).await;
        }
        if result.is_ok() && !delete.is_empty() {
            result = self
                .engine
                .graph
                .delete_messenger_profile(token, &delete)
                .await;
        }
        let error = result.err().map(|e| e.to_string());
        match &error {
            None => {
                tracing::info!(page = %stored.page_id, version = stored.version, "Messenger profile synced")
            }
            Some(e) => {
                tracing::warn!(page = %stored.page_id, error = %e, "Meta refused the Messenger profile")
            }
        }
        store
            .profile_pushed(
                &stored.page_id,
                stored.version,
                error.as_deref(),
                Time::now(),
            )
            .await?;
        self.engine.signals.changed();
        Ok(())
    }
}

impl Worker for ProfilePush {
    fn name(&self) -> &'static str {
        "profile_push"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let now = Time::now();
        for stored in self.engine.store().profiles_to_push().await? {
            let refused_lately = stored
                .profile_error_at
                .is_some_and(|at| now.since(at) < RETRY_AFTER);
            if !refused_lately {
                self.push(&stored).await?;
            }
        }
        Ok(Progress::Idle)
    }
}
