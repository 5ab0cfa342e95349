//! The comments inbox and the ways customers arrive: the Page's posts with their comments, the
//! entry points (m.me links, ads, signed refs) a shop made, and what each brought.
//!
//! Invariants:
//! * a comment's `author_id` is Facebook's `from.id`, never used as a PSID; `psid` is set only
//!   once the echo of a private reply named the author's Messenger contact;
//! * the Page's own comments (`by_page`) are never answered by automations nor privately;
//! * an entry point's `ref` is what Meta passes on (letters, digits, `-`, `_`, `=`), unique per
//!   Page; counts are read from contacts' first and latest sources, so they need no bookkeeping.

use async_trait::async_trait;
use serde::Serialize;

use crate::kinds::EntryKind;
use crate::{Result, Time};

/// A post with how many comments it has, and how many wait for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PostSummary {
    pub post_id: String,
    pub message: Option<String>,
    pub permalink_url: Option<String>,
    pub created_at: Time,
    pub comments: i64,
    pub unanswered: i64,
    pub last_comment_at: Option<Time>,
}

/// A comment as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CommentRow {
    pub comment_id: String,
    pub post_id: Option<String>,
    pub parent_id: Option<String>,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    /// The Messenger contact the author turned out to be.
    pub psid: Option<String>,
    pub text: Option<String>,
    pub photo: Option<String>,
    pub by_page: bool,
    pub hidden: bool,
    pub removed: bool,
    pub private_reply_sent: bool,
    pub at: Time,
    pub edited_at: Option<Time>,
    pub replied_at: Option<Time>,
}

impl CommentRow {
    /// A customer's comment nobody has answered, publicly or privately.
    pub fn unanswered(&self) -> bool {
        !self.by_page && !self.removed && self.replied_at.is_none() && !self.private_reply_sent
    }

    /// The author's first name, from the name on the comment (a commenter has no profile yet).
    pub fn first_name(&self) -> Option<&str> {
        self.author_name.as_deref()?.split_whitespace().next()
    }
}

/// Which comments the inbox lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentFilter {
    pub post_id: Option<String>,
    /// Only customers' comments nobody answered.
    pub unanswered: bool,
    /// Only comments answered with a private reply.
    pub private_reply: bool,
    pub limit: i64,
}

/// A link, ad or family of signed refs the shop made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EntryPoint {
    pub page_id: String,
    #[sqlx(rename = "ref")]
    #[serde(rename = "ref")]
    pub ref_: String,
    pub title: String,
    pub kind: EntryKind,
    /// Put in the customer's composer (`text=` on the m.me link).
    pub prefill: Option<String>,
    /// Added to everyone who arrives through it.
    pub label: Option<String>,
    pub created_by: String,
    pub created_at: Time,
}

/// What one source brought: by contacts' first source (new conversations and what they did) and
/// latest source (arrivals).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SourceCounts {
    /// `SHORTLINK`, `ADS`, `comment`, `get_started`, `organic`, …
    pub kind: String,
    #[sqlx(rename = "ref")]
    #[serde(rename = "ref")]
    pub ref_: String,
    /// Contacts whose first source it is.
    pub new_conversations: i64,
    /// Contacts whose latest source it is.
    pub latest: i64,
    /// Of the new ones: who left contact details in a flow or a lead form.
    pub leads: i64,
    pub bookings: i64,
    /// Of the new ones: who answered a broadcast.
    pub broadcast_replies: i64,
}

#[async_trait]
pub trait CommentStore: Send + Sync {
    /// The Page's posts, most recently commented first.
    async fn posts(&self, page_id: &str, limit: i64) -> Result<Vec<PostSummary>>;

    /// Comments, newest first.
    async fn comment_list(&self, page_id: &str, filter: &CommentFilter) -> Result<Vec<CommentRow>>;

    async fn comment(&self, page_id: &str, comment_id: &str) -> Result<Option<CommentRow>>;

    /// The comments of a Messenger contact (once linked) and of the same author.
    async fn comments_of_contact(&self, page_id: &str, psid: &str) -> Result<Vec<CommentRow>>;

    /// Whether the author already got a private reply to one of their comments on the post.
    async fn private_reply_on_post(
        &self,
        page_id: &str,
        author_id: &str,
        post_id: &str,
    ) -> Result<bool>;

    /// Sends queued by `actor` since `since` (private replies and public replies of automations).
    async fn actor_sends_since(&self, page_id: &str, actor: &str, since: Time) -> Result<i64>;

    /// Creates or replaces the entry point with this `ref`.
    async fn save_entry_point(&self, e: &EntryPoint) -> Result<()>;

    async fn entry_points(&self, page_id: &str) -> Result<Vec<EntryPoint>>;

    /// Whether it existed.
    async fn delete_entry_point(&self, page_id: &str, ref_: &str) -> Result<bool>;

    /// Counts per source, over contacts first seen in `[from, to)`.
    async fn source_counts(&self, page_id: &str, from: Time, to: Time)
    -> Result<Vec<SourceCounts>>;

    /// A signed ref, once verified, counts under its entry point (`receipt`), not the raw ref.
    async fn relabel_source(&self, page_id: &str, psid: &str, raw: &str, entry: &str)
    -> Result<()>;

    /// Labels someone who arrived through an entry point; the conversation is opened if they
    /// have not written yet (tapping Get Started starts it).
    async fn label_arrival(&self, page_id: &str, psid: &str, label: &str, at: Time) -> Result<()>;

    /// The Page's key for signed refs, made on first use.
    async fn link_secret(&self, page_id: &str, fresh: &str) -> Result<String>;
}
