//! Analytics through the API: the same numbers the Analytics page shows.
//!
//! * `GET /api/v1/analytics/responsiveness?page=&from=&to=`: the team's response rate and times
//!   (overall, per day, per agent) and the estimate of Meta's badge over `[from, to)` (RFC 3339
//!   instants or `YYYY-MM-DD` days, UTC; default the last 7 days). With `Accept: text/csv`, the
//!   days as CSV.
//! * `GET /api/v1/analytics/{table}.csv?page=&from=&to=`: any table of the page as CSV.
//! * `GET /api/v1/analytics/activity?page=&from=&to=`: messages in and out per day and by
//!   weekday and hour, new and returning customers, locales, genders, opt-outs, sources, ratings
//!   per agent, the policy's decisions by rule.
//! * `GET /api/v1/analytics/outcomes?page=&from=&to=`: each broadcast's funnel (planned, sent,
//!   delivered, read, replied, leads, bookings) and each flow's (started, finished, leads,
//!   bookings).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use store::Time;

use super::broadcasts::page_of;
use super::extract::Params;
use super::{ApiError, ApiResult, ApiUser};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// An instant (`2026-11-30T08:00:00Z`) or the start of a day (`2026-11-30`, UTC).
fn instant(field: &str, v: &str) -> Result<Time, ApiError> {
    let bad = || {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{field}: `{v}` is not an RFC 3339 instant nor a YYYY-MM-DD day"),
        )
    };
    let ts = match v.parse::<jiff::Timestamp>() {
        Ok(t) => t,
        Err(_) => v
            .parse::<jiff::civil::Date>()
            .map_err(|_| bad())?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|_| bad())?
            .timestamp(),
    };
    Ok(Time::from_ms(ts.as_millisecond()))
}

/// The Page and `[from, to)` asked for (default: the last 7 days).
async fn asked(state: &AppState, r: Range) -> Result<(String, Time, Time), ApiError> {
    let page_id = page_of(state, r.page).await?;
    let to =
        r.to.as_deref()
            .map(|v| instant("to", v))
            .transpose()?
            .unwrap_or_else(Time::now);
    let from = match r.from.as_deref() {
        Some(v) => instant("from", v)?,
        None => to - std::time::Duration::from_secs(7 * 86_400),
    };
    if from >= to || to.ms() - from.ms() > 366 * 86_400_000 {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "from, to: `from` must come before `to`, at most 366 days apart".into(),
        ));
    }
    Ok((page_id, from, to))
}

fn failed(e: anyhow::Error) -> ApiError {
    ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

pub async fn responsiveness(
    _user: ApiUser,
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(r): Params<Range>,
) -> ApiResult {
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    if wants_csv {
        return table_csv(_user, State(state), Path("days.csv".into()), Params(r)).await;
    }
    let (page_id, from, to) = asked(&state, r).await?;
    let figures = state
        .engine
        .responsiveness(&page_id, from, to)
        .await
        .map_err(failed)?;
    Ok(Json(figures).into_response())
}

/// One of the Analytics page's tables as CSV: `GET /api/v1/analytics/days.csv?page=&from=&to=`
/// (`days`, `agents`, `volume`, `heat`, `sources`, `audience`, `rules`, `insights`,
/// `broadcasts`, `flows`, `ratings`).
pub async fn table_csv(
    _user: ApiUser,
    State(state): State<AppState>,
    Path(file): Path<String>,
    Params(r): Params<Range>,
) -> ApiResult {
    let tables = engine::analytics::tables::TABLES;
    let table = file
        .strip_suffix(".csv")
        .filter(|t| tables.contains(t))
        .ok_or_else(|| {
            ApiError(
                StatusCode::NOT_FOUND,
                format!(
                    "`{file}`: not a table; one of {}, as NAME.csv",
                    tables.join(", ")
                ),
            )
        })?;
    let (page_id, from, to) = asked(&state, r).await?;
    let dashboard = state
        .engine
        .dashboard(&page_id, from, to)
        .await
        .map_err(failed)?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        dashboard.csv(table).unwrap_or_default(),
    )
        .into_response())
}

/// Volume, audience, sources, ratings and the policy's decisions over `[from, to)`.
pub async fn activity(
    _user: ApiUser,
    State(state): State<AppState>,
    Params(r): Params<Range>,
) -> ApiResult {
    let (page_id, from, to) = asked(&state, r).await?;
    let a = state
        .engine
        .activity(&page_id, from, to)
        .await
        .map_err(failed)?;
    Ok(Json(a).into_response())
}

/// Broadcast and flow funnels over `[from, to)`.
pub async fn outcomes(
    _user: ApiUser,
    State(state): State<AppState>,
    Params(r): Params<Range>,
) -> ApiResult {
    let (page_id, from, to) = asked(&state, r).await?;
    let o = state
        .engine
        .outcomes(&page_id, from, to)
        .await
        .map_err(failed)?;
    Ok(Json(o).into_response())
}
