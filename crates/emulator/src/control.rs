//! `/_emulator/*`: play the customers, read what happened, move the clock, inject faults.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Emu;
use crate::clock::rfc3339;
use crate::routing;
use crate::rules::*;
use crate::state::{Faults, NotificationToken, OneTimeToken, Received, State as S, User, Written};
use crate::webhooks::{enqueue, enqueue_from};

pub fn routes() -> Router<Arc<Emu>> {
    Router::new()
        .route("/_emulator/users", get(users).post(create_user))
        .route("/_emulator/users/{psid}/say", post(say))
        .route("/_emulator/users/{psid}/quick_reply", post(quick_reply))
        .route("/_emulator/users/{psid}/postback", post(postback))
        .route("/_emulator/users/{psid}/referral", post(referral))
        .route("/_emulator/users/{psid}/optin", post(optin))
        .route("/_emulator/users/{psid}/ad_click", post(ad_click))
        .route(
            "/_emulator/users/{psid}/marketing_stop",
            post(crate::marketing::stop),
        )
        .route(
            "/_emulator/marketing",
            get(crate::marketing::control_get).post(crate::marketing::control_set),
        )
        .route("/_emulator/users/{psid}/react", post(react))
        .route("/_emulator/users/{psid}/read", post(read))
        .route("/_emulator/users/{psid}/block", post(block))
        .route("/_emulator/users/{psid}/report", post(report))
        .route("/_emulator/users/{psid}/unblock", post(unblock))
        .route("/_emulator/users/{psid}/inbox", get(inbox))
        .route("/_emulator/users/{psid}/handover", post(handover))
        .route("/_emulator/users/{psid}/inbox_reply", post(inbox_reply))
        .route("/_emulator/users/{psid}/lead_ad", post(lead_ad))
        .route(
            "/_emulator/users/{psid}/lead_ad/finish",
            post(lead_ad_finish),
        )
        .route("/_emulator/routing", get(routing_get).post(routing_set))
        .route("/_emulator/users/{psid}/sent", get(sent))
        .route("/_emulator/personas", get(personas))
        .route("/_emulator/profile", get(profile))
        .route("/_emulator/attachments/{id}", get(uploaded))
        .route("/_emulator/sends", get(sends))
        .route("/_emulator/webhooks", get(webhooks))
        .route("/_emulator/clock", get(clock))
        .route("/_emulator/clock/advance", post(advance))
        .route("/_emulator/faults", get(faults).post(set_faults))
        .route("/_emulator/page", get(page).post(set_page))
        .route("/_emulator/policy/enforce", post(enforce))
        .route("/_emulator/tokens/revoke", post(revoke_tokens))
        .route("/_emulator/reset", post(reset))
}

/// A control-API failure: status and a sentence.
pub(crate) struct Fail(pub StatusCode, pub String);

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

pub(crate) type Answer = Result<Json<Value>, Fail>;

pub(crate) fn bad(msg: impl Into<String>) -> Fail {
    Fail(StatusCode::BAD_REQUEST, msg.into())
}

pub(crate) fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Fail> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

/// Runs a customer action on `psid`; `f` returns the answer and may queue events.
pub(crate) fn act(
    emu: &Emu,
    psid: &str,
    f: impl FnOnce(&mut S, &str, i64) -> Result<Value, Fail>,
) -> Answer {
    let now = emu.now();
    emu.with(|st| {
        if !st.users.contains_key(psid) {
            return Err(Fail(
                StatusCode::NOT_FOUND,
                format!("no customer with PSID {psid}"),
            ));
        }
        f(st, &st.page.id.clone(), now).map(Json)
    })
}

