//! Meta's messaging rules as the emulator enforces them, written from Meta's documentation and
//! independent of Fenestra's `policy` crate (the emulator is the check on it).

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const STANDARD_WINDOW_MS: i64 = DAY_MS;
pub const HUMAN_AGENT_WINDOW_MS: i64 = 7 * DAY_MS;
pub const PRIVATE_REPLY_MS: i64 = 7 * DAY_MS;
pub const ONE_TIME_TOKEN_MS: i64 = 365 * DAY_MS;
/// A typing indicator turns itself off after 20 seconds.
pub const TYPING_MS: i64 = 20_000;

/// 2026-04-27T00:00:00Z: CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE and ACCOUNT_UPDATE
/// stop being accepted (error 100) in favour of utility messages.
pub const TOPIC_TAGS_RETIRED_MS: i64 = 1_777_248_000_000;
/// 2026-02-10T00:00:00Z: recurring notification tokens stop working, except for customers in
/// the EU, the UK, Japan, South Korea and Australia.
pub const RECURRING_DISCONTINUED_MS: i64 = 1_770_681_600_000;
/// 2023-08-10T00:00:00Z: new recurring-notification tokens no longer expire.
pub const TOKENS_STOP_EXPIRING_MS: i64 = 1_691_625_600_000;
/// 2025-09-01T00:00:00Z: at most one recurring notification per 48 hours per subscriber.
pub const RECURRING_48H_MS: i64 = 1_756_684_800_000;
/// 2024-05-09T00:00:00Z: the Customer Chat Plugin ended.
pub const CHAT_PLUGIN_ENDED_MS: i64 = 1_715_212_800_000;

/// Where paid marketing messages cannot go, and recurring notifications kept working.
const EU_UK_JP_KR_AU: [&str; 31] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "GB", "JP", "KR", "AU",
];

/// Whether recurring notifications still reach a customer in `region` after 2026-02-10.
pub fn kept_recurring_notifications(region: &str) -> bool {
    EU_UK_JP_KR_AU.contains(&region.to_ascii_uppercase().as_str())
}

pub const TAGS: [&str; 5] = [
    "HUMAN_AGENT",
    "CONFIRMED_EVENT_UPDATE",
    "POST_PURCHASE_UPDATE",
    "ACCOUNT_UPDATE",
    "NON_PROMOTIONAL_SUBSCRIPTION",
];
pub const RETIRED_TAGS: [&str; 3] = [
    "CONFIRMED_EVENT_UPDATE",
    "POST_PURCHASE_UPDATE",
    "ACCOUNT_UPDATE",
];

/// The tags Meta accepts at `now`.
pub fn tags_in_force(now: i64) -> Vec<&'static str> {
    TAGS.into_iter()
        .filter(|t| !(now >= TOPIC_TAGS_RETIRED_MS && RETIRED_TAGS.contains(t)))
        .collect()
}

pub fn frequency_ms(frequency: &str) -> i64 {
    match frequency {
        "DAILY" => DAY_MS,
        "WEEKLY" => 7 * DAY_MS,
        _ => 30 * DAY_MS,
    }
}

/// The emulator's own content review for utility templates: promotional wording is rejected.
const PROMOTIONAL: &[&str] = &[
    "sale",
    "discount",
    "% off",
    "coupon",
    "promo",
    "voucher",
    "free gift",
    "buy now",
    "shop now",
    "limited time",
    "deal",
    "giảm giá",
    "khuyến mãi",
    "ưu đãi",
    "sconto",
    "saldi",
    "offerta",
    "diskaun",
    "promosi",
    "خصم",
    "تخفيض",
    "عرض",
];

pub fn promotional_word(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    PROMOTIONAL.iter().copied().find(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_the_documented_instants() {
        assert_eq!(
            jiff::Timestamp::from_millisecond(TOPIC_TAGS_RETIRED_MS)
                .unwrap()
                .to_string(),
            "2026-04-27T00:00:00Z"
        );
        assert_eq!(
            jiff::Timestamp::from_millisecond(RECURRING_DISCONTINUED_MS)
                .unwrap()
                .to_string(),
            "2026-02-10T00:00:00Z"
        );
        assert_eq!(tags_in_force(TOPIC_TAGS_RETIRED_MS - 1).len(), 5);
        assert_eq!(
            tags_in_force(TOPIC_TAGS_RETIRED_MS),
            ["HUMAN_AGENT", "NON_PROMOTIONAL_SUBSCRIPTION"]
        );
    }
}
