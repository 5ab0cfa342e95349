//! `POST /{version}/me/messages`: the Send API, validated and enforced as Meta does.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::Emu;
use crate::error::GraphError;
use crate::rules::*;
use crate::state::{Received, SendRecord, State as S};

/// The recipient forms of the Send API; exactly one may be given.
const RECIPIENT_FORMS: [&str; 7] = [
    "id",
    "user_ref",
    "phone_number",
    "comment_id",
    "post_id",
    "one_time_notif_token",
    "notification_messages_token",
];
const MESSAGE_KEYS: [&str; 6] = [
    "text",
    "attachment",
    "quick_replies",
    "metadata",
    "template",
    "sticker_id",
];
const MESSAGING_TYPES: [&str; 4] = ["RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"];

/// Meta finishes a send whether or not the caller is still waiting for the answer, so the
/// work runs in its own task: a client that times out leaves a message that may have gone out.
pub async fn send(
    State(emu): State<Arc<Emu>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let work = tokio::spawn(async move { respond(&emu, uri.path(), &q, &headers, &body).await });
    work.await.unwrap_or_else(|e| {
        GraphError::new(1, None, format!("An unknown error occurred: {e}")).into_response()
    })
}

async fn respond(
    emu: &Emu,
    path: &str,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let request: Value = serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()));
    // `act_<AD_ACCOUNT>/messages` is the paid Marketing Message API, not the Send API.
    let account = path
        .split('/')
        .find(|seg| seg.starts_with("act_"))
        .map(str::to_owned);
    let outcome = match account {
        Some(account) => crate::marketing::send(emu, &account, q, headers, body),
        None => handle(emu, q, headers, body).await,
    };
    let (status, code, subcode) = match &outcome {
        Ok(_) => (200, None, None),
        Err(e) => (e.status.as_u16(), Some(e.code), e.subcode),
    };
    let accepted = outcome.as_ref().ok();
    let record = SendRecord {
        at: emu.now(),
        path: path.to_owned(),
        metadata: request
            .pointer("/message/metadata")
            .and_then(Value::as_str)
            .map(str::to_owned),
        request,
        outcome: if accepted.is_some() {
            "accepted"
        } else {
            "error"
        }
        .into(),
        status,
        code,
        subcode,
        message_id: accepted
            .and_then(|v| v["message_id"].as_str())
            .map(str::to_owned),
        recipient_id: accepted
            .and_then(|v| v["recipient_id"].as_str())
            .map(str::to_owned),
    };
    emu.with(|st| st.sends.push(record));
    match outcome {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The access token, from `access_token` or `Authorization: Bearer`, must be a page token with
/// `pages_messaging`.
pub fn authorize(
    emu: &Emu,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<(), GraphError> {
    authorize_with(emu, q, headers, "pages_messaging")
}

/// The access token must be a page token with `permission`.
pub fn authorize_with(
    emu: &Emu,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
    permission: &str,
) -> Result<(), GraphError> {
    let token = crate::login::token_of(q, headers).ok_or_else(GraphError::no_token)?;
    let now = emu.now();
    emu.with(|st| crate::login::check_page_token(st, token, permission, now))
}

async fn handle(
    emu: &Emu,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, GraphError> {
    authorize(emu, q, headers)?;
    let faults = emu.with(|st| st.faults.clone());
    if faults.send_latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.send_latency_ms)).await;
    }
    if emu.chance(faults.send_error_rate) {
        return Err(GraphError::temporary());
    }
    let req: Value = serde_json::from_slice(body)
        .map_err(|e| GraphError::param(format!("Invalid JSON payload: {e}")))?;
    let req = req
        .as_object()
        .ok_or_else(|| GraphError::param("The request body must be a JSON object"))?;
    let now = emu.now();
    let mid = emu.new_mid();
    emu.with(|st| {
        rate_limit(st, now)?;
        if st.page.restricted {
            return Err(GraphError::restricted());
        }
        let send = Send::parse(req, st, now)?;
        send.apply(st, now, mid)
    })
}

