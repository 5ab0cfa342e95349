//! One conversation as people and programs see it: the thread page renders a
//! [`ConversationView`], and `GET /api/v1/conversations/{page}/{psid}` returns the same one as
//! JSON. Loaded in one place, so the two never disagree.

use policy::window::{self, Stage};
use serde::Serialize;
use store::{
    AuditEntry, Contact, Note, NotificationToken, OneTimeToken, OutboxRow, Pause, StoredMessage,
    TeamState, ThreadEvent, Time,
};

use crate::routing::{OtherOwner, other_owner};
use crate::team::TeamError;
use crate::{Engine, scenario};

#[derive(Debug, Clone, Serialize)]
pub struct ConversationView {
    pub contact: Contact,
    /// Where the customer's windows stand now (`open`, `human_agent`, `closed`).
    pub window: Stage,
    pub team: TeamState,
    /// The thread, oldest first.
    pub messages: Vec<StoredMessage>,
    /// What the customer did besides writing (postbacks, referrals, reactions, opt-ins).
    pub events: Vec<ThreadEvent>,
    pub notes: Vec<Note>,
    /// Our sends to this customer, oldest first, with their states.
    pub outbox: Vec<OutboxRow>,
    /// The policy's decisions on messages to this customer, newest first.
    pub decisions: Vec<AuditEntry>,
    pub one_time_tokens: Vec<Token<OneTimeToken>>,
    pub notification_tokens: Vec<Token<NotificationToken>>,
    /// Another app controls the thread (Meta's inbox, the lead-ads app, another bot).
    pub thread_owner: Option<OtherOwner>,
    /// Whether Fenestra is the Page's default app (only it may write in an idle thread).
    pub default_app: bool,
    /// Automations are paused for this customer.
    pub automations_paused: Option<Pause>,
}

/// A token the customer gave, and whether it can carry a message now.
#[derive(Debug, Clone, Serialize)]
pub struct Token<T> {
    #[serde(flatten)]
    pub token: T,
    pub usable: bool,
}

impl Engine {
    pub async fn conversation(
        &self,
        page_id: &str,
        psid: &str,
    ) -> Result<ConversationView, TeamError> {
        let s = self.store();
        let (contact, team, messages, events, notes, outbox) = tokio::try_join!(
            s.contact(page_id, psid),
            s.team_state(page_id, psid),
            s.messages(page_id, psid),
            s.thread_events(page_id, psid),
            s.notes(page_id, psid),
            s.outbox_for(page_id, psid),
        )?;
        let (Some(contact), Some(team)) = (contact, team) else {
            return Err(TeamError::NoConversation {
                page_id: page_id.to_owned(),
                psid: psid.to_owned(),
            });
        };
        let (audit, one_time, recurring, page) = tokio::try_join!(
            s.audit_for(page_id, psid),
            s.one_time_tokens(page_id, psid),
            s.notification_tokens(page_id, psid),
            s.page(page_id),
        )?;
        let now = Time::now();
        Ok(ConversationView {
            thread_owner: other_owner(&contact, now),
            default_app: page.is_none_or(|p| p.settings.default_app),
            automations_paused: contact.pause(now),
            window: window::stage(
                contact.window_opened_at().map(Time::timestamp),
                now.timestamp(),
            ),
            contact,
            team,
            messages,
            events,
            notes,
            outbox,
            decisions: audit.into_iter().rev().collect(),
            // Usable as the policy would judge it now.
            one_time_tokens: one_time
                .into_iter()
                .map(|t| Token {
                    usable: policy::one_time_token_usable(
                        &scenario::one_time_token(&t),
                        now.timestamp(),
                    ),
                    token: t,
                })
                .collect(),
            notification_tokens: recurring
                .into_iter()
                .map(|t| Token {
                    usable: policy::notification_token_usable(
                        &scenario::notification_token(&t),
                        now.timestamp(),
                    ),
                    token: t,
                })
                .collect(),
        })
    }
}
