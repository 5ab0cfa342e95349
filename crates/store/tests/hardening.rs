//! What an operator relies on over months, on SQLite and PostgreSQL: a private database file,
//! expired sessions and old webhook bodies gone, API tokens that expire and can be revoked,
//! backups that restore, erasing a customer without losing the counts, and a SQLite
//! write-ahead log that does not grow without end.

use std::time::Duration;

use store::testing::{self, message, t};
use store::*;

const DAY: Duration = Duration::from_secs(86_400);

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_and_its_wal_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = testing::sqlite().await;
    let s = store::connect(&db.url).await.unwrap();
    s.upsert_page(&Page {
        id: "1001".into(),
        access_token: Some("secret".into()),
        ..Page::default()
    })
    .await
    .unwrap();
    let path = db.url.strip_prefix("sqlite://").unwrap();
    for file in [
        path.to_owned(),
        format!("{path}-wal"),
        format!("{path}-shm"),
    ] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}: {mode:o}");
    }
    // An existing file made world-readable is tightened at the next start.
    s.close().await;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    store::connect(&db.url).await.unwrap();
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[tokio::test]
async fn sessions_and_processed_bodies_are_pruned_quarantine_kept() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let user = s
            .create_user("mai", "hash", Role::Agent, t(0))
            .await
            .unwrap()
            .unwrap();
        s.create_session("old", user, t(0), t(1_000)).await.unwrap();
        s.create_session("new", user, t(0), t(10) + DAY)
            .await
            .unwrap();
        assert_eq!(
            s.delete_expired_sessions(t(5_000)).await.unwrap(),
            1,
            "{}",
            db.label
        );
        assert!(s.session_user("new", t(5_000)).await.unwrap().is_some());

        let ids = s
            .enqueue_webhooks(&[
                IncomingBody {
                    received_at: t(1),
                    body: b"{}".to_vec(),
                },
                IncomingBody {
                    received_at: t(1),
                    body: b"{}".to_vec(),
                },
                IncomingBody {
                    received_at: t(1),
                    body: b"{}".to_vec(),
                },
            ])
            .await
            .unwrap();
        s.complete_webhook(ids[0], &[], t(100)).await.unwrap();
        s.quarantine_webhook(ids[1], "unreadable", t(100))
            .await
            .unwrap();
        assert_eq!(s.prune_webhooks(t(200)).await.unwrap(), 1, "{}", db.label);
        let q = s.queue_stats().await.unwrap();
        assert_eq!((q.processed, q.quarantined, q.pending), (0, 1, 1));
    }
}

