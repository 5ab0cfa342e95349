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
    for (freq, last, ok_at, too_soon_at) in [
        (
            "DAILY",
            "2026-01-10T12:00:00Z",
            "2026-01-11T12:00:00Z",
            "2026-01-11T11:59:59Z",
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
        assert_eq!(
            recurring(freq, Some(last), "active").now(ok_at).verdict(),
            allow("notification_token"),
            "{freq}"
        );
        assert_eq!(
            recurring(freq, Some(last), "active")
                .now(too_soon_at)
                .verdict(),
            deny("notification_frequency"),
            "{freq}"
        );
    }
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
    // Discontinued on 2026-02-10, whatever the token.
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
               {"kind": "sponsored_message"}, {"kind": "wait_for_customer"}])
    );
    // Promotional content from a bot, after 2026-04-27: no tag, no utility; marketing and sponsored messages.
    let d = decision_json(
        &scenario()
            .now("2026-06-01T12:00:00Z")
            .interaction("message", "2026-05-01T12:00:00Z")
            .message("sender", json!("bot"))
            .message(
                "text",
                json!("Black Friday: everything half price, shop now!"),
            )
            .decide(),
    );
    assert_eq!(
        d["alternatives"],
        json!([{"kind": "marketing_message"}, {"kind": "sponsored_message"}, {"kind": "wait_for_customer"}])
    );
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
