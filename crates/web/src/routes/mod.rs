//! The router: Meta's webhook, health and metrics, the inbox's pages and the JSON API.

pub mod health;
pub mod webhook;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// Scripts, styles and frames only from Fenestra itself; images also from https (customers'
/// attachments). htmx adds a small inline style for its indicators, hence `'unsafe-inline'`
/// for styles, never for scripts.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' https: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    form-action 'self'; object-src 'none'";

/// A worker instance's: health and metrics only.
pub fn health_router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let secure = state.secure_cookies;
    let mut router = Router::new()
        .route("/webhook", get(webhook::verify).post(webhook::receive))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(crate::pages::routes(state.clone()))
        .merge(crate::api::routes())
        .layer(DefaultBodyLimit::max(max_body_bytes));
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if secure {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router.layer(TraceLayer::new_for_http()).with_state(state)
}
