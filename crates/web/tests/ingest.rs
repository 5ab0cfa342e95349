//! `fenestra serve`'s webhook ingest over real HTTP on 127.0.0.1, on SQLite and PostgreSQL.

use std::path::PathBuf;
use std::time::Duration;

use messenger::signature::sign;
use store::InboxStatus;
use store::testing::{self, TestDb};
use web::{RunningServer, ServeConfig};

const SECRET: &str = "test-app-secret";

fn config(db: &TestDb) -> ServeConfig {
    ServeConfig::new(
        "127.0.0.1:0",
        &db.url,
        Some(SECRET.into()),
        Some("verify-me".into()),
        "http://127.0.0.1:9",
        Some("1001".into()),
        Some("page-token".into()),
    )
    .unwrap()
}

async fn start(db: &TestDb) -> RunningServer {
    web::start(config(db))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:#}", db.label))
}

async fn post(server: &RunningServer, body: &[u8], signature: Option<String>) -> (u16, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/webhook", server.url()))
        .body(body.to_vec());
    if let Some(sig) = signature {
        req = req.header("X-Hub-Signature-256", sig);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn post_signed(server: &RunningServer, body: &[u8]) -> u16 {
    post(server, body, Some(sign(SECRET.as_bytes(), body)))
        .await
        .0
}

/// Waits until nothing is pending (the processor has caught up).
async fn drained(server: &RunningServer) -> store::QueueStats {
    for _ in 0..200 {
        let q = server.store.queue_stats().await.unwrap();
        if q.pending == 0 {
            return q;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "the processor did not drain the queue: {:?}",
        server.store.queue_stats().await.unwrap()
    );
}

async fn metric(server: &RunningServer, line_prefix: &str) -> f64 {
    let text = reqwest::get(format!("{}/metrics", server.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(line_prefix)
                .and_then(|rest| rest.trim().parse().ok())
        })
        .unwrap_or_else(|| panic!("no `{line_prefix}` in:\n{text}"))
}

fn text_message(psid: &str, mid: &str, text: &str, timestamp: i64) -> Vec<u8> {
    format!(
        r#"{{"object":"page","entry":[{{"id":"1001","time":{timestamp},"messaging":[{{"sender":{{"id":"{psid}"}},"recipient":{{"id":"1001"}},"timestamp":{timestamp},"message":{{"mid":"{mid}","text":"{text}"}}}}]}}]}}"#
    )
    .into_bytes()
}

#[tokio::test]
async fn verification_handshake() {
    let db = testing::sqlite().await;
    let server = start(&db).await;
    let get = |q: &str| reqwest::get(format!("{}/webhook?{q}", server.url()));
    let ok = get("hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        .await
        .unwrap();
    assert_eq!(
        (ok.status().as_u16(), ok.text().await.unwrap()),
        (200, "1158201444".to_owned())
    );
    let wrong = get("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 403);
    assert_eq!(get("hub.challenge=1").await.unwrap().status().as_u16(), 400);
    server.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_are_refused_counted_and_not_stored() {
    for db in testing::all().await {
        let server = start(&db).await;
        let body = text_message("2001", "m.1", "hi", 1_700_000_000_000);
        let (status, text) = post(&server, &body, None).await;
        assert_eq!(status, 401);
        assert!(text.contains("missing"), "{text}");
        assert_eq!(
            post(&server, &body, Some("sha256=not-hex".into())).await.0,
            401
        );
        assert_eq!(
            post(&server, &body, Some(sign(b"wrong-secret", &body)))
                .await
                .0,
            401
        );
        // A valid signature, but of a different body.
        let other = sign(SECRET.as_bytes(), b"{}");
        let (status, text) = post(&server, &body, Some(other)).await;
        assert_eq!(
            (status, text.contains("does not match")),
            (401, true),
            "{text}"
        );

        assert_eq!(
            metric(
                &server,
                "fenestra_webhooks_rejected_total{reason=\"signature_missing\"}"
            )
            .await,
            1.0
        );
        assert_eq!(
            metric(
                &server,
                "fenestra_webhooks_rejected_total{reason=\"signature_malformed\"}"
            )
            .await,
            1.0
        );
        assert_eq!(
            metric(
                &server,
                "fenestra_webhooks_rejected_total{reason=\"signature_mismatch\"}"
            )
            .await,
            2.0
        );
        let q = server.store.queue_stats().await.unwrap();
        assert_eq!(
            (q.pending, q.processed, q.quarantined),
            (0, 0, 0),
            "{}",
            db.label
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let db = testing::sqlite().await;
    let server = start(&db).await;
    let big = vec![b' '; 1024 * 1024 + 1];
    let (status, _) = post(&server, &big, Some(sign(SECRET.as_bytes(), &big))).await;
    assert_eq!(status, 413);
    assert_eq!(
        metric(
            &server,
            "fenestra_webhooks_rejected_total{reason=\"too_large\"}"
        )
        .await,
        1.0
    );
    assert_eq!(server.store.queue_stats().await.unwrap().pending, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn signed_but_unprocessable_bodies_are_quarantined_with_their_reason() {
    for db in testing::all().await {
        let server = start(&db).await;
        assert_eq!(
            post_signed(&server, b"{\"object\":\"page\",\"entry\":[").await,
            200
        );
        assert_eq!(post_signed(&server, br#"{"hello":"world"}"#).await, 200);
        let q = drained(&server).await;
        assert_eq!(q.quarantined, 2, "{}", db.label);
        let first = server.store.inbox_row(1).await.unwrap().unwrap();
        assert_eq!(first.status, InboxStatus::Quarantined);
        assert!(
            first
                .error
                .as_deref()
                .unwrap()
                .starts_with("malformed JSON at line 1"),
            "{first:?}"
        );
        let second = server.store.inbox_row(2).await.unwrap().unwrap();
        assert_eq!(
            second.error.as_deref(),
            Some(
                "not a webhook envelope: `object` is missing (expected {\"object\": \"page\", \"entry\": [...]})"
            )
        );
        assert_eq!(
            metric(&server, "fenestra_webhooks_quarantined_total").await,
            2.0
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn an_event_kind_from_the_future_is_kept_not_quarantined() {
    let db = testing::sqlite().await;
    let server = start(&db).await;
    let body = br#"{"object":"page","entry":[{"id":"1001","time":1700000000000,"messaging":[
        {"sender":{"id":"2001"},"recipient":{"id":"1001"},"timestamp":1700000000000,"message_edit":{"mid":"m.1","text":"fixed"}}]}]}"#;
    assert_eq!(post_signed(&server, body).await, 200);
    let q = drained(&server).await;
    assert_eq!((q.processed, q.quarantined), (1, 0));
    assert_eq!(
        metric(&server, "fenestra_webhook_events_processed_total").await,
        1.0
    );
    // The customer is known, but nothing opened the window.
    let contact = server.store.contact("1001", "2001").await.unwrap().unwrap();
    assert_eq!(contact.last_interaction_at, None);
    server.shutdown().await;
}

#[tokio::test]
async fn a_duplicated_delivery_gives_one_message() {
    for db in testing::all().await {
        let server = start(&db).await;
        let body = text_message("2001", "m.dup", "hello", 1_700_000_000_000);
        assert_eq!(post_signed(&server, &body).await, 200);
        assert_eq!(post_signed(&server, &body).await, 200);
        drained(&server).await;
        assert_eq!(
            server.store.messages("1001", "2001").await.unwrap().len(),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            server
                .store
                .conversation("1001", "2001")
                .await
                .unwrap()
                .unwrap()
                .unread_count,
            1
        );
        assert_eq!(
            metric(&server, "fenestra_webhook_events_duplicate_total").await,
            1.0
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn two_events_for_one_customer_in_reverse_order() {
    for db in testing::all().await {
        let server = start(&db).await;
        assert_eq!(
            post_signed(
                &server,
                &text_message("2001", "m.2", "second", 1_700_000_060_000)
            )
            .await,
            200
        );
        drained(&server).await;
        assert_eq!(
            post_signed(
                &server,
                &text_message("2001", "m.1", "first", 1_700_000_000_000)
            )
            .await,
            200
        );
        drained(&server).await;
        let thread = server.store.messages("1001", "2001").await.unwrap();
        assert_eq!(
            thread
                .iter()
                .map(|m| m.text.as_deref().unwrap())
                .collect::<Vec<_>>(),
            ["first", "second"]
        );
        let conv = server
            .store
            .conversation("1001", "2001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            conv.last_message_text.as_deref(),
            Some("second"),
            "{}",
            db.label
        );
        let contact = server.store.contact("1001", "2001").await.unwrap().unwrap();
        assert_eq!(
            contact.last_interaction_at,
            Some(store::Time::from_ms(1_700_000_060_000))
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn database_unavailable_answers_503_and_writes_nothing() {
    for db in testing::all().await {
        let server = start(&db).await;
        let before = server.store.queue_stats().await.unwrap();
        // A second handle on the same database, to look after the server's pool is gone.
        let observer = store::connect(&db.url).await.unwrap();
        server.store.close().await;
        let body = text_message("2001", "m.1", "hi", 1_700_000_000_000);
        let (status, text) = post(&server, &body, Some(sign(SECRET.as_bytes(), &body))).await;
        assert_eq!(status, 503, "{}: {text}", db.label);
        assert!(
            text.contains("the database did not store the body"),
            "{text}"
        );
        let health = reqwest::get(format!("{}/healthz", server.url()))
            .await
            .unwrap();
        assert_eq!(health.status().as_u16(), 503);
        assert_eq!(observer.queue_stats().await.unwrap(), before);
        assert_eq!(
            metric(
                &server,
                "fenestra_webhooks_rejected_total{reason=\"store_unavailable\"}"
            )
            .await,
            1.0
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_crash_between_storing_and_processing_loses_nothing() {
    for db in testing::all().await {
        // First process: stores and acknowledges, but dies before processing anything.
        let mut cfg = config(&db);
        cfg.process = false;
        let first = web::start(cfg).await.unwrap();
        for i in 0..20 {
            let body = text_message(
                &format!("c{i}"),
                &format!("m.{i}"),
                "hi",
                1_700_000_000_000 + i,
            );
            assert_eq!(post_signed(&first, &body).await, 200);
        }
        // A crashed worker also left one body claimed, with a lease.
        first
            .store
            .claim_webhooks(
                "crashed-worker",
                1,
                store::Time::now(),
                std::time::Duration::from_millis(300),
            )
            .await
            .unwrap();
        drop(first); // no graceful shutdown: the tasks are simply gone with the runtime later

        // Restart on the same database with a short lease: everything gets processed.
        let mut cfg = config(&db);
        cfg.lease = Duration::from_millis(300);
        let second = web::start(cfg).await.unwrap();
        // The crashed worker's claim runs out after 300 ms; `drained` waits for that body too.
        let q = drained(&second).await;
        assert_eq!((q.processed, q.quarantined), (20, 0), "{}", db.label);
        for i in 0..20 {
            assert_eq!(
                second
                    .store
                    .messages("1001", &format!("c{i}"))
                    .await
                    .unwrap()
                    .len(),
                1
            );
        }
        second.shutdown().await;
    }
}

#[tokio::test]
async fn every_shared_fixture_is_stored_and_processed_or_quarantined() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../messenger/tests/fixtures/webhooks");
    for db in testing::all().await {
        let server = start(&db).await;
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let body = std::fs::read(entry.unwrap().path()).unwrap();
            assert_eq!(post_signed(&server, &body).await, 200);
            n += 1;
        }
        let q = drained(&server).await;
        // Only Meta's published, invalid-JSON example is quarantined.
        assert_eq!(
            (q.processed + q.quarantined, q.quarantined),
            (n, 1),
            "{}",
            db.label
        );
        assert_eq!(
            metric(&server, "fenestra_webhooks_received_total").await,
            n as f64
        );
        assert_eq!(metric(&server, "fenestra_webhook_queue_depth").await, 0.0);
        server.shutdown().await;
    }
}
