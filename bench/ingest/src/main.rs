//! Bounded load generator for `fenestra serve`'s webhook ingest, on 127.0.0.1 only.
//!
//! `bench-ingest load --url http://127.0.0.1:8080 --secret S [--path /webhook]
//!  [--events-per-post 1|10] [--requests N] [--concurrency C] [--max-seconds T]` sends webhook
//! POSTs signed as Meta signs them (`X-Hub-Signature-256`, and the legacy SHA-1
//! `X-Hub-Signature` that older frameworks check) and prints one result line: posts/s,
//! events/s, p50 and p99 latency of the 200.
//!
//! `bench-ingest sink --listen 127.0.0.1:PORT` answers every POST with 200 after reading the
//! body and storing nothing: the ceiling of this generator and HTTP on this machine, the
//! baseline `run.sh` divides by.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn num(args: &[String], name: &str, default: u64) -> anyhow::Result<u64> {
    arg(args, name)
        .map(|v| v.parse().with_context(|| format!("{name} {v}")))
        .unwrap_or(Ok(default))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("load") => load(&args).await,
        Some("sink") => sink(arg(&args, "--listen").context("--listen ADDR")?.parse()?).await,
        _ => bail!(
            "usage: bench-ingest load --url URL --secret S [--path /webhook] [--events-per-post N] [--requests N] [--concurrency C] [--max-seconds T]\n       bench-ingest sink --listen 127.0.0.1:PORT"
        ),
    }
}

async fn sink(addr: SocketAddr) -> anyhow::Result<()> {
    let app = axum::Router::new().route(
        "/webhook",
        axum::routing::post(|_body: axum::body::Bytes| async { "EVENT_RECEIVED" }),
    );
    axum::serve(tokio::net::TcpListener::bind(addr).await?, app).await?;
    Ok(())
}

fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn legacy_signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A webhook body with `events` text messages, each with a unique mid.
fn body(seq: u64, events: u64) -> Vec<u8> {
    let ts = 1_790_000_000_000 + seq;
    let items: Vec<String> = (0..events)
        .map(|e| {
            format!(
                r#"{{"sender":{{"id":"{}"}},"recipient":{{"id":"1001"}},"timestamp":{ts},"message":{{"mid":"m_bench_{seq}_{e}","text":"Xin chào shop, còn hàng size M không ạ? Cảm ơn!"}}}}"#,
                20_000 + (seq * events + e) % 5_000
            )
        })
        .collect();
    format!(
        r#"{{"object":"page","entry":[{{"id":"1001","time":{ts},"messaging":[{}]}}]}}"#,
        items.join(",")
    )
    .into_bytes()
}

async fn load(args: &[String]) -> anyhow::Result<()> {
    let path = arg(args, "--path").unwrap_or_else(|| "/webhook".into());
    let url = format!("{}{path}", arg(args, "--url").context("--url")?);
    if !(url.starts_with("http://127.") || url.starts_with("http://localhost")) {
        bail!("refusing to load anything but 127.0.0.1 / localhost: {url}");
    }
    let secret = arg(args, "--secret").unwrap_or_default();
    let per_post = num(args, "--events-per-post", 1)?;
    let requests = num(args, "--requests", 20_000)?;
    let concurrency = num(args, "--concurrency", 64)?;
    let max = Duration::from_secs(num(args, "--max-seconds", 60)?);

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency as usize)
        .build()?;
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, secret, next, failures) = (
            client.clone(),
            url.clone(),
            secret.clone(),
            next.clone(),
            failures.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let seq = next.fetch_add(1, Relaxed);
                if seq >= requests || started.elapsed() > max {
                    break latencies;
                }
                let body = body(seq, per_post);
                let sig = signature(secret.as_bytes(), &body);
                let legacy = legacy_signature(secret.as_bytes(), &body);
                let t = Instant::now();
                let ok = client
                    .post(&url)
                    .header("X-Hub-Signature-256", sig)
                    .header("X-Hub-Signature", legacy)
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().as_u16() == 200);
                latencies.push(t.elapsed());
                if !ok {
                    failures.fetch_add(1, Relaxed);
                }
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let posts = all.len() as f64;
    println!(
        "posts={} failed={} seconds={:.2} posts_per_s={:.0} events_per_s={:.0} p50_ms={:.2} p99_ms={:.2}",
        all.len(),
        failures.load(Relaxed),
        elapsed,
        posts / elapsed,
        posts * per_post as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
    if failures.load(Relaxed) > 0 {
        bail!("{} posts were not answered 200", failures.load(Relaxed));
    }
    Ok(())
}
