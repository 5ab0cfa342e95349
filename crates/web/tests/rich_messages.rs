//! Rich messages from people through the API, on SQLite and PostgreSQL: an image, a text with
//! buttons and quick replies reach the customer as Meta shows them (the image first); Meta's
//! limits are checked before anything is queued; a promotion in a button is judged like one in
//! the text; tapping a button comes back as a postback.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

async fn post(w: &World, token: &str, psid: &str, body: Value) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/conversations/{PAGE}/{psid}/messages",
            w.server.url()
        ))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_image_buttons_and_quick_replies_reach_the_customer_within_metas_limits() {
    for db in testing::all().await {
        let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
        let s = w.store();
        let (_, token) = team(&w).await;
        let hoa = w.customer("Hoa").await;
        w.says(&hoa, "Do you have the red dress?").await;
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        let minh = w.customer("Minh").await;
        w.says(&minh, "Do you have the red dress?").await;

        let dress = json!({
            "text": "Here it is, in size M.",
            "attachment": {"type": "image", "url": "https://shop.example/red-dress.jpg"},
            "buttons": [{"type": "postback", "title": "Book a fitting", "payload": "BOOK"},
                        {"type": "web_url", "title": "See it online", "url": "https://shop.example/red-dress"}],
            "quick_replies": [{"title": "Price?", "payload": "PRICE"}]
        });
        let (status, answer) = post(&w, &token, &minh, dress.clone()).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{}: {answer}", db.label);
        w.until("both parts arrive", || async {
            w.ctl.inbox(&minh).await.unwrap().len() >= 2
        })
        .await;
        let inbox = w.ctl.inbox(&minh).await.unwrap();
        assert_eq!(inbox[0]["attachment"]["type"], "image", "the image first");
        assert_eq!(
            inbox[0]["attachment"]["payload"]["url"],
            "https://shop.example/red-dress.jpg"
        );
        let template = &inbox[1]["attachment"]["payload"];
        assert_eq!(template["template_type"], "button");
        assert_eq!(template["text"], "Here it is, in size M.");
        assert_eq!(
            template["buttons"][1]["url"],
            "https://shop.example/red-dress"
        );
        assert_eq!(inbox[1]["quick_replies"][0]["payload"], "PRICE");

        // Meta's limits are checked before anything is queued.
        let too_many: Vec<Value> = (0..14)
            .map(|i| json!({"title": format!("Q{i}"), "payload": "P"}))
            .collect();
        let (status, answer) = post(
            &w,
            &token,
            &minh,
            json!({"text": "Choose", "quick_replies": too_many}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("at most 13 quick replies"),
            "{answer}"
        );
        let (status, answer) = post(
            &w,
            &token,
            &minh,
            json!({"text": "Look", "attachment": {"type": "image", "url": "http://insecure.example/a.jpg"}}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");

        // Day 3: only a person may answer, and not with a promotion, even in a button.
        let mut promo = dress.clone();
        promo["tag"] = json!("HUMAN_AGENT");
        promo["buttons"][0]["title"] = json!("50% off today");
        let (status, answer) = post(&w, &token, &hoa, promo).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["decision"]["rule"], "promotional_in_tag", "{answer}");

        // The composer sends the same: a picture by its address, buttons and quick replies
        // one per line.
        let cookie = session_of(&w, "mai").await;
        let r = no_redirects()
            .post(format!("{}/c/{PAGE}/{minh}/send", w.server.url()))
            .header("cookie", &cookie)
            .header("hx-request", "true")
            .form(&[
                ("mode", "text"),
                ("text", "Which size?"),
                ("attachment_type", "image"),
                ("attachment_url", "https://shop.example/sizes.png"),
                (
                    "buttons",
                    "Size guide = https://shop.example/sizes\nAsk us = ASK",
                ),
                ("quick_replies", "S = SIZE_S\nM = SIZE_M\nL"),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        w.until("the composer's message arrives", || async {
            w.ctl.inbox(&minh).await.unwrap().len() >= 4
        })
        .await;
        let inbox = w.ctl.inbox(&minh).await.unwrap();
        assert_eq!(
            inbox[2]["attachment"]["payload"]["url"],
            "https://shop.example/sizes.png"
        );
        let template = &inbox[3]["attachment"]["payload"];
        assert_eq!(template["buttons"][0]["type"], "web_url");
        assert_eq!(
            template["buttons"][1],
            json!({"type": "postback", "title": "Ask us", "payload": "ASK"})
        );
        let payloads: Vec<&str> = inbox[3]["quick_replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["payload"].as_str().unwrap())
            .collect();
        assert_eq!(payloads, ["SIZE_S", "SIZE_M", "L"]);

        // Tapping the button comes back as a postback.
        w.ctl
            .post(
                &format!("/users/{minh}/postback"),
                json!({"title": "Book a fitting", "payload": "BOOK"}),
            )
            .await
            .unwrap();
        w.until("the tap is stored", || async {
            s.thread_events(PAGE, &minh)
                .await
                .unwrap()
                .iter()
                .any(|e| e.kind == "postback")
        })
        .await;
        w.stop().await;
    }
}

#[tokio::test]
async fn saved_replies_carry_buttons_and_quick_replies_into_the_composer() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (token, _) = team(&w).await;
        let url = format!("{}/api/v1/saved-replies", w.server.url());
        let http = reqwest::Client::new();
        let save = |body: Value| http.post(&url).bearer_auth(&token).json(&body).send();
        let r = save(json!({
            "name": "Which size?", "text": "Which size would you like?",
            "buttons": [{"type": "web_url", "title": "Size guide", "url": "https://shop.example/sizes"}],
            "quick_replies": [{"title": "S", "payload": "SIZE_S"}, {"title": "M", "payload": "SIZE_M"}]
        }))
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", db.label);
        let too_many: Vec<Value> = (0..14)
            .map(|i| json!({"title": format!("{i}"), "payload": "P"}))
            .collect();
        let r = save(json!({"name": "Too many", "text": "Pick", "quick_replies": too_many}))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let listed: Value = http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let reply = &listed["saved_replies"][0];
        assert_eq!(reply["quick_replies"][1]["payload"], "SIZE_M", "{listed}");
        assert_eq!(reply["buttons"][0]["url"], "https://shop.example/sizes");
        assert_eq!(listed["saved_replies"].as_array().unwrap().len(), 1);

        // The composer's list carries them for the "picture, buttons" fields.
        let linh = w.customer("Linh").await;
        w.says(&linh, "hello").await;
        let cookie = session_of(&w, "lan").await;
        let html = no_redirects()
            .get(format!("{}/c/{PAGE}/{linh}", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("data-quick-replies=\"S = SIZE_S\nM = SIZE_M\""),
            "{html}"
        );
        assert!(html.contains("data-buttons=\"Size guide = https://shop.example/sizes\""));
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picking_a_saved_reply_fills_its_buttons_and_quick_replies_in_the_browser() {
    use test_browser::{choose, click, see, type_in};
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    let lan = s.user("lan").await.unwrap().unwrap();
    let parts = engine::rich::Parts {
        quick_replies: ["S", "M"]
            .map(|t| engine::rich::QuickReplyPart {
                title: t.into(),
                payload: format!("SIZE_{t}"),
            })
            .to_vec(),
        ..Default::default()
    };
    w.server
        .engine
        .save_reply(&lan, "Which size?", "Which size, {{first_name}}?", &parts)
        .await
        .unwrap();
    let linh = w.ctl.customer("Linh", "Tran", "en_US").await.unwrap();
    w.says(&linh, "Is the dress in stock?").await;

    let (_driver, b) = test_browser::start(1280, 900).await;
    browser_log_in(&b, &w.server.url(), "lan").await;
    b.goto(&format!("{}/c/{PAGE}/{linh}", w.server.url()))
        .await
        .unwrap();
    see(&b, "Is the dress in stock?").await;
    choose(&b, "#saved-reply", "Which size?").await;
    see(&b, "Can be sent as reply").await;
    let filled = b
        .execute(
            "return [document.querySelector('[name=quick_replies]').value, document.getElementById('rich').open]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(filled, json!(["S = SIZE_S\nM = SIZE_M", true]));
    click(&b, ".composer .actions button[type=submit]").await;
    let got = w.customer_gets(&linh, "Which size, Linh?").await;
    let titles: Vec<&str> = got.last().unwrap()["quick_replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["S", "M"]);

    // A picture from this computer: uploaded as it is picked, then sent with the text.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dress.png");
    std::fs::write(&path, PNG).unwrap();
    composer_emptied(&b).await;
    b.execute("document.getElementById('rich').open = true", vec![])
        .await
        .unwrap();
    type_in(&b, "#upload", path.to_str().unwrap()).await;
    see(&b, "✓ dress.png").await;
    type_in(&b, "#composer-text", "The red one").await;
    see(&b, "Can be sent as reply").await;
    click(&b, ".composer .actions button[type=submit]").await;
    let got = w.customer_gets(&linh, "The red one").await;
    let picture = &got[got.len() - 2]["attachment"]["payload"];
    assert!(picture["attachment_id"].is_string(), "{got:?}");
    // The next message goes without the picture.
    composer_emptied(&b).await;
    type_in(&b, "#composer-text", "Anything else?").await;
    see(&b, "Can be sent as reply").await;
    click(&b, ".composer .actions button[type=submit]").await;
    let after = w.customer_gets(&linh, "Anything else?").await;
    assert_eq!(after.len(), got.len() + 1, "{after:?}");
    w.stop().await;
}

/// The composer empties once the browser got the send's answer: typing before that would be
/// wiped by the reset.
async fn composer_emptied(b: &test_browser::Browser) {
    let empty = "document.getElementById('composer-text').value === ''";
    test_browser::until(b, empty, "emptied the composer after sending").await;
}

/// A tiny PNG (1×1, red).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn png_form() -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::bytes(PNG.to_vec())
        .file_name("dress.png")
        .mime_str("image/png")
        .unwrap();
    reqwest::multipart::Form::new().part("file", part)
}

#[tokio::test]
async fn a_file_uploaded_through_fenestra_is_sent_by_its_attachment_id() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (_, token) = team(&w).await;
        let minh = w.customer("Minh").await;
        w.says(&minh, "Can I see it?").await;

        // Through the API: upload, then send by the id Meta gave.
        let r = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/pages/{PAGE}/attachments",
                w.server.url()
            ))
            .bearer_auth(&token)
            .multipart(png_form())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", db.label);
        let attachment = r.json::<Value>().await.unwrap()["attachment"].clone();
        assert_eq!(attachment["type"], "image");
        let id = attachment["attachment_id"].as_str().unwrap().to_owned();
        let (status, answer) = post(&w, &token, &minh, json!({"attachment": attachment})).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
        w.until("the picture arrives", || async {
            !w.ctl.inbox(&minh).await.unwrap().is_empty()
        })
        .await;
        let got = w.ctl.inbox(&minh).await.unwrap();
        assert_eq!(
            got[0]["attachment"]["payload"]["attachment_id"],
            id.as_str()
        );
        // Meta has the file itself (the phone page shows it).
        let held = reqwest::get(format!("{}/_emulator/attachments/{id}", w.emu.url()))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(&held[..], PNG);

        // Through the composer: the upload answers the id, the form sends it.
        let cookie = session_of(&w, "mai").await;
        let r = no_redirects()
            .post(format!("{}/c/{PAGE}/{minh}/upload", w.server.url()))
            .header("cookie", &cookie)
            .multipart(png_form())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        let uploaded: Value = r.json().await.unwrap();
        let id2 = uploaded["attachment_id"].as_str().unwrap().to_owned();
        assert_ne!(id2, id);
        let r = no_redirects()
            .post(format!("{}/c/{PAGE}/{minh}/send", w.server.url()))
            .header("cookie", &cookie)
            .header("hx-request", "true")
            .form(&[
                ("mode", "text"),
                ("text", "And the back"),
                ("attachment_type", "image"),
                ("attachment_id", id2.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        w.until("the composer's picture arrives", || async {
            w.ctl.inbox(&minh).await.unwrap().len() >= 3
        })
        .await;
        let got = w.ctl.inbox(&minh).await.unwrap();
        assert_eq!(
            got[1]["attachment"]["payload"]["attachment_id"],
            id2.as_str()
        );
        assert_eq!(got[2]["text"], "And the back");

        // An empty file is refused in words.
        let empty = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(vec![]).file_name("empty.png"),
        );
        let r = reqwest::Client::new()
            .post(format!(
                "{}/api/v1/pages/{PAGE}/attachments",
                w.server.url()
            ))
            .bearer_auth(&token)
            .multipart(empty)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        w.stop().await;
    }
}
