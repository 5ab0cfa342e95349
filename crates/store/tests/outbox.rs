//! The outbox's state machine and the users table, on SQLite and PostgreSQL alike.

use store::testing::{self, ms, t};
use store::*;

fn enqueue(psid: &str, text: &str, key: Option<&str>) -> Enqueue {
    Enqueue {
        audit: NewAudit {
            at: t(1_000),
            page_id: "1001".into(),
            psid: psid.into(),
            actor: "agent:mai".into(),
            message: format!(r#"{{"text":"{text}"}}"#),
            verdict: Verdict::Allow,
            rule: "within_window".into(),
            explanation: "inside the window".into(),
            decision: "{}".into(),
        },
        sends: vec![NewSend {
            kind: SendKind::Message,
            request: format!(r#"{{"recipient":{{"id":"{psid}"}},"message":{{"text":"{text}"}}}}"#),
            dedupe_key: key.map(str::to_owned),
        }],
        consume: None,
    }
}

fn echo(psid: &str, outbox_id: i64, at: i64) -> NormalizedEvent {
    NormalizedEvent {
        page_id: "1001".into(),
        event_key: format!("mid:echo-{outbox_id}"),
        kind: "echo".into(),
        psid: Some(psid.into()),
        at: t(at),
        interaction: None,
        opens_window: false,
        thread: None,
        source: None,
        summary: None,
        detail: None,
        effect: Effect::Message(NewMessage {
            mid: format!("echo-{outbox_id}"),
            direction: Direction::Out,
            text: Some("hi".into()),
            attachments: None,
            quick_reply_payload: None,
            reply_to_mid: None,
            app_id: Some("1".into()),
            metadata: Some(outbox_metadata(outbox_id)),
        }),
    }
}

#[tokio::test]
async fn a_send_whose_worker_died_waits_for_its_echo_then_goes_again_only_without_one() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let a = s
            .enqueue(&enqueue("p1", "first", None))
            .await
            .unwrap()
            .outbox_ids[0];
        let b = s
            .enqueue(&enqueue("p2", "second", None))
            .await
            .unwrap()
            .outbox_ids[0];
        // Worker w1 claims both and dies (its lease is 100 ms).
        let claimed = s
            .claim_sends("w1", 10, t(1_000), ms(100), ms(5_000))
            .await
            .unwrap();
        assert_eq!(claimed.len(), 2, "{}", db.label);
        // After the lease, the claims become `unknown`, not `queued`: nothing is claimable.
        assert!(
            s.claim_sends("w2", 10, t(2_000), ms(100), ms(5_000))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.outbox_row(a).await.unwrap().unwrap().status,
            OutboxStatus::Unknown
        );
        // A's echo arrives: it went out.
        let inbox = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(3_000),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap();
        s.complete_webhook(inbox[0], &[echo("p1", a, 2_500)], t(3_000))
            .await
            .unwrap();
        let row = s.outbox_row(a).await.unwrap().unwrap();
        assert_eq!(
            (row.status.as_str(), row.mid),
            ("sent", Some(format!("echo-{a}")))
        );
        // B's echo never comes: after the reconcile time it is claimed again, once.
        assert!(
            s.claim_sends("w2", 10, t(6_000), ms(100), ms(5_000))
                .await
                .unwrap()
                .is_empty()
        );
        // A webhook received in time is still pending (its processor died holding it): B's
        // echo may be in it, so B waits until it is processed.
        let held = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(4_000),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap();
        assert!(
            s.claim_sends("w2", 10, t(7_100), ms(60_000), ms(5_000))
                .await
                .unwrap()
                .is_empty(),
            "{}: re-sent while a webhook that may hold its echo is pending",
            db.label
        );
        s.complete_webhook(held[0], &[], t(7_150)).await.unwrap();
        let again = s
            .claim_sends("w2", 10, t(7_160), ms(60_000), ms(5_000))
            .await
            .unwrap();
        assert_eq!(
            again.iter().map(|r| (r.id, r.attempts)).collect::<Vec<_>>(),
            vec![(b, 2)],
            "{}",
            db.label
        );
        s.finish_sends(
            "w2",
            &[(
                b,
                SendOutcome::Sent {
                    mid: Some("m-b".into()),
                },
            )],
            t(7_200),
        )
        .await
        .unwrap();
        assert_eq!(
            s.outbox_row(b).await.unwrap().unwrap().status,
            OutboxStatus::Sent
        );
        // A late answer from the dead worker changes nothing it should not.
        let late = SendOutcome::Retry {
            at: t(9_000),
            error: GraphFailure {
                message: "x".into(),
                code: None,
                subcode: None,
            },
        };
        s.finish_sends("w1", &[(a, late)], t(7_300)).await.unwrap();
        assert_eq!(
            s.outbox_row(a).await.unwrap().unwrap().status,
            OutboxStatus::Sent,
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn one_customer_gets_messages_in_order_and_dedupe_keys_queue_once() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let first = s.enqueue(&enqueue("p1", "one", Some("k1"))).await.unwrap();
        let again = s.enqueue(&enqueue("p1", "one", Some("k1"))).await.unwrap();
        assert!(
            again.outbox_ids.is_empty() && again.audit_id.is_none(),
            "{}",
            db.label
        );
        let second = s
            .enqueue(&enqueue("p1", "two", None))
            .await
            .unwrap()
            .outbox_ids[0];
        let other = s
            .enqueue(&enqueue("p2", "hi", None))
            .await
            .unwrap()
            .outbox_ids[0];
        let claimed: Vec<i64> = s
            .claim_sends("w", 10, t(1_000), ms(60_000), ms(5_000))
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            claimed,
            vec![first.outbox_ids[0], other],
            "{}: p1's second message must wait",
            db.label
        );
        let retry = SendOutcome::Retry {
            at: t(5_000),
            error: GraphFailure {
                message: "1200".into(),
                code: Some(1200),
                subcode: None,
            },
        };
        s.finish_sends("w", &[(first.outbox_ids[0], retry)], t(1_100))
            .await
            .unwrap();
        // Still waiting: the first is queued for later, and the second stays behind it.
        assert!(
            s.claim_sends("w", 10, t(2_000), ms(60_000), ms(5_000))
                .await
                .unwrap()
                .is_empty()
        );
        let claimed: Vec<i64> = s
            .claim_sends("w", 10, t(5_000), ms(60_000), ms(5_000))
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(claimed, vec![first.outbox_ids[0]]);
        s.finish_sends(
            "w",
            &[(first.outbox_ids[0], SendOutcome::Sent { mid: None })],
            t(5_100),
        )
        .await
        .unwrap();
        let claimed: Vec<i64> = s
            .claim_sends("w", 10, t(5_200), ms(60_000), ms(5_000))
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(claimed, vec![second]);
        assert_eq!(s.audit_for("1001", "p1").await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn users_have_unique_names_and_can_be_disabled() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        assert!(
            s.create_user("mai", "$argon2id$x", Role::Agent, t(1))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            s.create_user("mai", "$argon2id$y", Role::Admin, t(2))
                .await
                .unwrap()
                .is_none(),
            "{}",
            db.label
        );
        assert!(s.set_user_disabled("mai", true).await.unwrap());
        assert!(!s.set_user_disabled("nobody", true).await.unwrap());
        let u = s.user("mai").await.unwrap().unwrap();
        assert_eq!(
            (u.role, u.disabled, u.password_hash.as_str()),
            (Role::Agent, true, "$argon2id$x")
        );
        assert_eq!(s.users().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn what_a_message_uses_up_is_marked_when_it_is_queued() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let event = |key: &str, effect: Effect| NormalizedEvent {
            page_id: "1001".into(),
            event_key: key.into(),
            kind: "test".into(),
            psid: Some("p1".into()),
            at: t(500),
            interaction: None,
            opens_window: false,
            thread: None,
            source: None,
            summary: None,
            detail: None,
            effect,
        };
        let inbox = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(500),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap();
        let comment = Effect::Comment(CommentChange {
            comment_id: "c1".into(),
            verb: CommentVerb::Add,
            post_id: None,
            parent_id: None,
            author_id: Some("p1".into()),
            author_name: None,
            by_page: false,
            text: Some("price?".into()),
            photo: None,
            permalink_url: None,
        });
        let token = Effect::OneTimeToken {
            token: "otn1".into(),
            topic: None,
        };
        s.complete_webhook(
            inbox[0],
            &[event("k1", comment), event("k2", token)],
            t(600),
        )
        .await
        .unwrap();
        for consume in [
            Consume::PrivateReply("c1".into()),
            Consume::OneTimeToken("otn1".into()),
        ] {
            let mut e = enqueue("p1", "here you go", None);
            e.consume = Some(consume);
            s.enqueue(&e).await.unwrap();
        }
        assert!(
            s.comments("1001", "p1").await.unwrap()[0].private_reply_sent,
            "{}",
            db.label
        );
        assert_eq!(
            s.one_time_tokens("1001", "p1").await.unwrap()[0].used_at,
            Some(t(1_000)),
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn a_send_deferred_for_a_cool_down_uses_no_attempt() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let id = s
            .enqueue(&enqueue("p1", "later", None))
            .await
            .unwrap()
            .outbox_ids[0];
        let claimed = s
            .claim_sends("w", 10, t(1_000), ms(60_000), ms(5_000))
            .await
            .unwrap();
        assert_eq!(claimed[0].attempts, 1);
        let later = SendOutcome::Deferred {
            at: t(9_000),
            reason: "cooling down".into(),
        };
        s.finish_sends("w", &[(id, later)], t(1_100)).await.unwrap();
        let row = s.outbox_row(id).await.unwrap().unwrap();
        assert_eq!(
            (row.status, row.attempts, row.next_attempt_at),
            (OutboxStatus::Queued, 0, t(9_000)),
            "{}",
            db.label
        );
        assert!(
            s.claim_sends("w", 10, t(8_000), ms(60_000), ms(5_000))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.claim_sends("w", 10, t(9_000), ms(60_000), ms(5_000))
                .await
                .unwrap()[0]
                .attempts,
            1
        );
    }
}
