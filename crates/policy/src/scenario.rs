//! The input of a decision: what is known about the page, the contact and the message, and
//! `now`. Parsed strictly where a wrong value would change the verdict (kinds, senders, tag
//! names as strings, statuses), liberally elsewhere (missing optional fields are empty).

use jiff::Timestamp;
use messenger::MessageTag;
use serde::Deserialize;

use crate::region::Region;

#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub now: Timestamp,
    pub page: Page,
    pub contact: Contact,
    pub message: Message,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Page {
    pub id: String,
    pub human_agent_approved: bool,
    pub news_page_index: bool,
    pub restricted_until: Option<Timestamp>,
    pub allowed_domains: Vec<String>,
    pub utility_messaging: bool,
    /// Onboarded to Meta's paid Marketing Message API (eligible business, ad account, permissions).
    pub marketing_messages: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub psid: String,
    pub interactions: Vec<Interaction>,
    pub one_time_tokens: Vec<OneTimeToken>,
    pub notification_tokens: Vec<NotificationToken>,
    pub comments: Vec<Comment>,
    /// The person's opt-in to paid marketing messages, if any.
    pub marketing_subscription: Option<MarketingSubscription>,
    /// Another app controls the thread (Conversation Routing); `None`: nobody, or this app.
    pub thread_owner: Option<String>,
    pub unreachable: bool,
    pub opted_out: bool,
    /// When the customer opted out; `None` is unknown, and then no interaction counts as
    /// coming after it.
    pub opted_out_at: Option<Timestamp>,
    pub automated_sent_24h: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Interaction {
    pub kind: InteractionKind,
    pub at: Timestamp,
}

/// What the customer (or the platform) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Message,
    Postback,
    QuickReply,
    Referral,
    Reaction,
    PluginOptin,
    NotificationOptin,
    Comment,
    Echo,
    Read,
    Delivery,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 11] = [
        Self::Message,
        Self::Postback,
        Self::QuickReply,
        Self::Referral,
        Self::Reaction,
        Self::PluginOptin,
        Self::NotificationOptin,
        Self::Comment,
        Self::Echo,
        Self::Read,
        Self::Delivery,
    ];

    /// The name as the contract (and the store) spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Postback => "postback",
            Self::QuickReply => "quick_reply",
            Self::Referral => "referral",
            Self::Reaction => "reaction",
            Self::PluginOptin => "plugin_optin",
            Self::NotificationOptin => "notification_optin",
            Self::Comment => "comment",
            Self::Echo => "echo",
            Self::Read => "read",
            Self::Delivery => "delivery",
        }
    }

    pub fn parse(name: &str) -> Option<InteractionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether it starts (or restarts) the standard 24-hour window. Opting in to marketing
    /// messages, commenting on a post, and the page's own echoes, deliveries and reads do not.
    pub fn opens_window(self) -> bool {
        matches!(
            self,
            Self::Message
                | Self::Postback
                | Self::QuickReply
                | Self::Referral
                | Self::Reaction
                | Self::PluginOptin
        )
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct OneTimeToken {
    pub token: String,
    #[serde(default)]
    pub topic: Option<String>,
    pub issued_at: Timestamp,
    #[serde(default)]
    pub used: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationToken {
    pub token: String,
    #[serde(default)]
    pub topic: Option<String>,
    /// `None` for tokens from after early 2023, when Meta dropped the choice of cadence.
    #[serde(default)]
    pub frequency: Option<Frequency>,
    #[serde(default)]
    pub issued_at: Option<Timestamp>,
    /// `None`: the token never expires (Meta stopped expiring them on 2023-08-10).
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub status: TokenStatus,
    #[serde(default)]
    pub last_sent_at: Option<Timestamp>,
    /// The recipient's country, derived from the opt-in's time zone; `None` when unknown.
    #[serde(default)]
    pub region: Option<Region>,
}

/// An opt-in to Meta's paid marketing messages.
#[derive(Debug, Clone, Deserialize)]
pub struct MarketingSubscription {
    pub token: String,
    #[serde(default)]
    pub status: SubscriptionStatus,
    /// The recipient's country; `None` when unknown (Meta then decides).
    #[serde(default)]
    pub region: Option<Region>,
    #[serde(default)]
    pub subscribed_at: Option<Timestamp>,
    #[serde(default)]
    pub last_marketing_at: Option<Timestamp>,
    /// Marketing messages delivered to this person in the last 7 days.
    #[serde(default)]
    pub sent_7d: u32,
}

/// Meta reports a stop only as send error 2300034; Fenestra records it then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    #[default]
    Active,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    /// One message per period, counted from the last one sent (Meta's 48-hour floor from
    /// 2025-09-01 is a dated rule: see the catalogue).
    pub fn period(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(match self {
            Frequency::Daily => 24,
            Frequency::Weekly => 7 * 24,
            Frequency::Monthly => 30 * 24,
        })
    }
}

/// Meta reports `STOP_NOTIFICATIONS` / `RESUME_NOTIFICATIONS`; Fenestra stores `active` / `stopped`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum TokenStatus {
    #[default]
    #[serde(alias = "active", alias = "RESUME_NOTIFICATIONS", alias = "ACTIVE")]
    Active,
    #[serde(alias = "stopped", alias = "STOP_NOTIFICATIONS", alias = "STOPPED")]
    Stopped,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub comment_id: String,
    pub at: Timestamp,
    #[serde(default)]
    pub private_reply_sent: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Message {
    pub sender: Sender,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub tag: Option<RequestedTag>,
    #[serde(default)]
    pub one_time_token: Option<String>,
    #[serde(default)]
    pub notification_token: Option<String>,
    #[serde(default)]
    pub private_reply_to: Option<String>,
    #[serde(default)]
    pub utility_template: Option<UtilityTemplate>,
    /// Send as a paid marketing message to this subscription token.
    #[serde(default)]
    pub marketing_token: Option<String>,
    /// A typing indicator or read receipt instead of a message (`text` is then ignored).
    #[serde(default)]
    pub sender_action: Option<SenderAction>,
    /// Declared by the sender; `None` lets the engine judge the text.
    #[serde(default)]
    pub promotional: Option<bool>,
}

/// What the Send API's `sender_action` may be, as far as the policy is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderAction {
    TypingOn,
    TypingOff,
    MarkSeen,
}

