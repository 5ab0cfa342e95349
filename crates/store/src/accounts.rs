//! The inbox's users. The store keeps password hashes; hashing and checking is the app's.

use async_trait::async_trait;
use serde::Serialize;

use crate::kinds::Role;
use crate::{Result, Time};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: Time,
    /// The inbox's language (`vi`, `en`, `ar`, `ms`, `it`); `None` follows the browser.
    pub language: Option<String>,
    /// An IANA time zone (`Asia/Ho_Chi_Minh`); `None` follows the browser.
    pub time_zone: Option<String>,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Adds a user; `None` if the name is taken.
    async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        now: Time,
    ) -> Result<Option<i64>>;
    async fn user(&self, username: &str) -> Result<Option<User>>;
    async fn users(&self) -> Result<Vec<User>>;
    /// Returns false if there is no such user.
    async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool>;
    /// The user's language and time zone (`None`: follow the browser).
    async fn set_user_preferences(
        &self,
        user_id: i64,
        language: Option<&str>,
        time_zone: Option<&str>,
    ) -> Result<bool>;
    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<bool>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Time,
        expires_at: Time,
    ) -> Result<()>;
    /// The session's user, if the session exists, has not expired and the user is enabled.
    async fn session_user(&self, token_hash: &str, now: Time) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Deletes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Time) -> Result<u64>;
}
