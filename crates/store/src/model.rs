//! What the store keeps and returns.

use serde::{Deserialize, Serialize};

use crate::kinds::*;
use crate::time::Time;

/// A signed webhook body as received.
#[derive(Debug, Clone)]
pub struct IncomingBody {
    pub received_at: Time,
    pub body: Vec<u8>,
}

/// A claimed body, to be processed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub id: i64,
    pub received_at: Time,
    pub body: Vec<u8>,
    /// How many times it has been claimed, this time included.
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InboxInfo {
    pub id: i64,
    pub status: InboxStatus,
    pub attempts: i64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeue {
    /// Every stored body, processed or not.
    All,
    /// Only quarantined bodies.
    Quarantined,
}

/// What waits in the webhook queue: cheap to read, whatever the number of processed bodies kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueDepth {
    pub pending: i64,
    pub quarantined: i64,
    /// `received_at` of the oldest pending body.
    pub oldest_pending_at: Option<Time>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    pub pending: i64,
    pub processed: i64,
    pub quarantined: i64,
    /// `received_at` of the oldest pending body.
    pub oldest_pending_at: Option<Time>,
}

/// A claimed body and the events the processor made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedBody {
    pub inbox_id: i64,
    pub events: Vec<NormalizedEvent>,
}

/// What one application of a body did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub new_events: u64,
    pub duplicates: u64,
}

impl std::ops::AddAssign for Applied {
    fn add_assign(&mut self, other: Applied) {
        self.new_events += other.new_events;
        self.duplicates += other.duplicates;
    }
}

/// A webhook event reduced to what Fenestra keeps, produced by the processor.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalizedEvent {
    pub page_id: String,
    /// Same for every delivery of the same event (the `mid`, else a digest).
    pub event_key: String,
    /// The `webhook parse` kind.
    pub kind: String,
    pub psid: Option<String>,
    pub at: Time,
    /// The policy interaction kind (`message`, `postback`, `reaction`, `comment`, …), if the
    /// customer did something.
    pub interaction: Option<&'static str>,
    /// Whether that interaction opens the 24-hour window.
    pub opens_window: bool,
    /// What the event says about who controls the thread (Conversation Routing).
    pub thread: Option<ThreadFact>,
    /// How the customer arrived (`("referral", "SHORTLINK:spring-sale")`), kept as the contact's
    /// first source.
    pub source: Option<(String, String)>,
    /// What the customer did, in words, when it is not a message ("Tapped “Book now”"):
    /// shown in the thread.
    pub summary: Option<String>,
    /// The same as a message id and its arguments (JSON), for readers of other languages.
    pub detail: Option<String>,
    pub effect: Effect,
}

/// Who controls a customer's thread, as one event shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadFact {
    /// The customer's event reached Fenestra in `messaging`, or another app passed it the thread.
    Ours,
    /// Another app controls the thread until `until` (its control lapses after 24 idle hours);
    /// `app` when the event names it (a take), `None` when only a `standby` event told.
    Other { app: Option<String>, until: Time },
    /// The Page wrote from another app or Meta's inbox: automations pause until `until`. When
    /// the echo came in `standby` (`owns`), that app controls the thread too.
    RepliedElsewhere {
        app: Option<String>,
        until: Time,
        owns: bool,
    },
}

/// The state change an event causes, beyond being logged.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Nothing beyond the log and the contact (handover, app roles, unknown kinds).
    None,
    /// A postback (Get Started, an ice breaker, a menu item, a button), or an arrival through
    /// an m.me link or an ad (`referral`: its `ref`): automations and flows answer it.
    Tap {
        payload: Option<String>,
        referral: Option<String>,
    },
    /// A message in the thread, from the customer (`Inbound`) or the page (`Echo`).
    Message(NewMessage),
    Delivered {
        watermark: Time,
        /// The messages the receipt names (older clients send only the watermark).
        mids: Vec<String>,
    },
    Read {
        watermark: Time,
    },
    OneTimeToken {
        token: String,
        topic: Option<String>,
    },
    NotificationToken {
        token: String,
        topic: Option<String>,
        frequency: Option<String>,
        expires_at: Option<Time>,
        status: TokenStatus,
        /// The opt-in's `notification_messages_timezone`, and the country it is in.
        time_zone: Option<String>,
        region: Option<String>,
    },
    /// Meta reviewed a utility template (`messenger_template_status_update`).
    TemplateStatus {
        name: String,
        language: Option<String>,
        status: TemplateStatus,
    },
    /// A comment added, edited, removed, hidden or shown (`feed`).
    Comment(CommentChange),
    /// The Page published (or edited) a post.
    Post {
        post_id: String,
        message: Option<String>,
        item: String,
        permalink_url: Option<String>,
    },
    PageRestriction {
        restricted: bool,
        reason: Option<String>,
    },
    /// Meta's word on a paid marketing message, found by its tracking id.
    Marketing {
        tracking_id: String,
        outcome: MarketingOutcome,
    },
}

