//! The web inbox: server-rendered HTML (askama), htmx for partial updates, server-sent events
//! for live ones, assets embedded in the binary, every text in the reader's language. Every
//! route but the login page needs a session; every form is protected from cross-site posts by
//! Fetch metadata (CSRF layer).

mod account;
mod actions;
mod analytics;
mod assets;
mod audiences;
mod auth;
mod automations;
mod badge;
mod bookings;
pub(crate) mod broadcasts;
mod comments;
mod compose;
mod connect;
mod flow_step;
mod flows;
mod inbox;
pub(crate) mod links;
mod live;
pub mod login_guard;
mod media;
mod privacy;
mod push;
pub mod session;
mod settings;
mod templates;
mod thread;
mod users;
mod verdict;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::csrf::CsrfLayer;

pub use connect::Logins;
pub use inbox::{Row, SHOWN};
pub use session::SESSION_COOKIE;
pub use verdict::VerdictView;

use crate::state::AppState;

/// A login form is a name and a password: nothing larger is read.
const LOGIN_BODY_LIMIT: usize = 8 * 1024;
/// A file for Meta (its limit is 25 MB) and the form around it.
const UPLOAD_BODY_LIMIT: usize = engine::rich::MAX_UPLOAD + 64 * 1024;

pub fn routes(state: AppState) -> Router<AppState> {
    let pages = Router::new()
        .route(
            "/login",
            get(auth::login_page)
                .post(auth::login)
                .layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/logout", post(auth::logout))
        .route("/", get(inbox::page))
        .route("/conversations", get(inbox::list))
        .route("/c/{page}/{psid}", get(thread::page))
        .route("/c/{page}/{psid}/picture", get(media::picture))
        .route("/c/{page}/{psid}/media/{key}", get(media::attachment))
        .route("/c/{page}/{psid}/verdict", get(compose::verdict))
        .route("/c/{page}/{psid}/send", post(compose::send))
        .route(
            "/c/{page}/{psid}/upload",
            post(compose::upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/c/{page}/{psid}/typing", post(compose::typing))
        .route("/c/{page}/{psid}/assign", post(actions::assign))
        .route("/c/{page}/{psid}/status", post(actions::status))
        .route("/c/{page}/{psid}/labels", post(actions::add_label))
        .route(
            "/c/{page}/{psid}/labels/remove",
            post(actions::remove_label),
        )
        .route("/c/{page}/{psid}/notes", post(actions::add_note))
        .route("/c/{page}/{psid}/seen", post(actions::mark_seen))
        .route("/c/{page}/{psid}/take-over", post(actions::take_over))
        .route("/c/{page}/{psid}/hand-back", post(actions::hand_back))
        .route("/c/{page}/{psid}/automations", post(actions::automations))
        .route("/c/{page}/{psid}/opt-out", post(actions::opt_out))
        .route(
            "/c/{page}/{psid}/optin-request",
            post(actions::optin_request),
        )
        .route("/c/{page}/{psid}/export", get(privacy::export))
        .route("/c/{page}/{psid}/erase", post(privacy::erase))
        .route("/analytics", get(analytics::page))
        .route("/analytics/{file}", get(analytics::table_csv))
        .route("/comments", get(comments::page))
        .route("/comments/list", get(comments::list))
        .route("/comments/{page}/{comment}/{action}", post(comments::act))
        .route("/links", get(links::page).post(links::save))
        .route("/links/sign", post(links::sign))
        .route("/links/{page}/{ref}/delete", post(links::delete))
        .route("/links/{page}/{ref}/{file}", get(links::artwork))
        .route("/bookings", get(bookings::page))
        .route("/bookings/{id}/cancel", post(bookings::cancel))
        .route("/bookings/{id}/move", post(bookings::move_to))
        .route("/leads", get(bookings::leads))
        .route("/broadcasts", get(broadcasts::list).post(broadcasts::send))
        .route("/broadcasts/new", get(broadcasts::new_form))
        .route("/audiences", get(audiences::list).post(audiences::save))
        .route("/audiences/count", post(audiences::count))
        .route(
            "/audiences/import",
            post(audiences::import).layer(axum::extract::DefaultBodyLimit::max(20 * 1024 * 1024)),
        )
        .route("/audiences/{id}/delete", post(audiences::delete))
        .route("/broadcasts/plan", post(broadcasts::plan))
        .route("/broadcasts/marketing", post(broadcasts::set_marketing))
        .route("/broadcasts/{id}", get(broadcasts::show))
        .route("/broadcasts/{id}/progress", get(broadcasts::progress))
        .route("/broadcasts/{id}/recipients.csv", get(broadcasts::csv))
        .route("/broadcasts/{id}/{action}", post(broadcasts::steer))
        .route("/leads.csv", get(bookings::leads_csv))
        .route("/settings", get(settings::page))
        .route("/alerts", get(settings::alerts))
        .route("/settings/users", get(users::page).post(users::add))
        .route(
            "/settings/templates/{page}",
            get(templates::page).post(templates::submit),
        )
        .route("/settings/templates/{page}/sync", post(templates::sync))
        .route("/settings/users/{name}/disabled", post(users::set_disabled))
        .route(
            "/settings/pages/{page}",
            get(settings::page_settings).post(settings::save_page_settings),
        )
        .route(
            "/settings/automations/{page}",
            get(automations::page).post(automations::apply),
        )
        .route("/settings/connect", get(connect::page))
        .route("/settings/connect/start", get(connect::start))
        .route("/settings/connect/callback", get(connect::callback))
        .route("/settings/connect/pages", post(connect::connect))
        .route("/settings/connect/{page}", get(connect::status))
        .route("/settings/connect/{page}/arrival", get(connect::arrival))
        .route(
            "/settings/flows/{page}",
            get(flows::page).post(flows::apply),
        )
        .route("/settings/flows/{page}/try", post(flows::rehearse))
        .route(
            "/settings/flows/{page}/step",
            get(flow_step::page).post(flow_step::save),
        )
        .route("/settings/replies", post(settings::save_reply))
        .route(
            "/settings/replies/{id}/delete",
            post(settings::delete_reply),
        )
        .route("/settings/personas", post(settings::create_persona))
        .route(
            "/settings/pages/{page}/retention",
            post(settings::set_retention),
        )
        .route("/account", get(account::page))
        .route("/account/preferences", post(account::preferences))
        .route("/account/password", post(account::password))
        .route("/events", get(live::events))
        .route("/push/key", get(push::key))
        .route("/push/subscribe", post(push::subscribe))
        .route("/push/unsubscribe", post(push::unsubscribe))
        .layer(axum::middleware::from_fn_with_state(state, session::layer))
        .layer(CsrfLayer::new());
    // Static files need no session: no database read per asset.
    Router::new()
        .route("/assets/{file}", get(assets::serve))
        .route("/manifest.webmanifest", get(assets::manifest))
        .route("/sw.js", get(assets::service_worker))
        .route("/favicon.ico", get(assets::favicon))
        .merge(pages)
}
