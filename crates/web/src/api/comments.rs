//! Comments and entry points through the API: what the Comments and Links pages show and do.
//!
//! * `GET /api/v1/pages/{page}/posts`: posts, most recently commented first, with counts;
//! * `GET /api/v1/pages/{page}/comments?post=&unanswered=true&private_reply=true&limit=`;
//! * `POST /api/v1/pages/{page}/comments/{id}/{reply|hide|unhide|delete}` (`reply`:
//!   `{"message"}`) and `…/{id}/private_reply` `{"text"}`: judged, audited, queued; the answer is
//!   the decision (403 with it when refused);
//! * `GET/POST /api/v1/pages/{page}/entry_points`, `DELETE …/entry_points/{ref}` (admins),
//!   `GET …/entry_points/{ref}/{qr.png|qr.svg|card.png|card.pdf}?lang=vi`;
//! * `POST /api/v1/pages/{page}/signed_links` `{"entry","order"|"customer","text"?}` (admins);
//! * `GET /api/v1/pages/{page}/attribution?days=30`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use engine::links::refs::{SignedRef, Subject};
use engine::links::{Artwork, EntryPointSpec, LinkError};
use engine::outbox::Actor;
use engine::problem::Forbidden;
use messenger::comments::CommentAction;
use serde::Deserialize;
use serde_json::json;
use store::{CommentFilter, Time};

use super::broadcasts::admin_for;
use super::extract::{Body, Params};
use super::{ApiError, ApiResult, ApiUser};
use crate::state::AppState;

