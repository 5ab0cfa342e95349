//! Meta's pacing stops a broadcast's paid messages, on SQLite and PostgreSQL: with a daily
//! budget for one message, the second answers 2300054 with `remaining_seconds`; the broadcast
//! pauses itself until then, resumes by itself the next day, and the message goes out.
//! (A test binary of its own: it moves this process's clock.)

mod common;

use common::*;
use serde_json::json;
use store::{BroadcastStatus, MarketingSetup, Time, testing};

#[tokio::test]
async fn a_spent_daily_budget_pauses_a_broadcast_until_meta_allows_more() {
    for db in testing::all().await {
        let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
        let s = w.store();
        let mut setup = MarketingSetup::new(PAGE);
        setup.ad_account_id = Some("5550001".into());
        setup.daily_budget = Some(100);
        s.set_marketing_setup(&setup, Time::now()).await.unwrap();
        let mut subscribers = vec![];
        for name in ["Cuong", "Duc"] {
            let p = w.customer(name).await;
            w.says(&p, "hi").await;
            w.ctl
                .post(
                    &format!("/users/{p}/optin"),
                    json!({"type": "notification_messages", "payload": "DEALS"}),
                )
                .await
                .unwrap();
            subscribers.push(p);
        }
        w.until("both subscriptions are stored", || async {
            for p in &subscribers {
                if s.notification_tokens(PAGE, p).await.unwrap().is_empty() {
                    return false;
                }
            }
            true
        })
        .await;
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        let spec =
            engine::broadcast::spec::BroadcastSpec::from_value(json!({"text": "Sale tonight!"}))
                .unwrap();
        let (id, plan) = w
            .server
            .engine
            .send_broadcast(PAGE, &spec, "test")
            .await
            .unwrap();
        assert_eq!(plan.summary.marketing(), 2, "{}", w.label);

        w.until("the broadcast is sending", || async {
            s.broadcast(id).await.unwrap().unwrap().status == BroadcastStatus::Sending
        })
        .await;
        // After the warm-up: one goes out, Meta refuses the other until tomorrow (its day).
        let mut shifted = 3_660_000;
        Time::shift(shifted);
        w.ctl.advance(3_660).await.unwrap();
        w.until("the spent budget paused the broadcast", || async {
            let b = s.broadcast(id).await.unwrap().unwrap();
            b.status == BroadcastStatus::Paused && b.pause_reason.as_deref() == Some("budget")
        })
        .await;
        let b = s.broadcast(id).await.unwrap().unwrap();
        let resume_at = b.resume_at.expect("Meta's remaining_seconds");
        assert!(resume_at > Time::now(), "{}", w.label);
        let got = |p: &String| {
            let p = p.clone();
            let ctl = &w.ctl;
            async move {
                ctl.inbox(&p)
                    .await
                    .unwrap()
                    .iter()
                    .any(|m| m["messaging_type"] == "MARKETING")
            }
        };
        let first = [got(&subscribers[0]).await, got(&subscribers[1]).await];
        assert_eq!(
            first.iter().filter(|g| **g).count(),
            1,
            "{}: {first:?}",
            w.label
        );

        // The next day on Meta's clock: it resumes by itself and the other goes out.
        let wait = resume_at.ms() - Time::now().ms() + 60_000;
        shifted += wait;
        Time::shift(shifted);
        w.ctl.advance(wait / 1000).await.unwrap();
        w.until("the broadcast resumed and is done", || async {
            s.broadcast(id).await.unwrap().unwrap().status == BroadcastStatus::Done
        })
        .await;
        w.until("the second paid message went out", || async {
            got(&subscribers[0]).await && got(&subscribers[1]).await
        })
        .await;
        Time::shift(0);
        w.stop().await;
    }
}