pub(crate) fn customer_event(psid: &str, page: &str, now: i64, key: &str, value: Value) -> Value {
    json!({"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now, key: value})
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewUser {
    first_name: Option<String>,
    last_name: Option<String>,
    locale: Option<String>,
    timezone: Option<i32>,
    gender: Option<String>,
    /// ISO 3166 country (default `VN`).
    region: Option<String>,
    /// IANA time zone (default `Asia/Ho_Chi_Minh`).
    time_zone: Option<String>,
    /// The picture's address the User Profile API gives (default: one on Meta's CDN).
    profile_pic: Option<String>,
}

async fn create_user(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let u: NewUser = parse(&body)?;
    let psid = emu.digits(16);
    let user = User {
        psid: psid.clone(),
        user_id: emu.digits(15),
        first_name: u.first_name.unwrap_or_else(|| "Lan".into()),
        last_name: u.last_name.unwrap_or_else(|| "Tran".into()),
        locale: u.locale.unwrap_or_else(|| "vi_VN".into()),
        timezone: u.timezone.unwrap_or(7),
        gender: u.gender.unwrap_or_else(|| "female".into()),
        region: u.region.unwrap_or_else(|| "VN".into()).to_ascii_uppercase(),
        time_zone: u.time_zone.unwrap_or_else(|| "Asia/Ho_Chi_Minh".into()),
        profile_pic: u.profile_pic.unwrap_or_else(|| {
            format!("https://platform-lookaside.fbsbx.com/platform/profilepic/?psid={psid}")
        }),
        ..User::default()
    };
    emu.with(|st| st.users.insert(psid.clone(), user));
    Ok(Json(json!({ "psid": psid })))
}

async fn users(State(emu): State<Arc<Emu>>) -> Answer {
    let now = emu.now();
    Ok(Json(emu.with(|st| {
        json!(st.users.values().map(|u| {
            let owner = st.routing.owner(&u.psid, now).filter(|o| *o != st.page.app_id);
            json!({"psid": u.psid, "first_name": u.first_name, "last_name": u.last_name, "locale": u.locale,
            "timezone": u.timezone, "region": u.region, "time_zone": u.time_zone, "gender": u.gender,
            "profile_pic": u.profile_pic, "blocked": u.blocked, "typing": u.typing(now),
            "thread_owner": owner, "thread_owner_name": owner.map(|o| st.routing.name(o)),
            "user_id": u.user_id, "seen_at": u.seen_at.map(rfc3339), "last_interaction_at": u.last_interaction_at.map(rfc3339)})
        }).collect::<Vec<_>>())
    })))
}

#[derive(Deserialize)]
struct Say {
    text: String,
    #[serde(default)]
    reply_to: Option<String>,
}

/// The customer writes; opens (restarts) the 24-hour window.
/// 2025-10-06T00:00:00Z: answering a click-to-Messenger ad subscribes to marketing messages.
const ADS_SUBSCRIBE_MS: i64 = 1_759_708_800_000;

fn write(
    st: &mut S,
    psid: &str,
    page: &str,
    now: i64,
    mid: String,
    text: &str,
    extra: Value,
) -> Value {
    let user = st.users.get_mut(psid).expect("checked by act");
    user.last_interaction_at = Some(now);
    // Meta subscribes people who answer a click-to-Messenger ad to marketing messages
    // (generally available from 2025-10-06), with no opt-in webhook: the token list shows it.
    if user.from_ad_at.is_some() && now >= ADS_SUBSCRIBE_MS && user.notification_tokens.is_empty() {
        user.notification_tokens.push(NotificationToken {
            token: format!("ads{mid}")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(32)
                .collect(),
            title: "Updates and promotions".into(),
            created_at: now,
            last_marketing_at: None,
            payload: String::new(),
            frequency: String::new(),
            expires_at: i64::MAX,
            stopped: false,
            last_sent_at: None,
        });
    }
    user.wrote.push(Written {
        mid: mid.clone(),
        text: text.to_owned(),
        at: now,
    });
    let mut message = json!({"mid": mid, "text": text});
    if let Value::Object(extra) = extra {
        message.as_object_mut().expect("an object").extend(extra);
    }
    routing::customer_acted(st, psid, now);
    enqueue_from(
        st,
        psid,
        now,
        customer_event(psid, page, now, "message", message),
    );
    json!({ "mid": mid })
}

async fn say(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let s: Say = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        let extra = s
            .reply_to
            .map(|m| json!({"reply_to": {"mid": m}}))
            .unwrap_or(Value::Null);
        Ok(write(st, &psid, page, now, mid, &s.text, extra))
    })
}

#[derive(Deserialize)]
struct Tap {
    title: String,
    payload: String,
    #[serde(default, rename = "ref")]
    ref_: Option<String>,
}

async fn quick_reply(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let t: Tap = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        Ok(write(
            st,
            &psid,
            page,
            now,
            mid,
            &t.title,
            json!({"quick_reply": {"payload": t.payload}}),
        ))
    })
}

