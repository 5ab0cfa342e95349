//! Graph API error bodies and what a sender should do about each.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient;

/// `{"error": {…}}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphErrorBody {
    pub error: GraphError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphError {
    #[serde(default)]
    pub message: String,
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub code: Option<i64>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_subcode: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
    /// Legacy (2016) bodies carry a human explanation here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_transient: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_user_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_user_msg: Option<String>,
}

/// What the sender does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Rate limits, temporary failures, 5xx, timeouts: try the same request again later.
    RetryLater,
    /// The request is wrong (invalid parameter): retrying unchanged cannot help.
    FixRequest,
    /// Nothing more can go to this person now (blocked, unavailable, window closed).
    StopContact,
    /// Nothing more can go out for this page (token invalid, permission missing, page restricted).
    StopPage,
}

impl GraphError {
    pub fn code(&self) -> i64 {
        self.code.unwrap_or(0)
    }

    pub fn classify(&self) -> ErrorClass {
        use ErrorClass::*;
        match (self.code(), self.error_subcode) {
            // Window closed (2018278 today, 2018065 before 2020), person not reachable.
            (10, Some(2018278 | 2018065 | 2018108)) => StopContact,
            (_, Some(1545041)) => StopContact,
            (551, _) => StopContact,
            (100, Some(2018001)) => StopContact, // no matching user
            // The page is restricted by Meta (June 2026).
            (10, Some(1893063)) => StopPage,
            (1, Some(1357046)) => RetryLater, // "invalid JSON reply": reconcile, may have been sent
            (2 | 4 | 17 | 32 | 613 | 1200, _) => RetryLater,
            _ if self.is_transient == Some(true) => RetryLater,
            // Token invalid/expired, permission or feature missing.
            (190 | 200 | 230 | 2500 | 10, _) => StopPage,
            (100 | 2018109 | 10303, _) => FixRequest,
            _ => FixRequest,
        }
    }
}
