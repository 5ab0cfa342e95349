//! The document an admin writes (docs/automations.md is its reference). Every key is checked
//! as it is read (unknown keys too: a misspelt key is an error, not a silent no-op); what spans
//! several keys is checked by [`Automations::problems`].

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::schedule::{Schedule, Week, Zone};
use crate::values::{Bounded, Limited, Payload, Period, Texts};

/// What the `HUMAN` payload is when the document does not name another.
pub const HUMAN: &str = "HUMAN";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Automations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_reply: Option<InstantReply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away: Option<Away>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<KeywordRule>,
    /// Answers to comments on the Page's posts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<Disclosure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<Closing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messenger_profile: Option<MessengerProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_out: Option<OptOut>,
    #[serde(default, skip_serializing_if = "Guards::is_default")]
    pub guards: Guards,
}

/// The first message of a customer (again after `regreet_after`) is answered with this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstantReply {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Greet a customer again once this long has passed since their last instant reply;
    /// without it, a customer is greeted once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regreet_after: Option<Period>,
    /// `{{first_name}}` is the customer's. Without a text, Fenestra's own greeting in the
    /// customer's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
}

/// Outside opening hours, this takes the instant reply's place, once per closed period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Away {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub timezone: Zone,
    pub hours: Week,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Date>,
    pub text: Texts,
}

impl Away {
    pub fn schedule(&self) -> Schedule<'_> {
        Schedule {
            zone: &self.timezone,
            week: &self.hours,
            holidays: &self.holidays,
        }
    }
}

/// Answers a message that says one of `match` (whole words), or a tap whose payload is one of
/// `payloads` (quick replies, Get Started, ice breakers, the menu).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeywordRule {
    #[serde(default, rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Bounded<100>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payloads: Vec<Payload>,
    pub reply: Reply,
}

/// Answers a comment on the Page's posts that says one of `match` (any comment with `"*"`):
/// publicly with one of `public_reply` (taken in turn, so the Page does not post the same line
/// fifty times), privately in Messenger with `private_reply`, or by starting `flow` (its first
/// message is the private reply; the rest follows when the customer answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentRule {
    #[serde(rename = "match")]
    pub words: Vec<Bounded<100>>,
    #[serde(default)]
    pub posts: Posts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_reply: Vec<Bounded<8000>>,
    /// `{{first_name}}` is the commenter's, from the name on the comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_reply: Option<Reply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<Bounded<100>>,
}

/// Which posts a comment rule watches: `all`, or a list of post ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PostsWritten", into = "PostsWritten")]
pub enum Posts {
    #[default]
    All,
    Only(Vec<String>),
}

impl Posts {
    /// Whether the rule watches `post_id` (`<PAGE>_<POST>`; a bare `<POST>` in the list matches
    /// too).
    pub fn include(&self, post_id: &str) -> bool {
        match self {
            Posts::All => true,
            Posts::Only(ids) => ids
                .iter()
                .any(|id| id == post_id || post_id.rsplit('_').next() == Some(id.as_str())),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PostsWritten {
    Word(String),
    List(Vec<String>),
}

impl TryFrom<PostsWritten> for Posts {
    type Error = String;
    fn try_from(w: PostsWritten) -> Result<Posts, String> {
        match w {
            PostsWritten::Word(w) if w == "all" => Ok(Posts::All),
            PostsWritten::Word(w) => Err(format!("`{w}` is not `all` nor a list of post ids")),
            PostsWritten::List(ids) if ids.is_empty() => {
                Err("an empty list watches no post: write `all` or some post ids".into())
            }
            PostsWritten::List(ids) => Ok(Posts::Only(ids)),
        }
    }
}

impl From<Posts> for PostsWritten {
    fn from(p: Posts) -> PostsWritten {
        match p {
            Posts::All => PostsWritten::Word("all".into()),
            Posts::Only(ids) => PostsWritten::List(ids),
        }
    }
}

/// A message an automation sends: a text, and optionally a picture or file sent before it, up
/// to 3 buttons under it and quick replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub text: Texts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub buttons: Limited<Button, 3>,
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub quick_replies: Limited<QuickReply, 13>,
    /// A carousel of up to 10 cards (Meta's generic template), sent after the text.
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub cards: Limited<Card, 10>,
}

/// One card of a carousel: a title, a line under it, a picture and up to 3 buttons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// At most 80 characters in each language.
    pub title: Texts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<Texts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub buttons: Limited<Button, 3>,
}

/// A picture or file: one Meta fetches from its https address, or one uploaded to Meta before
/// (its reusable `attachment_id`, as Fenestra's upload gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: AttachmentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Image,
    Video,
    Audio,
    File,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickReply {
    /// At most 20 characters in each language.
    pub title: Texts,
    pub payload: Payload,
}

/// A customer asking for a person (the payload, or "talk to a person" in the five languages)
/// pauses automations for them and waits for the team; they are told so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    #[serde(default = "human")]
    pub payload: Payload,
    /// Without a text, Fenestra's own in the customer's language (saying when the shop opens,
    /// outside the away hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
    /// Who gets the conversation: nobody yet (the unassigned queue), or the agent online with
    /// the fewest open conversations (`round_robin`).
    #[serde(default, skip_serializing_if = "Assign::is_unassigned")]
    pub assign: Assign,
    /// Pass the thread to Meta's Business Suite inbox (Conversation Routing) instead of
    /// keeping it in Fenestra.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_meta_inbox: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assign {
    #[default]
    Unassigned,
    RoundRobin,
}

