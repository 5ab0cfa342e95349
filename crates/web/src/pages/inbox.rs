//! The conversation list, newest activity first, with each customer's window as a badge, and
//! the filters (mine, unassigned, open/closed, label, window) and search above it.

use askama::Template;
use axum::extract::{Query, State};
use engine::team::ListQuery;
use store::{ConversationStatus, ConversationSummary, Time};

use super::auth::Agent;
use super::when;
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

/// The list shows this many; filters and search find the rest.
pub const SHOWN: i64 = 200;

pub struct Row {
    pub href: String,
    pub name: String,
    pub picture: Option<String>,
    pub preview: String,
    pub ago: String,
    pub unread: i64,
    pub status: ConversationStatus,
    pub window_kind: &'static str,
    pub window_label: String,
    pub assignee: Option<String>,
    pub labels: Vec<String>,
}

impl Row {
    pub fn of(c: ConversationSummary, now: Time) -> Row {
        let (window_kind, window_label) =
            when::window(c.last_interaction_at, c.window_closed_at, now);
        Row {
            href: format!("/c/{}/{}", c.page_id, c.psid),
            name: display_name(c.first_name.as_deref(), c.last_name.as_deref(), &c.psid),
            picture: c.profile_pic,
            preview: c.last_message_text.unwrap_or_default(),
            ago: when::ago(c.last_activity_at, now),
            unread: c.unread_count,
            status: c.status,
            window_kind,
            window_label,
            assignee: c.assignee,
            labels: c.labels.0,
        }
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    user: String,
    admin: bool,
    rows: Vec<Row>,
    query: ListQuery,
    labels: Vec<String>,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ConversationList {
    rows: Vec<Row>,
}

pub async fn page(
    Agent(user): Agent,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let (rows, labels) = tokio::join!(rows(&state, &user, &query), state.store().labels_in_use());
    render(InboxPage {
        admin: user.role == store::Role::Admin,
        user: user.username,
        rows: rows?,
        query,
        labels: labels?,
    })
}

/// The list alone, for htmx to swap in when the filters or the conversations changed.
pub async fn list(
    Agent(user): Agent,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    render(ConversationList {
        rows: rows(&state, &user, &query).await?,
    })
}

async fn rows(
    state: &AppState,
    user: &store::User,
    query: &ListQuery,
) -> Result<Vec<Row>, PageError> {
    let now = Time::now();
    let filter = query.filter(state.store(), user, now).await?;
    let list = state.store().conversation_list(&filter, SHOWN).await?;
    Ok(list.into_iter().map(|c| Row::of(c, now)).collect())
}

pub fn display_name(first: Option<&str>, last: Option<&str>, psid: &str) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (Some(f), None) => f.to_owned(),
        _ => format!("Customer {psid}"),
    }
}
