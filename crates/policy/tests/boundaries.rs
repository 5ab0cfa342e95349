//! Each boundary of the contract, one second before and at/after.

mod common;

use common::*;
use serde_json::json;

#[test]
fn standard_window_closes_at_24_hours() {
    let s = || scenario().interaction("message", "2026-03-09T12:00:00Z");
    assert_eq!(
        s().now("2026-03-10T11:59:59Z").verdict(),
        allow("within_window")
    );
    assert_eq!(
        s().now("2026-03-10T12:00:00Z").verdict(),
        deny("outside_window")
    );
}

#[test]
fn human_agent_window_closes_at_7_days() {
    let s = || {
        scenario()
            .interaction("message", "2026-03-03T12:00:00Z")
            .message("tag", json!("HUMAN_AGENT"))
    };
    assert_eq!(
        s().now("2026-03-10T11:59:59Z").verdict(),
        allow("human_agent_window")
    );
    assert_eq!(
        s().now("2026-03-10T12:00:00Z").verdict(),
        deny("human_agent_expired")
    );
    let d = s().now("2026-03-10T11:59:59Z").decide();
    let j = decision_json(&d);
    assert_eq!(
        j["send"],
        json!({"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "recipient": {"id": "2001"}})
    );
}

#[test]
fn one_time_token_lasts_365_days_and_one_message() {
    let token = |used: bool| json!([{"token": "otn-1", "topic": "Back in stock", "issued_at": "2025-03-10T12:00:00Z", "used": used}]);
    let s = |used| {
        scenario()
            .message("sender", json!("bot"))
            .message("one_time_token", json!("otn-1"))
            .contact("one_time_tokens", token(used))
    };
    assert_eq!(
        s(false).now("2026-03-10T11:59:59Z").verdict(),
        allow("one_time_token")
    );
    assert_eq!(
        s(false).now("2026-03-10T12:00:00Z").verdict(),
        deny("token_expired")
    );
    assert_eq!(
        s(true).now("2026-01-01T00:00:00Z").verdict(),
        deny("token_used")
    );
    assert_eq!(
        scenario()
            .message("one_time_token", json!("nope"))
            .verdict(),
        deny("token_unknown")
    );
    let j = decision_json(&s(false).now("2026-01-01T00:00:00Z").decide());
    assert_eq!(
        j["send"]["recipient"],
        json!({"one_time_notif_token": "otn-1"})
    );
}

fn recurring(frequency: &str, last_sent: Option<&str>, status: &str) -> common::S {
    scenario().message("sender", json!("broadcast")).message("notification_token", json!("rn-1")).contact(
        "notification_tokens",
        json!([{"token": "rn-1", "topic": "Deals", "frequency": frequency, "issued_at": "2025-10-01T00:00:00Z",
                "expires_at": "2026-01-31T00:00:00Z", "status": status, "last_sent_at": last_sent}]),
    )
}

#[test]
fn recurring_frequency_periods() {
    // Before Meta's 48-hour floor (2025-09-01) each frequency has its own period.
    let early = |freq: &str, last: &str| {
        scenario()
            .message("sender", json!("broadcast"))
            .message("notification_token", json!("rn-1"))
            .contact(
                "notification_tokens",
                json!([{"token": "rn-1", "frequency": freq, "expires_at": "2025-12-31T00:00:00Z",
                        "status": "active", "last_sent_at": last}]),
            )
    };
    for (freq, last, ok_at, too_soon_at) in [
        (
            "DAILY",
            "2025-08-10T12:00:00Z",
            "2025-08-11T12:00:00Z",
            "2025-08-11T11:59:59Z",
        ),
        (
            "WEEKLY",
            "2026-01-10T12:00:00Z",
            "2026-01-17T12:00:00Z",
            "2026-01-17T11:59:59Z",
        ),
        (
            "MONTHLY",
            "2025-12-20T12:00:00Z",
            "2026-01-19T12:00:00Z",
            "2026-01-19T11:59:59Z",
        ),
    ] {
        let s = if freq == "DAILY" {
            early(freq, last)
        } else {
            recurring(freq, Some(last), "active")
        };
        assert_eq!(
            s.now(ok_at).verdict(),
            allow("notification_token"),
            "{freq}"
        );
        let s = if freq == "DAILY" {
            early(freq, last)
        } else {
            recurring(freq, Some(last), "active")
        };
        assert_eq!(
            s.now(too_soon_at).verdict(),
            deny("notification_frequency"),
            "{freq}"
        );
    }
    // From 2025-09-01 on, at least 48 hours between two messages, whatever the frequency.
    let last = "2026-01-10T12:00:00Z";
    assert_eq!(
        recurring("DAILY", Some(last), "active")
            .now("2026-01-12T11:59:59Z")
            .verdict(),
        deny("notification_frequency")
    );
    assert_eq!(
        recurring("DAILY", Some(last), "active")
            .now("2026-01-12T12:00:00Z")
            .verdict(),
        allow("notification_token")
    );
}

#[test]
fn recurring_expiry_stop_and_discontinuation() {
    assert_eq!(
        recurring("DAILY", None, "active")
            .now("2026-01-30T23:59:59Z")
            .verdict(),
        allow("notification_token")
    );
    assert_eq!(
        recurring("DAILY", None, "active")
            .now("2026-01-31T00:00:00Z")
            .verdict(),
        deny("token_expired")
    );
    assert_eq!(
        recurring("DAILY", None, "stopped")
            .now("2026-01-20T00:00:00Z")
            .verdict(),
        deny("token_stopped")
    );
    assert_eq!(
        recurring("DAILY", None, "STOP_NOTIFICATIONS")
            .now("2026-01-20T00:00:00Z")
            .verdict(),
        deny("token_stopped")
    );
    // Discontinued on 2026-02-10 unless the recipient is in the EU, the UK, JP, KR or AU.
    assert_eq!(
        recurring("DAILY", None, "active")
            .now("2026-02-09T23:59:59Z")
            .verdict(),
        deny("token_expired")
    );
    assert_eq!(
        recurring("DAILY", None, "active")
            .now("2026-02-10T00:00:00Z")
            .verdict(),
        deny("notification_discontinued")
    );
    let kept = |region: serde_json::Value| {
        scenario()
            .now("2026-06-10T00:00:00Z")
            .message("sender", json!("broadcast"))
            .message("notification_token", json!("rn-1"))
            .contact(
                "notification_tokens",
                json!([{"token": "rn-1", "frequency": "WEEKLY", "expires_at": null, "status": "active", "region": region}]),
            )
    };
    assert_eq!(kept(json!("IT")).verdict(), allow("notification_token"));
    assert_eq!(kept(json!("gb")).verdict(), allow("notification_token"));
    assert_eq!(
        kept(json!("VN")).verdict(),
        deny("notification_discontinued")
    );
    assert_eq!(
        kept(json!(null)).verdict(),
        deny("notification_discontinued")
    );
    // A token that never expires, before the discontinuation.
    assert_eq!(
        kept(json!("VN")).now("2026-02-09T00:00:00Z").verdict(),
        allow("notification_token")
    );
}

#[test]
fn private_reply_once_within_7_days() {
    let s = |sent: bool| {
        scenario()
            .message("private_reply_to", json!("c-9"))
            .contact("comments", json!([{"comment_id": "c-9", "at": "2026-03-03T12:00:00Z", "private_reply_sent": sent}]))
            .interaction("comment", "2026-03-03T12:00:00Z")
    };
    assert_eq!(
        s(false).now("2026-03-10T11:59:59Z").verdict(),
        allow("private_reply")
    );
    assert_eq!(
        s(false).now("2026-03-10T12:00:00Z").verdict(),
        deny("private_reply_expired")
    );
    assert_eq!(
        s(true).now("2026-03-04T00:00:00Z").verdict(),
        deny("private_reply_used")
    );
    assert_eq!(
        scenario()
            .message("private_reply_to", json!("c-0"))
            .verdict(),
        deny("comment_unknown")
    );
    let j = decision_json(&s(false).now("2026-03-04T00:00:00Z").decide());
    assert_eq!(j["send"]["recipient"], json!({"comment_id": "c-9"}));
    // A comment opens no window.
    assert_eq!(j["window"], json!(null));
}

#[test]
fn page_restriction_ends_at_the_second() {
    let s = || {
        scenario()
            .interaction("message", "2026-03-10T11:00:00Z")
            .page("restricted_until", json!("2026-03-10T12:00:01Z"))
    };
    assert_eq!(s().verdict(), deny("page_restricted"));
    assert_eq!(
        s().now("2026-03-10T12:00:01Z").verdict(),
        allow("within_window")
    );
}

#[test]
fn topic_tags_retire_on_2026_04_27() {
    for tag in [
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
        "ACCOUNT_UPDATE",
    ] {
        let s = || {
            scenario()
                .message("sender", json!("bot"))
                .message("tag", json!(tag))
        };
        assert_eq!(
            s().now("2026-04-26T23:59:59Z").verdict(),
            allow("tag_allowed"),
            "{tag}"
        );
        assert_eq!(
            s().now("2026-04-27T00:00:00Z").verdict(),
            deny("tag_retired"),
            "{tag}"
        );
    }
    // After retirement the alternatives offer a utility template, never a retired tag.
    let d = decision_json(
        &scenario()
            .now("2026-06-01T00:00:00Z")
            .message("sender", json!("bot"))
            .decide(),
    );
    assert_eq!(d["rule"], "outside_window");
    assert!(
        d["alternatives"]
            .as_array()
            .unwrap()
            .contains(&json!({"kind": "utility_template"}))
    );
    assert!(
        !d["alternatives"]
            .to_string()
            .contains("POST_PURCHASE_UPDATE"),
        "{}",
        d["alternatives"]
    );
}

#[test]
fn utility_rules() {
    let s = |status: &str| {
        scenario()
            .now("2026-06-01T12:00:00Z")
            .message("sender", json!("bot"))
            .message(
                "utility_template",
                json!({"name": "order_shipped", "status": status}),
            )
    };
    assert_eq!(s("APPROVED").verdict(), allow("utility_template"));
    for status in ["PENDING", "REJECTED", "PAUSED"] {
        assert_eq!(s(status).verdict(), deny("template_not_approved"));
    }
    assert_eq!(
        s("APPROVED")
            .page("utility_messaging", json!(false))
            .verdict(),
        deny("utility_not_permitted")
    );
    assert_eq!(
        s("APPROVED")
            .message("text", json!("Order shipped! Use code SAVE10 for 10% off"))
            .verdict(),
        deny("promotional_in_utility")
    );
    assert_eq!(
        s("APPROVED").message("promotional", json!(true)).verdict(),
        deny("promotional_in_utility")
    );
    let j = decision_json(&s("APPROVED").decide());
    assert_eq!(
        j["send"],
        json!({"messaging_type": "UTILITY", "tag": null, "recipient": {"id": "2001"}})
    );
}

#[test]
fn human_agent_rules() {
    let s = || {
        scenario()
            .interaction("message", "2026-03-08T12:00:00Z")
            .message("tag", json!("HUMAN_AGENT"))
    };
    assert_eq!(
        s().message("sender", json!("api")).verdict(),
        deny("human_agent_not_human")
    );
    assert_eq!(
        s().page("human_agent_approved", json!(false)).verdict(),
        deny("human_agent_not_approved")
    );
    assert_eq!(
        scenario().message("tag", json!("HUMAN_AGENT")).verdict(),
        deny("human_agent_expired")
    );
}

#[test]
fn subscription_only_for_news_pages() {
    let s = || {
        scenario()
            .message("sender", json!("bot"))
            .message("tag", json!("NON_PROMOTIONAL_SUBSCRIPTION"))
    };
    assert_eq!(s().verdict(), deny("subscription_not_eligible"));
    assert_eq!(
        s().page("news_page_index", json!(true)).verdict(),
        allow("tag_allowed")
    );
}

#[test]
fn order_of_rules() {
    // Opted out beats everything, unreachable beats restriction, restriction beats tokens.
    let everything = || {
        scenario()
            .interaction("message", "2026-03-10T11:00:00Z")
            .contact("opted_out", json!(true))
            .contact("unreachable", json!(true))
            .page("restricted_until", json!("2026-04-01T00:00:00Z"))
    };
    assert_eq!(everything().verdict(), deny("contact_opted_out"));
    assert_eq!(
        everything().contact("opted_out", json!(false)).verdict(),
        deny("contact_unreachable")
    );
    assert_eq!(
        everything()
            .contact("opted_out", json!(false))
            .contact("unreachable", json!(false))
            .verdict(),
        deny("page_restricted")
    );
}

#[test]
fn within_window_messaging_types_and_warnings() {
    let s = || scenario().interaction("quick_reply", "2026-03-10T11:00:00Z");
    let send = |sender: &str| {
        decision_json(&s().message("sender", json!(sender)).decide())["send"]["messaging_type"]
            .clone()
    };
    assert_eq!(send("human_agent"), "RESPONSE");
    assert_eq!(send("bot"), "RESPONSE");
    assert_eq!(send("api"), "RESPONSE");
    assert_eq!(send("broadcast"), "UPDATE");

    let j = decision_json(&s().message("tag", json!("HUMAN_AGENT")).decide());
    assert_eq!(j["warnings"], json!(["tag_unneeded"]));
    let j = decision_json(
        &s().message("sender", json!("bot"))
            .contact("automated_sent_24h", json!(3))
            .decide(),
    );
    assert_eq!(j["warnings"], json!(["frequency_high"]));
    let j = decision_json(
        &s().message("sender", json!("broadcast"))
            .message("text", json!("Flash sale: 50% off today!"))
            .decide(),
    );
    assert_eq!(
        (j["verdict"].as_str(), j["warnings"].clone()),
        (Some("allow"), json!(["promotional_broadcast"]))
    );
    assert_eq!(j["matched"], json!(["Flash sale", "50% off"]));
}

#[test]
fn what_opens_the_window() {
    for kind in [
        "message",
        "postback",
        "quick_reply",
        "referral",
        "reaction",
        "plugin_optin",
    ] {
        assert_eq!(
            scenario()
                .interaction(kind, "2026-03-10T11:00:00Z")
                .verdict(),
            allow("within_window"),
            "{kind}"
        );
    }
    for kind in ["notification_optin", "comment", "echo", "read", "delivery"] {
        assert_eq!(
            scenario()
                .interaction(kind, "2026-03-10T11:00:00Z")
                .verdict(),
            deny("outside_window"),
            "{kind}"
        );
    }
}

#[test]
fn alternatives_are_only_what_is_possible_in_order() {
    let d = decision_json(
        &scenario()
            .now("2026-01-20T12:00:00Z")
            .interaction("message", "2026-01-18T12:00:00Z")
            .contact("one_time_tokens", json!([{"token": "otn-1", "issued_at": "2025-06-01T00:00:00Z", "used": false},
                                                 {"token": "otn-old", "issued_at": "2024-06-01T00:00:00Z", "used": false}]))
            .contact("notification_tokens", json!([{"token": "rn-1", "frequency": "WEEKLY", "expires_at": "2026-06-01T00:00:00Z", "status": "active"}]))
            .decide(),
    );
    assert_eq!(d["rule"], "outside_window");
    assert_eq!(
        d["alternatives"],
        json!([{"kind": "tag", "tag": "HUMAN_AGENT"}, {"kind": "utility_template"}, {"kind": "notification_token", "token": "rn-1"},
               {"kind": "one_time_token", "token": "otn-1"}, {"kind": "tag", "tag": "CONFIRMED_EVENT_UPDATE"},
               {"kind": "tag", "tag": "POST_PURCHASE_UPDATE"}, {"kind": "tag", "tag": "ACCOUNT_UPDATE"},
               {"kind": "wait_for_customer"}])
    );
    // Promotional content from a bot, after 2026-04-27: no tag, no utility, no sponsored
    // message (ended 2024-07-31); a marketing message to the customer's subscription.
    let promo = || {
        scenario()
            .now("2026-06-01T12:00:00Z")
            .interaction("message", "2026-05-01T12:00:00Z")
            .message("sender", json!("bot"))
            .message(
                "text",
                json!("Black Friday: everything half price, shop now!"),
            )
            .page("marketing_messages", json!(true))
            .contact(
                "marketing_subscription",
                json!({"token": "mm-1", "status": "active", "region": "VN"}),
            )
    };
    assert_eq!(
        decision_json(&promo().decide())["alternatives"],
        json!([{"kind": "marketing_message", "token": "mm-1"}, {"kind": "wait_for_customer"}])
    );
    // Not for a subscription in the EU, nor within 12 hours of the last one, nor when not onboarded.
    for s in [
        promo().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "status": "active", "region": "IT"}),
        ),
        promo().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "last_marketing_at": "2026-06-01T01:00:00Z"}),
        ),
        promo().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "status": "stopped"}),
        ),
        promo().page("marketing_messages", json!(false)),
    ] {
        assert_eq!(
            decision_json(&s.decide())["alternatives"],
            json!([{"kind": "wait_for_customer"}])
        );
    }
    // Sponsored messages were offered for promotions to known customers until 2024-07-31.
    let before = scenario()
        .now("2024-07-30T23:59:59Z")
        .interaction("message", "2024-07-01T12:00:00Z")
        .message("sender", json!("bot"))
        .message("text", json!("Flash sale: 40% off today!"));
    assert_eq!(
        decision_json(&before.decide())["alternatives"],
        json!([{"kind": "sponsored_message"}, {"kind": "wait_for_customer"}])
    );
    let after = before.now("2024-07-31T00:00:00Z");
    assert_eq!(
        decision_json(&after.decide())["alternatives"],
        json!([{"kind": "wait_for_customer"}])
    );
    // HUMAN_AGENT is not offered for promotional text.
    let d = decision_json(
        &scenario()
            .interaction("message", "2026-03-08T12:00:00Z")
            .message("text", json!("Flash sale: 40% off today!"))
            .decide(),
    );
    assert_eq!(d["alternatives"], json!([{"kind": "wait_for_customer"}]));
}

