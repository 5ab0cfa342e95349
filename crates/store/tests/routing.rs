//! Who controls a thread, the pause on automations and opt-outs, on SQLite and PostgreSQL: facts
//! converge whatever the order of their webhooks, and each kind of fact does what it says.

use std::time::Duration;

use store::testing::{self, message, t};
use store::*;

const DAY: Duration = Duration::from_secs(86_400);

fn fact(psid: &str, key: &str, at: i64, thread: ThreadFact) -> NormalizedEvent {
    NormalizedEvent {
        page_id: "1001".into(),
        event_key: key.into(),
        kind: "take_thread_control".into(),
        psid: Some(psid.into()),
        at: t(at),
        interaction: None,
        opens_window: false,
        thread: Some(thread),
        source: None,
        summary: None,
        detail: None,
        effect: Effect::None,
    }
}

async fn apply(s: &dyn Store, events: Vec<NormalizedEvent>) {
    let inbox = s
        .enqueue_webhooks(&[IncomingBody {
            received_at: t(1),
            body: b"{}".to_vec(),
        }])
        .await
        .unwrap()[0];
    s.complete_webhook(inbox, &events, t(1)).await.unwrap();
}

async fn contact(s: &dyn Store, psid: &str) -> Contact {
    s.contact("1001", psid).await.unwrap().unwrap()
}

#[tokio::test]
async fn thread_ownership_converges_whatever_the_order() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        let taken = |at: i64| ThreadFact::Other {
            app: Some("263902037430900".into()),
            until: t(at) + DAY,
        };
        apply(s, vec![message("a", "m1", "hi", 1_000)]).await;
        // The Business Suite inbox takes the thread at 2 s; a standby message at 3 s keeps it.
        apply(
            s,
            vec![
                fact("a", "take", 2_000, taken(2_000)),
                fact(
                    "a",
                    "standby",
                    3_000,
                    ThreadFact::Other {
                        app: None,
                        until: t(3_000) + DAY,
                    },
                ),
            ],
        )
        .await;
        let c = contact(s, "a").await;
        assert_eq!(
            (c.thread_owner.as_deref(), c.thread_owner_until),
            (Some("263902037430900"), Some(t(3_000) + DAY)),
            "{}",
            db.label
        );
        assert_eq!(c.other_owner(t(10_000)), Some("263902037430900"));
        assert_eq!(c.other_owner(t(3_000) + DAY), None, "control lapses");
        // An older fact delivered late changes nothing.
        apply(s, vec![fact("a", "late", 1_500, ThreadFact::Ours)]).await;
        assert!(contact(s, "a").await.thread_owner.is_some(), "{}", db.label);
        // The thread comes back: the customer's message reached us in `messaging`.
        apply(s, vec![fact("a", "back", 4_000, ThreadFact::Ours)]).await;
        assert_eq!(contact(s, "a").await.thread_owner, None, "{}", db.label);

        // Only standby events: some app, not named.
        apply(s, vec![message("b", "m2", "hi", 1_000)]).await;
        apply(
            s,
            vec![fact(
                "b",
                "sb",
                2_000,
                ThreadFact::Other {
                    app: None,
                    until: t(2_000) + DAY,
                },
            )],
        )
        .await;
        assert_eq!(
            contact(s, "b").await.thread_owner.as_deref(),
            Some("unknown")
        );
        // Fenestra learnt it itself (Meta's 2018300, a take-over).
        s.record_thread_fact("1001", "b", &ThreadFact::Ours, t(5_000))
            .await
            .unwrap();
        assert_eq!(contact(s, "b").await.thread_owner, None, "{}", db.label);
    }
}

