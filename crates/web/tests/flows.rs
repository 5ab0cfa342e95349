//! Flows end to end through the emulator, on SQLite and PostgreSQL: the salon's bot applied
//! through the API; a Vietnamese customer taps Get Started, picks a service with a quick reply,
//! answers a day wrongly then rightly (three days ahead), picks a free time, gives her number with
//! Meta's phone quick reply, and is confirmed, labelled and her answers kept; moved to the day
//! before (the emulator's clock, and Fenestra's with it), the reminder reaches her as the
//! approved utility template since her window has closed; she cancels. "colour" hands another
//! customer to a person; a wait survives in the database and wakes by itself. One test in this
//! binary: it moves the process's clock.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::testing;

const SALON: &str = include_str!("../../../examples/flows/salon.yaml");

async fn put_flows(w: &World, token: &str, body: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .put(format!("{}/api/v1/pages/{PAGE}/flows", w.server.url()))
        .bearer_auth(token)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn tap(w: &World, psid: &str, kind: &str, title: &str, payload: &str) {
    w.ctl
        .post(
            &format!("/users/{psid}/{kind}"),
            json!({"title": title, "payload": payload}),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_customer_books_through_the_salon_bot() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (lan, mai) = team(&w).await;
        let wait = "  - name: later\n    trigger: {match: [later]}\n    start: nap\n    steps:\n      nap: {wait: 1s, next: back}\n      back: {send: {text: \"Still there?\"}}\n";
        let doc = format!("{SALON}{wait}");
        assert_eq!(put_flows(&w, &mai, &doc).await.0, StatusCode::FORBIDDEN);
        let (status, body) = put_flows(&w, &lan, &doc.replace("next: phone", "next: fone")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body["problems"][0]["field"], "flows[0].steps.slot.next",
            "{body}"
        );
        assert!(body["problems"][0]["line"].is_u64());
        let (status, body) = put_flows(&w, &lan, &doc).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["version"], 1);

        w.approved(
            "appointment_reminder",
            "Hi {{first_name}}, this is a reminder of your appointment on {{date}} at {{time}}.",
        )
        .await;
        let linh = w.customer("Linh").await;
        tap(&w, &linh, "postback", "Get Started", "GET_STARTED").await;
        let got = w
            .customer_gets(&linh, "Chào Linh! Bạn muốn làm dịch vụ nào?")
            .await;
        let asked = got.last().unwrap();
        assert_eq!(asked["quick_replies"][0]["title"], "Cắt tóc", "{asked}");
        tap(&w, &linh, "quick_reply", "Cắt tóc", "cut").await;
        w.customer_gets(&linh, "Bạn muốn đến ngày nào? (ví dụ 24/12)")
            .await;
        w.says(&linh, "thứ bảy").await;
        w.customer_gets(
            &linh,
            "Xin lỗi, mình chưa hiểu câu trả lời. Mình hỏi lại nhé:",
        )
        .await;
        // Three days ahead, in Vietnam.
        let vn = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let day = jiff::Timestamp::now().to_zoned(vn.clone()).date() + jiff::ToSpan::days(3);
        w.says(&linh, &day.strftime("%d/%m").to_string()).await;
        let got = w.customer_gets(&linh, "Bạn muốn đến lúc nào?").await;
        let slot = &got.last().unwrap()["quick_replies"][0];
        assert_eq!(
            slot["title"],
            format!("{} 09:00 Minh", day.strftime("%d/%m")),
            "{slot}"
        );
        tap(
            &w,
            &linh,
            "quick_reply",
            slot["title"].as_str().unwrap(),
            slot["payload"].as_str().unwrap(),
        )
        .await;
        let got = w
            .customer_gets(
                &linh,
                "Cho shop xin số điện thoại để báo nếu có thay đổi nhé?",
            )
            .await;
        assert_eq!(
            got.last().unwrap()["quick_replies"][0]["content_type"],
            "user_phone_number"
        );
        w.says(&linh, "0901 234 567").await;
        let at = format!("{} 09:00", day.strftime("%d/%m/%Y"));
        w.customer_gets(
            &linh,
            &format!("Cảm ơn Linh! Hẹn gặp bạn lúc {at} với Minh."),
        )
        .await;
        let s = w.store();
        let fields: std::collections::BTreeMap<String, String> =
            s.fields(PAGE, &linh).await.unwrap().into_iter().collect();
        assert_eq!(fields["service"], "cut", "{}", db.label);
        assert_eq!(fields["phone"], "+84901234567");
        assert_eq!(fields["booking_at"], at);
        let team = s.team_state(PAGE, &linh).await.unwrap().unwrap();
        assert!(team.labels.0.contains(&"booking".to_owned()), "{team:?}");
        assert!(s.active_run(PAGE, &linh).await.unwrap().is_none());
        // The thread shows who said it: the flow, as an automation.
        assert!(
            s.last_sent_by(PAGE, &linh, "automation:flow:salon")
                .await
                .unwrap()
                .is_some()
        );
        let booked = s
            .upcoming_bookings(PAGE, &linh, store::Time::now())
            .await
            .unwrap();
        assert_eq!(booked.len(), 1);
        assert_eq!(booked[0].reminder, store::ReminderState::Pending);

        // The day before, her window has closed: the reminder goes as the utility template.
        let remind_at = booked[0].remind_at.unwrap().ms();
        let ahead = (remind_at - now_ms()) / 1000 + 60;
        w.ctl.advance(ahead).await.unwrap();
        store::Time::shift(ahead * 1000);
        let got = w
            .customer_gets(
                &linh,
                &format!(
                    "Hi Linh, this is a reminder of your appointment on {} at 09:00.",
                    day.strftime("%d/%m/%Y")
                ),
            )
            .await;
        assert_eq!(got.last().unwrap()["messaging_type"], "UTILITY");
        w.until("the reminder is marked sent as a template", || async {
            s.booking(booked[0].id).await.unwrap().unwrap().reminder
                == store::ReminderState::Template
        })
        .await;
        store::Time::shift(0);

        // She cancels: the appointment is gone.
        tap(&w, &linh, "quick_reply", "Hủy lịch", "CANCEL_BOOKING").await;
        w.until("the appointment is cancelled", || async {
            s.upcoming_bookings(PAGE, &linh, store::Time::now())
                .await
                .unwrap()
                .is_empty()
        })
        .await;

        // Colour needs a person: the bot hands over and automations pause.
        let hoa = w.customer("Hoa").await;
        w.says(&hoa, "đặt lịch").await;
        w.customer_gets(&hoa, "Chào Hoa! Bạn muốn làm dịch vụ nào?")
            .await;
        w.says(&hoa, "nhuộm").await;
        w.customer_gets(
            &hoa,
            "Nhuộm cần tư vấn với thợ: nhân viên sẽ trả lời bạn ngay.",
        )
        .await;
        w.until("Hoa is paused for a person", || async {
            s.contact(PAGE, &hoa)
                .await
                .unwrap()
                .is_some_and(|c| c.pause(store::Time::now()).is_some())
        })
        .await;

        // A wait is a row in the database, woken by itself.
        let an = w.customer("An").await;
        w.says(&an, "later").await;
        w.customer_gets(&an, "Still there?").await;
        let steps: Value = reqwest::Client::new()
            .get(format!("{}/api/v1/pages/{PAGE}/flows", w.server.url()))
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(steps["version"], 1);
        assert_eq!(steps["steps"], json!([]), "nobody is left in a flow");
        let salon = steps["decisions_30_days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["flow"] == "salon")
            .cloned()
            .unwrap();
        assert!(salon["sent"].as_i64().unwrap() >= 6, "{salon}");
        assert_eq!(salon["refused"], 0);
        w.stop().await;
    }
}
