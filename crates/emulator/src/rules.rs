//! Meta's messaging rules as the emulator enforces them, written from Meta's documentation and
//! independent of Fenestra's `policy` crate (the emulator is the check on it).

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const STANDARD_WINDOW_MS: i64 = DAY_MS;
pub const HUMAN_AGENT_WINDOW_MS: i64 = 7 * DAY_MS;
pub const PRIVATE_REPLY_MS: i64 = 7 * DAY_MS;
pub const ONE_TIME_TOKEN_MS: i64 = 365 * DAY_MS;

/// 2026-04-27T00:00:00Z: CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE and ACCOUNT_UPDATE
/// stop being accepted (error 100) in favour of utility messages.
pub const TOPIC_TAGS_RETIRED_MS: i64 = 1_777_248_000_000;
/// 2026-02-10T00:00:00Z: recurring notification tokens stop working.
pub const RECURRING_DISCONTINUED_MS: i64 = 1_770_681_600_000;

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
