//! The router: Meta's webhook, health and metrics, the inbox's pages and the JSON API.

pub mod health;
pub mod webhook;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/webhook", get(webhook::verify).post(webhook::receive))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(crate::pages::routes())
        .merge(crate::api::routes())
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