/// At most `rate_limit_per_sec` calls in each second of the clock.
fn rate_limit(st: &mut S, now: i64) -> Result<(), GraphError> {
    let limit = st.page.rate_limit_per_sec;
    let second = now / 1000;
    if st.rate_window.0 != second {
        st.rate_window = (second, 0);
    }
    st.rate_window.1 += 1;
    if limit > 0 && st.rate_window.1 > limit {
        Err(GraphError::rate_limited())
    } else {
        Ok(())
    }
}

/// A validated request.
struct Send<'a> {
    psid: String,
    /// The recipient form used, and its value.
    form: (&'static str, String),
    messaging_type: &'a str,
    tag: Option<&'a str>,
    message: Option<&'a Map<String, Value>>,
    sender_action: Option<&'a str>,
    persona_id: Option<String>,
    /// `thread_control` inside the send: what happens to the thread once it is sent.
    thread_control: Option<ThreadControl>,
}

/// `{"control_type": "pass"|"release", "app_id"?}`; without `control_type` it releases.
enum ThreadControl {
    Pass(Option<String>),
    Release,
}

fn str_param<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    name: &str,
) -> Result<Option<&'a str>, GraphError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(GraphError::param(format!("Param {name} must be a string"))),
    }
}

impl<'a> Send<'a> {
    fn parse(req: &'a Map<String, Value>, st: &S, now: i64) -> Result<Send<'a>, GraphError> {
        let recipient = match req.get("recipient") {
            None | Some(Value::Null) => {
                return Err(GraphError::param("param recipient must be non-empty."));
            }
            Some(Value::Object(r)) if r.is_empty() => {
                return Err(GraphError::param("param recipient must be non-empty."));
            }
            Some(Value::Object(r)) => r,
            Some(_) => return Err(GraphError::param("param recipient must be a JSON object")),
        };
        let forms: Vec<(&'static str, String)> = RECIPIENT_FORMS
            .iter()
            .filter_map(|f| recipient.get(*f).filter(|v| !v.is_null()).map(|v| (*f, v)))
            .map(|(f, v)| match v {
                Value::String(s) => Ok((f, s.clone())),
                Value::Number(n) => Ok((f, n.to_string())),
                _ => Err(GraphError::param(format!(
                    "Param recipient[{f}] must be a string"
                ))),
            })
            .collect::<Result<_, _>>()?;
        if let Some(k) = recipient
            .keys()
            .find(|k| !RECIPIENT_FORMS.contains(&k.as_str()))
        {
            return Err(GraphError::param(format!(
                "Param recipient[{k}] is not a valid recipient field"
            )));
        }
        let form = match forms.len() {
            0 => return Err(GraphError::param("param recipient must be non-empty.")),
            1 => forms.into_iter().next().expect("one form"),
            _ => {
                return Err(GraphError::param(
                    "Only one of recipient[id], recipient[user_ref], recipient[phone_number], recipient[comment_id], recipient[post_id], recipient[one_time_notif_token] and recipient[notification_messages_token] may be set",
                ));
            }
        };

        let message = match req.get("message") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => return Err(GraphError::param("param message must be a JSON object")),
        };
        let sender_action = str_param(req, "sender_action", "sender_action")?;
        match (message.is_some(), sender_action.is_some()) {
            (true, true) => {
                return Err(GraphError::param(
                    "Cannot send both message and state at the same time.",
                ));
            }
            (false, false) => return Err(GraphError::param("Must send either message or state")),
            _ => {}
        }
        if let Some(a) = sender_action
            && !["typing_on", "typing_off", "mark_seen", "react", "unreact"].contains(&a)
        {
            return Err(GraphError::param(format!(
                "Param sender_action must be one of {{TYPING_ON, TYPING_OFF, MARK_SEEN, REACT, UNREACT}} - got \"{a}\""
            )));
        }
        let messaging_type =
            str_param(req, "messaging_type", "messaging_type")?.unwrap_or("RESPONSE");
        if !MESSAGING_TYPES.contains(&messaging_type) {
            return Err(GraphError::param(format!(
                "Param messaging_type must be one of {{RESPONSE, UPDATE, MESSAGE_TAG, UTILITY}} - got \"{messaging_type}\""
            )));
        }
        let tag = str_param(req, "tag", "tag")?;
        if let Some(t) = tag {
            if RETIRED_TAGS.contains(&t) && now >= TOPIC_TAGS_RETIRED_MS {
                return Err(GraphError::param("Invalid parameter"));
            }
            if !TAGS.contains(&t) {
                return Err(GraphError::param(format!(
                    "Param tag must be one of {{{}}} - got \"{t}\"",
                    tags_in_force(now).join(", ")
                )));
            }
        }
        if messaging_type == "MESSAGE_TAG" && tag.is_none() {
            return Err(GraphError::param(
                "Param tag is required when messaging_type is MESSAGE_TAG",
            ));
        }
        if let Some(m) = message {
            validate_message(m, messaging_type, st)?;
        }
        let persona_id = str_param(req, "persona_id", "persona_id")?.map(str::to_owned);
        if let Some(p) = &persona_id
            && !st.personas.contains_key(p)
        {
            return Err(GraphError::param(format!("Invalid persona_id {p}")));
        }
        let thread_control = match req.get("thread_control") {
            None | Some(Value::Null) => None,
            Some(Value::Object(tc)) => {
                let app = tc.get("app_id").and_then(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .or_else(|| v.as_u64().map(|n| n.to_string()))
                });
                match tc.get("control_type").and_then(Value::as_str) {
                    Some("pass") => Some(ThreadControl::Pass(app)),
                    Some("release") | None => Some(ThreadControl::Release),
                    Some(other) => {
                        return Err(GraphError::param(format!(
                            "Param thread_control[control_type] must be one of {{PASS, RELEASE}} - got \"{other}\""
                        )));
                    }
                }
            }
            Some(_) => {
                return Err(GraphError::param(
                    "param thread_control must be a JSON object",
                ));
            }
        };
        let psid = resolve(&form, st, now)?;
        Ok(Send {
            psid,
            form,
            messaging_type,
            tag,
            message,
            sender_action,
            persona_id,
            thread_control,
        })
    }

