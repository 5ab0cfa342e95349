//! The team's side of appointments and leads, on SQLite and PostgreSQL: the API lists, moves
//! (within hours and capacity) and cancels appointments; the Bookings page shows them; a lead
//! form finished in a click-to-Messenger ad becomes the customer's fields, listed in the API and
//! in the Leads CSV; an m.me link's `ref` starts its flow.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{NewBooking, Time, testing};

const SALON: &str = include_str!("../../../examples/flows/salon.yaml");

/// Tomorrow at `hh:mm` in Vietnam.
fn tomorrow_at(hh: i8, mm: i8) -> jiff::Timestamp {
    let vn = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
    let day = jiff::Timestamp::now().to_zoned(vn.clone()).date() + jiff::ToSpan::days(1);
    day.at(hh, mm, 0, 0).to_zoned(vn).unwrap().timestamp()
}

#[tokio::test]
async fn appointments_and_leads_for_the_team() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (lan, _) = team(&w).await;
        let s = w.store();
        w.server
            .engine
            .apply_flows(PAGE, SALON, "test")
            .await
            .unwrap();
        let linh = w.customer("Linh").await;
        w.says(&linh, "xin chào").await;
        let start = tomorrow_at(9, 0);
        let now = Time::now();
        let id = s
            .create_booking(
                &NewBooking {
                    page_id: PAGE,
                    psid: &linh,
                    service: "cut",
                    resource: "minh",
                    starts_at: Time::from_ms(start.as_millisecond()),
                    ends_at: Time::from_ms(start.as_millisecond() + 1_800_000),
                    remind_at: None,
                    capacity: 1,
                },
                now,
            )
            .await
            .unwrap()
            .unwrap();
        let api = reqwest::Client::new();
        let url = |p: &str| format!("{}/api/v1{p}", w.server.url());
        let list: Value = api
            .get(url("/pages/1001/bookings"))
            .bearer_auth(&lan)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["bookings"][0]["id"], id, "{}: {list}", db.label);
        assert_eq!(list["bookings"][0]["status"], "booked");

        let move_to = |at: jiff::Timestamp| {
            api.post(url(&format!("/bookings/{id}/move")))
                .bearer_auth(&lan)
                .json(&json!({"resource": "minh", "starts_at": at.to_string()}))
                .send()
        };
        assert_eq!(
            move_to(tomorrow_at(3, 0)).await.unwrap().status(),
            StatusCode::CONFLICT,
            "before opening"
        );
        let moved = move_to(tomorrow_at(9, 30)).await.unwrap();
        assert_eq!(moved.status(), StatusCode::OK);
        assert_eq!(
            s.booking(id).await.unwrap().unwrap().starts_at.ms(),
            tomorrow_at(9, 30).as_millisecond()
        );
        // The Bookings page shows it, in Vietnamese.
        let cookie = session_of(&w, "mai").await;
        let page = no_redirects()
            .get(format!("{}/bookings", w.server.url()))
            .header("cookie", &cookie)
            .header("accept-language", "vi")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Linh Nguyen") && page.contains("09:30") && page.contains("Cắt tóc"),
            "{page}"
        );
        let cancelled: Value = api
            .post(url(&format!("/bookings/{id}/cancel")))
            .bearer_auth(&lan)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(cancelled["cancelled"], true);

        // An m.me link with a ref starts its flow: for someone with a thread (a referral), and
        // for someone new (Get Started with the ref, which wins over Get Started's own flow).
        w.ctl
            .post(
                &format!("/users/{linh}/referral"),
                json!({"ref": "after-visit", "source": "SHORTLINK"}),
            )
            .await
            .unwrap();
        w.customer_gets(&linh, "How was your visit? (1-5)").await;
        let tam = w.customer("Tam").await;
        w.ctl
            .post(
                &format!("/users/{tam}/postback"),
                json!({"title": "Get Started", "payload": "GET_STARTED", "ref": "after-visit"}),
            )
            .await
            .unwrap();
        w.customer_gets(&tam, "How was your visit? (1-5)").await;

        // A lead form in an ad: its answers become Hoa's fields.
        let hoa = w.customer("Hoa").await;
        w.ctl
            .post(
                &format!("/users/{hoa}/lead_ad"),
                json!({"ad_id": "42", "questions": ["Email", "Phone number"]}),
            )
            .await
            .unwrap();
        w.ctl
            .post(
                &format!("/users/{hoa}/lead_ad/finish"),
                json!({"answers": [{"question": "Email", "answer": "hoa@shop.vn"},
                                   {"question": "Phone number", "answer": "+84 90 111 2222"}]}),
            )
            .await
            .unwrap();
        w.until("the lead is kept", || async {
            s.fields(PAGE, &hoa).await.unwrap().len() == 3
        })
        .await;
        let leads: Value = api
            .get(url("/pages/1001/leads"))
            .bearer_auth(&lan)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let lead = &leads["leads"][0];
        assert_eq!(lead["name"], "Hoa Nguyen", "{leads}");
        assert_eq!(lead["fields"]["email"], "hoa@shop.vn");
        assert_eq!(lead["fields"]["phone_number"], "+84 90 111 2222");
        assert_eq!(lead["fields"]["lead_source"], "lead_ad");
        let csv = no_redirects()
            .get(format!("{}/leads.csv", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("psid,name,updated_at,email,lead_source,phone_number")
        );
        assert!(
            lines
                .next()
                .unwrap()
                .contains(",hoa@shop.vn,lead_ad,+84 90 111 2222"),
            "{csv}"
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn a_comment_starts_its_flow_with_a_private_reply() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let doc = format!(
            "{SALON}  - name: comment-price\n    trigger: {{comments: [giá, price]}}\n    start: ask\n    steps:\n      ask: {{ask: {{text: \"Which size do you want the price for?\", save: size, expect: choice, choices: [{{title: S, value: s}}, {{title: M, value: m}}]}}, next: tell}}\n      tell: {{send: {{text: \"Size {{{{size}}}}: 200.000đ.\"}}}}\n"
        );
        w.server
            .engine
            .apply_flows(PAGE, &doc, "test")
            .await
            .unwrap();
        let linh = w.customer("Linh").await;
        w.ctl
            .post(
                &format!("/users/{linh}/comment"),
                json!({"post_id": "77", "text": "cái áo này giá bao nhiêu?"}),
            )
            .await
            .unwrap();
        w.customer_gets(&linh, "Which size do you want the price for?")
            .await;
        let sends = w.ctl.sends().await.unwrap();
        let reply = sends
            .iter()
            .find(|s| s["request"]["message"]["text"] == "Which size do you want the price for?")
            .unwrap();
        assert!(
            reply["request"]["recipient"]["comment_id"].is_string(),
            "{}: {reply}",
            db.label
        );
        w.says(&linh, "M").await;
        w.customer_gets(&linh, "Size m: 200.000đ.").await;
        // A comment no flow is made for gets nothing.
        let an = w.customer("An").await;
        w.ctl
            .post(
                &format!("/users/{an}/comment"),
                json!({"post_id": "77", "text": "đẹp quá"}),
            )
            .await
            .unwrap();
        w.automations_done().await;
        assert!(w.ctl.inbox(&an).await.unwrap().is_empty());
        w.stop().await;
    }
}