async fn postback(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let t: Tap = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        st.users
            .get_mut(&psid)
            .expect("checked")
            .last_interaction_at = Some(now);
        let mut pb = json!({"mid": mid, "title": t.title, "payload": t.payload});
        if let Some(r) = t.ref_ {
            pb["referral"] = json!({"ref": r, "source": "SHORTLINK", "type": "OPEN_THREAD"});
        }
        routing::customer_acted(st, &psid, now);
        enqueue_from(
            st,
            &psid,
            now,
            customer_event(&psid, page, now, "postback", pb),
        );
        Ok(json!({ "mid": mid }))
    })
}

#[derive(Deserialize)]
struct Referral {
    #[serde(rename = "ref")]
    ref_: String,
    #[serde(default = "shortlink")]
    source: String,
    #[serde(default)]
    ad_id: Option<String>,
}

fn shortlink() -> String {
    "SHORTLINK".into()
}

async fn referral(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let r: Referral = parse(&body)?;
    if !["SHORTLINK", "ADS", "CUSTOMER_CHAT_PLUGIN"].contains(&r.source.as_str()) {
        return Err(bad("source must be SHORTLINK, ADS or CUSTOMER_CHAT_PLUGIN"));
    }
    if r.source == "CUSTOMER_CHAT_PLUGIN" && emu.now() >= CHAT_PLUGIN_ENDED_MS {
        return Err(bad(
            "the Customer Chat Plugin ended on 2024-05-09: link to m.me instead",
        ));
    }
    act(&emu, &psid, |st, page, now| {
        st.users
            .get_mut(&psid)
            .expect("checked")
            .last_interaction_at = Some(now);
        let mut value = json!({"ref": r.ref_, "source": r.source, "type": "OPEN_THREAD"});
        if let Some(ad) = r.ad_id {
            value["ad_id"] = json!(ad);
        }
        routing::customer_acted(st, &psid, now);
        enqueue_from(
            st,
            &psid,
            now,
            customer_event(&psid, page, now, "referral", value),
        );
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
struct AdClick {
    ad_id: String,
    #[serde(default, rename = "ref")]
    ref_: Option<String>,
    #[serde(default)]
    ads_context_data: Option<Value>,
}

/// A click on a click-to-Messenger ad: on an existing thread a `messaging_referrals` event with
/// `source: "ADS"`; on a new one the referral rides on the Get Started postback. From
/// 2025-10-06, once the customer writes, they are subscribed to marketing messages without an
/// opt-in webhook (see [`write`]).
async fn ad_click(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let a: AdClick = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        let mut referral = json!({"source": "ADS", "type": "OPEN_THREAD", "ad_id": a.ad_id});
        if let Some(r) = &a.ref_ {
            referral["ref"] = json!(r);
        }
        if let Some(d) = &a.ads_context_data {
            referral["ads_context_data"] = d.clone();
        }
        let payload =
            crate::feed::get_started_payload(st).unwrap_or_else(|| "GET_STARTED".to_owned());
        let user = st.users.get_mut(&psid).expect("checked");
        let new_thread = user.last_interaction_at.is_none() && user.wrote.is_empty();
        user.last_interaction_at = Some(now);
        user.from_ad_at = Some(now);
        routing::customer_acted(st, &psid, now);
        let event = if new_thread {
            customer_event(
                &psid,
                page,
                now,
                "postback",
                json!({"mid": mid, "title": "Get Started", "payload": payload, "referral": referral}),
            )
        } else {
            customer_event(&psid, page, now, "referral", referral)
        };
        enqueue_from(st, &psid, now, event);
        Ok(json!({ "new_thread": new_thread }))
    })
}

#[derive(Deserialize)]
struct Optin {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: String,
    #[serde(default)]
    frequency: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

/// The customer accepts an opt-in request; the token goes out in the webhook.
async fn optin(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let o: Optin = parse(&body)?;
    let token = emu.token(32);
    act(&emu, &psid, |st, page, now| {
        let value = match o.kind.as_str() {
            "one_time_notif_req" => {
                let user = st.users.get_mut(&psid).expect("checked");
                user.one_time_tokens.push(OneTimeToken {
                    token: token.clone(),
                    payload: o.payload.clone(),
                    issued_at: now,
                    used: false,
                });
                json!({"type": "one_time_notif_req", "payload": o.payload, "one_time_notif_token": token})
            }
            "notification_messages" => {
                let frequency = o.frequency.clone().unwrap_or_else(|| "WEEKLY".into());
                let life = match frequency.as_str() {
                    "DAILY" => 180 * DAY_MS,
                    "WEEKLY" => 270 * DAY_MS,
                    "MONTHLY" => 365 * DAY_MS,
                    _ => return Err(bad("frequency must be DAILY, WEEKLY or MONTHLY")),
                };
                let title = o
                    .title
                    .clone()
                    .or_else(|| st.marketing.last_request_title(&psid))
                    .unwrap_or_else(|| "Updates and promotions".into());
                let user = st.users.get_mut(&psid).expect("checked");
                // Tokens stopped expiring on 2023-08-10, and so did the choice of cadence.
                let legacy = now < TOKENS_STOP_EXPIRING_MS;
                let expires_at = legacy.then_some(now + life);
                // One token per customer and Page: opting in again resumes it.
                let token = match user.notification_tokens.last_mut() {
                    Some(t) if !legacy => {
                        t.stopped = false;
                        t.title = title.clone();
                        t.token.clone()
                    }
                    _ => {
                        user.notification_tokens.push(NotificationToken {
                            token: token.clone(),
                            title: title.clone(),
                            created_at: now,
                            last_marketing_at: None,
                            payload: o.payload.clone(),
                            frequency: frequency.clone(),
                            expires_at: expires_at.unwrap_or(i64::MAX),
                            stopped: false,
                            last_sent_at: None,
                        });
                        token.clone()
                    }
                };
                let mut value = json!({"type": "notification_messages", "payload": o.payload, "notification_messages_token": token,
                       "notification_messages_timezone": user.time_zone, "user_token_status": "NOT_REFRESHED", "title": title});
                if let Some(e) = expires_at {
                    value["token_expiry_timestamp"] = json!(e);
                    value["notification_messages_frequency"] = json!(frequency);
                }
                value
            }
            "plugin" => {
                st.users
                    .get_mut(&psid)
                    .expect("checked")
                    .last_interaction_at = Some(now);
                json!({"ref": o.payload, "user_ref": token})
            }
            other => {
                return Err(bad(format!(
                    "type must be one_time_notif_req, notification_messages or plugin, not {other}"
                )));
            }
        };
        let token = value
            .get("notification_messages_token")
            .or_else(|| value.get("one_time_notif_token"))
            .or_else(|| value.get("user_ref"))
            .cloned();
        enqueue_from(
            st,
            &psid,
            now,
            customer_event(&psid, page, now, "optin", value),
        );
        Ok(json!({ "token": token }))
    })
}

#[derive(Deserialize)]
struct React {
    mid: String,
    #[serde(default = "love")]
    reaction: String,
}

fn love() -> String {
    "love".into()
}

fn emoji(reaction: &str) -> &'static str {
    match reaction {
        "like" => "\u{1F44D}",
        "smile" => "\u{1F606}",
        "wow" => "\u{1F62E}",
        "sad" => "\u{1F622}",
        "angry" => "\u{1F620}",
        _ => "\u{2764}",
    }
}

async fn react(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let r: React = parse(&body)?;
    act(&emu, &psid, |st, page, now| {
        let user = st.users.get_mut(&psid).expect("checked");
        if !user.inbox.iter().any(|m| m.mid == r.mid) {
            return Err(bad(format!("the customer received no message {}", r.mid)));
        }
        user.last_interaction_at = Some(now);
        enqueue(
            st,
            customer_event(
                &psid,
                page,
                now,
                "reaction",
                json!({"mid": r.mid, "action": "react", "reaction": r.reaction, "emoji": emoji(&r.reaction)}),
            ),
        );
        Ok(json!({}))
    })
}

/// The customer opens the conversation and reads everything received.
async fn read(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, page, now| {
        st.users.get_mut(&psid).expect("checked").read_at = Some(now);
        crate::marketing::customer_read(st, &psid, now);
        enqueue(
            st,
            customer_event(&psid, page, now, "read", json!({"watermark": now})),
        );
        Ok(json!({ "watermark": now }))
    })
}

