//! The comments inbox: the Page's posts with their comments as threads, new ones live (the list
//! re-fetches itself on every update), filters (unanswered, answered privately, one post). From
//! a comment an agent answers publicly, hides or shows it, deletes it, or sends its one private
//! reply; a comment whose author became a Messenger contact links to that conversation.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse};
use engine::outbox::Actor;
use policy::Verdict;
use serde::Deserialize;
use store::{CommentFilter, CommentRow, Page, PostSummary, Time};

use i18n::Tr;

use super::bookings::chosen;
use super::session::{Agent, Me};
use super::verdict::rule_title;
use crate::error::{PageResult, render};
use crate::state::AppState;

/// A private reply is possible this long after the comment.
const PRIVATE_REPLY_DAYS: i64 = 7;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    post: Option<String>,
    #[serde(default)]
    unanswered: Option<String>,
    #[serde(default)]
    private_reply: Option<String>,
}

impl Filters {
    fn on(v: &Option<String>) -> bool {
        matches!(v.as_deref(), Some("true" | "on" | "1"))
    }

    fn store(&self) -> CommentFilter {
        CommentFilter {
            post_id: self.post.clone().filter(|p| !p.is_empty()),
            unanswered: Filters::on(&self.unanswered),
            private_reply: Filters::on(&self.private_reply),
            limit: 300,
        }
    }

    /// The query string that asks for the same list.
    fn query(&self, page_id: &str) -> String {
        let f = self.store();
        serde_urlencoded::to_string([
            ("page", Some(page_id.to_owned())),
            ("post", f.post_id),
            ("unanswered", f.unanswered.then(|| "true".to_owned())),
            ("private_reply", f.private_reply.then(|| "true".to_owned())),
        ])
        .unwrap_or_default()
    }
}

/// A comment as the list shows it.
pub struct Shown {
    pub row: CommentRow,
    pub author: String,
    pub when: String,
    /// An answer under another comment.
    pub nested: bool,
    /// The private reply can still be sent.
    pub private_open: bool,
}

/// A post and its comments, top-level ones newest first, each followed by its answers.
pub struct Thread {
    pub post_id: String,
    pub message: Option<String>,
    pub permalink_url: Option<String>,
    pub comments: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "comment_list.html")]
struct ListPart {
    tr: Tr,
    page_id: String,
    threads: Vec<Thread>,
}

#[derive(Template)]
#[template(path = "comments.html")]
struct CommentsPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    posts: Vec<PostSummary>,
    post: String,
    unanswered: bool,
    private_reply: bool,
    query: String,
    list_html: String,
}