#[test]
fn malformed_input_names_the_field() {
    let bad = |v: serde_json::Value| {
        policy::Scenario::from_json(v.to_string().as_bytes())
            .unwrap_err()
            .to_string()
    };
    let mut s = scenario().0;
    s["message"]["sender"] = json!("robot");
    assert!(
        bad(s.clone()).starts_with("message.sender: unknown variant `robot`"),
        "{}",
        bad(s)
    );
    let mut s = scenario().0;
    s["contact"]["interactions"] = json!([{"kind": "message", "at": "tomorrow"}]);
    assert!(
        bad(s.clone()).starts_with("contact.interactions[0].at:"),
        "{}",
        bad(s)
    );
    let mut s = scenario().0;
    s.as_object_mut().unwrap().remove("now");
    assert!(bad(s.clone()).contains("missing field `now`"), "{}", bad(s));
    let mut s = scenario().0;
    s["message"]["utility_template"] = json!({"name": "x", "status": "MAYBE"});
    assert!(
        bad(s.clone()).starts_with("message.utility_template.status:"),
        "{}",
        bad(s)
    );
}

#[test]
fn human_agent_never_carries_promotions() {
    let s = scenario()
        .interaction("message", "2026-03-07T12:00:00Z")
        .message("tag", json!("HUMAN_AGENT"))
        .message("text", json!("50% off sale this weekend!"));
    let d = s.decide();
    assert_eq!(s.verdict(), deny("promotional_in_tag"));
    assert!(d.explanation.contains("HUMAN_AGENT"), "{}", d.explanation);
    assert!(!d.matched.is_empty());
    // Declared promotional with no word giving it away: still refused.
    let declared = scenario()
        .interaction("message", "2026-03-07T12:00:00Z")
        .message("tag", json!("HUMAN_AGENT"))
        .message("promotional", json!(true));
    assert_eq!(declared.verdict(), deny("promotional_in_tag"));
    // Expired first: rule 9's order.
    let expired = scenario()
        .interaction("message", "2026-03-01T12:00:00Z")
        .message("tag", json!("HUMAN_AGENT"))
        .message("text", json!("50% off sale this weekend!"));
    assert_eq!(expired.verdict(), deny("human_agent_expired"));
}

