//! The paid Marketing Message API on the emulator's clock: opt-in request and opt-in, a campaign
//! and its warm-up, the checks of a send in the contract's order, webhooks, the token list.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

async fn subscribe(c: &Client, name: &str, region: &str) -> (String, String) {
    let psid = c
        .control("/users", json!({"first_name": name, "region": region}))
        .await["psid"]
        .as_str()
        .unwrap()
        .to_owned();
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    let token = c
        .control(
            &format!("/users/{psid}/optin"),
            json!({"type": "notification_messages", "payload": "DEALS"}),
        )
        .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    (psid, token)
}

fn marketing(campaign: &str, token: &str, text: &str) -> Value {
    json!({"message_id": campaign, "messenger_delivery_data": {"subscription_token": token},
           "message": {"text": text}})
}

fn code(answer: &(u16, Value)) -> i64 {
    error_of(answer).1
}

#[tokio::test]
async fn a_campaign_warms_up_then_sends_once_per_twelve_hours_and_stops_on_opt_out() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let (lan, token) = subscribe(&c, "Lan", "VN").await;
    let (_marco, marco_token) = subscribe(&c, "Marco", "IT").await;

    let campaign = c
        .graph(
            Method::POST,
            "/act_5550001/message_campaign",
            Some(json!({"name": "Sale", "page_id": "1001", "daily_budget": 150})),
        )
        .await;
    assert_eq!(campaign.0, 200, "{}", campaign.1);
    let id = campaign.1["id"].as_str().unwrap().to_owned();

    // Warm-up: "still being populated", then "not ready", then it sends.
    let early = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Hi {{first_name}}, sale!")),
        )
        .await;
    assert_eq!(code(&early), 2300012);
    c.advance(40 * 60).await;
    let later = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Hi {{first_name}}, sale!")),
        )
        .await;
    assert_eq!(code(&later), 2300041);
    c.advance(21 * 60).await;
    let sent = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Hi {{first_name}}, sale!")),
        )
        .await;
    assert_eq!(sent.0, 200, "{}", sent.1);
    assert!(sent.1["marketing_message_tracking_id"].is_string());
    let inbox = c.get(&format!("/_emulator/users/{lan}/inbox")).await;
    let last = inbox.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["messaging_type"], "MARKETING");
    assert_eq!(last["text"], "Hi Lan, sale!");

    // A recipient in Italy cannot be reached by this API; spacing of 12 hours; macros.
    let italy = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &marco_token, "Sale")),
        )
        .await;
    assert_eq!(code(&italy), 2300032);
    let again = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Sale")),
        )
        .await;
    assert_eq!(code(&again), 2300035);
    let unknown_macro = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Hi {{nickname}}")),
        )
        .await;
    assert_eq!(code(&unknown_macro), 2300038);

    // The daily budget (150, 100 a message) allows one a day; the second waits for the next day.
    c.control(&format!("/users/{lan}/say"), json!({"text": "thanks"}))
        .await;
    c.advance(DAY / 2 + 60).await;
    let (_, bao_token) = subscribe(&c, "Bao", "VN").await;
    let second = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &bao_token, "Sale")),
        )
        .await;
    assert_eq!(second.0, 200, "{}", second.1);
    let budget = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Sale")),
        )
        .await;
    assert_eq!(code(&budget), 2300054, "{}", budget.1);
    assert!(
        budget.1["error"]["error_data"]["remaining_seconds"]
            .as_i64()
            .unwrap()
            > 0
    );

    // The customer taps "Stop marketing messages": no webhook, and sends fail with 2300034.
    c.control(&format!("/users/{lan}/marketing_stop"), json!({}))
        .await;
    c.advance(DAY).await;
    let stopped = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Sale")),
        )
        .await;
    assert_eq!(
        code(&stopped),
        2300034,
        "{}",
        c.get("/_emulator/marketing").await
    );

    // The token list and the estimate.
    let tokens = c
        .graph(
            Method::GET,
            "/1001/notification_message_tokens?limit=10",
            None,
        )
        .await;
    assert_eq!(
        tokens.1["data"].as_array().unwrap().len(),
        3,
        "{}",
        tokens.1
    );
    let estimate = c
        .graph(Method::GET, "/act_5550001/message_delivery_estimate", None)
        .await;
    assert_eq!(
        estimate.1["data"][0]["estimate_delivery_upper_bound"], 1,
        "{}",
        estimate.1
    );
    let state = c.get("/_emulator/marketing").await;
    assert_eq!(state["campaigns"][0]["spend"], 200);
}

#[tokio::test]
async fn an_opt_in_request_goes_inside_the_window_once_a_week_per_title() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    let request = |title: &str| {
        json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"attachment": {"type": "template",
            "payload": {"template_type": "notification_messages", "title": title, "payload": "DEALS"}}}})
    };
    let outside = c.send(request("Weekly deals")).await;
    assert_eq!(error_of(&outside).2, Some(2018278));
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    assert_eq!(c.send(request("Weekly deals")).await.0, 200);
    assert_eq!(code(&c.send(request("Weekly deals")).await), 100);
    assert_eq!(c.send(request("New arrivals")).await.0, 200);
    let too_long = c.send(request(&"x".repeat(66))).await;
    assert_eq!(code(&too_long), 100);

    // Accepting uses the last request's title; opting in does not open a new window.
    c.control(
        &format!("/users/{psid}/optin"),
        json!({"type": "notification_messages", "payload": "DEALS"}),
    )
    .await;
    let state = c.get("/_emulator/marketing").await;
    assert_eq!(state["subscriptions"][0]["title"], "New arrivals");
}

#[tokio::test]
async fn load_caps_keep_marketing_below_a_share_of_organic_conversations() {
    let may = MARCH_10 + 60 * DAY * 1000; // after 2026-04-10
    let emu = start(Some(may), None).await;
    let c = Client::new(&emu);
    let (_, token) = subscribe(&c, "Lan", "VN").await;
    let id = c
        .graph(
            Method::POST,
            "/act_5550001/message_campaign",
            Some(json!({"name": "Sale", "page_id": "1001"})),
        )
        .await
        .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    c.advance(3600).await;
    let first = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Sale")),
        )
        .await;
    assert_eq!(first.0, 200, "{}", first.1);
    c.advance(13 * 3600).await;
    let second = c
        .graph(
            Method::POST,
            "/act_5550001/messages",
            Some(marketing(&id, &token, "Sale")),
        )
        .await;
    assert_eq!(code(&second), 2300042);
}
