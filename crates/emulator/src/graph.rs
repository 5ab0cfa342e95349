//! The Graph endpoints a Page calls besides the Send API.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::Emu;
use crate::error::GraphError;
use crate::routing;
use crate::rules::promotional_word;
use crate::send::authorize_with;
use crate::state::{Persona, Template};

type Q = Query<HashMap<String, String>>;

/// Authorizes (a page token with `pages_messaging`), runs `f`, and shapes the answer.
fn graph(
    emu: &Emu,
    q: &HashMap<String, String>,
    h: &HeaderMap,
    f: impl FnOnce() -> Result<Value, GraphError>,
) -> Response {
    graph_with(emu, q, h, "pages_messaging", f)
}

fn graph_with(
    emu: &Emu,
    q: &HashMap<String, String>,
    h: &HeaderMap,
    permission: &str,
    f: impl FnOnce() -> Result<Value, GraphError>,
) -> Response {
    match authorize_with(emu, q, h, permission).and_then(|()| f()) {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn object(body: &Option<Json<Value>>) -> Result<&Map<String, Value>, GraphError> {
    body.as_ref()
        .and_then(|Json(v)| v.as_object())
        .ok_or_else(|| GraphError::param("The request body must be a JSON object"))
}

const PROFILE_FIELDS: [&str; 6] = [
    "get_started",
    "greeting",
    "ice_breakers",
    "persistent_menu",
    "whitelisted_domains",
    "home_url",
];

pub async fn profile_get(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph(&emu, &q, &h, || {
        let fields: Vec<String> = q
            .get("fields")
            .map(|f| f.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        let profile = emu.with(|st| st.page.profile.clone());
        let data: Map<String, Value> = profile
            .into_iter()
            .filter(|(k, _)| fields.is_empty() || fields.contains(k))
            .collect();
        Ok(json!({ "data": if data.is_empty() { vec![] } else { vec![Value::Object(data)] } }))
    })
}

pub async fn profile_set(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    graph(&emu, &q, &h, || {
        let fields = object(&body)?;
        if let Some(k) = fields
            .keys()
            .find(|k| !PROFILE_FIELDS.contains(&k.as_str()))
        {
            return Err(GraphError::param(format!(
                "Param {k} is not a valid Messenger Profile field"
            )));
        }
        if fields.is_empty() {
            return Err(GraphError::param(
                "You must specify at least one field to set",
            ));
        }
        let now = emu.now();
        emu.with(|st| {
            crate::profile::check(fields, &st.page.profile)?;
            crate::profile::count_call(&mut st.page.profile_calls, now)?;
            st.page.profile.extend(fields.clone());
            Ok::<_, GraphError>(())
        })?;
        Ok(json!({"result": "success"}))
    })
}

pub async fn profile_delete(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    graph(&emu, &q, &h, || {
        let fields = object(&body)?
            .get("fields")
            .and_then(Value::as_array)
            .ok_or_else(|| GraphError::param("param fields must be non-empty."))?;
        let now = emu.now();
        emu.with(|st| {
            crate::profile::count_call(&mut st.page.profile_calls, now)?;
            for f in fields.iter().filter_map(Value::as_str) {
                st.page.profile.remove(f);
            }
            Ok::<_, GraphError>(())
        })?;
        Ok(json!({"result": "success"}))
    })
}

pub async fn personas_list(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph(&emu, &q, &h, || {
        Ok(json!({ "data": emu.with(|st| st.personas.values().cloned().collect::<Vec<_>>()) }))
    })
}

pub async fn persona_create(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    graph(&emu, &q, &h, || {
        let b = object(&body)?;
        let name = b
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| GraphError::param("param name must be non-empty."))?;
        let picture = b
            .get("profile_picture_url")
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::param("param profile_picture_url must be non-empty."))?;
        let id = emu.digits(15);
        let persona = Persona {
            id: id.clone(),
            name: name.to_owned(),
            profile_picture_url: picture.to_owned(),
        };
        emu.with(|st| st.personas.insert(id.clone(), persona));
        Ok(json!({ "id": id }))
    })
}

/// `GET /{id}`: a persona, or a customer's profile (`fields=first_name,last_name,…`).
pub async fn node_get(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        emu.with(|st| {
            if let Some(p) = st.personas.get(&node) {
                return Ok(serde_json::to_value(p).unwrap_or_default());
            }
            if let Some(v) = crate::marketing::campaign_node(st, &node)
                .or_else(|| crate::marketing::token_node(st, &node, now))
                .or_else(|| crate::feed::comment_node(st, &node))
            {
                return Ok(v);
            }
            let fields = q.get("fields").map(String::as_str).unwrap_or_default();
            if (node == "me" || node == st.page.id) && fields == "messaging_feature_status" {
                return Ok(json!({"messaging_feature_status": {"hop_v2": false, "msgr_multi_app": true, "ig_multi_app": false},
                                 "id": st.page.id}));
            }
            let u = st.users.get(&node).ok_or_else(|| GraphError::unsupported("get"))?;
            let all = json!({"id": u.psid, "first_name": u.first_name, "last_name": u.last_name, "name": format!("{} {}", u.first_name, u.last_name),
                             "profile_pic": u.profile_pic, "locale": u.locale, "timezone": u.timezone, "gender": u.gender});
            let fields = q.get("fields").map(String::as_str).unwrap_or("first_name,last_name,profile_pic");
            let mut out = Map::new();
            out.insert("id".into(), json!(u.psid));
            for f in fields.split(',').map(str::trim) {
                match all.get(f) {
                    Some(v) => out.insert(f.to_owned(), v.clone()),
                    None => return Err(GraphError::param(format!("Tried accessing nonexisting field ({f}) on node type (User)"))),
                };
            }
            Ok(Value::Object(out))
        })
    })
}

