//! Web Push end to end, with a push service played on 127.0.0.1: a device subscribes from the
//! inbox; a customer's message reaches it encrypted for that device (decrypted here with the
//! device's keys) and signed with Fenestra's VAPID key, in its user's language; a device the
//! service no longer knows (410) is forgotten; a malformed subscription is refused.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64ct::{Base64UrlUnpadded, Encoding};
use common::*;
use serde_json::{Value, json};
use store::{Role, testing};
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

/// A push request as the service got it: its path, headers and body.
type Received = (String, HeaderMap, Vec<u8>);

#[derive(Clone, Default)]
struct PushService {
    received: Arc<Mutex<Vec<Received>>>,
}

/// A push service: `/ok/…` accepts, `/gone/…` answers 410.
async fn push_service() -> (String, PushService) {
    let service = PushService::default();
    let s = service.clone();
    let app = axum::Router::new().route(
        "/{kind}/{id}",
        post(
            move |axum::extract::Path((kind, id)): axum::extract::Path<(String, String)>,
                  headers: HeaderMap,
                  body: Bytes| {
                let s = s.clone();
                async move {
                    s.received.lock().unwrap().push((
                        format!("{kind}/{id}"),
                        headers,
                        body.to_vec(),
                    ));
                    if kind == "gone" {
                        StatusCode::GONE
                    } else {
                        StatusCode::CREATED
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, service)
}

/// A device's keys and the subscription its browser would send.
fn device(endpoint: &str) -> (web_push_native::p256::SecretKey, [u8; 16], Value) {
    let secret = web_push_native::p256::SecretKey::random(&mut rand_core());
    let auth: [u8; 16] = *b"0123456789abcdef";
    let public = secret.public_key().to_encoded_point(false);
    let subscription = json!({
        "endpoint": endpoint,
        "expirationTime": null,
        "keys": {
            "p256dh": Base64UrlUnpadded::encode_string(public.as_bytes()),
            "auth": Base64UrlUnpadded::encode_string(&auth),
        }
    });
    (secret, auth, subscription)
}

fn rand_core() -> web_push_native::p256::elliptic_curve::rand_core::OsRng {
    web_push_native::p256::elliptic_curve::rand_core::OsRng
}

async fn subscribe(w: &World, cookie: &str, subscription: &Value) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/push/subscribe", w.server.url()))
        .header("cookie", cookie)
        .json(subscription)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_message_reaches_a_subscribed_device_encrypted_and_signed() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let s = w.store();
        engine::accounts::add_user(s, "mai", "a long passphrase", Role::Agent)
            .await
            .unwrap();
        let mai = s.user("mai").await.unwrap().unwrap();
        s.set_user_preferences(mai.id, Some("vi"), None)
            .await
            .unwrap();
        let cookie = session_of(&w, "mai").await;
        let (service_url, service) = push_service().await;

        // The browser asks for the key it subscribes with: an uncompressed P-256 point.
        let key: Value = reqwest::Client::new()
            .get(format!("{}/push/key", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let key = Base64UrlUnpadded::decode_vec(key["key"].as_str().unwrap()).unwrap();
        assert_eq!((key.len(), key[0]), (65, 4), "{}", w.label);

        let (secret, auth, subscription) = device(&format!("{service_url}/ok/phone"));
        assert_eq!(
            subscribe(&w, &cookie, &subscription).await,
            StatusCode::NO_CONTENT
        );
        let (_, _, gone) = device(&format!("{service_url}/gone/laptop"));
        assert_eq!(subscribe(&w, &cookie, &gone).await, StatusCode::NO_CONTENT);
        let mut broken = subscription.clone();
        broken["keys"]["auth"] = json!("c2hvcnQ");
        assert_eq!(
            subscribe(&w, &cookie, &broken).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let hoa = w.ctl.customer("Hoa", "Le", "vi_VN").await.unwrap();
        w.says(&hoa, "Còn váy không?").await;
        w.until("the phone is notified", || async {
            service
                .received
                .lock()
                .unwrap()
                .iter()
                .any(|(path, _, _)| path == "ok/phone")
        })
        .await;
        let (_, headers, body) = service
            .received
            .lock()
            .unwrap()
            .iter()
            .find(|(path, _, _)| path == "ok/phone")
            .cloned()
            .unwrap();
        assert_eq!(headers["content-encoding"], "aes128gcm");
        let vapid = headers["authorization"].to_str().unwrap();
        assert!(
            vapid.starts_with("vapid t=")
                && vapid.contains(&format!("k={}", Base64UrlUnpadded::encode_string(&key))),
            "{vapid}"
        );
        let auth = web_push_native::Auth::clone_from_slice(&auth);
        let plain = web_push_native::decrypt(body, &secret, &auth).unwrap();
        let payload: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(payload["title"], "Tin nhắn mới", "{}", w.label);
        assert_eq!(payload["body"], "Hoa Le đã nhắn cho Trang.");
        assert_eq!(payload["url"], format!("/c/{PAGE}/{hoa}"));

        // The laptop's service answered 410: it is forgotten.
        w.until("the gone device is forgotten", || async {
            s.push_subscriptions()
                .await
                .unwrap()
                .iter()
                .all(|p| !p.endpoint.ends_with("/gone/laptop"))
        })
        .await;
        assert_eq!(s.push_subscriptions().await.unwrap().len(), 1);
        w.stop().await;
    }
}
