//! Rules 5, 6 and 6b: one-time tokens, recurring-notification tokens and paid marketing
//! messages, each a path outside the window for one person who opted in.

use jiff::{SignedDuration, Timestamp};
use messenger::MessagingType;

use super::{Facts, Outcome, after};
use crate::decision::*;
use crate::scenario::*;
use crate::window::age;

const ONE_TIME_TOKEN_LIFE: SignedDuration = SignedDuration::from_hours(365 * 24);
/// Meta delivers at most one marketing message per person every 12 hours.
pub(super) const MARKETING_SPACING: SignedDuration = SignedDuration::from_hours(12);
/// Meta's load caps look at the last day and the last week.
const LOAD_CAP_DAY: SignedDuration = SignedDuration::from_hours(24);
const LOAD_CAP_WEEKLY_COUNT: u32 = 3;

impl Facts<'_> {
    pub(super) fn one_time_token(&self, token: &str) -> Outcome {
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

    pub(super) fn one_time_token_usable(&self, t: &OneTimeToken) -> bool {
        one_time_token_usable(t, self.now)
    }

    pub(super) fn notification_token(&self, token: &str) -> Outcome {
        let rn = self
            .s
            .contact
            .notification_tokens
            .iter()
            .find(|t| t.token == token);
        if let Some(since) = self.rules.notifications_discontinued
            && !rn.is_some_and(region_kept_notifications)
        {
            let region = rn
                .and_then(|t| t.region)
                .map(|r| format!("this customer's region is {r}"))
                .unwrap_or_else(|| "this customer's region is unknown".into());
            return Outcome::Deny(
                Rule::NotificationDiscontinued,
                format!(
                    "Meta discontinued recurring notifications on {} except for recipients in the EU, the UK, Japan, South Korea and Australia, and {region}. Paid marketing messages replace them.",
                    since.strftime("%Y-%m-%d")
                ),
            );
        }
        let Some(rn) = rn else {
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
        if let Some(expires_at) = rn.expires_at.filter(|e| self.now >= *e) {
            return Outcome::Deny(
                Rule::TokenExpired,
                format!("Recurring-notification token `{token}` expired at {expires_at}."),
            );
        }
        if let Some(next) = self.next_notification_at(rn).filter(|n| self.now < *n) {
            let last = rn.last_sent_at.expect("a next time comes from a last one");
            return Outcome::Deny(
                Rule::NotificationFrequency,
                format!(
                    "A message was sent on token `{token}` {} ago; {} allows the next one at {next}.",
                    age(last, self.now),
                    self.spacing_reason(rn)
                ),
            );
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

    /// When the next message on the token may go: its frequency period after the last one,
    /// never sooner than Meta's minimum spacing in force.
    fn next_notification_at(&self, t: &NotificationToken) -> Option<jiff::Timestamp> {
        let last = t.last_sent_at?;
        let own = t.frequency.map_or(SignedDuration::ZERO, Frequency::period);
        let period = match self.rules.notification_min_spacing {
            Some(min) => own.max(min),
            None => own,
        };
        Some(after(last, period))
    }

    fn spacing_reason(&self, t: &NotificationToken) -> String {
        let own = t.frequency.map_or(SignedDuration::ZERO, Frequency::period);
        match (self.rules.notification_min_spacing, t.frequency) {
            (Some(min), _) if min > own => format!(
                "Meta's limit of one message per {} hours on a token",
                min.as_hours()
            ),
            (_, Some(f)) => format!("its {} frequency", f.as_str()),
            (_, None) => "the token".into(),
        }
    }

    pub(super) fn notification_token_usable(&self, t: &NotificationToken) -> bool {
        let region_ok =
            self.rules.notifications_discontinued.is_none() || region_kept_notifications(t);
        region_ok
            && t.status == TokenStatus::Active
            && t.expires_at.is_none_or(|e| self.now < e)
            && self.next_notification_at(t).is_none_or(|n| self.now >= n)
    }

    /// Rule 6b: a paid marketing message through the Marketing Message API.
    pub(super) fn marketing(&self, token: &str) -> Outcome {
        if !self.rules.marketing_messages {
            return Outcome::Deny(
                Rule::MarketingNotEnabled,
                "Meta's Marketing Message API opened on 2025-07-01; there were no paid marketing messages before.".into(),
            );
        }
        if !self.s.page.marketing_messages {
            return Outcome::Deny(
                Rule::MarketingNotEnabled,
                "This page is not onboarded to Meta's Marketing Message API (eligible business region, ad account with a payment method, permissions).".into(),
            );
        }
        let Some(sub) = self
            .s
            .contact
            .marketing_subscription
            .as_ref()
            .filter(|s| s.token == token)
        else {
            return Outcome::Deny(
                Rule::MarketingTokenUnknown,
                format!("`{token}` is not this customer's marketing-message subscription."),
            );
        };
        if sub.status == SubscriptionStatus::Stopped {
            return Outcome::Deny(
                Rule::MarketingStopped,
                "The customer stopped marketing messages from this page (Meta's opt-out link)."
                    .into(),
            );
        }
        if let Some(region) = sub.region.filter(|r| r.outside_marketing_messages()) {
            return Outcome::Deny(
                Rule::MarketingRegion,
                format!(
                    "Marketing messages do not reach people in the EU, the UK, Japan, South Korea or Australia; this customer is in {region}."
                ),
            );
        }
        if let Some(last) = sub.last_marketing_at
            && self.now < after(last, MARKETING_SPACING)
        {
            return Outcome::Deny(
                Rule::MarketingFrequency,
                format!(
                    "The last marketing message went {} ago; Meta delivers at most one per person every 12 hours (next at {}).",
                    age(last, self.now),
                    after(last, MARKETING_SPACING)
                ),
            );
        }
        Outcome::Allow(
            Rule::MarketingMessage,
            "A paid marketing message to a subscribed customer: Meta charges per delivered message.".into(),
            Send {
                messaging_type: MessagingType::Marketing,
                tag: None,
                recipient: Recipient::SubscriptionToken(token.to_owned()),
            },
        )
    }

    /// The subscription a marketing message could go to now, if any.
    pub(super) fn usable_marketing_subscription(&self) -> Option<&MarketingSubscription> {
        if !(self.rules.marketing_messages && self.s.page.marketing_messages) {
            return None;
        }
        self.s.contact.marketing_subscription.as_ref().filter(|s| {
            s.status == SubscriptionStatus::Active
                && !s.region.is_some_and(|r| r.outside_marketing_messages())
                && s.last_marketing_at
                    .is_none_or(|last| self.now >= after(last, MARKETING_SPACING))
        })
    }

    /// Meta's load caps compare marketing messages with ordinary conversations; a person who got
    /// one in the last day, or three this week, is likely to be refused.
    pub(super) fn marketing_load_capped(&self) -> bool {
        self.s.message.marketing_token.is_some()
            && self
                .s
                .contact
                .marketing_subscription
                .as_ref()
                .is_some_and(|s| {
                    s.sent_7d >= LOAD_CAP_WEEKLY_COUNT
                        || s.last_marketing_at
                            .is_some_and(|last| self.now < after(last, LOAD_CAP_DAY))
                })
    }
}

/// Whether a one-time token can carry its message at `now` (unused, less than a year old).
pub fn one_time_token_usable(t: &OneTimeToken, now: Timestamp) -> bool {
    !t.used && now < after(t.issued_at, ONE_TIME_TOKEN_LIFE)
}

/// Whether a recurring-notification token can carry a message at `now`, by the rules then in
/// force (region, status, expiry, spacing).
pub fn notification_token_usable(t: &NotificationToken, now: Timestamp) -> bool {
    Facts::for_tokens(now).notification_token_usable(t)
}

/// Recurring notifications kept working after 2026-02-10 only where marketing messages cannot go.
fn region_kept_notifications(t: &NotificationToken) -> bool {
    t.region.is_some_and(|r| r.outside_marketing_messages())
}
