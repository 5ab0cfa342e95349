//! The store's behaviour, run against SQLite and PostgreSQL alike.

use std::sync::Arc;

use store::testing::{self, message, ms, t};
use store::*;

fn body(s: &str) -> IncomingBody {
    IncomingBody {
        received_at: t(1_000),
        body: s.as_bytes().to_vec(),
    }
}

fn event(psid: &str, key: &str, at: i64, effect: Effect) -> NormalizedEvent {
    NormalizedEvent {
        page_id: "1001".into(),
        event_key: key.into(),
        kind: "test".into(),
        psid: Some(psid.into()),
        at: t(at),
        interaction: None,
        opens_window: false,
        thread: None,
        source: None,
        summary: None,
        detail: None,
        effect,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Arc<dyn Store>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in testing::all().await {
        let store = store::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.label));
        eprintln!("-- on {}", db.label);
        test(store).await;
    }
}

#[tokio::test]
async fn enqueue_claim_complete() {
    each_backend(|s| async move {
        let ids = s
            .enqueue_webhooks(&[body("a"), body("b"), body("c")])
            .await
            .unwrap();
        assert_eq!(ids.len(), 3);
        assert!(ids[0] < ids[1] && ids[1] < ids[2]);
        let stats = s.queue_stats().await.unwrap();
        assert_eq!(
            (stats.pending, stats.oldest_pending_at),
            (3, Some(t(1_000)))
        );

        let claimed = s
            .claim_webhooks("w1", 2, t(5_000), ms(60_000))
            .await
            .unwrap();
        assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), ids[..2]);
        assert_eq!(claimed[0].body, b"a");
        assert_eq!(claimed[0].attempts, 1);
        // Claimed rows are not handed out again while the lease holds.
        let more = s
            .claim_webhooks("w2", 10, t(5_001), ms(60_000))
            .await
            .unwrap();
        assert_eq!(more.iter().map(|r| r.id).collect::<Vec<_>>(), ids[2..]);

        for r in claimed.iter().chain(&more) {
            s.complete_webhook(r.id, &[], t(6_000)).await.unwrap();
        }
        let stats = s.queue_stats().await.unwrap();
        assert_eq!(
            (stats.pending, stats.processed, stats.oldest_pending_at),
            (0, 3, None)
        );
    })
    .await;
}

#[tokio::test]
async fn an_expired_lease_is_claimed_again() {
    each_backend(|s| async move {
        let ids = s.enqueue_webhooks(&[body("x")]).await.unwrap();
        let first = s
            .claim_webhooks("crashed", 10, t(1_000), ms(30_000))
            .await
            .unwrap();
        assert_eq!(first.len(), 1);
        assert!(
            s.claim_webhooks("other", 10, t(20_000), ms(30_000))
                .await
                .unwrap()
                .is_empty()
        );
        // The first worker died: after its lease the row is claimed again.
        let again = s
            .claim_webhooks("other", 10, t(31_001), ms(30_000))
            .await
            .unwrap();
        assert_eq!((again[0].id, again[0].attempts), (ids[0], 2));
    })
    .await;
}

