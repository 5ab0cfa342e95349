//! What a Page does to comments on its posts through Graph: answer publicly, hide, show,
//! delete. Fenestra queues these in its outbox like messages; this is the call the worker makes.

use serde::{Deserialize, Serialize};

#[cfg(feature = "client")]
use crate::graph_client::{GraphClient, SendError};

/// One action on one comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum CommentAction {
    /// A public answer under the comment (`POST /{comment-id}/comments`).
    Reply {
        message: String,
    },
    /// `POST /{comment-id} {"is_hidden": true}`.
    Hide,
    Unhide,
    /// `DELETE /{comment-id}`.
    Delete,
}

impl CommentAction {
    pub fn name(&self) -> &'static str {
        match self {
            CommentAction::Reply { .. } => "reply",
            CommentAction::Hide => "hide",
            CommentAction::Unhide => "unhide",
            CommentAction::Delete => "delete",
        }
    }
}

/// An outbox row of kind `comment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRequest {
    pub comment_id: String,
    #[serde(flatten)]
    pub action: CommentAction,
}

#[cfg(feature = "client")]
#[derive(Deserialize)]
struct Created {
    id: String,
}

#[cfg(feature = "client")]
impl GraphClient {
    /// Carries out `r`; a public reply answers with the new comment's id.
    pub async fn comment_action(
        &self,
        page_token: &str,
        r: &CommentRequest,
    ) -> Result<Option<String>, SendError> {
        let node = format!("{}/{}", self.base, r.comment_id);
        let http = &self.http;
        match &r.action {
            CommentAction::Reply { message } => {
                let url = format!("{node}/comments");
                let body = serde_json::json!({ "message": message });
                let created: Created = self
                    .call(http.post(&url).bearer_auth(page_token).json(&body), &url)
                    .await?;
                Ok(Some(created.id))
            }
            CommentAction::Hide | CommentAction::Unhide => {
                let hidden = r.action == CommentAction::Hide;
                let body = serde_json::json!({ "is_hidden": hidden });
                let _: serde_json::Value = self
                    .call(http.post(&node).bearer_auth(page_token).json(&body), &node)
                    .await?;
                Ok(None)
            }
            CommentAction::Delete => {
                let _: serde_json::Value = self
                    .call(http.delete(&node).bearer_auth(page_token), &node)
                    .await?;
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back_as_written() {
        let r = CommentRequest {
            comment_id: "77_1".into(),
            action: CommentAction::Reply {
                message: "Check your Messenger!".into(),
            },
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"comment_id":"77_1","action":"reply","message":"Check your Messenger!"}"#
        );
        assert_eq!(serde_json::from_str::<CommentRequest>(&json).unwrap(), r);
        let hide: CommentRequest =
            serde_json::from_str(r#"{"comment_id":"77_1","action":"hide"}"#).unwrap();
        assert_eq!(hide.action, CommentAction::Hide);
    }
}
