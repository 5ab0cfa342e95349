//! What instances sharing a database coordinate through it, on SQLite and PostgreSQL: rates
//! held across connections, failed logins per name, and (PostgreSQL) notifications that reach
//! another connection.

use std::time::{Duration, Instant};

use store::testing::{self, t};

#[tokio::test]
async fn a_rate_is_held_for_everyone_who_shares_the_database() {
    for db in testing::all().await {
        // Two stores on one database stand for two instances.
        let a = store::connect(&db.url).await.unwrap();
        let b = store::connect(&db.url).await.unwrap();
        let every = Duration::from_millis(100);
        // A burst of 3, taken from both sides, then nothing for about a turn.
        assert_eq!(a.take_turn("send:1001", every, 3).await.unwrap(), None);
        assert_eq!(b.take_turn("send:1001", every, 3).await.unwrap(), None);
        assert_eq!(a.take_turn("send:1001", every, 3).await.unwrap(), None);
        let wait = b
            .take_turn("send:1001", every, 3)
            .await
            .unwrap()
            .expect("the burst is spent");
        assert!(wait <= every, "{}: waits {wait:?}", db.url);
        // Another key is not affected.
        assert_eq!(a.take_turn("send:2002", every, 3).await.unwrap(), None);

        // Over a second, both together get the burst plus about one turn per 100 ms.
        let started = Instant::now();
        let mut taken = 0;
        while started.elapsed() < Duration::from_secs(1) {
            for s in [&a, &b] {
                match s.take_turn("send:3003", every, 3).await.unwrap() {
                    None => taken += 1,
                    Some(w) => tokio::time::sleep(w.min(Duration::from_millis(20))).await,
                }
            }
        }
        assert!(
            (11..=14).contains(&taken),
            "{}: {taken} turns in 1 s",
            db.url
        );
        a.close().await;
        b.close().await;
    }
}

#[tokio::test]
async fn failed_logins_count_per_name_until_forgotten() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        assert_eq!(s.login_failures("mai", t(0)).await.unwrap(), 0);
        for at in [1_000, 2_000, 3_000] {
            s.login_failed("mai", t(at), t(at - 900_000)).await.unwrap();
        }
        assert_eq!(s.login_failures("mai", t(0)).await.unwrap(), 3);
        assert_eq!(
            s.login_failures("mai", t(3_001)).await.unwrap(),
            0,
            "too old"
        );
        // A failure long after the last starts the count again.
        s.login_failed("mai", t(2_000_000), t(1_100_000))
            .await
            .unwrap();
        assert_eq!(s.login_failures("mai", t(0)).await.unwrap(), 1);
        s.login_succeeded("mai").await.unwrap();
        assert_eq!(s.login_failures("mai", t(0)).await.unwrap(), 0);

        s.login_failed("lan", t(5_000), t(0)).await.unwrap();
        s.login_failed("hoa", t(9_000), t(0)).await.unwrap();
        assert_eq!(s.forget_coordination(t(6_000)).await.unwrap(), 1);
        assert_eq!(s.login_failures("lan", t(0)).await.unwrap(), 0);
        assert_eq!(s.login_failures("hoa", t(0)).await.unwrap(), 1);
        s.close().await;
    }
}

#[tokio::test]
async fn notifications_reach_other_connections_on_postgres_only() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let Some(mut subscription) = s.subscribe().await.unwrap() else {
            assert_eq!(s.backend(), "sqlite");
            s.publish("nobody listens").await.unwrap();
            continue;
        };
        let other = store::connect(&db.url).await.unwrap();
        other.publish("b:5").await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), subscription.recv())
            .await
            .expect("notified within 5 s")
            .unwrap();
        assert_eq!(got.as_deref(), Some("b:5"));
        // The listener holds one of the pool's connections until dropped.
        drop(subscription);
        other.close().await;
        s.close().await;
    }
}
