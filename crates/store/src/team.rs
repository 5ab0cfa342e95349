//! What a team does with conversations: find them, assign them, label them, note things,
//! close them; and what it keeps for answering: saved replies, personas, API tokens.

use async_trait::async_trait;
use serde::Serialize;

use crate::kinds::{ConversationStatus, Speaker};
use crate::{Result, Time, User};

/// Which conversations the list shows. Every part narrows it; the default is all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversationFilter {
    pub assignee: AssigneeFilter,
    /// `open` or `closed`.
    pub status: Option<ConversationStatus>,
    pub label: Option<String>,
    /// Whether the 24-hour window is open at the filter's `now`.
    pub window_open: Option<bool>,
    /// Matches the customer's name or any message's text, ignoring case.
    pub search: Option<String>,
    /// The time the window filter is judged at.
    pub now: Time,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    User(i64),
    Unassigned,
}

/// One line of the inbox's conversation list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ConversationSummary {
    pub page_id: String,
    pub psid: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub profile_pic: Option<String>,
    pub status: ConversationStatus,
    pub last_activity_at: Time,
    pub last_message_text: Option<String>,
    /// Who wrote the last message (`None` before this was recorded).
    pub last_message_by: Option<Speaker>,
    pub unread_count: i64,
    /// The latest window-opening interaction.
    pub last_interaction_at: Option<Time>,
    pub window_closed_at: Option<Time>,
    pub assignee: Option<String>,
    #[sqlx(try_from = "Option<String>")]
    pub labels: Labels,
}

/// A conversation's labels, sorted. The database hands them over comma-joined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Labels(pub Vec<String>);

impl From<Option<String>> for Labels {
    fn from(joined: Option<String>) -> Labels {
        let mut labels: Vec<String> = joined
            .unwrap_or_default()
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        labels.sort();
        Labels(labels)
    }
}

impl std::ops::Deref for Labels {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub author: String,
    pub text: String,
    pub created_at: Time,
}

/// An event in the thread that is not a message: a postback, a referral, a reaction, an opt-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ThreadEvent {
    pub kind: String,
    pub at: Time,
    pub summary: String,
    /// `{"id": …, "args": {…}}`: the summary as a message in any language.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SavedReply {
    pub id: i64,
    pub name: String,
    pub text: String,
    /// A picture or file, buttons and quick replies (JSON); `None`: text alone.
    pub rich: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Persona {
    /// Meta's persona id.
    pub id: String,
    pub page_id: String,
    pub name: String,
    pub profile_picture_url: String,
}

/// The team's state of one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TeamState {
    pub status: ConversationStatus,
    pub assignee: Option<String>,
    pub unread_count: i64,
    #[sqlx(try_from = "Option<String>")]
    pub labels: Labels,
}

/// An API token as its owner sees it: an id (the first characters of its hash), a name, dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: Time,
    pub expires_at: Option<Time>,
    pub last_used_at: Option<Time>,
    pub revoked_at: Option<Time>,
}

/// Characters of the token's hash that identify it.
pub const TOKEN_ID_LEN: usize = 12;

#[async_trait]
pub trait TeamStore: Send + Sync {
    /// Newest activity first, at most `limit`.
    async fn conversation_list(
        &self,
        filter: &ConversationFilter,
        limit: i64,
    ) -> Result<Vec<ConversationSummary>>;
    /// `None` if there is no such conversation.
    async fn team_state(&self, page_id: &str, psid: &str) -> Result<Option<TeamState>>;
    /// Every label in use, for the filter.
    async fn labels_in_use(&self) -> Result<Vec<String>>;
    /// How many open conversations have unread messages (the tab title's count).
    async fn unread_conversations(&self) -> Result<i64>;

    /// The following return false if there is no such conversation.
    async fn assign(&self, page_id: &str, psid: &str, user_id: Option<i64>) -> Result<bool>;
    /// Each enabled user's open conversations: (user id, username, how many), by username.
    async fn open_load(&self) -> Result<Vec<(i64, String, i64)>>;
    async fn set_status(
        &self,
        page_id: &str,
        psid: &str,
        status: ConversationStatus,
    ) -> Result<bool>;
    /// When the conversation was last closed.
    async fn closed_at(&self, page_id: &str, psid: &str) -> Result<Option<Time>>;
    async fn add_label(&self, page_id: &str, psid: &str, label: &str) -> Result<bool>;
    async fn remove_label(&self, page_id: &str, psid: &str, label: &str) -> Result<bool>;
    /// The team has read the conversation: its unread count goes to 0.
    async fn mark_read(&self, page_id: &str, psid: &str) -> Result<bool>;

    async fn add_note(
        &self,
        page_id: &str,
        psid: &str,
        author: &str,
        text: &str,
        now: Time,
    ) -> Result<i64>;
    async fn notes(&self, page_id: &str, psid: &str) -> Result<Vec<Note>>;
    /// Events with a summary, oldest first.
    async fn thread_events(&self, page_id: &str, psid: &str) -> Result<Vec<ThreadEvent>>;

    async fn saved_replies(&self) -> Result<Vec<SavedReply>>;
    /// Adds or replaces the reply with this name.
    async fn save_reply(
        &self,
        name: &str,
        text: &str,
        rich: Option<&str>,
        now: Time,
    ) -> Result<i64>;
    async fn delete_saved_reply(&self, id: i64) -> Result<bool>;

    async fn personas(&self, page_id: &str) -> Result<Vec<Persona>>;
    async fn add_persona(&self, persona: &Persona, now: Time) -> Result<()>;

    async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        now: Time,
        expires_at: Option<Time>,
    ) -> Result<()>;
    /// The token's user, if the token exists, has not expired nor been revoked, and the user
    /// is enabled; its last use is recorded (at most once a minute).
    async fn api_token_user(&self, token_hash: &str, now: Time) -> Result<Option<User>>;
    /// A user's tokens, newest first (never the tokens themselves).
    async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    /// Revokes the user's token whose id is `id`; false if there is none.
    async fn revoke_api_token(&self, user_id: i64, id: &str, now: Time) -> Result<bool>;
}
