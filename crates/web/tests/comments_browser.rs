//! The comments inbox and the link builder in a real headless Chromium, in Vietnamese: an agent
//! answers a comment publicly (the Page's answer appears under it, live), sends its one private
//! reply (the comment then links to the conversation it became) and hides another; an admin makes
//! the till's link, sees its QR code, downloads the printable card; in Arabic the links page reads
//! right to left. With `FENESTRA_SCREENSHOTS=1` the screens are saved to docs/screenshots/.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use store::{Role, testing};
use test_browser::{Browser, click, see, type_in};

/// Waits until `css` selects something.
async fn present(b: &Browser, css: &str) {
    let script = format!("return document.querySelector({css:?}) !== null");
    for _ in 0..200 {
        if b.execute(&script, vec![]).await.unwrap() == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing matches {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_the_comments_and_an_admin_prints_a_link() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    let post = w
        .ctl
        .post(
            "/posts",
            json!({"message": "Váy lụa mới về: xanh, đỏ, trắng. Size S–XL.", "status_type": "photo"}),
        )
        .await
        .unwrap();
    let comment = async |name: &str, text: &str| {
        let psid = w.customer(name).await;
        let c = w
            .ctl
            .post(
                &format!("/users/{psid}/comment"),
                json!({"post_id": post["post_id"], "text": text}),
            )
            .await
            .unwrap();
        let id = c["comment_id"].as_str().unwrap().to_owned();
        w.until("the comment is stored", || async {
            s.comment(PAGE, &id).await.unwrap().is_some()
        })
        .await;
        (psid, id)
    };
    let (_hoa, hoa_c) = comment("Hoa", "Váy đỏ còn size M không shop?").await;
    let (_khoa, khoa_c) = comment("Khoa", "Ship về Đà Nẵng mất mấy ngày?").await;

    let (_driver, b) = test_browser::start_in(1280, 1000, "vi").await;
    let base = w.server.url();
    browser_log_in(&b, &base, "lan").await;
    click(&b, "#nav-comments").await;
    see(&b, "Váy đỏ còn size M không shop?").await;
    see(&b, "Váy lụa mới về").await;

    type_in(
        &b,
        &format!("#public-{hoa_c}"),
        "Còn ạ, shop nhắn riêng bạn nhé!",
    )
    .await;
    click(&b, &format!("#comment-{hoa_c} .public-reply button")).await;
    // The Page's answer comes back through the feed webhook and shows under the comment. (The
    // "sent" notice is not awaited: a live refresh racing the answer may drop it.)
    present(&b, "li.comment.nested.by-page").await;
    see(&b, "Còn ạ, shop nhắn riêng bạn nhé!").await;

    type_in(
        &b,
        &format!("#private-{hoa_c}"),
        "Chào Hoa, váy đỏ size M còn 2 chiếc ạ.",
    )
    .await;
    click(&b, &format!("#comment-{hoa_c} .private-reply button")).await;
    present(&b, &format!("#comment-{hoa_c} .private-sent")).await;
    // The echo names Hoa's PSID: the comment links to her conversation.
    present(&b, &format!("#comment-{hoa_c} a.to-thread")).await;

    click(&b, &format!("#comment-{khoa_c} .hide-toggle")).await;
    present(&b, &format!("#comment-{khoa_c}.is-hidden")).await;
    b.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    screenshot(&b, "comments-vi.png").await;

    // The thread Hoa's comment became.
    click(&b, &format!("#comment-{hoa_c} a.to-thread")).await;
    see(&b, "Chào Hoa, váy đỏ size M còn 2 chiếc ạ.").await;

    // The till's link.
    click(&b, "#nav-links").await;
    see(&b, "Chưa có liên kết.").await;
    see(&b, "Trang chưa có nút Bắt đầu").await;
    type_in(&b, "#link-ref", "counter").await;
    type_in(&b, "#link-title", "QR ở quầy").await;
    type_in(&b, "#link-text", "Xin chào shop!").await;
    type_in(&b, "#link-label", "tại quầy").await;
    click(&b, "#link-save").await;
    see(&b, "Đã lưu liên kết counter.").await;
    present(&b, "#entry-counter img.qr").await;
    let loaded = async || {
        b.execute(
            "const i = document.querySelector('#entry-counter img.qr'); return i.complete && i.naturalWidth > 0",
            vec![],
        )
        .await
        .unwrap()
    };
    for _ in 0..100 {
        if loaded().await == json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(loaded().await, json!(true), "the QR code shows");
    let url = b
        .execute(
            "return document.querySelector('#entry-counter input.copy').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        url,
        json!("https://m.me/1001?ref=counter&text=Xin%20ch%C3%A0o%20shop%21")
    );
    screenshot(&b, "links-vi.png").await;
    let card = reqwest::Client::new()
        .get(format!("{base}/links/{PAGE}/counter/card.pdf?lang=vi"))
        .header("cookie", session_of(&w, "lan").await)
        .send()
        .await
        .unwrap();
    assert_eq!(card.headers()["content-type"], "application/pdf");
    assert!(card.bytes().await.unwrap().starts_with(b"%PDF-"));

    // In Arabic the page reads right to left.
    let lan = s.user("lan").await.unwrap().unwrap();
    s.set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    b.goto(&format!("{base}/links")).await.unwrap();
    see(&b, "روابطك").await;
    let dir = b
        .execute("return getComputedStyle(document.body).direction", vec![])
        .await
        .unwrap();
    assert_eq!(dir, json!("rtl"));
    screenshot(&b, "links-ar.png").await;
    w.stop().await;
}
