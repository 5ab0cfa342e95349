//! Pictures and attachments served from Fenestra's copies, since Meta's links expire: a
//! customer's picture fetched once and served (initials when there is none to fetch), an
//! attachment copied soon after it arrives and linked to the copy, one over the size limit left
//! as a link, and every copy gone when the customer is erased. Files are served on 127.0.0.1.

mod common;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use common::*;
use serde_json::json;
use store::{Role, testing};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-a-picture";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0-a-photo";

/// A CDN: `/pic.png`, `/photo.jpg`, and `/big.bin` (over the attachment limit).
async fn cdn() -> String {
    let app = axum::Router::new()
        .route(
            "/pic.png",
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], PNG).into_response() }),
        )
        .route(
            "/photo.jpg",
            get(|| async { ([(header::CONTENT_TYPE, "image/jpeg")], JPEG).into_response() }),
        )
        .route(
            "/big.bin",
            get(|| async { vec![0u8; engine::media::MAX_ATTACHMENT + 1].into_response() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn fetch(w: &World, cookie: &str, path: &str) -> (String, Vec<u8>) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", w.server.url()))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
    (kind, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_and_attachments_are_served_from_copies() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let s = w.store();
        engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
            .await
            .unwrap();
        let cookie = session_of(&w, "lan").await;
        let cdn = cdn().await;
        let hoa = w
            .ctl
            .post(
                "/users",
                json!({"first_name": "Hoa", "last_name": "Le", "profile_pic": format!("{cdn}/pic.png")}),
            )
            .await
            .unwrap()["psid"]
            .as_str()
            .unwrap()
            .to_owned();
        w.says(&hoa, "Here is the dress").await;
        let minh = w.customer("Minh").await;
        w.says(&minh, "hi").await;
        w.automations_done().await;

        // Hoa's picture: fetched from the CDN once, then from the copy.
        let (kind, bytes) = fetch(&w, &cookie, &format!("/c/{PAGE}/{hoa}/picture")).await;
        assert_eq!(
            (kind.as_str(), bytes.as_slice()),
            ("image/png", PNG),
            "{}",
            w.label
        );
        assert!(s.media(PAGE, &hoa, "picture").await.unwrap().is_some());
        // Minh's picture is on Meta's CDN, out of reach here: his initials instead.
        let (kind, bytes) = fetch(&w, &cookie, &format!("/c/{PAGE}/{minh}/picture")).await;
        assert_eq!(kind, "image/svg+xml");
        assert!(String::from_utf8(bytes).unwrap().contains(">MN<"));

        // A photo and a file too large to keep, in one message.
        let now = now_ms();
        let body = json!({"object": "page", "entry": [{"id": PAGE, "time": now, "messaging": [
            {"sender": {"id": hoa}, "recipient": {"id": PAGE}, "timestamp": now,
             "message": {"mid": "m-files", "attachments": [
                {"type": "image", "payload": {"url": format!("{cdn}/photo.jpg")}},
                {"type": "file", "payload": {"url": format!("{cdn}/big.bin")}}]}}]}]})
        .to_string();
        assert!(w.post_signed(&body).await.is_success());
        let photo = engine::media::attachment_key("m-files", 0);
        w.until("the photo is copied", || async {
            s.media_keys(PAGE, &hoa).await.unwrap().contains(&photo)
        })
        .await;
        w.until("the big file is given up on", || async {
            s.media_pending(10).await.unwrap().is_empty()
        })
        .await;
        let big = engine::media::attachment_key("m-files", 1);
        assert!(!s.media_keys(PAGE, &hoa).await.unwrap().contains(&big));
        let (_, thread) = fetch(&w, &cookie, &format!("/c/{PAGE}/{hoa}")).await;
        let thread = String::from_utf8(thread).unwrap();
        assert!(
            thread.contains(&format!("/c/{PAGE}/{hoa}/media/{photo}")),
            "{}",
            w.label
        );
        assert!(
            thread.contains(&format!("{cdn}/big.bin")),
            "the big file stays a link"
        );
        let (kind, bytes) = fetch(&w, &cookie, &format!("/c/{PAGE}/{hoa}/media/{photo}")).await;
        assert_eq!((kind.as_str(), bytes.as_slice()), ("image/jpeg", JPEG));

        // Erasing the customer takes the copies with her.
        let erased = w
            .server
            .engine
            .erase_customer(engine::privacy::Caller::Cli, PAGE, &hoa)
            .await
            .unwrap();
        assert_eq!(erased.media, 2, "the picture and the photo");
        assert!(s.media_keys(PAGE, &hoa).await.unwrap().is_empty());
        w.stop().await;
    }
}
