//! Fresh databases for tests: a SQLite file in a temp dir always, and a new PostgreSQL database
//! when `FENESTRA_TEST_POSTGRES_URL` names a server (scripts/test starts a throwaway cluster and
//! sets it). With `FENESTRA_REQUIRE_POSTGRES=1` a missing server is an error, not a silent skip.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor, PgConnection};

/// A database for one test; the temp dir (SQLite) lives as long as this.
pub struct TestDb {
    pub label: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("FENESTRA_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("FENESTRA_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!(
            "FENESTRA_REQUIRE_POSTGRES=1 but FENESTRA_TEST_POSTGRES_URL is not set: run the tests through scripts/test"
        );
    }
    url
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("fenestra.db").display());
    TestDb {
        label: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// A new, empty database on the test server.
pub async fn postgres(admin_url: &str) -> TestDb {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "fenestra_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("connect to the test PostgreSQL server");
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    TestDb {
        label: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    }
}

/// For benchmarks: a fresh SQLite database, plus a fresh PostgreSQL one when
/// `FENESTRA_BENCH_POSTGRES_URL` names a server it may fill (a store full of earlier runs would
/// measure something else).
pub async fn bench_databases() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    if let Ok(admin) = std::env::var("FENESTRA_BENCH_POSTGRES_URL") {
        dbs.push(postgres(&admin).await);
    }
    dbs
}

/// One SQLite database, plus one PostgreSQL database when a server is configured.
pub async fn all() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    if let Some(admin) = postgres_admin_url() {
        dbs.push(postgres(&admin).await);
    }
    dbs
}

/// A customer's text message to page 1001, as the processor would normalize it.
/// `at` in milliseconds.
pub fn message(psid: &str, mid: &str, text: &str, at: i64) -> crate::NormalizedEvent {
    crate::NormalizedEvent {
        page_id: "1001".into(),
        event_key: format!("mid:{mid}"),
        kind: "message".into(),
        psid: Some(psid.into()),
        at: t(at),
        interaction: Some("message"),
        opens_window: true,
        thread: None,
        source: None,
        summary: None,
        detail: None,
        effect: crate::Effect::Message(crate::NewMessage {
            mid: mid.into(),
            direction: crate::Direction::In,
            text: Some(text.into()),
            attachments: None,
            quick_reply_payload: None,
            reply_to_mid: None,
            app_id: None,
            metadata: None,
        }),
    }
}

/// The Page's answer to `psid` as Meta's inbox sends it (an echo no Fenestra actor sent).
pub fn echo(psid: &str, mid: &str, text: &str, at: i64) -> crate::NormalizedEvent {
    let mut e = message(psid, mid, text, at);
    e.kind = "message_echo".into();
    e.interaction = None;
    e.opens_window = false;
    if let crate::Effect::Message(m) = &mut e.effect {
        m.direction = crate::Direction::Out;
        m.app_id = Some("263902037430900".into());
    }
    e
}

/// `Time` from milliseconds, for tests that count in them.
pub fn t(ms: i64) -> crate::Time {
    crate::Time::from_ms(ms)
}

/// A duration of `n` milliseconds.
pub fn ms(n: i64) -> std::time::Duration {
    std::time::Duration::from_millis(n.max(0) as u64)
}

/// A customer of page 1001 named `first last` whose one message `text` arrived at `at` (ms),
/// through the webhook path.
pub async fn conversation(
    s: &dyn crate::Store,
    psid: &str,
    (first, last): (&str, &str),
    text: &str,
    at: i64,
) {
    let inbox = s
        .enqueue_webhooks(&[crate::IncomingBody {
            received_at: t(at),
            body: b"{}".to_vec(),
        }])
        .await
        .expect("the inbox takes a body");
    s.complete_webhook(
        inbox[0],
        &[message(psid, &format!("m-{psid}"), text, at)],
        t(at),
    )
    .await
    .expect("the message is applied");
    let profile = crate::Profile {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        ..crate::Profile::default()
    };
    s.save_profile("1001", psid, &profile, t(at))
        .await
        .expect("the profile is saved");
}

/// A contact as benchmarks seed it straight into the tables (no events, no messages).
pub struct SeedContact {
    pub psid: String,
    pub last_interaction_at: i64,
    /// A marketing subscription (`notification_messages` token) from Vietnam.
    pub token: Option<String>,
}

