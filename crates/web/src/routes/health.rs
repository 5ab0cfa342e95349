//! `/healthz` and `/metrics`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use store::Time;

use crate::state::AppState;

/// 200 when the database answers, 503 otherwise. Pages whose sends are paused are listed.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().queue_depth().await {
        Ok(q) => {
            let mut text = format!("ok {} pending={}\n", state.store().backend(), q.pending);
            for p in state.store().pages().await.unwrap_or_default() {
                if let Some(why) = p.paused_reason {
                    text.push_str(&format!("ALERT page {} sends paused: {why}\n", p.id));
                }
            }
            (StatusCode::OK, text).into_response()
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}\n"),
        )
            .into_response(),
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let queue = state.store().queue_depth().await.ok();
    let outbox = state.store().outbox_counts().await.unwrap_or_default();
    let connected: Vec<(String, bool)> = state
        .engine
        .connections
        .lock()
        .map(|all| all.iter().map(|(p, c)| (p.clone(), !c.is_lost())).collect())
        .unwrap_or_default();
    let text = state
        .engine
        .metrics
        .render(queue.as_ref(), &outbox, &connected, Time::now());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
