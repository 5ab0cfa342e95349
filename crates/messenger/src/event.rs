//! Webhook events as Rust types: one [`Event`] per `messaging`/`standby` item or feed change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::lenient;

/// One event from a webhook body, with the envelope facts every kind shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub page_id: String,
    /// The PSID of the customer for customer events; the page for echoes; absent for
    /// page-level events such as `policy_enforcement` and `app_roles`.
    pub sender: Option<String>,
    pub recipient: Option<String>,
    /// Milliseconds since the Unix epoch: the item's `timestamp`, else the entry's `time`.
    pub time: Option<i64>,
    /// `Standby` when the event arrived for an app that does not own the thread.
    pub channel: Channel,
    pub payload: Payload,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Messaging,
    Standby,
}

/// The kind names of the `fenestra webhook parse` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Message,
    Echo,
    Delivery,
    Read,
    Postback,
    Referral,
    Optin,
    Reaction,
    PassThreadControl,
    TakeThreadControl,
    RequestThreadControl,
    AppRoles,
    PolicyEnforcement,
    FeedComment,
    /// A `marketing_message_*` change: a paid marketing message was sent, delivered, read,
    /// clicked or not delivered.
    MarketingMessage,
    Unknown,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::Echo => "echo",
            EventKind::Delivery => "delivery",
            EventKind::Read => "read",
            EventKind::Postback => "postback",
            EventKind::Referral => "referral",
            EventKind::Optin => "optin",
            EventKind::Reaction => "reaction",
            EventKind::PassThreadControl => "pass_thread_control",
            EventKind::TakeThreadControl => "take_thread_control",
            EventKind::RequestThreadControl => "request_thread_control",
            EventKind::AppRoles => "app_roles",
            EventKind::PolicyEnforcement => "policy_enforcement",
            EventKind::FeedComment => "feed_comment",
            EventKind::MarketingMessage => "marketing_message",
            EventKind::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Message(Message),
    Echo(Echo),
    Delivery(Delivery),
    Read(Read),
    Postback(Postback),
    Referral(Referral),
    Optin(Optin),
    Reaction(Reaction),
    PassThreadControl(PassThreadControl),
    TakeThreadControl(TakeThreadControl),
    RequestThreadControl(RequestThreadControl),
    AppRoles(AppRoles),
    PolicyEnforcement(PolicyEnforcement),
    FeedComment(FeedComment),
    MarketingMessage(crate::marketing::MarketingEvent),
    Unknown(Unknown),
}

impl Payload {
    pub fn kind(&self) -> EventKind {
        match self {
            Payload::Message(_) => EventKind::Message,
            Payload::Echo(_) => EventKind::Echo,
            Payload::Delivery(_) => EventKind::Delivery,
            Payload::Read(_) => EventKind::Read,
            Payload::Postback(_) => EventKind::Postback,
            Payload::Referral(_) => EventKind::Referral,
            Payload::Optin(_) => EventKind::Optin,
            Payload::Reaction(_) => EventKind::Reaction,
            Payload::PassThreadControl(_) => EventKind::PassThreadControl,
            Payload::TakeThreadControl(_) => EventKind::TakeThreadControl,
            Payload::RequestThreadControl(_) => EventKind::RequestThreadControl,
            Payload::AppRoles(_) => EventKind::AppRoles,
            Payload::PolicyEnforcement(_) => EventKind::PolicyEnforcement,
            Payload::FeedComment(_) => EventKind::FeedComment,
            Payload::MarketingMessage(_) => EventKind::MarketingMessage,
            Payload::Unknown(_) => EventKind::Unknown,
        }
    }

    fn fields(&self) -> Value {
        let v = match self {
            Payload::Message(p) => serde_json::to_value(p),
            Payload::Echo(p) => serde_json::to_value(p),
            Payload::Delivery(p) => serde_json::to_value(p),
            Payload::Read(p) => serde_json::to_value(p),
            Payload::Postback(p) => serde_json::to_value(p),
            Payload::Referral(p) => serde_json::to_value(p),
            Payload::Optin(p) => serde_json::to_value(p),
            Payload::Reaction(p) => serde_json::to_value(p),
            Payload::PassThreadControl(p) => serde_json::to_value(p),
            Payload::TakeThreadControl(p) => serde_json::to_value(p),
            Payload::RequestThreadControl(p) => serde_json::to_value(p),
            Payload::AppRoles(p) => serde_json::to_value(p),
            Payload::PolicyEnforcement(p) => serde_json::to_value(p),
            Payload::FeedComment(p) => serde_json::to_value(p),
            Payload::MarketingMessage(p) => serde_json::to_value(p),
            Payload::Unknown(p) => serde_json::to_value(p),
        };
        // Serializing plain structs of strings and numbers cannot fail.
        v.unwrap_or(Value::Null)
    }
}

