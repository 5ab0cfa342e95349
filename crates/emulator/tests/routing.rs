//! Conversation Routing as the emulator models it (shared/spec/emulator.md, version 2): the
//! default app, idle and active threads, the 24-hour expiry, take/pass/release/request/extend,
//! `thread_owner`, `thread_control` inside a send, the Business Suite inbox taking control when
//! staff reply there, the lead-ads app handing back, and typing indicators that end.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const INBOX: &str = "263902037430900";
const LEAD_ADS: &str = "413038776280800";

fn text(psid: &str, t: &str) -> Value {
    json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": t}})
}

/// The items queued for the connected app, by channel: (`messaging` or `standby`, item).
fn queued(emu: &emulator::RunningEmulator) -> Vec<(&'static str, Value)> {
    emu.emu.with(|st| {
        st.pending
            .iter()
            .filter(|e| !e.changes)
            .map(|e| {
                (
                    if e.standby { "standby" } else { "messaging" },
                    e.item.clone(),
                )
            })
            .collect()
    })
}

fn drain(emu: &emulator::RunningEmulator) {
    emu.emu.with(|st| st.pending.clear());
}

async fn owner(c: &Client, psid: &str) -> Value {
    c.graph(
        Method::GET,
        &format!("/me/thread_owner?recipient={psid}"),
        None,
    )
    .await
    .1
}

