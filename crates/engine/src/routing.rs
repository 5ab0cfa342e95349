//! Who controls a customer's thread (Meta's Conversation Routing) and what agents do about it:
//! take the conversation over from another app, or hand it back to Meta's inbox. Both call the
//! Graph API directly (they are not messages: nothing reaches the customer), then record the
//! new owner as webhooks would, so automations stop or resume at once.

use std::time::Duration;

use serde::Serialize;
use store::{ThreadFact, Time, User};

use crate::Engine;
use crate::team::TeamError;

/// Meta Business Suite's inbox.
pub const PAGE_INBOX: &str = "263902037430900";
/// Meta's lead-ads app.
pub const LEAD_ADS: &str = "413038776280800";
/// Another app's control lapses after this long without activity.
const CONTROL: Duration = Duration::from_secs(24 * 3_600);

/// The other app that controls a thread, as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherOwner {
    /// Meta's app id; `unknown` when only standby events told us.
    pub app_id: String,
    pub name: String,
    /// When its control lapses, unless the thread stays active.
    pub until: Option<Time>,
}

/// An app by name.
pub fn app_name(app_id: &str) -> String {
    match app_id {
        PAGE_INBOX => "Meta Business Suite inbox".into(),
        LEAD_ADS => "Meta's lead-ads app".into(),
        "unknown" | "" => "Another app".into(),
        other => format!("App {other}"),
    }
}

/// The other app controlling the contact's thread at `now`, if any.
pub fn other_owner(contact: &store::Contact, now: Time) -> Option<OtherOwner> {
    contact.other_owner(now).map(|app| OtherOwner {
        app_id: app.to_owned(),
        name: app_name(app),
        until: contact.thread_owner_until,
    })
}

impl Engine {
    /// The agent takes the conversation from the app that controls it.
    pub async fn take_over(&self, by: &User, page_id: &str, psid: &str) -> Result<(), TeamError> {
        let token = self.page_token(page_id).await?;
        self.graph
            .take_thread_control(
                &token,
                psid,
                &format!("taken over in Fenestra by {}", by.username),
            )
            .await
            .map_err(Box::new)?;
        self.store
            .record_thread_fact(page_id, psid, &ThreadFact::Ours, Time::now())
            .await?;
        tracing::info!(page_id, psid, agent = %by.username, "took the conversation over");
        self.signals.changed();
        Ok(())
    }

    /// The agent hands the conversation to Meta's Business Suite inbox (where staff answer
    /// from Meta's tools); automations stop for this customer until it comes back.
    pub async fn hand_back(&self, by: &User, page_id: &str, psid: &str) -> Result<(), TeamError> {
        let token = self.page_token(page_id).await?;
        self.graph
            .pass_thread_control(
                &token,
                psid,
                PAGE_INBOX,
                &format!("handed over from Fenestra by {}", by.username),
            )
            .await
            .map_err(Box::new)?;
        let now = Time::now();
        let fact = ThreadFact::Other {
            app: Some(PAGE_INBOX.into()),
            until: now + CONTROL,
        };
        self.store
            .record_thread_fact(page_id, psid, &fact, now)
            .await?;
        tracing::info!(page_id, psid, agent = %by.username, "handed the conversation to Meta's inbox");
        self.signals.changed();
        Ok(())
    }

    /// The page's access token, for a Graph call made on an admin's or agent's request.
    pub(crate) async fn page_token(&self, page_id: &str) -> Result<String, TeamError> {
        self.store
            .page(page_id)
            .await?
            .ok_or_else(|| TeamError::NoPage(page_id.to_owned()))?
            .access_token
            .ok_or_else(|| TeamError::NoPageToken(page_id.to_owned()))
    }
}