/// What a `marketing_message_*` webhook says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketingOutcome {
    Delivered,
    Read,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub mid: String,
    pub direction: Direction,
    pub text: Option<String>,
    /// JSON array of attachments, as parsed.
    pub attachments: Option<String>,
    pub quick_reply_payload: Option<String>,
    pub reply_to_mid: Option<String>,
    pub app_id: Option<String>,
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Page {
    pub id: String,
    pub name: Option<String>,
    pub access_token: Option<String>,
    pub restricted: bool,
    pub restriction_reason: Option<String>,
    pub settings: PageSettings,
    /// Meta refused the page's token: sends wait until a new one is given.
    pub paused_reason: Option<String>,
}

/// A page as its row holds it (settings spread over columns).
#[derive(sqlx::FromRow)]
pub(crate) struct PageRow {
    id: String,
    name: Option<String>,
    access_token: Option<String>,
    restricted: bool,
    restriction_reason: Option<String>,
    human_agent_approved: bool,
    utility_messaging: bool,
    /// Comma-separated.
    allowed_domains: String,
    paused_reason: Option<String>,
    default_app: bool,
    retention_days: Option<i64>,
}

impl From<PageRow> for Page {
    fn from(r: PageRow) -> Page {
        Page {
            id: r.id,
            name: r.name,
            access_token: r.access_token,
            restricted: r.restricted,
            restriction_reason: r.restriction_reason,
            settings: PageSettings {
                human_agent_approved: r.human_agent_approved,
                utility_messaging: r.utility_messaging,
                allowed_domains: r
                    .allowed_domains
                    .split(',')
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect(),
                default_app: r.default_app,
                retention_days: r.retention_days,
            },
            paused_reason: r.paused_reason,
        }
    }
}

/// What the page is allowed to do (its automations are a document of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageSettings {
    /// Meta granted the Human Agent permission (`HUMAN_AGENT` tag).
    pub human_agent_approved: bool,
    /// Meta granted `page_utility_messaging` (utility templates).
    pub utility_messaging: bool,
    /// Links to these domains are not promotional.
    pub allowed_domains: Vec<String>,
    /// Fenestra is the Page's default app for Conversation Routing (only the default app may
    /// write in an idle thread).
    pub default_app: bool,
    /// Conversations idle for longer are erased; `None` keeps them.
    pub retention_days: Option<i64>,
}

impl Default for PageSettings {
    fn default() -> PageSettings {
        PageSettings {
            human_agent_approved: false,
            utility_messaging: false,
            allowed_domains: vec![],
            default_app: true,
            retention_days: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub page_id: String,
    pub psid: String,
    pub first_seen_at: Time,
    pub last_interaction_at: Option<Time>,
    /// How the customer first arrived (`SHORTLINK`, `ADS`, `comment`, `get_started`; none:
    /// they wrote on their own) and with which `ref`, ad id or post.
    pub source_kind: Option<String>,
    pub source_ref: Option<String>,
    /// How they arrived most recently.
    pub latest_source_kind: Option<String>,
    pub latest_source_ref: Option<String>,
    pub unreachable: bool,
    pub opted_out: bool,
    /// When the customer opted out (`None` with `opted_out`: before Fenestra kept the date).
    pub opted_out_at: Option<Time>,
    #[sqlx(flatten)]
    pub profile: crate::Profile,
    pub profile_fetched_at: Option<Time>,
    /// Meta said the window was closed at this time (error 2018278).
    pub window_closed_at: Option<Time>,
    /// Another app controls the thread (`unknown` when only standby events told us)…
    pub thread_owner: Option<String>,
    /// …until then, when its control lapses.
    pub thread_owner_until: Option<Time>,
    #[serde(skip)]
    pub paused_at: Option<Time>,
    #[serde(skip)]
    pub paused_until: Option<Time>,
    #[serde(skip)]
    pub paused_reason: Option<PauseReason>,
    /// The customer's personal data was erased then.
    pub erased_at: Option<Time>,
}

/// Automations are paused for a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pause {
    pub since: Time,
    /// `None`: until the conversation closes.
    pub until: Option<Time>,
    pub reason: PauseReason,
}

impl Contact {
    /// The pause on automations in force at `now`, if any.
    pub fn pause(&self, now: Time) -> Option<Pause> {
        let since = self.paused_at?;
        if self.paused_until.is_some_and(|u| u <= now) {
            return None;
        }
        Some(Pause {
            since,
            until: self.paused_until,
            reason: self.paused_reason.unwrap_or(PauseReason::Agent),
        })
    }

