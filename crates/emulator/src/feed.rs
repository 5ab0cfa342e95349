//! The Page's posts and their comments, and the ways a customer arrives through a link.
//!
//! Control calls play the customer (comment, edit, remove, open an m.me link, tap Get Started)
//! and the Page's author (publish a post); Graph calls are what the app may do with comments
//! (reply publicly, hide, show, delete, read). Every change goes out as a `feed` change shaped
//! like Meta's.
//!
//! Invariants:
//! * a comment's `from.id` is the customer's user id, never their PSID: the app learns the
//!   PSID only from the answer to a private reply;
//! * the Page's own comments (public replies) carry the Page as `from` and never allow a private
//!   reply;
//! * a removed comment stays in the state, marked `deleted`, so the log reads true.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Emu;
use crate::control::{Answer, act, bad, customer_event, parse};
use crate::error::GraphError;
use crate::send::authorize_with;
use crate::state::{Comment, Post, State as S};
use crate::webhooks::{enqueue_change, enqueue_from};

pub fn routes() -> axum::Router<Arc<Emu>> {
    axum::Router::new()
        .route("/_emulator/posts", get(posts).post(publish))
        .route("/_emulator/users/{psid}/comment", post(comment))
        .route("/_emulator/users/{psid}/comment_edit", post(comment_edit))
        .route(
            "/_emulator/users/{psid}/comment_remove",
            post(comment_remove),
        )
        .route("/_emulator/users/{psid}/open_link", post(open_link))
        .route("/_emulator/users/{psid}/get_started", post(get_started))
}

#[derive(Deserialize)]
struct NewPost {
    message: String,
    #[serde(default)]
    status_type: Option<String>,
}

/// The feed item of a post's `status_type`.
fn item_of(status_type: Option<&str>) -> Result<&'static str, String> {
    match status_type.unwrap_or("status") {
        "status" | "mobile_status_update" => Ok("status"),
        "photo" | "added_photos" => Ok("photo"),
        "video" | "added_video" => Ok("video"),
        other => Err(format!(
            "status_type `{other}` is not one of status, photo, video"
        )),
    }
}

/// The Page publishes a post.
async fn publish(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let p: NewPost = parse(&body)?;
    let item = item_of(p.status_type.as_deref()).map_err(bad)?;
    let now = emu.now();
    Ok(Json(emu.with(|st| {
        let post_id = format!("{}_{}", st.page.id, 100 + st.posts.len() + 1);
        st.posts.insert(
            post_id.clone(),
            Post {
                post_id: post_id.clone(),
                message: p.message.clone(),
                item: item.into(),
                at: now,
            },
        );
        let from = json!({"id": st.page.id, "name": st.page.name});
        enqueue_change(
            st,
            "feed",
            json!({"from": from, "item": item, "verb": "add", "post_id": post_id, "message": p.message,
                   "published": 1, "created_time": now / 1000}),
        );
        json!({ "post_id": post_id })
    })))
}

async fn posts(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| {
        let mut ids: Vec<&String> = st.posts.keys().collect();
        for c in st.comments.values() {
            if !st.posts.contains_key(&c.post_id) && !ids.contains(&&c.post_id) {
                ids.push(&c.post_id);
            }
        }
        json!(
            ids.iter()
                .map(|id| {
                    let post = st.posts.get(*id);
                    let comments: Vec<Value> = st
                        .comments
                        .values()
                        .filter(|c| &&c.post_id == id)
                        .map(comment_json)
                        .collect();
                    json!({"post_id": id, "message": post.map(|p| p.message.as_str()),
                       "item": post.map(|p| p.item.as_str()), "comments": comments})
                })
                .collect::<Vec<_>>()
        )
    })))
}

fn comment_json(c: &Comment) -> Value {
    json!({"comment_id": c.comment_id, "parent_id": c.parent_id, "from": {"id": c.from_id, "name": c.from_name},
           "psid": (!c.psid.is_empty()).then_some(&c.psid), "text": c.text, "photo": c.photo,
           "hidden": c.hidden, "deleted": c.deleted, "edited": c.edited,
           "private_reply_sent": c.private_reply_sent, "by_page": c.psid.is_empty()})
}