pub async fn node_delete(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        emu.with(|st| {
            st.personas
                .remove(&node)
                .map(|_| json!({"success": true}))
                .or_else(|| crate::marketing::delete_campaign(st, &node))
                .or_else(|| crate::feed::delete_comment(st, &node, now))
        })
        .ok_or_else(|| GraphError::unsupported("delete"))
    })
}

fn recipient_psid(emu: &Emu, b: &Map<String, Value>) -> Result<String, GraphError> {
    let psid = b
        .get("recipient")
        .and_then(|r| r.get("id"))
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::param("param recipient must be non-empty."))?;
    emu.with(|st| st.users.contains_key(psid))
        .then(|| psid.to_owned())
        .ok_or_else(GraphError::no_user)
}

fn app_param(b: &Map<String, Value>, key: &str) -> Option<String> {
    b.get(key).and_then(|v| {
        v.as_str()
            .map(str::to_owned)
            .or_else(|| v.as_u64().map(|n| n.to_string()))
    })
}

/// The connected app passes the thread: allowed to the owner, and on an idle thread to the
/// default app (or anyone in zero-config mode). The new owner gets `pass_thread_control`.
pub async fn pass_thread_control(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let b = object(&body)?;
        let psid = recipient_psid(&emu, b)?;
        let target = app_param(b, "target_app_id")
            .ok_or_else(|| GraphError::param("param target_app_id must be non-empty."))?;
        let metadata = b.get("metadata").cloned().unwrap_or(Value::Null);
        emu.with(|st| {
            let ours = st.page.app_id.clone();
            let r = &st.routing;
            let may = match r.owner(&psid, now) {
                Some(owner) => owner == ours,
                None => r.zero_config() || r.default_app_id.as_deref() == Some(ours.as_str()),
            };
            if !may {
                return Err(routing::thread_taken());
            }
            if !r.apps.iter().any(|a| a.id == target) {
                return Err(GraphError::param(format!("Invalid target_app_id {target}")));
            }
            routing::pass(st, &psid, Some(&ours), &target, metadata, now);
            Ok(json!({"success": true}))
        })
    })
}

