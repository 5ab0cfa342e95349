//! Broadcasts in a real headless Chromium, in Vietnamese: an admin writes a promotional
//! message, plans it (counts per path and per skip reason, Meta's estimate, sample verdicts),
//! sends it and watches the progress bar fill over server-sent events; the results and the
//! skipped list are there; an audience's count follows the editor; in Arabic the broadcast page
//! reads right to left. With `FENESTRA_SCREENSHOTS=1` the screens are saved to docs/screenshots/.

mod common;

use common::*;
use serde_json::json;
use store::{MarketingSetup, Role, Time, testing};
use test_browser::{click, see, type_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_plans_sends_and_follows_a_broadcast() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    let mut setup = MarketingSetup::new(PAGE);
    setup.ad_account_id = Some("5550001".into());
    s.set_marketing_setup(&setup, Time::now()).await.unwrap();
    // Three days ago: Hoa subscribes to marketing messages, Khoa only writes.
    let hoa = w.customer("Hoa").await;
    w.says(&hoa, "Còn váy xanh không?").await;
    w.ctl
        .post(
            &format!("/users/{hoa}/optin"),
            json!({"type": "notification_messages", "payload": "DEALS"}),
        )
        .await
        .unwrap();
    let khoa = w.customer("Khoa").await;
    w.says(&khoa, "Shop ơi").await;
    w.ctl
        .webhooks_delivered(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    w.ctl.catch_up_to(now_ms()).await.unwrap();
    // Now: Linh and Mai write.
    for name in ["Linh", "Mai"] {
        let p = w.customer(name).await;
        w.says(&p, "Xin chào").await;
    }
    w.until("Hoa's subscription is stored", || async {
        !s.notification_tokens(PAGE, &hoa).await.unwrap().is_empty()
    })
    .await;

    let (_driver, b) = test_browser::start_in(1280, 1100, "vi").await;
    let base = w.server.url();
    browser_log_in(&b, &base, "lan").await;
    click(&b, "#nav-broadcasts").await;
    see(&b, "Chưa có lượt gửi nào.").await;
    click(&b, "#new-broadcast").await;
    type_in(
        &b,
        "#broadcast-text",
        "Chào {{first_name}}! Giảm giá 50% toàn bộ váy tối nay!",
    )
    .await;
    // Sent now whatever the hour: the proposed window (8:00–21:00 in each customer's zone) would
    // hold everything until tomorrow when the test runs in a Vietnamese evening.
    click(&b, "input[name=window]").await;
    click(&b, "#plan-button").await;
    see(&b, "4 người nhận").await;
    see(&b, "Tin tiếp thị trả phí").await;
    see(&b, "Ngoài khung 24 giờ").await;
    see(&b, "Ước tính của Meta").await;
    let counts = b
        .execute(
            "return ['update','marketing'].map(p => document.querySelector(`#plan-paths tr[data-path=${p}] .count`).textContent)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(counts, json!(["2", "1"]));
    b.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    screenshot(&b, "broadcast-plan-vi.png").await;

    click(&b, "#send-broadcast").await;
    see(&b, "Đang gửi").await;
    // The window's two go at once; the paid one waits for the campaign's warm-up.
    w.until("the window's messages are sent", || async {
        w.ctl
            .sends()
            .await
            .unwrap()
            .iter()
            .filter(|s| s["outcome"] == "accepted")
            .count()
            >= 2
    })
    .await;
    see(&b, "66 %").await;
    screenshot(&b, "broadcast-progress-vi.png").await;
    let id: i64 = b
        .current_url()
        .await
        .unwrap()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    Time::shift(3_660_000);
    w.ctl.advance(3_660).await.unwrap();
    see(&b, "Hoàn tất").await;
    see(&b, "100 %").await;
    see(&b, "Ngoài khung 24 giờ").await;
    screenshot(&b, "broadcast-results-vi.png").await;
    let csv = reqwest::Client::new()
        .get(format!(
            "{base}/broadcasts/{id}/recipients.csv?skipped=true"
        ))
        .header("cookie", session_of(&w, "lan").await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.contains(&khoa) && csv.contains("outside_window"),
        "{csv}"
    );

    // An audience's count follows the editor.
    b.goto(&format!("{base}/audiences")).await.unwrap();
    type_in(&b, "#audience-form input[name=name]", "Khách đăng ký").await;
    test_browser::choose(&b, "#audience-form select[name=marketing]", "Có").await;
    see(&b, "1 / 4 khách").await;
    screenshot(&b, "audiences-vi.png").await;
    click(&b, "#save-audience").await;
    see(&b, "Khách đăng ký").await;

    // In Arabic the broadcast page reads right to left.
    let lan = s.user("lan").await.unwrap().unwrap();
    s.set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    b.goto(&format!("{base}/broadcasts/{id}")).await.unwrap();
    see(&b, "اكتمل").await;
    let dir = b
        .execute("return getComputedStyle(document.body).direction", vec![])
        .await
        .unwrap();
    assert_eq!(dir, json!("rtl"));
    screenshot(&b, "broadcast-results-ar.png").await;
    Time::shift(0);
    w.stop().await;
}
