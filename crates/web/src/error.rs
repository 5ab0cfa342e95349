//! How the engine's errors answer over HTTP: one status per kind of error, decided here for
//! both the inbox ([`PageError`], an HTML page) and the API (`api::ApiError`, JSON).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use engine::outbox::SubmitError;
use engine::team::TeamError;

/// The status that says what went wrong.
pub fn status(e: &TeamError) -> StatusCode {
    match e {
        TeamError::NoConversation { .. } | TeamError::NoPage(_) => StatusCode::NOT_FOUND,
        TeamError::NoUser(_) | TeamError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        TeamError::AdminOnly(_) => StatusCode::FORBIDDEN,
        TeamError::NoPageToken(_) | TeamError::Graph(_) => StatusCode::BAD_GATEWAY,
        TeamError::Submit(SubmitError::Store(_)) | TeamError::Store(_) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        TeamError::Submit(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// An error in the inbox, shown as a page that says what went wrong.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            status: self.status.as_u16(),
            message: &self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        }
    }
}

impl From<TeamError> for PageError {
    fn from(e: TeamError) -> PageError {
        PageError {
            status: status(&e),
            message: e.to_string(),
        }
    }
}

impl From<store::StoreError> for PageError {
    fn from(e: store::StoreError) -> PageError {
        TeamError::from(e).into()
    }
}

impl From<SubmitError> for PageError {
    fn from(e: SubmitError) -> PageError {
        TeamError::from(e).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> PageError {
        tracing::error!(error = %e, "a page failed to render");
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "this page could not be shown".into(),
        }
    }
}

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

/// Renders a template into a response.
pub fn render(t: impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}