/// The connected app takes the thread: only if it may take control, and not in zero-config
/// mode. The previous owner gets `take_thread_control`.
pub async fn take_thread_control(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let b = object(&body)?;
        let psid = recipient_psid(&emu, b)?;
        let metadata = b.get("metadata").cloned().unwrap_or(Value::Null);
        emu.with(|st| {
            let ours = st.page.app_id.clone();
            if st.routing.zero_config() || !st.routing.take_allowed.contains(&ours) {
                return Err(GraphError::new(
                    10,
                    None,
                    "(#10) This app is not allowed to take control of threads on this Page.",
                ));
            }
            routing::take(st, &psid, &ours, metadata, now);
            Ok(json!({"success": true}))
        })
    })
}

/// The owner lets go: the thread becomes idle, no webhook.
pub async fn release_thread_control(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let psid = recipient_psid(&emu, object(&body)?)?;
        emu.with(|st| {
            if st.routing.owner(&psid, now) != Some(st.page.app_id.as_str()) {
                return Err(routing::thread_taken());
            }
            st.routing.release(&psid);
            Ok(json!({"success": true}))
        })
    })
}

/// The owner is asked for the thread (`request_thread_control`); nothing changes hands.
pub async fn request_thread_control(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let b = object(&body)?;
        let psid = recipient_psid(&emu, b)?;
        let metadata = b.get("metadata").cloned().unwrap_or(Value::Null);
        emu.with(|st| {
            let ours = st.page.app_id.clone();
            if let Some(owner) = st.routing.owner(&psid, now).map(str::to_owned) {
                routing::notify(
                    st,
                    &owner,
                    &psid,
                    now,
                    "request_thread_control",
                    json!({"requested_owner_app_id": routing::app_value(&ours), "metadata": metadata}),
                );
            }
            Ok(json!({"success": true}))
        })
    })
}

/// The owner keeps control longer: up to 7 days from now.
pub async fn extend_thread_control(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let b = object(&body)?;
        let psid = recipient_psid(&emu, b)?;
        let seconds = b
            .get("duration")
            .and_then(Value::as_i64)
            .ok_or_else(|| GraphError::param("param duration must be a number of seconds"))?;
        if !(1..=routing::MAX_EXTEND_MS / 1000).contains(&seconds) {
            return Err(GraphError::param(
                "param duration must be between 1 second and 7 days",
            ));
        }
        emu.with(|st| {
            if st.routing.owner(&psid, now) != Some(st.page.app_id.as_str()) {
                return Err(routing::thread_taken());
            }
            if let Some(t) = st.routing.threads.get_mut(&psid) {
                t.expiration = now + seconds * 1000;
            }
            Ok(json!({"success": true}))
        })
    })
}

/// Who controls the thread, and until when; answered only to the owner or the default app.
pub async fn thread_owner(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    let now = emu.now();
    graph(&emu, &q, &h, || {
        let psid = q
            .get("recipient")
            .ok_or_else(|| GraphError::param("param recipient must be non-empty."))?;
        emu.with(|st| {
            let ours = st.page.app_id.as_str();
            let owner = st.routing.owner(psid, now);
            let default = st.routing.default_app_id.as_deref() == Some(ours);
            if owner.is_some_and(|o| o != ours) && !default {
                return Err(GraphError::new(
                    10,
                    None,
                    "(#10) Only the thread owner or the Page's default app may read the thread owner.",
                ));
            }
            Ok(match (owner, st.routing.expiration(psid, now)) {
                (Some(app), Some(exp)) => {
                    json!({"data": [{"thread_owner": {"app_id": app, "expiration": exp / 1000}}]})
                }
                _ => json!({"data": []}),
            })
        })
    })
}

/// Meta's limit on an uploaded attachment.
const MAX_UPLOAD: usize = 25 * 1024 * 1024;

