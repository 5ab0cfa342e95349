//! Broadcasts, audiences and marketing messages through the API (admins):
//!
//! * `POST /api/v1/broadcasts` `{page_id?, text, segment?|audience_id?, utility?, schedule?,
//!   dry_run?}`: with `dry_run` the plan (`paths`, `skipped`, `samples`, `estimate`); else the
//!   broadcast is recorded and sent (201). `page_id` may be left out when there is one page.
//! * `GET /api/v1/broadcasts?page=`; `GET /api/v1/broadcasts/{id}` (plan, results, reasons);
//!   `POST /api/v1/broadcasts/{id}/pause|resume|cancel`;
//!   `GET /api/v1/broadcasts/{id}/recipients?skipped=true` (JSON, or CSV with `Accept: text/csv`).
//! * `GET|POST /api/v1/pages/{page}/audiences`, `POST /api/v1/pages/{page}/audiences/count`,
//!   `DELETE /api/v1/audiences/{id}`.
//! * `GET|PUT /api/v1/pages/{page}/marketing`: onboarding (ad account) and pause thresholds;
//!   `POST /api/v1/pages/{page}/marketing/sync`: subscribers from Meta's token list.
//! * `POST /api/v1/conversations/{page}/{psid}/optin-request` `{title}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use engine::audience::{self, Segment};
use engine::broadcast::spec::BroadcastSpec;
use engine::broadcast::{BroadcastError, Steer};
use engine::outbox::Actor;
use engine::problem::Forbidden;
use engine::team::TeamError;
use serde::Deserialize;
use serde_json::{Value, json};
use store::{Role, User};

use super::extract::{Body, Params};
use super::{ApiError, ApiResult, ApiUser};
use crate::state::AppState;

impl From<BroadcastError> for ApiError {
    fn from(e: BroadcastError) -> ApiError {
        use BroadcastError::*;
        let status = match &e {
            UnknownPage(_) | UnknownBroadcast(_) => StatusCode::NOT_FOUND,
            Spec(_) | Segment(_) | UnknownAudience(_) | UnknownTemplate { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WrongState { .. } => StatusCode::CONFLICT,
            Campaign(_) => StatusCode::BAD_GATEWAY,
            Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

pub(crate) fn admin(user: &User) -> Result<(), ApiError> {
    admin_for(user, Forbidden::Broadcasts)
}

/// Admins only: others get 403 naming what they may not do.
pub(crate) fn admin_for(user: &User, what: Forbidden) -> Result<(), ApiError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(TeamError::AdminOnly(what).into())
    }
}

/// The page named, or the only one.
pub(crate) async fn page_of(state: &AppState, asked: Option<String>) -> Result<String, ApiError> {
    let pages = state.store().pages().await?;
    match asked {
        Some(p) if pages.iter().any(|x| x.id == p) => Ok(p),
        Some(p) => Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("page_id: page {p} is not known"),
        )),
        None if pages.len() == 1 => Ok(pages[0].id.clone()),
        None => Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "page_id: there are several pages: say which".into(),
        )),
    }
}

pub async fn create(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Body(mut body): Body<Value>,
) -> ApiResult {
    admin(&user)?;
    let obj = body.as_object_mut().ok_or_else(|| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the body must be a JSON object".into(),
        )
    })?;
    let dry_run = match obj.remove("dry_run") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(_) => {
            return Err(ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                "dry_run: true or false".into(),
            ));
        }
    };
    let page = obj
        .remove("page_id")
        .and_then(|v| v.as_str().map(str::to_owned));
    let page_id = page_of(&state, page).await?;
    let spec = BroadcastSpec::from_value(body).map_err(BroadcastError::from)?;
    if dry_run {
        let plan = state.engine.plan_broadcast(&page_id, &spec).await?;
        return Ok(
            Json(json!({"page_id": page_id, "dry_run": true, "plan": plan,
            "paths": plan.summary.paths, "skipped": plan.summary.skipped, "samples": plan.samples,
            "estimate": plan.estimate, "recipients": plan.summary.recipients}))
            .into_response(),
        );
    }
    let (id, plan) = state
        .engine
        .send_broadcast(&page_id, &spec, &format!("api:{}", user.username))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "page_id": page_id, "paths": plan.summary.paths, "skipped": plan.summary.skipped,
            "recipients": plan.summary.recipients})),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Which {
    #[serde(default)]
    page: Option<String>,
}

pub async fn list(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Params(w): Params<Which>,
) -> ApiResult {
    admin(&user)?;
    let page_id = page_of(&state, w.page).await?;
    let list = state.store().broadcasts(&page_id).await?;
    let mut out = Vec::with_capacity(list.len());
    for b in list {
        let tally = state.store().tally(b.id).await?;
        out.push(
            json!({"id": b.id, "name": b.name, "status": b.status, "pause_reason": b.pause_reason,
            "created_at": b.created_at, "start_at": b.start_at, "results": tally}),
        );
    }
    Ok(Json(json!({"page_id": page_id, "broadcasts": out})).into_response())
}