#[tokio::test]
async fn staff_replying_in_business_suite_takes_the_thread_until_24_idle_hours() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let lan = c.customer("Lan").await;
    c.control(&format!("/users/{lan}/say"), json!({"text": "hi"}))
        .await;
    // An idle thread goes to the default app, the connected one: events in `messaging`.
    assert_eq!(queued(&emu)[0].0, "messaging");
    let o = owner(&c, &lan).await;
    assert_eq!(o["data"][0]["thread_owner"]["app_id"], "1234567890");
    assert_eq!(
        o["data"][0]["thread_owner"]["expiration"],
        (MARCH_10 + 86_400_000) / 1000
    );
    drain(&emu);

    // Staff answer in Meta Business Suite: it takes control; we are told, and see the echo.
    c.control(
        &format!("/users/{lan}/inbox_reply"),
        json!({"text": "Hello from the team"}),
    )
    .await;
    let q = queued(&emu);
    assert_eq!(q[0].0, "messaging");
    assert_eq!(
        q[0].1["take_thread_control"]["new_owner_app_id"],
        json!(263902037430900_u64)
    );
    assert_eq!(q[1].0, "standby");
    assert_eq!(q[1].1["message"]["app_id"], json!(263902037430900_u64));
    assert_eq!(q[1].1["message"]["is_echo"], true);
    drain(&emu);

    // The customer's next message reaches us in `standby`; our send is refused.
    c.control(&format!("/users/{lan}/say"), json!({"text": "thanks!"}))
        .await;
    c.control(
        &format!("/users/{lan}/postback"),
        json!({"title": "Menu", "payload": "MENU"}),
    )
    .await;
    let q = queued(&emu);
    assert_eq!((q[0].0, q[1].0), ("standby", "standby"));
    assert!(q[1].1["postback"].get("payload").is_none(), "{}", q[1].1);
    let (status, code, subcode, message) = error_of(&c.send(text(&lan, "Hi!")).await);
    assert_eq!((status, code, subcode), (400, 10, Some(2018300)));
    assert!(
        message.contains("another app is controlling this thread"),
        "{message}"
    );
    let users = c.get("/_emulator/users").await;
    assert_eq!(users[0]["thread_owner_name"], "Meta Business Suite");
    // Only the owner or the default app may read the owner; we are the default app.
    assert_eq!(
        owner(&c, &lan).await["data"][0]["thread_owner"]["app_id"],
        INBOX
    );

    // 24 idle hours later the thread is idle: the default app writes again.
    c.advance(86_400).await;
    assert_eq!(owner(&c, &lan).await, json!({"data": []}));
    assert_eq!(
        c.send(text(&lan, "Still there?")).await.0,
        400,
        "window closed"
    );
    c.control(&format!("/users/{lan}/say"), json!({"text": "yes"}))
        .await;
    assert_eq!(queued(&emu).last().unwrap().0, "messaging");
    assert_eq!(c.send(text(&lan, "Great!")).await.0, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn take_pass_release_request_and_extend() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Minh").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    c.control(
        &format!("/users/{psid}/handover"),
        json!({"action": "take"}),
    )
    .await;
    drain(&emu);
    // We take it back: the inbox (not us) would be told; we may write.
    let (status, _) = c
        .graph(
            Method::POST,
            "/me/take_thread_control",
            Some(json!({"recipient": {"id": psid}})),
        )
        .await;
    assert_eq!(status, 200);
    assert!(queued(&emu).is_empty());
    let hooks = c.get("/_emulator/webhooks").await;
    let told = hooks["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "take_thread_control")
        .unwrap();
    assert_eq!(
        (told["app_id"].as_str(), &told["delivered"]),
        (Some(INBOX), &json!(false))
    );
    assert_eq!(c.send(text(&psid, "I'm here")).await.0, 200);

    // Extend: up to 7 days.
    let (status, _) = c
        .graph(
            Method::POST,
            "/me/extend_thread_control",
            Some(json!({"recipient": {"id": psid}, "duration": 7 * 86_400})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        owner(&c, &psid).await["data"][0]["thread_owner"]["expiration"],
        (MARCH_10 + 7 * 86_400_000) / 1000
    );
    let too_long = c
        .graph(
            Method::POST,
            "/me/extend_thread_control",
            Some(json!({"recipient": {"id": psid}, "duration": 7 * 86_400 + 1})),
        )
        .await;
    assert_eq!(error_of(&too_long).1, 100);

    // A message that passes the thread to the inbox with it; then we may not write.
    let (status, _) = c
        .send(json!({"recipient": {"id": psid}, "message": {"text": "Our team will take it from here"},
                     "thread_control": {"control_type": "pass", "app_id": INBOX}}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        owner(&c, &psid).await["data"][0]["thread_owner"]["app_id"],
        INBOX
    );
    assert_eq!(error_of(&c.send(text(&psid, "x")).await).2, Some(2018300));
    // Asking for it sends `request_thread_control` to the owner.
    let (status, _) = c
        .graph(
            Method::POST,
            "/me/request_thread_control",
            Some(json!({"recipient": {"id": psid}, "metadata": "please"})),
        )
        .await;
    assert_eq!(status, 200);
    // The inbox passes it back: we are told in `messaging`.
    c.control(
        &format!("/users/{psid}/handover"),
        json!({"action": "pass"}),
    )
    .await;
    assert_eq!(
        queued(&emu).last().unwrap().1["pass_thread_control"]["new_owner_app_id"],
        json!(1234567890_u64)
    );
    // Releasing makes the thread idle; the default app may still write.
    let (status, _) = c
        .graph(
            Method::POST,
            "/me/release_thread_control",
            Some(json!({"recipient": {"id": psid}})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(owner(&c, &psid).await, json!({"data": []}));
    assert_eq!(c.send(text(&psid, "back")).await.0, 200);

    // Not the default app any more: an idle thread is not ours to write in.
    c.control("/routing", json!({"default_app_id": INBOX}))
        .await;
    c.graph(
        Method::POST,
        "/me/release_thread_control",
        Some(json!({"recipient": {"id": psid}})),
    )
    .await;
    assert_eq!(error_of(&c.send(text(&psid, "x")).await).2, Some(2018300));
    // Zero-config mode: everyone may write, nobody may take.
    c.control("/routing", json!({"default_app_id": null})).await;
    assert_eq!(c.send(text(&psid, "x")).await.0, 200);
    let refused = c
        .graph(
            Method::POST,
            "/me/take_thread_control",
            Some(json!({"recipient": {"id": psid}})),
        )
        .await;
    assert_eq!(error_of(&refused).1, 10);
    let status = c
        .graph(Method::GET, "/me?fields=messaging_feature_status", None)
        .await;
    assert_eq!(status.1["messaging_feature_status"]["msgr_multi_app"], true);
    emu.shutdown().await;
}

#[tokio::test]
async fn the_lead_ads_app_hands_the_thread_back_with_the_answers() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Aisyah").await;
    c.control(
        &format!("/users/{psid}/lead_ad"),
        json!({"ad_id": "ad-1", "questions": ["Phone?"]}),
    )
    .await;
    assert_eq!(error_of(&c.send(text(&psid, "hi")).await).2, Some(2018300));
    c.control(&format!("/users/{psid}/say"), json!({"text": "0123"}))
        .await;
    assert_eq!(queued(&emu).last().unwrap().0, "standby");
    drain(&emu);
    c.control(
        &format!("/users/{psid}/lead_ad/finish"),
        json!({"complete": true, "answers": [{"question": "Phone?", "answer": "0123"}]}),
    )
    .await;
    let q = queued(&emu);
    let pass = &q[0].1["pass_thread_control"];
    assert_eq!(pass["metadata"], "messenger_lead_gen_complete");
    assert_eq!(pass["previous_owner_app_id"], json!(413038776280800_u64));
    assert_eq!(pass["hop_context"]["app_id"], json!(413038776280800_u64));
    assert_eq!(q[1].0, "messaging");
    assert_eq!(q[1].1["message"]["text"], "Phone?: 0123");
    assert_eq!(
        owner(&c, &psid).await["data"][0]["thread_owner"]["app_id"],
        "1234567890"
    );
    assert_eq!(c.send(text(&psid, "Thanks, we'll call you")).await.0, 200);
    let _ = LEAD_ADS;
    emu.shutdown().await;
}

#[tokio::test]
async fn typing_ends_after_20_seconds_or_with_the_next_message() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Hoa").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    let typing = || async { c.get("/_emulator/users").await[0]["typing"].clone() };
    c.send(json!({"recipient": {"id": psid}, "sender_action": "typing_on"}))
        .await;
    assert_eq!(typing().await, true);
    c.advance(19).await;
    assert_eq!(typing().await, true);
    c.advance(1).await;
    assert_eq!(typing().await, false, "a typing indicator lasts 20 seconds");
    c.send(json!({"recipient": {"id": psid}, "sender_action": "typing_on"}))
        .await;
    c.send(text(&psid, "Here you go")).await;
    assert_eq!(typing().await, false, "the Page's message ends it");
    c.send(json!({"recipient": {"id": psid}, "sender_action": "typing_on"}))
        .await;
    c.send(json!({"recipient": {"id": psid}, "sender_action": "typing_off"}))
        .await;
    assert_eq!(typing().await, false);
    emu.shutdown().await;
}
