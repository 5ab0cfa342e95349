//! The composer: what the agent is writing, as a [`Draft`]; the policy's verdict on it as they
//! type (nothing written); sending it; and the typing indicator.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use engine::outbox::{Actor, Content, Draft, SubmitError};
use engine::rich::{Attachment, AttachmentKind, Button, Parts, QuickReplyPart};
use i18n::Tr;
use store::Time;

use super::session::{Agent, Htmx};
use super::verdict::VerdictView;
use crate::error::{Message, PageError, PageResult, render, submit};
use crate::ids::ConversationIds;
use crate::state::AppState;

/// The composer's fields: `mode` (`text`, `template`, `token`), `text`, `tag`, `persona`,
/// `template` (`name|language`) with `p.NAME` parameters, `token` (`otn:…` or `rn:…`) with
/// `token_text`.
pub type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or_default()
}

/// The draft the fields describe, and for a template the text the customer will read.
pub async fn draft(
    state: &AppState,
    agent: &str,
    page_id: &str,
    psid: &str,
    f: &Fields,
) -> Result<(Draft, Option<String>), SubmitError> {
    let actor = Actor::Agent(agent.to_owned());
    // The token's message has a field of its own: two fields named alike would leave the
    // server to guess which one the agent meant.
    let text_field = if field(f, "mode") == "token" {
        "token_text"
    } else {
        "text"
    };
    let text = f.get(text_field).cloned().unwrap_or_default();
    let mut d = Draft::text(page_id, psid, actor, &text);
    let mut preview = None;
    match field(f, "mode") {
        "template" => {
            let (name, language) = field(f, "template")
                .split_once('|')
                .ok_or(SubmitError::Empty)?;
            let params: Vec<(String, String)> = f
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("p.")?.to_owned(), v.trim().to_owned())))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let templates = state.store().templates(page_id).await?;
            if let Some(t) = templates
                .iter()
                .find(|t| t.name == name && t.language == language)
            {
                preview = engine::templates::render(t, &params).ok();
            }
            d.content = Content::Template {
                name: name.to_owned(),
                language: language.to_owned(),
                params,
            };
        }
        "token" => match field(f, "token").split_once(':') {
            Some(("otn", t)) => d.one_time_token = Some(t.to_owned()),
            Some(("rn", t)) => d.notification_token = Some(t.to_owned()),
            _ => {}
        },
        _ => {
            d.tag = Some(field(f, "tag").to_owned()).filter(|t| !t.is_empty());
            let p = parts(f);
            d.quick_replies = p.quick_replies();
            d.attachment = p.attachment;
            d.buttons = p.buttons;
        }
    }
    d.persona_id = Some(field(f, "persona").to_owned()).filter(|p| !p.is_empty());
    Ok((d, preview))
}

/// One `Title = value` per line; a line without `=` is its own value.
fn pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('=') {
            Some((title, value)) => (title.trim(), value.trim()),
            None => (l, l),
        })
}

/// The picture or file (by its address), the buttons (`Title = https://…` opens a page,
/// `Title = PAYLOAD` comes back as a postback) and the quick replies (`Title = PAYLOAD`), as
/// the composer and the saved-reply form write them.
pub fn parts(f: &Fields) -> Parts {
    // An uploaded file (its id, set by the composer's upload) wins over an address.
    let filled = |name: &str| Some(field(f, name).to_owned()).filter(|v| !v.is_empty());
    let (attachment_id, url) = match filled("attachment_id") {
        Some(id) => (Some(id), None),
        None => (None, filled("attachment_url")),
    };
    let attachment = (url.is_some() || attachment_id.is_some()).then(|| Attachment {
        kind: match field(f, "attachment_type") {
            "video" => AttachmentKind::Video,
            "audio" => AttachmentKind::Audio,
            "file" => AttachmentKind::File,
            _ => AttachmentKind::Image,
        },
        url,
        attachment_id,
    });
    let buttons = pairs(field(f, "buttons"))
        .map(|(title, value)| {
            if value.starts_with("https://") || value.starts_with("http://") {
                Button::WebUrl {
                    title: title.to_owned(),
                    url: value.to_owned(),
                }
            } else {
                Button::Postback {
                    title: title.to_owned(),
                    payload: value.to_owned(),
                }
            }
        })
        .collect();
    let quick_replies = pairs(field(f, "quick_replies"))
        .map(|(title, payload)| QuickReplyPart {
            title: title.to_owned(),
            payload: payload.to_owned(),
        })
        .collect();
    Parts {
        attachment,
        buttons,
        quick_replies,
    }
}