#[test]
fn marketing_messages_rule_6b() {
    let s = || {
        scenario()
            .now("2026-11-20T12:00:00Z")
            .message("sender", json!("broadcast"))
            .message("text", json!("Flash sale tonight: 30% off!"))
            .message("marketing_token", json!("mm-1"))
            .page("marketing_messages", json!(true))
            .contact("marketing_subscription", json!({"token": "mm-1", "status": "active", "region": "VN", "last_marketing_at": "2026-11-20T00:00:00Z"}))
    };
    assert_eq!(s().verdict(), allow("marketing_message"));
    assert_eq!(
        decision_json(&s().decide())["send"],
        json!({"messaging_type": "MARKETING", "tag": null, "recipient": {"subscription_token": "mm-1"}})
    );
    assert_eq!(
        s().now("2026-11-20T11:59:59Z").verdict(),
        deny("marketing_frequency")
    );
    assert_eq!(
        s().now("2025-06-30T23:59:59Z").verdict(),
        deny("marketing_not_enabled")
    );
    assert_eq!(
        s().page("marketing_messages", json!(false)).verdict(),
        deny("marketing_not_enabled")
    );
    assert_eq!(
        s().message("marketing_token", json!("mm-2")).verdict(),
        deny("marketing_token_unknown")
    );
    assert_eq!(
        s().contact("marketing_subscription", json!(null)).verdict(),
        deny("marketing_token_unknown")
    );
    assert_eq!(
        s().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "status": "stopped"})
        )
        .verdict(),
        deny("marketing_stopped")
    );
    assert_eq!(
        s().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "region": "KR"})
        )
        .verdict(),
        deny("marketing_region")
    );
    // An unknown region is allowed: Meta decides.
    assert_eq!(
        s().contact(
            "marketing_subscription",
            json!({"token": "mm-1", "region": null})
        )
        .verdict(),
        allow("marketing_message")
    );
    // Load caps warn, never refuse.
    let w = decision_json(&s().decide());
    assert_eq!(
        w["warnings"],
        json!(["promotional_broadcast", "marketing_load_cap"])
    );
    let busy_week = s().contact(
        "marketing_subscription",
        json!({"token": "mm-1", "sent_7d": 3}),
    );
    assert_eq!(
        decision_json(&busy_week.decide())["warnings"],
        json!(["promotional_broadcast", "marketing_load_cap"])
    );
    let calm = s().contact(
        "marketing_subscription",
        json!({"token": "mm-1", "sent_7d": 2, "last_marketing_at": "2026-11-19T11:00:00Z"}),
    );
    assert_eq!(
        decision_json(&calm.decide())["warnings"],
        json!(["promotional_broadcast"])
    );
}