async fn block(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, _, now| {
        let user = st.users.get_mut(&psid).expect("checked");
        user.blocked = true;
        user.blocked_at = Some(now);
        Ok(json!({}))
    })
}

/// The customer reports the conversation to Meta (and blocks the Page, as Messenger offers).
async fn report(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, _, now| {
        let user = st.users.get_mut(&psid).expect("checked");
        user.blocked = true;
        user.blocked_at.get_or_insert(now);
        user.reported_at = Some(now);
        Ok(json!({}))
    })
}

async fn unblock(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, _, _| {
        st.users.get_mut(&psid).expect("checked").blocked = false;
        Ok(json!({}))
    })
}

#[derive(Deserialize)]
struct Handover {
    /// What the other app does: `take` the thread, `pass` it (to `target_app_id`, by default
    /// the connected app), `request` it from its owner, `release` it, `extend` its control.
    action: String,
    /// The other app; the Business Suite inbox by default.
    #[serde(default = "page_inbox")]
    app_id: String,
    #[serde(default)]
    target_app_id: Option<String>,
    #[serde(default)]
    metadata: Value,
    /// For `extend`: seconds from now.
    #[serde(default)]
    duration: Option<i64>,
}

fn page_inbox() -> String {
    routing::PAGE_INBOX.into()
}

