//! Mutated real webhook bodies (the messenger crate's fixtures) through everything that reads
//! them: the parser and the normalizer (pure, many inputs), then the processor against SQLite
//! and PostgreSQL (fewer, each a database write). Nothing panics, and every body ends either
//! processed or quarantined with its reason (the same ones on both databases): none is lost,
//! none stays queued.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::Engine;
use engine::normalize::normalize;
use engine::processor::Processor;
use store::testing::{self, t};
use store::{IncomingBody, Time};

fn webhooks() -> Vec<Vec<u8>> {
    fuzz::corpus(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../messenger/tests/fixtures/webhooks"),
        "json",
    )
}

#[test]
fn mutated_bodies_parse_and_normalize_without_panics() {
    let corpus = webhooks();
    let report = fuzz::run(
        "parse and normalize",
        &corpus,
        fuzz::iterations(5_000),
        |body| {
            if let Ok(events) = messenger::parse_body(body) {
                for e in &events {
                    let n = normalize(e, Time::from_ms(1_780_000_000_000));
                    let _ = serde_json::to_string(&format!("{n:?}"));
                }
            }
        },
    );
    report.assert_no_panics();
}

#[tokio::test]
async fn mutated_bodies_are_processed_or_quarantined_on_both_databases() {
    let corpus = webhooks();
    let seed = fuzz::seed();
    // 400 in the suite, 4,000 in the documented run of a million.
    let n = (fuzz::iterations(5_000) / 250).max(400);
    let bodies: Vec<IncomingBody> = (0..n)
        .map(|i| IncomingBody {
            received_at: t(i as i64),
            body: fuzz::input(&corpus, seed, i),
        })
        .collect();
    let mut outcomes = Vec::new();
    for db in testing::all().await {
        let store = store::connect(&db.url).await.unwrap();
        store.enqueue_webhooks(&bodies).await.unwrap();
        let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
        let processor = Processor {
            engine: Engine::new(Arc::clone(&store), graph),
            worker: "fuzz".into(),
            lease: Duration::from_millis(20),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            processor.process_batch().await.unwrap();
            let q = store.queue_stats().await.unwrap();
            if q.pending == 0 {
                assert_eq!(q.processed + q.quarantined, n as i64, "{}", db.label);
                assert!(q.processed > 0 && q.quarantined > 0, "{}: {q:?}", db.label);
                eprintln!("{}: {n} mutated bodies, {q:?}", db.label);
                outcomes.push((db.label, q.processed));
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{}: bodies stay queued: {q:?}",
                db.label
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
    // What one database stores, the other does too (a NUL in a text once split them).
    assert!(
        outcomes.windows(2).all(|w| w[0].1 == w[1].1),
        "{outcomes:?}"
    );
}
