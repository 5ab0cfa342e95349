//! `GET|PUT /api/v1/pages/{page}/automations`: a page's automations document. `GET` answers
//! JSON (the document with its version and the Messenger profile's state), or the document
//! alone as YAML when asked with `Accept: application/yaml`. `PUT` takes the document (YAML or
//! JSON) and applies it whole, or answers 422 with every problem, each naming its field and
//! line. Applying is an admin's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use engine::automations::AutomationsError;
use serde_json::json;

use super::{ApiError, ApiResult, ApiUser};
use crate::state::AppState;

impl From<AutomationsError> for ApiError {
    fn from(e: AutomationsError) -> ApiError {
        let status = match &e {
            AutomationsError::UnknownPage(_) | AutomationsError::UnknownStep(_) => {
                StatusCode::NOT_FOUND
            }
            AutomationsError::AdminOnly(_) => StatusCode::FORBIDDEN,
            AutomationsError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AutomationsError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        ApiError(status, e.to_string())
    }
}

/// A document refused: 422 with every problem, each naming its field and line.
pub fn refused_document(what: &str, refused: &automations::Refused) -> axum::response::Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": format!("the {what} document was refused:\n{refused}"),
            "problems": refused.problems,
        })),
    )
        .into_response()
}

pub fn wants_yaml(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("yaml"))
}

pub async fn show(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    if state.store().page(&page_id).await?.is_none() {
        return Err(AutomationsError::UnknownPage(page_id).into());
    }
    let current = state.engine.automations(&page_id).await?;
    if wants_yaml(&headers) {
        let yaml = automations::to_yaml(&current.document);
        return Ok((
            [(header::CONTENT_TYPE, "application/yaml; charset=utf-8")],
            yaml,
        )
            .into_response());
    }
    let stored = current.stored.as_ref();
    Ok(Json(json!({
        "page_id": page_id,
        "version": stored.map(|s| s.version),
        "updated_at": stored.map(|s| s.updated_at),
        "updated_by": stored.map(|s| &s.updated_by),
        "document": current.document,
        "messenger_profile": stored.map(|s| json!({
            "pending": s.profile_pending(),
            "synced_version": s.profile_version,
            "synced_at": s.profile_synced_at,
            "error": s.profile_error,
            "error_at": s.profile_error_at,
        })),
    }))
    .into_response())
}

pub async fn apply(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    body: String,
) -> ApiResult {
    match state
        .engine
        .apply_automations_as(&user, &page_id, &body)
        .await
    {
        Ok((document, version)) => Ok(Json(json!({
            "page_id": page_id,
            "version": version,
            "document": document,
        }))
        .into_response()),
        Err(AutomationsError::Refused(refused)) => Ok(refused_document("automations", &refused)),
        Err(e) => Err(e.into()),
    }
}