/// `POST /me/message_attachments`: by address (JSON `message.attachment.payload.url`) or with
/// the file itself (multipart: `message` and `filedata`). Answers a reusable `attachment_id`.
pub async fn attachment_upload(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    use axum::extract::FromRequest;
    let multipart = h
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (message, file) = if multipart {
        match read_upload(axum::extract::Multipart::from_request(request, &()).await).await {
            Ok(parts) => parts,
            Err(e) => return e.into_response(),
        }
    } else {
        let body = Json::<Value>::from_request(request, &()).await.ok();
        (body.map(|Json(v)| v), None)
    };
    graph(&emu, &q, &h, || {
        let a = message
            .as_ref()
            .and_then(|m| {
                m.pointer("/message/attachment")
                    .or(m.pointer("/attachment"))
            })
            .cloned()
            .ok_or_else(|| GraphError::param("param message[attachment] must be non-empty."))?;
        let kind = a.get("type").and_then(Value::as_str).unwrap_or("");
        if !["image", "audio", "video", "file"].contains(&kind) {
            return Err(GraphError::param(format!(
                "Param message[attachment][type] must be one of {{IMAGE, AUDIO, VIDEO, FILE}} - got \"{kind}\""
            )));
        }
        let by_url = a
            .pointer("/payload/url")
            .and_then(Value::as_str)
            .is_some_and(|u| u.starts_with("http"));
        let upload_failure =
            || GraphError::new(100, Some(2018047), "(#100) Upload attachment failure.");
        match &file {
            Some((_, bytes)) if bytes.is_empty() || bytes.len() > MAX_UPLOAD => {
                return Err(upload_failure());
            }
            None if !by_url => return Err(upload_failure()),
            _ => {}
        }
        let id = emu.digits(15);
        emu.with(|st| st.attachments.insert(id.clone(), a));
        if let Some(file) = file {
            emu.keep_upload(&id, file);
        }
        Ok(json!({ "attachment_id": id }))
    })
}

