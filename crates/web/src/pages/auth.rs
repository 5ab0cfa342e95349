//! Logging in and out, and the [`Agent`] every other page requires.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use engine::accounts::{MAX_USERNAME, check_login, new_secret, token_hash};
use serde::Deserialize;
use store::{Time, User};

use crate::state::AppState;

pub const SESSION_COOKIE: &str = "fenestra_session";
const SESSION: std::time::Duration = std::time::Duration::from_secs(12 * 3_600);

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

/// Logs in, within the [`super::login_guard`]'s limits: per address a hard limit, per name a
/// growing delay, never a block.
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    Form(c): Form<Credentials>,
) -> Response {
    if c.username.len() > MAX_USERNAME {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("That user name is too long."),
        );
    }
    if let Err(wait) = state.login_guard.admit(client.0) {
        let message = format!(
            "Too many attempts from this address: try again in {} s.",
            wait.as_secs().max(1)
        );
        return page(StatusCode::TOO_MANY_REQUESTS, Some(&message));
    }
    tokio::time::sleep(state.login_guard.delay(&c.username)).await;
    let user = match check_login(state.store(), &c.username, &c.password).await {
        Ok(Some(u)) => {
            state.login_guard.succeeded(&c.username);
            u
        }
        Ok(None) => {
            state.login_guard.failed(&c.username);
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
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION.as_secs()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        let _ = state.store().delete_session(&token_hash(&token)).await;
    }
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
    ([(header::SET_COOKIE, expired)], Redirect::to("/login")).into_response()
}

/// The client's address: the connection's peer, or what a trusted proxy says.
pub struct ClientAddress(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = crate::listener::peer(parts)
            .map(|a| a.ip())
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
        Ok(ClientAddress(crate::client::address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}
