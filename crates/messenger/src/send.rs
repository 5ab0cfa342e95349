//! The Send API (`POST /{version}/me/messages`): request and response bodies.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `messaging_type` of a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessagingType {
    /// A reply inside the 24-hour window.
    Response,
    /// A proactive message inside the 24-hour window.
    Update,
    /// Outside the window, with a `tag`.
    MessageTag,
    /// A utility message from an approved template (replaced three tags on 2026-04-27).
    Utility,
    /// A paid marketing message. Not a Send API value: such messages go to the Marketing
    /// Message API (`act_<AD_ACCOUNT_ID>/messages`); the policy names the path with it.
    Marketing,
}

impl MessagingType {
    pub fn as_str(self) -> &'static str {
        match self {
            MessagingType::Response => "RESPONSE",
            MessagingType::Update => "UPDATE",
            MessagingType::MessageTag => "MESSAGE_TAG",
            MessagingType::Utility => "UTILITY",
            MessagingType::Marketing => "MARKETING",
        }
    }
}

/// Every message tag Meta has accepted since the 2020 reduction. Whether a tag is *in force*
/// on a given day is the policy crate's business, not this type's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageTag {
    HumanAgent,
    ConfirmedEventUpdate,
    PostPurchaseUpdate,
    AccountUpdate,
    NonPromotionalSubscription,
}

impl MessageTag {
    pub const ALL: [MessageTag; 5] = [
        MessageTag::HumanAgent,
        MessageTag::ConfirmedEventUpdate,
        MessageTag::PostPurchaseUpdate,
        MessageTag::AccountUpdate,
        MessageTag::NonPromotionalSubscription,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageTag::HumanAgent => "HUMAN_AGENT",
            MessageTag::ConfirmedEventUpdate => "CONFIRMED_EVENT_UPDATE",
            MessageTag::PostPurchaseUpdate => "POST_PURCHASE_UPDATE",
            MessageTag::AccountUpdate => "ACCOUNT_UPDATE",
            MessageTag::NonPromotionalSubscription => "NON_PROMOTIONAL_SUBSCRIPTION",
        }
    }
}

impl fmt::Display for MessageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MessageTag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        MessageTag::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a Messenger message tag"))
    }
}

/// Exactly one recipient form, as the Send API requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Id(String),
    UserRef(String),
    CommentId(String),
    PostId(String),
    OneTimeNotifToken(String),
    NotificationMessagesToken(String),
    PhoneNumber(String),
}

// Serde's externally tagged enum is exactly `{"id": "…"}`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderAction {
    TypingOn,
    TypingOff,
    MarkSeen,
    React,
    Unreact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationType {
    Regular,
    SilentPush,
    NoPush,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutgoingQuickReply {
    /// `text`, `user_phone_number` or `user_email`.
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl OutgoingQuickReply {
    /// A text quick reply: its title on the button, its payload sent back when tapped.
    pub fn text(title: &str, payload: &str) -> OutgoingQuickReply {
        OutgoingQuickReply {
            content_type: "text".to_owned(),
            title: Some(title.to_owned()),
            payload: Some(payload.to_owned()),
            image_url: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutgoingMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `{"type": "image|audio|video|file|template", "payload": {…}}`, passed through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    /// A utility template reference (`{"name", "language": {"code"}, "components"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<OutgoingQuickReply>,
    /// Returned in the echo: Fenestra puts its outbox id here to recognise its own sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRequest {
    pub recipient: Recipient,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_type: Option<MessagingType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<MessageTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<OutgoingMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_action: Option<SenderAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_type: Option<NotificationType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona_id: Option<String>,
}

/// `{"recipient_id": "…", "message_id": "m_…"}` (`message_id` is absent for sender actions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendResponse {
    #[serde(default)]
    pub recipient_id: Option<String>,
    #[serde(default)]
    pub message_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_serializes_like_meta_documents_it() {
        let req = SendRequest {
            recipient: Recipient::Id("2001".into()),
            messaging_type: Some(MessagingType::MessageTag),
            tag: Some(MessageTag::HumanAgent),
            message: Some(OutgoingMessage {
                text: Some("hi".into()),
                metadata: Some("ob-1".into()),
                ..Default::default()
            }),
            sender_action: None,
            notification_type: None,
            persona_id: None,
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"recipient":{"id":"2001"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT",
                   "message":{"text":"hi","metadata":"ob-1"}})
        );
        let back: SendRequest =
            serde_json::from_value(serde_json::to_value(&req).unwrap()).unwrap();
        assert_eq!(back, req);
    }

    #[test]
    fn tags_parse_and_print() {
        for t in MessageTag::ALL {
            assert_eq!(t.as_str().parse::<MessageTag>(), Ok(t));
        }
        assert!("ISSUE_RESOLUTION".parse::<MessageTag>().is_err());
    }
}
