//! The team panel's forms: assign, close/reopen, labels, notes, mark seen. Each goes through
//! the engine's team work (which knows who may do what), then back to the thread.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use engine::team::{Label, TeamError};
use serde::Deserialize;
use store::ConversationStatus;

use super::auth::Agent;
use crate::error::PageResult;
use crate::ids::ConversationIds;
use crate::state::AppState;

type Conversation = ConversationIds;

/// Back to the thread.
fn back(page_id: &str, psid: &str) -> PageResult {
    Ok(Redirect::to(&format!("/c/{page_id}/{psid}")).into_response())
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
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<AssignForm>,
) -> PageResult {
    let to = Some(f.to.trim()).filter(|t| !t.is_empty());
    state.engine.assign(&user, &page_id, &psid, to).await?;
    back(&page_id, &psid)
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn status(
    _agent: Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let status: ConversationStatus = f
        .status
        .parse()
        .map_err(|e| TeamError::Invalid(format!("status: {e}")))?;
    state.engine.set_status(&page_id, &psid, status).await?;
    back(&page_id, &psid)
}

#[derive(Deserialize)]
pub struct LabelForm {
    label: String,
}

pub async fn add_label(
    _agent: Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> PageResult {
    state
        .engine
        .add_label(&page_id, &psid, &Label::parse(&f.label)?)
        .await?;
    back(&page_id, &psid)
}

pub async fn remove_label(
    _agent: Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> PageResult {
    state.engine.remove_label(&page_id, &psid, &f.label).await?;
    back(&page_id, &psid)
}

#[derive(Deserialize)]
pub struct NoteForm {
    text: String,
}

pub async fn add_note(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<NoteForm>,
) -> PageResult {
    state
        .engine
        .add_note(&user, &page_id, &psid, &f.text)
        .await?;
    back(&page_id, &psid)
}

pub async fn mark_seen(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.mark_seen(&user, &page_id, &psid).await?;
    back(&page_id, &psid)
}

/// The agent takes the conversation from the app that controls it (Meta's inbox, a bot).
pub async fn take_over(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.take_over(&user, &page_id, &psid).await?;
    back(&page_id, &psid)
}

/// The agent hands the conversation to Meta Business Suite's inbox.
pub async fn hand_back(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.hand_back(&user, &page_id, &psid).await?;
    back(&page_id, &psid)
}

#[derive(Deserialize)]
pub struct PausedForm {
    paused: bool,
}

pub async fn automations(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<PausedForm>,
) -> PageResult {
    state
        .engine
        .set_automations_paused(&user, &page_id, &psid, f.paused)
        .await?;
    back(&page_id, &psid)
}

#[derive(Deserialize)]
pub struct OptOutForm {
    opted_out: bool,
}

pub async fn opt_out(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<OptOutForm>,
) -> PageResult {
    state
        .engine
        .set_opted_out(&user, &page_id, &psid, f.opted_out)
        .await?;
    back(&page_id, &psid)
}
