//! Outbound throughput: how fast queued messages leave through the delivery worker to the
//! emulator (rate limit off), against the peer of the same number of raw Send API calls made
//! directly with the same concurrency, no database and no policy, in the same run.
//!
//! Usage: `cargo run --release -p bench-delivery [MESSAGES]` (default 10,000). PostgreSQL runs
//! too when `FENESTRA_BENCH_POSTGRES_URL` names a database it may fill.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use emulator::client::ControlClient;
use engine::delivery::{Delivery, DeliveryConfig};
use engine::outbox::{Actor, Draft};
use engine::worker::Supervisor;
use messenger::GraphClient;
use messenger::send::{OutgoingMessage, Recipient, SendRequest};
use store::Store;
use web::ServeConfig;

const CUSTOMERS: usize = 1_000;
const CONCURRENCY: usize = 32;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let messages: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().context("MESSAGES must be a number"))
        .transpose()?
        .unwrap_or(10_000);
    let databases = store::testing::bench_databases().await;
    println!(
        "{messages} messages to {CUSTOMERS} customers, batches of {CONCURRENCY}, rate limit off; \
         echoes and delivery receipts flow back through the server's webhook as at Meta"
    );
    for db in &databases {
        run(db.label, &db.url, messages).await?;
    }
    Ok(())
}

async fn run(label: &str, url: &str, messages: usize) -> anyhow::Result<()> {
    let emu_addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let graph_url = format!("http://{emu_addr}/v27.0");
    let mut cfg = ServeConfig::new(
        "127.0.0.1:0",
        url,
        Some("bench".into()),
        Some("bench".into()),
        &graph_url,
        Some("1001".into()),
        Some("PAGE_TOKEN".into()),
    )?;
    // This process's worker is started by hand below, once everything is queued.
    cfg.deliver = false;
    let server = web::start(cfg).await?;
    let store = server.store.clone();
    let engine = server.engine.clone();
    let emu = emulator::start(emulator::Config {
        webhook_url: Some(format!("{}/webhook", server.url())),
        app_secret: "bench".into(),
        verify_token: "bench".into(),
        ..emulator::Config::new(emu_addr)
    })
    .await?;
    let ctl = ControlClient::new(&emu.url());
    let mut customers = Vec::with_capacity(CUSTOMERS);
    for i in 0..CUSTOMERS {
        let psid = ctl.customer(&format!("B{i}"), "Tran", "vi_VN").await?;
        ctl.say(&psid, "hi").await?;
        customers.push(psid);
    }
    ctl.webhooks_delivered(Duration::from_secs(30)).await?;
    for psid in &customers {
        while store.contact("1001", psid).await?.is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    // Peer: the same number of Send API calls, straight to the emulator.
    let graph = GraphClient::new(&graph_url, Duration::from_secs(20));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..CONCURRENCY {
        let (graph, customers) = (graph.clone(), customers.clone());
        tasks.spawn(async move {
            for i in (worker..messages).step_by(CONCURRENCY) {
                let req = SendRequest {
                    recipient: Recipient::Id(customers[i % CUSTOMERS].clone()),
                    messaging_type: Some(messenger::MessagingType::Response),
                    tag: None,
                    message: Some(OutgoingMessage {
                        text: Some(format!("raw {i}")),
                        ..OutgoingMessage::default()
                    }),
                    sender_action: None,
                    notification_type: None,
                    persona_id: None,
                };
                graph.send("PAGE_TOKEN", &req).await.expect("raw send");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let raw = messages as f64 / started.elapsed().as_secs_f64();

    // Queue: policy decision, audit entry and outbox row per message.
    let started = Instant::now();
    for i in 0..messages {
        let draft = Draft::text(
            "1001",
            &customers[i % CUSTOMERS],
            Actor::Agent("bench".into()),
            &format!("Your order {i} is ready for pickup at the shop."),
        );
        let s = engine.submit(&draft).await?;
        anyhow::ensure!(s.allowed(), "refused: {:?}", s.decision);
        if (i + 1) % 2_500 == 0 {
            eprintln!("  {label}: queued {}/{messages}", i + 1);
        }
    }
    let queue_secs = started.elapsed().as_secs_f64();

    // Drain with a worker that had nothing to do until now.
    if std::env::var_os("BENCH_NO_WEBHOOKS").is_some() {
        // Diagnostic: stop echo and delivery webhooks reaching the server during the drain.
        ctl.post("/faults", serde_json::json!({"webhook_drop_rate": 1.0}))
            .await?;
    }
    let config = DeliveryConfig {
        concurrency: CONCURRENCY,
        rate_per_page: None,
        ..DeliveryConfig::default()
    };
    let delivery = Arc::new(Delivery::new(
        engine.clone(),
        config.clone(),
        "bench".into(),
    ));
    let mut workers = Supervisor::default();
    let started = Instant::now();
    for _ in 0..config.pipelines {
        workers.spawn_worker(delivery.clone(), delivery.pace());
    }
    loop {
        let unfinished = unfinished(store.as_ref()).await?;
        if unfinished == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drain_secs = started.elapsed().as_secs_f64();
    workers.shutdown(Duration::from_secs(10)).await;
    // Exactly once: each queued message reached the emulator once (by its metadata).
    let mut accepted = std::collections::HashMap::<String, usize>::new();
    for send in ctl.sends().await? {
        if send["outcome"] == "accepted"
            && let Some(m) = send["metadata"].as_str()
        {
            *accepted.entry(m.to_owned()).or_default() += 1;
        }
    }
    anyhow::ensure!(
        accepted.len() == messages && accepted.values().all(|&n| n == 1),
        "{} messages accepted, some more than once: not exactly once",
        accepted.len()
    );
    // The echoes and receipts (two webhook events per message) wait for processing, which
    // lets sends and webhook ingest write first.
    if std::env::var_os("BENCH_NO_WEBHOOKS").is_none() {
        ctl.webhooks_delivered(Duration::from_secs(120)).await?;
        while store.queue_stats().await?.pending > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let settled_secs = started.elapsed().as_secs_f64();
    let rate = messages as f64 / drain_secs;
    println!(
        "{label:<9} queue {messages} (decide + audit + enqueue): {queue_secs:.2} s ({:.0}/s) | \
         drain {messages}: {drain_secs:.2} s = {rate:.0} messages/s, each sent once | raw Send API peer {raw:.0}/s | \
         {:.2}x the peer | echoes and receipts processed {settled_secs:.2} s after the drain began",
        messages as f64 / queue_secs,
        rate / raw
    );
    emu.shutdown().await;
    server.shutdown().await;
    Ok(())
}

async fn unfinished(store: &dyn Store) -> anyhow::Result<i64> {
    Ok(store
        .outbox_counts()
        .await?
        .iter()
        .filter(|(s, _)| s.unfinished())
        .map(|(_, n)| n)
        .sum())
}