/// Writes contacts (and their subscriptions) into the database at `url` in large batches: a
/// million in seconds, where replaying webhooks would take minutes. Benchmarks only.
pub async fn seed_contacts(
    url: &str,
    page_id: &str,
    contacts: &[SeedContact],
) -> crate::Result<()> {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await?;
        for chunk in contacts.chunks(5_000) {
            let mut tx = pool.begin().await?;
            seed_rows::<sqlx::Postgres>(&mut tx, page_id, chunk).await?;
            tx.commit().await?;
        }
    } else {
        let pool = sqlx::SqlitePool::connect(url).await?;
        for chunk in contacts.chunks(5_000) {
            let mut tx = pool.begin().await?;
            seed_rows::<sqlx::Sqlite>(&mut tx, page_id, chunk).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// A message as benchmarks seed it straight into `messages`.
pub struct SeedMessage {
    pub psid: String,
    pub mid: String,
    pub direction: crate::Direction,
    pub at: i64,
}

/// Writes messages into the database at `url` in large batches, without the rollups the
/// processor keeps (`rebuild_rollups` makes them). Their contacts must be seeded. Benchmarks
/// only.
pub async fn seed_messages(
    url: &str,
    page_id: &str,
    messages: &[SeedMessage],
) -> crate::Result<()> {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await?;
        for chunk in messages.chunks(10_000) {
            let mut tx = pool.begin().await?;
            seed_message_rows::<sqlx::Postgres>(&mut tx, page_id, chunk).await?;
            tx.commit().await?;
        }
    } else {
        let pool = sqlx::SqlitePool::connect(url).await?;
        for chunk in messages.chunks(10_000) {
            let mut tx = pool.begin().await?;
            seed_message_rows::<sqlx::Sqlite>(&mut tx, page_id, chunk).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

async fn seed_message_rows<DB: sqlx::Database>(
    tx: &mut sqlx::Transaction<'_, DB>,
    page_id: &str,
    chunk: &[SeedMessage],
) -> crate::Result<()>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> crate::Direction: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
{
    for rows in chunk.chunks(1_000) {
        let mut q = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO messages (page_id, psid, mid, direction, text, app_id, sent_at) ",
        );
        q.push_values(rows, |mut b, m| {
            let (text, app) = match m.direction {
                crate::Direction::In => ("Còn size M không shop?", ""),
                crate::Direction::Out => ("Dạ còn ạ", "263902037430900"),
            };
            b.push_bind(page_id)
                .push_bind(m.psid.clone())
                .push_bind(m.mid.clone())
                .push_bind(m.direction)
                .push_bind(text)
                .push_bind(app)
                .push_bind(m.at);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn seed_rows<DB: sqlx::Database>(
    tx: &mut sqlx::Transaction<'_, DB>,
    page_id: &str,
    chunk: &[SeedContact],
) -> crate::Result<()>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    DB::Arguments: sqlx::IntoArguments<DB>,
{
    for rows in chunk.chunks(1_000) {
        let mut q = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO contacts (page_id, psid, first_seen_at, last_interaction_at, first_name, locale) ",
        );
        q.push_values(rows, |mut b, c| {
            b.push_bind(page_id)
                .push_bind(c.psid.clone())
                .push_bind(c.last_interaction_at)
                .push_bind(c.last_interaction_at)
                .push_bind("Linh")
                .push_bind("vi_VN");
        });
        q.build().execute(&mut **tx).await?;
        let mut q = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO conversations (page_id, psid, last_activity_at, last_message_at, last_message_text, unread_count) ",
        );
        q.push_values(rows, |mut b, c| {
            b.push_bind(page_id)
                .push_bind(c.psid.clone())
                .push_bind(c.last_interaction_at)
                .push_bind(c.last_interaction_at)
                .push_bind("Còn hàng không shop?")
                .push_bind(1i64);
        });
        q.build().execute(&mut **tx).await?;
        let subscribed: Vec<&SeedContact> = rows.iter().filter(|c| c.token.is_some()).collect();
        if subscribed.is_empty() {
            continue;
        }
        let mut q = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO notification_tokens (token, page_id, psid, topic, issued_at, status, time_zone, region) ",
        );
        q.push_values(subscribed, |mut b, c| {
            b.push_bind(c.token.clone().unwrap_or_default())
                .push_bind(page_id)
                .push_bind(c.psid.clone())
                .push_bind("Deals")
                .push_bind(c.last_interaction_at)
                .push_bind("active")
                .push_bind("Asia/Ho_Chi_Minh")
                .push_bind("VN");
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}
