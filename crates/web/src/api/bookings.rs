//! Appointments and leads through the API: what the Bookings and Leads pages show.
//!
//! * `GET /api/v1/pages/{page}/bookings?days=7`: appointments starting from 12 hours ago on;
//! * `POST /api/v1/bookings/{id}/cancel`; `POST /api/v1/bookings/{id}/move`
//!   `{"resource", "starts_at": RFC 3339}` (409 when it does not fit);
//! * `GET /api/v1/pages/{page}/leads`: JSON, or CSV with `Accept: text/csv`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;
use store::Time;

use super::extract::{Body, Params};
use super::{ApiError, ApiResult, ApiUser};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Range {
    #[serde(default = "week")]
    days: i64,
}

fn week() -> i64 {
    7
}

pub async fn list(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Params(r): Params<Range>,
) -> ApiResult {
    if !(1..=366).contains(&r.days) {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "days: 1 to 366".into(),
        ));
    }
    let now = Time::now();
    let bookings = state
        .store()
        .bookings(
            &page_id,
            Time::from_ms(now.ms() - 12 * 3_600_000),
            Time::from_ms(now.ms() + r.days * 86_400_000),
        )
        .await?;
    Ok(Json(json!({ "page_id": page_id, "bookings": bookings })).into_response())
}

pub async fn cancel(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    let cancelled = state.engine.cancel_booking_as(&user, id).await?;
    Ok(Json(json!({ "id": id, "cancelled": cancelled })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    resource: String,
    starts_at: jiff::Timestamp,
}

pub async fn move_to(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Body(b): Body<MoveBody>,
) -> ApiResult {
    if !state
        .engine
        .move_booking_as(&user, id, &b.resource, b.starts_at)
        .await?
    {
        return Err(ApiError(
            StatusCode::CONFLICT,
            format!(
                "booking {id} cannot move to {} with {}: no such booking, outside the hours, or full",
                b.starts_at, b.resource
            ),
        ));
    }
    Ok(Json(json!({ "id": id, "booking": state.store().booking(id).await? })).into_response())
}

pub async fn leads(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let leads = state.engine.leads(&page_id).await?;
    let csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    if csv {
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            engine::leads::to_csv(&leads),
        )
            .into_response());
    }
    Ok(Json(json!({ "page_id": page_id, "leads": leads })).into_response())
}