#[tokio::test]
async fn api_tokens_expire_are_listed_and_revoked_one_by_one() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let user = s
            .create_user("mai", "hash", Role::Agent, t(0))
            .await
            .unwrap()
            .unwrap();
        let (a, b) = ("aaaaaaaaaaaaaaaa0001", "bbbbbbbbbbbbbbbb0002");
        s.create_api_token(a, user, "crm", t(0), Some(t(0) + DAY))
            .await
            .unwrap();
        s.create_api_token(b, user, "sheet", t(10), None)
            .await
            .unwrap();
        assert!(
            s.api_token_user(a, t(1_000)).await.unwrap().is_some(),
            "{}",
            db.label
        );
        assert!(
            s.api_token_user(a, t(0) + DAY).await.unwrap().is_none(),
            "expired"
        );
        let listed = s.api_tokens(user).await.unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str()))
                .collect::<Vec<_>>(),
            [("bbbbbbbbbbbb", "sheet"), ("aaaaaaaaaaaa", "crm")]
        );
        assert_eq!(listed[1].last_used_at, Some(t(1_000)), "{}", db.label);
        assert!(
            s.revoke_api_token(user, "bbbbbbbbbbbb", t(2_000))
                .await
                .unwrap()
        );
        assert!(
            s.api_token_user(b, t(3_000)).await.unwrap().is_none(),
            "revoked"
        );
        assert!(
            !s.revoke_api_token(user, "bbbbbbbbbbbb", t(4_000))
                .await
                .unwrap(),
            "twice"
        );
        assert!(
            !s.revoke_api_token(user, "nothex'; --", t(4_000))
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn erasing_a_customer_keeps_the_counts_not_the_content() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        let inbox = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(1),
                body: b"{\"lan\":\"my address\"}".to_vec(),
            }])
            .await
            .unwrap()[0];
        s.complete_webhook(
            inbox,
            &[
                message("lan", "m1", "My address is 12 Hang Bac", 1_000),
                message("minh", "m2", "hi", 1_000),
            ],
            t(2),
        )
        .await
        .unwrap();
        s.save_profile(
            "1001",
            "lan",
            &Profile {
                first_name: Some("Lan".into()),
                ..Profile::default()
            },
            t(3),
        )
        .await
        .unwrap();
        s.add_note("1001", "lan", "mai", "Lives on Hang Bac", t(4))
            .await
            .unwrap();
        s.enqueue(&Enqueue {
            audit: NewAudit {
                at: t(5),
                page_id: "1001".into(),
                psid: "lan".into(),
                actor: "agent:mai".into(),
                message: "{\"text\":\"We deliver to 12 Hang Bac\"}".into(),
                verdict: Verdict::Allow,
                rule: "within_window".into(),
                explanation: "open".into(),
                decision: "{}".into(),
            },
            sends: vec![NewSend {
                kind: SendKind::Message,
                request: "{\"text\":\"12 Hang Bac\"}".into(),
                dedupe_key: None,
            }],
            consume: None,
        })
        .await
        .unwrap();

        let erased = s.erase_customer("1001", "lan", t(2_000)).await.unwrap();
        assert_eq!(
            (
                erased.messages,
                erased.notes,
                erased.decisions,
                erased.sends,
                erased.webhook_bodies
            ),
            (1, 1, 1, 1, 1),
            "{}",
            db.label
        );
        let messages = s.messages("1001", "lan").await.unwrap();
        assert_eq!((messages.len(), messages[0].text.as_deref()), (1, None));
        let contact = s.contact("1001", "lan").await.unwrap().unwrap();
        assert_eq!(
            (contact.profile.first_name, contact.erased_at),
            (None, Some(t(2_000)))
        );
        assert!(s.notes("1001", "lan").await.unwrap().is_empty());
        let audit = s.audit_for("1001", "lan").await.unwrap();
        assert_eq!(
            (audit.len(), audit[0].verdict),
            (1, Verdict::Allow),
            "counts stay"
        );
        assert!(!audit[0].message.contains("Hang Bac"));
        assert!(
            !s.outbox_for("1001", "lan").await.unwrap()[0]
                .request
                .contains("Hang Bac")
        );
        // Another customer's messages are untouched.
        assert_eq!(
            s.messages("1001", "minh").await.unwrap()[0].text.as_deref(),
            Some("hi")
        );
        // Idle customers for the retention setting: the erased one is not listed again.
        assert_eq!(
            s.idle_customers("1001", t(5_000), 10).await.unwrap(),
            ["minh"]
        );
        // Writing again after the erasure starts a history that retention erases in its turn.
        s.complete_webhook(
            s.enqueue_webhooks(&[IncomingBody {
                received_at: t(3_000),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap()[0],
            &[message("lan", "m3", "back again", 3_000)],
            t(3_000),
        )
        .await
        .unwrap();
        let mut idle = s.idle_customers("1001", t(5_000), 10).await.unwrap();
        idle.sort();
        assert_eq!(idle, ["lan", "minh"], "{}", db.label);

        s.log_admin(&AdminLogEntry {
            at: t(10),
            actor: "lan-admin".into(),
            action: AdminAction::Erase,
            page_id: "1001".into(),
            psid: "lan".into(),
            detail: "{}".into(),
        })
        .await
        .unwrap();
        assert_eq!(s.admin_log(10).await.unwrap()[0].action, AdminAction::Erase);
    }
}

#[tokio::test]
async fn a_backup_taken_while_running_restores() {
    let db = testing::sqlite().await;
    let s = store::connect(&db.url).await.unwrap();
    let inbox = s
        .enqueue_webhooks(&[IncomingBody {
            received_at: t(1),
            body: b"{}".to_vec(),
        }])
        .await
        .unwrap()[0];
    s.complete_webhook(inbox, &[message("lan", "m1", "hello", 1_000)], t(2))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    s.backup_to(&copy).await.unwrap();
    assert!(
        s.backup_to(&copy).await.is_err(),
        "an existing file is not overwritten"
    );
    // Restore: the copy is a database of its own, with everything in it.
    let restored = store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(
        restored.messages("1001", "lan").await.unwrap()[0]
            .text
            .as_deref(),
        Some("hello")
    );
    if let Some(admin) = testing::postgres_admin_url() {
        let pg = store::connect(&testing::postgres(&admin).await.url)
            .await
            .unwrap();
        let err = pg.backup_to(&copy).await.unwrap_err().to_string();
        assert!(err.contains("pg_dump"), "{err}");
    }
}

/// Nothing checkpoints inside a commit (the writers would wait for the copy): a task copies the
/// WAL into the database file beside them, so the log is reused, not grown, write after write.
#[tokio::test]
async fn the_sqlite_log_is_copied_into_the_database_and_reused() {
    let db = testing::sqlite().await;
    let s = store::connect(&db.url).await.unwrap();
    let path = db
        .url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let wal = std::path::PathBuf::from(format!("{path}-wal"));
    let big = IncomingBody {
        received_at: t(1),
        body: vec![b'x'; 100_000],
    };
    for _ in 0..3 {
        // 4 MB a round, then time for a checkpoint (every 500 ms).
        for _ in 0..4 {
            s.enqueue_webhooks(&vec![big.clone(); 10]).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(1_500)).await;
    }
    let size = std::fs::metadata(&wal).unwrap().len();
    assert!(
        size < 9_000_000,
        "the log grew to {size} bytes for 12 MB written"
    );
    assert_eq!(s.queue_stats().await.unwrap().pending, 120);
    s.close().await;
}
