//! The team panel's forms: assign, close/reopen, labels, notes, mark seen. Each goes through
//! [`crate::team`] (which knows who may do what), then back to the thread.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::ConversationStatus;

use super::auth::Agent;
use crate::routes::AppState;
use crate::team::{self, Label, TeamError};
use crate::time::now_ms;

type Conversation = Path<(String, String)>;

/// Back to the thread, and every open page refreshes.
fn done(state: &AppState, page_id: &str, psid: &str, result: Result<(), TeamError>) -> Response {
    match result {
        Ok(()) => {
            let _ = state.live.send(());
            Redirect::to(&format!("/c/{page_id}/{psid}")).into_response()
        }
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    /// A username; empty unassigns.
    #[serde(default)]
    to: String,
}

pub async fn assign(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Form(f): Form<AssignForm>,
) -> Response {
    let to = Some(f.to.trim()).filter(|t| !t.is_empty());
    let r = team::assign(state.store.as_ref(), &user, &page_id, &psid, to).await;
    done(&state, &page_id, &psid, r)
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn status(
    _agent: Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Form(f): Form<StatusForm>,
) -> Response {
    let r = match ConversationStatus::parse(&f.status) {
        Some(s) => team::set_status(state.store.as_ref(), &page_id, &psid, s).await,
        None => Err(TeamError::Invalid(format!(
            "status must be open or closed, not `{}`",
            f.status
        ))),
    };
    done(&state, &page_id, &psid, r)
}

#[derive(Deserialize)]
pub struct LabelForm {
    label: String,
}

pub async fn add_label(
    _agent: Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> Response {
    let r = match Label::parse(&f.label) {
        Ok(l) => team::add_label(state.store.as_ref(), &page_id, &psid, &l).await,
        Err(e) => Err(e),
    };
    done(&state, &page_id, &psid, r)
}

pub async fn remove_label(
    _agent: Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> Response {
    let r = state
        .store
        .remove_label(&page_id, &psid, f.label.trim())
        .await
        .map(|_| ())
        .map_err(TeamError::from);
    done(&state, &page_id, &psid, r)
}

#[derive(Deserialize)]
pub struct NoteForm {
    text: String,
}

pub async fn add_note(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Form(f): Form<NoteForm>,
) -> Response {
    let r = team::add_note(
        state.store.as_ref(),
        &user,
        &page_id,
        &psid,
        &f.text,
        now_ms(),
    )
    .await;
    done(&state, &page_id, &psid, r.map(|_| ()))
}

pub async fn mark_seen(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
) -> Response {
    let r = team::mark_seen(state.store.as_ref(), &user, &page_id, &psid, now_ms()).await;
    if r.as_ref().is_ok_and(|m| m.sent_to_messenger) {
        state.queued.notify_one();
    }
    done(&state, &page_id, &psid, r.map(|_| ()))
}