/// The other way: the fields that show `parts` (a saved reply put in the composer).
pub fn lines(parts: &Parts) -> (String, String) {
    let buttons = parts
        .buttons
        .iter()
        .map(|b| match b {
            Button::Postback { title, payload } => format!("{title} = {payload}"),
            Button::WebUrl { title, url } => format!("{title} = {url}"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let quick = parts
        .quick_replies
        .iter()
        .map(|q| format!("{} = {}", q.title, q.payload))
        .collect::<Vec<_>>()
        .join("\n");
    (buttons, quick)
}

/// The verdict on what is in the composer now; nothing is written.
pub async fn verdict(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Query(f): Query<Fields>,
) -> PageResult {
    let writing = !matches!(field(&f, "mode"), "" | "text");
    let attaching =
        !field(&f, "attachment_url").is_empty() || !field(&f, "attachment_id").is_empty();
    if !writing && field(&f, "text").is_empty() && !attaching {
        return Ok("".into_response());
    }
    let now = Time::now();
    let judged = match draft(&state, &user.username, &page_id, &psid, &f).await {
        Ok((d, preview)) => state
            .engine
            .judge(&d, now)
            .await
            .map(|(decision, _)| (decision, preview)),
        Err(e) => Err(e),
    };
    match judged {
        Ok((decision, preview)) => render(VerdictView::of(tr, &decision, preview, now)),
        Err(e) => render(Problem {
            message: submit(&e).text(&tr),
            tr,
        }),
    }
}

/// What keeps the composer from being judged (a missing parameter, an unknown template).
#[derive(Template)]
#[template(path = "problem.html")]
struct Problem {
    tr: Tr,
    message: String,
}

/// A file the agent picked, uploaded to Meta for this page (the composer then sends it by its
/// `attachment_id`). Answers `{"attachment_id", "type", "name"}`; what goes wrong is said in
/// the reader's language.
pub async fn upload(
    Agent(_user, _): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, _)): ConversationIds,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let file = crate::upload::file(multipart).await.map_err(|_| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Message::new("error-upload"),
        )
    })?;
    let a = state
        .engine
        .upload(&page_id, &file.name, &file.content_type, file.bytes)
        .await?;
    Ok(axum::Json(serde_json::json!({
        "attachment_id": a.attachment_id, "type": a.kind, "name": file.name,
    }))
    .into_response())
}

/// Sends what the composer holds. From htmx: the verdict answers in place — "Sent." (the
/// composer clears) or the refusal and why, next to the text, which stays. Without
/// JavaScript: back to the thread, or the error page.
pub async fn send(
    Agent(user, tr): Agent,
    Htmx(htmx): Htmx,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<Fields>,
) -> PageResult {
    let now = Time::now();
    let (d, preview) = draft(&state, &user.username, &page_id, &psid, &f).await?;
    let submitted = match state.engine.submit(&d).await {
        Ok(s) => s,
        Err(e) if htmx => {
            let mut r = render(Problem {
                message: submit(&e).text(&tr),
                tr,
            })?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
        Err(e) => return Err(e.into()),
    };
    let allowed = submitted.allowed();
    if !htmx {
        if allowed {
            return Ok(Redirect::to(&format!("/c/{page_id}/{psid}")).into_response());
        }
        let view = VerdictView::of(tr, &submitted.decision, None, now);
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Message::new("error-refused-send")
                .with("title", view.title)
                .with("why", view.why),
        ));
    }
    let mut view = VerdictView::of(tr, &submitted.decision, preview, now);
    view.sent = allowed;
    let mut r = render(view)?;
    if allowed {
        r.headers_mut()
            .insert("hx-trigger", HeaderValue::from_static("fenestra-sent"));
    } else {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct TypingForm {
    /// `false` (or `off`): the agent stopped with nothing to send.
    #[serde(default = "on")]
    on: String,
}

fn on() -> String {
    "true".into()
}

/// The agent is typing, or stopped: the customer sees the indicator come and go (throttled,
/// where the policy allows it).
pub async fn typing(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<TypingForm>,
) -> PageResult {
    let on = !matches!(f.on.as_str(), "false" | "off" | "0");
    state.engine.typing(&user, &page_id, &psid, on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
