//! The team panel's forms: assign, close/reopen, labels, notes, mark seen, routing, opt-out.
//! Each goes through the engine's team work (which knows who may do what). From htmx the
//! answer is empty (the page refreshes its parts on the change it causes; an error shows in
//! the page); without JavaScript, back to the thread.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use engine::problem::Invalid;
use engine::team::Label;
use serde::Deserialize;
use store::ConversationStatus;

use super::session::{Agent, Htmx};
use crate::error::PageResult;
use crate::ids::ConversationIds;
use crate::state::AppState;

type Conversation = ConversationIds;

/// Done: nothing for htmx, the thread for a plain form.
fn back(htmx: bool, page_id: &str, psid: &str) -> PageResult {
    if htmx {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Redirect::to(&format!("/c/{page_id}/{psid}")).into_response())
}

#[derive(Deserialize)]
pub struct AssignForm {
    /// A username; empty unassigns.
    #[serde(default)]
    to: String,
}

pub async fn assign(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<AssignForm>,
) -> PageResult {
    let to = Some(f.to.trim()).filter(|t| !t.is_empty());
    state.engine.assign(&user, &page_id, &psid, to).await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn status(
    _agent: Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let status: ConversationStatus = f
        .status
        .parse()
        .map_err(|_| Invalid::Status(f.status.clone()))?;
    state.engine.set_status(&page_id, &psid, status).await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct LabelForm {
    label: String,
}

pub async fn add_label(
    _agent: Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> PageResult {
    state
        .engine
        .add_label(&page_id, &psid, &Label::parse(&f.label)?)
        .await?;
    back(htmx, &page_id, &psid)
}

pub async fn remove_label(
    _agent: Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<LabelForm>,
) -> PageResult {
    state.engine.remove_label(&page_id, &psid, &f.label).await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct NoteForm {
    text: String,
}

pub async fn add_note(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<NoteForm>,
) -> PageResult {
    state
        .engine
        .add_note(&user, &page_id, &psid, &f.text)
        .await?;
    back(htmx, &page_id, &psid)
}

pub async fn mark_seen(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.mark_seen(&user, &page_id, &psid).await?;
    back(htmx, &page_id, &psid)
}

/// The agent takes the conversation from the app that controls it (Meta's inbox, a bot).
pub async fn take_over(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.take_over(&user, &page_id, &psid).await?;
    back(htmx, &page_id, &psid)
}

/// The agent hands the conversation to Meta Business Suite's inbox.
pub async fn hand_back(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> PageResult {
    state.engine.hand_back(&user, &page_id, &psid).await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct PausedForm {
    paused: bool,
}

pub async fn automations(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<PausedForm>,
) -> PageResult {
    state
        .engine
        .set_automations_paused(&user, &page_id, &psid, f.paused)
        .await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct OptOutForm {
    opted_out: bool,
}

pub async fn opt_out(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<OptOutForm>,
) -> PageResult {
    state
        .engine
        .set_opted_out(&user, &page_id, &psid, f.opted_out)
        .await?;
    back(htmx, &page_id, &psid)
}

#[derive(Deserialize)]
pub struct OptinForm {
    #[serde(default)]
    title: String,
}

/// Asks the customer (inside the window) to subscribe to marketing messages: Meta's opt-in
/// request, judged and audited like every message; at most once per title per week.
pub async fn optin_request(
    Agent(user, _): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Form(f): Form<OptinForm>,
) -> PageResult {
    use engine::broadcast::marketing::OptinError;
    let actor = engine::outbox::Actor::Agent(user.username.clone());
    match state
        .engine
        .request_optin(&page_id, &psid, &f.title, actor)
        .await
    {
        Ok(s) if s.allowed() => back(htmx, &page_id, &psid),
        Ok(s) => Err(crate::error::PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::error::Message::new("optin-refused").with("rule", s.decision.rule.as_str()),
        )),
        Err(OptinError::Submit(e)) => Err(e.into()),
        Err(OptinError::Store(e)) => Err(e.into()),
        Err(OptinError::TooSoon(title)) => Err(crate::error::PageError::new(
            StatusCode::CONFLICT,
            crate::error::Message::new("optin-too-soon").with("title", title),
        )),
        Err(OptinError::TitleTooLong) => Err(crate::error::PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::error::Message::new("optin-title-too-long"),
        )),
    }
}
