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