/// The `message` field (JSON) and the `filedata` file (content type, bytes) of a multipart
/// upload.
async fn read_upload(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(Option<Value>, Option<(String, Vec<u8>)>), GraphError> {
    let bad = |e: &dyn std::fmt::Display| GraphError::param(format!("malformed upload: {e}"));
    let mut multipart = multipart.map_err(|e| bad(&e))?;
    let (mut message, mut file) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        match field.name() {
            Some("message") => {
                let text = field.text().await.map_err(|e| bad(&e))?;
                message = Some(
                    json!({ "message": serde_json::from_str::<Value>(&text).map_err(|e| bad(&e))? }),
                );
            }
            Some("filedata") => {
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field.bytes().await.map_err(|e| bad(&e))?;
                file = Some((content_type, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Ok((message, file))
}

/// Meta's library of pre-approved utility templates, to clone by `library_template_name`.
const LIBRARY: [(&str, &str); 4] = [
    (
        "order_shipped",
        "Hi {{first_name}}, your order {{order_id}} has shipped.",
    ),
    (
        "appointment_reminder",
        "Hi {{first_name}}, this is a reminder of your appointment on {{date}} at {{time}}.",
    ),
    (
        "payment_received",
        "Hi {{first_name}}, we received your payment of {{amount}} for order {{order_id}}.",
    ),
    (
        "account_password_changed",
        "Hi {{first_name}}, the password of your account was changed. If this wasn't you, reply to this message.",
    ),
];

pub async fn template_library(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph(&emu, &q, &h, || {
        let data: Vec<Value> = LIBRARY
            .iter()
            .map(|(name, body)| json!({"name": name, "language": "en", "category": "UTILITY", "components": [{"type": "BODY", "text": body}]}))
            .collect();
        Ok(json!({ "data": data }))
    })
}

/// The `{{name}}` placeholders of a template body.
fn placeholders(body: &str) -> Vec<String> {
    body.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| name.trim().to_owned())
        .collect()
}

pub async fn template_create(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    body: Option<Json<Value>>,
) -> Response {
    graph(&emu, &q, &h, || {
        if node != emu.config.page_id {
            return Err(GraphError::unsupported("post"));
        }
        let b = object(&body)?;
        let name = b
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| GraphError::param("param name must be non-empty."))?;
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(GraphError::param(
                "Template name can only contain lowercase letters, digits and underscores",
            ));
        }
        let language = b
            .get("language")
            .and_then(Value::as_str)
            .unwrap_or("en")
            .to_owned();
        let category = b
            .get("category")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let text = match b.get("library_template_name").and_then(Value::as_str) {
            Some(lib) => LIBRARY
                .iter()
                .find(|(n, _)| *n == lib)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| GraphError::param(format!("Unknown library template {lib}")))?,
            None => b
                .get("components")
                .and_then(Value::as_array)
                .and_then(|c| {
                    c.iter().find(|c| {
                        c.get("type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.eq_ignore_ascii_case("body"))
                    })
                })
                .and_then(|c| c.get("text").and_then(Value::as_str))
                .map(str::to_owned)
                .ok_or_else(|| {
                    GraphError::param("param components must contain a BODY component with text")
                })?,
        };
        // The emulator's own content review: utility only, nothing promotional.
        let rejected = if category != "UTILITY" {
            Some("INCORRECT_CATEGORY".to_owned())
        } else {
            promotional_word(&text).map(|w| format!("PROMOTIONAL_CONTENT: \"{w}\""))
        };
        let id = emu.digits(16);
        let status = if rejected.is_some() {
            "REJECTED"
        } else {
            "APPROVED"
        };
        let template = Template {
            id: id.clone(),
            name: name.to_owned(),
            language: language.clone(),
            category: category.clone(),
            status: status.into(),
            rejected_reason: rejected.clone(),
            parameters: placeholders(&text),
            body: text,
        };
        emu.with(|st| {
            st.templates.insert(id.clone(), template);
            crate::webhooks::enqueue_change(
                st,
                "messenger_template_status_update",
                json!({"event": status, "message_template_id": id, "message_template_name": name,
                       "message_template_language": language, "reason": rejected.clone().unwrap_or_else(|| "NONE".into())}),
            );
        });
        Ok(json!({ "id": id, "status": status, "category": category }))
    })
}

pub async fn templates_list(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph(&emu, &q, &h, || {
        let data: Vec<Value> = emu.with(|st| {
            st.templates
                .values()
                .map(|t| json!({"id": t.id, "name": t.name, "language": t.language, "status": t.status, "category": t.category,
                                "rejected_reason": t.rejected_reason, "components": [{"type": "BODY", "text": t.body}]}))
                .collect()
        });
        Ok(json!({ "data": data }))
    })
}

/// `GET /{page-id}/subscribed_apps`: the connected app and its fields, while subscribed.
pub async fn subscribed_apps(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph_with(&emu, &q, &h, "pages_manage_metadata", || {
        Ok(emu.with(|st| {
            let data: Vec<Value> = if st.page.subscribed() {
                vec![
                    json!({"id": st.page.app_id, "name": "Fenestra", "subscribed_fields": st.page.subscribed_fields}),
                ]
            } else {
                vec![]
            };
            json!({ "data": data })
        }))
    })
}

/// `DELETE /{page-id}/subscribed_apps`: the page stops sending webhooks to the app.
pub async fn unsubscribe(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    graph_with(&emu, &q, &h, "pages_manage_metadata", || {
        emu.with(|st| st.page.subscribed_fields.clear());
        Ok(json!({"success": true}))
    })
}

/// `POST /{page-id}/subscribed_apps?subscribed_fields=…` (in the query, a form or a JSON body,
/// as a comma list or an array): the page sends the app these fields, also after Meta dropped
/// the subscription.
pub async fn subscribe(
    State(emu): State<Arc<Emu>>,
    Query(q): Q,
    h: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let from_body = || -> Option<String> {
        if let Ok(v) = serde_json::from_slice::<Value>(&body) {
            return match v.get("subscribed_fields")? {
                Value::Array(list) => Some(
                    list.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                other => other.as_str().map(str::to_owned),
            };
        }
        serde_urlencoded::from_bytes::<HashMap<String, String>>(&body)
            .ok()?
            .remove("subscribed_fields")
    };
    let list = q
        .get("subscribed_fields")
        .cloned()
        .or_else(from_body)
        .unwrap_or_default();
    graph_with(&emu, &q, &h, "pages_manage_metadata", || {
        let fields = crate::webhooks::parse_fields(&list)?;
        emu.with(|st| {
            st.page.subscribed_fields = fields;
            st.page.failing_since = None;
        });
        Ok(json!({"success": true}))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_in_order() {
        assert_eq!(
            super::placeholders("Hi {{first_name}}, order {{ order_id }} shipped"),
            ["first_name", "order_id"]
        );
        assert!(super::placeholders("no params").is_empty());
    }
}
