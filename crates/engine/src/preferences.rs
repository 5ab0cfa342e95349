//! What each user sets for themselves: the inbox's language and time zone, and their password.

use store::User;

use crate::Engine;
use crate::accounts::{self, MIN_PASSWORD};
use crate::problem::Invalid;
use crate::team::TeamError;

impl Engine {
    /// Sets `user`'s language (`vi`, `en`, `ar`, `ms`, `it`) and IANA time zone; empty follows
    /// the browser.
    pub async fn set_preferences(
        &self,
        user: &User,
        language: &str,
        time_zone: &str,
    ) -> Result<(), TeamError> {
        let language = match language.trim() {
            "" => None,
            l => Some(
                i18n::Lang::parse(l)
                    .filter(|lang| lang.tag() == l)
                    .ok_or_else(|| Invalid::Language(l.to_owned()))?
                    .tag(),
            ),
        };
        let time_zone = match time_zone.trim() {
            "" => None,
            z => {
                jiff::tz::TimeZone::get(z).map_err(|_| Invalid::TimeZone(z.to_owned()))?;
                Some(z)
            }
        };
        self.store
            .set_user_preferences(user.id, language, time_zone)
            .await?;
        Ok(())
    }

    /// Changes `user`'s password after checking the current one.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Result<(), TeamError> {
        if new.chars().count() < MIN_PASSWORD {
            return Err(Invalid::PasswordShort { min: MIN_PASSWORD }.into());
        }
        if new != repeat {
            return Err(Invalid::PasswordMismatch.into());
        }
        if !accounts::verify_password(user.password_hash.clone(), current).await? {
            return Err(Invalid::PasswordWrong.into());
        }
        let hash = accounts::hash_password_off_thread(new).await?;
        self.store.set_password_hash(user.id, &hash).await?;
        tracing::info!(user = %user.username, "password changed");
        Ok(())
    }
}