    /// The other app controlling the thread at `now`, if its control has not lapsed.
    pub fn other_owner(&self, now: Time) -> Option<&str> {
        self.thread_owner
            .as_deref()
            .filter(|_| self.thread_owner_until.is_none_or(|u| now < u))
    }

    /// The latest interaction that still opens the window: after Meta said the window was
    /// closed, only what the customer does next counts.
    pub fn window_opened_at(&self) -> Option<Time> {
        opened_at(self.last_interaction_at, self.window_closed_at)
    }
}

/// The latest window-opening interaction, unless Meta said the window closed after it.
pub fn opened_at(last_interaction: Option<Time>, closed_at: Option<Time>) -> Option<Time> {
    last_interaction.filter(|at| closed_at.is_none_or(|c| *at > c))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Conversation {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub status: ConversationStatus,
    pub last_activity_at: Time,
    pub last_message_at: Option<Time>,
    pub last_message_text: Option<String>,
    pub unread_count: i64,
    pub delivered_watermark: Time,
    pub read_watermark: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredMessage {
    pub mid: String,
    pub direction: Direction,
    pub text: Option<String>,
    pub attachments: Option<String>,
    pub quick_reply_payload: Option<String>,
    pub reply_to_mid: Option<String>,
    pub app_id: Option<String>,
    pub metadata: Option<String>,
    pub sent_at: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Interaction {
    #[sqlx(rename = "interaction")]
    pub kind: String,
    pub at: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OneTimeToken {
    pub token: String,
    pub topic: Option<String>,
    pub issued_at: Time,
    pub used_at: Option<Time>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct NotificationToken {
    pub token: String,
    pub topic: Option<String>,
    pub frequency: Option<String>,
    pub issued_at: Time,
    pub expires_at: Option<Time>,
    pub status: TokenStatus,
    pub last_sent_at: Option<Time>,
    pub time_zone: Option<String>,
    /// ISO 3166 country derived from the time zone.
    pub region: Option<String>,
    /// As a marketing-message subscription: Meta said the person stopped them (error 2300034).
    pub marketing_stopped_at: Option<Time>,
    /// When the last paid marketing message was queued on it (Meta spaces them 12 hours).
    pub last_marketing_at: Option<Time>,
}

/// A `feed` change about a comment. `author_id` is `from.id`: not a PSID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentChange {
    pub comment_id: String,
    pub verb: crate::CommentVerb,
    pub post_id: Option<String>,
    /// The post, or the comment this one answers.
    pub parent_id: Option<String>,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    /// Written by the Page itself (a public reply).
    pub by_page: bool,
    pub text: Option<String>,
    pub photo: Option<String>,
    pub permalink_url: Option<String>,
}

/// A comment, as the policy sees it when judging a private reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub comment_id: String,
    pub post_id: Option<String>,
    pub text: Option<String>,
    pub at: Time,
    pub private_reply_sent: bool,
}

/// The User Profile API's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Profile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub profile_pic: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<f64>,
    pub gender: Option<String>,
}

impl Profile {
    /// "First Last", or what there is of it.
    pub fn display_name(&self) -> Option<String> {
        let name = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then_some(name)
    }
}

/// Any event of a customer, as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredEvent {
    pub kind: String,
    pub at: Time,
    pub interaction: Option<String>,
    pub summary: Option<String>,
}

/// What erasing a customer changed, row by row (the rows stay; their content goes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Erased {
    pub messages: u64,
    pub events: u64,
    pub notes: u64,
    pub tokens: u64,
    pub decisions: u64,
    pub sends: u64,
    pub comments: u64,
    pub webhook_bodies: u64,
    /// Copies of the customer's picture and attachments.
    pub media: u64,
}

/// One line of the admins' log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AdminLogEntry {
    pub at: Time,
    pub actor: String,
    pub action: crate::kinds::AdminAction,
    pub page_id: String,
    pub psid: String,
    pub detail: String,
}

/// A copy of a picture or an attachment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Media {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub source_url: String,
    pub fetched_at: Time,
}

/// A customer's message whose attachments wait to be copied.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingMedia {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub mid: String,
    pub attachments: String,
}

/// A device that asked for Web Push notifications.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PushSubscription {
    pub endpoint: String,
    pub user_id: i64,
    pub username: String,
    /// The user's language, for the notification's words.
    pub language: Option<String>,
    /// The browser's `PushSubscription` as JSON (endpoint and keys).
    pub subscription: String,
}

/// A customer's message to announce.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingPush {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Who is on the conversation; `None` announces it to everyone.
    pub assignee_id: Option<i64>,
}
