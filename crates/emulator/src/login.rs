//! Connecting a Page offline (emulator.md): Facebook Login's dialog, the code exchange, long-lived
//! tokens, `/me/accounts`, the app-level subscription, `/debug_token`, the feature review, and
//! the permission each Graph call needs.
//!
//! Invariants:
//! * a code is used once, by the app's secret, with the `redirect_uri` the dialog was opened with;
//! * a page token has the permissions its person granted at login, and dies with its user token
//!   (expiry of a short-lived one, a revocation); the configured `--page-token` has every
//!   permission until `connected: false` or a revocation;
//! * the app token is `APP_ID|APP_SECRET`, nothing else.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Emu;
use crate::error::GraphError;
use crate::state::{AppSubscription, State as S};

/// Every permission a Facebook Login for Business configuration grants here (the emulator keeps
/// no saved configurations): those listed under Connecting a Page in messenger-platform.md.
pub const ALL_PERMISSIONS: [&str; 12] = [
    "pages_messaging",
    "pages_manage_metadata",
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "read_insights",
    "business_management",
    "ads_management",
    "paid_marketing_messages",
    "marketing_messages_messenger",
    "pages_utility_messaging",
];

const SHORT_LIVED_S: i64 = 3_600;
const LONG_LIVED_S: i64 = 60 * 86_400;
/// The tasks the emulated admin has on the page.
const TASKS: [&str; 6] = [
    "MANAGE",
    "MODERATE",
    "MESSAGING",
    "ANALYZE",
    "ADVERTISE",
    "CREATE_CONTENT",
];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Login {
    /// Codes the dialog handed out.
    pub codes: BTreeMap<String, Code>,
    /// Tokens handed out by login and `/me/accounts`.
    pub tokens: BTreeMap<String, Token>,
    /// Why the configured page token stopped working, if it did.
    pub page_token_revoked: Option<Revoked>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Code {
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// Opened with a `config_id` (Facebook Login for Business): a system-user token follows.
    pub system_user: bool,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    User,
    SystemUser,
    Page,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub kind: Kind,
    pub scopes: Vec<String>,
    /// Emulator-clock ms; `None` never expires.
    pub expires_at: Option<i64>,
    pub revoked: Option<Revoked>,
}

/// What killed a token, as Meta's `190` subcode says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Revoked {
    /// `connected: false`: the app was removed from the page.
    AppRemoved,
    PasswordChanged,
    RoleLost,
}

impl Revoked {
    fn error(self) -> GraphError {
        match self {
            Revoked::AppRemoved => GraphError::bad_token(),
            Revoked::PasswordChanged => GraphError::new(
                190,
                Some(460),
                "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
            ),
            Revoked::RoleLost => GraphError::new(
                190,
                Some(492),
                "Error validating access token: The user must be an administrator, editor, or moderator of the page in order to impersonate it.",
            ),
        }
    }
}

fn expired() -> GraphError {
    GraphError::new(
        190,
        Some(463),
        "Error validating access token: Session has expired.",
    )
}

fn missing(permission: &str) -> GraphError {
    GraphError::new(
        200,
        None,
        format!("(#200) This action needs the {permission} permission, which the token lacks."),
    )
}

impl Token {
    pub(crate) fn usable(&self, now: i64) -> Result<(), GraphError> {
        if let Some(r) = self.revoked {
            return Err(r.error());
        }
        match self.expires_at {
            Some(at) if now >= at => Err(expired()),
            _ => Ok(()),
        }
    }
}

/// The token of a request: `access_token` in the query or form, or `Authorization: Bearer`.
pub fn token_of<'a>(q: &'a HashMap<String, String>, headers: &'a HeaderMap) -> Option<&'a str> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    q.get("access_token")
        .map(String::as_str)
        .or(bearer)
        .filter(|t| !t.is_empty())
}

/// Whether `token` may act as the page with `permission`.
pub fn check_page_token(st: &S, token: &str, permission: &str, now: i64) -> Result<(), GraphError> {
    if token == st.page.token {
        return st
            .login
            .page_token_revoked
            .map_or(Ok(()), |r| Err(r.error()));
    }
    let t = st
        .login
        .tokens
        .get(token)
        .ok_or_else(GraphError::bad_token)?;
    t.usable(now)?;
    if t.kind != Kind::Page {
        return Err(GraphError::new(
            190,
            None,
            "(#190) This call needs a Page access token; read one from /me/accounts.",
        ));
    }
    if !t.scopes.iter().any(|s| s == permission) {
        return Err(missing(permission));
    }
    Ok(())
}

fn check_app_token(emu: &Emu, token: Option<&str>) -> Result<(), GraphError> {
    let app_id = emu.with(|st| st.page.app_id.clone());
    match token {
        None => Err(GraphError::no_token()),
        Some(t) if t == format!("{app_id}|{}", emu.config.app_secret) => Ok(()),
        Some(_) => Err(GraphError::new(
            190,
            None,
            "Invalid OAuth access token: this call needs the app access token (APP_ID|APP_SECRET).",
        )),
    }
}

