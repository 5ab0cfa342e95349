//! The web inbox in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by scripts/test), driven over WebDriver against the server and the emulator:
//! log in, see a conversation arrive live, see the refusal outside the window with its
//! alternatives, send with `HUMAN_AGENT`, reply inside the window, and the customer gets both.
//! With `FENESTRA_SCREENSHOTS=1` the main screens are saved to docs/screenshots/.

mod common;

use std::time::Duration;

use app::now_ms;
use common::*;
use store::{Role, testing};
use test_browser::{Browser, Locator, see};

/// Fills the login form on the current page and submits it.
async fn log_in(b: &Browser, username: &str, password: &str) {
    for (field, value) in [("username", username), ("password", password)] {
        let input = b
            .find(Locator::Css(&format!("input[name={field}]")))
            .await
            .unwrap();
        input.send_keys(value).await.unwrap();
    }
    b.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn screenshot(b: &Browser, name: &str) {
    if std::env::var_os("FENESTRA_SCREENSHOTS").is_some() {
        let png = b.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::write(dir.join(name), png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_logs_in_sees_conversations_live_and_answers_within_the_rules() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 3 * DAY_MS - 3_600_000), |_| {}).await;
    app::accounts::add_user(w.store(), "mai", "a long passphrase", Role::Agent)
        .await
        .unwrap();
    let minh = w.ctl.customer("Minh", "Tran", "vi_VN").await.unwrap();
    w.says(&minh, "Is the blue dress back in stock?").await;
    w.ctl
        .webhooks_delivered(Duration::from_secs(10))
        .await
        .unwrap();
    w.ctl.catch_up_to(now_ms()).await.unwrap();
    let base = w.server.url();

    // Anonymous requests get the login page or 401, never data.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = anonymous.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["location"].to_str().unwrap()
        ),
        (303, "/login")
    );
    let r = anonymous
        .get(format!("{base}/conversations"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = anonymous
        .post(format!("{base}/c/1001/{minh}/send"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("text=hi")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A cross-site form post is refused before it reaches a handler.
    let r = anonymous
        .post(format!("{base}/login"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=mai&password=a+long+passphrase")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);

    let (_driver, b) = test_browser::start(1280, 900).await;
    b.goto(&format!("{base}/")).await.unwrap();
    see(&b, "Log in").await;
    log_in(&b, "mai", "a wrong passphrase").await;
    see(&b, "Wrong username or password").await;
    log_in(&b, "mai", "a long passphrase").await;
    see(&b, "Minh Tran").await;
    see(&b, "HUMAN_AGENT 3 d").await;

    // A new customer writes: the conversation appears without a reload.
    let linh = w.ctl.customer("Linh", "Nguyen", "vi_VN").await.unwrap();
    w.ctl
        .say(&linh, "Hi! Is the shop open today?")
        .await
        .unwrap();
    see(&b, "Linh Nguyen").await;
    see(&b, "Is the shop open today?").await;
    screenshot(&b, "inbox-conversations.png").await;

    // Minh wrote 3 days ago: a free-form reply is refused, with HUMAN_AGENT as the way.
    b.goto(&format!("{base}/c/1001/{minh}")).await.unwrap();
    see(&b, "Is the blue dress back in stock?").await;
    let composer = b.find(Locator::Css("#composer-text")).await.unwrap();
    composer
        .send_keys("Yes! It is back in size M.")
        .await
        .unwrap();
    see(&b, "Refused (outside_window)").await;
    see(&b, "Send with the HUMAN_AGENT tag").await;
    screenshot(&b, "inbox-thread-refused.png").await;
    // Picking the alternative sets the tag and the verdict follows.
    b.find(Locator::Css("button.pick[data-value=HUMAN_AGENT]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Allowed as MESSAGE_TAG with tag HUMAN_AGENT").await;
    b.find(Locator::Css(".composer button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "delivered").await;
    screenshot(&b, "inbox-thread-sent.png").await;
    let inbox = w.ctl.inbox(&minh).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0]["text"].as_str(), inbox[0]["tag"].as_str()),
        (Some("Yes! It is back in size M."), Some("HUMAN_AGENT"))
    );

    // Linh is inside the window: a plain reply goes as RESPONSE.
    b.goto(&format!("{base}/c/1001/{linh}")).await.unwrap();
    b.find(Locator::Css("#composer-text"))
        .await
        .unwrap()
        .send_keys("Yes, until 8 pm.")
        .await
        .unwrap();
    see(&b, "Allowed as RESPONSE").await;
    b.find(Locator::Css(".composer button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Yes, until 8 pm.").await;
    for _ in 0..100 {
        if w.ctl
            .inbox(&linh)
            .await
            .unwrap()
            .iter()
            .any(|m| m["text"] == "Yes, until 8 pm.")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last = w.ctl.inbox(&linh).await.unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["text"].as_str(), last["messaging_type"].as_str()),
        (Some("Yes, until 8 pm."), Some("RESPONSE"))
    );
    let audit = w.store().audit_for(PAGE, &minh).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .map(|a| (a.actor.as_str(), a.verdict.as_str()))
            .collect::<Vec<_>>(),
        vec![("agent:mai", "allow")]
    );

    // On a phone-sized screen the thread still reads.
    let (_driver2, phone) = test_browser::start(390, 844).await;
    phone.goto(&format!("{base}/login")).await.unwrap();
    log_in(&phone, "mai", "a long passphrase").await;
    see(&phone, "Linh Nguyen").await;
    phone.goto(&format!("{base}/c/1001/{linh}")).await.unwrap();
    see(&phone, "Yes, until 8 pm.").await;
    screenshot(&phone, "inbox-phone.png").await;
    w.stop().await;
}
