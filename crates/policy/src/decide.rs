//! The rules, in the contract's order: the first that decides wins.

use jiff::{SignedDuration, Timestamp};
use messenger::{MessageTag, MessagingType};

use crate::catalogue::Rules;
use crate::decision::*;
use crate::promo::{self, Match};
use crate::scenario::*;
use crate::window::{self, age};

const PRIVATE_REPLY_LIMIT: SignedDuration = SignedDuration::from_hours(7 * 24);
const ONE_TIME_TOKEN_LIFE: SignedDuration = SignedDuration::from_hours(365 * 24);

/// The tags that are neither `HUMAN_AGENT` nor subscription: offered as alternatives while in force.
const TOPIC_TAGS: [MessageTag; 3] = [
    MessageTag::ConfirmedEventUpdate,
    MessageTag::PostPurchaseUpdate,
    MessageTag::AccountUpdate,
];

enum Outcome {
    Allow(Rule, String, Send),
    Deny(Rule, String),
}

/// Everything the rules look at, computed once.
struct Facts<'a> {
    s: &'a Scenario,
    now: Timestamp,
    rules: Rules,
    last_opening: Option<Timestamp>,
    window: Option<Window>,
    promotional: bool,
    matches: Vec<Match>,
}

/// Judges one message. Pure and deterministic: `now` comes from the scenario.
pub fn decide(s: &Scenario) -> Decision {
    let now = s.now;
    let last_opening = window::last_opening(&s.contact.interactions);
    let matches = promo::detect(&s.message.text, &s.page.allowed_domains);
    let facts = Facts {
        s,
        now,
        rules: Rules::at(now),
        last_opening,
        window: window::window(last_opening, now),
        promotional: s.message.promotional.unwrap_or(!matches.is_empty()),
        matches,
    };
    let outcome = facts.judge();
    let (verdict, rule, explanation, send) = match outcome {
        Outcome::Allow(rule, why, send) => (Verdict::Allow, rule, why, Some(send)),
        Outcome::Deny(rule, why) => (Verdict::Deny, rule, why, None),
    };
    let alternatives = match (verdict, rule) {
        (Verdict::Allow, _) | (_, Rule::ContactOptedOut | Rule::PageRestricted) => vec![],
        (_, Rule::ContactUnreachable) => vec![Alternative::WaitForCustomer],
        _ => facts.alternatives(),
    };
    Decision {
        verdict,
        rule,
        explanation,
        window: facts.window,
        send,
        alternatives,
        warnings: facts.warnings(),
        matched: if facts.promotional {
            facts.matches
        } else {
            vec![]
        },
    }
}

