//! The output of a decision, serialized exactly as `fenestra policy check` prints it.

use jiff::Timestamp;
use messenger::{MessageTag, MessagingType};
use serde::{Deserialize, Serialize};

use crate::promo::Match;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub rule: Rule,
    pub explanation: String,
    /// `None` when the contact never opened a window.
    pub window: Option<Window>,
    /// On `allow`: exactly how to send.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send: Option<Send>,
    pub alternatives: Vec<Alternative>,
    pub warnings: Vec<Warning>,
    /// The words or links that make the text promotional (empty when it is not), printed as
    /// the strings themselves; each also says what kind of match it is, for highlighting.
    #[serde(serialize_with = "match_texts")]
    pub matched: Vec<Match>,
}

fn match_texts<S: serde::Serializer>(matches: &[Match], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(matches.iter().map(|m| &m.text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub open: bool,
    pub closes_at: Timestamp,
    pub human_agent_until: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Send {
    pub messaging_type: MessagingType,
    pub tag: Option<MessageTag>,
    pub recipient: Recipient,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Id(String),
    CommentId(String),
    OneTimeNotifToken(String),
    NotificationMessagesToken(String),
    /// A paid marketing message, sent through the Marketing Message API
    /// (`messenger_delivery_data.subscription_token`), not the Send API.
    SubscriptionToken(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alternative {
    Tag {
        tag: MessageTag,
    },
    UtilityTemplate,
    NotificationToken {
        token: String,
    },
    OneTimeToken {
        token: String,
    },
    MarketingMessage {
        token: String,
    },
    SponsoredMessage,
    /// Another app controls the thread: a person takes it over first.
    TakeThreadControl,
    WaitForCustomer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// A tag on a message inside the open window, where none is needed.
    TagUnneeded,
    /// Three or more automated messages to this contact in 24 h.
    FrequencyHigh,
    /// Promotional content in a broadcast: allowed only inside the window.
    PromotionalBroadcast,
    /// A marketing message to someone who got one in the last 24 h, or 3 in the last 7 days:
    /// Meta's load caps may refuse it (errors 2300042–2300044).
    MarketingLoadCap,
}

/// The rule that decided, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    ContactOptedOut,
    ContactUnreachable,
    PageRestricted,
    ThreadOwnedByOtherApp,
    PrivateReply,
    PrivateReplyUsed,
    PrivateReplyExpired,
    CommentUnknown,
    OneTimeToken,
    TokenUsed,
    TokenExpired,
    TokenUnknown,
    NotificationDiscontinued,
    NotificationToken,
    NotificationFrequency,
    TokenStopped,
    MarketingNotEnabled,
    MarketingTokenUnknown,
    MarketingStopped,
    MarketingRegion,
    MarketingFrequency,
    MarketingMessage,
    UtilityNotPermitted,
    TemplateNotApproved,
    PromotionalInUtility,
    UtilityTemplate,
    TagUnknown,
    TagRetired,
    SubscriptionNotEligible,
    HumanAgentNotHuman,
    HumanAgentNotApproved,
    HumanAgentExpired,
    HumanAgentWindow,
    PromotionalInTag,
    TagAllowed,
    SenderAction,
    SenderActionOutsideWindow,
    WithinWindow,
    OutsideWindow,
}

impl Rule {
    /// The id as the contract spells it (`outside_window`).
    pub fn as_str(self) -> &'static str {
        use Rule::*;
        match self {
            ContactOptedOut => "contact_opted_out",
            ContactUnreachable => "contact_unreachable",
            PageRestricted => "page_restricted",
            ThreadOwnedByOtherApp => "thread_owned_by_other_app",
            PrivateReply => "private_reply",
            PrivateReplyUsed => "private_reply_used",
            PrivateReplyExpired => "private_reply_expired",
            CommentUnknown => "comment_unknown",
            OneTimeToken => "one_time_token",
            TokenUsed => "token_used",
            TokenExpired => "token_expired",
            TokenUnknown => "token_unknown",
            NotificationDiscontinued => "notification_discontinued",
            NotificationToken => "notification_token",
            NotificationFrequency => "notification_frequency",
            TokenStopped => "token_stopped",
            MarketingNotEnabled => "marketing_not_enabled",
            MarketingTokenUnknown => "marketing_token_unknown",
            MarketingStopped => "marketing_stopped",
            MarketingRegion => "marketing_region",
            MarketingFrequency => "marketing_frequency",
            MarketingMessage => "marketing_message",
            UtilityNotPermitted => "utility_not_permitted",
            TemplateNotApproved => "template_not_approved",
            PromotionalInUtility => "promotional_in_utility",
            UtilityTemplate => "utility_template",
            TagUnknown => "tag_unknown",
            TagRetired => "tag_retired",
            SubscriptionNotEligible => "subscription_not_eligible",
            HumanAgentNotHuman => "human_agent_not_human",
            HumanAgentNotApproved => "human_agent_not_approved",
            HumanAgentExpired => "human_agent_expired",
            HumanAgentWindow => "human_agent_window",
            PromotionalInTag => "promotional_in_tag",
            TagAllowed => "tag_allowed",
            SenderAction => "sender_action",
            SenderActionOutsideWindow => "sender_action_outside_window",
            WithinWindow => "within_window",
            OutsideWindow => "outside_window",
        }
    }

    /// Every rule, in the contract's order.
    pub const ALL: [Rule; 39] = {
        use Rule::*;
        [
            ContactOptedOut,
            ContactUnreachable,
            PageRestricted,
            ThreadOwnedByOtherApp,
            PrivateReply,
            PrivateReplyUsed,
            PrivateReplyExpired,
            CommentUnknown,
            OneTimeToken,
            TokenUsed,
            TokenExpired,
            TokenUnknown,
            NotificationDiscontinued,
            NotificationToken,
            NotificationFrequency,
            TokenStopped,
            MarketingNotEnabled,
            MarketingTokenUnknown,
            MarketingStopped,
            MarketingRegion,
            MarketingFrequency,
            MarketingMessage,
            UtilityNotPermitted,
            TemplateNotApproved,
            PromotionalInUtility,
            UtilityTemplate,
            TagUnknown,
            TagRetired,
            SubscriptionNotEligible,
            HumanAgentNotHuman,
            HumanAgentNotApproved,
            HumanAgentExpired,
            HumanAgentWindow,
            PromotionalInTag,
            TagAllowed,
            SenderAction,
            SenderActionOutsideWindow,
            WithinWindow,
            OutsideWindow,
        ]
    };

    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == id)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        }
    }
}
