//! Web Push for the inbox's devices: the public key a browser subscribes with, and its
//! subscription kept (or dropped) for the logged-in user.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use super::session::Agent;
use crate::error::PageResult;
use crate::state::AppState;

pub async fn key(_agent: Agent, State(state): State<AppState>) -> PageResult {
    let key = state.engine.vapid_public_key().await?;
    Ok(Json(json!({ "key": key })).into_response())
}

pub async fn subscribe(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Json(subscription): Json<Value>,
) -> PageResult {
    state.engine.subscribe_push(&user, &subscription).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub struct Unsubscribe {
    endpoint: String,
}

pub async fn unsubscribe(
    _agent: Agent,
    State(state): State<AppState>,
    Json(u): Json<Unsubscribe>,
) -> PageResult {
    state.engine.unsubscribe_push(&u.endpoint).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
