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

/// The user, if the name exists, is enabled and the password matches.
pub async fn check_login(
    store: &dyn Store,
    username: &str,
    password: &str,
) -> Result<Option<User>, AccountError> {
    let Some(user) = store.user(username).await? else {
        // Spend the same time as a real check, so a wrong name is not faster than a wrong password.
        let _ = hash_password(password);
        return Ok(None);
    };
    let matches = PasswordHash::new(&user.password_hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    Ok((matches && !user.disabled).then_some(user))
}

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

/// Creates an API token that acts as `username`; the token is returned once and only its hash
/// is kept.
pub async fn create_api_token(
    store: &dyn Store,
    username: &str,
    name: &str,
) -> Result<String, AccountError> {
    let user = store
        .user(username)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| AccountError::NoUser(username.to_owned()))?;
    let token = new_secret();
    store
        .create_api_token(&token_hash(&token), user.id, name, Time::now())
        .await?;
    Ok(token)
}
