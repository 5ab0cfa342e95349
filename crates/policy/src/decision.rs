//! The output of a decision, serialized exactly as `fenestra policy check` prints it.

use jiff::Timestamp;
use messenger::{MessageTag, MessagingType};
use serde::Serialize;

use crate::promo::Match;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alternative {
    Tag { tag: MessageTag },
    UtilityTemplate,
    NotificationToken { token: String },
    OneTimeToken { token: String },
    MarketingMessage,
    SponsoredMessage,
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
}

/// The rule that decided, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    ContactOptedOut,
    ContactUnreachable,
    PageRestricted,
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
    WithinWindow,
    OutsideWindow,
}

impl Rule {
    /// The rule id of the contract, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ContactOptedOut => "contact_opted_out",
            Rule::ContactUnreachable => "contact_unreachable",
            Rule::PageRestricted => "page_restricted",
            Rule::PrivateReply => "private_reply",
            Rule::PrivateReplyUsed => "private_reply_used",
            Rule::PrivateReplyExpired => "private_reply_expired",
            Rule::CommentUnknown => "comment_unknown",
            Rule::OneTimeToken => "one_time_token",
            Rule::TokenUsed => "token_used",
            Rule::TokenExpired => "token_expired",
            Rule::TokenUnknown => "token_unknown",
            Rule::NotificationDiscontinued => "notification_discontinued",
            Rule::NotificationToken => "notification_token",
            Rule::NotificationFrequency => "notification_frequency",
            Rule::TokenStopped => "token_stopped",
            Rule::UtilityNotPermitted => "utility_not_permitted",
            Rule::TemplateNotApproved => "template_not_approved",
            Rule::PromotionalInUtility => "promotional_in_utility",
            Rule::UtilityTemplate => "utility_template",
            Rule::TagUnknown => "tag_unknown",
            Rule::TagRetired => "tag_retired",
            Rule::SubscriptionNotEligible => "subscription_not_eligible",
            Rule::HumanAgentNotHuman => "human_agent_not_human",
            Rule::HumanAgentNotApproved => "human_agent_not_approved",
            Rule::HumanAgentExpired => "human_agent_expired",
            Rule::HumanAgentWindow => "human_agent_window",
            Rule::PromotionalInTag => "promotional_in_tag",
            Rule::TagAllowed => "tag_allowed",
            Rule::WithinWindow => "within_window",
            Rule::OutsideWindow => "outside_window",
        }
    }
}
