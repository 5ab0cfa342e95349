//! Conversations: the filtered list, one conversation whole, and the team's actions on it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;
use store::ConversationStatus;

use super::extract::{Body, Params};
use super::{ApiError, ApiResult, ApiUser};
use crate::routes::AppState;
use crate::team::{self, Label, ListQuery, TeamError};
use crate::time::now_ms;

type Conversation = Path<(String, String)>;

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
    let filter = p
        .query
        .filter(state.store.as_ref(), &user, now_ms())
        .await?;
    let limit = p.limit.unwrap_or(crate::web::SHOWN).clamp(1, 1000);
    let list = state.store.conversation_list(&filter, limit).await?;
    Ok(Json(json!({ "conversations": list })).into_response())
}

pub async fn show(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
) -> ApiResult {
    let s = state.store.as_ref();
    let (contact, team_state, messages, events, notes, outbox) = tokio::try_join!(
        s.contact(&page_id, &psid),
        s.team_state(&page_id, &psid),
        s.messages(&page_id, &psid),
        s.thread_events(&page_id, &psid),
        s.notes(&page_id, &psid),
        s.outbox_for(&page_id, &psid),
    )?;
    let (Some(contact), Some(team_state)) = (contact, team_state) else {
        return Err(TeamError::NoConversation { page_id, psid }.into());
    };
    let (one_time, recurring) = tokio::try_join!(
        s.one_time_tokens(&page_id, &psid),
        s.notification_tokens(&page_id, &psid),
    )?;
    Ok(Json(json!({
        "contact": contact,
        "window_open": crate::outbox::window_open(&contact, now_ms()),
        "team": team_state,
        "messages": messages,
        "events": events,
        "notes": notes,
        "outbox": outbox,
        "one_time_tokens": one_time,
        "notification_tokens": recurring,
    }))
    .into_response())
}

fn ok(state: &AppState) -> ApiResult {
    let _ = state.live.send(());
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
    Path((page_id, psid)): Conversation,
    Body(b): Body<AssignBody>,
) -> ApiResult {
    team::assign(
        state.store.as_ref(),
        &user,
        &page_id,
        &psid,
        b.to.as_deref(),
    )
    .await?;
    ok(&state)
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
}

pub async fn status(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Body(b): Body<StatusBody>,
) -> ApiResult {
    let status = ConversationStatus::parse(&b.status).ok_or_else(|| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("status must be open or closed, not `{}`", b.status),
        )
    })?;
    team::set_status(state.store.as_ref(), &page_id, &psid, status).await?;
    ok(&state)
}

#[derive(Deserialize)]
pub struct LabelBody {
    label: String,
}

pub async fn add_label(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Body(b): Body<LabelBody>,
) -> ApiResult {
    team::add_label(
        state.store.as_ref(),
        &page_id,
        &psid,
        &Label::parse(&b.label)?,
    )
    .await?;
    ok(&state)
}

pub async fn remove_label(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid, label)): Path<(String, String, String)>,
) -> ApiResult {
    state.store.remove_label(&page_id, &psid, &label).await?;
    ok(&state)
}

#[derive(Deserialize)]
pub struct NoteBody {
    text: String,
}

pub async fn add_note(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
    Body(b): Body<NoteBody>,
) -> ApiResult {
    let id = team::add_note(
        state.store.as_ref(),
        &user,
        &page_id,
        &psid,
        &b.text,
        now_ms(),
    )
    .await?;
    let _ = state.live.send(());
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn mark_seen(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
) -> ApiResult {
    let marked = team::mark_seen(state.store.as_ref(), &user, &page_id, &psid, now_ms()).await?;
    if marked.sent_to_messenger {
        state.queued.notify_one();
    }
    let _ = state.live.send(());
    Ok(Json(marked).into_response())
}

pub async fn typing(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Conversation,
) -> ApiResult {
    let queued = team::typing(state.store.as_ref(), &user, &page_id, &psid, now_ms()).await?;
    if queued {
        state.queued.notify_one();
    }
    Ok(Json(json!({ "queued": queued })).into_response())
}