pub async fn show(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    admin(&user)?;
    Ok(Json(details(&state, id).await?).into_response())
}

/// A broadcast with its plan, results and reasons: what its page shows.
pub(crate) async fn details(state: &AppState, id: i64) -> Result<Value, ApiError> {
    let b = state
        .store()
        .broadcast(id)
        .await?
        .ok_or(BroadcastError::UnknownBroadcast(id))?;
    let tally = state.store().tally(id).await?;
    let reasons = state.store().reasons(id).await?;
    let plan: Value = serde_json::from_str(&b.plan).unwrap_or(Value::Null);
    let spec: Value = serde_json::from_str(&b.spec).unwrap_or(Value::Null);
    Ok(
        json!({"id": b.id, "page_id": b.page_id, "name": b.name, "status": b.status,
        "pause_reason": b.pause_reason, "resume_at": b.resume_at, "campaign_id": b.campaign_id,
        "created_by": b.created_by, "created_at": b.created_at, "start_at": b.start_at,
        "started_at": b.started_at, "finished_at": b.finished_at, "spec": spec, "plan": plan,
        "results": tally,
        "reasons": reasons.into_iter().map(|(rule, n)| json!({"rule": rule, "count": n})).collect::<Vec<_>>()}),
    )
}

pub async fn steer(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
) -> ApiResult {
    admin(&user)?;
    let action = match action.as_str() {
        "pause" => Steer::Pause,
        "resume" => Steer::Resume,
        "cancel" => Steer::Cancel,
        other => {
            return Err(ApiError(
                StatusCode::NOT_FOUND,
                format!("`{other}`: a broadcast can be paused, resumed or cancelled"),
            ));
        }
    };
    let b = state
        .engine
        .steer_broadcast(id, action, &user.username)
        .await?;
    Ok(
        Json(json!({"id": b.id, "status": b.status, "pause_reason": b.pause_reason}))
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct RecipientsQuery {
    #[serde(default)]
    skipped: bool,
}

pub async fn recipients(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Params(q): Params<RecipientsQuery>,
    headers: HeaderMap,
) -> ApiResult {
    admin(&user)?;
    if state.store().broadcast(id).await?.is_none() {
        return Err(BroadcastError::UnknownBroadcast(id).into());
    }
    let csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if csv {
        let body = crate::pages::broadcasts::recipients_csv(&state, id, q.skipped).await?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let rows = state
            .store()
            .recipient_results(id, q.skipped, &after, 5_000)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.psid.clone();
        let full = rows.len() == 5_000;
        all.extend(rows);
        if !full {
            break;
        }
    }
    Ok(Json(json!({"id": id, "recipients": all})).into_response())
}

pub async fn audiences(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> ApiResult {
    admin(&user)?;
    let list = state.store().audiences(&page_id).await?;
    let out: Vec<Value> = list
        .into_iter()
        .map(|a| json!({"id": a.id, "name": a.name, "segment": serde_json::from_str::<Value>(&a.segment).unwrap_or(Value::Null), "updated_at": a.updated_at}))
        .collect();
    Ok(Json(json!({"page_id": page_id, "audiences": out})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAudience {
    name: String,
    #[serde(default)]
    segment: Value,
}

pub async fn save_audience(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Body(a): Body<NewAudience>,
) -> ApiResult {
    admin(&user)?;
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "name: 1 to 80 characters".into(),
        ));
    }
    let segment = Segment::from_value(a.segment).map_err(BroadcastError::from)?;
    let text = serde_json::to_string(&segment).expect("a segment serializes");
    let id = state
        .store()
        .save_audience(&page_id, name, &text, store::Time::now())
        .await?;
    let (count, total) = audience::count(state.store(), &page_id, &segment).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"id": id, "name": name, "segment": segment, "count": count, "contacts": total}),
        ),
    )
        .into_response())
}

pub async fn count_audience(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Body(segment): Body<Value>,
) -> ApiResult {
    admin(&user)?;
    let segment = Segment::from_value(segment).map_err(BroadcastError::from)?;
    let (count, total) = audience::count(state.store(), &page_id, &segment).await?;
    Ok(Json(json!({"page_id": page_id, "count": count, "contacts": total})).into_response())
}

pub async fn delete_audience(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult {
    admin(&user)?;
    if !state.store().delete_audience(id).await? {
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("audience {id} does not exist"),
        ));
    }
    Ok(Json(json!({"id": id, "deleted": true})).into_response())
}

