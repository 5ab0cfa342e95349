//! Admins' settings: saved replies (with `{{first_name}}`), personas and how long each page
//! keeps conversations. Agents may look but
//! not change; the engine's team work says who may do what.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::{Page, Persona, SavedReply};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    tr: Tr,
    me: Me,
    replies: Vec<SavedReply>,
    personas: Vec<Persona>,
    pages: Vec<Page>,
}

pub async fn page(Agent(user, tr): Agent, State(state): State<AppState>) -> PageResult {
    let store = state.store();
    let pages = store.pages().await?;
    let mut personas = vec![];
    for p in &pages {
        personas.extend(store.personas(&p.id).await?);
    }
    render(SettingsPage {
        tr,
        me: Me::of(&user),
        replies: store.saved_replies().await?,
        personas,
        pages,
    })
}

fn back() -> PageResult {
    Ok(Redirect::to("/settings").into_response())
}

/// `name`, `text`, and what the reply carries besides, written as in the composer.
pub async fn save_reply(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<super::compose::Fields>,
) -> PageResult {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
    let parts = super::compose::parts(&f);
    state
        .engine
        .save_reply(&user, get("name"), get("text"), &parts)
        .await?;
    back()
}

pub async fn delete_reply(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    state.engine.delete_reply(&user, id).await?;
    back()
}

#[derive(Deserialize)]
pub struct PersonaForm {
    page_id: String,
    name: String,
    picture: String,
}

pub async fn create_persona(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<PersonaForm>,
) -> PageResult {
    state
        .engine
        .create_persona(&user, &f.page_id, &f.name, &f.picture)
        .await?;
    back()
}

#[derive(Deserialize)]
pub struct RetentionForm {
    /// Empty keeps conversations.
    #[serde(default)]
    days: String,
}

pub async fn set_retention(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<RetentionForm>,
) -> PageResult {
    let days = match f.days.trim() {
        "" => None,
        d => Some(
            d.parse::<u32>()
                .map_err(|_| engine::problem::Invalid::Retention {
                    max: engine::privacy::MAX_RETENTION_DAYS,
                })?,
        ),
    };
    state
        .engine
        .set_retention(engine::privacy::Caller::User(&user), &page_id, days)
        .await?;
    back()
}
