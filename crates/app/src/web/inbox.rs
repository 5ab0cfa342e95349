//! The conversation list, newest activity first, with each customer's window as a badge.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::auth::Agent;
use super::when;
use crate::routes::AppState;
use crate::time::now_ms;

const SHOWN: i64 = 200;

pub struct Row {
    pub href: String,
    pub name: String,
    pub picture: Option<String>,
    pub preview: String,
    pub ago: String,
    pub unread: i64,
    pub status: String,
    pub window_kind: &'static str,
    pub window_label: String,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    user: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ConversationList {
    rows: Vec<Row>,
}

pub async fn page(Agent(user): Agent, State(state): State<AppState>) -> Response {
    match rows(&state).await {
        Ok(rows) => render(InboxPage {
            user: user.username,
            rows,
        }),
        Err(e) => e,
    }
}

/// The list alone, for htmx to swap in when something changed.
pub async fn list(_agent: Agent, State(state): State<AppState>) -> Response {
    match rows(&state).await {
        Ok(rows) => render(ConversationList { rows }),
        Err(e) => e,
    }
}

async fn rows(state: &AppState) -> Result<Vec<Row>, Response> {
    let now = now_ms();
    let list = state
        .store
        .conversation_list(SHOWN)
        .await
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response())?;
    Ok(list
        .into_iter()
        .map(|c| {
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
            }
        })
        .collect())
}

pub fn display_name(first: Option<&str>, last: Option<&str>, psid: &str) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (Some(f), None) => f.to_owned(),
        _ => format!("Customer {psid}"),
    }
}

pub fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
