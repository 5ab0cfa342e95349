//! Each user's own settings: the inbox's language and time zone, and their password.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use i18n::{Lang, Tr};
use serde::Deserialize;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    tr: Tr,
    me: Me,
    notice: Option<String>,
    /// The chosen language's tag, empty for "as the browser".
    language: String,
    languages: Vec<(&'static str, &'static str)>,
    time_zone: String,
    zones: Vec<String>,
}

#[derive(Deserialize)]
pub struct Notice {
    /// `saved` or `password`: what was just done.
    #[serde(default)]
    done: String,
}

pub async fn page(Agent(user, tr): Agent, Query(n): Query<Notice>) -> PageResult {
    let notice = match n.done.as_str() {
        "saved" => Some(tr.t("account-saved")),
        "password" => Some(tr.t("account-password-changed")),
        _ => None,
    };
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|z| z.as_str().to_owned())
        .filter(|z| z.contains('/') && !z.starts_with("Etc/"))
        .collect();
    zones.sort();
    render(AccountPage {
        me: Me::of(&user),
        notice,
        language: user.language.clone().unwrap_or_default(),
        languages: Lang::ALL
            .into_iter()
            .map(|l| (l.tag(), l.native_name()))
            .collect(),
        time_zone: user.time_zone.clone().unwrap_or_default(),
        zones,
        tr,
    })
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn preferences(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<PreferencesForm>,
) -> PageResult {
    state
        .engine
        .set_preferences(&user, &f.language, &f.time_zone)
        .await?;
    Ok(Redirect::to("/account?done=saved").into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

pub async fn password(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    state
        .engine
        .change_password(&user, &f.current, &f.new, &f.repeat)
        .await?;
    Ok(Redirect::to("/account?done=password").into_response())
}
