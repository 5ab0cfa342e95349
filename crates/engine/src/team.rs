//! What agents do to conversations besides writing: assign, label, note, close, mark seen, show
//! typing; and what admins keep for them: saved replies, personas. Both the web inbox and the
//! JSON API call these, so the rules (who may do what) live here once, and each change tells
//! open inboxes.

use policy::scenario::SenderAction;
use store::{
    AssigneeFilter, ConversationFilter, ConversationStatus, Pause, PauseReason, Persona, Role,
    Store, Time, User,
};

use crate::Engine;
use crate::outbox::{Actor, SubmitError};
use crate::problem::{Forbidden, Invalid};

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("no conversation with customer {psid} on page {page_id}")]
    NoConversation { page_id: String, psid: String },
    #[error("no page {0}: add it with `fenestra page add`")]
    NoPage(String),
    #[error("no enabled user named `{0}`")]
    NoUser(String),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("only an admin may {0}")]
    AdminOnly(Forbidden),
    #[error("page {0} has no access token: add it with `fenestra page add --token`")]
    NoPageToken(String),
    #[error("Meta refused: {0}")]
    Graph(#[from] Box<messenger::SendError>),
    #[error(transparent)]
    Submit(#[from] SubmitError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Account(#[from] crate::accounts::AccountError),
}

/// A label: 1 to 40 characters, no comma (the list joins labels with commas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label(String);

impl Label {
    pub fn parse(raw: &str) -> Result<Label, TeamError> {
        let label = raw.trim();
        if label.chars().any(char::is_control) {
            return Err(Invalid::LabelControl.into());
        }
        match label.chars().count() {
            0 => Err(Invalid::LabelEmpty.into()),
            n if n > 40 => Err(Invalid::LabelTooLong {
                label: label.to_owned(),
                max: 40,
            }
            .into()),
            _ if label.contains(',') => Err(Invalid::LabelComma(label.to_owned()).into()),
            _ => Ok(Label(label.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest search text: more finds nothing more, and costs the database.
pub const MAX_SEARCH: usize = 200;

/// The conversation list's filters as a query string has them (`?assignee=me&status=open&
/// label=vip&window=open&q=linh`); empty means "any".
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ListQuery {
    /// `me`, `unassigned` or a username.
    #[serde(default)]
    pub assignee: String,
    /// `open` or `closed`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub label: String,
    /// `open` or `closed`: the customer's 24-hour window.
    #[serde(default)]
    pub window: String,
    #[serde(default)]
    pub q: String,
}

impl ListQuery {
    pub async fn filter(
        &self,
        store: &dyn Store,
        me: &User,
        now: Time,
    ) -> Result<ConversationFilter, TeamError> {
        let assignee = match self.assignee.trim() {
            "" => AssigneeFilter::Anyone,
            "me" => AssigneeFilter::User(me.id),
            "unassigned" => AssigneeFilter::Unassigned,
            name => AssigneeFilter::User(
                store
                    .user(name)
                    .await?
                    .ok_or_else(|| TeamError::NoUser(name.to_owned()))?
                    .id,
            ),
        };
        let status = match self.status.trim() {
            "" => None,
            s => Some(ConversationStatus::parse(s).ok_or_else(|| Invalid::Status(s.to_owned()))?),
        };
        let window_open = match self.window.trim() {
            "" => None,
            "open" => Some(true),
            "closed" => Some(false),
            w => return Err(Invalid::Window(w.to_owned()).into()),
        };
        let q = self.q.trim();
        if q.chars().count() > MAX_SEARCH {
            return Err(Invalid::SearchTooLong { max: MAX_SEARCH }.into());
        }
        if q.chars().any(char::is_control) || self.label.chars().any(char::is_control) {
            return Err(Invalid::SearchControl.into());
        }
        Ok(ConversationFilter {
            assignee,
            status,
            label: Some(self.label.trim().to_owned()).filter(|l| !l.is_empty()),
            window_open,
            search: Some(q.to_owned()).filter(|q| !q.is_empty()),
            now,
        })
    }

    /// The query string again, for links and live refreshes that keep the filters.
    pub fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

fn found(page_id: &str, psid: &str, exists: bool) -> Result<(), TeamError> {
    if exists {
        Ok(())
    } else {
        Err(TeamError::NoConversation {
            page_id: page_id.to_owned(),
            psid: psid.to_owned(),
        })
    }
}

/// What marking a conversation seen did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MarkedSeen {
    /// Whether `mark_seen` went to Messenger (only where the policy allows it); the unread
    /// count is cleared either way.
    pub sent_to_messenger: bool,
}

/// How often an agent's typing shows: Messenger's indicator lasts about 20 s.
const TYPING_EVERY_MS: i64 = 10_000;

impl Engine {
    /// Assigns the conversation to `to` (a username), or unassigns it. An agent may take an
    /// unassigned conversation or let go of their own; anything touching someone else's is an
    /// admin's call.
    pub async fn assign(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
        to: Option<&str>,
    ) -> Result<(), TeamError> {
        let store = self.store();
        let current =
            store
                .team_state(page_id, psid)
                .await?
                .ok_or_else(|| TeamError::NoConversation {
                    page_id: page_id.to_owned(),
                    psid: psid.to_owned(),
                })?;
        let admin = by.role == Role::Admin;
        let someone_elses = current
            .assignee
            .as_deref()
            .is_some_and(|a| a != by.username);
        let user_id = match to {
            Some(name) => {
                let user = store
                    .user(name)
                    .await?
                    .filter(|u| !u.disabled)
                    .ok_or_else(|| TeamError::NoUser(name.to_owned()))?;
                if !admin && user.id != by.id {
                    return Err(TeamError::AdminOnly(Forbidden::AssignOthers));
                }
                if !admin && someone_elses {
                    return Err(TeamError::AdminOnly(Forbidden::TakeColleagues));
                }
                Some(user.id)
            }
            None => {
                if !admin && someone_elses {
                    return Err(TeamError::AdminOnly(Forbidden::UnassignOthers));
                }
                None
            }
        };
        found(page_id, psid, store.assign(page_id, psid, user_id).await?)?;
        self.signals.changed();
        Ok(())
    }

    /// Closes or reopens the conversation. Closing ends a pause on automations that was to
    /// last until the conversation closes, and sends the automations' goodbye and rating.
    pub async fn set_status(
        &self,
        page_id: &str,
        psid: &str,
        status: ConversationStatus,
    ) -> Result<(), TeamError> {
        found(
            page_id,
            psid,
            self.store.set_status(page_id, psid, status).await?,
        )?;
        if status == ConversationStatus::Closed {
            let contact = self.store.contact(page_id, psid).await?;
            if contact
                .and_then(|c| c.pause(Time::now()))
                .is_some_and(|p| p.until.is_none())
            {
                self.store.set_pause(page_id, psid, None).await?;
            }
            // The conversation is closed whatever becomes of the goodbye.
            if let Err(e) = self.closing_messages(page_id, psid).await {
                tracing::warn!(page_id, psid, error = %e, "closing messages not sent");
            }
        }
        self.signals.changed();
        Ok(())
    }

    /// Pauses automations for this customer until the conversation closes, or resumes them.
    pub async fn set_automations_paused(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
        paused: bool,
    ) -> Result<(), TeamError> {
        let pause = paused.then(|| Pause {
            since: Time::now(),
            until: None,
            reason: PauseReason::Agent,
        });
        found(
            page_id,
            psid,
            self.store.set_pause(page_id, psid, pause).await?,
        )?;
        tracing::info!(page_id, psid, agent = %by.username, paused, "automations paused or resumed");
        self.signals.changed();
        Ok(())
    }

    /// An agent records that the customer opted out (they asked another way), or clears it.
    pub async fn set_opted_out(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
        opted_out: bool,
    ) -> Result<(), TeamError> {
        let at = opted_out.then(Time::now);
        found(
            page_id,
            psid,
            self.store.set_opted_out(page_id, psid, at).await?,
        )?;
        tracing::info!(page_id, psid, agent = %by.username, opted_out, "opt-out set by an agent");
        self.signals.changed();
        Ok(())
    }

    pub async fn add_label(
        &self,
        page_id: &str,
        psid: &str,
        label: &Label,
    ) -> Result<(), TeamError> {
        found(
            page_id,
            psid,
            self.store.add_label(page_id, psid, label.as_str()).await?,
        )?;
        self.signals.changed();
        Ok(())
    }

    pub async fn remove_label(
        &self,
        page_id: &str,
        psid: &str,
        label: &str,
    ) -> Result<(), TeamError> {
        self.store.remove_label(page_id, psid, label.trim()).await?;
        self.signals.changed();
        Ok(())
    }

    pub async fn add_note(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
        text: &str,
    ) -> Result<i64, TeamError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Invalid::NoteEmpty.into());
        }
        found(
            page_id,
            psid,
            self.store.team_state(page_id, psid).await?.is_some(),
        )?;
        let id = self
            .store
            .add_note(page_id, psid, &by.username, text, Time::now())
            .await?;
        self.signals.changed();
        Ok(id)
    }

    /// The agent says they have read the conversation: the customer sees "seen" (if the policy
    /// allows a read receipt now) and the unread count clears. Displaying a thread never does
    /// this by itself.
    pub async fn mark_seen(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
    ) -> Result<MarkedSeen, TeamError> {
        found(page_id, psid, self.store.mark_read(page_id, psid).await?)?;
        let (_, queued) = self
            .sender_action(
                page_id,
                psid,
                &Actor::Agent(by.username.clone()),
                SenderAction::MarkSeen,
                None,
            )
            .await?;
        self.signals.changed();
        Ok(MarkedSeen {
            sent_to_messenger: queued.is_some(),
        })
    }

    /// The agent is typing (`on`) or stopped with nothing to send (`!on`): the customer sees or
    /// stops seeing the indicator, at most once per 10 s per conversation, where the policy
    /// allows it. Returns whether one was queued.
    pub async fn typing(
        &self,
        by: &User,
        page_id: &str,
        psid: &str,
        on: bool,
    ) -> Result<bool, TeamError> {
        found(
            page_id,
            psid,
            self.store.team_state(page_id, psid).await?.is_some(),
        )?;
        let (action, key) = if on {
            let bucket = Time::now().ms() / TYPING_EVERY_MS;
            (
                SenderAction::TypingOn,
                Some(format!("typing:{page_id}:{psid}:{bucket}")),
            )
        } else {
            (SenderAction::TypingOff, None)
        };
        let (_, queued) = self
            .sender_action(
                page_id,
                psid,
                &Actor::Agent(by.username.clone()),
                action,
                key,
            )
            .await?;
        Ok(queued.is_some())
    }

    /// Creates a persona through the Personas API and keeps it for the composer.
    pub async fn create_persona(
        &self,
        by: &User,
        page_id: &str,
        name: &str,
        picture_url: &str,
    ) -> Result<Persona, TeamError> {
        if by.role != Role::Admin {
            return Err(TeamError::AdminOnly(Forbidden::Personas));
        }
        let (name, picture_url) = (name.trim(), picture_url.trim());
        if name.is_empty() {
            return Err(Invalid::PersonaName.into());
        }
        if !(picture_url.starts_with("https://") || picture_url.starts_with("http://")) {
            return Err(Invalid::PersonaPicture(picture_url.to_owned()).into());
        }
        let token = self.page_token(page_id).await?;
        let id = self
            .graph
            .create_persona(&token, name, picture_url)
            .await
            .map_err(Box::new)?;
        let persona = Persona {
            id,
            page_id: page_id.to_owned(),
            name: name.to_owned(),
            profile_picture_url: picture_url.to_owned(),
        };
        self.store.add_persona(&persona, Time::now()).await?;
        Ok(persona)
    }

    /// Saves a reply agents can pick in the composer; it may carry a picture or file, buttons
    /// and quick replies, checked against Meta's limits now rather than when it is sent.
    pub async fn save_reply(
        &self,
        by: &User,
        name: &str,
        text: &str,
        parts: &crate::rich::Parts,
    ) -> Result<i64, TeamError> {
        if by.role != Role::Admin {
            return Err(TeamError::AdminOnly(Forbidden::SavedReplies));
        }
        let (name, text) = (name.trim(), text.trim());
        if name.is_empty() || (text.is_empty() && parts.attachment.is_none()) {
            return Err(Invalid::ReplyEmpty.into());
        }
        parts.check(text).map_err(SubmitError::from)?;
        let rich = parts.to_json();
        Ok(self
            .store
            .save_reply(name, text, rich.as_deref(), Time::now())
            .await?)
    }

    pub async fn delete_reply(&self, by: &User, id: i64) -> Result<(), TeamError> {
        if by.role != Role::Admin {
            return Err(TeamError::AdminOnly(Forbidden::SavedReplies));
        }
        self.store.delete_saved_reply(id).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_and_comma_free() {
        assert_eq!(Label::parse("  vip ").unwrap().as_str(), "vip");
        assert!(Label::parse(" ").is_err());
        assert!(Label::parse("a,b").is_err());
        assert!(Label::parse(&"x".repeat(41)).is_err());
        assert!(Label::parse(&"ế".repeat(40)).is_ok());
    }
}
