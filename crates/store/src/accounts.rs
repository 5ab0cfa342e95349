//! The inbox's users. The store keeps password hashes; hashing and checking is the app's.

use async_trait::async_trait;
use serde::Serialize;

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and page settings.
    Admin,
    /// Conversations: read, answer, assign, label.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Adds a user; `None` if the name is taken.
    async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> Result<Option<i64>>;
    async fn user(&self, username: &str) -> Result<Option<User>>;
    async fn users(&self) -> Result<Vec<User>>;
    /// Returns false if there is no such user.
    async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// The session's user, if the session exists, has not expired and the user is enabled.
    async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
}
