//! Planning and queuing a broadcast to 1,000,000 recipients (the policy's decision per
//! recipient included, recipients written in batches), while an agent's inbox list is fetched
//! every 100 ms; against the raw `policy::decide` rate measured in the same run on the same
//! machine. Targets: under 20 s for the broadcast, under 100 ms for the list meanwhile.
//!
//! The page's contacts: 10 % wrote within the day (the window), 5 % subscribed to marketing
//! messages, the rest wrote a month ago. The Page is onboarded to marketing messages; the
//! emulator plays Meta for the campaign.
//!
//! Usage: `cargo run --release -p bench-broadcast [RECIPIENTS]` (default 1,000,000).
//! PostgreSQL runs too when `FENESTRA_BENCH_POSTGRES_URL` names a database it may fill.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use engine::broadcast::spec::BroadcastSpec;
use store::testing::SeedContact;
use store::{Role, Time};
use web::ServeConfig;

const PAGE: &str = "1001";
const DAY: i64 = 86_400_000;
const TARGET: Duration = Duration::from_secs(20);
const LIST_TARGET: Duration = Duration::from_millis(100);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let total: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().context("RECIPIENTS must be a number"))
        .transpose()?
        .unwrap_or(1_000_000);
    let rate = raw_decisions_per_second();
    println!("raw policy::decide: {rate:.0} decisions/s on this machine (one core)");
    for db in &store::testing::bench_databases().await {
        run(db.label, &db.url, total, rate).await?;
    }
    Ok(())
}

/// `policy::decide` on a recipient outside the window with a marketing subscription: the
/// planner's usual second call.
fn raw_decisions_per_second() -> f64 {
    let scenario: policy::Scenario = serde_json::from_value(serde_json::json!({
        "now": "2026-12-01T10:00:00Z",
        "page": {"id": PAGE, "marketing_messages": true},
        "contact": {"psid": "1", "interactions": [{"kind": "message", "at": "2026-11-01T10:00:00Z"}],
                    "marketing_subscription": {"token": "t", "status": "active", "region": "VN"}},
        "message": {"sender": "broadcast", "text": "Flash sale tonight", "marketing_token": "t", "promotional": true}
    }))
    .expect("a valid scenario");
    let n = 500_000;
    let started = Instant::now();
    for _ in 0..n {
        std::hint::black_box(policy::decide(std::hint::black_box(&scenario)));
    }
    n as f64 / started.elapsed().as_secs_f64()
}