/// Another app (the Business Suite inbox, a lead-gen app, another bot) acts on the thread,
/// with the webhooks the connected app would receive.
async fn handover(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let h: Handover = parse(&body)?;
    act(&emu, &psid, |st, _, now| {
        if !st.routing.apps.iter().any(|a| a.id == h.app_id) {
            return Err(bad(format!(
                "no app {} on this Page (see /_emulator/routing)",
                h.app_id
            )));
        }
        let owner = st.routing.owner(&psid, now).map(str::to_owned);
        match h.action.as_str() {
            "take" => routing::take(st, &psid, &h.app_id, h.metadata.clone(), now),
            "pass" => {
                let target = h
                    .target_app_id
                    .clone()
                    .unwrap_or_else(|| st.page.app_id.clone());
                routing::pass(st, &psid, Some(&h.app_id), &target, h.metadata.clone(), now);
            }
            "request" => {
                if let Some(owner) = owner {
                    routing::notify(
                        st,
                        &owner,
                        &psid,
                        now,
                        "request_thread_control",
                        json!({"requested_owner_app_id": routing::app_value(&h.app_id), "metadata": h.metadata}),
                    );
                }
            }
            "release" => {
                if owner.as_deref() == Some(h.app_id.as_str()) {
                    st.routing.release(&psid);
                }
            }
            "extend" => {
                let seconds = h.duration.unwrap_or(86_400);
                if !(1..=routing::MAX_EXTEND_MS / 1000).contains(&seconds) {
                    return Err(bad("duration must be between 1 second and 7 days"));
                }
                if let Some(t) = st.routing.threads.get_mut(&psid) {
                    t.expiration = now + seconds * 1000;
                }
            }
            other => {
                return Err(bad(format!(
                    "action must be take, pass, request, release or extend, not {other}"
                )));
            }
        }
        Ok(json!({ "thread_owner": st.routing.owner(&psid, now) }))
    })
}

#[derive(Deserialize)]
struct InboxReply {
    text: String,
}

