//! The Analytics dashboard over 90 days with 1,000,000 messages in the store: what the page
//! reads (responsiveness, activity and outcomes, for the range and the period before it) from
//! the rollups, against the raw query they replaced (every message of the range read and
//! replayed, for responsiveness alone), in the same run. The target is < 200 ms for the
//! dashboard.
//!
//! The store is filled straight into its tables: 50,000 customers over 180 days, each visit one
//! or two messages and, nine times in ten, the Page's answer after 20 seconds to a day. The
//! rollups are then rebuilt as `fenestra analytics rebuild` does (timed), and the reads are
//! timed, median of 11. The rollups and the raw query must agree before their times count.
//!
//! Usage: `cargo run --release -p bench-analytics [MESSAGES]` (default 1,000,000). PostgreSQL
//! runs too when `FENESTRA_BENCH_POSTGRES_URL` names a server it may create a database on.

use std::time::{Duration, Instant};

use anyhow::Context;
use engine::Engine;
use engine::analytics::activity::Detail;
use engine::analytics::responsiveness::{self, Author, Said};
use store::histogram::Histogram;
use store::testing::{SeedContact, SeedMessage};
use store::{Direction, Store, Time};

const PAGE: &str = "1001";
const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;
const SPAN_DAYS: i64 = 180;
const RANGE_DAYS: i64 = 90;
const RUNS: usize = 11;
const TARGET: Duration = Duration::from_millis(200);
/// Messages per customer, on average.
const PER_CUSTOMER: usize = 20;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let total: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().context("MESSAGES must be a number"))
        .transpose()?
        .unwrap_or(1_000_000);
    println!(
        "the Analytics dashboard over {RANGE_DAYS} days, median of {RUNS} runs; baseline = the raw query"
    );
    for db in store::testing::bench_databases().await {
        run(db.label, &db.url, total).await?;
    }
    Ok(())
}

