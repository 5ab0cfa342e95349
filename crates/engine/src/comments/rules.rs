//! Comment automations: the `comments` rules of the automations document, run on each new
//! customer comment (never on the Page's own).
//!
//! The first rule whose words the comment says, on a post it watches, answers:
//! * publicly with its `public_reply` lines in turn, at most [`PUBLIC_PER_HOUR`] per Page;
//! * privately with `private_reply` (or the first message of `flow`), at most one per person per
//!   post, and at most [`PRIVATE_PER_HOUR`] per Page (Meta's limit).
//!
//! `{{first_name}}` is the first word of the name on the comment, and the text's language is the
//! comment's when its letters tell (Vietnamese, Arabic): a commenter has no profile until they
//! answer. Every answer is queued with a dedupe key made of the comment's id, so
//! handling a comment twice (after a crash) sends nothing twice.

use std::time::Duration;

use automations::Answer;
use automations::document::{Automations, CommentRule};
use automations::matching::Message;
use messenger::comments::CommentAction;
use store::{CommentRow, PendingMessage, Time};

use crate::Engine;
use crate::automate::{dress, fill_first_name};
use crate::outbox::{Actor, Draft};

/// The actors of comment automations, as the outbox and the audit log name them.
pub const COMMENT_RULES: [&str; 2] = ["comment_reply", "comment_private_reply"];

/// Automated public replies per Page and hour: more looks like spam to Facebook.
pub const PUBLIC_PER_HOUR: i64 = 60;
/// Private replies per Page and hour (Meta's rate-limit page).
pub const PRIVATE_PER_HOUR: i64 = 750;

/// The Messenger locale a comment is written in, when its letters tell: a commenter has no
/// profile yet. Vietnamese letters and Arabic script are unmistakable; Latin text without them
/// (English, Malay, Italian) gets the `default` text.
fn locale_of(text: &str) -> Option<&'static str> {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return Some("ar_AR");
    }
    // Letters only Vietnamese uses: ă â đ ê ô ơ ư and the tone-marked ones of Latin Extended
    // Additional (ạ ả ấ … ỹ). "giá" alone (á is Italian too) is not enough.
    let vietnamese = text
        .chars()
        .any(|c| "ăâđêôơưĂÂĐÊÔƠƯ".contains(c) || ('\u{1EA0}'..='\u{1EF9}').contains(&c));
    vietnamese.then_some("vi_VN")
}

fn matches(rule: &CommentRule, said: &Message, post_id: &str) -> bool {
    rule.posts.include(post_id)
        && rule
            .words
            .iter()
            .any(|w| w.as_str() == "*" || said.says(w.as_str()))
}

impl Engine {
    /// Answers a new comment as the page's comment rules say; whether a rule took it (else
    /// flows made for comments may).
    pub async fn answer_comment(
        &self,
        m: &PendingMessage,
        doc: &Automations,
    ) -> anyhow::Result<bool> {
        let Some(c) = self.store.comment(&m.page_id, &m.mid).await? else {
            return Ok(false);
        };
        if c.by_page || c.removed {
            return Ok(true);
        }
        let said = Message::new(c.text.as_deref().unwrap_or(""));
        let post_id = c.post_id.clone().unwrap_or_default();
        let Some((i, rule)) = doc
            .comments
            .iter()
            .enumerate()
            .find(|(_, r)| matches(r, &said, &post_id))
        else {
            return Ok(false);
        };
        let hour_ago = Time::now() - Duration::from_secs(3_600);
        if !rule.public_reply.is_empty() {
            self.public_reply(&c, m, rule, hour_ago).await?;
        }
        if rule.private_reply.is_some() || rule.flow.is_some() {
            self.automated_private_reply(&c, m, i, rule, hour_ago)
                .await?;
        }
        Ok(true)
    }

