//! The paid Marketing Message API from Fenestra's side: the campaign a broadcast's paid messages
//! count in, Meta's cost estimate, the opt-in request sent inside the window (at most once per
//! title per week), and the subscribers Meta knows of that no opt-in webhook told us about
//! (people who came from click-to-Messenger ads).
//!
//! Calls use the business token from onboarding, else the Page token.

use messenger::marketing::{Estimate, NewCampaign};
use serde::Serialize;
use store::Time;

use crate::Engine;
use crate::outbox::{Actor, Draft, SubmitError, Submitted};

/// Why an opt-in request was not sent.
#[derive(Debug, thiserror::Error)]
pub enum OptinError {
    #[error("title: at most 65 characters")]
    TitleTooLong,
    #[error(
        "an opt-in request titled \"{0}\" went to this customer less than a week ago (Meta allows one per title per week)"
    )]
    TooSoon(String),
    #[error(transparent)]
    Submit(#[from] SubmitError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// What a subscriber sync found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Synced {
    pub listed: u64,
    /// New subscriptions of known contacts.
    pub added: u64,
    /// Tokens without a recipient (audience-derived): Meta keeps them for its campaigns.
    pub without_recipient: u64,
}

impl Engine {
    /// The ad account and the token to call it with, if the page is onboarded.
    async fn ad_account(&self, page_id: &str) -> Option<(String, String)> {
        let setup = self.store().marketing_setup(page_id).await.ok()?;
        let account = setup.ad_account_id?;
        let token = match setup.business_token {
            Some(t) => t,
            None => self.store().page(page_id).await.ok()??.access_token?,
        };
        Some((account, token))
    }

    /// Creates the campaign a broadcast's paid messages are sent in.
    pub(crate) async fn create_campaign(
        &self,
        page_id: &str,
        name: &str,
        start: Time,
    ) -> Result<String, String> {
        let (account, token) = self
            .ad_account(page_id)
            .await
            .ok_or_else(|| format!("page {page_id} has no ad account for marketing messages"))?;
        let setup = self
            .store()
            .marketing_setup(page_id)
            .await
            .map_err(|e| e.to_string())?;
        let campaign = NewCampaign {
            name: name.to_owned(),
            page_id: page_id.to_owned(),
            daily_budget: setup.daily_budget,
            start_time: Some(start.timestamp().to_string()),
        };
        self.graph
            .create_campaign(&token, &account, &campaign)
            .await
            .map(|c| c.id)
            .map_err(|e| e.to_string())
    }

    /// Meta's estimate of deliveries and cost for the page's subscribers; `None` when the page
    /// is not onboarded or Meta did not answer.
    pub async fn marketing_estimate(&self, page_id: &str) -> Option<Estimate> {
        let (account, token) = self.ad_account(page_id).await?;
        match self
            .graph
            .delivery_estimate(&token, &account, page_id)
            .await
        {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::warn!(page_id, error = %e, "Meta gave no marketing estimate");
                None
            }
        }
    }

    /// Asks a customer inside the window to subscribe to marketing messages under `title`
    /// (Meta's opt-in request template). Judged and audited like every message.
    pub async fn request_optin(
        &self,
        page_id: &str,
        psid: &str,
        title: &str,
        actor: Actor,
    ) -> Result<Submitted, OptinError> {
        let title = title.trim();
        let title = if title.is_empty() {
            "Updates and promotions"
        } else {
            title
        };
        if title.chars().count() > 65 {
            return Err(OptinError::TitleTooLong);
        }
        // Judge first: a refused request uses nothing up.
        let mut draft = Draft::text(page_id, psid, actor, title);
        draft.optin_request = true;
        let (decision, _) = self.judge(&draft, Time::now()).await?;
        if decision.verdict == policy::Verdict::Allow
            && !self
                .store()
                .record_optin_request(page_id, psid, title, Time::now())
                .await?
        {
            return Err(OptinError::TooSoon(title.to_owned()));
        }
        Ok(self.submit(&draft).await?)
    }

    /// Syncs the page's subscribers from Meta's token list; returns what it found.
    pub async fn sync_subscribers(&self, page_id: &str) -> Result<Synced, String> {
        let page = self
            .store()
            .page(page_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("page {page_id} is not known"))?;
        let token = page
            .access_token
            .ok_or_else(|| format!("page {page_id} has no access token"))?;
        let mut synced = Synced::default();
        let mut after: Option<String> = None;
        loop {
            let (rows, next) = self
                .graph
                .notification_message_tokens(&token, page_id, after.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            for row in rows {
                synced.listed += 1;
                let Some(psid) = row.recipient_id else {
                    synced.without_recipient += 1;
                    continue;
                };
                let tz = row.notification_messages_timezone.as_deref();
                let region = tz.and_then(crate::region::of_time_zone);
                let known = self
                    .store()
                    .contact(page_id, &psid)
                    .await
                    .map_err(|e| e.to_string())?;
                if known.is_some()
                    && self
                        .store()
                        .sync_subscription(
                            page_id,
                            &psid,
                            &row.notification_messages_token,
                            tz,
                            region.as_deref(),
                            Time::now(),
                        )
                        .await
                        .map_err(|e| e.to_string())?
                {
                    synced.added += 1;
                }
            }
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        Ok(synced)
    }
}
