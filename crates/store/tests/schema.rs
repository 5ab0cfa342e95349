//! The two migration folders describe one schema: every table and column exists on both.

use std::collections::BTreeSet;

use sqlx::{Connection, PgConnection, SqliteConnection};
use store::testing;

/// SQLite's full-text index and its shadow tables have no PostgreSQL twin (pg_trgm indexes the
/// column itself); sqlx's bookkeeping is not ours.
fn ours(table: &str) -> bool {
    !table.starts_with("messages_search")
        && !table.starts_with("_sqlx")
        && !table.starts_with("sqlite_")
}

async fn sqlite_columns(url: &str) -> BTreeSet<(String, String)> {
    let mut conn = SqliteConnection::connect(url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    rows.into_iter().filter(|(t, _)| ours(t)).collect()
}

async fn postgres_columns(url: &str) -> BTreeSet<(String, String)> {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    rows.into_iter().filter(|(t, _)| ours(t)).collect()
}

#[tokio::test]
async fn both_migration_folders_make_the_same_tables_and_columns() {
    let Some(admin) = testing::postgres_admin_url() else {
        eprintln!("no PostgreSQL server (FENESTRA_TEST_POSTGRES_URL): comparing nothing");
        return;
    };
    let lite = testing::sqlite().await;
    let pg = testing::postgres(&admin).await;
    store::connect(&lite.url).await.unwrap();
    store::connect(&pg.url).await.unwrap();
    let (a, b) = (
        sqlite_columns(&lite.url).await,
        postgres_columns(&pg.url).await,
    );
    assert!(a.len() > 50, "only {} SQLite columns", a.len());
    let only_sqlite: Vec<_> = a.difference(&b).collect();
    let only_postgres: Vec<_> = b.difference(&a).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}

/// Rows of `sqlite_stat1` describing `table`.
async fn statistics_of(url: &str, table: &str) -> i64 {
    let mut conn = SqliteConnection::connect(url).await.unwrap();
    let kept: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            .fetch_optional(&mut conn)
            .await
            .unwrap();
    if kept.is_none() {
        return 0;
    }
    sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = $1")
        .bind(table)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Statistics taken of a near-empty database misled SQLite's planner as the tables grew (it
/// scanned 90,000 messages to update 50 by id): opening the store forgets those of small
/// tables, and refreshing them analyzes big tables only.
#[tokio::test]
async fn small_tables_keep_no_planner_statistics() {
    let db = testing::sqlite().await;
    let store = store::connect(&db.url).await.unwrap();
    let ids = store
        .enqueue_webhooks(&[store::IncomingBody {
            received_at: testing::t(1),
            body: b"{}".to_vec(),
        }])
        .await
        .unwrap();
    let hello = testing::message("2001", "m.1", "hello", 1_000);
    store
        .complete_webhook(ids[0], &[hello], testing::t(2))
        .await
        .unwrap();
    store.close().await;
    // An earlier version analyzed everything, small or not.
    let mut conn = SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    assert!(statistics_of(&db.url, "messages").await > 0);

    let store = store::connect(&db.url).await.unwrap();
    assert_eq!(statistics_of(&db.url, "messages").await, 0);
    let contacts: Vec<testing::SeedContact> = (0..12_000)
        .map(|i| testing::SeedContact {
            psid: format!("p{i}"),
            last_interaction_at: 1_000,
            token: None,
        })
        .collect();
    testing::seed_contacts(&db.url, "1001", &contacts)
        .await
        .unwrap();
    store.optimize().await.unwrap();
    assert!(
        statistics_of(&db.url, "contacts").await > 0,
        "a big table is analyzed"
    );
    assert_eq!(
        statistics_of(&db.url, "messages").await,
        0,
        "a small one is not"
    );
    store.close().await;
}