/// The `feed` change Meta sends about a comment.
fn comment_change(st: &S, c: &Comment, verb: &str, now: i64) -> Value {
    let status_type = match st.posts.get(&c.post_id).map(|p| p.item.as_str()) {
        Some("photo") | None => "added_photos",
        Some("video") => "added_video",
        _ => "mobile_status_update",
    };
    let post_no = c.post_id.rsplit('_').next().unwrap_or(&c.post_id);
    let mut v = json!({"from": {"id": c.from_id, "name": c.from_name},
        "post": {"id": c.post_id, "status_type": status_type, "is_published": true,
                 "permalink_url": format!("https://www.facebook.com/{}/posts/{post_no}", st.page.id)},
        "post_id": c.post_id, "comment_id": c.comment_id, "parent_id": c.parent_id,
        "created_time": (if verb == "add" { c.at } else { now }) / 1000, "item": "comment", "verb": verb});
    if verb != "remove" && verb != "hide" && verb != "unhide" && !c.text.is_empty() {
        v["message"] = json!(c.text);
    }
    if let Some(photo) = &c.photo {
        v["photo"] = json!(photo);
    }
    v
}

/// Keeps a new comment and sends its `feed` change.
fn add_comment(st: &mut S, c: Comment, now: i64) {
    let change = comment_change(st, &c, "add", now);
    st.comments.insert(c.comment_id.clone(), c);
    enqueue_change(st, "feed", change);
}

#[derive(Deserialize)]
struct NewComment {
    post_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    photo: Option<String>,
}

/// The customer comments on a post (or answers a comment): a `feed` change, and one private
/// reply allowed.
async fn comment(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let c: NewComment = parse(&body)?;
    if c.text.trim().is_empty() && c.photo.is_none() {
        return Err(bad("a comment needs `text` or `photo`"));
    }
    let suffix = emu.digits(15);
    act(&emu, &psid, |st, page, now| {
        let post_id = if c.post_id.contains('_') {
            c.post_id.clone()
        } else {
            format!("{page}_{}", c.post_id)
        };
        let parent_id = match &c.parent_id {
            Some(p) => {
                let parent = st
                    .comments
                    .get(p)
                    .ok_or_else(|| bad(format!("no comment {p}")))?;
                if parent.post_id != post_id {
                    return Err(bad(format!("comment {p} is not on post {post_id}")));
                }
                p.clone()
            }
            None => post_id.clone(),
        };
        let comment_id = format!(
            "{}_{suffix}",
            post_id.rsplit('_').next().unwrap_or(&post_id)
        );
        let user = &st.users[&psid];
        let comment = Comment {
            comment_id: comment_id.clone(),
            post_id,
            parent_id,
            psid: psid.clone(),
            from_id: user.user_id.clone(),
            from_name: format!("{} {}", user.first_name, user.last_name),
            text: c.text.clone(),
            photo: c.photo.clone(),
            at: now,
            ..Comment::default()
        };
        add_comment(st, comment, now);
        Ok(json!({ "comment_id": comment_id }))
    })
}

#[derive(Deserialize)]
struct CommentEdit {
    comment_id: String,
    #[serde(default)]
    text: String,
}

/// The customer's own comment, for editing or removing.
fn own<'a>(st: &'a mut S, psid: &str, id: &str) -> Result<&'a mut Comment, crate::control::Fail> {
    match st.comments.get_mut(id) {
        Some(c) if c.psid == psid && !c.deleted => Ok(c),
        Some(_) => Err(bad(format!(
            "comment {id} is not this customer's, or is deleted"
        ))),
        None => Err(bad(format!("no comment {id}"))),
    }
}

async fn comment_edit(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let e: CommentEdit = parse(&body)?;
    act(&emu, &psid, |st, _, now| {
        let c = own(st, &psid, &e.comment_id)?;
        c.text = e.text.clone();
        c.edited = true;
        let c = c.clone();
        let change = comment_change(st, &c, "edited", now);
        enqueue_change(st, "feed", change);
        Ok(json!({}))
    })
}

