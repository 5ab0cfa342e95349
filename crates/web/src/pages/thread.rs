//! One conversation: the list beside it, the history (messages, attachments, quick replies,
//! postbacks, referrals, echoes from other apps, who sent each of ours and how, delivery
//! states), the composer, and the customer's panel (profile, team, routing, labels, notes,
//! decisions, data). What the page offers depends on the reader's role.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Query, State};
use engine::automate::fill_first_name;
use engine::routing::{LEAD_ADS, PAGE_INBOX};
use engine::team::ListQuery;
use engine::view::ConversationView;
use i18n::Tr;
use serde_json::Value;
use store::{
    Contact, Direction, OutboxRow, OutboxStatus, PauseReason, Persona, Role, SendKind,
    StoredMessage, TemplateStatus, Time,
};

use super::badge::{Badge, badge};
use super::inbox::{ListPane, display_name, initials, picture_url};
use super::session::{Agent, Me};
use super::verdict::rule_title;
use crate::error::{PageResult, render};
use crate::ids::ConversationIds;
use crate::state::AppState;

pub struct Attachment {
    pub kind: String,
    pub image: bool,
    pub url: Option<String>,
    pub title: String,
}

/// One item of the history, oldest first.
pub struct Line {
    /// `in`, `out` or `event`.
    pub side: &'static str,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// Who sent it and how ("mai · reply", "Instant reply · reply"), or a quick reply.
    pub by: String,
    /// The technical how (`RESPONSE`, `MESSAGE_TAG HUMAN_AGENT`), as a tooltip.
    pub how_detail: String,
    pub when: String,
    pub at: String,
    /// For our messages: queued, sent, delivered, read, not sent.
    pub state: String,
    /// `failed` for a send that did not go: the CSS class.
    pub state_kind: &'static str,
    time: Time,
}

pub struct DecisionLine {
    pub when: String,
    pub actor: String,
    pub verdict: String,
    /// `allow` or `deny`: the CSS class.
    pub kind: &'static str,
    pub title: String,
    pub rule: String,
    pub detail: String,
}