    /// Enforces the window and tag rules for this person, then delivers.
    fn apply(self, st: &mut S, now: i64, mid: String) -> Result<Value, GraphError> {
        let user = st.users.get(&self.psid).ok_or_else(GraphError::no_user)?;
        if user.blocked {
            return Err(GraphError::unavailable());
        }
        if self.form.0 == "id" {
            crate::routing::check_send(st, &self.psid, now)?;
        }
        if let Some(action) = self.sender_action {
            let user = st.users.get_mut(&self.psid).expect("checked above");
            match action {
                "typing_on" => user.typing_until = Some(now + TYPING_MS),
                "typing_off" => user.typing_until = None,
                "mark_seen" => user.seen_at = Some(now),
                _ => {}
            }
            return Ok(json!({ "recipient_id": self.psid }));
        }
        let since = user.last_interaction_at.map(|t| now - t);
        let within = |limit: i64| since.is_some_and(|s| s < limit);
        let mut text = self
            .message
            .and_then(|m| m.get("text"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        match (self.form.0, self.messaging_type, self.tag) {
            ("id" | "user_ref", "UTILITY", _) => {
                if !st.page.utility_messaging {
                    return Err(GraphError::permission(
                        "Utility messages require the page_utility_messaging permission",
                    ));
                }
                text = Some(render_utility(
                    self.message.and_then(|m| m.get("template")),
                    st,
                )?);
            }
            ("id" | "user_ref", "MESSAGE_TAG", Some("HUMAN_AGENT")) => {
                if !st.page.human_agent_approved {
                    return Err(GraphError::permission(
                        "The HUMAN_AGENT tag requires the Human Agent feature for this Page",
                    ));
                }
                if !within(HUMAN_AGENT_WINDOW_MS) {
                    return Err(GraphError::outside_window());
                }
            }
            ("id" | "user_ref", "MESSAGE_TAG", Some("NON_PROMOTIONAL_SUBSCRIPTION"))
                if !st.page.news_page_index =>
            {
                return Err(GraphError::new(
                    10,
                    Some(2018065),
                    "(#10) This message is sent outside of allowed window. You need page_messaging_subscriptions permission to be able to do it.",
                ));
            }
            ("id" | "user_ref", "MESSAGE_TAG", _) => {}
            ("id" | "user_ref", _, _) if !within(STANDARD_WINDOW_MS) => {
                return Err(GraphError::outside_window());
            }
            _ => {}
        }
        if let Some(title) = optin_request_title(self.message) {
            // An opt-in request goes only inside the window, whatever the tag.
            if !within(STANDARD_WINDOW_MS) {
                return Err(GraphError::outside_window());
            }
            st.marketing.record_request(&self.psid, &title, now)?;
        }
        consume(&self.form, st, now);
        let message = self
            .message
            .expect("a message when there is no sender action");
        let received = Received {
            mid: mid.clone(),
            text: text.clone(),
            attachment: message.get("attachment").cloned(),
            quick_replies: message.get("quick_replies").cloned(),
            messaging_type: self.messaging_type.to_owned(),
            tag: self.tag.map(str::to_owned),
            persona_id: self.persona_id.clone(),
            metadata: message
                .get("metadata")
                .and_then(Value::as_str)
                .map(str::to_owned),
            at: now,
        };
        let user = st.users.get_mut(&self.psid).expect("checked above");
        user.inbox.push(received);
        // The Page's message ends its typing indicator.
        user.typing_until = None;
        if self.form.0 == "id" {
            crate::routing::after_send(st, &self.psid, now);
        }
        let page_id = st.page.id.clone();
        let app_id: Value = st
            .page
            .app_id
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(st.page.app_id.clone()));
        let mut echo = json!({"is_echo": true, "app_id": app_id, "mid": mid});
        if let Some(t) = &text {
            echo["text"] = json!(t);
        }
        if let Some(meta) = message.get("metadata") {
            echo["metadata"] = meta.clone();
        }
        if let Some(a) = message.get("attachment") {
            echo["attachments"] = json!([{"type": a["type"], "payload": a["payload"]}]);
        }
        crate::webhooks::enqueue(
            st,
            json!({"sender": {"id": page_id}, "recipient": {"id": self.psid}, "timestamp": now, "message": echo}),
        );
        crate::webhooks::enqueue(
            st,
            json!({"sender": {"id": self.psid}, "recipient": {"id": page_id}, "delivery": {"mids": [mid], "watermark": now}}),
        );
        match self.thread_control {
            Some(ThreadControl::Pass(app)) => {
                let ours = st.page.app_id.clone();
                let target = app
                    .or_else(|| st.routing.default_app_id.clone())
                    .unwrap_or(ours.clone());
                crate::routing::pass(st, &self.psid, Some(&ours), &target, Value::Null, now);
            }
            Some(ThreadControl::Release) => st.routing.release(&self.psid),
            None => {}
        }
        Ok(json!({ "recipient_id": self.psid, "message_id": mid }))
    }
}

fn validate_message(
    m: &Map<String, Value>,
    messaging_type: &str,
    st: &S,
) -> Result<(), GraphError> {
    if let Some(k) = m.keys().find(|k| !MESSAGE_KEYS.contains(&k.as_str())) {
        return Err(GraphError::param(format!(
            "Param message[{k}] is not a valid parameter"
        )));
    }
    let text = str_param(m, "text", "message[text]")?;
    if let Some(t) = text
        && t.chars().count() > 2000
    {
        return Err(GraphError::param(
            "Length of param message[text] must be less than or equal to 2000",
        ));
    }
    let attachment = m.get("attachment").filter(|v| !v.is_null());
    let template = m.get("template").filter(|v| !v.is_null());
    if messaging_type == "UTILITY" {
        if template.is_none() {
            return Err(GraphError::param(
                "Param message[template] is required when messaging_type is UTILITY",
            ));
        }
    } else if template.is_some() {
        return Err(GraphError::param(
            "Param message[template] is only valid when messaging_type is UTILITY",
        ));
    }
    match (text.is_some(), attachment.is_some(), template.is_some()) {
        (true, true, _) => {
            return Err(GraphError::param(
                "Only one of message[text] and message[attachment] may be set",
            ));
        }
        (false, false, false) => {
            return Err(GraphError::param(
                "param message must have text or attachment",
            ));
        }
        _ => {}
    }
    if let Some(a) = attachment {
        validate_attachment(a, st)?;
    }
    if let Some(m) = str_param(m, "metadata", "message[metadata]")?
        && m.chars().count() > 1000
    {
        return Err(GraphError::param(
            "Length of param message[metadata] must be less than or equal to 1000",
        ));
    }
    match m.get("quick_replies") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(qrs)) => {
            if qrs.len() > 13 {
                return Err(GraphError::param(
                    "param message[quick_replies] must have at most 13 elements",
                ));
            }
            for (i, qr) in qrs.iter().enumerate() {
                let ct = qr.get("content_type").and_then(Value::as_str).unwrap_or("");
                if !["text", "user_phone_number", "user_email"].contains(&ct) {
                    return Err(GraphError::param(format!(
                        "Param message[quick_replies][{i}][content_type] must be one of {{TEXT, USER_PHONE_NUMBER, USER_EMAIL}}"
                    )));
                }
                if ct == "text" {
                    let title = qr.get("title").and_then(Value::as_str).unwrap_or("");
                    if title.is_empty() {
                        return Err(GraphError::param(format!(
                            "param message[quick_replies][{i}][title] must be non-empty."
                        )));
                    }
                    if title.chars().count() > 20 {
                        return Err(GraphError::param(format!(
                            "Param message[quick_replies][{i}][title] must be at most 20 characters"
                        )));
                    }
                    if qr
                        .get("payload")
                        .and_then(Value::as_str)
                        .is_some_and(|p| p.chars().count() > 1000)
                    {
                        return Err(GraphError::param(format!(
                            "Param message[quick_replies][{i}][payload] must be at most 1000 characters"
                        )));
                    }
                }
            }
            Ok(())
        }
        Some(_) => Err(GraphError::param(
            "Param message[quick_replies] must be an array",
        )),
    }
}

