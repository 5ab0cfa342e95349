//! HTTP routes. Handlers are thin: they translate HTTP to calls on the app's parts and back.

pub mod health;
pub mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use store::Store;
use tokio::sync::{Notify, broadcast, watch};
use tower_http::trace::TraceLayer;

use crate::ingest::Ingest;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub ingest: Ingest,
    pub metrics: Arc<Metrics>,
    pub app_secret: Arc<str>,
    pub verify_token: Arc<str>,
    /// Wakes the delivery worker after the inbox queued a message.
    pub queued: Arc<Notify>,
    /// Something changed (webhooks applied, sends moved on): browsers refresh.
    pub live: broadcast::Sender<()>,
    pub login_limiter: crate::web::LoginLimiter,
    /// Turns true at shutdown: long-lived responses (server-sent events) end then, or a
    /// graceful shutdown would wait for them forever.
    pub stopping: watch::Receiver<bool>,
    /// For what the inbox asks Meta directly (creating personas).
    pub graph: messenger::GraphClient,
}

pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/webhook", get(webhook::verify).post(webhook::receive))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(crate::web::routes())
        .merge(crate::api::routes())
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
