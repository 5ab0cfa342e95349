//! Graph API errors as Meta shapes them: HTTP status and
//! `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: i64,
    pub subcode: Option<i64>,
    pub message: String,
    pub kind: &'static str,
    /// `error_data` (e.g. `remaining_seconds` of a pacing rejection).
    pub data: Option<serde_json::Value>,
}

impl GraphError {
    /// `(#100) …`: an invalid parameter, naming it.
    pub fn param(message: impl Into<String>) -> GraphError {
        GraphError::new(100, None, format!("(#100) {}", message.into()))
    }

    pub fn new(code: i64, subcode: Option<i64>, message: impl Into<String>) -> GraphError {
        GraphError {
            status: StatusCode::BAD_REQUEST,
            code,
            subcode,
            message: message.into(),
            kind: "OAuthException",
            data: None,
        }
    }

    pub fn no_token() -> GraphError {
        GraphError::new(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        )
    }

    pub fn bad_token() -> GraphError {
        GraphError::new(190, None, "Invalid OAuth access token.")
    }

    pub fn no_user() -> GraphError {
        GraphError::new(100, Some(2018001), "(#100) No matching user found")
    }

    pub fn unavailable() -> GraphError {
        GraphError::new(
            551,
            Some(1545041),
            "(#551) This person isn't available right now.",
        )
    }

    pub fn outside_window() -> GraphError {
        GraphError::new(
            10,
            Some(2018278),
            "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview",
        )
    }

    pub fn rate_limited() -> GraphError {
        GraphError::new(
            613,
            None,
            "(#613) Calls to this api have exceeded the rate limit.",
        )
    }

    pub fn temporary() -> GraphError {
        GraphError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            ..GraphError::new(
                1200,
                None,
                "Temporary send message failure. Please try again later.",
            )
        }
    }

    pub fn restricted() -> GraphError {
        GraphError::new(
            10,
            Some(1893063),
            "(#10) This Page is temporarily restricted from sending messages because of a policy violation.",
        )
    }

    pub fn permission(message: impl Into<String>) -> GraphError {
        GraphError::new(200, None, format!("(#200) {}", message.into()))
    }

    pub fn unsupported(method: &str) -> GraphError {
        GraphError::new(
            100,
            Some(33),
            format!(
                "Unsupported {method} request. Object does not exist, cannot be loaded due to missing permissions, or does not support this operation."
            ),
        )
    }

    pub fn body(&self, fbtrace_id: &str) -> serde_json::Value {
        let mut error = json!({"message": self.message, "type": self.kind, "code": self.code, "fbtrace_id": fbtrace_id});
        if let Some(sub) = self.subcode {
            error["error_subcode"] = json!(sub);
        }
        if let Some(data) = &self.data {
            error["error_data"] = data.clone();
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let trace = format!(
            "A{:010x}",
            self.code.wrapping_mul(2654435761) & 0xff_ffff_ffff
        );
        (self.status, Json(self.body(&trace))).into_response()
    }
}