fn validate_attachment(a: &Value, st: &S) -> Result<(), GraphError> {
    let kind = a.get("type").and_then(Value::as_str).unwrap_or("");
    let payload = a.get("payload").cloned().unwrap_or(Value::Null);
    match kind {
        "image" | "audio" | "video" | "file" => {
            let url = payload.get("url").and_then(Value::as_str);
            let id = payload.get("attachment_id").and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_u64().map(|n| n.to_string()))
            });
            match (url, id) {
                (Some(u), _) if u.starts_with("http://") || u.starts_with("https://") => Ok(()),
                (None, Some(id)) if st.attachments.contains_key(&id) => Ok(()),
                (None, Some(_)) => Err(GraphError::param("Invalid attachment_id")),
                _ => Err(GraphError::param(
                    "Param message[attachment][payload][url] must be a valid URL",
                )),
            }
        }
        "template" => {
            let tt = payload
                .get("template_type")
                .and_then(Value::as_str)
                .unwrap_or("");
            match tt {
                "button" => {
                    let buttons = payload
                        .get("buttons")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    if payload
                        .get("text")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                    {
                        Err(GraphError::param(
                            "param message[attachment][payload][text] must be non-empty.",
                        ))
                    } else if !(1..=3).contains(&buttons) {
                        Err(GraphError::param(
                            "param message[attachment][payload][buttons] must have 1 to 3 elements",
                        ))
                    } else {
                        Ok(())
                    }
                }
                "generic" => {
                    let elements = payload
                        .get("elements")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if !(1..=10).contains(&elements.len()) {
                        return Err(GraphError::param(
                            "param message[attachment][payload][elements] must have 1 to 10 elements",
                        ));
                    }
                    for (i, e) in elements.iter().enumerate() {
                        let len = |k: &str| {
                            e.get(k)
                                .and_then(Value::as_str)
                                .map_or(0, |t| t.chars().count())
                        };
                        if !(1..=80).contains(&len("title")) {
                            return Err(GraphError::param(format!(
                                "param message[attachment][payload][elements][{i}][title] must be 1 to 80 characters"
                            )));
                        }
                        if len("subtitle") > 80 {
                            return Err(GraphError::param(format!(
                                "param message[attachment][payload][elements][{i}][subtitle] must be at most 80 characters"
                            )));
                        }
                        if e.get("buttons")
                            .and_then(Value::as_array)
                            .is_some_and(|b| b.len() > 3)
                        {
                            return Err(GraphError::param(format!(
                                "param message[attachment][payload][elements][{i}][buttons] must have at most 3 elements"
                            )));
                        }
                    }
                    Ok(())
                }
                "notification_messages" => check_optin_request(&payload),
                "media" | "receipt" | "one_time_notif_req" | "customer_feedback" | "product" => {
                    Ok(())
                }
                other => Err(GraphError::param(format!(
                    "Invalid template_type \"{other}\""
                ))),
            }
        }
        other => Err(GraphError::param(format!(
            "Param message[attachment][type] must be one of {{IMAGE, AUDIO, VIDEO, FILE, TEMPLATE}} - got \"{other}\""
        ))),
    }
}

