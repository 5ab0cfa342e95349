//! Customers' public profiles (first name for greetings, picture and locale for the inbox),
//! fetched from the User Profile API and cached on the contact for a day.

use std::sync::Arc;

use messenger::GraphClient;
use store::{Profile, Store};

/// Meta lets a page keep profile data it needs; refresh it daily so renamed customers catch up.
const TTL_MS: i64 = 24 * 3_600_000;
const FIELDS: &str = "first_name,last_name,profile_pic,locale,timezone,gender";

pub struct Profiles {
    pub store: Arc<dyn Store>,
    pub graph: GraphClient,
    /// Told when a profile was cached (the inbox shows the new name and picture).
    pub live: Option<tokio::sync::broadcast::Sender<()>>,
}

impl Profiles {
    /// The cached profile, fetched first if missing or stale. `None` if Meta will not say
    /// (the customer's privacy settings, an outage): callers carry on without it.
    pub async fn get(&self, page: &store::Page, psid: &str, now: i64) -> Option<Profile> {
        let contact = self.store.contact(&page.id, psid).await.ok().flatten()?;
        if contact
            .profile_fetched_at
            .is_some_and(|at| now - at < TTL_MS)
        {
            return Some(contact.profile);
        }
        let token = page.access_token.as_deref()?;
        match self.graph.user_profile(token, psid, FIELDS).await {
            Ok(p) => {
                let profile = Profile {
                    first_name: p.first_name,
                    last_name: p.last_name,
                    profile_pic: p.profile_pic,
                    locale: p.locale,
                    timezone: p.timezone,
                    gender: p.gender,
                };
                match self.store.save_profile(&page.id, psid, &profile, now).await {
                    Ok(()) => {
                        if let Some(live) = &self.live {
                            let _ = live.send(());
                        }
                    }
                    Err(e) => tracing::warn!(psid, error = %e, "caching a profile failed"),
                }
                Some(profile)
            }
            Err(e) => {
                tracing::warn!(psid, error = %e, "the User Profile API did not answer");
                (contact.profile_fetched_at.is_some()).then_some(contact.profile)
            }
        }
    }
}
