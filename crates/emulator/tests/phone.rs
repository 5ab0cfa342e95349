//! The phone page in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by scripts/test), driven over WebDriver: create a customer, write, see the
//! page's answer with its persona, tap a quick reply, see typing and "Seen".

mod common;

use std::time::Duration;

use common::*;
use emulator::RunningEmulator;
use serde_json::json;
use test_browser::{Browser, Driver, Locator, see};

async fn browser() -> (Driver, Browser) {
    test_browser::start(420, 800).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_plays_the_phone_page() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let (_driver, b) = browser().await;
    b.goto(&format!("{}/phone", emu.url())).await.unwrap();

    // Create a customer from the page.
    b.find(Locator::Id("add"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Id("first"))
        .await
        .unwrap()
        .send_keys("Mai")
        .await
        .unwrap();
    b.find(Locator::Css("#new button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Mai Nguyen").await;
    let psid = c.get("/_emulator/users").await[0]["psid"]
        .as_str()
        .unwrap()
        .to_owned();

    // Write to the page.
    b.find(Locator::Id("text"))
        .await
        .unwrap()
        .send_keys("Xin chào, còn size M không?")
        .await
        .unwrap();
    b.find(Locator::Css("#compose button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Xin chào, còn size M không?").await;
    let pending = emu.emu.with(|st| {
        st.pending
            .iter()
            .map(|e| e.item["message"]["text"].clone())
            .collect::<Vec<_>>()
    });
    assert_eq!(pending, vec![json!("Xin chào, còn size M không?")]);

    // The page answers as a persona, with quick replies; then types, then marks seen.
    let (_, persona) = c.graph(reqwest::Method::POST, "/me/personas", Some(json!({"name": "Linh (shop)", "profile_picture_url": "https://example.com/linh.png"}))).await;
    c.send(json!({"recipient": {"id": psid}, "sender_action": "mark_seen"}))
        .await;
    let sent = c
        .send(json!({"recipient": {"id": psid}, "persona_id": persona["id"], "messaging_type": "RESPONSE",
                     "message": {"text": "Dạ còn ạ! Chị lấy màu nào?", "quick_replies": [
                         {"content_type": "text", "title": "Xanh", "payload": "COLOR_BLUE"},
                         {"content_type": "text", "title": "Đỏ", "payload": "COLOR_RED"}]}}))
        .await;
    assert_eq!(sent.0, 200);
    see(&b, "Dạ còn ạ! Chị lấy màu nào?").await;
    see(&b, "Linh (shop)").await;
    see(&b, "Seen").await;
    c.send(json!({"recipient": {"id": psid}, "sender_action": "typing_on"}))
        .await;
    see(&b, "typing…").await;
    let shot = b.screenshot().await.unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("phone.png"),
        shot,
    )
    .unwrap();

    // Tap a quick reply: the page receives its payload.
    b.find(Locator::XPath(
        "//div[@class='quick']/button[text()='Xanh']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    for _ in 0..50 {
        let payloads = emu.emu.with(|st| {
            st.pending
                .iter()
                .filter_map(|e| {
                    e.item["message"]["quick_reply"]["payload"]
                        .as_str()
                        .map(str::to_owned)
                })
                .collect::<Vec<_>>()
        });
        if payloads == ["COLOR_BLUE"] {
            b.close().await.unwrap();
            emu.shutdown().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the quick reply tap never reached the webhook queue");
}

/// Postback payloads waiting for the webhook.
fn postbacks(emu: &RunningEmulator) -> Vec<String> {
    emu.emu.with(|st| {
        st.pending
            .iter()
            .filter_map(|e| e.item["postback"]["payload"].as_str().map(str::to_owned))
            .collect()
    })
}

async fn until_postbacks(emu: &RunningEmulator, expected: &[&str]) {
    for _ in 0..50 {
        if postbacks(emu) == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("postbacks {:?}, expected {expected:?}", postbacks(emu));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_welcome_screen_and_the_menu_send_postbacks() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let (status, answer) = c
        .graph(
            reqwest::Method::POST,
            "/me/messenger_profile",
            Some(json!({
                "get_started": {"payload": "GET_STARTED"},
                "greeting": [{"locale": "default", "text": "Hi {{user_first_name}}!"},
                             {"locale": "vi_VN", "text": "Chào {{user_first_name}}! Shop giúp gì được bạn?"}],
                "ice_breakers": [{"locale": "default", "call_to_actions": [{"question": "Is my order on its way?", "payload": "ORDER_STATUS"}]}],
                "persistent_menu": [{"locale": "default", "composer_input_disabled": false, "call_to_actions": [
                    {"type": "postback", "title": "Talk to a person", "payload": "HUMAN"}]}]
            })),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    c.control("/users", json!({"first_name": "Lan", "locale": "vi_VN"}))
        .await;
    let (_driver, b) = browser().await;
    b.goto(&format!("{}/phone", emu.url())).await.unwrap();
    // The welcome screen: the greeting in her locale with her name, the ice breaker.
    see(&b, "Chào Lan! Shop giúp gì được bạn?").await;
    b.find(Locator::Css("#welcome .ice-breaker"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_postbacks(&emu, &["ORDER_STATUS"]).await;
    // The persistent menu.
    b.find(Locator::Id("menu-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::XPath(
        "//nav[@id='menu']/button[text()='Talk to a person']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until_postbacks(&emu, &["ORDER_STATUS", "HUMAN"]).await;
    b.close().await.unwrap();
    emu.shutdown().await;
}

/// `feed` comment messages waiting for the webhook.
fn comments(emu: &RunningEmulator) -> Vec<String> {
    emu.emu.with(|st| {
        st.pending
            .iter()
            .filter(|e| e.changes && e.item["value"]["item"] == "comment")
            .filter_map(|e| e.item["value"]["message"].as_str().map(str::to_owned))
            .collect()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_scans_a_link_and_comments_on_a_post() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let (status, _) = c
        .graph(
            reqwest::Method::POST,
            "/me/messenger_profile",
            Some(json!({"get_started": {"payload": "GET_STARTED"}})),
        )
        .await;
    assert_eq!(status, 200);
    c.control("/posts", json!({"message": "Váy lụa mới về"}))
        .await;
    c.control("/users", json!({"first_name": "Lan", "locale": "vi_VN"}))
        .await;
    let (_driver, b) = browser().await;
    b.goto(&format!("{}/phone", emu.url())).await.unwrap();
    // The page re-renders as the state changes: these retry on an element just replaced.
    let click = async |css: &str| test_browser::click(&b, css).await;
    click("#link-button").await;
    b.find(Locator::Id("link"))
        .await
        .unwrap()
        .send_keys("https://m.me/1001?ref=counter&text=Xin%20ch%C3%A0o")
        .await
        .unwrap();
    click("#open-link button").await;
    // The prefilled text waits in the composer; Get Started carries the link's ref.
    for _ in 0..50 {
        let text = b
            .find(Locator::Id("text"))
            .await
            .unwrap()
            .prop("value")
            .await;
        if text.unwrap().as_deref() == Some("Xin chào") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click("#get-started").await;
    until_postbacks(&emu, &["GET_STARTED"]).await;
    let referral = emu.emu.with(|st| {
        st.pending
            .iter()
            .find_map(|e| e.item["postback"].get("referral").cloned())
    });
    assert_eq!(referral.unwrap()["ref"], "counter");

    click("#posts-button").await;
    see(&b, "Váy lụa mới về").await;
    test_browser::type_in(&b, ".post form input", "Giá bao nhiêu ạ?").await;
    click(".post form button").await;
    for _ in 0..50 {
        if comments(&emu) == ["Giá bao nhiêu ạ?"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(comments(&emu), ["Giá bao nhiêu ạ?"]);
    see(&b, "Lan Tran Giá bao nhiêu ạ?").await;
    b.close().await.unwrap();
    emu.shutdown().await;
}