async fn run(label: &str, url: &str, total: usize) -> anyhow::Result<()> {
    let store = store::connect(url).await?;
    let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
    let engine = Engine::new(store.clone(), graph);
    let now = Time::now().ms();

    let started = Instant::now();
    let seeded = seed(url, total, now).await?;
    println!(
        "{label}: wrote {seeded} messages in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let conversations = store.rebuild_rollups(PAGE).await?;
    let counted = started.elapsed().as_secs_f64();
    let folded = engine.fold_all_answers(PAGE, |_| {}).await?;
    anyhow::ensure!(
        folded as u64 == conversations,
        "{folded} of {conversations} folded"
    );
    println!(
        "{label}: `fenestra analytics rebuild` took {:.1} s: counts {counted:.1} s, then the answers \
         of {folded} conversations ({:.0}/s)",
        started.elapsed().as_secs_f64(),
        folded as f64 / (started.elapsed().as_secs_f64() - counted)
    );
    store.optimize().await?;

    let (from, to) = (Time::from_ms(now - RANGE_DAYS * DAY), Time::from_ms(now));
    // What the page reads: the range and the 90 days before it, side by side.
    let before = Time::from_ms(from.ms() - RANGE_DAYS * DAY);
    let dashboard = median(|| async {
        tokio::try_join!(
            engine.dashboard(PAGE, from, to),
            engine.dashboard_of(PAGE, before, from, Detail::Headline)
        )?;
        Ok(())
    })
    .await?;
    let parts = [
        (
            "responsiveness",
            median(|| async { engine.responsiveness(PAGE, from, to).await.map(|_| ()) }).await?,
        ),
        (
            "activity",
            median(|| async { engine.activity(PAGE, from, to).await.map(|_| ()) }).await?,
        ),
        (
            "outcomes",
            median(|| async { engine.outcomes(PAGE, from, to).await.map(|_| ()) }).await?,
        ),
    ];
    let raw = median(|| async {
        raw_responsiveness(store.as_ref(), from, to).await?;
        Ok(())
    })
    .await?;

    // The two ways agree before their times are compared.
    let fast = engine.responsiveness(PAGE, from, to).await?;
    let (slow, read) = raw_responsiveness(store.as_ref(), from, to).await?;
    anyhow::ensure!(
        fast.team == slow,
        "the rollups and the raw query disagree: {:?} vs {slow:?}",
        fast.team
    );
    let verdict = if dashboard < TARGET { "under" } else { "OVER" };
    println!(
        "{label}: dashboard (responsiveness, activity and outcomes, and the period before's headline) {} ms \
         ({verdict} the 200 ms target); raw query (responsiveness alone, {read} messages read) {} ms: \
         {:.1}x faster",
        ms(dashboard),
        ms(raw),
        raw.as_secs_f64() / dashboard.as_secs_f64().max(1e-9)
    );
    let parts: Vec<String> = parts
        .iter()
        .map(|(name, d)| format!("{name} {} ms", ms(*d)))
        .collect();
    println!("{label}:   one period alone: {}", parts.join(", "));
    println!(
        "{label}:   {} requests, response rate {:?}, median {:?} s, p90 {:?} s",
        fast.team.requests,
        fast.team.response_rate,
        fast.team.median_response_seconds,
        fast.team.p90_response_seconds
    );
    Ok(())
}

/// What the dashboard did before the rollups: every message of the range (and a day either
/// side) read with its actor, each conversation replayed.
async fn raw_responsiveness(
    s: &dyn Store,
    from: Time,
    to: Time,
) -> anyhow::Result<(responsiveness::Figures, usize)> {
    let margin = Duration::from_millis(DAY as u64);
    let rows = s.timeline(PAGE, from - margin, to + margin).await?;
    let said: Vec<Said> = rows
        .iter()
        .map(|r| Said {
            psid: r.psid.clone(),
            at_ms: r.sent_at.ms(),
            author: match r.direction {
                Direction::In => Author::Customer,
                Direction::Out => Author::Page,
            },
        })
        .collect();
    let mut times = Histogram::default();
    let mut n = 0;
    for r in responsiveness::requests(&said) {
        if (from.ms()..to.ms()).contains(&r.at_ms) {
            n += 1;
            if let Some(ms) = r.answered_in_ms {
                times.add(ms / 1000, 1);
            }
        }
    }
    Ok((responsiveness::figures(n, &times), rows.len()))
}

/// Customers' visits spread over the last [`SPAN_DAYS`], written straight into the tables.
async fn seed(url: &str, total: usize, now: i64) -> anyhow::Result<usize> {
    let mut rng = fastrand::Rng::with_seed(90);
    let customers = (total / PER_CUSTOMER).max(1);
    let mut messages = Vec::with_capacity(total + 3);
    let mut first_seen = vec![i64::MAX; customers];
    let mut visit = 0;
    while messages.len() < total {
        let c = visit % customers;
        let psid = psid(c);
        let mut at = now - rng.i64(0..SPAN_DAYS * DAY);
        first_seen[c] = first_seen[c].min(at);
        let mut say = |direction, n: usize, at: i64| {
            messages.push(SeedMessage {
                psid: psid.clone(),
                mid: format!("bench-{visit}-{n}"),
                direction,
                at,
            })
        };
        say(Direction::In, 0, at);
        if rng.bool() {
            at += rng.i64(1..5) * MIN;
            say(Direction::In, 1, at);
        }
        if rng.u8(0..10) > 0 {
            let wait = match rng.u8(0..10) {
                0..=5 => rng.i64(20_000..15 * MIN),
                6..=8 => rng.i64(15 * MIN..4 * 60 * MIN),
                _ => rng.i64(4 * 60 * MIN..30 * 60 * MIN),
            };
            say(Direction::Out, 2, at + wait);
        }
        visit += 1;
    }
    let contacts: Vec<SeedContact> = first_seen
        .iter()
        .enumerate()
        .map(|(c, &at)| SeedContact {
            psid: psid(c),
            last_interaction_at: at,
            token: None,
        })
        .collect();
    store::testing::seed_contacts(url, PAGE, &contacts).await?;
    store::testing::seed_messages(url, PAGE, &messages).await?;
    Ok(messages.len())
}

fn psid(c: usize) -> String {
    format!("{}", 7_100_000_000_000_000u64 + c as u64)
}

async fn median<F, Fut>(mut f: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2])
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}