#[test]
fn threads_owned_by_another_app_are_not_ours() {
    for sender in ["human_agent", "bot", "broadcast", "api"] {
        let s = scenario()
            .interaction("message", "2026-03-10T11:00:00Z")
            .message("sender", json!(sender))
            .contact("thread_owner", json!("263902037430900"));
        assert_eq!(s.verdict(), deny("thread_owned_by_other_app"), "{sender}");
        let d = decision_json(&s.decide());
        assert_eq!(d["alternatives"], json!([{"kind": "take_thread_control"}]));
        assert!(
            d["explanation"]
                .as_str()
                .unwrap()
                .contains("Business Suite")
        );
    }
    // Rule 3b comes after a restriction (3) and before everything else.
    let restricted = scenario()
        .page("restricted_until", json!("2026-03-11T00:00:00Z"))
        .contact("thread_owner", json!("413038776280800"));
    assert_eq!(restricted.verdict(), deny("page_restricted"));
    let token = scenario()
        .contact("thread_owner", json!("413038776280800"))
        .message("one_time_token", json!("otn-1"));
    assert_eq!(token.verdict(), deny("thread_owned_by_other_app"));
}

#[test]
fn opt_out_lets_a_person_answer_a_customer_who_wrote_again() {
    let s = |sender: &str, opted_out_at: serde_json::Value| {
        scenario()
            .interaction("message", "2026-03-10T11:00:00Z")
            .message("sender", json!(sender))
            .contact("opted_out", json!(true))
            .contact("opted_out_at", opted_out_at)
    };
    assert_eq!(
        s("human_agent", json!("2026-03-10T10:59:59Z")).verdict(),
        allow("within_window")
    );
    assert_eq!(
        s("human_agent", json!("2026-03-10T11:00:00Z")).verdict(),
        deny("contact_opted_out")
    );
    assert_eq!(
        s("human_agent", json!(null)).verdict(),
        deny("contact_opted_out")
    );
    for automated in ["bot", "broadcast", "api"] {
        assert_eq!(
            s(automated, json!("2026-03-09T00:00:00Z")).verdict(),
            deny("contact_opted_out")
        );
    }
    // The opt-out stops sender actions from automations too; a person answering may type.
    let typing = |sender: &str| {
        s(sender, json!("2026-03-09T00:00:00Z")).message("sender_action", json!("typing_on"))
    };
    assert_eq!(typing("human_agent").verdict(), allow("sender_action"));
    assert_eq!(typing("bot").verdict(), deny("contact_opted_out"));
}

