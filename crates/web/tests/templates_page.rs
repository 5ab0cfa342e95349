//! Utility templates from Settings and the API, on SQLite and PostgreSQL: an admin submits one
//! (Meta reviews it; the list shows its status after a sync), agents may refresh but not submit,
//! a bad name is named.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::testing;

#[tokio::test]
async fn admins_submit_templates_and_everyone_sees_their_review() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (lan, mai) = team(&w).await;
        let url = format!("{}/api/v1/pages/{PAGE}/templates", w.server.url());
        let http = reqwest::Client::new();

        // From Settings: submitted, reviewed by Meta at once (the emulator), listed.
        let cookie = session_of(&w, "lan").await;
        let r = no_redirects()
            .post(format!("{}/settings/templates/{PAGE}", w.server.url()))
            .header("cookie", &cookie)
            .form(&[
                ("name", "booking_reminder"),
                ("language", "vi"),
                (
                    "body",
                    "Chào {{first_name}}, lịch hẹn của bạn lúc {{time}}.",
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", db.label);
        let html = no_redirects()
            .get(format!("{}/settings/templates/{PAGE}", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("booking_reminder") && html.contains("approved"),
            "{html}"
        );

        let listed: Value = http
            .get(&url)
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["templates"][0]["name"], "booking_reminder");
        assert_eq!(listed["templates"][0]["status"], "APPROVED");

        let r = http
            .post(&url)
            .bearer_auth(&mai)
            .json(&json!({"name": "promo", "language": "en", "body": "Hi"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "agents may not submit");
        let r = http
            .post(format!("{url}/sync"))
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "anyone may refresh");

        let r = http
            .post(&url)
            .bearer_auth(&lan)
            .json(&json!({"name": "Order Shipped!", "language": "en", "body": "Hi"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Meta's review refuses a promotion: the refusal is Meta's, passed on.
        let r = http
            .post(&url)
            .bearer_auth(&lan)
            .json(&json!({"name": "sale", "language": "en", "body": "50% off everything this weekend!"}))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        let sale = body["templates"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["name"] == "sale").cloned());
        assert!(
            sale.is_none_or(|t| t["status"] == "REJECTED"),
            "a promotion is never approved: {body}"
        );
        w.stop().await;
    }
}
