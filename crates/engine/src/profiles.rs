//! Customers' public profiles (first name for greetings, picture and locale for the inbox),
//! fetched from the User Profile API and cached on the contact for a day.

use std::time::Duration;

use store::{Profile, Time};

use crate::Engine;

/// Meta lets a page keep profile data it needs; refresh it daily so renamed customers catch up.
const TTL: Duration = Duration::from_secs(24 * 3_600);
const FIELDS: &str = "first_name,last_name,profile_pic,locale,timezone,gender";

impl Engine {
    /// The cached profile, fetched first if missing or stale. `None` if Meta will not say
    /// (the customer's privacy settings, an outage): callers carry on without it.
    pub async fn profile(&self, page: &store::Page, psid: &str, now: Time) -> Option<Profile> {
        let contact = self.store.contact(&page.id, psid).await.ok().flatten()?;
        if contact
            .profile_fetched_at
            .is_some_and(|at| now.since(at) < TTL)
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
                    Ok(()) => self.signals.changed(),
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
