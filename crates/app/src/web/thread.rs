//! One conversation: the history with our messages' delivery state, the customer's window, the
//! decisions taken, and the composer with the policy's verdict as the agent types.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use policy::{Decision, Verdict};
use serde::Deserialize;

use super::auth::Agent;
use super::inbox::{display_name, render};
use super::when;
use crate::outbox::{Actor, Draft, judge, submit};
use crate::routes::AppState;
use crate::time::now_ms;

pub struct Line {
    pub incoming: bool,
    pub text: String,
    pub ago: String,
    /// For our messages: queued, sent, delivered, read, failed.
    pub state: String,
}

pub struct DecisionLine {
    pub ago: String,
    pub actor: String,
    pub verdict: String,
    pub rule: String,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    user: String,
    base: String,
    name: String,
    picture: Option<String>,
    locale: String,
    window_kind: &'static str,
    window_label: String,
    source: String,
    lines: Vec<Line>,
    decisions: Vec<DecisionLine>,
    pending: Vec<Line>,
}

#[derive(Template)]
#[template(path = "verdict.html")]
pub struct VerdictView {
    pub allowed: bool,
    pub rule: String,
    pub explanation: String,
    pub how: String,
    pub alternatives: Vec<String>,
    pub matched: Vec<String>,
}

impl VerdictView {
    fn of(d: &Decision) -> VerdictView {
        let json = serde_json::to_value(d).unwrap_or_default();
        VerdictView {
            allowed: d.verdict == Verdict::Allow,
            rule: json["rule"].as_str().unwrap_or_default().to_owned(),
            explanation: d.explanation.clone(),
            how: d
                .send
                .as_ref()
                .map(|s| match s.tag {
                    Some(tag) => format!("{} with tag {tag}", s.messaging_type.as_str()),
                    None => s.messaging_type.as_str().to_owned(),
                })
                .unwrap_or_default(),
            alternatives: json["alternatives"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| match a["tag"].as_str() {
                    Some(tag) => format!("send with the {tag} tag"),
                    None => a["kind"].as_str().unwrap_or_default().replace('_', " "),
                })
                .collect(),
            matched: d.matched.iter().map(|m| m.text.clone()).collect(),
        }
    }
}

pub async fn page(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Path<(String, String)>,
) -> Response {
    let store = state.store.as_ref();
    let now = now_ms();
    let loaded = tokio::try_join!(
        store.contact(&page_id, &psid),
        store.messages(&page_id, &psid),
        store.outbox_for(&page_id, &psid),
        store.audit_for(&page_id, &psid),
    );
    let (contact, messages, outbox, audit) = match loaded {
        Ok(l) => l,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let Some(contact) = contact else {
        return (StatusCode::NOT_FOUND, "no such conversation").into_response();
    };
    let state_of: HashMap<String, String> = outbox
        .iter()
        .map(|o| (store::outbox_metadata(o.id), o.status.clone()))
        .collect();
    let lines = messages
        .iter()
        .map(|m| Line {
            incoming: m.direction == "in",
            text: m.text.clone().unwrap_or_else(|| "[attachment]".into()),
            ago: when::ago(m.sent_at, now),
            state: m
                .metadata
                .as_ref()
                .and_then(|k| state_of.get(k).cloned())
                .unwrap_or_default(),
        })
        .collect();
    // Our messages not echoed yet (queued, retrying, failed) show under the history.
    let echoed: HashSet<&str> = messages
        .iter()
        .filter_map(|m| m.metadata.as_deref())
        .collect();
    let pending = outbox
        .iter()
        .filter(|o| o.kind == "message" && !echoed.contains(store::outbox_metadata(o.id).as_str()))
        .map(|o| Line {
            incoming: false,
            text: serde_json::from_str::<serde_json::Value>(&o.request)
                .ok()
                .and_then(|r| r["message"]["text"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "[template]".into()),
            ago: when::ago(o.created_at, now),
            state: match &o.error {
                Some(e) if o.status == "failed" => format!("failed: {e}"),
                _ => o.status.clone(),
            },
        })
        .collect();
    let decisions = audit
        .iter()
        .rev()
        .take(10)
        .map(|a| DecisionLine {
            ago: when::ago(a.at, now),
            actor: a.actor.clone(),
            verdict: a.verdict.clone(),
            rule: a.rule.clone(),
            explanation: a.explanation.clone(),
        })
        .collect();
    let (window_kind, window_label) =
        when::window(contact.last_interaction_at, contact.window_closed_at, now);
    render(ThreadPage {
        user: user.username,
        base: format!("/c/{page_id}/{psid}"),
        name: display_name(
            contact.profile.first_name.as_deref(),
            contact.profile.last_name.as_deref(),
            &psid,
        ),
        picture: contact.profile.profile_pic.clone(),
        locale: contact.profile.locale.clone().unwrap_or_default(),
        window_kind,
        window_label,
        source: match (&contact.source_kind, &contact.source_ref) {
            (Some(k), Some(r)) => format!("{k}: {r}"),
            _ => "Messenger".into(),
        },
        lines,
        decisions,
        pending,
    })
}

#[derive(Deserialize)]
pub struct Compose {
    #[serde(default)]
    text: String,
    #[serde(default)]
    tag: String,
}

fn draft(agent: &str, page_id: &str, psid: &str, c: &Compose) -> Draft {
    let mut d = Draft::text(page_id, psid, Actor::Agent(agent.to_owned()), &c.text);
    d.tag = Some(c.tag.clone()).filter(|t| !t.is_empty());
    d
}

/// The verdict on what is in the composer now; nothing is written.
pub async fn verdict(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Path<(String, String)>,
    Query(c): Query<Compose>,
) -> Response {
    if c.text.trim().is_empty() {
        return "".into_response();
    }
    match judge(
        state.store.as_ref(),
        &draft(&user.username, &page_id, &psid, &c),
        now_ms(),
    )
    .await
    {
        Ok((decision, _)) => render(VerdictView::of(&decision)),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    }
}

pub async fn send(
    Agent(user): Agent,
    State(state): State<AppState>,
    Path((page_id, psid)): Path<(String, String)>,
    Form(c): Form<Compose>,
) -> Response {
    let d = draft(&user.username, &page_id, &psid, &c);
    match submit(state.store.as_ref(), &d, now_ms()).await {
        Ok(s) => {
            if s.allowed() {
                state.queued.notify_one();
            }
            let _ = state.live.send(());
            Redirect::to(&format!("/c/{page_id}/{psid}")).into_response()
        }
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    }
}
