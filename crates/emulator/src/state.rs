//! Everything the emulator knows: the page, its customers and what they received, personas,
//! templates, the send and webhook logs, faults. In memory; `--state FILE` saves it as JSON.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub page: Page,
    pub users: BTreeMap<String, User>,
    pub personas: BTreeMap<String, Persona>,
    pub templates: BTreeMap<String, Template>,
    pub attachments: BTreeMap<String, Value>,
    pub comments: BTreeMap<String, Comment>,
    /// The Page's posts, by id (`<PAGE_ID>_<n>`).
    pub posts: BTreeMap<String, Post>,
    /// The app-level webhook subscription (`POST /{app-id}/subscriptions`): where events go.
    /// A field is delivered only when subscribed here and by the page.
    pub app_subscription: Option<AppSubscription>,
    /// Facebook Login: the codes and tokens it handed out, what happened to the configured token.
    pub login: crate::login::Login,
    /// Conversation Routing: the default app, who may take control, who owns each thread.
    pub routing: crate::routing::Routing,
    /// The paid Marketing Message API: settings, campaigns, deliveries, opt-in requests.
    pub marketing: crate::marketing::Marketing,
    /// What apps other than the connected one would have received (never delivered).
    pub other_app_webhooks: Vec<Value>,
    pub sends: Vec<SendRecord>,
    pub webhooks: Vec<WebhookAttempt>,
    pub faults: Faults,
    /// Events waiting for delivery, in order.
    pub pending: VecDeque<PendingEvent>,
    /// Events taken from `pending` whose POST has not been answered yet.
    #[serde(skip)]
    pub in_flight: usize,
    /// Send API calls per second of the clock, for the rate limit: (second, count).
    pub rate_window: (i64, u32),
    pub clock_offset_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    pub id: String,
    pub name: String,
    pub token: String,
    pub app_id: String,
    /// The webhook verification handshake succeeded.
    pub verified: bool,
    /// The fields the page sends the app (`POST /{page-id}/subscribed_apps`); none when not
    /// subscribed (Meta drops the subscription after an hour of failed deliveries).
    pub subscribed_fields: Vec<String>,
    /// Emulator-clock time of the first failure in the current run of failures.
    pub failing_since: Option<i64>,
    pub restricted: bool,
    pub human_agent_approved: bool,
    pub news_page_index: bool,
    pub utility_messaging: bool,
    /// Send API calls allowed per second; 0 means unlimited.
    pub rate_limit_per_sec: u32,
    pub profile: serde_json::Map<String, Value>,
    /// The Page's username, used in m.me links.
    pub username: String,
    /// Emulator-clock times of the recent Messenger Profile API calls (its rate limit).
    pub profile_calls: Vec<i64>,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            id: "1001".into(),
            name: "Emulated Page".into(),
            token: "PAGE_TOKEN".into(),
            app_id: "1234567890".into(),
            verified: false,
            subscribed_fields: crate::webhooks::FIELDS.map(str::to_owned).to_vec(),
            failing_since: None,
            restricted: false,
            human_agent_approved: true,
            news_page_index: false,
            utility_messaging: true,
            rate_limit_per_sec: 0,
            profile: Default::default(),
            username: "emulatedpage".into(),
            profile_calls: vec![],
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppSubscription {
    /// Empty: events are queued but go nowhere (an emulator started without a webhook).
    pub callback_url: String,
    pub verify_token: String,
    pub fields: Vec<String>,
}

