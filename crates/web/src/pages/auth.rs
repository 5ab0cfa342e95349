//! Logging in and out, and the [`Agent`] every other page requires.

use std::num::NonZeroU32;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use engine::accounts::{check_login, new_secret, token_hash};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use store::{Time, User};

use crate::state::AppState;

pub const SESSION_COOKIE: &str = "fenestra_session";
const SESSION: std::time::Duration = std::time::Duration::from_secs(12 * 3_600);

/// Failed and successful attempts per username: 5 a minute, so passwords cannot be guessed fast.
pub type LoginLimiter = Arc<DefaultKeyedRateLimiter<String>>;

pub fn login_limiter() -> LoginLimiter {
    Arc::new(RateLimiter::keyed(Quota::per_minute(
        NonZeroU32::new(5).expect("five"),
    )))
}

/// A logged-in user; extracting it from a request without a valid session sends a browser
/// to the login page and anything else a 401, never data.
pub struct Agent(pub User);

impl FromRequestParts<AppState> for Agent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user = match session_token(&parts.headers) {
            Some(token) => state
                .store()
                .session_user(&token_hash(&token), Time::now())
                .await
                .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response())?,
            None => None,
        };
        match user {
            Some(u) => Ok(Agent(u)),
            None if parts.method == Method::GET && !is_htmx(&parts.headers) => {
                Err(Redirect::to("/login").into_response())
            }
            None => Err((StatusCode::UNAUTHORIZED, "log in first").into_response()),
        }
    }
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .map(str::to_owned)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    error: Option<&'a str>,
}

pub async fn login_page() -> Response {
    page(StatusCode::OK, None)
}

fn page(status: StatusCode, error: Option<&str>) -> Response {
    match (LoginPage { error }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

pub async fn login(State(state): State<AppState>, Form(c): Form<Credentials>) -> Response {
    if state.login_limiter.check_key(&c.username).is_err() {
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            Some("Too many attempts for this user: wait a minute."),
        );
    }
    let user = match check_login(state.store(), &c.username, &c.password).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return page(
                StatusCode::UNAUTHORIZED,
                Some("Wrong username or password."),
            );
        }
        Err(e) => return page(StatusCode::SERVICE_UNAVAILABLE, Some(&e.to_string())),
    };
    let token = new_secret();
    let now = Time::now();
    if let Err(e) = state
        .store()
        .create_session(&token_hash(&token), user.id, now, now + SESSION)
        .await
    {
        return page(StatusCode::SERVICE_UNAVAILABLE, Some(&e.to_string()));
    }
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        SESSION.as_secs()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        let _ = state.store().delete_session(&token_hash(&token)).await;
    }
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    ([(header::SET_COOKIE, expired)], Redirect::to("/login")).into_response()
}
