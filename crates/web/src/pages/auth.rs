//! Logging in and out. Who is logged in on every other page is the session layer's
//! ([`super::session`]).

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use engine::accounts::{MAX_USERNAME, check_login, new_secret, token_hash};
use i18n::Tr;
use serde::Deserialize;
use store::Time;

use super::login_guard;

use super::session::{Reader, SESSION_COOKIE, cookie};
use crate::state::AppState;

const SESSION: std::time::Duration = std::time::Duration::from_secs(12 * 3_600);

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    tr: &'a Tr,
    error: Option<String>,
}

pub async fn login_page(Reader(tr): Reader) -> Response {
    page(&tr, StatusCode::OK, None)
}

fn page(tr: &Tr, status: StatusCode, error: Option<String>) -> Response {
    match (LoginPage { tr, error }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// Logs in, within the [`login_guard`]'s limits: per address a hard limit, per name a
/// growing delay, never a block.
pub async fn login(
    State(state): State<AppState>,
    Reader(tr): Reader,
    client: ClientAddress,
    Form(c): Form<Credentials>,
) -> Response {
    if c.username.len() > MAX_USERNAME {
        let error = tr.t("login-name-too-long");
        return page(&tr, StatusCode::UNPROCESSABLE_ENTITY, Some(error));
    }
    if let Err(wait) = login_guard::admit(state.store(), client.0).await {
        let error = tr.t1("login-too-many", "seconds", wait.as_secs().max(1) as i64);
        return page(&tr, StatusCode::TOO_MANY_REQUESTS, Some(error));
    }
    tokio::time::sleep(login_guard::delay(state.store(), &c.username).await).await;
    let user = match check_login(state.store(), &c.username, &c.password).await {
        Ok(Some(u)) => {
            login_guard::succeeded(state.store(), &c.username).await;
            u
        }
        Ok(None) => {
            login_guard::failed(state.store(), &c.username).await;
            let error = tr.t("login-wrong");
            return page(&tr, StatusCode::UNAUTHORIZED, Some(error));
        }
        Err(e) => {
            tracing::error!(error = %e, "login could not be checked");
            let error = tr.t("error-unavailable");
            return page(&tr, StatusCode::SERVICE_UNAVAILABLE, Some(error));
        }
    };
    let token = new_secret();
    let now = Time::now();
    if let Err(e) = state
        .store()
        .create_session(&token_hash(&token), user.id, now, now + SESSION)
        .await
    {
        tracing::error!(error = %e, "a session could not be stored");
        let error = tr.t("error-unavailable");
        return page(&tr, StatusCode::SERVICE_UNAVAILABLE, Some(error));
    }
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION.as_secs()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
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
