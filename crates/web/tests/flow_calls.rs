//! A flow asks the shop's own order system, on SQLite and PostgreSQL: the Original Coast
//! Clothing example's order status. The call is refused while the order system is on a private
//! address the flows do not allow (the customer is handed to a person), then made, signed,
//! once the address is allowed, and its answer fills the next message.

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use store::testing;

const OCC: &str = include_str!("../../../examples/flows/original-coast-clothing.yaml");

/// The shop's order system on 127.0.0.1: answers order 42, keeps what it was sent.
async fn order_system() -> (String, Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = Router::new().route(
        "/status",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push((headers, body.to_vec()));
                let asked: Value = serde_json::from_slice(&body).unwrap_or_default();
                axum::Json(json!({"order": {"id": asked["fields"]["order_id"], "status": "shipped", "eta": "2 days"}}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/status", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn the_order_status_comes_from_the_shops_system() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (url, seen) = order_system().await;
        let doc = OCC.replace("https://orders.example.com/status", &url);
        w.server
            .engine
            .apply_flows(PAGE, &doc, "test")
            .await
            .unwrap();

        // Not allowed: 127.0.0.1 is Fenestra's own machine.
        let an = w.customer("An").await;
        w.ctl
            .post(
                &format!("/users/{an}/postback"),
                json!({"title": "Order status", "payload": "ORDER_STATUS"}),
            )
            .await
            .unwrap();
        w.customer_gets(&an, "Mã đơn hàng của bạn là gì?").await;
        w.says(&an, "42").await;
        w.customer_gets(
            &an,
            "Shop chưa tra được đơn hàng lúc này: nhân viên sẽ trả lời bạn ngay.",
        )
        .await;
        assert!(
            seen.lock().unwrap().is_empty(),
            "{}: nothing reached it",
            db.label
        );

        // Allowed: the call is made, signed, and its answer read.
        let allowed = format!("calls: {{allow: [127.0.0.1]}}\n{doc}");
        w.server
            .engine
            .apply_flows(PAGE, &allowed, "test")
            .await
            .unwrap();
        let binh = w.customer("Binh").await;
        w.says(&binh, "đơn hàng").await;
        w.customer_gets(&binh, "Mã đơn hàng của bạn là gì?").await;
        w.says(&binh, "42").await;
        w.customer_gets(&binh, "Đơn 42: shipped, dự kiến nhận sau 2 days.")
            .await;
        // Browsing ends in a carousel.
        w.ctl
            .post(
                &format!("/users/{binh}/postback"),
                json!({"title": "Outfits", "payload": "CURATION"}),
            )
            .await
            .unwrap();
        w.customer_gets(&binh, "Tuyệt! Bạn chọn đồ cho ai?").await;
        w.says(&binh, "cho mình").await;
        w.customer_gets(&binh, "Dịp gì vậy bạn?").await;
        w.says(&binh, "đi làm").await;
        w.customer_gets(&binh, "Đây là gợi ý cho dịp work của shop.")
            .await;
        w.until("the carousel arrives", || async {
            w.ctl
                .inbox(&binh)
                .await
                .unwrap()
                .iter()
                .any(|m| !m["attachment"].is_null())
        })
        .await;
        let got = w.ctl.inbox(&binh).await.unwrap();
        let carousel = &got.last().unwrap()["attachment"]["payload"];
        assert_eq!(carousel["template_type"], "generic", "{carousel}");
        assert_eq!(carousel["elements"][0]["title"], "Áo sơ mi lanh");
        assert_eq!(
            carousel["elements"][1]["buttons"][1]["payload"],
            "ORDER_STATUS"
        );

        let (headers, body) = seen.lock().unwrap()[0].clone();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(&body);
        assert_eq!(
            headers["x-fenestra-signature"].to_str().unwrap(),
            format!("sha256={}", hex::encode(mac.finalize().into_bytes())),
            "signed with the app secret"
        );
        let sent: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            sent["fields"],
            json!({"order_id": "42"}),
            "only the fields named"
        );
        w.stop().await;
    }
}