#[test]
fn sender_actions_only_inside_the_window() {
    let s = |action: &str, last: &str| {
        scenario()
            .interaction("message", last)
            .message("sender_action", json!(action))
            .message("text", json!("50% off!"))
    };
    for action in ["typing_on", "typing_off", "mark_seen"] {
        assert_eq!(
            s(action, "2026-03-09T12:00:01Z").verdict(),
            allow("sender_action")
        );
        assert_eq!(
            s(action, "2026-03-09T12:00:00Z").verdict(),
            deny("sender_action_outside_window")
        );
    }
    let d = decision_json(&s("typing_on", "2026-03-10T11:00:00Z").decide());
    assert_eq!(
        d["send"],
        json!({"messaging_type": "RESPONSE", "tag": null, "recipient": {"id": "2001"}})
    );
    // The text of a sender action is not judged.
    assert_eq!(d["matched"], json!([]));
    let closed = decision_json(&s("mark_seen", "2026-03-01T11:00:00Z").decide());
    assert_eq!(
        closed["alternatives"],
        json!([{"kind": "wait_for_customer"}])
    );
    let mut bad = scenario().0;
    bad["message"]["sender_action"] = json!("react");
    assert!(
        policy::Scenario::from_json(bad.to_string().as_bytes())
            .unwrap_err()
            .to_string()
            .starts_with("message.sender_action:")
    );
}

#[test]
fn interaction_names_match_the_contract() {
    for kind in policy::scenario::InteractionKind::ALL {
        let via_serde: policy::scenario::InteractionKind =
            serde_json::from_value(json!(kind.as_str())).unwrap();
        assert_eq!(via_serde, kind);
        assert_eq!(
            policy::scenario::InteractionKind::parse(kind.as_str()),
            Some(kind)
        );
    }
}