async fn run(label: &str, url: &str, total: usize, raw_rate: f64) -> anyhow::Result<()> {
    let emu_addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut ecfg = emulator::Config::new(emu_addr);
    ecfg.page_token = "PAGE_TOKEN".into();
    let emu = emulator::start(ecfg).await?;
    let mut cfg = ServeConfig::new(
        "127.0.0.1:0",
        url,
        Some("bench".into()),
        Some("bench".into()),
        &format!("{}/v27.0", emu.url()),
        Some(PAGE.into()),
        Some("PAGE_TOKEN".into()),
    )?;
    cfg.deliver = false;
    let server = web::start(cfg).await?;
    let store = server.store.clone();
    engine::accounts::add_user(store.as_ref(), "bench", "a long passphrase", Role::Admin).await?;
    let mut marketing = store::MarketingSetup::new(PAGE);
    marketing.ad_account_id = Some("5550001".into());
    store.set_marketing_setup(&marketing, Time::now()).await?;
    let now = Time::now();
    let started = Instant::now();
    seed(url, total, now).await?;
    store.optimize().await?;
    println!(
        "{label}: seeded {total} contacts in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let cookie = log_in(&server.url()).await?;
    // The list at rest: the baseline the list during the broadcast is compared with.
    let client = reqwest::Client::new();
    let mut rest = vec![];
    for _ in 0..15 {
        let t = Instant::now();
        let r = client
            .get(format!("{}/", server.url()))
            .header("cookie", &cookie)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "GET / answered {}", r.status());
        rest.push(t.elapsed());
    }
    rest.sort();
    let at_rest = rest[rest.len() / 2];
    let spec = BroadcastSpec::from_value(
        serde_json::json!({"text": "Flash sale tonight: 50% off!", "name": "bench"}),
    )?;

    let planned = Instant::now();
    let plan = server.engine.plan_broadcast(PAGE, &spec).await?;
    let dry = planned.elapsed();

    // The list an agent has open, fetched every 100 ms while the broadcast is planned and queued.
    let stop = Arc::new(AtomicBool::new(false));
    let poller = {
        let (stop, base, cookie) = (stop.clone(), server.url(), cookie.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut times = vec![];
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let ok = client
                    .get(format!("{base}/"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok {
                    times.push(t.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            times
        })
    };
    let sent = Instant::now();
    let (id, outcome) = server.engine.send_broadcast(PAGE, &spec, "bench").await?;
    let queued = sent.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut list = poller.await?;
    list.sort();

    let s = &outcome.summary;
    let per_second = s.recipients as f64 / queued.as_secs_f64();
    let verdict = if queued < TARGET { "under" } else { "OVER" };
    println!(
        "{label}: broadcast {id} to {} recipients planned and queued in {:.1} s ({verdict} the 20 s target): \
         {per_second:.0} recipients/s, {:.2} of the raw decision rate",
        s.recipients,
        queued.as_secs_f64(),
        per_second / raw_rate
    );
    println!(
        "{label}:   paths {:?}; skipped {:?}; the dry run alone took {:.1} s",
        s.paths,
        s.skipped,
        dry.as_secs_f64()
    );
    anyhow::ensure!(
        plan.summary == outcome.summary,
        "the dry run and the send planned differently"
    );
    if let (Some(median), Some(worst)) = (list.get(list.len() / 2), list.last()) {
        let p95 = list[(list.len() * 95 / 100).min(list.len() - 1)];
        let verdict = if p95 < LIST_TARGET { "under" } else { "OVER" };
        println!(
            "{label}:   the inbox list meanwhile ({} fetches): median {} ms, 95th percentile {} ms ({verdict} the 100 ms target), worst {} ms; \
             at rest {} ms: ratio {:.2}",
            list.len(),
            ms(*median),
            ms(p95),
            ms(*worst),
            ms(at_rest),
            median.as_secs_f64() / at_rest.as_secs_f64().max(1e-9)
        );
    }
    // What the broadcast's page and the releaser count, with every recipient still waiting.
    let counted = Instant::now();
    let tally = store.tally(id).await?;
    println!(
        "{label}:   counting its results (what its page shows): {} ms ({} waiting)",
        ms(counted.elapsed()),
        tally.planned
    );
    server.shutdown().await;
    emu.shutdown().await;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn psid(i: usize) -> String {
    format!("{}", 7_000_000_000_000_000u64 + i as u64)
}

/// `total` contacts with a conversation each: every 10th wrote within the day, the rest a
/// month ago; every 20th subscribed to marketing messages (from Vietnam).
async fn seed(url: &str, total: usize, now: Time) -> anyhow::Result<()> {
    let contacts: Vec<SeedContact> = (0..total)
        .map(|i| {
            let at = if i % 10 == 0 {
                now.ms() - 3_600_000
            } else {
                now.ms() - 30 * DAY
            } + (i % 1000) as i64;
            SeedContact {
                psid: psid(i),
                last_interaction_at: at,
                token: (i % 20 == 1).then(|| format!("mm-{i}")),
            }
        })
        .collect();
    store::testing::seed_contacts(url, PAGE, &contacts).await?;
    Ok(())
}

async fn log_in(base: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let r = client
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=bench&password=a+long+passphrase")
        .send()
        .await?;
    let cookie = r
        .headers()
        .get("set-cookie")
        .context("logging in set no cookie")?
        .to_str()?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}