async fn comment_remove(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let e: CommentEdit = parse(&body)?;
    act(&emu, &psid, |st, _, now| {
        let c = own(st, &psid, &e.comment_id)?;
        c.deleted = true;
        let c = c.clone();
        let change = comment_change(st, &c, "remove", now);
        enqueue_change(st, "feed", change);
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
struct OpenLink {
    url: String,
}

/// Keeps the characters of a `ref` Meta passes on: letters, digits, `-`, `_`, `=`.
fn meta_ref(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '='))
        .collect()
}

/// The customer opens an m.me link: on a new thread the referral waits for Get Started; on an
/// existing thread a `referral` event goes out and the window restarts.
async fn open_link(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let o: OpenLink = parse(&body)?;
    let url = reqwest::Url::parse(&o.url).map_err(|e| bad(format!("url: {e}")))?;
    if url.host_str() != Some("m.me") {
        return Err(bad("url: not an m.me link"));
    }
    let target = url.path().trim_matches('/').to_owned();
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let reference = query.get("ref").map(|r| meta_ref(r));
    act(&emu, &psid, |st, page, now| {
        if target != st.page.id && !target.eq_ignore_ascii_case(&st.page.username) {
            return Err(bad(format!("url: m.me/{target} is another Page")));
        }
        let mut referral = json!({"source": "SHORTLINK", "type": "OPEN_THREAD"});
        if let Some(r) = &reference {
            referral["ref"] = json!(r);
        }
        let user = st.users.get_mut(&psid).expect("checked");
        let new_thread = user.last_interaction_at.is_none() && user.wrote.is_empty();
        if new_thread {
            user.pending_referral = Some(referral);
        } else {
            user.last_interaction_at = Some(now);
            crate::routing::customer_acted(st, &psid, now);
            enqueue_from(
                st,
                &psid,
                now,
                customer_event(&psid, page, now, "referral", referral),
            );
        }
        Ok(json!({"new_thread": new_thread, "ref": reference, "text": query.get("text")}))
    })
}

/// The payload of the Page's Get Started button, if it has one.
pub(crate) fn get_started_payload(st: &S) -> Option<String> {
    st.page
        .profile
        .get("get_started")
        .and_then(|g| g.get("payload"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The customer taps Get Started: the postback, with the referral of the link or ad that
/// opened the welcome screen.
async fn get_started(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        let payload =
            get_started_payload(st).ok_or_else(|| bad("the Page has no Get Started button"))?;
        let user = st.users.get_mut(&psid).expect("checked");
        let mut postback = json!({"mid": mid, "title": "Get Started", "payload": payload});
        if let Some(r) = user.pending_referral.take() {
            postback["referral"] = r;
        }
        user.last_interaction_at = Some(now);
        crate::routing::customer_acted(st, &psid, now);
        enqueue_from(
            st,
            &psid,
            now,
            customer_event(&psid, page, now, "postback", postback),
        );
        Ok(json!({}))
    })
}

type Q = Query<HashMap<String, String>>;

fn answer(r: Result<Value, GraphError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn body_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, GraphError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Default::default());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(GraphError::param("The request body must be a JSON object")),
        Err(e) => Err(GraphError::param(format!("Invalid JSON payload: {e}"))),
    }
}

/// `POST /{comment-id}/comments {"message"}`: the Page answers publicly.
pub async fn public_reply(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let suffix = emu.digits(15);
    answer(
        authorize_with(&emu, &q, &h, "pages_manage_engagement").and_then(|()| {
            let b = body_object(&body)?;
            let message = b
                .get("message")
                .and_then(Value::as_str)
                .filter(|m| !m.trim().is_empty())
                .ok_or_else(|| GraphError::param("(#100) The parameter message is required"))?
                .to_owned();
            let now = emu.now();
            emu.with(|st| {
                let parent = st
                    .comments
                    .get(&node)
                    .filter(|c| !c.deleted)
                    .ok_or_else(|| GraphError::unsupported("post"))?;
                // Facebook attaches answers to second-level comments to the top-level one.
                let parent_id = if parent.parent_id == parent.post_id {
                    parent.comment_id.clone()
                } else {
                    parent.parent_id.clone()
                };
                let post_id = parent.post_id.clone();
                let comment_id = format!(
                    "{}_{suffix}",
                    post_id.rsplit('_').next().unwrap_or(&post_id)
                );
                let reply = Comment {
                    comment_id: comment_id.clone(),
                    post_id,
                    parent_id,
                    from_id: st.page.id.clone(),
                    from_name: st.page.name.clone(),
                    text: message,
                    at: now,
                    ..Comment::default()
                };
                add_comment(st, reply, now);
                Ok(json!({ "id": comment_id }))
            })
        }),
    )
}

