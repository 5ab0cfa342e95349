//! One conversation: the history (messages, attachments, quick replies, postbacks, referrals,
//! echoes from other apps, our messages' delivery state), the customer's profile and the team's
//! panel (assignee, status, labels, notes, tokens), and the composer.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::State;
use engine::instant_reply::fill_first_name;
use engine::routing::OtherOwner;
use engine::view::ConversationView;
use serde_json::Value;
use store::{
    Contact, ConversationStatus, Direction, OutboxStatus, PauseReason, Role, SendKind,
    StoredMessage, TemplateStatus, Time,
};

use super::auth::Agent;
use super::inbox::display_name;
use super::when;
use crate::error::{PageResult, render};
use crate::ids::ConversationIds;
use crate::state::AppState;

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
    at: Time,
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
    status: ConversationStatus,
    assignee: Option<String>,
    unread: i64,
    labels: Vec<String>,
    notes: Vec<NoteLine>,
    tokens: Vec<Choice>,
    users: Vec<String>,
    saved_replies: Vec<Choice>,
    personas: Vec<Choice>,
    templates: Vec<TemplateChoice>,
    /// Another app controls the thread.
    owner: Option<OtherOwner>,
    owner_until: Option<String>,
    default_app: bool,
    /// "until the conversation closes (an agent paused them)".
    paused: Option<String>,
    /// "2 h ago".
    opted_out: Option<String>,
    erased: Option<String>,
}

pub async fn page(
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
) -> PageResult {
    let view = state.engine.conversation(&page_id, &psid).await?;
    let store = state.store();
    let (users, replies, personas, templates) = tokio::try_join!(
        store.users(),
        store.saved_replies(),
        store.personas(&page_id),
        store.templates(&page_id),
    )?;
    let now = Time::now();
    let ConversationView {
        contact,
        team,
        messages,
        events,
        notes,
        outbox,
        decisions,
        one_time_tokens,
        notification_tokens,
        thread_owner,
        default_app,
        automations_paused,
        ..
    } = view;
    let lines = history(&messages, &outbox, &events, now);
    // Sender actions (typing, seen) are audited too, but are not decisions an agent reviews.
    let decisions = decisions
        .iter()
        .filter(|a| !a.message.starts_with("{\"sender_action\""))
        .take(10)
        .map(|a| DecisionLine {
            ago: when::ago(a.at, now),
            actor: a.actor.clone(),
            verdict: a.verdict.to_string(),
            rule: a.rule.clone(),
            explanation: a.explanation.clone(),
        })
        .collect();
    let mut tokens: Vec<Choice> = one_time_tokens
        .iter()
        .filter(|t| t.usable)
        .map(|t| Choice {
            value: format!("otn:{}", t.token.token),
            label: format!(
                "One-time: {}",
                t.token.topic.as_deref().unwrap_or("no topic")
            ),
        })
        .collect();
    tokens.extend(notification_tokens.iter().filter(|t| t.usable).map(|t| {
        let t = &t.token;
        Choice {
            value: format!("rn:{}", t.token),
            label: format!(
                "{} until {}: {}",
                t.frequency.as_deref().unwrap_or("recurring"),
                t.expires_at
                    .map(when::date)
                    .unwrap_or_else(|| "no end".into()),
                t.topic.as_deref().unwrap_or("no topic")
            ),
        }
    }));
    let first_name = contact.profile.first_name.as_deref();
    let (window_kind, window_label) =
        when::window(contact.last_interaction_at, contact.window_closed_at, now);
    let paused = automations_paused.map(|p| {
        let until = match p.until {
            Some(u) => format!("until {}", when::date_time(u)),
            None => "until the conversation closes".into(),
        };
        let why = match p.reason {
            PauseReason::RepliedElsewhere => "staff answered from another app or Meta's inbox",
            PauseReason::Agent => "an agent paused them",
            PauseReason::AskedForPerson => "the customer asked for a person",
        };
        format!("{until} ({why})")
    });
    let opted_out = contact.opted_out.then(|| {
        contact
            .opted_out_at
            .map(|at| when::ago(at, now))
            .unwrap_or_default()
    });
    render(ThreadPage {
        owner_until: thread_owner
            .as_ref()
            .and_then(|o| o.until)
            .map(when::date_time),
        owner: thread_owner,
        default_app,
        paused,
        opted_out,
        erased: contact.erased_at.map(when::date_time),
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
        labels: team.labels.0,
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
            .filter(|t| t.status == TemplateStatus::Approved)
            .map(|t| TemplateChoice {
                value: format!("{}|{}", t.name, t.language),
                label: format!("{} ({}): {}", t.name, t.language, t.body),
                params: engine::templates::params_of(&t.body),
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
    now: Time,
) -> Vec<Line> {
    let state_of: HashMap<String, OutboxStatus> = outbox
        .iter()
        .map(|o| (store::outbox_metadata(o.id), o.status))
        .collect();
    let mut lines: Vec<Line> = messages
        .iter()
        .map(|m| {
            let ours = m.metadata.as_ref().and_then(|k| state_of.get(k));
            let note = match (m.direction, &m.quick_reply_payload, ours) {
                (Direction::In, Some(p), _) => format!("Quick reply: {p}"),
                (Direction::Out, _, None) => match m.app_id.as_deref() {
                    Some(app) => format!("Sent by another app ({app})"),
                    None => "Sent from Meta's Page Inbox".into(),
                },
                (Direction::Out, Some(_), Some(_)) => "With quick replies".into(),
                _ => String::new(),
            };
            Line {
                side: match m.direction {
                    Direction::In => "in",
                    Direction::Out => "out",
                },
                text: m.text.clone().unwrap_or_default(),
                attachments: attachments(m.attachments.as_deref()),
                note,
                ago: when::ago(m.sent_at, now),
                state: ours.map(|s| s.to_string()).unwrap_or_default(),
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
                o.kind == SendKind::Message
                    && !echoed.contains(store::outbox_metadata(o.id).as_str())
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
                    Some(e) if o.status == OutboxStatus::Failed => format!("failed: {e}"),
                    _ => o.status.to_string(),
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
