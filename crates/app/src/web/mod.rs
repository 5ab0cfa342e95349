//! The web inbox: server-rendered HTML (askama), htmx for partial updates, server-sent events
//! for live ones, assets embedded in the binary. Every route but the login page needs a
//! session; every form is protected from cross-site posts by Fetch metadata (CSRF layer).

mod assets;
mod auth;
mod inbox;
mod live;
mod thread;
mod when;

use axum::Router;
use axum::routing::{get, post};
use tower_http::csrf::CsrfLayer;

pub use auth::{LoginLimiter, SESSION_COOKIE, login_limiter};

use crate::routes::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/", get(inbox::page))
        .route("/conversations", get(inbox::list))
        .route("/c/{page}/{psid}", get(thread::page))
        .route("/c/{page}/{psid}/verdict", get(thread::verdict))
        .route("/c/{page}/{psid}/send", post(thread::send))
        .route("/events", get(live::events))
        .route("/assets/{file}", get(assets::serve))
        .layer(CsrfLayer::new())
}
