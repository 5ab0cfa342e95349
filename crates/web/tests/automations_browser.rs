//! Automations in a real headless Chromium: a Vietnamese admin applies a document with a
//! mistake, reads the problem by line and field in Vietnamese, fixes it and sees what is on and
//! that Meta has the Messenger profile; a Vietnamese customer on the emulator's phone page meets
//! the welcome screen, the away message, the price list with its quick reply, and the handover
//! to a person. With `FENESTRA_SCREENSHOTS=1` the screens are saved to docs/screenshots/.

mod common;

use common::*;
use store::{Role, testing};
use test_browser::{Browser, Locator, click, see, type_in};

const SHOP: &str = include_str!("../../automations/tests/fixtures/shop.yaml");

/// Puts `text` in the document's text area (typing a long YAML key by key would take long).
async fn set_document(b: &Browser, text: &str) {
    let script = format!(
        "document.getElementById('automations-document').value = {};",
        serde_json::to_string(text).unwrap()
    );
    b.execute(&script, vec![]).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vietnamese_admin_fixes_a_mistake_and_applies_the_automations() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    let (_driver, b) = test_browser::start_in(1280, 1000, "vi").await;
    browser_log_in(&b, &w.server.url(), "lan").await;
    see(&b, "Hộp thư").await;
    b.goto(&format!("{}/settings", w.server.url()))
        .await
        .unwrap();
    click(&b, "a.page-automations").await;
    see(&b, "Trả lời tức thì: tắt.").await;

    let mistake = SHOP.replace("sat: \"09:00-12:00\"", "sat: \"9-12\"");
    set_document(&b, &mistake).await;
    click(&b, "#apply").await;
    see(&b, "1 lỗi: không có gì thay đổi").await;
    see(&b, "dòng 6").await;
    see(&b, "away.hours.sat").await;
    // The text is kept to be fixed, and nothing was applied.
    let kept = b
        .find(Locator::Id("automations-document"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(kept.contains("sat: \"9-12\""));
    screenshot(&b, "automations-refused-vi.png").await;
    assert!(s.automations(PAGE).await.unwrap().is_none());

    set_document(&b, SHOP).await;
    click(&b, "#apply").await;
    see(&b, "Đã áp dụng phiên bản 1.").await;
    see(&b, "Trả lời tức thì: bật.").await;
    see(&b, "1 câu trả lời theo từ khóa.").await;
    see(&b, "Phiên bản 1 bởi user:lan").await;
    // Meta gets the Messenger profile; the page says so once it has.
    w.until("Meta has the profile", || async {
        s.automations(PAGE)
            .await
            .unwrap()
            .is_some_and(|a| a.profile_version == Some(1))
    })
    .await;
    b.goto(&format!("{}/settings/automations/{PAGE}", w.server.url()))
        .await
        .unwrap();
    see(&b, "đã cập nhật").await;
    screenshot(&b, "automations-vi.png").await;

    // In Arabic the page reads right to left; the document stays left to right.
    let lan = s.user("lan").await.unwrap().unwrap();
    s.set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    b.goto(&format!("{}/settings/automations/{PAGE}", w.server.url()))
        .await
        .unwrap();
    see(&b, "الردود التلقائية").await;
    let dirs = b
        .execute(
            "return [getComputedStyle(document.body).direction, getComputedStyle(document.getElementById('automations-document')).direction]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dirs, serde_json::json!(["rtl", "ltr"]));
    screenshot(&b, "automations-ar.png").await;
    w.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_meets_the_automations_on_the_phone_page() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let all_closed = SHOP.replace(
        SHOP.lines()
            .find(|l| l.trim_start().starts_with("hours:"))
            .unwrap(),
        "  hours: {}",
    );
    w.server
        .engine
        .apply_automations(PAGE, &all_closed, "test")
        .await
        .unwrap();
    w.until("Meta has the profile", || async {
        w.store()
            .automations(PAGE)
            .await
            .unwrap()
            .is_some_and(|a| a.profile_version == Some(1))
    })
    .await;
    w.ctl.customer("Linh", "Nguyen", "vi_VN").await.unwrap();
    let (_driver, b) = test_browser::start(420, 820).await;
    b.goto(&format!("{}/phone", w.emu.url())).await.unwrap();
    // The welcome screen: the greeting in her language, the ice breaker.
    see(&b, "Chào Linh!").await;
    see(&b, "Is my order on its way?").await;
    screenshot(&b, "phone-welcome-vi.png").await;

    type_in(&b, "#text", "cho em hỏi giá").await;
    click(&b, "#compose button").await;
    see(&b, "Shop đang nghỉ, sẽ trả lời từ 9:00.").await;
    see(&b, "Our price list: https://shop.example.com/prices").await;
    b.find(Locator::XPath(
        "//div[@class='quick']/button[text()='Talk to a person']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    see(
        &b,
        "Cảm ơn bạn! Nhân viên của chúng tôi sẽ trả lời bạn tại đây sớm.",
    )
    .await;
    screenshot(&b, "phone-automations-vi.png").await;
    w.stop().await;
}
