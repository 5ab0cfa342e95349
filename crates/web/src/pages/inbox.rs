//! The conversation list, newest activity first: who wrote last and what, when, the badge that
//! says what may be sent now, unread counts, assignee and labels; the filters and search above
//! it. The same pane sits beside a thread. Filters and search live in the URL, so a link or a
//! reload keeps them, and opening a conversation keeps the list as it was.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use engine::team::ListQuery;
use i18n::Tr;
use serde::Deserialize;
use store::{ConversationStatus, ConversationSummary, Speaker, Time, User};

use super::badge::{Badge, badge};
use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

/// The list shows this many; filters and search find the rest.
pub const SHOWN: i64 = 200;

pub struct Row {
    /// `page/psid`: which row is which when the list refreshes.
    pub key: String,
    pub href: String,
    pub name: String,
    pub initials: String,
    pub picture: Option<String>,
    /// "You:", "Auto:" or nothing (the customer).
    pub speaker: String,
    pub preview: String,
    pub when: String,
    /// The instant, for `<time datetime>`.
    pub at: String,
    pub unread: i64,
    pub closed: bool,
    pub badge: Badge,
    pub assignee: Option<String>,
    pub labels: Vec<String>,
    pub selected: bool,
    /// New messages here notify this user: theirs or nobody's.
    pub notify: bool,
}

impl Row {
    fn of(tr: &Tr, c: ConversationSummary, me: &User, link: &str, now: Time) -> Row {
        let name = display_name(tr, c.first_name.as_deref(), c.last_name.as_deref(), &c.psid);
        let speaker = match c.last_message_by {
            Some(Speaker::Agent) => tr.t("speaker-agent"),
            Some(Speaker::Automation) => tr.t("speaker-automation"),
            Some(Speaker::Broadcast) => tr.t("speaker-broadcast"),
            Some(Speaker::Api) => tr.t("speaker-api"),
            Some(Speaker::OtherApp) => tr.t("speaker-other-app"),
            Some(Speaker::Customer) | None => String::new(),
        };
        Row {
            key: format!("{}/{}", c.page_id, c.psid),
            href: format!("/c/{}/{}{link}", c.page_id, c.psid),
            initials: initials(&name),
            picture: c.profile_pic.map(|_| picture_url(&c.page_id, &c.psid)),
            speaker,
            preview: c.last_message_text.unwrap_or_default(),
            when: tr.when(c.last_activity_at.timestamp(), now.timestamp()),
            at: c.last_activity_at.timestamp().to_string(),
            unread: c.unread_count,
            closed: c.status == ConversationStatus::Closed,
            badge: badge(tr, c.last_interaction_at, c.window_closed_at, now),
            notify: c.assignee.as_deref().is_none_or(|a| a == me.username),
            assignee: c.assignee,
            labels: c.labels.0,
            selected: false,
            name,
        }
    }
}

/// Where Fenestra serves the customer's picture from (fetched once from Meta, kept).
pub fn picture_url(page_id: &str, psid: &str) -> String {
    format!("/c/{page_id}/{psid}/picture")
}

/// The list beside the inbox or a thread.
pub struct ListPane {
    pub rows: Vec<Row>,
    pub query: ListQuery,
    pub labels: Vec<String>,
    /// The page the filters belong to: `/` or a thread's address.
    pub base: String,
    /// Back to the list with the same filters (phones).
    pub back: String,
    pub unread_total: i64,
}

impl ListPane {
    /// No list (a live refresh of another part of the page).
    pub fn empty(base: &str) -> ListPane {
        ListPane {
            rows: vec![],
            query: ListQuery::default(),
            labels: vec![],
            base: base.to_owned(),
            back: "/".into(),
            unread_total: 0,
        }
    }

    /// The list for `user` with `query`, on the page at `base`, `selected` highlighted.
    pub async fn load(
        state: &AppState,
        user: &User,
        tr: &Tr,
        query: ListQuery,
        base: &str,
        selected: Option<(&str, &str)>,
    ) -> Result<ListPane, PageError> {
        let now = Time::now();
        let link = query_string(&query);
        let filter = query.filter(state.store(), user, now).await?;
        let (list, labels, unread_total) = tokio::try_join!(
            state.store().conversation_list(&filter, SHOWN),
            state.store().labels_in_use(),
            state.store().unread_conversations(),
        )?;
        let rows = list
            .into_iter()
            .map(|c| {
                let mut row = Row::of(tr, c, user, &link, now);
                row.selected = selected.is_some_and(|(p, s)| row.key == format!("{p}/{s}"));
                row
            })
            .collect();
        Ok(ListPane {
            rows,
            labels,
            base: base.to_owned(),
            back: format!("/{link}"),
            unread_total,
            query,
        })
    }
}

/// `?q=…&status=…` with the filters that are set (empty when none is).
pub fn query_string(q: &ListQuery) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("q", q.q.as_str()),
        ("assignee", q.assignee.as_str()),
        ("status", q.status.as_str()),
        ("label", q.label.as_str()),
        ("window", q.window.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .collect();
    match serde_urlencoded::to_string(&pairs) {
        Ok(s) if !s.is_empty() => format!("?{s}"),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    tr: Tr,
    me: Me,
    list: ListPane,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ConversationList {
    tr: Tr,
    list: ListPane,
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let list = ListPane::load(&state, &user, &tr, query, "/", None).await?;
    render(InboxPage {
        me: Me::of(&user),
        tr,
        list,
    })
}

#[derive(Deserialize)]
pub struct ListParams {
    #[serde(flatten)]
    query: ListQuery,
    /// The page the list sits on (`/` or `/c/{page}/{psid}`): its address gets the filters.
    #[serde(default)]
    base: String,
}

/// The list alone, for htmx to swap in when the filters or the conversations changed; the
/// address bar follows the filters.
pub async fn list(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> PageResult {
    let base = if p.base.starts_with("/c/") {
        p.base.as_str()
    } else {
        "/"
    };
    let selected = base
        .strip_prefix("/c/")
        .and_then(|rest| rest.split_once('/'));
    let list = ListPane::load(&state, &user, &tr, p.query, base, selected).await?;
    let address = format!("{base}{}", query_string(&list.query));
    let mut response = render(ConversationList { tr, list })?;
    if let Ok(v) = HeaderValue::from_str(&address) {
        response.headers_mut().insert("hx-replace-url", v);
    }
    Ok(response.into_response())
}

pub fn display_name(tr: &Tr, first: Option<&str>, last: Option<&str>, psid: &str) -> String {
    match (first, last) {
        (Some(f), Some(l)) if !l.is_empty() => format!("{f} {l}"),
        (Some(f), _) => f.to_owned(),
        _ => tr.t1("customer-unnamed", "psid", psid),
    }
}

/// One or two letters for a customer without a picture.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}