#[tokio::test]
async fn a_reply_from_elsewhere_pauses_automations_until_the_thread_comes_back() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        apply(s, vec![message("a", "m1", "hi", 1_000)]).await;
        let replied = |at: i64| ThreadFact::RepliedElsewhere {
            app: Some("263902037430900".into()),
            until: t(at) + DAY,
            owns: false,
        };
        apply(s, vec![fact("a", "echo1", 2_000, replied(2_000))]).await;
        apply(s, vec![fact("a", "echo2", 5_000, replied(5_000))]).await;
        let pause = contact(s, "a").await.pause(t(6_000)).unwrap();
        assert_eq!(
            (pause.since, pause.until, pause.reason),
            (
                t(2_000),
                Some(t(5_000) + DAY),
                PauseReason::RepliedElsewhere
            ),
            "{}",
            db.label
        );
        assert_eq!(
            contact(s, "a").await.pause(t(5_000) + DAY),
            None,
            "it lapses"
        );
        // The thread is ours again: that pause ends with the other app's control.
        apply(s, vec![fact("a", "ours", 7_000, ThreadFact::Ours)]).await;
        assert_eq!(contact(s, "a").await.pause(t(7_000)), None, "{}", db.label);

        // An echo in `standby`: that app controls the thread as well.
        apply(s, vec![message("c", "m3", "hi", 1_000)]).await;
        let standby_echo = ThreadFact::RepliedElsewhere {
            app: Some("263902037430900".into()),
            until: t(2_000) + DAY,
            owns: true,
        };
        apply(s, vec![fact("c", "echo-sb", 2_000, standby_echo)]).await;
        let c = contact(s, "c").await;
        assert_eq!(
            (
                c.thread_owner.as_deref(),
                c.pause(t(3_000)).map(|p| p.reason)
            ),
            (Some("263902037430900"), Some(PauseReason::RepliedElsewhere)),
            "{}",
            db.label
        );

        // An agent's pause lasts until the conversation closes; other apps' replies keep it.
        let agent = Pause {
            since: t(8_000),
            until: None,
            reason: PauseReason::Agent,
        };
        assert!(s.set_pause("1001", "a", Some(agent)).await.unwrap());
        apply(s, vec![fact("a", "echo3", 9_000, replied(9_000))]).await;
        assert_eq!(
            contact(s, "a").await.pause(t(9_000) + DAY * 3),
            Some(agent),
            "{}",
            db.label
        );
        assert!(s.set_pause("1001", "a", None).await.unwrap());
        assert_eq!(contact(s, "a").await.pause(t(10_000)), None);
        assert!(!s.set_pause("1001", "nobody", None).await.unwrap());
    }
}

#[tokio::test]
async fn opt_outs_are_dated_and_template_reviews_update_the_template() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        apply(s, vec![message("a", "m1", "STOP", 1_000)]).await;
        assert!(s.set_opted_out("1001", "a", Some(t(1_000))).await.unwrap());
        let c = contact(s, "a").await;
        assert_eq!(
            (c.opted_out, c.opted_out_at),
            (true, Some(t(1_000))),
            "{}",
            db.label
        );
        assert!(s.set_opted_out("1001", "a", None).await.unwrap());
        let c = contact(s, "a").await;
        assert_eq!((c.opted_out, c.opted_out_at), (false, None));

        s.replace_templates(
            "1001",
            &[Template {
                name: "order_shipped".into(),
                language: "en".into(),
                category: "UTILITY".into(),
                status: TemplateStatus::Pending,
                body: "Order {{id}} shipped".into(),
            }],
            t(1),
        )
        .await
        .unwrap();
        let review = NormalizedEvent {
            thread: None,
            psid: None,
            effect: Effect::TemplateStatus {
                name: "order_shipped".into(),
                language: Some("en".into()),
                status: TemplateStatus::Approved,
            },
            ..fact("a", "review", 2_000, ThreadFact::Ours)
        };
        apply(s, vec![review]).await;
        assert_eq!(
            s.templates("1001").await.unwrap()[0].status,
            TemplateStatus::Approved,
            "{}",
            db.label
        );
    }
}
