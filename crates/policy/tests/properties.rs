//! Properties that must hold for any scenario, not just the chosen examples.

mod common;

use jiff::{SignedDuration, Timestamp};
use policy::scenario::{Interaction, InteractionKind, Scenario};
use policy::{Verdict, decide};
use proptest::prelude::*;

const KINDS: [InteractionKind; 11] = [
    InteractionKind::Message,
    InteractionKind::Postback,
    InteractionKind::QuickReply,
    InteractionKind::Referral,
    InteractionKind::Reaction,
    InteractionKind::PluginOptin,
    InteractionKind::NotificationOptin,
    InteractionKind::Comment,
    InteractionKind::Echo,
    InteractionKind::Read,
    InteractionKind::Delivery,
];

const BASE: i64 = 1_773_144_000; // 2026-03-10T12:00:00Z

fn ts(offset_secs: i64) -> Timestamp {
    Timestamp::from_second(BASE + offset_secs).unwrap()
}

fn interaction() -> impl Strategy<Value = Interaction> {
    (0..KINDS.len(), -40 * 86_400_i64..0).prop_map(|(k, off)| Interaction {
        kind: KINDS[k],
        at: ts(off),
    })
}

/// An untagged message from a person (or a broadcast) with some history.
fn scenario(interactions: Vec<Interaction>, broadcast: bool, text: &str) -> Scenario {
    let mut s = common::scenario()
        .message("text", serde_json::json!(text))
        .parse();
    s.contact.interactions = interactions;
    if broadcast {
        s.message.sender = policy::scenario::Sender::Broadcast;
    }
    s
}

const TEXTS: [&str; 3] = [
    "Your order has shipped.",
    "Flash sale: 40% off today!",
    "Chúc mừng sinh nhật!",
];

proptest! {
    #[test]
    fn moving_now_forward_never_reopens_a_closed_window(
        history in prop::collection::vec(interaction(), 0..6),
        later in 0..90 * 86_400_i64,
        text in 0..TEXTS.len(),
    ) {
        let s = scenario(history, false, TEXTS[text]);
        let before = decide(&s);
        if before.verdict == Verdict::Deny {
            let mut moved = s.clone();
            moved.now = ts(later);
            let after = decide(&moved);
            prop_assert_eq!(after.verdict, Verdict::Deny, "{} then {}", before.explanation, after.explanation);
            prop_assert!(after.window.is_none_or(|w| !w.open));
        }
    }

    #[test]
    fn another_customer_interaction_never_turns_allow_into_deny(
        history in prop::collection::vec(interaction(), 0..6),
        extra in interaction(),
        broadcast in any::<bool>(),
        text in 0..TEXTS.len(),
    ) {
        let s = scenario(history, broadcast, TEXTS[text]);
        if decide(&s).verdict == Verdict::Allow {
            let mut more = s.clone();
            more.contact.interactions.push(extra);
            prop_assert_eq!(decide(&more).verdict, Verdict::Allow);
        }
    }

    #[test]
    fn the_order_of_interactions_does_not_matter(
        history in prop::collection::vec(interaction(), 0..8),
        seed in any::<u64>(),
        text in 0..TEXTS.len(),
    ) {
        let s = scenario(history.clone(), false, TEXTS[text]);
        let mut shuffled = history;
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        let mut x = seed | 1;
        for i in (1..n).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let t = scenario(shuffled, false, TEXTS[text]);
        prop_assert_eq!(decide(&s), decide(&t));
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,400}") {
        let s = scenario(vec![Interaction { kind: InteractionKind::Message, at: ts(-3_600) }], false, &text);
        let d = decide(&s);
        prop_assert!(!d.explanation.is_empty());
    }

    #[test]
    fn the_window_is_exactly_24_hours(offset in 1..200 * 3_600_i64) {
        let s = scenario(vec![Interaction { kind: InteractionKind::Message, at: ts(-offset) }], false, "ok");
        let allowed = decide(&s).verdict == Verdict::Allow;
        prop_assert_eq!(allowed, SignedDuration::from_secs(offset) < SignedDuration::from_hours(24));
    }
}

/// Country codes on both sides of Meta's regional line.
const EXCLUDED: [&str; 8] = ["IT", "DE", "FR", "ES", "GB", "JP", "KR", "AU"];
const REACHED: [&str; 8] = ["VN", "MY", "SA", "AE", "US", "ID", "TH", "CH"];

fn json_scenario(v: serde_json::Value) -> Scenario {
    Scenario::from_json(v.to_string().as_bytes()).unwrap()
}

