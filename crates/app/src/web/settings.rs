//! Admins' settings: saved replies (with `{{first_name}}`) and personas. Agents may look but
//! not change; the rules are in [`crate::team`].

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::{Persona, Role, SavedReply};

use super::auth::Agent;
use super::inbox::render;
use crate::routes::AppState;
use crate::team::{self, TeamError};
use crate::time::now_ms;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    user: String,
    admin: bool,
    replies: Vec<SavedReply>,
    personas: Vec<Persona>,
    pages: Vec<String>,
}

pub async fn page(Agent(user): Agent, State(state): State<AppState>) -> Response {
    let store = state.store.as_ref();
    let loaded = async {
        let pages = store.pages().await?;
        let mut personas = vec![];
        for p in &pages {
            personas.extend(store.personas(&p.id).await?);
        }
        Ok::<_, store::StoreError>((store.saved_replies().await?, personas, pages))
    };
    match loaded.await {
        Ok((replies, personas, pages)) => render(SettingsPage {
            admin: user.role == Role::Admin,
            user: user.username,
            replies,
            personas,
            pages: pages.into_iter().map(|p| p.id).collect(),
        }),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

fn back(result: Result<(), TeamError>) -> Response {
    match result {
        Ok(()) => Redirect::to("/settings").into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReplyForm {
    name: String,
    text: String,
}

pub async fn save_reply(
    Agent(user): Agent,
    State(state): State<AppState>,
    Form(f): Form<ReplyForm>,
) -> Response {
    back(
        team::save_reply(state.store.as_ref(), &user, &f.name, &f.text, now_ms())
            .await
            .map(|_| ()),
    )
}

pub async fn delete_reply(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Response {
    let r = if user.role == Role::Admin {
        state
            .store
            .delete_saved_reply(id)
            .await
            .map(|_| ())
            .map_err(TeamError::from)
    } else {
        Err(TeamError::AdminOnly("change saved replies"))
    };
    back(r)
}

#[derive(Deserialize)]
pub struct PersonaForm {
    page_id: String,
    name: String,
    picture: String,
}

pub async fn create_persona(
    Agent(user): Agent,
    State(state): State<AppState>,
    Form(f): Form<PersonaForm>,
) -> Response {
    back(
        team::create_persona(
            state.store.as_ref(),
            &state.graph,
            &user,
            &f.page_id,
            &f.name,
            &f.picture,
            now_ms(),
        )
        .await
        .map(|_| ()),
    )
}
