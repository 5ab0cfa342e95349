//! The JSON API under `/api/v1`: the inbox's actions for other programs, authenticated by a
//! bearer token (`fenestra user token NAME`) that acts as that user with their role. Errors
//! are `{"error": "…"}` with a status that says what went wrong. See `docs/api.md`.

mod analytics;
mod automations;
mod bookings;
pub(crate) mod broadcasts;
pub(crate) mod comments;
mod conversations;
mod extract;
mod flows;
mod messages;
mod settings;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use engine::accounts::token_hash;
use engine::outbox::SubmitError;
use engine::team::TeamError;
use serde_json::json;
use store::User;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    use conversations as c;
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/conversations", get(c::list))
        .route("/api/v1/conversations/{page}/{psid}", get(c::show))
        .route(
            "/api/v1/conversations/{page}/{psid}/assign",
            post(c::assign),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/status",
            post(c::status),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/labels",
            post(c::add_label),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/labels/{label}",
            delete(c::remove_label),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/notes",
            post(c::add_note),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/seen",
            post(c::mark_seen),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/typing",
            post(c::typing),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/take-over",
            post(c::take_over),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/hand-back",
            post(c::hand_back),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/automations",
            post(c::automations),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/opt-out",
            post(c::opt_out),
        )
        .route("/api/v1/conversations/{page}/{psid}/export", get(c::export))
        .route("/api/v1/conversations/{page}/{psid}/erase", post(c::erase))
        .route(
            "/api/v1/conversations/{page}/{psid}/verdict",
            post(messages::verdict),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/messages",
            post(messages::send),
        )
        .route(
            "/api/v1/saved-replies",
            get(settings::replies).post(settings::save_reply),
        )
        .route("/api/v1/pages", get(settings::pages))
        .route(
            "/api/v1/users",
            get(settings::users).post(settings::add_user),
        )
        .route(
            "/api/v1/users/{name}",
            axum::routing::put(settings::change_user),
        )
        .route(
            "/api/v1/pages/{page}/attachments",
            post(messages::upload).layer(axum::extract::DefaultBodyLimit::max(
                engine::rich::MAX_UPLOAD + 64 * 1024,
            )),
        )
        .route(
            "/api/v1/pages/{page}/automations",
            get(automations::show).put(automations::apply),
        )
        .route("/api/v1/pages/{page}/bookings", get(bookings::list))
        .route("/api/v1/bookings/{id}/cancel", post(bookings::cancel))
        .route("/api/v1/bookings/{id}/move", post(bookings::move_to))
        .route("/api/v1/pages/{page}/leads", get(bookings::leads))
        .route(
            "/api/v1/pages/{page}/flows",
            get(flows::show).put(flows::apply),
        )
        .route(
            "/api/v1/pages/{page}/templates",
            get(settings::templates).post(settings::submit_template),
        )
        .route(
            "/api/v1/pages/{page}/templates/sync",
            post(settings::sync_templates),
        )
        .route(
            "/api/v1/pages/{page}/settings",
            axum::routing::put(settings::set_page_settings),
        )
        .route("/api/v1/pages/{page}/connection", get(settings::connection))
        .route(
            "/api/v1/pages/{page}/retention",
            axum::routing::put(settings::set_retention),
        )
        .route(
            "/api/v1/broadcasts",
            get(broadcasts::list).post(broadcasts::create),
        )
        .route("/api/v1/broadcasts/{id}", get(broadcasts::show))
        .route(
            "/api/v1/broadcasts/{id}/recipients",
            get(broadcasts::recipients),
        )
        .route("/api/v1/broadcasts/{id}/{action}", post(broadcasts::steer))
        .route(
            "/api/v1/pages/{page}/audiences",
            get(broadcasts::audiences).post(broadcasts::save_audience),
        )
        .route(
            "/api/v1/pages/{page}/audiences/count",
            post(broadcasts::count_audience),
        )
        .route(
            "/api/v1/audiences/{id}",
            delete(broadcasts::delete_audience),
        )
        .route(
            "/api/v1/pages/{page}/customer-lists",
            post(broadcasts::import_list)
                .layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route(
            "/api/v1/pages/{page}/marketing",
            get(broadcasts::marketing).put(broadcasts::set_marketing),
        )
        .route(
            "/api/v1/pages/{page}/marketing/sync",
            post(broadcasts::sync_marketing),
        )
        .route(
            "/api/v1/conversations/{page}/{psid}/optin-request",
            post(broadcasts::optin_request),
        )
        .route(
            "/api/v1/analytics/responsiveness",
            get(analytics::responsiveness),
        )
        .route("/api/v1/analytics/activity", get(analytics::activity))
        .route("/api/v1/analytics/outcomes", get(analytics::outcomes))
        .route("/api/v1/analytics/{file}", get(analytics::table_csv))
        .route("/api/v1/pages/{page}/posts", get(comments::posts))
        .route("/api/v1/pages/{page}/comments", get(comments::comments))
        .route(
            "/api/v1/pages/{page}/comments/{comment}/private_reply",
            post(comments::private_reply),
        )
        .route(
            "/api/v1/pages/{page}/comments/{comment}/{action}",
            post(comments::act),
        )
        .route(
            "/api/v1/pages/{page}/entry_points",
            get(comments::entry_points).post(comments::save_entry_point),
        )
        .route(
            "/api/v1/pages/{page}/entry_points/{ref}",
            delete(comments::delete_entry_point),
        )
        .route(
            "/api/v1/pages/{page}/entry_points/{ref}/{file}",
            get(comments::artwork),
        )
        .route(
            "/api/v1/pages/{page}/signed_links",
            post(comments::signed_link),
        )
        .route(
            "/api/v1/pages/{page}/attribution",
            get(comments::attribution),
        )
        .route(
            "/api/v1/personas",
            get(settings::personas).post(settings::create_persona),
        )
}

/// An error as the API answers it: `{"error": "…"}` with a status.
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<TeamError> for ApiError {
    fn from(e: TeamError) -> ApiError {
        ApiError(crate::error::status(&e), e.to_string())
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> ApiError {
        TeamError::from(e).into()
    }
}

impl From<SubmitError> for ApiError {
    fn from(e: SubmitError) -> ApiError {
        TeamError::from(e).into()
    }
}

pub type ApiResult = Result<Response, ApiError>;

/// The token's user; without a valid `Authorization: Bearer` token, 401 and no data.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = |why: &str| ApiError(StatusCode::UNAUTHORIZED, why.to_owned());
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .ok_or_else(|| {
                unauthorized(
                    "send `Authorization: Bearer TOKEN` (make one with `fenestra user token NAME`)",
                )
            })?;
        state
            .store()
            .api_token_user(&token_hash(token.trim()), store::Time::now())
            .await?
            .map(ApiUser)
            .ok_or_else(|| unauthorized("this token is unknown, or its user is disabled"))
    }
}

async fn me(ApiUser(user): ApiUser) -> Json<User> {
    Json(user)
}

/// The token of an `Authorization: Bearer TOKEN` header; the scheme is case-insensitive.
fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}
