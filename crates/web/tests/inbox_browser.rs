//! The web inbox in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by scripts/test), driven over WebDriver against the server and the emulator:
//! log in, see a conversation arrive live, see the refusal outside the window with its
//! alternatives, send with `HUMAN_AGENT`, reply inside the window, and the customer gets both.
//! A team at work: an admin sets up saved replies and personas; an agent filters and searches,
//! takes a conversation, labels it, notes, answers with a saved reply as a persona while the
//! customer sees them typing, marks it seen, closes it, and reaches a customer whose window has
//! closed with a utility template (with its preview) and with their one-time token.
//! With `FENESTRA_SCREENSHOTS=1` the main screens are saved to docs/screenshots/.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use store::{Role, testing};
use test_browser::{Browser, Locator, choose, click, gone, see, type_in};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_logs_in_sees_conversations_live_and_answers_within_the_rules() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 3 * DAY_MS - 3_600_000), |_| {}).await;
    engine::accounts::add_user(w.store(), "mai", "a long passphrase", Role::Agent)
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
    see(&b, "Agent reply only · 3 d").await;

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
    see(&b, "Cannot be sent: Outside the 24-hour window").await;
    see(&b, "Answer with the human agent tag").await;
    screenshot(&b, "inbox-thread-refused.png").await;
    // Picking the alternative sets the tag and the verdict follows.
    b.find(Locator::Css("button.pick[data-value=HUMAN_AGENT]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Can be sent as human agent tag").await;
    b.find(Locator::Css(".composer button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Sent.").await;
    see(&b, "mai · human agent tag").await;
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
    see(&b, "Can be sent as reply").await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_works_conversations_in_the_browser() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 8 * DAY_MS), |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    engine::accounts::add_user(s, "mai", "a long passphrase", Role::Agent)
        .await
        .unwrap();
    // Hoa wrote 8 days ago and asked to hear about her order once.
    let hoa = w.ctl.customer("Hoa", "Le", "vi_VN").await.unwrap();
    w.says(&hoa, "Where is my order?").await;
    let optin = json!({"type": "one_time_notif_req", "payload": "ORDER", "title": "Order updates"});
    w.ctl
        .post(&format!("/users/{hoa}/optin"), optin)
        .await
        .unwrap();
    w.ctl.catch_up_to(now_ms()).await.unwrap();
    let minh = w.ctl.customer("Minh", "Tran", "vi_VN").await.unwrap();
    w.says(&minh, "Is the blue dress back in stock?").await;
    w.until("Hoa's token is stored", || async {
        !s.one_time_tokens(PAGE, &hoa).await.unwrap().is_empty()
    })
    .await;
    w.approved_template().await;
    let base = w.server.url();
    let (_driver, b) = test_browser::start(1280, 1000).await;

    // The admin saves a reply and creates a persona.
    b.goto(&format!("{base}/login")).await.unwrap();
    log_in(&b, "lan", "a long passphrase").await;
    see(&b, "Settings").await;
    b.goto(&format!("{base}/settings")).await.unwrap();
    type_in(&b, "input[name=name]", "Greeting").await;
    type_in(
        &b,
        "textarea[name=text]",
        "Hi {{first_name}}, thanks for writing!",
    )
    .await;
    click(&b, "form[action='/settings/replies'] button").await;
    see(&b, "Greeting: Hi {{first_name}}, thanks for writing!").await;
    type_in(
        &b,
        "form[action='/settings/personas'] input[name=name]",
        "Lan",
    )
    .await;
    type_in(&b, "input[name=picture]", "https://example.com/lan.png").await;
    click(&b, "form[action='/settings/personas'] button").await;
    see(&b, "Lan · page 1001").await;
    screenshot(&b, "inbox-settings.png").await;
    let persona = s.personas(PAGE).await.unwrap().pop().unwrap();
    click(&b, "form[action='/logout'] button").await;
    see(&b, "Log in").await;

    // The agent cannot change settings, and finds Minh by what he wrote.
    log_in(&b, "mai", "a long passphrase").await;
    see(&b, "Hoa Le").await;
    let r = reqwest::Client::new()
        .post(format!("{base}/settings/replies"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=x&text=y")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "no session, no change");
    type_in(&b, "input[name=q]", "blue dress").await;
    gone(&b, "Hoa Le").await;
    see(&b, "Minh Tran").await;

    // Take it, label it, note it.
    click(&b, "a[href*='/{minh}']".replace("{minh}", &minh).as_str()).await;
    see(&b, "Is the blue dress back in stock?").await;
    click(&b, "#take").await;
    see(&b, "Mark seen (1 unread)").await;
    assert_eq!(
        s.team_state(PAGE, &minh)
            .await
            .unwrap()
            .unwrap()
            .assignee
            .as_deref(),
        Some("mai")
    );
    type_in(&b, "input[name=label]", "vip").await;
    click(&b, "form[action$='/labels'] button").await;
    type_in(&b, "#note-form textarea", "Wants size M, call after 5 pm").await;
    click(&b, "#add-note").await;
    see(&b, "Wants size M, call after 5 pm").await;
    assert_eq!(
        s.team_state(PAGE, &minh).await.unwrap().unwrap().labels.0,
        ["vip"]
    );

    // A saved reply with his name, sent as the persona; he saw the agent typing first.
    choose(&b, "#saved-reply", "Greeting").await;
    see(&b, "Can be sent as reply").await;
    choose(&b, "select[name=persona]", "Lan").await;
    screenshot(&b, "inbox-thread-team.png").await;
    click(&b, ".composer .actions button[type=submit]").await;
    w.customer_gets(&minh, "Hi Minh, thanks for writing!").await;
    let got = w.ctl.inbox(&minh).await.unwrap();
    assert_eq!(got.last().unwrap()["persona_id"], persona.id.as_str());
    let typing = w.ctl.sends().await.unwrap().iter().any(|x| {
        x["request"]["sender_action"] == "typing_on"
            && x["request"]["recipient"]["id"] == minh.as_str()
    });
    assert!(typing, "the customer never saw the agent typing");
    // Displaying the thread did not mark it seen; the button does.
    assert!(
        !seen(&w, &minh).await,
        "the inbox marked a message seen by showing it"
    );
    click(&b, "#mark-seen").await;
    gone(&b, "1 unread").await;
    w.until("Minh sees `seen`", || seen(&w, &minh)).await;
    click(&b, "#close").await;
    see(&b, "Reopen").await;

    // The open filter leaves the closed conversation out; the label filter finds it.
    b.goto(&format!("{base}/")).await.unwrap();
    see(&b, "Minh Tran").await;
    choose(&b, "select[name=status]", "Open").await;
    gone(&b, "Minh Tran").await;
    choose(&b, "select[name=status]", "Open and closed").await;
    choose(&b, "select[name=label]", "vip").await;
    gone(&b, "Hoa Le").await;
    see(&b, "Minh Tran").await;
    see(&b, "mai").await;
    screenshot(&b, "inbox-filters.png").await;

    // Hoa's window has closed: a utility template, previewed, then her one-time token.
    b.goto(&format!("{base}/c/{PAGE}/{hoa}")).await.unwrap();
    type_in(&b, "#composer-text", "Your order has shipped.").await;
    see(&b, "Cannot be sent: Outside the 24-hour window").await;
    click(&b, "button.pick[data-value=template]").await;
    // The customer's first name carries over into the template; the order number is typed.
    type_in(&b, "input[name='p.order_id']", "4521").await;
    see(&b, "The customer will read:").await;
    see(&b, "Hi Hoa, order 4521 has shipped.").await;
    see(&b, "Can be sent as utility template").await;
    screenshot(&b, "inbox-template.png").await;
    click(&b, ".composer .actions button[type=submit]").await;
    w.customer_gets(&hoa, "Hi Hoa, order 4521 has shipped.")
        .await;
    type_in(&b, "#composer-text", "It arrives on Friday.").await;
    see(&b, "Use the customer's one-time notification token").await;
    click(&b, "button.pick[data-field=token]").await;
    see(&b, "Can be sent as one-time token").await;
    click(&b, ".composer .actions button[type=submit]").await;
    w.customer_gets(&hoa, "It arrives on Friday.").await;
    assert!(
        s.one_time_tokens(PAGE, &hoa).await.unwrap()[0]
            .used_at
            .is_some()
    );
    w.stop().await;
}

/// Whether the customer's Messenger shows our messages as seen.
async fn seen(w: &World, psid: &str) -> bool {
    let users = w.ctl.get("/users").await.unwrap();
    users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["psid"] == psid && !u["seen_at"].is_null())
}
