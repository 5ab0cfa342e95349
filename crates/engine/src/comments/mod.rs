//! What the Page does with comments on its posts: answer publicly, hide, show, delete (judged by
//! `policy::moderation`), and answer privately in Messenger (judged by `policy::decide`, rule 4:
//! once per comment, within 7 days). Both go through the outbox with an audited decision, like
//! every message: one door out.
//!
//! A commenter has no PSID: `from.id` on a comment is not one. A private reply is addressed to
//! the comment and queued under the author's id; its echo names the PSID, and from then on the
//! author's comments link to that contact (see the store's `link_commenter`).

mod rules;

use messenger::comments::{CommentAction, CommentRequest};
use policy::Verdict;
use policy::moderation::{CommentFacts, ModerationDecision, moderate};
use store::{CommentRow, Enqueue, NewAudit, NewSend, SendKind, Time};

use crate::Engine;
use crate::outbox::{Actor, Draft, SubmitError, Submitted};

pub use rules::COMMENT_RULES;

/// A moderation decision and, when allowed, the outbox row that carries it out.
#[derive(Debug, Clone)]
pub struct Moderated {
    pub decision: ModerationDecision,
    /// `None` when refused, or when the dedupe key was queued before.
    pub outbox_id: Option<i64>,
}

impl Moderated {
    pub fn allowed(&self) -> bool {
        self.decision.verdict == Verdict::Allow
    }
}

/// Who the audit log names as the recipient of an action on a comment: its author.
fn addressee(page_id: &str, comment: Option<&CommentRow>) -> String {
    comment
        .and_then(|c| c.author_id.clone())
        .unwrap_or_else(|| page_id.to_owned())
}

impl Engine {
    /// Judges `action` on the comment, audits the decision, and queues it if allowed.
    pub async fn moderate(
        &self,
        page_id: &str,
        comment_id: &str,
        action: CommentAction,
        actor: &Actor,
        dedupe_key: Option<String>,
    ) -> Result<Moderated, SubmitError> {
        let now = Time::now();
        if self.store.page(page_id).await?.is_none() {
            return Err(SubmitError::UnknownPage(page_id.to_owned()));
        }
        let comment = self.store.comment(page_id, comment_id).await?;
        let facts = comment.as_ref().map(|c| CommentFacts {
            by_page: c.by_page,
            removed: c.removed,
            at: c.at.timestamp(),
        });
        let decision = moderate(facts, &action, now.timestamp());
        let request = CommentRequest {
            comment_id: comment_id.to_owned(),
            action,
        };
        let request = serde_json::to_string(&request).expect("a comment request serializes");
        let allowed = decision.verdict == Verdict::Allow;
        let enqueue = Enqueue {
            audit: NewAudit {
                at: now,
                page_id: page_id.to_owned(),
                psid: addressee(page_id, comment.as_ref()),
                actor: actor.to_string(),
                message: request.clone(),
                verdict: if allowed {
                    store::Verdict::Allow
                } else {
                    store::Verdict::Deny
                },
                rule: decision.rule.as_str().to_owned(),
                explanation: decision.explanation.clone(),
                decision: serde_json::to_string(&decision).expect("a decision serializes"),
            },
            sends: if allowed {
                vec![NewSend {
                    kind: SendKind::Comment,
                    request,
                    dedupe_key,
                }]
            } else {
                vec![]
            },
            consume: None,
        };
        let outbox_id = self.queue_one(&enqueue).await?;
        self.signals.changed();
        Ok(Moderated {
            decision,
            outbox_id,
        })
    }

    /// A private reply to a comment: a Messenger message addressed to the comment, judged by
    /// the policy (once per comment, within 7 days).
    pub async fn private_reply(
        &self,
        page_id: &str,
        comment_id: &str,
        actor: Actor,
        text: &str,
    ) -> Result<Submitted, SubmitError> {
        let comment = self.store.comment(page_id, comment_id).await?;
        let author = addressee(page_id, comment.as_ref());
        let mut draft = Draft::text(page_id, &author, actor, text);
        draft.private_reply_to = Some(comment_id.to_owned());
        self.submit(&draft).await
    }
}