impl Facts<'_> {
    fn judge(&self) -> Outcome {
        let (c, m, p) = (&self.s.contact, &self.s.message, &self.s.page);
        if c.opted_out {
            return Outcome::Deny(
                Rule::ContactOptedOut,
                "The customer asked to stop receiving messages from this page.".into(),
            );
        }
        if c.unreachable {
            return Outcome::Deny(
                Rule::ContactUnreachable,
                "Messenger reported this person unavailable (error 551: they blocked the page or left Messenger) and they have not written since.".into(),
            );
        }
        if let Some(until) = p.restricted_until.filter(|u| self.now < *u) {
            return Outcome::Deny(
                Rule::PageRestricted,
                format!("Meta has restricted this page from sending messages until {until}."),
            );
        }
        if let Some(comment_id) = &m.private_reply_to {
            return self.private_reply(comment_id);
        }
        if let Some(token) = &m.one_time_token {
            return self.one_time_token(token);
        }
        if let Some(token) = &m.notification_token {
            return self.notification_token(token);
        }
        if let Some(template) = &m.utility_template {
            return self.utility(template);
        }
        match &m.tag {
            Some(RequestedTag::Unknown(name)) => Outcome::Deny(
                Rule::TagUnknown,
                format!(
                    "`{name}` is not a Messenger message tag. Tags in force now: {}.",
                    self.tags_in_force().join(", ")
                ),
            ),
            Some(RequestedTag::Known(tag)) => self.tag(*tag),
            None => self.standard_window(),
        }
    }

    fn send_to_psid(&self, messaging_type: MessagingType, tag: Option<MessageTag>) -> Send {
        Send {
            messaging_type,
            tag,
            recipient: Recipient::Id(self.s.contact.psid.clone()),
        }
    }

    fn private_reply(&self, comment_id: &str) -> Outcome {
        let Some(comment) = self
            .s
            .contact
            .comments
            .iter()
            .find(|c| c.comment_id == comment_id)
        else {
            return Outcome::Deny(
                Rule::CommentUnknown,
                format!("Comment `{comment_id}` is not a known comment by this customer."),
            );
        };
        if comment.private_reply_sent {
            return Outcome::Deny(
                Rule::PrivateReplyUsed,
                format!("Comment `{comment_id}` already received its one private reply."),
            );
        }
        if self.now >= after(comment.at, PRIVATE_REPLY_LIMIT) {
            return Outcome::Deny(
                Rule::PrivateReplyExpired,
                format!(
                    "Comment `{comment_id}` was made {} ago; a private reply is possible for 7 days.",
                    age(comment.at, self.now)
                ),
            );
        }
        Outcome::Allow(
            Rule::PrivateReply,
            format!(
                "One private reply to comment `{comment_id}` (made {} ago) is allowed within 7 days; the conversation opens when the customer answers.",
                age(comment.at, self.now)
            ),
            Send {
                messaging_type: MessagingType::Response,
                tag: None,
                recipient: Recipient::CommentId(comment_id.to_owned()),
            },
        )
    }

    fn one_time_token(&self, token: &str) -> Outcome {
        let Some(otn) = self
            .s
            .contact
            .one_time_tokens
            .iter()
            .find(|t| t.token == token)
        else {
            return Outcome::Deny(
                Rule::TokenUnknown,
                format!("No one-time notification token `{token}` is held for this customer."),
            );
        };
        if otn.used {
            return Outcome::Deny(
                Rule::TokenUsed,
                format!(
                    "One-time token `{token}` was already used; it allows exactly one message."
                ),
            );
        }
        let valid_until = after(otn.issued_at, ONE_TIME_TOKEN_LIFE);
        if self.now >= valid_until {
            return Outcome::Deny(
                Rule::TokenExpired,
                format!(
                    "One-time token `{token}` was issued {} ago; tokens are valid for one year.",
                    age(otn.issued_at, self.now)
                ),
            );
        }
        Outcome::Allow(
            Rule::OneTimeToken,
            format!(
                "One-time token `{token}`{} is unused and valid until {valid_until}: one message on that topic.",
                otn.topic
                    .as_deref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            ),
            Send {
                messaging_type: MessagingType::Update,
                tag: None,
                recipient: Recipient::OneTimeNotifToken(token.to_owned()),
            },
        )
    }

    fn notification_token(&self, token: &str) -> Outcome {
        if let Some(since) = self.rules.notifications_discontinued {
            return Outcome::Deny(
                Rule::NotificationDiscontinued,
                format!(
                    "Meta discontinued recurring notifications on {}; token `{token}` can no longer be used. Paid Marketing Messages replace them.",
                    since.strftime("%Y-%m-%d")
                ),
            );
        }
        let Some(rn) = self
            .s
            .contact
            .notification_tokens
            .iter()
            .find(|t| t.token == token)
        else {
            return Outcome::Deny(
                Rule::TokenUnknown,
                format!("No recurring-notification token `{token}` is held for this customer."),
            );
        };
        if rn.status == TokenStatus::Stopped {
            return Outcome::Deny(
                Rule::TokenStopped,
                format!("The customer stopped the notifications of token `{token}`."),
            );
        }
        if self.now >= rn.expires_at {
            return Outcome::Deny(
                Rule::TokenExpired,
                format!(
                    "Recurring-notification token `{token}` expired at {}.",
                    rn.expires_at
                ),
            );
        }
        if let Some(last) = rn.last_sent_at {
            let next = after(last, rn.frequency.period());
            if self.now < next {
                return Outcome::Deny(
                    Rule::NotificationFrequency,
                    format!(
                        "A message was sent on token `{token}` {} ago; its {} frequency allows the next one at {}.",
                        age(last, self.now),
                        rn.frequency.as_str(),
                        next
                    ),
                );
            }
        }
        Outcome::Allow(
            Rule::NotificationToken,
            format!(
                "Recurring-notification token `{token}` is active, unexpired and nothing was sent on it in this period."
            ),
            Send {
                messaging_type: MessagingType::Update,
                tag: None,
                recipient: Recipient::NotificationMessagesToken(token.to_owned()),
            },
        )
    }

    fn utility(&self, template: &UtilityTemplate) -> Outcome {
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

    fn tag(&self, tag: MessageTag) -> Outcome {
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
            return Outcome::Deny(
                Rule::PromotionalInTag,
                format!(
                    "Message tags may not carry promotional content{}.",
                    self.matched_suffix()
                ),
            );
        }
        Outcome::Allow(
            Rule::TagAllowed,
            format!("{tag} on non-promotional content may be sent outside the 24-hour window."),
            self.send_to_psid(MessagingType::MessageTag, Some(tag)),
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
                format!("The last customer interaction was {} ago; HUMAN_AGENT allows replies for 7 days.", self.since_last()),
            ),
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

    fn standard_window(&self) -> Outcome {
        match self.window {
            Some(w) if w.open => {
                let messaging_type =
                    if self.s.message.sender == Sender::Broadcast { MessagingType::Update } else { MessagingType::Response };
                Outcome::Allow(
                    Rule::WithinWindow,
                    format!("The customer interacted {} ago; the 24-hour window is open until {}.", self.since_last(), w.closes_at),
                    self.send_to_psid(messaging_type, None),
                )
            }
            Some(_) => Outcome::Deny(
                Rule::OutsideWindow,
                format!("The last customer interaction was {} ago; free-form messages are allowed for 24 hours.", self.since_last()),
            ),
            None => Outcome::Deny(
                Rule::OutsideWindow,
                "The customer has never opened a conversation with this page (echoes, reads, comments and marketing opt-ins do not open it).".into(),
            ),
        }
    }

    fn since_last(&self) -> String {
        self.last_opening
            .map(|t| age(t, self.now))
            .unwrap_or_default()
    }

    fn matched_suffix(&self) -> String {
        if self.matches.is_empty() {
            " (the sender declared it promotional)".into()
        } else {
            format!(
                "; the text contains: {}",
                self.matches
                    .iter()
                    .map(|m| format!("\"{}\"", m.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }

    fn tags_in_force(&self) -> Vec<&'static str> {
        MessageTag::ALL
            .iter()
            .filter(|t| self.rules.tag_retired(**t).is_none())
            .map(|t| t.as_str())
            .collect()
    }

    /// The compliant ways that remain, in the contract's order, only those possible now.
    fn alternatives(&self) -> Vec<Alternative> {
        let (c, m, p) = (&self.s.contact, &self.s.message, &self.s.page);
        let mut out = Vec::new();
        let human_agent_open = self.window.is_some_and(|w| self.now < w.human_agent_until);
        if m.sender == Sender::HumanAgent && p.human_agent_approved && human_agent_open {
            out.push(Alternative::Tag {
                tag: MessageTag::HumanAgent,
            });
        }
        if p.utility_messaging && !self.promotional {
            out.push(Alternative::UtilityTemplate);
        }
        if self.rules.notifications_discontinued.is_none() {
            for t in &c.notification_tokens {
                let period_over = t
                    .last_sent_at
                    .is_none_or(|last| self.now >= after(last, t.frequency.period()));
                if t.status == TokenStatus::Active && self.now < t.expires_at && period_over {
                    out.push(Alternative::NotificationToken {
                        token: t.token.clone(),
                    });
                }
            }
        }
        for t in &c.one_time_tokens {
            if !t.used && self.now < after(t.issued_at, ONE_TIME_TOKEN_LIFE) {
                out.push(Alternative::OneTimeToken {
                    token: t.token.clone(),
                });
            }
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
        if self.promotional && self.rules.marketing_messages {
            out.push(Alternative::MarketingMessage);
        }
        // Sponsored messages reach people who have talked to the page, with any content.
        if self.last_opening.is_some() {
            out.push(Alternative::SponsoredMessage);
        }
        out.push(Alternative::WaitForCustomer);
        out
    }

    fn warnings(&self) -> Vec<Warning> {
        let m = &self.s.message;
        let mut out = Vec::new();
        if m.tag.is_some() && self.window.is_some_and(|w| w.open) {
            out.push(Warning::TagUnneeded);
        }
        if self.s.contact.automated_sent_24h >= 3 && m.sender.is_automated() {
            out.push(Warning::FrequencyHigh);
        }
        if m.sender == Sender::Broadcast && self.promotional {
            out.push(Warning::PromotionalBroadcast);
        }
        out
    }
}

fn after(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.saturating_add(d)
        .expect("a SignedDuration never fails to add")
}

fn sender_name(s: Sender) -> &'static str {
    match s {
        Sender::Bot => "automated (bot)",
        Sender::HumanAgent => "person-typed",
        Sender::Broadcast => "broadcast",
        Sender::Api => "API",
    }
}
