//! Users of the inbox: validated names, argon2id password hashes.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use store::{Role, Store, Time, User};

pub const MIN_PASSWORD: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("username `{0}` must be 2-32 characters of a-z, 0-9, `.`, `_` or `-`")]
    BadUsername(String),
    #[error("the password must be at least {MIN_PASSWORD} characters")]
    ShortPassword,
    #[error("a user named `{0}` exists")]
    Taken(String),
    #[error("there is no enabled user named `{0}`")]
    NoUser(String),
    #[error("no active token `{0}` for this user (see `fenestra user token --list`)")]
    NoToken(String),
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// Adds a user with an argon2id hash of `password`.
pub async fn add_user(
    store: &dyn Store,
    username: &str,
    password: &str,
    role: Role,
) -> Result<i64, AccountError> {
    let valid = (2..=32).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !valid {
        return Err(AccountError::BadUsername(username.to_owned()));
    }
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::ShortPassword);
    }
    let hash = hash_password(password)?;
    store
        .create_user(username, &hash, role, Time::now())
        .await?
        .ok_or_else(|| AccountError::Taken(username.to_owned()))
}

pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Argon2 takes tens of milliseconds of a core on purpose: it runs on the blocking pool, this
/// many at a time, so a flood of logins queues here instead of starving the async threads that
/// acknowledge webhooks.
static HASHERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A user name longer than this is refused before any work: no real name is that long.
pub const MAX_USERNAME: usize = 64;

/// The user, if the name exists, is enabled and the password matches.
pub async fn check_login(
    store: &dyn Store,
    username: &str,
    password: &str,
) -> Result<Option<User>, AccountError> {
    if username.len() > MAX_USERNAME {
        return Ok(None);
    }
    let user = store.user(username).await?;
    // A missing user costs the same as a wrong password, so names cannot be probed by timing.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let matches = verify_password(hash, password).await?;
    Ok(user.filter(|u| matches && !u.disabled))
}

/// Whether `password` matches the argon2 `hash`, computed on the blocking pool within
/// [`HASHERS`]'s limit.
pub async fn verify_password(hash: String, password: &str) -> Result<bool, AccountError> {
    let password = password.to_owned();
    let _permit = HASHERS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AccountError::Hash(e.to_string()))
}

/// [`hash_password`] on the blocking pool within [`HASHERS`]'s limit.
pub async fn hash_password_off_thread(password: &str) -> Result<String, AccountError> {
    let password = password.to_owned();
    let _permit = HASHERS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))?
}

/// Checked against when the user does not exist.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("a password nobody has").expect("argon2 hashes any password")
});

/// What the store keeps of a session or API token: its SHA-256, never the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random secret (session cookie, API token): 32 bytes, hex.
pub fn new_secret() -> String {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How long an API token works unless said otherwise.
pub const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(90 * 86_400);

/// Creates an API token that acts as `username` for `lifetime` ([`TOKEN_LIFETIME`] by
/// default; `Some(Duration::ZERO)` never expires); the token is returned once and only its hash
/// is kept.
pub async fn create_api_token(
    store: &dyn Store,
    username: &str,
    name: &str,
) -> Result<String, AccountError> {
    create_api_token_for(store, username, name, Some(TOKEN_LIFETIME)).await
}

pub async fn create_api_token_for(
    store: &dyn Store,
    username: &str,
    name: &str,
    lifetime: Option<std::time::Duration>,
) -> Result<String, AccountError> {
    let user = enabled_user(store, username).await?;
    let token = new_secret();
    let now = Time::now();
    let expires_at = lifetime.filter(|d| !d.is_zero()).map(|d| now + d);
    store
        .create_api_token(&token_hash(&token), user.id, name, now, expires_at)
        .await?;
    Ok(token)
}

/// A user's API tokens (ids, names, dates), newest first.
pub async fn api_tokens(
    store: &dyn Store,
    username: &str,
) -> Result<Vec<store::ApiToken>, AccountError> {
    let user = store
        .user(username)
        .await?
        .ok_or_else(|| AccountError::NoUser(username.to_owned()))?;
    Ok(store.api_tokens(user.id).await?)
}

/// Revokes one of the user's tokens by its id (as `fenestra user token --list` shows it).
pub async fn revoke_api_token(
    store: &dyn Store,
    username: &str,
    id: &str,
) -> Result<(), AccountError> {
    let user = store
        .user(username)
        .await?
        .ok_or_else(|| AccountError::NoUser(username.to_owned()))?;
    if store
        .revoke_api_token(user.id, id.trim(), Time::now())
        .await?
    {
        Ok(())
    } else {
        Err(AccountError::NoToken(id.to_owned()))
    }
}

async fn enabled_user(store: &dyn Store, username: &str) -> Result<User, AccountError> {
    store
        .user(username)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| AccountError::NoUser(username.to_owned()))
}

impl crate::Engine {
    /// An admin adds a user of the inbox (from Settings or the API).
    pub async fn add_user_as(
        &self,
        by: &User,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<i64, crate::team::TeamError> {
        if by.role != Role::Admin {
            return Err(crate::team::TeamError::AdminOnly(
                crate::problem::Forbidden::Users,
            ));
        }
        let id = add_user(self.store(), username.trim(), password, role).await?;
        tracing::info!(by = %by.username, username, ?role, "user added");
        Ok(id)
    }

    /// An admin disables a user (they can no longer log in, their sessions and tokens stop
    /// working) or enables them again; nobody disables themselves.
    pub async fn set_user_disabled_as(
        &self,
        by: &User,
        username: &str,
        disabled: bool,
    ) -> Result<(), crate::team::TeamError> {
        use crate::team::TeamError;
        if by.role != Role::Admin {
            return Err(TeamError::AdminOnly(crate::problem::Forbidden::Users));
        }
        if disabled && by.username == username {
            return Err(crate::problem::Invalid::DisableSelf.into());
        }
        if !self.store.set_user_disabled(username, disabled).await? {
            return Err(TeamError::NoUser(username.to_owned()));
        }
        tracing::info!(by = %by.username, username, disabled, "user disabled or enabled");
        Ok(())
    }
}
