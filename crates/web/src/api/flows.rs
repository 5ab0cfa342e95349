//! `GET|PUT /api/v1/pages/{page}/flows`: a page's flows document, as the automations document
//! is served: JSON (with its version and how many customers are at each step), or the document
//! alone as YAML with `Accept: application/yaml`; `PUT` applies a whole document (admins) or
//! answers 422 with every problem, each naming its flow, step and line.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use engine::automations::AutomationsError;
use serde_json::json;

use super::automations::{refused_document, wants_yaml};
use super::{ApiResult, ApiUser};
use crate::state::AppState;

pub async fn show(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    if state.store().page(&page_id).await?.is_none() {
        return Err(AutomationsError::UnknownPage(page_id).into());
    }
    let (doc, stored) = state.engine.flows(&page_id).await?;
    if wants_yaml(&headers) {
        return Ok((
            [(header::CONTENT_TYPE, "application/yaml; charset=utf-8")],
            flows::to_yaml(&doc),
        )
            .into_response());
    }
    Ok(Json(json!({
        "page_id": page_id,
        "version": stored.as_ref().map(|s| s.version),
        "updated_at": stored.as_ref().map(|s| s.updated_at),
        "updated_by": stored.as_ref().map(|s| &s.updated_by),
        "document": doc,
        "steps": state.store().flow_steps(&page_id).await?,
        "decisions_30_days": state
            .store()
            .flow_decisions(&page_id, store::Time::from_ms(store::Time::now().ms() - 30 * 86_400_000))
            .await?
            .into_iter()
            .map(|(flow, sent, refused)| json!({"flow": flow, "sent": sent, "refused": refused}))
            .collect::<Vec<_>>(),
    }))
    .into_response())
}

pub async fn apply(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    body: String,
) -> ApiResult {
    match state.engine.apply_flows_as(&user, &page_id, &body).await {
        Ok((document, version)) => Ok(Json(json!({
            "page_id": page_id,
            "version": version,
            "document": document,
        }))
        .into_response()),
        Err(AutomationsError::Refused(refused)) => Ok(refused_document("flows", &refused)),
        Err(e) => Err(e.into()),
    }
}