impl Event {
    /// The kind reported by `webhook parse`: `standby` for standby events.
    pub fn kind(&self) -> &'static str {
        match self.channel {
            Channel::Standby => "standby",
            Channel::Messaging => self.payload.kind().as_str(),
        }
    }

    /// The customer this event is about, if any: the sender, or for the page's own echoes
    /// the recipient.
    pub fn customer(&self) -> Option<&str> {
        match &self.payload {
            Payload::Echo(_) => self.recipient.as_deref(),
            Payload::FeedComment(c) => c.from_id.as_deref(),
            _ => self.sender.as_deref(),
        }
    }

    /// A key that is the same every time Meta delivers this event again, used to drop
    /// duplicates: the message id where there is one, else a digest of the whole event.
    pub fn dedupe_key(&self) -> String {
        let mid = match &self.payload {
            Payload::Message(m) => m.mid.as_deref(),
            Payload::Echo(e) => e.mid.as_deref(),
            _ => None,
        };
        match mid {
            Some(mid) => format!("mid:{mid}"),
            None => {
                let canonical = self.to_json().to_string();
                let digest = Sha256::digest(canonical.as_bytes());
                format!("{}:{}", self.kind(), hex::encode(&digest[..16]))
            }
        }
    }

    /// The flat JSON line of the `webhook parse` contract:
    /// `{"kind", "page_id", "sender", "time", …kind-specific fields}`; standby events wrap
    /// the inner event under `inner`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("kind".into(), self.kind().into());
        out.insert("page_id".into(), self.page_id.clone().into());
        out.insert("sender".into(), self.sender.clone().into());
        out.insert("recipient".into(), self.recipient.clone().into());
        out.insert("time".into(), self.time.into());
        let mut inner = Map::new();
        if let Value::Object(fields) = self.payload.fields() {
            inner.extend(fields);
        }
        match self.channel {
            Channel::Messaging => out.extend(inner),
            Channel::Standby => {
                inner.insert("kind".into(), self.payload.kind().as_str().into());
                out.insert("inner".into(), Value::Object(inner));
            }
        }
        Value::Object(out)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Message {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_reply: Option<QuickReply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sticker_id: Option<String>,
    /// Set on the summary message Meta's lead-ads app sends when it hands the thread back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop_context: Option<HopContext>,
}

/// Where a message comes from in a hand-over (`metadata`: `messenger_lead_gen_complete`, …).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct HopContext {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// A message the page sent (from this app, another app or the Page Inbox), echoed back.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Echo {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The app that sent it; absent or the Page Inbox's id when a person sent it from Meta's tools.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_id: Option<String>,
    /// What the sender put in the Send API's `metadata`: Fenestra's outbox id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_reply: Option<QuickReply>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct QuickReply {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct ReplyTo {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub mid: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Image,
    Audio,
    Video,
    File,
    Location,
    Fallback,
    Template,
    /// A type Meta added after this code was written; its payload is kept raw.
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawAttachment")]
pub struct Attachment {
    pub kind: AttachmentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sticker_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// The attachment's `payload` as sent (templates and future kinds need it whole).
    #[serde(skip_serializing_if = "Value::is_null")]
    pub payload: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub lat: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub long: Option<f64>,
}

#[derive(Deserialize)]
struct RawAttachment {
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    kind: Option<String>,
    #[serde(default)]
    payload: Value,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    title: Option<String>,
    // Old fallback attachments put the link beside the payload, spelled `url` or `URL`.
    #[serde(default, alias = "URL", deserialize_with = "lenient::opt_string")]
    url: Option<String>,
}