fn answer(r: Result<Value, GraphError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

type Q = Query<HashMap<String, String>>;

/// The scopes a dialog asks for: `scope` (comma or space separated), or every permission for a
/// `config_id`.
fn requested(q: &HashMap<String, String>) -> (Vec<String>, bool) {
    if q.get("config_id").is_some_and(|c| !c.is_empty()) {
        return (ALL_PERMISSIONS.map(str::to_owned).to_vec(), true);
    }
    let scopes = q
        .get("scope")
        .map(|s| {
            s.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (scopes, false)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{query}")
}

/// `GET /dialog/oauth`: the consent page an admin of the page sees.
pub async fn dialog(State(emu): State<Arc<Emu>>, Query(q): Q) -> Response {
    let (app_id, page_name) = emu.with(|st| (st.page.app_id.clone(), st.page.name.clone()));
    let problem = if q.get("client_id") != Some(&app_id) {
        Some(format!(
            "Invalid App ID: client_id must be {app_id}, the emulated app."
        ))
    } else if q.get("redirect_uri").is_none_or(|u| !u.starts_with("http")) {
        Some("redirect_uri must be an http(s) address.".into())
    } else if q.get("response_type").is_some_and(|r| r != "code") {
        Some("Only response_type=code is supported.".into())
    } else {
        None
    };
    if let Some(problem) = problem {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Html(format!(
                "<!doctype html><title>Error</title><h1>Sorry, something went wrong.</h1><p id=problem>{}</p>",
                escape(&problem)
            )),
        )
            .into_response();
    }
    let (scopes, system_user) = requested(&q);
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    let cancel = with_query(
        &redirect,
        &[
            ("error", "access_denied"),
            ("error_reason", "user_denied"),
            ("error_description", "Permissions error"),
            ("state", &state),
        ],
    );
    let list: String = scopes
        .iter()
        .map(|s| format!("<li>{}</li>", escape(s)))
        .collect();
    let kind = if system_user {
        "Facebook Login for Business (system-user token)"
    } else {
        "Facebook Login"
    };
    Html(format!(
        r#"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content="width=device-width">
<title>Log in with Facebook (emulated)</title>
<style>body{{font:15px system-ui;max-width:32rem;margin:2rem auto;padding:0 1rem}}button,a.cancel{{font:inherit;padding:.5rem 1rem;margin-right:.5rem}}</style>
<h1>Fenestra is requesting access</h1>
<p>{kind}. You are <b>Emulated Admin</b>, who manages the Page <b id=page>{page}</b>.</p>
<p>Permissions requested:</p><ul id=scopes>{list}</ul>
<form method=post action="/dialog/oauth">
<input type=hidden name=redirect_uri value="{redirect}">
<input type=hidden name=state value="{state}">
<input type=hidden name=scopes value="{scopes}">
<input type=hidden name=system_user value="{system_user}">
<button id=continue>Continue</button> <a class=cancel id=cancel href="{cancel}">Cancel</a>
</form>"#,
        page = escape(&page_name),
        redirect = escape(&redirect),
        state = escape(&state),
        scopes = escape(&scopes.join(",")),
        cancel = escape(&cancel),
    ))
    .into_response()
}

#[derive(Deserialize)]
pub struct Consent {
    redirect_uri: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    system_user: bool,
}

/// The admin pressed Continue: a code goes back to the app.
pub async fn consent(State(emu): State<Arc<Emu>>, Form(c): Form<Consent>) -> Response {
    let code = emu.token(64);
    let grant = Code {
        redirect_uri: c.redirect_uri.clone(),
        scopes: c
            .scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        system_user: c.system_user,
        used: false,
    };
    emu.with(|st| st.login.codes.insert(code.clone(), grant));
    Redirect::to(&with_query(
        &c.redirect_uri,
        &[("code", &code), ("state", &c.state)],
    ))
    .into_response()
}

fn issue(emu: &Emu, kind: Kind, scopes: Vec<String>, lifetime_s: Option<i64>) -> (String, Token) {
    let token = format!("EAA{}", emu.token(60));
    let t = Token {
        kind,
        scopes,
        expires_at: lifetime_s.map(|s| emu.now() + s * 1000),
        revoked: None,
    };
    emu.with(|st| st.login.tokens.insert(token.clone(), t.clone()));
    (token, t)
}

fn token_answer(token: &str, lifetime_s: Option<i64>) -> Value {
    let mut v = json!({"access_token": token, "token_type": "bearer"});
    if let Some(s) = lifetime_s {
        v["expires_in"] = json!(s);
    }
    v
}

/// `GET /oauth/access_token`: a code for a user token, or a short-lived token for a long one.
pub async fn access_token(State(emu): State<Arc<Emu>>, Query(q): Q) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let app_id = emu.with(|st| st.page.app_id.clone());
    if get("client_id") != app_id || get("client_secret") != emu.config.app_secret {
        return GraphError::param("Error validating client secret.").into_response();
    }
    if get("grant_type") == "fb_exchange_token" {
        let now = emu.now();
        let old = emu.with(|st| st.login.tokens.get(get("fb_exchange_token")).cloned());
        return answer(match old {
            Some(t) if t.kind == Kind::User => t.usable(now).map(|()| {
                let (token, _) = issue(&emu, Kind::User, t.scopes, Some(LONG_LIVED_S));
                token_answer(&token, Some(LONG_LIVED_S))
            }),
            _ => Err(GraphError::bad_token()),
        });
    }
    let code = emu.with(|st| {
        let c = st.login.codes.get_mut(get("code"))?;
        if c.used || c.redirect_uri != get("redirect_uri") {
            return None;
        }
        c.used = true;
        Some(c.clone())
    });
    answer(match code {
        None => Err(GraphError::param(
            "Invalid verification code format, or the code was used already, or redirect_uri is not the one the dialog was opened with.",
        )),
        Some(c) if c.system_user => {
            let (token, _) = issue(&emu, Kind::SystemUser, c.scopes, None);
            Ok(token_answer(&token, None))
        }
        Some(c) => {
            let (token, _) = issue(&emu, Kind::User, c.scopes, Some(SHORT_LIVED_S));
            Ok(token_answer(&token, Some(SHORT_LIVED_S)))
        }
    })
}

/// `GET /me/accounts`: the page, with a page token holding the user token's permissions.
pub async fn accounts(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    let now = emu.now();
    let user = token_of(&q, &h).and_then(|t| emu.with(|st| st.login.tokens.get(t).cloned()));
    let user = match user {
        Some(u) if u.kind != Kind::Page => u,
        Some(_) => {
            return GraphError::new(
                100,
                None,
                "(#100) Tried accessing nonexisting field (accounts) on node type (Page)",
            )
            .into_response();
        }
        None if token_of(&q, &h).is_none() => return GraphError::no_token().into_response(),
        None => return GraphError::bad_token().into_response(),
    };
    if let Err(e) = user.usable(now) {
        return e.into_response();
    }
    if !user.scopes.iter().any(|s| s == "pages_show_list") {
        return missing("pages_show_list").into_response();
    }
    // A page token read with a short-lived user token dies with it; otherwise it does not expire.
    let lifetime = match user.expires_at {
        Some(at) if at - now <= SHORT_LIVED_S * 1000 => Some((at - now) / 1000),
        _ => None,
    };
    let (token, _) = issue(&emu, Kind::Page, user.scopes.clone(), lifetime);
    let (id, name) = emu.with(|st| (st.page.id.clone(), st.page.name.clone()));
    Json(json!({
        "data": [{"id": id, "name": name, "category": "Shopping & retail", "access_token": token,
                  "tasks": TASKS}],
        "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}
    }))
    .into_response()
}

/// `GET /debug_token?input_token=…` (app token): whether the token works, and its permissions.
pub async fn debug_token(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    if let Err(e) = check_app_token(&emu, token_of(&q, &h)) {
        return e.into_response();
    }
    let input = q.get("input_token").cloned().unwrap_or_default();
    let now = emu.now();
    let data = emu.with(|st| {
        let base = json!({"app_id": st.page.app_id, "application": "Fenestra"});
        let (kind, scopes, expires_at, health) = if input == st.page.token {
            let health = st
                .login
                .page_token_revoked
                .map_or(Ok(()), |r| Err(r.error()));
            (
                Kind::Page,
                ALL_PERMISSIONS.map(str::to_owned).to_vec(),
                None,
                health,
            )
        } else if let Some(t) = st.login.tokens.get(&input) {
            (t.kind, t.scopes.clone(), t.expires_at, t.usable(now))
        } else {
            return json!({"is_valid": false, "scopes": [],
                          "error": {"code": 190, "message": "Invalid OAuth access token."}});
        };
        let mut d = base;
        d["type"] = json!(match kind {
            Kind::User => "USER",
            Kind::SystemUser => "SYSTEM_USER",
            Kind::Page => "PAGE",
        });
        d["expires_at"] = json!(expires_at.map_or(0, |ms| ms / 1000));
        d["scopes"] = json!(scopes);
        d["is_valid"] = json!(health.is_ok());
        if kind == Kind::Page {
            d["profile_id"] = json!(st.page.id);
        }
        if let Err(e) = health {
            d["error"] = json!({"code": e.code, "subcode": e.subcode, "message": e.message});
        }
        d
    });
    Json(json!({ "data": data })).into_response()
}

#[derive(Deserialize, Default)]
pub struct SubscriptionForm {
    #[serde(default)]
    object: String,
    #[serde(default)]
    callback_url: String,
    #[serde(default)]
    verify_token: String,
    #[serde(default)]
    fields: String,
}

/// `GET|POST|DELETE /{app-id}/subscriptions`: the app-level webhook subscription.
pub async fn subscriptions(
    State(emu): State<Arc<Emu>>,
    Path((_v, node)): Path<(String, String)>,
    method: axum::http::Method,
    Query(q): Q,
    h: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let form: SubscriptionForm = serde_urlencoded::from_bytes(&body)
        .ok()
        .filter(|f: &SubscriptionForm| !f.object.is_empty())
        .or_else(|| {
            serde_urlencoded::from_str(&serde_urlencoded::to_string(&q).unwrap_or_default()).ok()
        })
        .unwrap_or_default();
    if node != emu.with(|st| st.page.app_id.clone()) {
        return GraphError::unsupported("get").into_response();
    }
    if let Err(e) = check_app_token(&emu, token_of(&q, &h)) {
        return e.into_response();
    }
    match method {
        axum::http::Method::GET => Json(emu.with(|st| {
            let data: Vec<Value> = st.app_subscription.iter().filter(|s| !s.fields.is_empty()).map(|s| {
                json!({"object": "page", "callback_url": s.callback_url, "active": true,
                       "fields": s.fields.iter().map(|f| json!({"name": f, "version": "v27.0"})).collect::<Vec<_>>()})
            }).collect();
            json!({ "data": data })
        }))
        .into_response(),
        axum::http::Method::DELETE => {
            emu.with(|st| st.app_subscription = None);
            Json(json!({"success": true})).into_response()
        }
        _ => answer(subscribe_app(&emu, form).await),
    }
}

async fn subscribe_app(emu: &Emu, f: SubscriptionForm) -> Result<Value, GraphError> {
    if f.object != "page" {
        return Err(GraphError::param(
            "param object must be one of {page, user, permissions, …} and the emulator serves page",
        ));
    }
    if !f.callback_url.starts_with("http") {
        return Err(GraphError::param("param callback_url must be a valid URL"));
    }
    let fields = crate::webhooks::parse_fields(&f.fields)?;
    crate::webhooks::verify(emu, &f.callback_url, &f.verify_token)
        .await
        .map_err(|why| {
            GraphError::new(
                2200,
                None,
                format!("(#2200) Callback verification failed with the following errors: {why}"),
            )
        })?;
    emu.with(|st| {
        st.app_subscription = Some(AppSubscription {
            callback_url: f.callback_url,
            verify_token: f.verify_token,
            fields,
        });
        st.page.verified = true;
    });
    Ok(json!({"success": true}))
}

/// `GET /me/messaging_feature_review`: the page-level features Meta reviewed *(emulator's
/// choice of names: `human_agent`, `utility_messaging`)*.
pub async fn feature_review(State(emu): State<Arc<Emu>>, Query(q): Q, h: HeaderMap) -> Response {
    let now = emu.now();
    answer(emu.with(|st| {
        check_page_token(
            st,
            token_of(&q, &h).unwrap_or_default(),
            "pages_messaging",
            now,
        )?;
        let status = |on: bool| if on { "approved" } else { "rejected" };
        Ok(json!({"data": [
            {"feature": "human_agent", "status": status(st.page.human_agent_approved)},
            {"feature": "utility_messaging", "status": status(st.page.utility_messaging)},
        ]}))
    }))
}

/// `connected: false`: no subscription at either level, the configured page token revoked.
/// `connected: true`: back to the start (subscribed to every field, the token working).
pub fn set_connected(st: &mut S, connected: bool, webhook_url: Option<&str>, verify_token: &str) {
    if connected {
        st.app_subscription = Some(AppSubscription {
            callback_url: webhook_url.unwrap_or_default().to_owned(),
            verify_token: verify_token.to_owned(),
            fields: crate::webhooks::FIELDS.map(str::to_owned).to_vec(),
        });
        st.page.subscribed_fields = crate::webhooks::FIELDS.map(str::to_owned).to_vec();
        st.login.page_token_revoked = None;
    } else {
        st.app_subscription = None;
        st.page.subscribed_fields.clear();
        st.page.verified = false;
        st.login.page_token_revoked = Some(Revoked::AppRemoved);
    }
}

/// `POST /_emulator/tokens/revoke`: every user token, and the page tokens (the configured one
/// included: it stands for the admin's page token), fail from now on.
pub fn revoke(st: &mut S, reason: Revoked) {
    for t in st.login.tokens.values_mut() {
        t.revoked = Some(reason);
    }
    st.login.page_token_revoked = Some(reason);
}
