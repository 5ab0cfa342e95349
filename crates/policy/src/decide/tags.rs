//! Rules 7 to 10: utility templates, message tags, and `HUMAN_AGENT` (a person, 7 days,
//! non-promotional).

use messenger::{MessageTag, MessagingType};

use super::{Facts, Outcome, sender_name};
use crate::decision::*;
use crate::scenario::*;

impl Facts<'_> {
    pub(super) fn utility(&self, template: &UtilityTemplate) -> Outcome {
        if !self.s.page.utility_messaging {
            return Outcome::Deny(
                Rule::UtilityNotPermitted,
                "This page does not have the utility-messaging permission (page_utility_messaging).".into(),
            );
        }
        if template.status != TemplateStatus::Approved {
            return Outcome::Deny(
                Rule::TemplateNotApproved,
                format!(
                    "Template `{}` is {}; only approved utility templates may be sent.",
                    template.name,
                    template.status.as_str()
                ),
            );
        }
        if self.promotional {
            return Outcome::Deny(
                Rule::PromotionalInUtility,
                format!(
                    "Utility messages must not be promotional{}.",
                    self.matched_suffix()
                ),
            );
        }
        Outcome::Allow(
            Rule::UtilityTemplate,
            format!(
                "A utility message from approved template `{}` may be sent at any time for an order, account, appointment or event update.",
                template.name
            ),
            self.send_to_psid(MessagingType::Utility, None),
        )
    }

    pub(super) fn tag(&self, tag: MessageTag) -> Outcome {
        if let Some(since) = self.rules.tag_retired(tag) {
            return Outcome::Deny(
                Rule::TagRetired,
                format!(
                    "Meta retired {tag} on {}; sends with it fail with error 100. Send an approved utility template instead.",
                    since.strftime("%Y-%m-%d")
                ),
            );
        }
        if tag == MessageTag::NonPromotionalSubscription && !self.s.page.news_page_index {
            return Outcome::Deny(
                Rule::SubscriptionNotEligible,
                "NON_PROMOTIONAL_SUBSCRIPTION is only for pages registered in the News Page Index."
                    .into(),
            );
        }
        if tag == MessageTag::HumanAgent {
            return self.human_agent();
        }
        if self.promotional {
            return self.promotional_in_tag();
        }
        Outcome::Allow(
            Rule::TagAllowed,
            format!("{tag} on non-promotional content may be sent outside the 24-hour window."),
            self.send_to_psid(MessagingType::MessageTag, Some(tag)),
        )
    }

    fn promotional_in_tag(&self) -> Outcome {
        Outcome::Deny(
            Rule::PromotionalInTag,
            format!(
                "Message tags, HUMAN_AGENT included, may not carry promotional content{}.",
                self.matched_suffix()
            ),
        )
    }

    fn human_agent(&self) -> Outcome {
        let m = &self.s.message;
        if m.sender != Sender::HumanAgent {
            return Outcome::Deny(
                Rule::HumanAgentNotHuman,
                format!(
                    "HUMAN_AGENT is only for messages a person typed, not for {} messages.",
                    sender_name(m.sender)
                ),
            );
        }
        if !self.s.page.human_agent_approved {
            return Outcome::Deny(
                Rule::HumanAgentNotApproved,
                "This page is not approved for the Human Agent feature.".into(),
            );
        }
        match self.window {
            None => Outcome::Deny(
                Rule::HumanAgentExpired,
                "The customer has never written to this page; HUMAN_AGENT needs a customer interaction in the last 7 days.".into(),
            ),
            Some(w) if self.now >= w.human_agent_until => Outcome::Deny(
                Rule::HumanAgentExpired,
                format!(
                    "The last customer interaction was {} ago; HUMAN_AGENT allows replies for 7 days.",
                    self.since_last()
                ),
            ),
            Some(_) if self.promotional => self.promotional_in_tag(),
            Some(w) => Outcome::Allow(
                Rule::HumanAgentWindow,
                format!(
                    "A person answering {} after the customer's last interaction: HUMAN_AGENT allows replies until {}.",
                    self.since_last(),
                    w.human_agent_until
                ),
                self.send_to_psid(MessagingType::MessageTag, Some(MessageTag::HumanAgent)),
            ),
        }
    }

    pub(super) fn tags_in_force(&self) -> Vec<&'static str> {
        MessageTag::ALL
            .iter()
            .filter(|t| self.rules.tag_retired(**t).is_none())
            .map(|t| t.as_str())
            .collect()
    }
}