impl Page {
    pub fn subscribed(&self) -> bool {
        !self.subscribed_fields.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    pub psid: String,
    pub first_name: String,
    pub last_name: String,
    pub locale: String,
    pub timezone: i32,
    pub gender: String,
    pub profile_pic: String,
    pub blocked: bool,
    /// Last window-opening action (message, postback, quick reply, referral, reaction, plugin opt-in).
    pub last_interaction_at: Option<i64>,
    /// What the customer received, in order.
    pub inbox: Vec<Received>,
    /// What the customer wrote (for reactions and the phone page).
    pub wrote: Vec<Written>,
    pub one_time_tokens: Vec<OneTimeToken>,
    pub notification_tokens: Vec<NotificationToken>,
    /// The Page's typing indicator shows until then (emulator clock), unless a message or a
    /// `typing_off` ends it first.
    pub typing_until: Option<i64>,
    /// ISO 3166 country: decides marketing-message and recurring-notification eligibility.
    pub region: String,
    /// IANA time zone, as opt-ins report it.
    pub time_zone: String,
    /// The page marked the customer's messages seen up to here.
    pub seen_at: Option<i64>,
    /// The customer read everything received up to here.
    pub read_at: Option<i64>,
    /// When the customer last clicked a click-to-Messenger ad.
    pub from_ad_at: Option<i64>,
    /// The id Facebook shows as `from.id` on the customer's comments: not the PSID, which the
    /// app learns only when a private reply reaches them.
    #[serde(default)]
    pub user_id: String,
    /// The referral an m.me link left on the welcome screen, sent with Get Started.
    #[serde(default)]
    pub pending_referral: Option<Value>,
    /// When the customer blocked or reported the Page (Page insights count them per day).
    #[serde(default)]
    pub blocked_at: Option<i64>,
    #[serde(default)]
    pub reported_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Received {
    pub mid: String,
    pub text: Option<String>,
    pub attachment: Option<Value>,
    pub quick_replies: Option<Value>,
    pub messaging_type: String,
    pub tag: Option<String>,
    pub persona_id: Option<String>,
    pub metadata: Option<String>,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Written {
    pub mid: String,
    pub text: String,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OneTimeToken {
    pub token: String,
    pub payload: String,
    pub issued_at: i64,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotificationToken {
    pub token: String,
    /// The opt-in's title (the topic).
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub created_at: i64,
    /// When the last paid marketing message went out on it.
    #[serde(default)]
    pub last_marketing_at: Option<i64>,
    pub payload: String,
    pub frequency: String,
    pub expires_at: i64,
    pub stopped: bool,
    pub last_sent_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Persona {
    pub id: String,
    pub name: String,
    pub profile_picture_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub language: String,
    pub category: String,
    /// `APPROVED` or `REJECTED` (the emulator reviews at once).
    pub status: String,
    pub rejected_reason: Option<String>,
    pub body: String,
    /// The `{{name}}` placeholders of the body, in order.
    pub parameters: Vec<String>,
}

/// A comment on a post, by a customer (`psid` set) or by the Page (a public reply).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Comment {
    pub comment_id: String,
    pub post_id: String,
    /// The post, or the comment this one answers.
    pub parent_id: String,
    /// The customer's PSID; empty for the Page's own comments.
    pub psid: String,
    /// `from {id, name}` as the feed webhook shows it.
    pub from_id: String,
    pub from_name: String,
    pub text: String,
    pub photo: Option<String>,
    pub at: i64,
    pub private_reply_sent: bool,
    pub hidden: bool,
    pub deleted: bool,
    pub edited: bool,
}

/// A post the Page published.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Post {
    pub post_id: String,
    pub message: String,
    /// `status`, `photo` or `video` (the feed item).
    pub item: String,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendRecord {
    pub at: i64,
    pub path: String,
    pub request: Value,
    /// `accepted` or `error`.
    pub outcome: String,
    pub status: u16,
    pub code: Option<i64>,
    pub subcode: Option<i64>,
    pub message_id: Option<String>,
    pub recipient_id: Option<String>,
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookAttempt {
    pub at: i64,
    pub events: usize,
    /// HTTP status, or 0 when no answer came (refused, timed out).
    pub status: u16,
    pub latency_ms: u64,
    /// `delivered`, `failed`, `dropped` (fault injection), `duplicate` (a second copy sent),
    /// `unsubscribed` (an hour of failures: the page's subscription was dropped).
    pub outcome: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    pub send_error_rate: f64,
    pub send_latency_ms: u64,
    pub webhook_duplicate_rate: f64,
    pub webhook_drop_rate: f64,
    /// Most events per webhook POST (0: Meta's usual, up to 100).
    pub webhook_batch_size: usize,
    /// Deliver events of one customer out of order this often.
    pub webhook_reorder_rate: f64,
}

/// One `messaging` item or one `changes` item waiting to be delivered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingEvent {
    pub changes: bool,
    /// For the connected app when it does not own the thread (Conversation Routing): sent
    /// under `standby`.
    #[serde(default)]
    pub standby: bool,
    pub item: Value,
}

impl State {
    pub fn user(&self, psid: &str) -> Option<&User> {
        self.users.get(psid)
    }
}

impl User {
    /// Whether the customer sees the Page typing at `now`.
    pub fn typing(&self, now: i64) -> bool {
        self.typing_until.is_some_and(|until| now < until)
    }
}