pub struct NoteLine {
    pub author: String,
    pub when: String,
    pub text: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A saved reply in the composer's list: its text (first name filled) and the composer fields
/// for what it carries besides.
pub struct SavedChoice {
    pub value: String,
    pub label: String,
    pub attachment_type: String,
    pub attachment_url: String,
    pub buttons: String,
    pub quick_replies: String,
}

/// An approved template and the parameters the agent fills.
pub struct TemplateChoice {
    pub value: String,
    pub label: String,
    pub params: Vec<String>,
}

/// What the reader may do about who is on the conversation.
pub enum Assign {
    /// An admin: pick anyone (the current assignee selected).
    Choose(Option<String>),
    /// Nobody is on it: take it.
    Take,
    /// The reader is on it: let go.
    Mine,
    /// A colleague is on it: an agent may only see that.
    Theirs(String),
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    tr: Tr,
    me: Me,
    list: ListPane,
    base: String,
    name: String,
    first_name: String,
    initials: String,
    picture: Option<String>,
    locale: String,
    timezone: String,
    badge: Badge,
    source: String,
    /// How they arrived most recently, when it differs from the first time.
    latest_source: Option<String>,
    first_seen: String,
    /// What flows, lead forms and signed links told about them (`order_id`, `email`, …).
    fields: Vec<(String, String)>,
    /// Their comments on the Page's posts, newest first.
    comments: Vec<(String, String)>,
    lines: Vec<Line>,
    decisions: Vec<DecisionLine>,
    open: bool,
    assign: Assign,
    users: Vec<String>,
    unread: i64,
    labels: Vec<String>,
    notes: Vec<NoteLine>,
    tokens: Vec<Choice>,
    saved_replies: Vec<SavedChoice>,
    personas: Vec<Choice>,
    templates: Vec<TemplateChoice>,
    /// "Meta Business Suite inbox is handling this conversation…".
    owner: Option<String>,
    default_app: bool,
    /// "Automations paused until … (…)".
    paused: Option<String>,
    /// "Opted out 2 h ago: …".
    opted_out: Option<String>,
    erased: Option<String>,
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Query(query): Query<ListQuery>,
    headers: axum::http::HeaderMap,
) -> PageResult {
    let refreshing_history = headers.get("hx-target").is_some_and(|t| t == "history");
    let base = format!("/c/{page_id}/{psid}");
    // A live refresh of the history needs no list.
    let list = async {
        if refreshing_history {
            Ok(ListPane::empty(&base))
        } else {
            ListPane::load(&state, &user, &tr, query, &base, Some((&page_id, &psid))).await
        }
    };
    let (view, list) = tokio::join!(state.engine.conversation(&page_id, &psid), list);
    let (view, list) = (view?, list?);
    let store = state.store();
    let (users, replies, personas, templates, copies) = tokio::try_join!(
        store.users(),
        store.saved_replies(),
        store.personas(&page_id),
        store.templates(&page_id),
        store.media_keys(&page_id, &psid),
    )?;
    let copies: HashSet<String> = copies.into_iter().collect();
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
    let lines = history(
        &tr, &messages, &outbox, &events, &personas, &copies, &base, now,
    );
    // Sender actions (typing, seen) are audited too, but are not decisions an agent reviews.
    let decisions = decisions
        .iter()
        .filter(|a| !a.message.starts_with("{\"sender_action\""))
        .take(10)
        .map(|a| {
            let allowed = a.verdict == store::Verdict::Allow;
            DecisionLine {
                when: tr.when(a.at.timestamp(), now.timestamp()),
                actor: actor_name(&tr, &a.actor, None),
                verdict: tr.t(if allowed {
                    "decision-allow"
                } else {
                    "decision-deny"
                }),
                kind: if allowed { "allow" } else { "deny" },
                title: rule_title(&tr, &a.rule),
                rule: a.rule.clone(),
                detail: mask_tokens(&a.explanation),
            }
        })
        .collect();
    let mut tokens: Vec<Choice> = one_time_tokens
        .iter()
        .filter(|t| t.usable)
        .map(|t| Choice {
            value: format!("otn:{}", t.token.token),
            label: tr.t1(
                "token-one-time",
                "topic",
                topic(&tr, t.token.topic.as_deref()),
            ),
        })
        .collect();
    tokens.extend(notification_tokens.iter().filter(|t| t.usable).map(|t| {
        let t = &t.token;
        Choice {
            value: format!("rn:{}", t.token),
            label: tr.format(
                "token-recurring",
                &[
                    (
                        "frequency",
                        t.frequency
                            .clone()
                            .unwrap_or_else(|| tr.t("token-recurring-any"))
                            .into(),
                    ),
                    (
                        "until",
                        t.expires_at
                            .map(|e| tr.date(e.timestamp()))
                            .unwrap_or_else(|| tr.t("token-no-end"))
                            .into(),
                    ),
                    ("topic", topic(&tr, t.topic.as_deref()).into()),
                ],
            ),
        }
    }));
    let first_name = contact.profile.first_name.clone().unwrap_or_default();
    let paused = automations_paused.map(|p| {
        let why = tr.t(match p.reason {
            PauseReason::RepliedElsewhere => "pause-replied-elsewhere",
            PauseReason::Agent => "pause-agent",
            PauseReason::AskedForPerson => "pause-asked-for-person",
        });
        match p.until {
            Some(u) => tr.t2(
                "routing-paused-until",
                "until",
                tr.when(u.timestamp(), now.timestamp()),
                "why",
                why,
            ),
            None => tr.t1("routing-paused-until-close", "why", why),
        }
    });
    let opted_out = contact.opted_out.then(|| {
        let when = contact
            .opted_out_at
            .map(|at| tr.ago(at.timestamp(), now.timestamp()))
            .unwrap_or_default();
        tr.t1("routing-opted-out", "when", when)
    });
    let owner = thread_owner.map(|o| {
        let app = app_name(&tr, &o.app_id);
        match o.until {
            Some(u) => tr.t2(
                "routing-owner",
                "app",
                app,
                "until",
                tr.when(u.timestamp(), now.timestamp()),
            ),
            None => tr.t1("routing-owner-open", "app", app),
        }
    });
    let admin = user.role == Role::Admin;
    let assign = match team.assignee {
        _ if admin => Assign::Choose(team.assignee.clone()),
        None => Assign::Take,
        Some(a) if a == user.username => Assign::Mine,
        Some(a) => Assign::Theirs(a),
    };
    let name = display_name(
        &tr,
        contact.profile.first_name.as_deref(),
        contact.profile.last_name.as_deref(),
        &psid,
    );
    let unknown = tr.t("profile-unknown");
    render(ThreadPage {
        badge: badge(
            &tr,
            contact.last_interaction_at,
            contact.window_closed_at,
            now,
        ),
        owner,
        default_app,
        paused,
        opted_out,
        erased: contact.erased_at.map(|e| tr.date_time(e.timestamp())),
        me: Me::of(&user),
        base,
        list,
        initials: initials(&name),
        picture: contact
            .profile
            .profile_pic
            .as_ref()
            .map(|_| picture_url(&page_id, &psid)),
        name,
        locale: contact
            .profile
            .locale
            .clone()
            .unwrap_or_else(|| unknown.clone()),
        timezone: contact
            .profile
            .timezone
            .map(|tz| format!("UTC{tz:+}"))
            .unwrap_or(unknown),
        latest_source: latest_source(&tr, &contact),
        source: source(&tr, &contact),
        fields: state.store().fields(&page_id, &psid).await?,
        comments: state
            .store()
            .comments_of_contact(&page_id, &psid)
            .await?
            .into_iter()
            .take(5)
            .map(|c| {
                (
                    c.text.unwrap_or_default(),
                    tr.when(c.at.timestamp(), now.timestamp()),
                )
            })
            .collect(),
        first_seen: tr.date(contact.first_seen_at.timestamp()),
        lines,
        decisions,
        open: team.status == store::ConversationStatus::Open,
        assign,
        unread: team.unread_count,
        labels: team.labels.0,
        notes: notes
            .into_iter()
            .map(|n| NoteLine {
                author: n.author,
                when: tr.when(n.created_at.timestamp(), now.timestamp()),
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
            .map(|r| {
                let parts = engine::rich::Parts::from_json(r.rich.as_deref());
                let (buttons, quick_replies) = super::compose::lines(&parts);
                let (kind, url) = parts
                    .attachment
                    .map(|a| (serde_json::to_value(a.kind).ok(), a.url.unwrap_or_default()))
                    .unwrap_or_default();
                SavedChoice {
                    value: fill_first_name(&r.text, Some(first_name.as_str())),
                    label: r.name,
                    attachment_type: kind
                        .and_then(|k| k.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    attachment_url: url,
                    buttons,
                    quick_replies,
                }
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
        first_name,
        tr,
    })
}

fn topic(tr: &Tr, topic: Option<&str>) -> String {
    topic
        .map(str::to_owned)
        .unwrap_or_else(|| tr.t("token-no-topic"))
}

/// Another app, by name.
pub fn app_name(tr: &Tr, app_id: &str) -> String {
    match app_id {
        PAGE_INBOX => tr.t("app-page-inbox"),
        LEAD_ADS => tr.t("app-lead-ads"),
        "unknown" | "" => tr.t("app-unknown"),
        other => tr.t1("app-other", "id", other),
    }
}

fn source(tr: &Tr, contact: &Contact) -> String {
    let word = |k: &str| super::links::source_word(tr, k);
    match (&contact.source_kind, &contact.source_ref) {
        (Some(k), Some(r)) if !r.is_empty() => tr.t2("source-kind-ref", "kind", word(k), "ref", r),
        (Some(k), _) => tr.t1("source-kind", "kind", word(k)),
        _ => tr.t("source-wrote"),
    }
}

fn latest_source(tr: &Tr, contact: &Contact) -> Option<String> {
    let first = (&contact.source_kind, &contact.source_ref);
    let latest = (&contact.latest_source_kind, &contact.latest_source_ref);
    if latest.0.is_none() || latest == first {
        return None;
    }
    let latest = Contact {
        source_kind: latest.0.clone(),
        source_ref: latest.1.clone(),
        ..contact.clone()
    };
    Some(source(tr, &latest))
}

/// Long opaque strings (tokens) cut to their first characters: never shown in full.
pub fn mask_tokens(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if core.len() >= 16
                && core
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                word.replace(core, &format!("{}…", &core[..4]))
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Who an actor (`agent:mai`, `automation:instant_reply`) is, in the reader's words.
pub fn actor_name(tr: &Tr, actor: &str, persona: Option<&Persona>) -> String {
    match actor.split_once(':') {
        Some(("agent", name)) => match persona {
            Some(p) => tr.t2("by-persona", "name", name, "persona", p.name.as_str()),
            None => tr.t1("by-agent", "name", name),
        },
        Some(("automation", which)) => {
            let id = format!("by-automation-{which}");
            match i18n::strict(tr.lang(), &id, &[]) {
                Some(_) => tr.t(&id),
                None => tr.t("by-automation"),
            }
        }
        Some(("broadcast", _)) => tr.t("by-broadcast"),
        Some(("api", name)) => tr.t1("by-api", "name", name),
        _ => actor.to_owned(),
    }
}

/// Who sent one of our messages and how, in the reader's words; and the technical how.
fn sender(tr: &Tr, row: &OutboxRow, personas: &[Persona]) -> (String, String) {
    let request: Value = serde_json::from_str(&row.request).unwrap_or(Value::Null);
    let persona = request["persona_id"]
        .as_str()
        .and_then(|id| personas.iter().find(|p| p.id == id));
    let who = actor_name(tr, &row.actor, persona);
    let messaging_type = request["messaging_type"].as_str().unwrap_or("");
    let tag = request["tag"].as_str();
    let recipient = &request["recipient"];
    let how = if recipient.get("one_time_notif_token").is_some() {
        tr.t("how-one-time")
    } else if recipient.get("notification_messages_token").is_some() {
        tr.t("how-recurring")
    } else if recipient.get("comment_id").is_some() {
        tr.t("how-private-reply")
    } else if request["message"]
        .get("attachment")
        .is_some_and(|a| a["payload"]["template_type"] == "utility")
        || messaging_type == "UTILITY"
    {
        tr.t("how-utility")
    } else {
        match (messaging_type, tag) {
            (_, Some("HUMAN_AGENT")) => tr.t("how-human-agent"),
            (_, Some(tag)) => tr.t1("how-tag", "tag", tag),
            ("UPDATE", _) => tr.t("how-update"),
            _ => tr.t("how-response"),
        }
    };
    let detail = [messaging_type, tag.unwrap_or("")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (format!("{who} · {how}"), detail)
}

fn state_text(tr: &Tr, row: &OutboxRow) -> (String, &'static str) {
    let id = match row.status {
        OutboxStatus::Queued => "state-queued",
        OutboxStatus::Sending => "state-sending",
        OutboxStatus::Unknown => "state-unknown",
        OutboxStatus::Sent => "state-sent",
        OutboxStatus::Delivered => "state-delivered",
        OutboxStatus::Read => "state-read",
        OutboxStatus::Failed => {
            return (
                match &row.error {
                    Some(e) => tr.t1("state-failed", "error", e.as_str()),
                    None => tr.t("state-failed-plain"),
                },
                "failed",
            );
        }
    };
    (tr.t(id), "")
}

/// Messages, our queued messages not echoed yet, and events, in time order.
#[allow(clippy::too_many_arguments)]
fn history(
    tr: &Tr,
    messages: &[StoredMessage],
    outbox: &[OutboxRow],
    events: &[store::ThreadEvent],
    personas: &[Persona],
    copies: &HashSet<String>,
    base: &str,
    now: Time,
) -> Vec<Line> {
    let ours: HashMap<String, &OutboxRow> = outbox
        .iter()
        .map(|o| (store::outbox_metadata(o.id), o))
        .collect();
    let line = |side, text: String, at: Time| Line {
        side,
        text,
        attachments: vec![],
        by: String::new(),
        how_detail: String::new(),
        when: tr.when(at.timestamp(), now.timestamp()),
        at: at.timestamp().to_string(),
        state: String::new(),
        state_kind: "",
        time: at,
    };
    let mut lines: Vec<Line> = messages
        .iter()
        .map(|m| {
            let mut l = line(
                match m.direction {
                    Direction::In => "in",
                    Direction::Out => "out",
                },
                m.text.clone().unwrap_or_default(),
                m.sent_at,
            );
            l.attachments = attachments(tr, m, copies, base);
            let row = m.metadata.as_ref().and_then(|k| ours.get(k));
            match (m.direction, row) {
                (Direction::In, _) => {
                    if let Some(p) = &m.quick_reply_payload {
                        l.by = tr.t1("quick-reply", "payload", p.as_str());
                    }
                }
                (Direction::Out, Some(row)) => {
                    (l.by, l.how_detail) = sender(tr, row, personas);
                    (l.state, l.state_kind) = state_text(tr, row);
                }
                (Direction::Out, None) => {
                    l.by = app_name(tr, m.app_id.as_deref().unwrap_or(PAGE_INBOX));
                }
            }
            l
        })
        .collect();
    lines.extend(
        events
            .iter()
            .map(|e| line("event", event_text(tr, e), e.at)),
    );
    // Our messages not echoed yet (queued, retrying, failed) go last, as they are newest.
    let echoed: HashSet<&str> = messages
        .iter()
        .filter_map(|m| m.metadata.as_deref())
        .collect();
    lines.sort_by_key(|l| l.time);
    lines.extend(
        outbox
            .iter()
            .filter(|o| {
                o.kind == SendKind::Message
                    && !echoed.contains(store::outbox_metadata(o.id).as_str())
            })
            .map(|o| {
                let text = serde_json::from_str::<Value>(&o.request)
                    .ok()
                    .and_then(|r| r["message"]["text"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| tr.t("template-sent"));
                let mut l = line("out", text, o.created_at);
                (l.by, l.how_detail) = sender(tr, o, personas);
                (l.state, l.state_kind) = state_text(tr, o);
                l
            }),
    );
    lines
}

/// What the customer did, in the reader's language (older events, stored before events
/// carried their message, stay in English).
fn event_text(tr: &Tr, e: &store::ThreadEvent) -> String {
    const KEYS: [&str; 9] = [
        "title",
        "payload",
        "source",
        "ref",
        "topic",
        "frequency",
        "emoji",
        "text",
        "app_id",
    ];
    let Some(detail) = e
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
    else {
        return e.summary.clone();
    };
    let Some(id) = detail["id"].as_str().filter(|id| id.starts_with("event-")) else {
        return e.summary.clone();
    };
    let args: Vec<(&'static str, String)> = KEYS
        .iter()
        .filter_map(|k| {
            let v = detail["args"][*k].as_str()?;
            let frequency = format!("frequency-{v}");
            let v = match i18n::strict(tr.lang(), &frequency, &[]) {
                Some(_) if *k == "frequency" => tr.t(&frequency),
                _ => v.to_owned(),
            };
            Some((*k, v))
        })
        .collect();
    engine::normalize::event_text(tr, id, &args, |app| app_name(tr, app))
}

/// A message's attachments, linked to Fenestra's copy where there is one.
fn attachments(
    tr: &Tr,
    m: &StoredMessage,
    copies: &HashSet<String>,
    base: &str,
) -> Vec<Attachment> {
    let Some(list) = m
        .attachments
        .as_deref()
        .and_then(|j| serde_json::from_str::<Vec<Value>>(j).ok())
    else {
        return vec![];
    };
    list.iter()
        .enumerate()
        .map(|(index, a)| {
            let kind = a["kind"].as_str().or(a["type"].as_str()).unwrap_or("file");
            let label = match kind {
                "image" | "video" | "audio" | "file" | "location" | "sticker" | "fallback"
                | "template" => tr.t(&format!("attachment-{kind}")),
                _ => tr.t("attachment-file"),
            };
            let key = engine::media::attachment_key(&m.mid, index);
            let url = if copies.contains(&key) {
                Some(format!("{base}/media/{key}"))
            } else {
                a["url"]
                    .as_str()
                    .or(a["payload"]["url"].as_str())
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .map(str::to_owned)
            };
            let title = a["title"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| template_text(&a["payload"]))
                .unwrap_or_else(|| match &a["coordinates"] {
                    Value::Object(c) => tr.t2(
                        "attachment-location-at",
                        "lat",
                        c["lat"].to_string(),
                        "long",
                        c["long"].to_string(),
                    ),
                    _ => label.clone(),
                });
            Attachment {
                image: kind == "image" || kind == "sticker",
                kind: label,
                url,
                title,
            }
        })
        .collect()
}

/// A button template as the thread shows it: its text, then its buttons (`[Book] [Website]`).
fn template_text(payload: &Value) -> Option<String> {
    let text = payload["text"].as_str()?;
    let buttons: Vec<String> = payload["buttons"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|b| b["title"].as_str())
                .map(|t| format!("[{t}]"))
                .collect()
        })
        .unwrap_or_default();
    Some(if buttons.is_empty() {
        text.to_owned()
    } else {
        format!("{text} {}", buttons.join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::mask_tokens;

    #[test]
    fn tokens_are_never_shown_whole() {
        assert_eq!(
            mask_tokens("One-time token `otn_8f7a6b5c4d3e2f1a` was already used."),
            "One-time token `otn_…` was already used."
        );
        assert_eq!(mask_tokens("short abc123 stays"), "short abc123 stays");
    }
}
