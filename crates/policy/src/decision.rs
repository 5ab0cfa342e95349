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
