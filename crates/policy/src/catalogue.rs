//! The dated catalogue of Messenger rule changes. The engine judges a scenario by the rules in
//! force at its `now`: [`Rules::at`] folds every entry whose date has come. A future change of
//! Meta's rules is one new entry here.

use std::sync::LazyLock;

use jiff::{SignedDuration, Timestamp};
use messenger::MessageTag;

pub struct RuleChange {
    /// From this instant (UTC) on.
    pub effective: &'static str,
    pub change: Change,
    pub source: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Sponsored messages (ads delivered into existing threads) end.
    SponsoredMessagesEnded,
    /// Meta's paid Marketing Messages API opens: promotions to people who opted in.
    MarketingMessagesAvailable,
    /// At most one message per this many hours on a recurring-notification token, whatever
    /// its frequency.
    NotificationMinimumSpacing(i64),
    /// Recurring notification (`notification_messages`) tokens stop working, except for
    /// recipients in the EU, the UK, Japan, South Korea and Australia.
    RecurringNotificationsDiscontinued,
    /// Sends with this tag fail with error 100.
    TagRetired(MessageTag),
}

pub const CATALOGUE: &[RuleChange] = &[
    RuleChange {
        effective: "2024-07-31T00:00:00Z",
        change: Change::SponsoredMessagesEnded,
        source: "Meta: sponsored messages ended on 2024-07-31",
    },
    RuleChange {
        effective: "2025-07-01T00:00:00Z",
        change: Change::MarketingMessagesAvailable,
        source: "Meta: Marketing Messages API for Messenger, successor of recurring notifications",
    },
    RuleChange {
        effective: "2025-09-01T00:00:00Z",
        change: Change::NotificationMinimumSpacing(48),
        source: "Meta: recurring notifications closed to new integrations; one message per 48 hours per subscriber",
    },
    RuleChange {
        effective: "2026-02-10T00:00:00Z",
        change: Change::RecurringNotificationsDiscontinued,
        source: "Meta: recurring notifications discontinued 2026-02-10 outside the EU, UK, JP, KR and AU",
    },
    RuleChange {
        effective: "2026-04-27T00:00:00Z",
        change: Change::TagRetired(MessageTag::ConfirmedEventUpdate),
        source: "Meta: three message tags retired in favour of utility messages",
    },
    RuleChange {
        effective: "2026-04-27T00:00:00Z",
        change: Change::TagRetired(MessageTag::PostPurchaseUpdate),
        source: "Meta: three message tags retired in favour of utility messages",
    },
    RuleChange {
        effective: "2026-04-27T00:00:00Z",
        change: Change::TagRetired(MessageTag::AccountUpdate),
        source: "Meta: three message tags retired in favour of utility messages",
    },
];

/// The rules in force at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rules {
    /// When sponsored messages ended, if they have by now.
    pub sponsored_messages_ended: Option<Timestamp>,
    pub marketing_messages: bool,
    /// The shortest gap between two messages on one notification token, if Meta sets one.
    pub notification_min_spacing: Option<SignedDuration>,
    pub notifications_discontinued: Option<Timestamp>,
    retired: [Option<Timestamp>; MessageTag::ALL.len()],
}

impl Rules {
    pub fn at(now: Timestamp) -> Rules {
        // Parsed once: `at` runs for every decision.
        static EFFECTIVE: LazyLock<Vec<Timestamp>> =
            LazyLock::new(|| CATALOGUE.iter().map(RuleChange::effective_at).collect());
        let mut rules = Rules::default();
        for (entry, &effective) in CATALOGUE.iter().zip(EFFECTIVE.iter()) {
            if now < effective {
                continue;
            }
            match entry.change {
                Change::SponsoredMessagesEnded => rules.sponsored_messages_ended = Some(effective),
                Change::MarketingMessagesAvailable => rules.marketing_messages = true,
                Change::NotificationMinimumSpacing(hours) => {
                    rules.notification_min_spacing = Some(SignedDuration::from_hours(hours))
                }
                Change::RecurringNotificationsDiscontinued => {
                    rules.notifications_discontinued = Some(effective)
                }
                Change::TagRetired(tag) => rules.retired[tag_index(tag)] = Some(effective),
            }
        }
        rules
    }

    /// When the tag was retired, if it has been by now.
    pub fn tag_retired(&self, tag: MessageTag) -> Option<Timestamp> {
        self.retired[tag_index(tag)]
    }
}

fn tag_index(tag: MessageTag) -> usize {
    MessageTag::ALL
        .iter()
        .position(|t| *t == tag)
        .expect("ALL lists every tag")
}

impl RuleChange {
    pub fn effective_at(&self) -> Timestamp {
        self.effective
            .parse()
            .expect("catalogue dates are RFC 3339")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_entry_parses_and_the_catalogue_is_in_date_order() {
        let dates: Vec<Timestamp> = CATALOGUE.iter().map(RuleChange::effective_at).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn tags_retire_at_the_second() {
        let before = Rules::at(at("2026-04-26T23:59:59Z"));
        let after = Rules::at(at("2026-04-27T00:00:00Z"));
        for tag in [
            MessageTag::ConfirmedEventUpdate,
            MessageTag::PostPurchaseUpdate,
            MessageTag::AccountUpdate,
        ] {
            assert_eq!(before.tag_retired(tag), None);
            assert_eq!(after.tag_retired(tag), Some(at("2026-04-27T00:00:00Z")));
        }
        assert_eq!(after.tag_retired(MessageTag::HumanAgent), None);
    }

    #[test]
    fn recurring_notifications_end_and_marketing_messages_begin() {
        assert_eq!(
            Rules::at(at("2026-02-09T23:59:59Z")).notifications_discontinued,
            None
        );
        assert!(
            Rules::at(at("2026-02-10T00:00:00Z"))
                .notifications_discontinued
                .is_some()
        );
        assert!(!Rules::at(at("2025-06-30T23:59:59Z")).marketing_messages);
        assert!(Rules::at(at("2025-07-01T00:00:00Z")).marketing_messages);
    }

    #[test]
    fn sponsored_messages_end_and_notification_spacing_begins() {
        assert_eq!(
            Rules::at(at("2024-07-30T23:59:59Z")).sponsored_messages_ended,
            None
        );
        assert!(
            Rules::at(at("2024-07-31T00:00:00Z"))
                .sponsored_messages_ended
                .is_some()
        );
        assert_eq!(
            Rules::at(at("2025-08-31T23:59:59Z")).notification_min_spacing,
            None
        );
        assert_eq!(
            Rules::at(at("2025-09-01T00:00:00Z")).notification_min_spacing,
            Some(SignedDuration::from_hours(48))
        );
    }
}