/// Staff answer in Meta Business Suite: the inbox takes control unless it has it, the customer
/// gets the message, and its echo (app 263902037430900) goes out.
async fn inbox_reply(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let r: InboxReply = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        if st.routing.owner(&psid, now) != Some(routing::PAGE_INBOX) {
            routing::take(st, &psid, routing::PAGE_INBOX, Value::Null, now);
        }
        let user = st.users.get_mut(&psid).expect("checked");
        user.typing_until = None;
        user.inbox.push(Received {
            mid: mid.clone(),
            text: Some(r.text.clone()),
            attachment: None,
            quick_replies: None,
            messaging_type: "RESPONSE".into(),
            tag: None,
            persona_id: None,
            metadata: None,
            at: now,
        });
        let echo = json!({"is_echo": true, "app_id": routing::app_value(routing::PAGE_INBOX), "mid": mid, "text": r.text});
        enqueue_from(
            st,
            &psid,
            now,
            json!({"sender": {"id": page}, "recipient": {"id": psid}, "timestamp": now, "message": echo}),
        );
        Ok(json!({ "mid": mid }))
    })
}

#[derive(Deserialize)]
struct LeadAd {
    #[serde(default)]
    ad_id: String,
    #[serde(default)]
    questions: Vec<String>,
}

/// A click-to-Messenger lead form starts: Meta's lead-ads app controls the thread.
async fn lead_ad(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let l: LeadAd = parse(&body)?;
    act(&emu, &psid, |st, _, now| {
        st.users
            .get_mut(&psid)
            .expect("checked")
            .last_interaction_at = Some(now);
        routing::take(
            st,
            &psid,
            routing::LEAD_ADS,
            json!({"ad_id": l.ad_id, "questions": l.questions}),
            now,
        );
        Ok(json!({ "thread_owner": routing::LEAD_ADS }))
    })
}

#[derive(Deserialize)]
struct LeadAnswer {
    question: String,
    answer: String,
}

#[derive(Deserialize)]
struct LeadFinish {
    #[serde(default = "yes")]
    complete: bool,
    #[serde(default)]
    answers: Vec<LeadAnswer>,
    #[serde(default)]
    target_app_id: Option<String>,
}

fn yes() -> bool {
    true
}

/// The lead form ends: the lead-ads app passes the thread (with `hop_context`) and sends the
/// summary message listing the answers. App ids are JSON numbers, as in Meta's sample.
async fn lead_ad_finish(
    State(emu): State<Arc<Emu>>,
    Path(psid): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    let f: LeadFinish = parse(&body)?;
    let mid = emu.new_mid();
    act(&emu, &psid, |st, page, now| {
        if st.routing.owner(&psid, now) != Some(routing::LEAD_ADS) {
            return Err(bad("no lead form is running in this thread"));
        }
        let target = f
            .target_app_id
            .clone()
            .unwrap_or_else(|| st.page.app_id.clone());
        let metadata = if f.complete {
            "messenger_lead_gen_complete"
        } else {
            "messenger_lead_gen_incomplete"
        };
        st.routing.set_owner(&psid, &target, now);
        let hop = json!({"app_id": routing::app_value(routing::LEAD_ADS), "metadata": metadata});
        routing::notify(
            st,
            &target,
            &psid,
            now,
            "pass_thread_control",
            json!({"previous_owner_app_id": routing::app_value(routing::LEAD_ADS),
                   "new_owner_app_id": routing::app_value(&target), "metadata": metadata, "hop_context": hop}),
        );
        let summary: Vec<String> = f
            .answers
            .iter()
            .map(|a| format!("{}: {}", a.question, a.answer))
            .collect();
        let message = json!({"mid": mid, "text": summary.join("\n"), "hop_context": hop});
        enqueue_from(
            st,
            &psid,
            now,
            customer_event(&psid, page, now, "message", message),
        );
        Ok(json!({ "thread_owner": target, "mid": mid }))
    })
}

async fn routing_get(State(emu): State<Arc<Emu>>) -> Answer {
    let now = emu.now();
    Ok(Json(emu.with(|st| routing::describe(st, now))))
}

