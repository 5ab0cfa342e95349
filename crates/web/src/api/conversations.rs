//! Conversations: the filtered list, one conversation whole, and the team's actions on it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use engine::privacy::Caller;
use engine::team::{Label, ListQuery};
use serde::Deserialize;
use serde_json::json;
use store::{ConversationStatus, Time};

use super::extract::{Body, Params};
use super::{ApiError, ApiResult, ApiUser};
use crate::ids::ConversationIds;
use crate::state::AppState;

type Conversation = ConversationIds;

#[derive(Deserialize)]
pub struct ListParams {
    #[serde(flatten)]
    query: ListQuery,
    limit: Option<i64>,
}

pub async fn list(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Params(p): Params<ListParams>,
) -> ApiResult {
    let filter = p.query.filter(state.store(), &user, Time::now()).await?;
    let limit = p.limit.unwrap_or(crate::pages::SHOWN).clamp(1, 1000);
    let list = state.store().conversation_list(&filter, limit).await?;
    Ok(Json(json!({ "conversations": list })).into_response())
}

pub async fn show(
    _user: ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> ApiResult {
    Ok(Json(state.engine.conversation(&page_id, &psid).await?).into_response())
}

fn ok() -> ApiResult {
    Ok(Json(json!({ "ok": true })).into_response())
}

#[derive(Deserialize)]
pub struct AssignBody {
    /// A username, or null to unassign.
    to: Option<String>,
}

pub async fn assign(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<AssignBody>,
) -> ApiResult {
    state
        .engine
        .assign(&user, &page_id, &psid, b.to.as_deref())
        .await?;
    ok()
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
}

pub async fn status(
    _user: ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<StatusBody>,
) -> ApiResult {
    let status: ConversationStatus = b
        .status
        .parse()
        .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("status: {e}")))?;
    state.engine.set_status(&page_id, &psid, status).await?;
    ok()
}

#[derive(Deserialize)]
pub struct LabelBody {
    label: String,
}

pub async fn add_label(
    _user: ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<LabelBody>,
) -> ApiResult {
    state
        .engine
        .add_label(&page_id, &psid, &Label::parse(&b.label)?)
        .await?;
    ok()
}

pub async fn remove_label(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid, label)): Path<(String, String, String)>,
) -> ApiResult {
    state.engine.remove_label(&page_id, &psid, &label).await?;
    ok()
}

#[derive(Deserialize)]
pub struct NoteBody {
    text: String,
}

pub async fn add_note(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<NoteBody>,
) -> ApiResult {
    let id = state
        .engine
        .add_note(&user, &page_id, &psid, &b.text)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn mark_seen(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> ApiResult {
    let marked = state.engine.mark_seen(&user, &page_id, &psid).await?;
    Ok(Json(marked).into_response())
}

#[derive(Deserialize)]
pub struct TypingBody {
    /// `false`: the agent stopped with nothing to send (`typing_off`).
    #[serde(default = "yes")]
    on: bool,
}

fn yes() -> bool {
    true
}

/// No body (or `{"on": true}`) shows the typing indicator; `{"on": false}` turns it off.
pub async fn typing(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    body: axum::body::Bytes,
) -> ApiResult {
    let on = if body.iter().all(u8::is_ascii_whitespace) {
        true
    } else {
        serde_json::from_slice::<TypingBody>(&body)
            .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("body: {e}")))?
            .on
    };
    let queued = state.engine.typing(&user, &page_id, &psid, on).await?;
    Ok(Json(json!({ "queued": queued })).into_response())
}

/// Takes the conversation from the app that controls it.
pub async fn take_over(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> ApiResult {
    state.engine.take_over(&user, &page_id, &psid).await?;
    ok()
}

/// Hands the conversation to Meta Business Suite's inbox.
pub async fn hand_back(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> ApiResult {
    state.engine.hand_back(&user, &page_id, &psid).await?;
    ok()
}

#[derive(Deserialize)]
pub struct PausedBody {
    paused: bool,
}

/// `{"paused": true}` pauses automations until the conversation closes; `false` resumes them.
pub async fn automations(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<PausedBody>,
) -> ApiResult {
    state
        .engine
        .set_automations_paused(&user, &page_id, &psid, b.paused)
        .await?;
    ok()
}

#[derive(Deserialize)]
pub struct OptOutBody {
    opted_out: bool,
}

/// `{"opted_out": true}` records an opt-out; `false` clears it.
pub async fn opt_out(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<OptOutBody>,
) -> ApiResult {
    state
        .engine
        .set_opted_out(&user, &page_id, &psid, b.opted_out)
        .await?;
    ok()
}

/// Everything Fenestra holds about the customer (admins only; logged).
pub async fn export(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
) -> ApiResult {
    let data = state
        .engine
        .export_customer(Caller::User(&user), &page_id, &psid)
        .await?;
    Ok(Json(data).into_response())
}

#[derive(Deserialize)]
pub struct EraseBody {
    confirm: String,
}

/// Erases the customer's personal data (admins only; logged). `{"confirm": "erase"}`.
pub async fn erase(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): Conversation,
    Body(b): Body<EraseBody>,
) -> ApiResult {
    if b.confirm != "erase" {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "send {\"confirm\": \"erase\"}: erasing cannot be undone".into(),
        ));
    }
    let erased = state
        .engine
        .erase_customer(Caller::User(&user), &page_id, &psid)
        .await?;
    Ok(Json(json!({ "erased": erased })).into_response())
}
