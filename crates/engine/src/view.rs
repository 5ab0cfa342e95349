//! One conversation as people and programs see it: the thread page renders a
//! [`ConversationView`], and `GET /api/v1/conversations/{page}/{psid}` returns the same one as
//! JSON. Loaded in one place, so the two never disagree.

use policy::window::{self, Stage};
use serde::Serialize;
use store::{
    AuditEntry, Contact, Note, NotificationToken, OneTimeToken, OutboxRow, StoredMessage,
    TeamState, ThreadEvent, Time, TokenStatus,
};

use crate::Engine;
use crate::team::TeamError;

/// A one-time token lasts a year.
const ONE_TIME_TOKEN_LIFE: std::time::Duration = std::time::Duration::from_secs(365 * 86_400);

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
        let (audit, one_time, recurring) = tokio::try_join!(
            s.audit_for(page_id, psid),
            s.one_time_tokens(page_id, psid),
            s.notification_tokens(page_id, psid),
        )?;
        let now = Time::now();
        Ok(ConversationView {
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
            one_time_tokens: one_time
                .into_iter()
                .map(|t| Token {
                    usable: t.used_at.is_none() && now < t.issued_at + ONE_TIME_TOKEN_LIFE,
                    token: t,
                })
                .collect(),
            notification_tokens: recurring
                .into_iter()
                .map(|t| Token {
                    usable: t.status == TokenStatus::Active && t.expires_at.is_none_or(|e| e > now),
                    token: t,
                })
                .collect(),
        })
    }
}
