//! Who is reading, once per request: the session's user (if any) and their translator. The
//! language is the user's setting, else the browser's `Accept-Language` (`x-pseudo` gives the
//! pseudo-locale); the time zone is the user's setting, else the browser's (the `fenestra_tz`
//! cookie app.js sets), else UTC. Handlers take it as [`Agent`] (a logged-in user) or
//! [`Reader`] (anyone). An error a handler returns is rendered here, in the reader's language.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use engine::accounts::token_hash;
use i18n::{Lang, Tr};
use store::{Role, Time, User};

use crate::error::{Message, PageError, render_error};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "fenestra_session";
/// The browser's IANA time zone, set by app.js, used until the user picks one.
pub const ZONE_COOKIE: &str = "fenestra_tz";

#[derive(Clone)]
pub struct Session {
    /// `Err` when the database could not say.
    user: Result<Option<User>, ()>,
    pub tr: Tr,
    pub htmx: bool,
}

/// The middleware: resolves the session, runs the handler, renders its error if it had one.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let user = match cookie(headers, SESSION_COOKIE) {
        Some(token) => state
            .store()
            .session_user(&token_hash(&token), Time::now())
            .await
            .map_err(|e| tracing::error!(error = %e, "sessions cannot be read")),
        None => Ok(None),
    };
    let tr = translator(user.as_ref().ok().and_then(Option::as_ref), headers);
    let session = Arc::new(Session {
        user,
        tr,
        htmx: headers.contains_key("hx-request"),
    });
    request.extensions_mut().insert(Arc::clone(&session));
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<PageError>() {
        Some(e) => render_error(&e, &session.tr, session.htmx),
        None => response,
    }
}

fn translator(user: Option<&User>, headers: &HeaderMap) -> Tr {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let chosen = user
        .and_then(|u| u.language.as_deref())
        .and_then(Lang::parse);
    let tr = match chosen {
        Some(lang) => Tr::new(lang),
        None if accept.contains("x-pseudo") => Tr::pseudo(),
        None => Tr::new(Lang::negotiate(accept)),
    };
    let browser_zone = cookie(headers, ZONE_COOKIE);
    let zone = user.and_then(|u| u.time_zone.clone()).or(browser_zone);
    tr.in_zone(zone.as_deref())
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
        // Values may be percent-encoded (app.js writes `Asia%2FHo_Chi_Minh`).
        .map(|v| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={v}"))
                .ok()
                .and_then(|mut pairs| pairs.pop())
                .map_or_else(|| v.to_owned(), |(_, v)| v)
        })
}

fn session(parts: &Parts) -> Arc<Session> {
    parts
        .extensions
        .get::<Arc<Session>>()
        .cloned()
        .expect("the session layer runs before every page")
}

/// A logged-in user and their translator; without a valid session a browser is sent to the
/// login page and anything else gets a 401, never data.
pub struct Agent(pub User, pub Tr);

impl FromRequestParts<AppState> for Agent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        let s = session(parts);
        match &s.user {
            Ok(Some(u)) => Ok(Agent(u.clone(), s.tr.clone())),
            Ok(None) if parts.method == Method::GET && !s.htmx => {
                Err(Redirect::to("/login").into_response())
            }
            Ok(None) => Err((StatusCode::UNAUTHORIZED, "log in first").into_response()),
            Err(()) => Err(render_error(
                &PageError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Message::new("error-unavailable"),
                ),
                &s.tr,
                s.htmx,
            )),
        }
    }
}

/// Anyone, logged in or not, and their translator (the login page).
pub struct Reader(pub Tr);

impl FromRequestParts<AppState> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Reader(session(parts).tr.clone()))
    }
}

/// Whether the request came from htmx (it wants a fragment, not a page).
pub struct Htmx(pub bool);

impl FromRequestParts<AppState> for Htmx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Htmx(parts.headers.contains_key("hx-request")))
    }
}

/// The logged-in user as the header shows them.
pub struct Me {
    pub username: String,
    pub admin: bool,
}

impl Me {
    pub fn of(user: &User) -> Me {
        Me {
            username: user.username.clone(),
            admin: user.role == Role::Admin,
        }
    }
}
