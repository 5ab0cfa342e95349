//! What else could be done after a refusal, and the warnings that never change a verdict.

use messenger::MessageTag;

use super::Facts;
use crate::decision::*;
use crate::scenario::*;

/// The tags that are neither `HUMAN_AGENT` nor subscription: offered as alternatives while in force.
const TOPIC_TAGS: [MessageTag; 3] = [
    MessageTag::ConfirmedEventUpdate,
    MessageTag::PostPurchaseUpdate,
    MessageTag::AccountUpdate,
];

impl Facts<'_> {
    /// The compliant ways that remain after `rule` refused, in the contract's order, only
    /// those possible now.
    pub(super) fn alternatives(&self, rule: Rule) -> Vec<Alternative> {
        match rule {
            Rule::ContactOptedOut | Rule::PageRestricted => return vec![],
            Rule::ContactUnreachable => return vec![Alternative::WaitForCustomer],
            Rule::ThreadOwnedByOtherApp => return vec![Alternative::TakeThreadControl],
            // A typing indicator or read receipt has no other path.
            _ if self.s.message.sender_action.is_some() => {
                return vec![Alternative::WaitForCustomer];
            }
            _ => {}
        }
        let (c, m, p) = (&self.s.contact, &self.s.message, &self.s.page);
        let mut out = Vec::new();
        let human_agent_open = self.window.is_some_and(|w| self.now < w.human_agent_until);
        if m.sender == Sender::HumanAgent
            && p.human_agent_approved
            && human_agent_open
            && !self.promotional
        {
            out.push(Alternative::Tag {
                tag: MessageTag::HumanAgent,
            });
        }
        if p.utility_messaging && !self.promotional {
            out.push(Alternative::UtilityTemplate);
        }
        for t in c
            .notification_tokens
            .iter()
            .filter(|t| self.notification_token_usable(t))
        {
            out.push(Alternative::NotificationToken {
                token: t.token.clone(),
            });
        }
        for t in c
            .one_time_tokens
            .iter()
            .filter(|t| self.one_time_token_usable(t))
        {
            out.push(Alternative::OneTimeToken {
                token: t.token.clone(),
            });
        }
        if !self.promotional {
            for tag in TOPIC_TAGS
                .into_iter()
                .filter(|t| self.rules.tag_retired(*t).is_none())
            {
                out.push(Alternative::Tag { tag });
            }
            if p.news_page_index {
                out.push(Alternative::Tag {
                    tag: MessageTag::NonPromotionalSubscription,
                });
            }
        }
        if let Some(sub) = self.usable_marketing_subscription() {
            out.push(Alternative::MarketingMessage {
                token: sub.token.clone(),
            });
        }
        // Sponsored messages reached people who had talked to the page, with promotions, until
        // Meta ended them.
        if self.rules.sponsored_messages_ended.is_none()
            && self.promotional
            && self.last_opening.is_some()
        {
            out.push(Alternative::SponsoredMessage);
        }
        out.push(Alternative::WaitForCustomer);
        out
    }

    pub(super) fn warnings(&self) -> Vec<Warning> {
        let m = &self.s.message;
        let mut out = Vec::new();
        if m.tag.is_some() && self.window.is_some_and(|w| w.open) {
            out.push(Warning::TagUnneeded);
        }
        if self.s.contact.automated_sent_24h >= 3
            && m.sender.is_automated()
            && m.sender_action.is_none()
        {
            out.push(Warning::FrequencyHigh);
        }
        if m.sender == Sender::Broadcast && self.promotional {
            out.push(Warning::PromotionalBroadcast);
        }
        if self.marketing_load_capped() {
            out.push(Warning::MarketingLoadCap);
        }
        out
    }
}