#[tokio::test]
async fn concurrent_claimers_never_share_a_row() {
    each_backend(|s| async move {
        let bodies: Vec<_> = (0..200).map(|i| body(&format!("b{i}"))).collect();
        s.enqueue_webhooks(&bodies).await.unwrap();
        let mut tasks = Vec::new();
        for w in 0..4 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let got = s
                        .claim_webhooks(&format!("w{w}"), 7, t(1_000), ms(60_000))
                        .await
                        .unwrap();
                    if got.is_empty() {
                        break mine;
                    }
                    mine.extend(got.into_iter().map(|r| r.id));
                }
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(
            (n, all.len()),
            (200, 200),
            "a row was claimed twice or missed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_duplicated_delivery_gives_one_message() {
    each_backend(|s| async move {
        let ids = s.enqueue_webhooks(&[body("1"), body("2")]).await.unwrap();
        let ev = message("2001", "m.1", "hi", 1_700_000_000_000);
        let a = s
            .complete_webhook(ids[0], std::slice::from_ref(&ev), t(1))
            .await
            .unwrap();
        let b = s
            .complete_webhook(ids[1], std::slice::from_ref(&ev), t(2))
            .await
            .unwrap();
        assert_eq!((a.new_events, a.duplicates), (1, 0));
        assert_eq!((b.new_events, b.duplicates), (0, 1));
        assert_eq!(s.messages("1001", "2001").await.unwrap().len(), 1);
        let conv = s.conversation("1001", "2001").await.unwrap().unwrap();
        assert_eq!(conv.unread_count, 1);
        assert_eq!(s.interactions("1001", "2001").await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn events_in_reverse_order_converge() {
    each_backend(|s| async move {
        let ids = s.enqueue_webhooks(&[body("1"), body("2")]).await.unwrap();
        let early = message("2001", "m.early", "first", 1_000_000);
        let late = message("2001", "m.late", "second", 2_000_000);
        // The later message is processed first.
        s.complete_webhook(ids[0], &[late], t(1)).await.unwrap();
        s.complete_webhook(ids[1], &[early], t(2)).await.unwrap();
        let msgs = s.messages("1001", "2001").await.unwrap();
        assert_eq!(
            msgs.iter().map(|m| m.mid.as_str()).collect::<Vec<_>>(),
            ["m.early", "m.late"]
        );
        let conv = s.conversation("1001", "2001").await.unwrap().unwrap();
        assert_eq!(conv.last_message_text.as_deref(), Some("second"));
        assert_eq!(
            (conv.last_activity_at, conv.last_message_at),
            (t(2_000_000), Some(t(2_000_000)))
        );
        let contact = s.contact("1001", "2001").await.unwrap().unwrap();
        assert_eq!(
            (contact.first_seen_at, contact.last_interaction_at),
            (t(1_000_000), Some(t(2_000_000)))
        );
    })
    .await;
}

#[tokio::test]
async fn watermarks_tokens_comments_and_restrictions() {
    each_backend(|s| async move {
        let id = s.enqueue_webhooks(&[body("1")]).await.unwrap()[0];
        let events = vec![
            message("2001", "m.1", "hi", 1_000),
            event(
                "2001",
                "d1",
                5_000,
                Effect::Delivered {
                    watermark: t(4_000),
                    mids: vec![],
                },
            ),
            event(
                "2001",
                "d0",
                3_000,
                Effect::Delivered {
                    watermark: t(2_000),
                    mids: vec![],
                },
            ),
            event(
                "2001",
                "r1",
                6_000,
                Effect::Read {
                    watermark: t(4_500),
                },
            ),
            event(
                "2001",
                "otn",
                7_000,
                Effect::OneTimeToken {
                    token: "otn-1".into(),
                    topic: Some("Back in stock".into()),
                },
            ),
            event(
                "2001",
                "rn-stop",
                9_000,
                Effect::NotificationToken {
                    token: "rn-1".into(),
                    topic: None,
                    frequency: Some("WEEKLY".into()),
                    expires_at: Some(t(99_000)),
                    status: TokenStatus::Stopped,
                    time_zone: None,
                    region: None,
                },
            ),
            // An older opt-in for the same token arrives late: it must not resume it.
            event(
                "2001",
                "rn-start",
                8_000,
                Effect::NotificationToken {
                    token: "rn-1".into(),
                    topic: Some("Weekly deals".into()),
                    frequency: Some("WEEKLY".into()),
                    expires_at: Some(t(99_000)),
                    status: TokenStatus::Active,
                    time_zone: Some("Europe/Rome".into()),
                    region: Some("IT".into()),
                },
            ),
            event(
                "2001",
                "c1",
                10_000,
                Effect::Comment(CommentChange {
                    comment_id: "c-9".into(),
                    verb: CommentVerb::Add,
                    post_id: Some("p1".into()),
                    parent_id: Some("p1".into()),
                    author_id: Some("2001".into()),
                    author_name: Some("Lan Tran".into()),
                    by_page: false,
                    text: Some("price?".into()),
                    photo: None,
                    permalink_url: None,
                }),
            ),
            event(
                "2001",
                "pe",
                11_000,
                Effect::PageRestriction {
                    restricted: true,
                    reason: Some("spam".into()),
                },
            ),
        ];
        s.complete_webhook(id, &events, t(1)).await.unwrap();
        let conv = s.conversation("1001", "2001").await.unwrap().unwrap();
        assert_eq!(
            (conv.delivered_watermark, conv.read_watermark),
            (t(4_000), t(4_500))
        );
        let otn = s.one_time_tokens("1001", "2001").await.unwrap();
        assert_eq!(
            (otn[0].token.as_str(), otn[0].issued_at, otn[0].used_at),
            ("otn-1", t(7_000), None)
        );
        let rn = s.notification_tokens("1001", "2001").await.unwrap();
        assert_eq!(
            (rn[0].status, rn[0].expires_at),
            (TokenStatus::Stopped, Some(t(99_000)))
        );
        let comments = s.comments("1001", "2001").await.unwrap();
        assert_eq!(
            (
                comments[0].comment_id.as_str(),
                comments[0].private_reply_sent
            ),
            ("c-9", false)
        );
        let pages = s.pages().await.unwrap();
        assert_eq!(
            (pages[0].restricted, pages[0].restriction_reason.as_deref()),
            (true, Some("spam"))
        );
        // Only the message opened the window.
        assert_eq!(
            s.contact("1001", "2001")
                .await
                .unwrap()
                .unwrap()
                .last_interaction_at,
            Some(t(1_000))
        );
    })
    .await;
}

#[tokio::test]
async fn quarantine_and_replay() {
    each_backend(|s| async move {
        let ids = s
            .enqueue_webhooks(&[body("bad"), body("good")])
            .await
            .unwrap();
        s.claim_webhooks("w", 10, t(1), ms(1_000)).await.unwrap();
        s.quarantine_webhook(ids[0], "malformed JSON at line 1", t(2))
            .await
            .unwrap();
        s.complete_webhook(ids[1], &[], t(2)).await.unwrap();
        let info = s.inbox_row(ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (info.status.as_str(), info.error.as_deref()),
            ("quarantined", Some("malformed JSON at line 1"))
        );
        assert_eq!(s.queue_stats().await.unwrap().quarantined, 1);

        assert_eq!(s.requeue_webhooks(Requeue::Quarantined).await.unwrap(), 1);
        assert_eq!(s.queue_stats().await.unwrap().pending, 1);
        assert_eq!(s.requeue_webhooks(Requeue::All).await.unwrap(), 1);
        assert_eq!(s.queue_stats().await.unwrap().pending, 2);
        // A replayed body is applied again without doubling anything.
        let ev = message("2001", "m.1", "hi", 1_000);
        s.complete_webhook(ids[1], std::slice::from_ref(&ev), t(3))
            .await
            .unwrap();
        s.complete_webhook(ids[1], std::slice::from_ref(&ev), t(4))
            .await
            .unwrap();
        assert_eq!(s.messages("1001", "2001").await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_closed_database_fails_cleanly() {
    each_backend(|s| async move {
        s.close().await;
        let err = s.enqueue_webhooks(&[body("x")]).await.unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_bad_url_is_named() {
    let err = store::connect("mysql://x").await.err().unwrap();
    assert_eq!(
        err.to_string(),
        "database URL `mysql://x` is not understood: use sqlite://PATH or postgres://USER@HOST/DB"
    );
}

/// The processor hands the store many bodies at once, which it applies in runs, table by table
/// (`batch`): the result must be what applying the events one by one gives, repeated customers,
/// a repeated event, an echo, a receipt and thread facts among them.
#[tokio::test]
async fn a_batch_applies_as_its_events_one_by_one() {
    let replied = |at: i64| ThreadFact::RepliedElsewhere {
        app: Some("263902037430900".into()),
        until: t(at + 3_600_000),
        owns: false,
    };
    let mut events = vec![
        testing::message("2001", "m.1", "hi", 1_000),
        testing::message("2002", "m.2", "hello", 1_100),
        testing::message("2001", "m.3", "again", 1_200),
        testing::echo("2001", "m.4", "answered in Meta's inbox", 1_300),
        testing::message("2001", "m.1", "hi", 1_000),
        event(
            "2002",
            "read:1",
            1_350,
            Effect::Read {
                watermark: t(1_150),
            },
        ),
        testing::message("2001", "m.5", "later", 1_400),
        testing::message("2003", "m.6", "from the ad", 1_500),
        testing::message("2002", "m.7", "still there?", 1_600),
    ];
    for ev in events.iter_mut() {
        ev.thread = Some(ThreadFact::Ours);
    }
    events[3].thread = Some(replied(1_300));
    events[5].thread = None;
    events[7].source = Some(("referral".into(), "ADS:spring".into()));

    let mut dbs: Vec<(testing::TestDb, testing::TestDb)> =
        vec![(testing::sqlite().await, testing::sqlite().await)];
    if let Some(admin) = testing::postgres_admin_url() {
        dbs.push((
            testing::postgres(&admin).await,
            testing::postgres(&admin).await,
        ));
    }
    for (batched, single) in dbs {
        let label = batched.label;
        let (batched, single) = (
            store::connect(&batched.url).await.unwrap(),
            store::connect(&single.url).await.unwrap(),
        );
        let bodies: Vec<IncomingBody> = events.iter().map(|_| body("{}")).collect();
        let ids = batched.enqueue_webhooks(&bodies).await.unwrap();
        let all: Vec<ProcessedBody> = ids
            .iter()
            .zip(&events)
            .map(|(id, ev)| ProcessedBody {
                inbox_id: *id,
                events: vec![ev.clone()],
            })
            .collect();
        let together = batched.complete_webhooks(&all, t(9_000)).await.unwrap();

        let ids = single.enqueue_webhooks(&bodies).await.unwrap();
        let mut apart = Applied::default();
        for (id, ev) in ids.iter().zip(&events) {
            apart += single
                .complete_webhook(*id, std::slice::from_ref(ev), t(9_000))
                .await
                .unwrap();
        }
        assert_eq!(together, apart, "{label}");
        assert_eq!(
            (together.new_events, together.duplicates),
            (8, 1),
            "{label}"
        );
        assert_eq!(batched.queue_stats().await.unwrap().processed, 9, "{label}");

        for psid in ["2001", "2002", "2003"] {
            let contact = batched.contact("1001", psid).await.unwrap();
            assert_eq!(
                contact,
                single.contact("1001", psid).await.unwrap(),
                "{label} {psid}"
            );
            let conversation = batched.conversation("1001", psid).await.unwrap();
            assert_eq!(
                conversation,
                single.conversation("1001", psid).await.unwrap(),
                "{label} {psid}"
            );
            assert_eq!(
                batched.messages("1001", psid).await.unwrap(),
                single.messages("1001", psid).await.unwrap(),
                "{label} {psid}"
            );
        }
        // What the runs did, beyond agreeing: the repeated customer's messages all counted, the
        // pause from the inbox's answer lifted by the later message, the ad kept as the source.
        let conversation = batched.conversation("1001", "2001").await.unwrap().unwrap();
        assert_eq!(
            (
                conversation.unread_count,
                conversation.last_message_text.as_deref()
            ),
            (3, Some("later")),
            "{label}"
        );
        let contact = batched.contact("1001", "2001").await.unwrap().unwrap();
        assert_eq!(contact.paused_reason, None, "{label}");
        let from_ad = batched.contact("1001", "2003").await.unwrap().unwrap();
        assert_eq!(from_ad.source_ref.as_deref(), Some("ADS:spring"), "{label}");
        assert_eq!(
            batched.messages("1001", "2002").await.unwrap().len(),
            2,
            "{label}"
        );
    }
}
