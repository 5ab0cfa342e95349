//! `/healthz` and `/metrics`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::time::now_ms;

/// 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.queue_stats().await {
        Ok(q) => (
            StatusCode::OK,
            format!("ok {} pending={}\n", state.store.backend(), q.pending),
        )
            .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}\n"),
        )
            .into_response(),
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let queue = state.store.queue_stats().await.ok();
    let text = state.metrics.render(queue.as_ref(), now_ms());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
