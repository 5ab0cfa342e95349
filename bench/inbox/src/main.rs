//! The inbox's conversation list with 100,000 conversations in the store: the time to render
//! the page an agent opens (`GET /`, through HTTP, with its session) and the store query behind
//! it, for the unfiltered list and each filter. The baseline is the same list over 1,000
//! conversations, measured in the same run before the store grows: the ratio shows what the
//! hundredfold growth costs. The target is < 100 ms for the page.
//!
//! Usage: `cargo run --release -p bench-inbox [CONVERSATIONS]` (default 100,000). PostgreSQL
//! runs too when `FENESTRA_BENCH_POSTGRES_URL` names a database it may fill.

use std::time::{Duration, Instant};

use anyhow::Context;
use store::{
    AssigneeFilter, ConversationFilter, ConversationStatus, IncomingBody, ProcessedBody, Profile,
    Role, Store, Time,
};
use web::ServeConfig;

const BASELINE: usize = 1_000;
const RUNS: usize = 21;
const TARGET: Duration = Duration::from_millis(100);
const PAGE: &str = "1001";
const DAY: i64 = 86_400_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let total: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().context("CONVERSATIONS must be a number"))
        .transpose()?
        .unwrap_or(100_000);
    let databases = store::testing::bench_databases().await;
    println!(
        "the conversation list (200 shown), median of {RUNS} runs; baseline = {BASELINE} conversations"
    );
    for db in &databases {
        run(db.label, &db.url, total).await?;
    }
    Ok(())
}

struct Timings {
    page: Duration,
    filters: Vec<(&'static str, Duration)>,
}

async fn run(label: &str, url: &str, total: usize) -> anyhow::Result<()> {
    let mut cfg = ServeConfig::new(
        "127.0.0.1:0",
        url,
        Some("bench".into()),
        Some("bench".into()),
        "http://127.0.0.1:9/v27.0",
        Some(PAGE.into()),
        Some("PAGE_TOKEN".into()),
    )?;
    cfg.deliver = false;
    let server = web::start(cfg).await?;
    let store = server.store.clone();
    engine::accounts::add_user(store.as_ref(), "bench", "a long passphrase", Role::Agent).await?;
    let me = store.user("bench").await?.context("the user just added")?;
    let cookie = log_in(&server.url()).await?;
    let now = Time::now();

    seed(store.as_ref(), 0, BASELINE, now, me.id).await?;
    let base = measure(store.as_ref(), &server.url(), &cookie, me.id, now).await?;
    let started = Instant::now();
    seed(store.as_ref(), BASELINE, total, now, me.id).await?;
    println!(
        "{label}: seeded {total} conversations in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // As the hourly maintenance (or PostgreSQL's autovacuum) would have by now.
    store.optimize().await?;
    let full = measure(store.as_ref(), &server.url(), &cookie, me.id, now).await?;

    let verdict = if full.page < TARGET { "under" } else { "OVER" };
    println!(
        "{label}: GET / renders in {} ms with {total} conversations ({verdict} the 100 ms target); \
         {} ms with {BASELINE}: ratio {:.2}",
        ms(full.page),
        ms(base.page),
        ratio(full.page, base.page)
    );
    for ((name, at_full), (_, at_base)) in full.filters.iter().zip(&base.filters) {
        println!(
            "{label}:   query {name:<28} {:>8} ms ({:>6} ms at {BASELINE}, ratio {:.2})",
            ms(*at_full),
            ms(*at_base),
            ratio(*at_full, *at_base)
        );
    }
    server.shutdown().await;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Conversations `from..to`: one message each, newest last; every 100th assigned to the
/// bench user and labelled `vip`, every 10th in the last day (window open), a few closed.
async fn seed(s: &dyn Store, from: usize, to: usize, now: Time, me: i64) -> anyhow::Result<()> {
    let inbox = s
        .enqueue_webhooks(&[IncomingBody {
            received_at: now,
            body: b"{}".to_vec(),
        }])
        .await?[0];
    for chunk in (from..to).collect::<Vec<_>>().chunks(1_000) {
        let events = chunk
            .iter()
            .map(|&i| {
                let at = if i % 10 == 0 {
                    now.ms() - 3_600_000
                } else {
                    now.ms() - 30 * DAY
                } + i as i64;
                store::testing::message(
                    &psid(i),
                    &format!("m{i}"),
                    &format!("Do you ship order {i} to Đà Nẵng?"),
                    at,
                )
            })
            .collect();
        s.complete_webhooks(
            &[ProcessedBody {
                inbox_id: inbox,
                events,
            }],
            now,
        )
        .await?;
    }
    for i in (from..to).filter(|i| i % 100 == 0) {
        let p = psid(i);
        s.assign(PAGE, &p, Some(me)).await?;
        s.add_label(PAGE, &p, "vip").await?;
        s.set_status(PAGE, &p, ConversationStatus::Closed).await?;
        let profile = Profile {
            first_name: Some(format!("Linh{i}")),
            last_name: Some("Nguyễn".into()),
            ..Profile::default()
        };
        s.save_profile(PAGE, &p, &profile, now).await?;
    }
    Ok(())
}

fn psid(i: usize) -> String {
    format!("{}", 7_000_000_000_000_000u64 + i as u64)
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

async fn measure(
    s: &dyn Store,
    base: &str,
    cookie: &str,
    me: i64,
    now: Time,
) -> anyhow::Result<Timings> {
    let client = reqwest::Client::new();
    let page = median(|| async {
        let r = client
            .get(format!("{base}/"))
            .header("cookie", cookie)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "GET / answered {}", r.status());
        let html = r.text().await?;
        anyhow::ensure!(html.contains("conversation"), "GET / rendered no list");
        Ok(())
    })
    .await?;
    let filters: [(&str, ConversationFilter); 8] = [
        ("all", ConversationFilter::default()),
        (
            "mine",
            ConversationFilter {
                assignee: AssigneeFilter::User(me),
                ..Default::default()
            },
        ),
        (
            "unassigned",
            ConversationFilter {
                assignee: AssigneeFilter::Unassigned,
                ..Default::default()
            },
        ),
        (
            "open",
            ConversationFilter {
                status: Some(ConversationStatus::Open),
                ..Default::default()
            },
        ),
        (
            "label vip",
            ConversationFilter {
                label: Some("vip".into()),
                ..Default::default()
            },
        ),
        (
            "window open",
            ConversationFilter {
                window_open: Some(true),
                ..Default::default()
            },
        ),
        (
            "search text \"order 42 \"",
            ConversationFilter {
                search: Some("order 42 ".into()),
                ..Default::default()
            },
        ),
        (
            "search name \"LINH900\"",
            ConversationFilter {
                search: Some("LINH900".into()),
                ..Default::default()
            },
        ),
    ];
    let mut timed = vec![];
    for (name, f) in filters {
        let f = ConversationFilter { now, ..f };
        let t = median(|| async {
            s.conversation_list(&f, 200).await?;
            Ok(())
        })
        .await?;
        timed.push((name, t));
    }
    Ok(Timings {
        page,
        filters: timed,
    })
}
