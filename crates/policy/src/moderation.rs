//! What the Page may do to a comment on its posts: answer it publicly, hide it, show it again,
//! delete it. Not a message (the policy contract's rules do not apply), but the same door: the
//! engine judges every such action here and audits the decision before anything is queued.
//!
//! Pure: the comment as the store has it, the action, and `now`.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::decision::Verdict;

/// Facebook refuses longer comments.
pub const MAX_COMMENT_CHARS: usize = 8_000;

pub use messenger::comments::CommentAction;

/// The comment as the store knows it; `None` when Fenestra never saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentFacts {
    pub by_page: bool,
    pub removed: bool,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationRule {
    /// Allowed: a public reply.
    PublicReply,
    /// Allowed: hide, unhide or delete.
    Moderate,
    CommentUnknown,
    CommentRemoved,
    /// Facebook lets a Page hide others' comments, not its own.
    OwnCommentHide,
    ReplyEmpty,
    ReplyTooLong,
    /// The comment was written after `now`: the clock or the store is wrong; nothing is done.
    CommentInFuture,
}

impl ModerationRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationRule::PublicReply => "public_reply",
            ModerationRule::Moderate => "moderate",
            ModerationRule::CommentUnknown => "comment_unknown",
            ModerationRule::CommentRemoved => "comment_removed",
            ModerationRule::OwnCommentHide => "own_comment_hide",
            ModerationRule::ReplyEmpty => "reply_empty",
            ModerationRule::ReplyTooLong => "reply_too_long",
            ModerationRule::CommentInFuture => "comment_in_future",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModerationDecision {
    pub verdict: Verdict,
    pub rule: ModerationRule,
    pub explanation: String,
    /// What to do instead, when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
}

fn deny(rule: ModerationRule, why: String, instead: Option<&str>) -> ModerationDecision {
    ModerationDecision {
        verdict: Verdict::Deny,
        rule,
        explanation: why,
        alternative: instead.map(str::to_owned),
    }
}

/// Whether `action` may be done to `comment` at `now`.
pub fn moderate(
    comment: Option<CommentFacts>,
    action: &CommentAction,
    now: Timestamp,
) -> ModerationDecision {
    let Some(c) = comment else {
        return deny(
            ModerationRule::CommentUnknown,
            "Fenestra has not received this comment from Meta's feed webhook.".into(),
            Some("wait for the comment to arrive, or check the Page's feed subscription"),
        );
    };
    if c.removed {
        return deny(
            ModerationRule::CommentRemoved,
            "The comment was deleted.".into(),
            None,
        );
    }
    if c.at.duration_since(now) > SignedDuration::from_secs(300) {
        return deny(
            ModerationRule::CommentInFuture,
            format!("The comment is dated {}, after now ({now}).", c.at),
            None,
        );
    }
    match action {
        CommentAction::Reply { message } => {
            let n = message.chars().count();
            if message.trim().is_empty() {
                deny(
                    ModerationRule::ReplyEmpty,
                    "A public reply needs text.".into(),
                    None,
                )
            } else if n > MAX_COMMENT_CHARS {
                deny(
                    ModerationRule::ReplyTooLong,
                    format!("A comment has at most {MAX_COMMENT_CHARS} characters; this has {n}."),
                    Some("shorten the reply, or answer privately in Messenger"),
                )
            } else {
                ModerationDecision {
                    verdict: Verdict::Allow,
                    rule: ModerationRule::PublicReply,
                    explanation: "The Page may answer a comment on its post publicly.".into(),
                    alternative: None,
                }
            }
        }
        CommentAction::Hide | CommentAction::Unhide if c.by_page => deny(
            ModerationRule::OwnCommentHide,
            "Facebook does not let a Page hide its own comments.".into(),
            Some("delete the comment instead"),
        ),
        CommentAction::Hide | CommentAction::Unhide | CommentAction::Delete => ModerationDecision {
            verdict: Verdict::Allow,
            rule: ModerationRule::Moderate,
            explanation: format!("The Page may {} comments on its posts.", action.name()),
            alternative: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn customer(removed: bool) -> Option<CommentFacts> {
        Some(CommentFacts {
            by_page: false,
            removed,
            at: at("2026-11-01T10:00:00Z"),
        })
    }

    #[test]
    fn a_known_comment_may_be_answered_hidden_and_deleted() {
        let now = at("2026-11-30T10:00:00Z");
        let reply = CommentAction::Reply {
            message: "Check your Messenger!".into(),
        };
        assert_eq!(
            moderate(customer(false), &reply, now).rule,
            ModerationRule::PublicReply
        );
        for a in [
            CommentAction::Hide,
            CommentAction::Unhide,
            CommentAction::Delete,
        ] {
            let d = moderate(customer(false), &a, now);
            assert_eq!(
                (d.verdict, d.rule),
                (Verdict::Allow, ModerationRule::Moderate)
            );
        }
    }

    #[test]
    fn refusals_name_their_rule() {
        let now = at("2026-11-30T10:00:00Z");
        let long = CommentAction::Reply {
            message: "a".repeat(MAX_COMMENT_CHARS + 1),
        };
        assert_eq!(
            moderate(customer(false), &long, now).rule,
            ModerationRule::ReplyTooLong
        );
        let blank = CommentAction::Reply {
            message: "  ".into(),
        };
        assert_eq!(
            moderate(customer(false), &blank, now).rule,
            ModerationRule::ReplyEmpty
        );
        assert_eq!(
            moderate(customer(true), &CommentAction::Delete, now).rule,
            ModerationRule::CommentRemoved
        );
        assert_eq!(
            moderate(None, &CommentAction::Hide, now).rule,
            ModerationRule::CommentUnknown
        );
        let own = Some(CommentFacts {
            by_page: true,
            removed: false,
            at: now,
        });
        let d = moderate(own, &CommentAction::Hide, now);
        assert_eq!(
            (d.verdict, d.rule),
            (Verdict::Deny, ModerationRule::OwnCommentHide)
        );
        assert!(moderate(own, &CommentAction::Delete, now).verdict == Verdict::Allow);
    }
}
