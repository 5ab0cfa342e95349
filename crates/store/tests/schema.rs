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