/// `POST /{comment-id}`: `is_hidden` hides or shows a comment; `message` edits one of the
/// Page's own comments.
pub async fn node_post(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    answer(
        authorize_with(&emu, &q, &h, "pages_manage_engagement").and_then(|()| {
            let b = body_object(&body)?;
            let now = emu.now();
            emu.with(|st| {
                let page_id = st.page.id.clone();
                let c = st
                    .comments
                    .get_mut(&node)
                    .filter(|c| !c.deleted)
                    .ok_or_else(|| GraphError::unsupported("post"))?;
                let verb = if let Some(hidden) = b.get("is_hidden") {
                    let hidden = hidden
                        .as_bool()
                        .or_else(|| hidden.as_str().map(|s| s == "true"))
                        .ok_or_else(|| GraphError::param("(#100) is_hidden must be a boolean"))?;
                    if c.from_id == page_id {
                        return Err(GraphError::param(
                            "(#100) The Page cannot hide its own comment",
                        ));
                    }
                    c.hidden = hidden;
                    if hidden { "hide" } else { "unhide" }
                } else if let Some(m) = b.get("message").and_then(Value::as_str) {
                    if c.from_id != page_id {
                        return Err(GraphError::new(
                            200,
                            None,
                            "(#200) Permissions error: only the Page's own comments can be edited",
                        ));
                    }
                    c.text = m.to_owned();
                    c.edited = true;
                    "edited"
                } else {
                    return Err(GraphError::param("(#100) Set is_hidden or message"));
                };
                let c = c.clone();
                let change = comment_change(st, &c, verb, now);
                enqueue_change(st, "feed", change);
                Ok(json!({"success": true}))
            })
        }),
    )
}

/// `DELETE /{comment-id}`, called from the generic node delete.
pub fn delete_comment(st: &mut S, node: &str, now: i64) -> Option<Value> {
    let c = st.comments.get_mut(node).filter(|c| !c.deleted)?;
    c.deleted = true;
    let c = c.clone();
    let change = comment_change(st, &c, "remove", now);
    enqueue_change(st, "feed", change);
    Some(json!({"success": true}))
}

fn graph_comment(st: &S, c: &Comment) -> Value {
    let mut v = json!({"id": c.comment_id, "message": c.text, "from": {"id": c.from_id, "name": c.from_name},
        "created_time": crate::clock::rfc3339(c.at), "is_hidden": c.hidden, "can_hide": c.from_id != st.page.id});
    if c.parent_id != c.post_id {
        v["parent"] = json!({"id": c.parent_id});
    }
    v
}

/// `GET /{comment-id}`, called from the generic node read.
pub fn comment_node(st: &S, node: &str) -> Option<Value> {
    st.comments
        .get(node)
        .filter(|c| !c.deleted)
        .map(|c| graph_comment(st, c))
}

/// `GET /{post-id}/comments?filter=stream`: every comment on the post, oldest first.
pub async fn comments_list(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    answer(
        authorize_with(&emu, &q, &h, "pages_read_user_content").map(|()| {
            emu.with(|st| {
                let stream = q.get("filter").map(String::as_str) == Some("stream");
                let data: Vec<Value> = st
                    .comments
                    .values()
                    .filter(|c| !c.deleted)
                    .filter(|c| c.parent_id == node || (stream && c.post_id == node))
                    .map(|c| graph_comment(st, c))
                    .collect();
                json!({ "data": data })
            })
        }),
    )
}

/// The Messenger Codes API is gone: Graph answers as for any unknown edge.
pub async fn messenger_codes() -> Response {
    GraphError::param(
        "(#100) Unknown path components: /messenger_codes. The Messenger Codes API is deprecated: use a QR code of the m.me link",
    )
    .into_response()
}