impl From<RawAttachment> for Attachment {
    fn from(raw: RawAttachment) -> Self {
        let kind = match raw.kind.as_deref() {
            Some("image") => AttachmentKind::Image,
            Some("audio") => AttachmentKind::Audio,
            Some("video") => AttachmentKind::Video,
            Some("file") => AttachmentKind::File,
            Some("location") => AttachmentKind::Location,
            Some("fallback") => AttachmentKind::Fallback,
            Some("template") => AttachmentKind::Template,
            _ => AttachmentKind::Other,
        };
        let field = |name: &str| raw.payload.get(name).and_then(lenient::scalar_to_string);
        let coordinates = raw
            .payload
            .get("coordinates")
            .and_then(|c| serde_json::from_value(c.clone()).ok());
        Attachment {
            kind,
            url: field("url").or(raw.url),
            title: raw.title.or_else(|| field("title")),
            sticker_id: field("sticker_id"),
            coordinates,
            payload: raw.payload,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Delivery {
    #[serde(
        default,
        deserialize_with = "lenient::vec_string",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub mids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub watermark: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Read {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub watermark: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Postback {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mid: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payload: Option<String>,
    /// Present when the customer arrived through an m.me link, ad or plugin and tapped Get Started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Referral>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Referral {
    #[serde(
        rename = "ref",
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ref_: Option<String>,
    /// `SHORTLINK`, `ADS`, `CUSTOMER_CHAT_PLUGIN`, …
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<String>,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub type_: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ad_id: Option<String>,
    /// What a click-to-Messenger ad showed (`ad_title`, `photo_url`, `post_id`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ads_context_data: Option<AdsContext>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub referer_uri: Option<String>,
}

/// The ad a customer clicked, as Meta describes it in the referral.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdsContext {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ad_title: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub photo_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub post_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_id: Option<String>,
}

/// What a customer opted in to. The three shapes are distinct so that, for example, a
/// one-time notification opt-in always carries its token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "optin_type", rename_all = "snake_case")]
pub enum Optin {
    /// Send to Messenger / checkbox plugin: opens the standard window.
    Plugin {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        ref_: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_ref: Option<String>,
    },
    /// `one_time_notif_req`: one later message on `payload`'s topic, valid one year.
    OneTimeNotification {
        token: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// `notification_messages`: recurring notifications (discontinued 2026-02-10; tokens kept as history).
    NotificationMessages {
        token: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        frequency: Option<String>,
        /// Milliseconds since the epoch.
        #[serde(skip_serializing_if = "Option::is_none")]
        expires_at: Option<i64>,
        /// `STOP_NOTIFICATIONS` or `RESUME_NOTIFICATIONS`.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        timezone: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
}

#[derive(Deserialize)]
pub(crate) struct RawOptin {
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    type_: Option<String>,
    #[serde(rename = "ref", default, deserialize_with = "lenient::opt_string")]
    ref_: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    user_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    payload: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    one_time_notif_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    notification_messages_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    notification_messages_frequency: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    notification_messages_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    notification_messages_timezone: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    token_expiry_timestamp: Option<i64>,
}

impl TryFrom<RawOptin> for Optin {
    type Error = String;

    fn try_from(raw: RawOptin) -> Result<Self, String> {
        match raw.type_.as_deref() {
            Some("one_time_notif_req") => Ok(Optin::OneTimeNotification {
                token: raw
                    .one_time_notif_token
                    .ok_or("optin: type one_time_notif_req without one_time_notif_token")?,
                payload: raw.payload,
                title: raw.title,
            }),
            Some("notification_messages") => Ok(Optin::NotificationMessages {
                token: raw.notification_messages_token.ok_or(
                    "optin: type notification_messages without notification_messages_token",
                )?,
                frequency: raw.notification_messages_frequency,
                expires_at: raw.token_expiry_timestamp.map(lenient::to_millis),
                status: raw.notification_messages_status,
                payload: raw.payload,
                timezone: raw.notification_messages_timezone,
                title: raw.title,
            }),
            _ => Ok(Optin::Plugin {
                ref_: raw.ref_,
                user_ref: raw.user_ref,
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Reaction {
    /// The message reacted to (absent in some older fixtures).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mid: Option<String>,
    /// `react` or `unreact`.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub action: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reaction: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct PassThreadControl {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub new_owner_app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_owner_app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct TakeThreadControl {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_owner_app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub new_owner_app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct RequestThreadControl {
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_owner_app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<String>,
}

/// App id → roles (`primary_receiver`, `secondary_receiver`, `automation`, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AppRoles {
    pub roles: BTreeMap<String, Vec<String>>,
}

impl AppRoles {
    pub(crate) fn from_value(v: &Value) -> Result<Self, String> {
        let obj = v
            .as_object()
            .ok_or("app_roles: expected an object of app id → roles")?;
        let roles = obj
            .iter()
            .map(|(app, roles)| {
                let list = match roles {
                    Value::Array(items) => {
                        items.iter().filter_map(lenient::scalar_to_string).collect()
                    }
                    other => lenient::scalar_to_string(other).into_iter().collect(),
                };
                (app.clone(), list)
            })
            .collect();
        Ok(AppRoles { roles })
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct PolicyEnforcement {
    /// `block`, `unblock` (or `warning` on newer pages).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub action: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
}

/// A comment on one of the page's posts (`changes[].field == "feed"`, `item == "comment"`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FeedComment {
    /// `comment`, or the Page's own post: `status`, `photo`, `video`, `post`.
    pub item: String,
    pub comment_id: Option<String>,
    pub post_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// `add`, `edited` or `remove`.
    pub verb: Option<String>,
    pub from_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Milliseconds since the epoch (Meta sends seconds here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_time: Option<i64>,
    /// A photo comment's picture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// A video comment's video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// The post's address on Facebook, when Meta gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permalink_url: Option<String>,
}

impl FeedComment {
    pub fn is_comment(&self) -> bool {
        self.item == "comment"
    }
}

/// An event this code does not know (yet), kept whole so nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unknown {
    /// Why it is unknown: no known event field, or a known field of an unusable shape.
    pub reason: String,
    pub raw: Value,
}