#[derive(Deserialize)]
struct RoutingSettings {
    /// Absent: unchanged; `null`: zero-config mode.
    #[serde(default, deserialize_with = "present")]
    default_app_id: Option<Option<String>>,
    take_allowed: Option<Vec<String>>,
    apps: Option<Vec<routing::App>>,
}

/// A field that may be absent (outer `None`) or `null` (inner `None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The Page admin's Conversation Routing settings.
async fn routing_set(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let r: RoutingSettings = parse(&body)?;
    let now = emu.now();
    emu.with(|st| {
        if let Some(apps) = r.apps {
            for app in apps {
                if !st.routing.apps.iter().any(|a| a.id == app.id) {
                    st.routing.apps.push(app);
                }
            }
        }
        let known = |id: &str| st.routing.apps.iter().any(|a| a.id == id);
        if let Some(Some(id)) = &r.default_app_id
            && !known(id)
        {
            return Err(bad(format!("default_app_id {id} is no app of this Page")));
        }
        if let Some(ids) = &r.take_allowed
            && let Some(unknown) = ids.iter().find(|id| !known(id))
        {
            return Err(bad(format!(
                "take_allowed: {unknown} is no app of this Page"
            )));
        }
        if let Some(d) = r.default_app_id {
            st.routing.default_app_id = d;
        }
        if let Some(t) = r.take_allowed {
            st.routing.take_allowed = t;
        }
        Ok(Json(routing::describe(st, now)))
    })
}

async fn inbox(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, _, _| {
        Ok(json!(st.users[&psid].inbox.iter().map(|m| json!({"mid": m.mid, "text": m.text, "attachment": m.attachment,
            "quick_replies": m.quick_replies, "messaging_type": m.messaging_type, "tag": m.tag, "persona_id": m.persona_id,
            "metadata": m.metadata, "at": rfc3339(m.at)})).collect::<Vec<_>>()))
    })
}

/// What the customer wrote, for the phone page.
async fn sent(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Answer {
    act(&emu, &psid, |st, _, _| {
        Ok(json!(
            st.users[&psid]
                .wrote
                .iter()
                .map(|w| json!({"mid": w.mid, "text": w.text, "at": rfc3339(w.at)}))
                .collect::<Vec<_>>()
        ))
    })
}

async fn personas(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| {
        json!(st.personas.values().collect::<Vec<_>>())
    })))
}

/// A file uploaded to `/me/message_attachments`, for the phone page.
async fn uploaded(State(emu): State<Arc<Emu>>, Path(id): Path<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match emu.upload(&id) {
        Some((content_type, bytes)) => {
            ([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// The Page's name and Messenger profile, for the phone page's welcome screen and menu.
async fn profile(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(
        |st| json!({"page_name": st.page.name, "profile": st.page.profile}),
    )))
}

async fn sends(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| json!(st.sends))))
}

async fn webhooks(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| {
        let mut attempts = json!(st.webhooks);
        if let Value::Array(list) = &mut attempts {
            list.extend(st.other_app_webhooks.iter().cloned());
        }
        json!({"verified": st.page.verified, "subscribed": st.page.subscribed(), "pending": st.pending.len() + st.in_flight,
               "attempts": attempts})
    })))
}

async fn clock(State(emu): State<Arc<Emu>>) -> Answer {
    let now = emu.now();
    Ok(Json(json!({"now": rfc3339(now), "now_ms": now})))
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let a: Advance = parse(&body)?;
    if a.seconds < 0 {
        return Err(bad("the clock only moves forward: seconds must be ≥ 0"));
    }
    emu.clock.advance(a.seconds * 1000);
    clock(State(emu)).await
}

async fn faults(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| json!(st.faults))))
}

async fn set_faults(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let f: Faults = parse(&body)?;
    for (name, rate) in [
        ("send_error_rate", f.send_error_rate),
        ("webhook_duplicate_rate", f.webhook_duplicate_rate),
        ("webhook_drop_rate", f.webhook_drop_rate),
        ("webhook_reorder_rate", f.webhook_reorder_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(bad(format!("{name} must be between 0 and 1, not {rate}")));
        }
    }
    emu.with(|st| st.faults = f.clone());
    Ok(Json(json!(f)))
}

