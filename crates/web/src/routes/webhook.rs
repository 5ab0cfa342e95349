//! `GET /webhook` (Meta's verification handshake) and `POST /webhook` (events).

use std::sync::atomic::Ordering::Relaxed;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use messenger::signature;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::state::AppState;

#[derive(Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

pub async fn verify(State(state): State<AppState>, Query(q): Query<Handshake>) -> Response {
    // Compared in constant time: the token is a secret.
    let token_ok = q
        .verify_token
        .as_deref()
        .is_some_and(|t| bool::from(t.as_bytes().ct_eq(state.verify_token.as_bytes())));
    match (q.mode.as_deref(), token_ok, q.challenge) {
        (Some("subscribe"), true, Some(challenge)) => (StatusCode::OK, challenge).into_response(),
        (Some("subscribe"), false, _) => (
            StatusCode::FORBIDDEN,
            "hub.verify_token does not match FENESTRA_VERIFY_TOKEN\n",
        )
            .into_response(),
        _ => (
            StatusCode::BAD_REQUEST,
            "expected hub.mode=subscribe, hub.verify_token and hub.challenge\n",
        )
            .into_response(),
    }
}

/// Verify, store durably, answer. Processing happens later, off the request path.
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                state.engine.metrics.reject("too_large");
            }
            return (rejection.status(), format!("{}\n", rejection.body_text())).into_response();
        }
    };
    let header = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    if let Err(e) = signature::verify(state.app_secret.as_bytes(), &body, header) {
        state.engine.metrics.reject(e.label());
        tracing::warn!(reason = e.label(), bytes = body.len(), "webhook rejected");
        return (StatusCode::UNAUTHORIZED, format!("{e}\n")).into_response();
    }
    match state.ingest.store(body.to_vec()).await {
        Ok(_) => {
            state.engine.metrics.received.fetch_add(1, Relaxed);
            (StatusCode::OK, "EVENT_RECEIVED").into_response()
        }
        Err(e) => {
            state.engine.metrics.reject("store_unavailable");
            // 503 makes Meta deliver again later; nothing was acknowledged.
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                format!("{e}\n"),
            )
                .into_response()
        }
    }
}
