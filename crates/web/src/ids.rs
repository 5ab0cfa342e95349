//! The `{page}/{psid}` of a conversation's URL, checked before anything uses them: Meta's ids
//! are short runs of digits (tests use letters too), so anything else — a newline, a slash, a
//! kilobyte of text — is no conversation of ours, answered 404 without touching the database.

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::error::{Message, PageError};

/// A page id and a PSID that look like ids.
pub struct ConversationIds(pub (String, String));

fn plausible(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
}

/// Why the ids were refused, answered as the API (JSON) or the inbox (a page) answers.
pub struct BadIds {
    api: bool,
}

impl IntoResponse for BadIds {
    fn into_response(self) -> Response {
        let message = "no such conversation: the page id and PSID must be ids".to_owned();
        if self.api {
            ApiError(StatusCode::NOT_FOUND, message).into_response()
        } else {
            PageError::new(StatusCode::NOT_FOUND, Message::new("error-no-conversation"))
                .into_response()
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ConversationIds {
    type Rejection = BadIds;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, BadIds> {
        let api = parts.uri.path().starts_with("/api/");
        // By name: a route may have more parameters (`/c/{page}/{psid}/media/{key}`).
        let Path(params) =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|_| BadIds { api })?;
        let (Some(page), Some(psid)) = (params.get("page").cloned(), params.get("psid").cloned())
        else {
            return Err(BadIds { api });
        };
        if plausible(&page) && plausible(&psid) {
            Ok(ConversationIds((page, psid)))
        } else {
            Err(BadIds { api })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plausible;

    #[test]
    fn ids_are_short_and_plain() {
        assert!(plausible("1001") && plausible("7042_abc") && plausible("nobody"));
        for bad in ["", "\n", "a/b", "a b", "%0A", &"9".repeat(129), "<script>"] {
            assert!(!plausible(bad), "{bad:?}");
        }
    }
}