async fn page(State(emu): State<Arc<Emu>>) -> Answer {
    Ok(Json(emu.with(|st| {
        json!({"id": st.page.id, "name": st.page.name, "restricted": st.page.restricted, "subscribed": st.page.subscribed(),
               "connected": st.login.page_token_revoked.is_none() && st.app_subscription.is_some() && st.page.subscribed(),
               "subscribed_fields": st.page.subscribed_fields, "app_subscription": st.app_subscription,
               "human_agent_approved": st.page.human_agent_approved, "news_page_index": st.page.news_page_index,
               "utility_messaging": st.page.utility_messaging, "rate_limit_per_sec": st.page.rate_limit_per_sec})
    })))
}

#[derive(Deserialize)]
struct PageSettings {
    /// `false`: start from scratch (no subscription, the configured token revoked), so the app
    /// has to connect the page with Facebook Login.
    connected: Option<bool>,
    human_agent_approved: Option<bool>,
    news_page_index: Option<bool>,
    utility_messaging: Option<bool>,
    rate_limit_per_sec: Option<u32>,
}

/// What Meta would have approved for the page, and its Send API rate.
async fn set_page(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let p: PageSettings = parse(&body)?;
    emu.with(|st| {
        if let Some(connected) = p.connected {
            crate::login::set_connected(
                st,
                connected,
                emu.config.webhook_url.as_deref(),
                &emu.config.verify_token,
            );
        }
        let page = &mut st.page;
        page.human_agent_approved = p.human_agent_approved.unwrap_or(page.human_agent_approved);
        page.news_page_index = p.news_page_index.unwrap_or(page.news_page_index);
        page.utility_messaging = p.utility_messaging.unwrap_or(page.utility_messaging);
        page.rate_limit_per_sec = p.rate_limit_per_sec.unwrap_or(page.rate_limit_per_sec);
    });
    page(State(emu)).await
}

#[derive(Deserialize)]
struct Enforce {
    action: String,
    #[serde(default)]
    reason: String,
}

/// Meta restricts (or lifts the restriction on) the page.
async fn enforce(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let e: Enforce = parse(&body)?;
    let restricted = match e.action.as_str() {
        "block" => Some(true),
        "unblock" => Some(false),
        "warning" => None,
        other => {
            return Err(bad(format!(
                "action must be warning, block or unblock, not {other}"
            )));
        }
    };
    let now = emu.now();
    let restricted = emu.with(|st| {
        if let Some(r) = restricted {
            st.page.restricted = r;
        }
        let page = st.page.id.clone();
        let mut pe = json!({"action": e.action});
        if e.action != "unblock" {
            pe["reason"] = json!(e.reason);
        }
        enqueue(
            st,
            json!({"recipient": {"id": page}, "timestamp": now, "policy_enforcement": pe}),
        );
        st.page.restricted
    });
    Ok(Json(json!({ "restricted": restricted })))
}

#[derive(Deserialize)]
struct Revoke {
    reason: String,
}

/// The emulated admin changed their password or lost the page role: their tokens die.
async fn revoke_tokens(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Answer {
    let r: Revoke = parse(&body)?;
    let reason = match r.reason.as_str() {
        "password_changed" => crate::login::Revoked::PasswordChanged,
        "role_lost" => crate::login::Revoked::RoleLost,
        other => {
            return Err(bad(format!(
                "reason must be password_changed or role_lost, not {other}"
            )));
        }
    };
    emu.with(|st| crate::login::revoke(st, reason));
    Ok(Json(json!({"revoked": r.reason})))
}

async fn reset(State(emu): State<Arc<Emu>>) -> Answer {
    emu.with(|st| {
        let page = st.page.clone();
        *st = S::default();
        st.routing = routing::initial(&page.app_id);
        st.page = crate::state::Page {
            profile: Default::default(),
            restricted: false,
            failing_since: None,
            ..page
        };
        crate::login::set_connected(
            st,
            true,
            emu.config.webhook_url.as_deref(),
            &emu.config.verify_token,
        );
        st.page.verified = page.verified;
    });
    Ok(Json(json!({})))
}
