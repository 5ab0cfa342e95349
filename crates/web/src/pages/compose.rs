//! The composer: what the agent is writing, as a [`Draft`]; the policy's verdict on it as they
//! type (nothing written); sending it; and the typing indicator.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use engine::outbox::{Actor, Content, Draft, SubmitError};
use policy::decision::Alternative;
use policy::{Decision, Verdict};
use store::Time;

use super::auth::Agent;
use crate::error::{PageResult, render};
use crate::ids::ConversationIds;
use crate::state::AppState;

/// The composer's fields: `mode` (`text`, `template`, `token`), `text`, `tag`, `persona`,
/// `template` (`name|language`) with `p.NAME` parameters, `token` (`otn:…` or `rn:…`).
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
    let text = f.get("text").cloned().unwrap_or_default();
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
        _ => d.tag = Some(field(f, "tag").to_owned()).filter(|t| !t.is_empty()),
    }
    d.persona_id = Some(field(f, "persona").to_owned()).filter(|p| !p.is_empty());
    Ok((d, preview))
}

/// An alternative the agent can pick: it sets a composer field.
pub struct Pick {
    pub label: String,
    /// `tag`, `mode` or `token`; empty when it is advice only.
    pub field: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "verdict.html")]
pub struct VerdictView {
    pub allowed: bool,
    pub rule: String,
    pub explanation: String,
    pub how: String,
    pub alternatives: Vec<Pick>,
    pub matched: Vec<String>,
    pub preview: Option<String>,
}

impl VerdictView {
    pub fn of(d: &Decision, preview: Option<String>) -> VerdictView {
        VerdictView {
            allowed: d.verdict == Verdict::Allow,
            rule: d.rule.as_str().to_owned(),
            explanation: d.explanation.clone(),
            how: d
                .send
                .as_ref()
                .map(|s| match s.tag {
                    Some(tag) => format!("{} with tag {tag}", s.messaging_type.as_str()),
                    None => s.messaging_type.as_str().to_owned(),
                })
                .unwrap_or_default(),
            alternatives: d.alternatives.iter().map(pick).collect(),
            matched: d.matched.iter().map(|m| m.text.clone()).collect(),
            preview,
        }
    }
}

fn pick(a: &Alternative) -> Pick {
    let (label, field, value) = match a {
        Alternative::Tag { tag } => (format!("Send with the {tag} tag"), "tag", tag.to_string()),
        Alternative::UtilityTemplate => (
            "Use an approved utility template".into(),
            "mode",
            "template".into(),
        ),
        Alternative::OneTimeToken { token } => (
            "Use the customer's one-time notification token".into(),
            "token",
            format!("otn:{token}"),
        ),
        Alternative::NotificationToken { token } => (
            "Use the customer's recurring notification token".into(),
            "token",
            format!("rn:{token}"),
        ),
        Alternative::MarketingMessage { .. } => (
            "Send a marketing message (Meta's paid product)".into(),
            "",
            String::new(),
        ),
        Alternative::SponsoredMessage => {
            ("Send a sponsored message (an ad)".into(), "", String::new())
        }
        Alternative::TakeThreadControl => (
            "Take over the conversation from the other app first".into(),
            "",
            String::new(),
        ),
        Alternative::WaitForCustomer => (
            "Wait until the customer writes again".into(),
            "",
            String::new(),
        ),
    };
    Pick {
        label,
        field,
        value,
    }
}

/// The verdict on what is in the composer now; nothing is written.
pub async fn verdict(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Query(f): Query<Fields>,
) -> PageResult {
    let writing = field(&f, "mode") != "text" && !field(&f, "mode").is_empty();
    if !writing && field(&f, "text").is_empty() {
        return Ok("".into_response());
    }
    let judged = match draft(&state, &user.username, &page_id, &psid, &f).await {
        Ok((d, preview)) => state
            .engine
            .judge(&d, Time::now())
            .await
            .map(|(decision, _)| VerdictView::of(&decision, preview)),
        Err(e) => Err(e),
    };
    match judged {
        Ok(view) => render(view),
        Err(e) => render(Problem {
            message: e.to_string(),
        }),
    }
}

/// What keeps the composer from being judged (a missing parameter, an unknown template).
#[derive(Template)]
#[template(
    source = r#"<div class="verdict deny"><b>Not ready</b><p>{{ message }}</p></div>"#,
    ext = "html"
)]
struct Problem {
    message: String,
}

pub async fn send(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<Fields>,
) -> Response {
    let submitted = match draft(&state, &user.username, &page_id, &psid, &f).await {
        Ok((d, _)) => state.engine.submit(&d).await,
        Err(e) => Err(e),
    };
    match submitted {
        Ok(_) => Redirect::to(&format!("/c/{page_id}/{psid}")).into_response(),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    }
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
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<TypingForm>,
) -> PageResult {
    let on = !matches!(f.on.as_str(), "false" | "off" | "0");
    state.engine.typing(&user, &page_id, &psid, on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
