//! Saved replies, personas and the pages' settings (changing them is an admin's).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use engine::rich::Parts;

use super::extract::{Body, Params};
use super::{ApiResult, ApiUser};
use crate::state::AppState;

pub async fn replies(_user: ApiUser, State(state): State<AppState>) -> ApiResult {
    let replies: Vec<_> = state
        .store()
        .saved_replies()
        .await?
        .into_iter()
        .map(|r| {
            let parts = Parts::from_json(r.rich.as_deref());
            json!({"id": r.id, "name": r.name, "text": r.text, "attachment": parts.attachment,
                   "buttons": parts.buttons, "quick_replies": parts.quick_replies})
        })
        .collect();
    Ok(Json(json!({ "saved_replies": replies })).into_response())
}

/// A saved reply: its name and text, and what it carries besides (as a message does).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    name: String,
    #[serde(default)]
    text: String,
    attachment: Option<engine::rich::Attachment>,
    #[serde(default)]
    buttons: Vec<engine::rich::Button>,
    #[serde(default)]
    quick_replies: Vec<engine::rich::QuickReplyPart>,
}

pub async fn save_reply(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Body(b): Body<ReplyBody>,
) -> ApiResult {
    let parts = Parts {
        attachment: b.attachment,
        buttons: b.buttons,
        quick_replies: b.quick_replies,
    };
    let id = state
        .engine
        .save_reply(&user, &b.name, &b.text, &parts)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

#[derive(Deserialize)]
pub struct PageParam {
    page_id: String,
}

pub async fn personas(
    _user: ApiUser,
    State(state): State<AppState>,
    Params(p): Params<PageParam>,
) -> ApiResult {
    let personas = state.store().personas(&p.page_id).await?;
    Ok(Json(json!({ "personas": personas })).into_response())
}

#[derive(Deserialize)]
pub struct PersonaBody {
    page_id: String,
    name: String,
    profile_picture_url: String,
}

pub async fn create_persona(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Body(b): Body<PersonaBody>,
) -> ApiResult {
    let persona = state
        .engine
        .create_persona(&user, &b.page_id, &b.name, &b.profile_picture_url)
        .await?;
    Ok((StatusCode::CREATED, Json(persona)).into_response())
}

/// The pages and their settings; never their access tokens.
pub async fn pages(_user: ApiUser, State(state): State<AppState>) -> ApiResult {
    let pages: Vec<_> = state
        .store()
        .pages()
        .await?
        .into_iter()
        .map(|p| {
            json!({
                "id": p.id,
                "name": p.name,
                "has_token": p.access_token.is_some(),
                "paused_reason": p.paused_reason,
                "restricted": p.restricted,
                "settings": p.settings,
            })
        })
        .collect();
    Ok(Json(json!({ "pages": pages })).into_response())
}

#[derive(Deserialize)]
pub struct RetentionBody {
    /// Days after the last activity; `null` keeps conversations.
    days: Option<u32>,
}

pub async fn set_retention(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
    Body(b): Body<RetentionBody>,
) -> ApiResult {
    state
        .engine
        .set_retention(engine::privacy::Caller::User(&user), &page_id, b.days)
        .await?;
    Ok(Json(json!({ "page_id": page_id, "retention_days": b.days })).into_response())
}

/// `PUT /api/v1/pages/{id}/settings`: what Meta granted the page, its routing role and the
/// domains whose links are not promotional (admins; logged).
pub async fn set_page_settings(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
    Body(b): Body<engine::privacy::PagePermissions>,
) -> ApiResult {
    let settings = state
        .engine
        .set_page_permissions(engine::privacy::Caller::User(&user), &page_id, &b)
        .await?;
    Ok(Json(json!({ "page_id": page_id, "settings": settings })).into_response())
}

/// `GET /api/v1/pages/{id}/connection`: what Meta says of the page's token, subscriptions and
/// permissions, and when its latest webhook event came (admins).
pub async fn connection(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
) -> ApiResult {
    let setup = state
        .login
        .as_deref()
        .ok_or(engine::team::TeamError::Invalid(
            engine::problem::Invalid::LoginNotConfigured,
        ))?;
    let status = state
        .engine
        .page_status(engine::privacy::Caller::User(&user), setup, &page_id)
        .await?;
    Ok(Json(json!(status)).into_response())
}

/// `GET /api/v1/users`: the team (never password hashes).
pub async fn users(_user: ApiUser, State(state): State<AppState>) -> ApiResult {
    Ok(Json(json!({ "users": state.store().users().await? })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    username: String,
    password: String,
    role: store::Role,
}

/// `POST /api/v1/users` (admins): `201 {"id"}`.
pub async fn add_user(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Body(b): Body<NewUserBody>,
) -> ApiResult {
    let id = state
        .engine
        .add_user_as(&user, &b.username, &b.password, b.role)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    disabled: bool,
}

/// `PUT /api/v1/users/{name}` (admins): `{"disabled": true}` stops their logins and tokens.
pub async fn change_user(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    Body(b): Body<UserChange>,
) -> ApiResult {
    state
        .engine
        .set_user_disabled_as(&user, &name, b.disabled)
        .await?;
    Ok(Json(json!({ "username": name, "disabled": b.disabled })).into_response())
}

/// `GET /api/v1/pages/{page}/templates`: the page's utility templates as last synced.
pub async fn templates(
    _user: ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
) -> ApiResult {
    let templates = state.store().templates(&page_id).await?;
    Ok(Json(json!({ "page_id": page_id, "templates": templates })).into_response())
}

/// `POST /api/v1/pages/{page}/templates/sync`: Meta's list, stored and answered.
pub async fn sync_templates(
    _user: ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
) -> ApiResult {
    let templates = state.engine.sync_templates(&page_id).await?;
    Ok(Json(json!({ "page_id": page_id, "templates": templates })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    name: String,
    language: String,
    body: String,
}

/// `POST /api/v1/pages/{page}/templates` (admins): submits a utility template for review.
pub async fn submit_template(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
    Body(b): Body<TemplateBody>,
) -> ApiResult {
    let templates = state
        .engine
        .submit_template(&user, &page_id, &b.name, &b.language, &b.body)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "page_id": page_id, "templates": templates })),
    )
        .into_response())
}
