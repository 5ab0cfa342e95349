//! The bots' pages in a real headless Chromium, in Vietnamese: Settings → Flows draws the
//! salon's flow and tries it on a few lines (nothing sent), and a step is edited with its form; the Bookings page shows the week's
//! appointments and moves one; the Leads page lists what the bot collected; in Arabic the Flows
//! page reads right to left. With
//! `FENESTRA_SCREENSHOTS=1` the screens are saved to docs/screenshots/.

mod common;

use common::*;
use store::{NewBooking, Role, Time, testing};
use test_browser::{click, see, type_in};

const SALON: &str = include_str!("../../../examples/flows/salon.yaml");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vietnamese_admin_reads_tries_and_uses_the_bots_pages() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    w.server
        .engine
        .apply_flows(PAGE, SALON, "test")
        .await
        .unwrap();
    let linh = w.customer("Linh").await;
    w.says(&linh, "xin chào").await;
    let now = Time::now();
    s.set_field(PAGE, &linh, "phone", "+84901234567", now)
        .await
        .unwrap();
    s.set_field(PAGE, &linh, "service", "cut", now)
        .await
        .unwrap();
    let vn = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
    let tomorrow = jiff::Timestamp::now().to_zoned(vn.clone()).date() + jiff::ToSpan::days(1);
    let start = tomorrow.at(9, 0, 0, 0).to_zoned(vn).unwrap().timestamp();
    let id = s
        .create_booking(
            &NewBooking {
                page_id: PAGE,
                psid: &linh,
                service: "cut",
                resource: "minh",
                starts_at: Time::from_ms(start.as_millisecond()),
                ends_at: Time::from_ms(start.as_millisecond() + 1_800_000),
                remind_at: Some(Time::from_ms(
                    start.as_millisecond() - 86_400_000 + 3_600_000,
                )),
                capacity: 1,
            },
            now,
        )
        .await
        .unwrap()
        .unwrap();

    let (_driver, b) = test_browser::start_in(1280, 1000, "vi").await;
    browser_log_in(&b, &w.server.url(), "lan").await;
    see(&b, "Hộp thư").await;
    b.goto(&format!("{}/settings", w.server.url()))
        .await
        .unwrap();
    click(&b, "a.page-flows").await;
    see(&b, "Bắt đầu khi: [GET_STARTED] · [BOOK]").await;
    see(&b, "rẽ nhánh").await;
    click(&b, "#flow-salon details.try summary").await;
    type_in(
        &b,
        "#flow-salon textarea[name=inputs]",
        "[cut]\n24/12\n[SLOT:minh:1]\n0901234567",
    )
    .await;
    click(&b, "#flow-salon form button").await;
    see(&b, "Chào {{first_name}}! Bạn muốn làm dịch vụ nào?").await;
    see(&b, "đã lưu: phone = +84901234567").await;
    see(&b, "hết luồng").await;
    screenshot(&b, "flows-vi.png").await;

    // A step edited with its form: the Vietnamese text of the thanks, applied as version 2.
    b.goto(&format!(
        "{}/settings/flows/{PAGE}/step?flow=salon&step=thanks",
        w.server.url()
    ))
    .await
    .unwrap();
    see(&b, "Bằng Tiếng Việt").await;
    screenshot(&b, "flow-step-vi.png").await;
    b.execute(
        "document.querySelector('textarea[name=\"text.vi\"]').value = 'Cảm ơn {{first_name}}, hẹn gặp lại!';",
        vec![],
    )
    .await
    .unwrap();
    click(&b, "#save-step").await;
    see(&b, "Đã áp dụng phiên bản 2.").await;
    let (doc, _) = w.server.engine.flows(PAGE).await.unwrap();
    let thanks = doc.named("salon").unwrap().steps["thanks"]
        .send
        .clone()
        .unwrap();
    assert_eq!(
        thanks.text.pick(Some("vi_VN")),
        "Cảm ơn {{first_name}}, hẹn gặp lại!"
    );
    assert_eq!(
        thanks.quick_replies.0.len(),
        1,
        "the rest of the step is kept"
    );

    click(&b, "#nav-bookings").await;
    see(&b, "Cắt tóc").await;
    see(&b, "09:00").await;
    screenshot(&b, "bookings-vi.png").await;
    click(&b, &format!("#booking-{id} details.move summary")).await;
    b.execute(
        &format!(
            "document.querySelector('#booking-{id} input[name=at]').value = '{}T10:30';",
            tomorrow
        ),
        vec![],
    )
    .await
    .unwrap();
    click(&b, &format!("#booking-{id} details.move button")).await;
    see(&b, "Đã dời lịch hẹn.").await;
    see(&b, "10:30").await;

    click(&b, "#nav-leads").await;
    see(&b, "+84901234567").await;
    screenshot(&b, "leads-vi.png").await;

    // In Arabic the Flows page reads right to left; the diagram and the document stay left to
    // right.
    let lan = s.user("lan").await.unwrap().unwrap();
    s.set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    b.goto(&format!("{}/settings/flows/{PAGE}", w.server.url()))
        .await
        .unwrap();
    see(&b, "يبدأ عند").await;
    let dirs = b
        .execute(
            "return [getComputedStyle(document.body).direction, getComputedStyle(document.querySelector('.diagram')).direction, getComputedStyle(document.getElementById('flows-document')).direction]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dirs, serde_json::json!(["rtl", "ltr", "ltr"]));
    screenshot(&b, "flows-ar.png").await;
    w.stop().await;
}