/// The title of a marketing-message opt-in request (`template_type: notification_messages`).
fn optin_request_title(message: Option<&Map<String, Value>>) -> Option<String> {
    let payload = message?.get("attachment")?.get("payload")?;
    (payload.get("template_type")?.as_str()? == "notification_messages").then(|| {
        payload
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("Updates and promotions")
            .to_owned()
    })
}

const OPTIN_CTA: [&str; 5] = ["ALLOW", "GET", "GET_UPDATES", "OPT_IN", "SIGN_UP"];

fn check_optin_request(payload: &Value) -> Result<(), GraphError> {
    let title = payload.get("title").and_then(Value::as_str).unwrap_or("");
    if title.chars().count() > 65 {
        return Err(GraphError::param(
            "param message[attachment][payload][title] must be at most 65 characters",
        ));
    }
    if payload
        .get("payload")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(GraphError::param(
            "param message[attachment][payload][payload] must be non-empty.",
        ));
    }
    match payload
        .get("notification_messages_cta_text")
        .and_then(Value::as_str)
    {
        Some(cta) if !OPTIN_CTA.contains(&cta) => Err(GraphError::param(format!(
            "param message[attachment][payload][notification_messages_cta_text] must be one of {{{}}}",
            OPTIN_CTA.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// The PSID a recipient form addresses, checking what can be checked before the rules.
fn resolve(form: &(&'static str, String), st: &S, now: i64) -> Result<String, GraphError> {
    let (kind, value) = (form.0, form.1.as_str());
    match kind {
        "id" => st
            .users
            .contains_key(value)
            .then(|| value.to_owned())
            .ok_or_else(GraphError::no_user),
        "user_ref" | "post_id" => Err(GraphError::no_user()),
        "phone_number" => Err(GraphError::new(
            200,
            Some(2018021),
            "(#200) Requires phone matching access fee to be paid by this page unless the recipient user is an admin, developer, or tester of the app.",
        )),
        "comment_id" => {
            let c = st
                .comments
                .get(value)
                .filter(|c| !c.deleted)
                .ok_or_else(|| GraphError::param(format!("Invalid comment_id {value}")))?;
            if c.psid.is_empty() {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) A private reply cannot be sent to a Page's own comment.",
                ))
            } else if c.private_reply_sent {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) A private reply has already been sent for this comment.",
                ))
            } else if now - c.at >= PRIVATE_REPLY_MS {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) This comment is too old for a private reply (7 days).",
                ))
            } else {
                Ok(c.psid.clone())
            }
        }
        "one_time_notif_token" => {
            let (psid, t) = st
                .users
                .values()
                .find_map(|u| {
                    u.one_time_tokens
                        .iter()
                        .find(|t| t.token == value)
                        .map(|t| (u.psid.clone(), t))
                })
                .ok_or_else(|| GraphError::param("Invalid one_time_notif_token"))?;
            if t.used {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) This one-time notification token has already been used.",
                ))
            } else if now - t.issued_at >= ONE_TIME_TOKEN_MS {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) This one-time notification token has expired.",
                ))
            } else {
                Ok(psid)
            }
        }
        _ => {
            let (psid, t) = st
                .users
                .values()
                .find_map(|u| {
                    u.notification_tokens
                        .iter()
                        .find(|t| t.token == value)
                        .map(|t| (u.psid.clone(), t))
                })
                .ok_or_else(|| GraphError::param("Invalid notification_messages_token"))?;
            let region = &st.users[&psid].region;
            if now >= RECURRING_DISCONTINUED_MS && !kept_recurring_notifications(region) {
                return Err(GraphError::param(
                    "Recurring notifications are no longer available; use the Marketing Messages API",
                ));
            }
            let spacing = if now >= RECURRING_48H_MS {
                frequency_ms(&t.frequency).max(2 * DAY_MS)
            } else {
                frequency_ms(&t.frequency)
            };
            if t.stopped {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) The person stopped these notifications.",
                ))
            } else if now >= t.expires_at {
                Err(GraphError::new(
                    10,
                    None,
                    "(#10) This notification_messages_token has expired.",
                ))
            } else if t.last_sent_at.is_some_and(|last| now - last < spacing) {
                Err(GraphError::new(
                    4,
                    Some(2018354),
                    "(#4) There has to be a minimum delay between 2 notifications for the given notification",
                ))
            } else {
                Ok(psid)
            }
        }
    }
}