    async fn public_reply(
        &self,
        c: &CommentRow,
        m: &PendingMessage,
        rule: &CommentRule,
        hour_ago: Time,
    ) -> anyhow::Result<()> {
        let [actor, _] = COMMENT_RULES;
        let actor_name = format!("automation:{actor}");
        let recent = self
            .store
            .actor_sends_since(&m.page_id, &actor_name, hour_ago)
            .await?;
        if recent >= PUBLIC_PER_HOUR {
            tracing::warn!(page = %m.page_id, comment = %c.comment_id, recent, "public replies paused: {PUBLIC_PER_HOUR} an hour reached");
            return Ok(());
        }
        // The lines in turn, counted over every public reply so far.
        let total = self
            .store
            .actor_sends_since(&m.page_id, &actor_name, Time::from_ms(0))
            .await?;
        let line = rule.public_reply[total as usize % rule.public_reply.len()].as_str();
        let message = fill_first_name(line, c.first_name());
        let moderated = self
            .moderate(
                &m.page_id,
                &c.comment_id,
                CommentAction::Reply { message },
                &Actor::Automation(actor),
                Some(format!("{actor}:{}:{}", m.page_id, c.comment_id)),
            )
            .await?;
        if !moderated.allowed() {
            tracing::info!(comment = %c.comment_id, rule = moderated.decision.rule.as_str(), "public reply refused");
        }
        Ok(())
    }

    async fn automated_private_reply(
        &self,
        c: &CommentRow,
        m: &PendingMessage,
        i: usize,
        rule: &CommentRule,
        hour_ago: Time,
    ) -> anyhow::Result<()> {
        let [_, actor] = COMMENT_RULES;
        let author = c.author_id.as_deref().unwrap_or_default();
        let post_id = c.post_id.as_deref().unwrap_or_default();
        if self
            .store
            .private_reply_on_post(&m.page_id, author, post_id)
            .await?
        {
            tracing::info!(comment = %c.comment_id, "no second private reply to the same person on the same post");
            return Ok(());
        }
        let recent = self
            .store
            .actor_sends_since(&m.page_id, &format!("automation:{actor}"), hour_ago)
            .await?;
        if recent >= PRIVATE_PER_HOUR {
            tracing::warn!(page = %m.page_id, comment = %c.comment_id, recent, "private replies paused: Meta's {PRIVATE_PER_HOUR} an hour reached");
            return Ok(());
        }
        if let Some(reply) = &rule.private_reply {
            let answer = Answer::keyword(i, reply, locale_of(c.text.as_deref().unwrap_or("")));
            let Answer::Keyword { text, .. } = &answer else {
                unreachable!("a keyword answer")
            };
            let text = fill_first_name(text, c.first_name());
            let mut draft = Draft::text(&m.page_id, author, Actor::Automation(actor), &text);
            dress(&mut draft, &answer);
            draft.private_reply_to = Some(c.comment_id.clone());
            draft.dedupe_key = Some(format!("{actor}:{}:{}", m.page_id, c.comment_id));
            let submitted = self.submit(&draft).await?;
            if !submitted.allowed() {
                tracing::info!(comment = %c.comment_id, rule = ?submitted.decision.rule, "private reply refused");
            }
        } else if let Some(flow) = &rule.flow {
            let turn = crate::flows::Turn {
                page_id: &m.page_id,
                psid: author,
                mid: &c.comment_id,
                text: c.text.as_deref(),
                payload: None,
                referral: None,
                comment_id: Some(&c.comment_id),
                flow: Some(flow.as_str()),
                locale: None,
                first_name: c.first_name(),
            };
            if !self.flow_turn(&turn).await? {
                tracing::warn!(page = %m.page_id, flow = flow.as_str(), "a comment rule names a flow the page does not have");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::locale_of;

    #[test]
    fn the_comment_s_letters_choose_the_language() {
        assert_eq!(locale_of("giá bao nhiêu?"), Some("vi_VN"));
        assert_eq!(locale_of("Đẹp quá"), Some("vi_VN"));
        assert_eq!(locale_of("كم السعر؟"), Some("ar_AR"));
        assert_eq!(locale_of("price please"), None);
        assert_eq!(locale_of("quanto costa? è disponibile"), None);
        assert_eq!(locale_of("harga berapa"), None);
    }
}
