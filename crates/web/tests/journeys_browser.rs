//! Agents at work in their own language, in a real headless Chromium: a Vietnamese agent
//! (browser in Vietnamese) finds a customer by typing without tone marks, is refused a free
//! reply outside the window in plain Vietnamese, keeps the text, and answers with the human
//! agent tag; an Arabic agent gets the whole inbox right to left, with a Latin name and an
//! Arabic message each in its direction. And in English: pressing Send on a refused message
//! keeps the text and says why next to it. With `FENESTRA_SCREENSHOTS=1` the screens are saved
//! to docs/screenshots/.

mod common;

use common::*;
use store::{Role, testing};
use test_browser::{Browser, Locator, click, see, type_in};

async fn log_in(b: &Browser, username: &str) {
    type_in(b, "input[name=username]", username).await;
    type_in(b, "input[name=password]", "a long passphrase").await;
    click(b, "main.login button[type=submit]").await;
}

async fn js(b: &Browser, script: &str) -> serde_json::Value {
    b.execute(script, vec![]).await.unwrap()
}

/// Two customers: Hoa asked about a dress three days ago (only a person may answer now),
/// Minh writes now.
async fn shop(w: &World, agent: &str, language: &str, zone: &str) -> (String, String) {
    let s = w.store();
    engine::accounts::add_user(s, agent, "a long passphrase", Role::Agent)
        .await
        .unwrap();
    let user = s.user(agent).await.unwrap().unwrap();
    s.set_user_preferences(user.id, Some(language), Some(zone))
        .await
        .unwrap();
    let hoa = w.ctl.customer("Hoa", "Le", "vi_VN").await.unwrap();
    w.says(&hoa, "Còn váy đỏ size M không?").await;
    w.ctl.catch_up_to(now_ms()).await.unwrap();
    let other = w.ctl.customer("Mariam", "Saleh", "ar_AR").await.unwrap();
    w.says(&other, "هل الفستان الأحمر متوفر؟").await;
    (hoa, other)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vietnamese_agent_works_in_vietnamese() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
    let (hoa, _) = shop(&w, "mai", "vi", "Asia/Ho_Chi_Minh").await;
    let (_driver, b) = test_browser::start_in(1280, 860, "vi").await;
    b.goto(&format!("{}/", w.server.url())).await.unwrap();
    see(&b, "Đăng nhập").await;
    log_in(&b, "mai").await;
    see(&b, "Hộp thư").await;
    see(&b, "Chỉ nhân viên trả lời").await;
    assert_eq!(js(&b, "return document.documentElement.lang").await, "vi");
    // "vay" finds "váy": typed without tone marks, as customers and agents often do.
    type_in(&b, "input[name=q]", "vay").await;
    test_browser::gone(&b, "Mariam Saleh").await;
    see(&b, "Hoa Le").await;
    screenshot(&b, "inbox-vi.png").await;
    click(&b, &format!("a[href*='/{hoa}']")).await;
    see(&b, "Còn váy đỏ size M không?").await;
    type_in(&b, "#composer-text", "Dạ còn size M ạ!").await;
    see(&b, "Không thể gửi: Ngoài khung 24 giờ").await;
    see(&b, "Trả lời bằng thẻ nhân viên hỗ trợ").await;
    assert_eq!(
        js(&b, "return document.getElementById('send').disabled").await,
        true
    );
    screenshot(&b, "thread-vi-refused.png").await;
    click(&b, "button.pick[data-value=HUMAN_AGENT]").await;
    see(&b, "Có thể gửi dưới dạng thẻ nhân viên hỗ trợ").await;
    click(&b, "#send").await;
    see(&b, "Đã gửi.").await;
    w.customer_gets(&hoa, "Dạ còn size M ạ!").await;
    see(&b, "mai · thẻ nhân viên hỗ trợ").await;
    screenshot(&b, "thread-vi.png").await;
    w.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_agent_gets_the_inbox_right_to_left() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
    let (_, mariam) = shop(&w, "omar", "ar", "Asia/Riyadh").await;
    let (_driver, b) = test_browser::start_in(1280, 860, "ar").await;
    b.goto(&format!("{}/login", w.server.url())).await.unwrap();
    see(&b, "اسم المستخدم").await;
    log_in(&b, "omar").await;
    see(&b, "صندوق الرسائل").await;
    see(&b, "رد بحرية").await;
    assert_eq!(
        js(&b, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    screenshot(&b, "inbox-ar.png").await;
    b.goto(&format!("{}/c/{PAGE}/{mariam}", w.server.url()))
        .await
        .unwrap();
    see(&b, "هل الفستان الأحمر متوفر؟").await;
    // Right to left: the list pane is on the right of the thread, the customer's panel on
    // the left; a customer's bubble starts at the right.
    let list = js(
        &b,
        "return document.querySelector('.list-pane').getBoundingClientRect().left",
    )
    .await;
    let thread = js(
        &b,
        "return document.querySelector('.thread-pane').getBoundingClientRect().left",
    )
    .await;
    let profile = js(
        &b,
        "return document.querySelector('.profile-pane').getBoundingClientRect().left",
    )
    .await;
    assert!(
        list.as_f64() > thread.as_f64() && thread.as_f64() > profile.as_f64(),
        "panes not mirrored: list {list}, thread {thread}, profile {profile}"
    );
    let bubble = js(&b, "const b=document.querySelector('.bubble.in'); const r=b.getBoundingClientRect(), p=b.parentElement.getBoundingClientRect(); return p.right - r.right < r.left - p.left").await;
    assert_eq!(bubble, true, "the customer's bubble is not at the right");
    type_in(&b, "#composer-text", "نعم، متوفر بالمقاس M").await;
    see(&b, "يمكن إرسالها").await;
    click(&b, "#send").await;
    w.customer_gets(&mariam, "نعم، متوفر بالمقاس M").await;
    see(&b, "أُرسلت.").await;
    screenshot(&b, "thread-ar.png").await;
    w.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pressing_send_on_a_refused_message_keeps_the_text_and_says_why() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 9 * DAY_MS), |_| {}).await;
    let (hoa, _) = shop(&w, "mai", "en", "Asia/Ho_Chi_Minh").await;
    let (_driver, b) = test_browser::start(1280, 860).await;
    b.goto(&format!("{}/login", w.server.url())).await.unwrap();
    log_in(&b, "mai").await;
    see(&b, "Only templates").await;
    b.goto(&format!("{}/c/{PAGE}/{hoa}", w.server.url()))
        .await
        .unwrap();
    see(&b, "Còn váy đỏ size M không?").await;
    // Typed and sent at once, before the verdict as one types arrives.
    let text = "The red dress is back: 20% off this week!";
    b.find(Locator::Css("#composer-text"))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
    b.find(Locator::Css("#send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    see(&b, "Cannot be sent: Outside the 24-hour window").await;
    see(&b, "Wait until the customer writes again").await;
    assert_eq!(
        js(&b, "return document.getElementById('composer-text').value").await,
        text,
        "the refused text was lost"
    );
    assert_eq!(
        js(&b, "return document.getElementById('send').disabled").await,
        true
    );
    screenshot(&b, "inbox-thread-refused.png").await;
    assert!(
        w.ctl.inbox(&hoa).await.unwrap().is_empty(),
        "a refused message went out"
    );
    // It was the press of Send that was refused (and audited), not only the verdict as typed.
    w.until("the refusal is audited", || async {
        w.store()
            .audit_for(PAGE, &hoa)
            .await
            .unwrap()
            .iter()
            .any(|a| a.actor == "agent:mai" && a.verdict == store::Verdict::Deny)
    })
    .await;
    w.stop().await;
}