fn marketing(region: &str, last_secs_ago: i64, now: Timestamp) -> Scenario {
    let last = now - SignedDuration::from_secs(last_secs_ago);
    json_scenario(common::scenario()
        .now(&now.to_string())
        .message("sender", serde_json::json!("broadcast"))
        .message("marketing_token", serde_json::json!("mm-1"))
        .page("marketing_messages", serde_json::json!(true))
        .contact("marketing_subscription", serde_json::json!({"token": "mm-1", "region": region, "last_marketing_at": last.to_string()}))
        .0)
}

fn notification(region: &str, frequency: &str, last_secs_ago: i64, now: Timestamp) -> Scenario {
    let last = now - SignedDuration::from_secs(last_secs_ago);
    json_scenario(
        common::scenario()
            .now(&now.to_string())
            .message("sender", serde_json::json!("broadcast"))
            .message("notification_token", serde_json::json!("rn-1"))
            .contact(
                "notification_tokens",
                serde_json::json!([{"token": "rn-1", "frequency": frequency, "expires_at": null,
                  "status": "active", "last_sent_at": last.to_string(), "region": region}]),
            )
            .0,
    )
}

proptest! {
    #[test]
    fn marketing_messages_are_12_hours_apart(gap in 1..48 * 3_600_i64, r in 0..REACHED.len()) {
        let now = ts(300 * 86_400);
        let d = decide(&marketing(REACHED[r], gap, now));
        prop_assert_eq!(d.verdict == Verdict::Allow, gap >= 12 * 3_600, "{}", d.explanation);
    }

    #[test]
    fn marketing_never_reaches_the_excluded_regions(gap in 12 * 3_600..48 * 3_600_i64, r in 0..EXCLUDED.len(), lower in any::<bool>()) {
        let region = if lower { EXCLUDED[r].to_lowercase() } else { EXCLUDED[r].to_owned() };
        let d = decide(&marketing(&region, gap, ts(300 * 86_400)));
        prop_assert_eq!(d.rule, policy::Rule::MarketingRegion);
    }

    #[test]
    fn recurring_notifications_survive_only_in_the_excluded_regions(
        days_after_end in 0..300_i64, r in 0..8usize, excluded in any::<bool>(),
    ) {
        // 2026-02-10 plus some days; the last message long ago.
        let now = Timestamp::from_second(1_770_681_600 + days_after_end * 86_400).unwrap();
        let region = if excluded { EXCLUDED[r] } else { REACHED[r] };
        let d = decide(&notification(region, "WEEKLY", 30 * 86_400, now));
        prop_assert_eq!(d.verdict == Verdict::Allow, excluded, "{}", d.explanation);
    }

    #[test]
    fn notification_tokens_wait_48_hours_from_september_2025(gap in 1..100 * 3_600_i64, monthly in any::<bool>()) {
        let now = ts(300 * 86_400);
        let frequency = if monthly { "MONTHLY" } else { "DAILY" };
        let period = if monthly { 30 * 86_400 } else { 48 * 3_600 };
        let d = decide(&notification("IT", frequency, gap, now));
        prop_assert_eq!(d.verdict == Verdict::Allow, gap >= period, "{}", d.explanation);
    }

    #[test]
    fn sender_actions_stop_at_exactly_24_hours(offset in 0..72 * 3_600_i64, action in 0..3usize) {
        let mut s = scenario(vec![Interaction { kind: InteractionKind::Message, at: ts(-offset) }], false, "x");
        s.message.sender_action = Some([
            policy::scenario::SenderAction::TypingOn,
            policy::scenario::SenderAction::TypingOff,
            policy::scenario::SenderAction::MarkSeen,
        ][action]);
        let d = decide(&s);
        prop_assert_eq!(d.verdict == Verdict::Allow, offset < 24 * 3_600);
        let expected = if offset < 24 * 3_600 { policy::Rule::SenderAction } else { policy::Rule::SenderActionOutsideWindow };
        prop_assert_eq!(d.rule, expected);
    }

    #[test]
    fn promotional_text_is_never_allowed_under_any_tag(
        history in prop::collection::vec(interaction(), 0..6),
        tag in 0..messenger::MessageTag::ALL.len(),
        text in 1..TEXTS.len(),
    ) {
        let mut s = scenario(history, false, TEXTS[text]);
        s.message.tag = Some(policy::scenario::RequestedTag::Known(messenger::MessageTag::ALL[tag]));
        s.page.news_page_index = true;
        prop_assert_eq!(decide(&s).verdict, Verdict::Deny);
    }
}
