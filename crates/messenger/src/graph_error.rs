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

/// What an error says about the world: the one reading of Meta's codes. The delivery worker
/// acts on it (retry, mark the contact or the page), [`ErrorClass`] is derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meaning {
    /// 4, 17, 32, 613: too many calls; slow down.
    RateLimited,
    /// 1200, 2, transient errors, and 1/1357046 ("invalid JSON reply", possibly sent).
    Temporary,
    /// 10/2018278 (10/2018065 before 2020): the customer's window is closed.
    WindowClosed,
    /// 551 (with or without 1545041), 10/2018108, 100/2018001: the person cannot be reached
    /// (blocked the Page, left Messenger, cannot receive from this Page).
    Unreachable,
    /// 10/2018300: another app controls the thread (Conversation Routing).
    ThreadOwnedByOtherApp,
    /// 10/1893063: Meta restricted the Page from sending.
    PageRestricted,
    /// 190 (and 2500): the access token is invalid, expired or revoked.
    TokenInvalid,
    /// 200, 230, other 10s: a permission or feature is missing.
    PermissionMissing,
    /// 100 and the rest: the request is wrong.
    InvalidRequest,
}

impl Meaning {
    /// What a sender does about it.
    pub fn class(self) -> ErrorClass {
        match self {
            Meaning::RateLimited | Meaning::Temporary => ErrorClass::RetryLater,
            Meaning::WindowClosed | Meaning::Unreachable | Meaning::ThreadOwnedByOtherApp => {
                ErrorClass::StopContact
            }
            Meaning::PageRestricted | Meaning::TokenInvalid | Meaning::PermissionMissing => {
                ErrorClass::StopPage
            }
            Meaning::InvalidRequest => ErrorClass::FixRequest,
        }
    }
}

impl GraphError {
    pub fn code(&self) -> i64 {
        self.code.unwrap_or(0)
    }

    /// The one reading of Meta's code and subcode.
    pub fn meaning(&self) -> Meaning {
        use Meaning::*;
        match (self.code(), self.error_subcode) {
            (551, _) => Unreachable,
            (10, Some(2018278 | 2018065)) => WindowClosed,
            // 1545041 comes with 551 and with 200 ("isn't receiving messages from you right
            // now" in recorded bodies): the person, not the window.
            (10, Some(2018108)) | (100, Some(2018001)) | (_, Some(1545041)) => Unreachable,
            (10, Some(2018300)) => ThreadOwnedByOtherApp,
            (10, Some(1893063)) => PageRestricted,
            (1, Some(1357046)) => Temporary,
            (4 | 17 | 32 | 613, _) => RateLimited,
            (2 | 1200, _) => Temporary,
            _ if self.is_transient == Some(true) => Temporary,
            (190 | 2500, _) => TokenInvalid,
            (200 | 230 | 10, _) => PermissionMissing,
            _ => InvalidRequest,
        }
    }

    pub fn classify(&self) -> ErrorClass {
        self.meaning().class()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: i64, subcode: Option<i64>) -> GraphError {
        GraphError {
            message: String::new(),
            type_: None,
            code: Some(code),
            error_subcode: subcode,
            fbtrace_id: None,
            error_data: None,
            is_transient: None,
            error_user_title: None,
            error_user_msg: None,
        }
    }

    #[test]
    fn each_code_has_one_meaning() {
        use Meaning::*;
        for (code, subcode, meaning) in [
            (10, Some(2018278), WindowClosed),
            (10, Some(2018065), WindowClosed),
            (10, Some(2018108), Unreachable),
            (551, None, Unreachable),
            (551, Some(1545041), Unreachable),
            (200, Some(1545041), Unreachable),
            (10, Some(2018300), ThreadOwnedByOtherApp),
            (10, Some(1893063), PageRestricted),
            (613, None, RateLimited),
            (1, Some(1357046), Temporary),
            (190, Some(460), TokenInvalid),
            (200, None, PermissionMissing),
            (100, None, InvalidRequest),
        ] {
            assert_eq!(
                error(code, subcode).meaning(),
                meaning,
                "{code}/{subcode:?}"
            );
        }
        assert_eq!(ThreadOwnedByOtherApp.class(), ErrorClass::StopContact);
    }
}