impl Assign {
    fn is_unassigned(&self) -> bool {
        *self == Assign::Unassigned
    }
}

/// A line saying the answers are automatic, where a law asks for one: at the start of an
/// automated exchange, after `lapse` without one, and when a person hands the conversation
/// back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
    #[serde(default = "day")]
    pub lapse: Period,
}

/// When an agent closes a conversation: a goodbye and a one-question rating (quick replies 1 to
/// 5), inside the customer's 24-hour window only (never under a tag: the policy refuses them
/// outside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goodbye: Option<Texts>,
    /// The rating's question; the answers (1 to 5) are kept for analytics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Texts>,
}

/// The payload of the rating's quick reply `n` (1 to 5).
pub fn rating_payload(n: u8) -> String {
    format!("RATING_{n}")
}

/// The rating a payload gives, if it is one.
pub fn rating_of(payload: &str) -> Option<u8> {
    payload
        .strip_prefix("RATING_")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=5).contains(n))
}

/// What Messenger shows before and around a conversation, pushed to Meta.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessengerProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_started: Option<GetStarted>,
    /// The welcome screen's text (≤ 160 characters); `{{user_first_name}}` is filled by Meta.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<Texts>,
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub ice_breakers: Limited<IceBreaker, 4>,
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub persistent_menu: Limited<Button, 20>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub composer_input_disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetStarted {
    pub payload: Payload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceBreaker {
    pub question: Texts,
    pub payload: Payload,
}

/// A button under a reply (title ≤ 20 characters) or an item of the persistent menu (≤ 30):
/// a postback comes back with its payload, a `web_url` opens the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Button {
    Postback { title: Texts, payload: Payload },
    WebUrl { title: Texts, url: String },
}

impl Button {
    pub fn title(&self) -> &Texts {
        match self {
            Button::Postback { title, .. } | Button::WebUrl { title, .. } => title,
        }
    }
}

/// The words STOP and START always work; these are what the customer is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Texts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed: Option<Texts>,
}

/// When automations keep quiet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guards {
    /// A message older than this when it is handled (after an outage) is left to people.
    #[serde(default = "fifteen_minutes")]
    pub max_age: Period,
    /// No automatic answer while an agent wrote to the customer this recently.
    #[serde(default = "thirty_minutes")]
    pub after_agent: Period,
    /// A hand-over to a person lasts until the conversation closes, or, with this, until the
    /// conversation has been quiet this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_after: Option<Period>,
}

impl Default for Guards {
    fn default() -> Guards {
        Guards {
            max_age: fifteen_minutes(),
            after_agent: thirty_minutes(),
            resume_after: None,
        }
    }
}

impl Guards {
    fn is_default(&self) -> bool {
        *self == Guards::default()
    }
}

fn yes() -> bool {
    true
}

fn human() -> Payload {
    Payload::try_from(HUMAN.to_owned()).unwrap_or_else(|_| unreachable!("a short payload"))
}

fn period(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|e| unreachable!("{e}"))
}

fn fifteen_minutes() -> Period {
    period("15m")
}

fn thirty_minutes() -> Period {
    period("30m")
}

fn day() -> Period {
    period("24h")
}