fn excerpt(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

async fn threads(
    state: &AppState,
    tr: &Tr,
    page_id: &str,
    f: &Filters,
) -> store::Result<Vec<Thread>> {
    let now = Time::now();
    let posts: BTreeMap<String, PostSummary> = state
        .store()
        .posts(page_id, 500)
        .await?
        .into_iter()
        .map(|p| (p.post_id.clone(), p))
        .collect();
    let rows = state.store().comment_list(page_id, &f.store()).await?;
    let shown = |row: CommentRow, nested: bool| Shown {
        author: row
            .author_name
            .clone()
            .or_else(|| row.author_id.clone())
            .unwrap_or_default(),
        when: tr.when(row.at.timestamp(), now.timestamp()),
        private_open: !row.by_page
            && !row.removed
            && !row.private_reply_sent
            && now.ms() - row.at.ms() < PRIVATE_REPLY_DAYS * 86_400_000,
        nested,
        row,
    };
    let ids: std::collections::HashSet<String> =
        rows.iter().map(|r| r.comment_id.clone()).collect();
    // Answers go under their comment, oldest first; the rest stay newest first.
    let (answers, tops): (Vec<CommentRow>, Vec<CommentRow>) = rows.into_iter().partition(|r| {
        r.parent_id
            .as_ref()
            .is_some_and(|p| ids.contains(p) && Some(p) != r.post_id.as_ref())
    });
    let mut out: Vec<Thread> = vec![];
    for top in tops {
        let post_id = top.post_id.clone().unwrap_or_default();
        let i = match out.iter().position(|t| t.post_id == post_id) {
            Some(i) => i,
            None => {
                let p = posts.get(&post_id);
                out.push(Thread {
                    post_id: post_id.clone(),
                    message: p.and_then(|p| p.message.clone()).map(|m| excerpt(&m, 160)),
                    permalink_url: p.and_then(|p| p.permalink_url.clone()),
                    comments: vec![],
                });
                out.len() - 1
            }
        };
        let mut under: Vec<&CommentRow> = answers
            .iter()
            .filter(|a| a.parent_id.as_deref() == Some(top.comment_id.as_str()))
            .collect();
        under.sort_by_key(|a| a.at);
        let under: Vec<CommentRow> = under.into_iter().cloned().collect();
        out[i].comments.push(shown(top, false));
        for a in under {
            out[i].comments.push(shown(a, true));
        }
    }
    Ok(out)
}

async fn list_html(
    state: &AppState,
    tr: &Tr,
    page_id: &str,
    f: &Filters,
) -> Result<String, crate::error::PageError> {
    Ok(ListPart {
        tr: tr.clone(),
        page_id: page_id.to_owned(),
        threads: threads(state, tr, page_id, f).await?,
    }
    .render()?)
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(f): Query<Filters>,
) -> PageResult {
    let (pages, page_id) = chosen(&state, f.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let list_html = list_html(&state, &tr, &page_id, &f).await?;
    let posts = state.store().posts(&page_id, 100).await?;
    render(CommentsPage {
        me: Me::of(&user),
        pages,
        posts,
        post: f.post.clone().unwrap_or_default(),
        unanswered: Filters::on(&f.unanswered),
        private_reply: Filters::on(&f.private_reply),
        query: f.query(&page_id),
        page_id,
        list_html,
        tr,
    })
}

/// The list alone, for the live refresh.
pub async fn list(
    Agent(_user, tr): Agent,
    State(state): State<AppState>,
    Query(f): Query<Filters>,
) -> PageResult {
    let (_, page_id) = chosen(&state, f.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    Ok(Html(list_html(&state, &tr, &page_id, &f).await?).into_response())
}

#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// What happened to an action, in the comment's notice slot.
#[derive(Template)]
#[template(path = "comment_notice.html")]
struct Notice {
    allowed: bool,
    head: String,
    why: String,
}

fn notice(tr: &Tr, allowed: bool, rule: &str, why: &str) -> PageResult {
    let head = if allowed {
        tr.t("comments-done")
    } else {
        format!("{} {}", tr.t("verdict-refused"), rule_title(tr, rule))
    };
    render(Notice {
        allowed,
        head,
        why: why.to_owned(),
    })
}

/// `reply`, `hide`, `unhide`, `delete` or `private_reply` on one comment.
pub async fn act(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path((page_id, comment_id, action)): Path<(String, String, String)>,
    Form(form): Form<ActForm>,
) -> PageResult {
    let actor = Actor::Agent(user.username.clone());
    if action == "private_reply" {
        let text = form.text.unwrap_or_default();
        let submitted = state
            .engine
            .private_reply(&page_id, &comment_id, actor, &text)
            .await?;
        let d = &submitted.decision;
        return notice(
            &tr,
            d.verdict == Verdict::Allow,
            d.rule.as_str(),
            &d.explanation,
        );
    }
    let action = crate::api::comments::action_of(&action, form.message).map_err(|e| {
        crate::error::PageError::new(e.0, crate::error::Message::new("comments-unknown-action"))
    })?;
    let done = state
        .engine
        .moderate(&page_id, &comment_id, action, &actor, None)
        .await?;
    notice(
        &tr,
        done.allowed(),
        done.decision.rule.as_str(),
        &done.decision.explanation,
    )
}