impl From<LinkError> for ApiError {
    fn from(e: LinkError) -> ApiError {
        let status = match &e {
            LinkError::UnknownPage(_) | LinkError::NotFound(_) => StatusCode::NOT_FOUND,
            LinkError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            LinkError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

pub async fn posts(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> ApiResult {
    let posts = state.store().posts(&page_id, 100).await?;
    Ok(Json(json!({ "page_id": page_id, "posts": posts })).into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default)]
    pub post: Option<String>,
    #[serde(default)]
    pub unanswered: bool,
    #[serde(default)]
    pub private_reply: bool,
    #[serde(default)]
    pub limit: Option<i64>,
}

impl Filter {
    pub fn store(&self) -> Result<CommentFilter, ApiError> {
        let limit = self.limit.unwrap_or(200);
        if !(1..=1000).contains(&limit) {
            return Err(ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                "limit: 1 to 1000".into(),
            ));
        }
        Ok(CommentFilter {
            post_id: self.post.clone().filter(|p| !p.is_empty()),
            unanswered: self.unanswered,
            private_reply: self.private_reply,
            limit,
        })
    }
}

pub async fn comments(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Params(f): Params<Filter>,
) -> ApiResult {
    let list = state.store().comment_list(&page_id, &f.store()?).await?;
    Ok(Json(json!({ "page_id": page_id, "comments": list })).into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ActBody {
    #[serde(default)]
    message: Option<String>,
}

/// The action named in the path: `reply` (with `message`), `hide`, `unhide`, `delete`.
pub fn action_of(name: &str, message: Option<String>) -> Result<CommentAction, ApiError> {
    Ok(match name {
        "reply" => CommentAction::Reply {
            message: message.ok_or_else(|| {
                ApiError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "message: a public reply needs it".into(),
                )
            })?,
        },
        "hide" => CommentAction::Hide,
        "unhide" => CommentAction::Unhide,
        "delete" => CommentAction::Delete,
        other => {
            return Err(ApiError(
                StatusCode::NOT_FOUND,
                format!("`{other}` is not reply, hide, unhide, delete or private_reply"),
            ));
        }
    })
}

pub async fn act(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, comment_id, name)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    // Hiding, showing and deleting need no body.
    let message = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<ActBody>(&body)
            .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("body: {e}")))?
            .message
    };
    let action = action_of(&name, message)?;
    let actor = Actor::Api(user.username.clone());
    let done = state
        .engine
        .moderate(&page_id, &comment_id, action, &actor, None)
        .await?;
    let status = if done.allowed() {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    Ok((
        status,
        Json(json!({ "decision": done.decision, "outbox_id": done.outbox_id })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateReplyBody {
    text: String,
}

pub async fn private_reply(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, comment_id)): Path<(String, String)>,
    Body(b): Body<PrivateReplyBody>,
) -> ApiResult {
    let submitted = state
        .engine
        .private_reply(
            &page_id,
            &comment_id,
            Actor::Api(user.username.clone()),
            &b.text,
        )
        .await?;
    let status = if submitted.allowed() {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    Ok((
        status,
        Json(json!({ "decision": submitted.decision, "outbox_ids": submitted.outbox_ids })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Days {
    #[serde(default = "month")]
    days: i64,
}

fn month() -> i64 {
    30
}

pub async fn attribution(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Params(d): Params<Days>,
) -> ApiResult {
    if !(1..=3660).contains(&d.days) {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "days: 1 to 3660".into(),
        ));
    }
    let now = Time::now();
    let from = now - std::time::Duration::from_secs(d.days as u64 * 86_400);
    let a = state.engine.attribution(&page_id, from, now).await?;
    Ok(Json(
        json!({ "page_id": page_id, "days": d.days, "entry_points": a.entry_points,
                    "other_sources": a.other_sources }),
    )
    .into_response())
}

pub async fn entry_points(user: ApiUser, state: State<AppState>, page: Path<String>) -> ApiResult {
    attribution(user, state, page, Params(Days { days: month() })).await
}

pub async fn save_entry_point(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Body(spec): Body<EntryPointSpec>,
) -> ApiResult {
    admin_for(&user, Forbidden::EntryPoints)?;
    let saved = state
        .engine
        .save_entry_point(&page_id, &spec, &format!("user:{}", user.username))
        .await?;
    let warning = state
        .engine
        .get_started_missing(&page_id)
        .await
        .unwrap_or(false)
        .then_some("the Page has no Get Started button: Meta opens an m.me link for a new customer only through it");
    Ok((
        StatusCode::CREATED,
        Json(json!({ "entry_point": saved, "warning": warning })),
    )
        .into_response())
}

pub async fn delete_entry_point(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, ref_)): Path<(String, String)>,
) -> ApiResult {
    admin_for(&user, Forbidden::EntryPoints)?;
    state.engine.delete_entry_point(&page_id, &ref_).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Lang {
    #[serde(default)]
    lang: Option<String>,
}

/// The language asked for (`?lang=`), else Vietnamese.
pub fn lang_of(asked: Option<&str>) -> Result<i18n::Lang, ApiError> {
    match asked {
        None => Ok(i18n::Lang::Vi),
        Some(l) => i18n::Lang::parse(l).ok_or_else(|| {
            ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("lang: `{l}` is not vi, en, ar, ms or it"),
            )
        }),
    }
}

pub async fn artwork(
    _user: ApiUser,
    State(state): State<AppState>,
    Path((page_id, ref_, file)): Path<(String, String, String)>,
    Params(l): Params<Lang>,
) -> ApiResult {
    let artwork = Artwork::parse(&file).ok_or_else(|| {
        ApiError(
            StatusCode::NOT_FOUND,
            format!("`{file}` is not qr.png, qr.svg, card.png or card.pdf"),
        )
    })?;
    let lang = lang_of(l.lang.as_deref())?;
    let bytes = state
        .engine
        .entry_artwork(&page_id, &ref_, artwork, lang)
        .await?;
    let name = format!("{ref_}-{file}");
    Ok((
        [
            (header::CONTENT_TYPE, artwork.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignBody {
    entry: String,
    #[serde(default)]
    order: Option<String>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

pub async fn signed_link(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Body(b): Body<SignBody>,
) -> ApiResult {
    admin_for(&user, Forbidden::EntryPoints)?;
    let (subject, id) = match (b.order, b.customer) {
        (Some(o), None) => (Subject::Order, o),
        (None, Some(c)) => (Subject::Customer, c),
        _ => {
            return Err(ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                "order, customer: give exactly one".into(),
            ));
        }
    };
    let r = SignedRef {
        entry: b.entry,
        subject,
        id,
    };
    let url = state
        .engine
        .signed_link(&page_id, &r, b.text.as_deref())
        .await?;
    Ok(Json(json!({ "url": url })).into_response())
}
