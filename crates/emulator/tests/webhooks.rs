//! Webhook delivery to a real HTTP receiver on 127.0.0.1.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

/// What the receiver saw, and how it should answer the next POSTs.
#[derive(Default)]
struct Seen {
    challenges: Vec<(String, String)>,
    posts: Vec<(HeaderMap, Vec<u8>)>,
    /// Statuses to answer, in order; 200 once exhausted.
    script: Vec<u16>,
}

type Shared = Arc<Mutex<Seen>>;

async fn verify(
    State(seen): State<Shared>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> (StatusCode, String) {
    let token = q.get("hub.verify_token").cloned().unwrap_or_default();
    let challenge = q.get("hub.challenge").cloned().unwrap_or_default();
    seen.lock()
        .unwrap()
        .challenges
        .push((token.clone(), challenge.clone()));
    if token == "verify" {
        (StatusCode::OK, challenge)
    } else {
        (StatusCode::FORBIDDEN, String::new())
    }
}

async fn receive(State(seen): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut s = seen.lock().unwrap();
    s.posts.push((headers, body.to_vec()));
    let status = if s.script.is_empty() {
        200
    } else {
        s.script.remove(0)
    };
    StatusCode::from_u16(status).unwrap()
}

async fn receiver(script: Vec<u16>) -> (String, Shared) {
    let seen: Shared = Arc::new(Mutex::new(Seen {
        script,
        ..Default::default()
    }));
    let app = Router::new()
        .route("/webhook", get(verify).post(receive))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// Waits until the emulator has nothing left to deliver (retries included).
async fn settled(emu: &emulator::RunningEmulator) {
    emulator::client::ControlClient::new(&emu.url())
        .webhooks_delivered(Duration::from_secs(20))
        .await
        .unwrap();
}

async fn wait_for(seen: &Shared, posts: usize) {
    for _ in 0..200 {
        if seen.lock().unwrap().posts.len() >= posts {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "expected {posts} webhook POSTs, got {}",
        seen.lock().unwrap().posts.len()
    );
}

fn hmac_hex<M: Mac + hmac::digest::KeyInit>(body: &[u8]) -> String {
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(b"s3cret").unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn messaging(body: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(body).unwrap();
    v["entry"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["messaging"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn handshake_then_signed_ascii_escaped_bodies() {
    let (url, seen) = receiver(vec![]).await;
    let emu = start(Some(MARCH_10), Some(url)).await;
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    c.control(
        &format!("/users/{psid}/say"),
        json!({"text": "Xin chào shop 👋"}),
    )
    .await;
    wait_for(&seen, 1).await;
    let (headers, body) = {
        let s = seen.lock().unwrap();
        assert_eq!(s.challenges[0].0, "verify");
        s.posts[0].clone()
    };
    let (headers, body) = (&headers, &body);
    assert!(
        body.is_ascii(),
        "non-ASCII must be escaped: {}",
        String::from_utf8_lossy(body)
    );
    assert!(String::from_utf8_lossy(body).contains("Xin ch\\u00e0o shop \\ud83d\\udc4b"));
    // Both signatures are over exactly these bytes.
    let sha256 = format!("sha256={}", hmac_hex::<Hmac<sha2::Sha256>>(body));
    let sha1 = format!("sha1={}", hmac_hex::<Hmac<sha1::Sha1>>(body));
    assert_eq!(headers["x-hub-signature-256"], sha256.as_str());
    assert_eq!(headers["x-hub-signature"], sha1.as_str());
    // And Fenestra's own verifier agrees.
    assert!(messenger::signature::verify(b"s3cret", body, Some(&sha256)).is_ok());
    let events = messenger::parse_body(body).unwrap();
    assert_eq!(
        (events[0].kind(), events[0].sender.as_deref()),
        ("message", Some(psid.as_str()))
    );
    // The clock started at MARCH_10 and runs in real time.
    assert!(
        events[0]
            .time
            .is_some_and(|t| (MARCH_10..MARCH_10 + 5_000).contains(&t)),
        "{:?}",
        events[0].time
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn pending_events_are_batched_and_retried_in_order() {
    // The first three POSTs fail (500, 503, 500), then the receiver recovers.
    let (url, seen) = receiver(vec![500, 503, 500]).await;
    let emu = start(Some(MARCH_10), Some(url)).await;
    let c = Client::new(&emu);
    c.control("/faults", json!({"webhook_batch_size": 3})).await;
    let psid = c.customer("Minh").await;
    for i in 0..7 {
        c.control(
            &format!("/users/{psid}/say"),
            json!({"text": format!("message {i}")}),
        )
        .await;
    }
    wait_for(&seen, 6).await;
    settled(&emu).await;
    let posts = seen.lock().unwrap().posts.clone();
    let mut delivered = Vec::new();
    for (i, (_, body)) in posts.iter().enumerate() {
        let items = messaging(body);
        assert!(items.len() <= 3, "batch of {}", items.len());
        if i >= 3 {
            delivered.extend(
                items
                    .iter()
                    .map(|m| m["message"]["text"].as_str().unwrap().to_owned()),
            );
        }
    }
    let want: Vec<String> = (0..7).map(|i| format!("message {i}")).collect();
    assert_eq!(
        delivered, want,
        "every event once, in order, after the failures"
    );
    let log = c.get("/_emulator/webhooks").await;
    let outcomes: Vec<&str> = log["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(&outcomes[..3], ["failed", "failed", "failed"]);
    assert!(outcomes[3..].iter().all(|o| *o == "delivered"));
    emu.shutdown().await;
}

#[tokio::test]
async fn an_hour_of_failures_drops_the_subscription_until_resubscribed() {
    let (url, seen) = receiver(vec![500; 1000]).await;
    let emu = start(Some(MARCH_10), Some(url)).await;
    let c = Client::new(&emu);
    let psid = c.customer("Aisha").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hello?"}))
        .await;
    wait_for(&seen, 2).await;
    c.advance(3601).await;
    for _ in 0..100 {
        if c.get("/_emulator/webhooks").await["subscribed"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = c.get("/_emulator/webhooks").await;
    assert_eq!(log["subscribed"], false, "{log}");
    assert!(
        log["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["outcome"] == "unsubscribed")
    );
    // While unsubscribed, nothing is queued.
    c.control(&format!("/users/{psid}/say"), json!({"text": "anyone?"}))
        .await;
    assert_eq!(c.get("/_emulator/webhooks").await["pending"], 0);
    let (status, body) = c
        .graph(
            reqwest::Method::POST,
            "/1001/subscribed_apps",
            Some(json!({"subscribed_fields": ["messages"]})),
        )
        .await;
    assert_eq!((status, body), (200, json!({"success": true})));
    assert_eq!(c.get("/_emulator/webhooks").await["subscribed"], true);
    emu.shutdown().await;
}

#[tokio::test]
async fn faults_are_deterministic_with_the_seed() {
    let run = || async {
        let (url, seen) = receiver(vec![]).await;
        let emu = start(Some(MARCH_10), Some(url)).await;
        let c = Client::new(&emu);
        c.control("/faults", json!({"webhook_duplicate_rate": 0.3, "webhook_drop_rate": 0.2, "webhook_batch_size": 1})).await;
        let psid = c.customer("Lan").await;
        for i in 0..20 {
            c.control(
                &format!("/users/{psid}/say"),
                json!({"text": format!("m{i}")}),
            )
            .await;
        }
        settled(&emu).await;
        let outcomes: Vec<String> = c.get("/_emulator/webhooks").await["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["outcome"].as_str().unwrap().to_owned())
            .collect();
        let posts = seen.lock().unwrap().posts.len();
        emu.shutdown().await;
        (outcomes, posts)
    };
    let (a, posts_a) = run().await;
    let (b, _) = run().await;
    assert_eq!(a, b, "same seed, same faults");
    assert!(
        a.iter().any(|o| o == "duplicate") && a.iter().any(|o| o == "dropped"),
        "{a:?}"
    );
    assert_eq!(posts_a, a.iter().filter(|o| *o != "dropped").count());
}
