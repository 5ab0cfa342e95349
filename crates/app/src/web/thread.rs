//! One conversation: the history (messages, attachments, quick replies, postbacks, referrals,
//! echoes from other apps, our messages' delivery state), the customer's profile and the team's
//! panel (assignee, status, labels, notes, tokens), and the composer.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use store::{Contact, Role, StoredMessage};

use super::auth::Agent;
use super::inbox::{display_name, render};
use super::when;
use crate::instant_reply::fill_first_name;
use crate::routes::AppState;
use crate::time::now_ms;

pub struct Attachment {
    pub kind: String,
    pub url: Option<String>,
    pub title: String,
}

/// One item of the history, oldest first.
pub struct Line {
    /// `in`, `out` or `event`.
    pub side: &'static str,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// "Quick reply: SIZE_M", "Sent from Meta's Page Inbox".
    pub note: String,
    pub ago: String,
    /// For our messages: queued, sent, delivered, read, failed.
    pub state: String,
    at: i64,
}

pub struct DecisionLine {
    pub ago: String,
    pub actor: String,
    pub verdict: String,
    pub rule: String,
    pub explanation: String,
}

pub struct NoteLine {
    pub author: String,
    pub ago: String,
    pub text: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// An approved template and the parameters the agent fills.
pub struct TemplateChoice {
    pub value: String,
    pub label: String,
    pub params: Vec<String>,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    user: String,
    admin: bool,
    base: String,
    name: String,
    picture: Option<String>,
    locale: String,
    timezone: String,
    window_kind: &'static str,
    window_label: String,
    source: String,
    first_seen: String,
    lines: Vec<Line>,
    decisions: Vec<DecisionLine>,
    status: String,
    assignee: Option<String>,
    unread: i64,
    labels: Vec<String>,
    notes: Vec<NoteLine>,
    tokens: Vec<Choice>,
    users: Vec<String>,
    saved_replies: Vec<Choice>,
    personas: Vec<Choice>,
    templates: Vec<TemplateChoice>,
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
        store.thread_events(&page_id, &psid),
        store.team_state(&page_id, &psid),
        store.notes(&page_id, &psid),
    );
    let (contact, messages, outbox, audit, events, team, notes) = match loaded {
        Ok(l) => l,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let (Some(contact), Some(team)) = (contact, team) else {
        return (StatusCode::NOT_FOUND, "no such conversation").into_response();
    };
    let extras = tokio::try_join!(
        store.one_time_tokens(&page_id, &psid),
        store.notification_tokens(&page_id, &psid),
        store.users(),
        store.saved_replies(),
        store.personas(&page_id),
        store.templates(&page_id),
    );
    let (one_time, recurring, users, replies, personas, templates) = match extras {
        Ok(x) => x,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let lines = history(&messages, &outbox, &events, now);
    // Sender actions (typing, seen) are audited too, but are not decisions an agent reviews.
    let decisions = audit
        .iter()
        .rev()
        .filter(|a| !a.message.starts_with("{\"sender_action\""))
        .take(10)
        .map(|a| DecisionLine {
            ago: when::ago(a.at, now),
            actor: a.actor.clone(),
            verdict: a.verdict.clone(),
            rule: a.rule.clone(),
            explanation: a.explanation.clone(),
        })
        .collect();
    let mut tokens: Vec<Choice> = one_time
        .iter()
        .filter(|t| t.used_at.is_none() && now < t.issued_at + 365 * 86_400_000)
        .map(|t| Choice {
            value: format!("otn:{}", t.token),
            label: format!("One-time: {}", t.topic.as_deref().unwrap_or("no topic")),
        })
        .collect();
    tokens.extend(
        recurring
            .iter()
            .filter(|t| t.status == "active" && t.expires_at.is_none_or(|e| e > now))
            .map(|t| Choice {
                value: format!("rn:{}", t.token),
                label: format!(
                    "{} until {}: {}",
                    t.frequency.as_deref().unwrap_or("recurring"),
                    t.expires_at
                        .map(when::date)
                        .unwrap_or_else(|| "no end".into()),
                    t.topic.as_deref().unwrap_or("no topic")
                ),
            }),
    );
    let first_name = contact.profile.first_name.as_deref();
    let (window_kind, window_label) =
        when::window(contact.last_interaction_at, contact.window_closed_at, now);
    render(ThreadPage {
        admin: user.role == Role::Admin,
        user: user.username,
        base: format!("/c/{page_id}/{psid}"),
        name: display_name(first_name, contact.profile.last_name.as_deref(), &psid),
        picture: contact.profile.profile_pic.clone(),
        locale: contact
            .profile
            .locale
            .clone()
            .unwrap_or_else(|| "unknown".into()),
        timezone: contact
            .profile
            .timezone
            .map(|tz| format!("UTC{tz:+}"))
            .unwrap_or_else(|| "unknown".into()),
        window_kind,
        window_label,
        source: source(&contact),
        first_seen: when::date(contact.first_seen_at),
        lines,
        decisions,
        status: team.status,
        assignee: team.assignee,
        unread: team.unread_count,
        labels: team.labels,
        notes: notes
            .into_iter()
            .map(|n| NoteLine {
                author: n.author,
                ago: when::ago(n.created_at, now),
                text: n.text,
            })
            .collect(),
        tokens,
        users: users
            .into_iter()
            .filter(|u| !u.disabled)
            .map(|u| u.username)
            .collect(),
        saved_replies: replies
            .into_iter()
            .map(|r| Choice {
                value: fill_first_name(&r.text, first_name),
                label: r.name,
            })
            .collect(),
        personas: personas
            .into_iter()
            .map(|p| Choice {
                value: p.id,
                label: p.name,
            })
            .collect(),
        templates: templates
            .into_iter()
            .filter(|t| t.status.eq_ignore_ascii_case("APPROVED"))
            .map(|t| TemplateChoice {
                value: format!("{}|{}", t.name, t.language),
                label: format!("{} ({}): {}", t.name, t.language, t.body),
                params: crate::outbox::params_of(&t.body),
            })
            .collect(),
    })
}

fn source(contact: &Contact) -> String {
    match (&contact.source_kind, &contact.source_ref) {
        (Some(k), Some(r)) if !r.is_empty() => format!("{k}, ref {r}"),
        (Some(k), _) => k.clone(),
        _ => "wrote to the Page".into(),
    }
}

/// Messages, our queued messages not echoed yet, and events, in time order.
fn history(
    messages: &[StoredMessage],
    outbox: &[store::OutboxRow],
    events: &[store::ThreadEvent],
    now: i64,
) -> Vec<Line> {
    let state_of: HashMap<String, String> = outbox
        .iter()
        .map(|o| (store::outbox_metadata(o.id), o.status.clone()))
        .collect();
    let mut lines: Vec<Line> = messages
        .iter()
        .map(|m| {
            let ours = m.metadata.as_ref().and_then(|k| state_of.get(k));
            let note = match (m.direction.as_str(), &m.quick_reply_payload, ours) {
                ("in", Some(p), _) => format!("Quick reply: {p}"),
                ("out", _, None) => match m.app_id.as_deref() {
                    Some(app) => format!("Sent by another app ({app})"),
                    None => "Sent from Meta's Page Inbox".into(),
                },
                ("out", Some(_), Some(_)) => "With quick replies".into(),
                _ => String::new(),
            };
            Line {
                side: if m.direction == "in" { "in" } else { "out" },
                text: m.text.clone().unwrap_or_default(),
                attachments: attachments(m.attachments.as_deref()),
                note,
                ago: when::ago(m.sent_at, now),
                state: ours.cloned().unwrap_or_default(),
                at: m.sent_at,
            }
        })
        .collect();
    lines.extend(events.iter().map(|e| Line {
        side: "event",
        text: e.summary.clone(),
        attachments: vec![],
        note: String::new(),
        ago: when::ago(e.at, now),
        state: String::new(),
        at: e.at,
    }));
    // Our messages not echoed yet (queued, retrying, failed) go last, as they are newest.
    let echoed: HashSet<&str> = messages
        .iter()
        .filter_map(|m| m.metadata.as_deref())
        .collect();
    lines.sort_by_key(|l| l.at);
    lines.extend(
        outbox
            .iter()
            .filter(|o| {
                o.kind == "message" && !echoed.contains(store::outbox_metadata(o.id).as_str())
            })
            .map(|o| Line {
                side: "out",
                text: serde_json::from_str::<Value>(&o.request)
                    .ok()
                    .and_then(|r| r["message"]["text"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| "[utility template]".into()),
                attachments: vec![],
                note: String::new(),
                ago: when::ago(o.created_at, now),
                state: match &o.error {
                    Some(e) if o.status == "failed" => format!("failed: {e}"),
                    _ => o.status.clone(),
                },
                at: o.created_at,
            }),
    );
    lines
}

fn attachments(json: Option<&str>) -> Vec<Attachment> {
    let Some(list) = json.and_then(|j| serde_json::from_str::<Vec<Value>>(j).ok()) else {
        return vec![];
    };
    list.iter()
        .map(|a| {
            let kind = a["kind"]
                .as_str()
                .or(a["type"].as_str())
                .unwrap_or("file")
                .to_owned();
            let url = a["url"]
                .as_str()
                .or(a["payload"]["url"].as_str())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(str::to_owned);
            let title =
                a["title"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| match &a["coordinates"] {
                        Value::Object(c) => format!("Location {}, {}", c["lat"], c["long"]),
                        _ => kind.clone(),
                    });
            Attachment { kind, url, title }
        })
        .collect()
}
