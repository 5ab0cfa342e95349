//! Writing to a customer: the verdict on a draft (nothing written), and sending it through the
//! outbox, where the same policy decides and the decision is audited.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use engine::outbox::{Actor, Content, Draft};
use engine::rich::{Attachment, Button};
use messenger::send::OutgoingQuickReply;
use store::Time;

use super::extract::Body;
use super::{ApiResult, ApiUser};
use crate::ids::ConversationIds;
use crate::state::AppState;

/// A message as the API takes it: text (optionally with a tag or a token), or a utility
/// template; with an attachment, buttons and quick replies (Meta's limits are checked).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    #[serde(default)]
    text: String,
    attachment: Option<Attachment>,
    #[serde(default)]
    buttons: Vec<Button>,
    #[serde(default)]
    quick_replies: Vec<QuickReplyBody>,
    tag: Option<String>,
    template: Option<TemplateBody>,
    one_time_token: Option<String>,
    notification_token: Option<String>,
    persona_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickReplyBody {
    title: String,
    payload: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    name: String,
    language: String,
    #[serde(default)]
    params: BTreeMap<String, String>,
}

fn draft(agent: &str, page_id: &str, psid: &str, b: MessageBody) -> Draft {
    let mut d = Draft::text(page_id, psid, Actor::Agent(agent.to_owned()), &b.text);
    if let Some(t) = b.template {
        d.content = Content::Template {
            name: t.name,
            language: t.language,
            params: t.params.into_iter().collect(),
        };
    }
    d.attachment = b.attachment;
    d.buttons = b.buttons;
    d.quick_replies = b
        .quick_replies
        .iter()
        .map(|q| OutgoingQuickReply::text(&q.title, &q.payload))
        .collect();
    d.tag = b.tag;
    d.one_time_token = b.one_time_token;
    d.notification_token = b.notification_token;
    d.persona_id = b.persona_id;
    d
}

pub async fn verdict(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Body(b): Body<MessageBody>,
) -> ApiResult {
    let d = draft(&user.username, &page_id, &psid, b);
    let (decision, _) = state.engine.judge(&d, Time::now()).await?;
    Ok(Json(json!({ "decision": decision })).into_response())
}

/// 202 with the queued outbox ids when allowed; 422 with the decision (rule, explanation,
/// alternatives) when refused.
pub async fn send(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Body(b): Body<MessageBody>,
) -> ApiResult {
    let d = draft(&user.username, &page_id, &psid, b);
    let s = state.engine.submit(&d).await?;
    if s.allowed() {
        Ok((
            StatusCode::ACCEPTED,
            Json(json!({ "queued": true, "outbox_ids": s.outbox_ids, "decision": s.decision })),
        )
            .into_response())
    } else {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(
                json!({ "queued": false, "error": s.decision.explanation, "decision": s.decision }),
            ),
        )
            .into_response())
    }
}

/// `POST /api/v1/pages/{page}/attachments` (multipart, a `file` field): the file goes to Meta
/// for the page; `201 {"attachment": {"type", "attachment_id"}}` to send in messages or keep in
/// saved replies.
pub async fn upload(
    _user: ApiUser,
    State(state): State<AppState>,
    axum::extract::Path(page_id): axum::extract::Path<String>,
    multipart: axum::extract::Multipart,
) -> ApiResult {
    let file = crate::upload::file(multipart)
        .await
        .map_err(|e| super::ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let attachment = state
        .engine
        .upload(&page_id, &file.name, &file.content_type, file.bytes)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "attachment": attachment })),
    )
        .into_response())
}