impl SenderAction {
    pub fn as_str(self) -> &'static str {
        match self {
            SenderAction::TypingOn => "typing_on",
            SenderAction::TypingOff => "typing_off",
            SenderAction::MarkSeen => "mark_seen",
        }
    }
}

/// Who is sending: only a person may use `HUMAN_AGENT`; broadcasts are `UPDATE`s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Bot,
    #[default]
    HumanAgent,
    Broadcast,
    Api,
}

impl Sender {
    pub fn is_automated(self) -> bool {
        matches!(self, Sender::Bot | Sender::Broadcast)
    }
}

/// A tag as asked for: one Messenger has had, or a name it never had or retired in 2020.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum RequestedTag {
    Known(MessageTag),
    Unknown(String),
}

impl From<String> for RequestedTag {
    fn from(s: String) -> Self {
        s.parse()
            .map(RequestedTag::Known)
            .unwrap_or(RequestedTag::Unknown(s))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct UtilityTemplate {
    pub name: String,
    pub status: TemplateStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TemplateStatus {
    Approved,
    Pending,
    Rejected,
    Paused,
}

impl TemplateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateStatus::Approved => "approved",
            TemplateStatus::Pending => "pending",
            TemplateStatus::Rejected => "rejected",
            TemplateStatus::Paused => "paused",
        }
    }
}

/// Why a scenario could not be read; names the field.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ScenarioError {
    pub path: String,
    pub message: String,
}

impl Scenario {
    /// Parses JSON, naming the field at fault (`message.tag`, `contact.interactions[0].at`, …).
    pub fn from_json(input: &[u8]) -> Result<Scenario, ScenarioError> {
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let de = &mut serde_json::Deserializer::from_slice(input);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            ScenarioError {
                path: if path == "." {
                    "(document)".into()
                } else {
                    path
                },
                message: e.into_inner().to_string(),
            }
        })
    }
}