/// Marks single-use paths used once the send is certain.
fn consume(form: &(&'static str, String), st: &mut S, now: i64) {
    let value = form.1.as_str();
    match form.0 {
        "comment_id" => {
            if let Some(c) = st.comments.get_mut(value) {
                c.private_reply_sent = true;
            }
        }
        "one_time_notif_token" => {
            for t in st
                .users
                .values_mut()
                .flat_map(|u| u.one_time_tokens.iter_mut())
                .filter(|t| t.token == value)
            {
                t.used = true;
            }
        }
        "notification_messages_token" => {
            for t in st
                .users
                .values_mut()
                .flat_map(|u| u.notification_tokens.iter_mut())
                .filter(|t| t.token == value)
            {
                t.last_sent_at = Some(now);
            }
        }
        _ => {}
    }
}

/// The text of a utility message: an approved template with every parameter filled.
fn render_utility(template: Option<&Value>, st: &S) -> Result<String, GraphError> {
    let t = template.ok_or_else(|| {
        GraphError::param("Param message[template] is required when messaging_type is UTILITY")
    })?;
    let name = t
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::param("param message[template][name] must be non-empty."))?;
    let language = t
        .pointer("/language/code")
        .and_then(Value::as_str)
        .unwrap_or("en");
    let tpl = st
        .templates
        .values()
        .find(|x| x.name == name && x.language == language)
        .ok_or_else(|| {
            GraphError::new(
                100,
                None,
                format!("(#100) Template name {name} does not exist in {language}"),
            )
        })?;
    if tpl.status != "APPROVED" {
        return Err(GraphError::new(
            100,
            None,
            format!(
                "(#100) Template {name} is not approved (status {})",
                tpl.status
            ),
        ));
    }
    let mut values: HashMap<String, String> = HashMap::new();
    for component in t
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if component
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|c| c.eq_ignore_ascii_case("body"))
        {
            for p in component
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(n), Some(v)) = (
                    p.get("parameter_name").and_then(Value::as_str),
                    p.get("text").and_then(Value::as_str),
                ) {
                    values.insert(n.to_owned(), v.to_owned());
                }
            }
        }
    }
    let missing: Vec<&str> = tpl
        .parameters
        .iter()
        .filter(|p| !values.contains_key(*p))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(GraphError::new(
            100,
            None,
            format!(
                "(#100) Number of parameters does not match the expected number of params: missing {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(tpl.parameters.iter().fold(tpl.body.clone(), |body, p| {
        body.replace(&format!("{{{{{p}}}}}"), &values[p])
    }))
}