pub async fn marketing(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> ApiResult {
    admin(&user)?;
    let setup = state.store().marketing_setup(&page_id).await?;
    Ok(Json(json!({"page_id": page_id, "marketing": setup, "business_token": setup.business_token.is_some()})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarketingBody {
    #[serde(default)]
    ad_account_id: Option<String>,
    /// Absent: kept; empty: removed (the Page token is used).
    #[serde(default)]
    business_token: Option<String>,
    #[serde(default)]
    daily_budget: Option<i64>,
    #[serde(default)]
    pause_block_rate: Option<f64>,
    #[serde(default)]
    pause_error_rate: Option<f64>,
    #[serde(default)]
    default_country: Option<String>,
}

pub async fn set_marketing(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Body(b): Body<MarketingBody>,
) -> ApiResult {
    admin(&user)?;
    if state.store().page(&page_id).await?.is_none() {
        return Err(BroadcastError::UnknownPage(page_id).into());
    }
    let mut setup = state.store().marketing_setup(&page_id).await?;
    apply_marketing(&mut setup, b)?;
    state
        .store()
        .set_marketing_setup(&setup, store::Time::now())
        .await?;
    Ok(Json(json!({"page_id": page_id, "marketing": setup})).into_response())
}

/// Checks and applies a change to the marketing setup, naming the field at fault.
pub(crate) fn apply_marketing(
    setup: &mut store::MarketingSetup,
    b: MarketingBody,
) -> Result<(), ApiError> {
    let bad = |m: &str| ApiError(StatusCode::UNPROCESSABLE_ENTITY, m.to_owned());
    let ad_account = b
        .ad_account_id
        .map(|a| a.trim().trim_start_matches("act_").to_owned());
    if let Some(a) = &ad_account
        && !a.is_empty()
        && !a.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad("ad_account_id: the digits of act_<AD_ACCOUNT_ID>"));
    }
    for (name, rate) in [
        ("pause_block_rate", b.pause_block_rate),
        ("pause_error_rate", b.pause_error_rate),
    ] {
        if rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
            return Err(bad(&format!(
                "{name}: a share between 0 and 1 (0.02 is 2 %)"
            )));
        }
    }
    if b.daily_budget.is_some_and(|d| d <= 0) {
        return Err(bad(
            "daily_budget: a positive amount in the currency's minor units",
        ));
    }
    let country = b.default_country.map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = &country
        && !c.is_empty()
        && (c.len() != 2 || !c.chars().all(|x| x.is_ascii_alphabetic()))
    {
        return Err(bad(
            "default_country: a two-letter ISO 3166 code (VN, MY, IT…)",
        ));
    }
    if let Some(a) = ad_account {
        setup.ad_account_id = (!a.is_empty()).then_some(a);
    }
    if let Some(t) = b.business_token {
        setup.business_token = (!t.trim().is_empty()).then(|| t.trim().to_owned());
    }
    if b.daily_budget.is_some() {
        setup.daily_budget = b.daily_budget;
    }
    if let Some(r) = b.pause_block_rate {
        setup.pause_block_rate = r;
    }
    if let Some(r) = b.pause_error_rate {
        setup.pause_error_rate = r;
    }
    if let Some(c) = country {
        setup.default_country = (!c.is_empty()).then_some(c);
    }
    Ok(())
}

pub async fn sync_marketing(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> ApiResult {
    admin(&user)?;
    let synced = state
        .engine
        .sync_subscribers(&page_id)
        .await
        .map_err(|e| ApiError(StatusCode::BAD_GATEWAY, e))?;
    Ok(Json(json!({"page_id": page_id, "synced": synced})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptinBody {
    #[serde(default)]
    title: String,
}

pub async fn optin_request(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path((page_id, psid)): Path<(String, String)>,
    Body(b): Body<OptinBody>,
) -> ApiResult {
    use engine::broadcast::marketing::OptinError;
    match state
        .engine
        .request_optin(
            &page_id,
            &psid,
            &b.title,
            Actor::Agent(user.username.clone()),
        )
        .await
    {
        Ok(s) => Ok(Json(
            json!({"allowed": s.allowed(), "decision": s.decision, "outbox_ids": s.outbox_ids}),
        )
        .into_response()),
        Err(OptinError::Submit(e)) => Err(e.into()),
        Err(OptinError::Store(e)) => Err(e.into()),
        Err(e) => Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    name: String,
}

/// `POST /api/v1/pages/{page}/customer-lists?name=NAME` with the CSV as the body: the match
/// report, and the unmatched as Meta's hashed customer-list file (`hashed_csv`).
pub async fn import_list(
    ApiUser(user): ApiUser,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Params(q): Params<ListQuery>,
    body: axum::body::Bytes,
) -> ApiResult {
    use engine::broadcast::lists::ImportError;
    admin(&user)?;
    if state.store().page(&page_id).await?.is_none() {
        return Err(BroadcastError::UnknownPage(page_id).into());
    }
    match state.engine.import_list(&page_id, &q.name, &body).await {
        Ok(report) => Ok(Json(
            json!({"page_id": page_id, "report": report, "hashed_csv": report.hashed_csv}),
        )
        .into_response()),
        Err(ImportError::Store(e)) => Err(e.into()),
        Err(ImportError::List(e)) => Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
    }
}
