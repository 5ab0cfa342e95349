//! End to end: the emulator plays Meta and the customers, `fenestra serve` (in process) answers,
//! over real HTTP on 127.0.0.1, on SQLite and on PostgreSQL.
//!
//! History in the past is played by starting the emulator's clock days ago, letting customers
//! write, then moving the clock to the present, so the server (on the wall clock) and Meta
//! agree on every window.

mod common;

use std::time::{Duration, Instant};

use common::*;
use engine::outbox::{Actor, Content, Draft};
use policy::{Alternative, Rule, Verdict};
use serde_json::{Value, json};
use store::testing;
use store::{OutboxStatus, TemplateStatus};

fn agent(psid: &str, text: &str) -> Draft {
    Draft::text(PAGE, psid, Actor::Agent("mai".into()), text)
}

#[tokio::test]
async fn a_customer_says_hi_and_is_greeted_by_first_name_within_two_seconds() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let doc = "instant_reply: {text: \"Hi {{first_name}}, thanks for writing! An agent will answer soon.\"}";
        w.server
            .engine
            .apply_automations(PAGE, doc, "test")
            .await
            .unwrap();
        let psid = w.customer("Linh").await;

        let started = Instant::now();
        w.ctl.say(&psid, "hi").await.unwrap();
        let mut inbox = vec![];
        while inbox.is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{}: no greeting within 2 s",
                w.label
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
            inbox = w.ctl.inbox(&psid).await.unwrap();
        }
        let took = started.elapsed();
        assert_eq!(
            inbox[0]["text"], "Hi Linh, thanks for writing! An agent will answer soon.",
            "{}",
            w.label
        );
        assert_eq!(inbox[0]["messaging_type"], "RESPONSE");
        eprintln!(
            "{}: greeting arrived {took:?} after the customer wrote",
            w.label
        );

        // The typing indicator went out first, for this customer.
        let sends = w.ctl.sends().await.unwrap();
        let mine: Vec<&Value> = sends
            .iter()
            .filter(|s| s["request"]["recipient"]["id"] == psid.as_str())
            .collect();
        assert_eq!(
            mine[0]["request"]["sender_action"], "typing_on",
            "{}",
            w.label
        );
        assert!(mine[1]["request"]["message"]["text"].is_string());

        // A second message soon after is not greeted again; the decision was audited.
        w.says(&psid, "are you open today?").await;
        w.automations_done().await;
        w.deliveries_done().await;
        assert_eq!(w.ctl.inbox(&psid).await.unwrap().len(), 1, "{}", w.label);
        let audit = w.store().audit_for(PAGE, &psid).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(
            (audit[0].actor.as_str(), audit[0].verdict.as_str()),
            ("automation:instant_reply", "allow")
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn outside_the_window_an_agent_is_refused_with_alternatives_and_human_agent_goes_out_on_day_3()
 {
    for db in testing::all().await {
        let now = now_ms();
        let w = world(&db, Some(now - 3 * DAY_MS - 3_600_000), |_| {}).await;
        let psid = w.customer("Minh").await;
        w.says(&psid, "is the blue dress in stock?").await;
        w.ctl
            .webhooks_delivered(Duration::from_secs(10))
            .await
            .unwrap();
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        let calls_before = w.ctl.sends().await.unwrap().len();

        let refused = w
            .submit(&agent(&psid, "Yes, it is back in stock in size M."))
            .await;
        assert_eq!(refused.decision.verdict, Verdict::Deny, "{}", w.label);
        assert_eq!(refused.decision.rule, Rule::OutsideWindow);
        assert!(
            refused.decision.alternatives.contains(&Alternative::Tag {
                tag: messenger::MessageTag::HumanAgent
            }),
            "{:?}",
            refused.decision.alternatives
        );
        assert!(refused.outbox_ids.is_empty());
        let audit = w.store().audit_for(PAGE, &psid).await.unwrap();
        assert_eq!(
            (audit[0].verdict.as_str(), audit[0].rule.as_str()),
            ("deny", "outside_window")
        );
        assert!(
            audit[0].explanation.contains("24"),
            "{}",
            audit[0].explanation
        );
        // Nothing was queued, so nothing can reach the Send API.
        assert!(
            w.store().outbox_for(PAGE, &psid).await.unwrap().is_empty(),
            "{}: a refused message was queued",
            w.label
        );
        w.deliveries_done().await;
        assert_eq!(
            w.ctl.sends().await.unwrap().len(),
            calls_before,
            "{}: a refused message reached the Send API",
            w.label
        );

        let mut tagged = agent(&psid, "Yes, it is back in stock in size M.");
        tagged.tag = Some("HUMAN_AGENT".into());
        let allowed = w.submit(&tagged).await;
        assert_eq!(allowed.decision.rule, Rule::HumanAgentWindow, "{}", w.label);
        let row = w.outbox_reaches(allowed.outbox_ids[0], SENT).await;
        assert!(row.mid.is_some());
        let inbox = w.ctl.inbox(&psid).await.unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(
            (
                inbox[0]["messaging_type"].as_str(),
                inbox[0]["tag"].as_str()
            ),
            (Some("MESSAGE_TAG"), Some("HUMAN_AGENT"))
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn an_order_update_a_week_after_the_window_closed_goes_out_as_a_utility_message() {
    for db in testing::all().await {
        let now = now_ms();
        let w = world(&db, Some(now - 8 * DAY_MS), |_| {}).await;
        let psid = w.customer("Linh").await;
        w.says(&psid, "I ordered the blue dress, #4521").await;
        w.ctl
            .webhooks_delivered(Duration::from_secs(10))
            .await
            .unwrap();
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        let templates = w.approved_template().await;
        assert_eq!(templates[0].status, TemplateStatus::Approved);

        // The retired tag is refused, and the refusal points at the utility template.
        let mut old_way = agent(&psid, "Your order 4521 has shipped.");
        old_way.tag = Some("POST_PURCHASE_UPDATE".into());
        let refused = w.submit(&old_way).await;
        assert_eq!(
            (refused.decision.verdict, refused.decision.rule),
            (Verdict::Deny, Rule::TagRetired),
            "{}",
            w.label
        );
        assert!(
            refused
                .decision
                .alternatives
                .contains(&Alternative::UtilityTemplate)
        );

        let mut update = agent(&psid, "");
        update.content = Content::Template {
            name: "order_shipped".into(),
            language: "en".into(),
            params: vec![
                ("first_name".into(), "Linh".into()),
                ("order_id".into(), "4521".into()),
            ],
        };
        let allowed = w.submit(&update).await;
        assert_eq!(allowed.decision.rule, Rule::UtilityTemplate, "{}", w.label);
        w.outbox_reaches(allowed.outbox_ids[0], SENT).await;
        let inbox = w.ctl.inbox(&psid).await.unwrap();
        assert_eq!(inbox[0]["text"], "Hi Linh, order 4521 has shipped.");
        assert_eq!(inbox[0]["messaging_type"], "UTILITY");
        assert!(inbox[0]["tag"].is_null());
        let retired_tag_calls = w
            .ctl
            .sends()
            .await
            .unwrap()
            .iter()
            .filter(|s| s["request"]["tag"] == "POST_PURCHASE_UPDATE")
            .count();
        assert_eq!(retired_tag_calls, 0);
        w.stop().await;
    }
}

#[tokio::test]
async fn with_send_errors_and_duplicated_webhooks_a_thousand_messages_go_out_exactly_once_in_order()
{
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        w.ctl
            .faults(json!({"send_error_rate": 0.2, "webhook_duplicate_rate": 0.1}))
            .await
            .unwrap();
        let mut customers = vec![];
        for i in 0..50 {
            let psid = w.customer(&format!("C{i}")).await;
            w.ctl.say(&psid, "hello").await.unwrap();
            customers.push(psid);
        }
        for psid in &customers {
            w.until("the customer is known", || async {
                w.store().contact(PAGE, psid).await.unwrap().is_some()
            })
            .await;
        }
        let mut ids = vec![];
        for n in 0..20 {
            for psid in &customers {
                let s = w.submit(&agent(psid, &format!("message {n}"))).await;
                assert!(s.allowed(), "{:?}", s.decision);
                ids.push(s.outbox_ids[0]);
            }
        }
        w.until("every message is sent", || async {
            let counts = w.store().outbox_counts().await.unwrap();
            counts
                .iter()
                .all(|(status, _)| ["sent", "delivered", "read"].contains(&status.as_str()))
        })
        .await;

        let accepted = w.accepted_by_metadata().await;
        let errors = w
            .ctl
            .sends()
            .await
            .unwrap()
            .iter()
            .filter(|s| s["outcome"] == "error")
            .count();
        assert!(
            errors > 100,
            "{}: the fault injection did not bite ({errors} errors)",
            w.label
        );
        for id in &ids {
            let key = store::outbox_metadata(*id);
            assert_eq!(
                accepted.get(&key),
                Some(&1),
                "{}: {key} accepted {:?} times",
                w.label,
                accepted.get(&key)
            );
        }
        assert_eq!(accepted.len(), 1000, "{}", w.label);
        for psid in &customers {
            let texts: Vec<String> = w
                .ctl
                .inbox(psid)
                .await
                .unwrap()
                .iter()
                .map(|m| m["text"].as_str().unwrap().to_owned())
                .collect();
            let expected: Vec<String> = (0..20).map(|n| format!("message {n}")).collect();
            assert_eq!(
                texts, expected,
                "{}: out of order or missing for {psid}",
                w.label
            );
        }
        eprintln!(
            "{}: 1,000 messages exactly once through {errors} injected errors",
            w.label
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn a_send_whose_answer_is_lost_waits_for_its_echo_and_is_not_sent_again() {
    for db in testing::all().await {
        let w = world(&db, None, |c| c.graph_timeout = Duration::from_millis(300)).await;
        let psid = w.customer("An").await;
        w.says(&psid, "hi").await;
        w.ctl.faults(json!({"send_latency_ms": 800})).await.unwrap();
        let s = w.submit(&agent(&psid, "Thanks, checking now")).await;
        let id = s.outbox_ids[0];
        w.outbox_reaches(id, &[OutboxStatus::Unknown]).await;
        let row = w.outbox_reaches(id, SENT).await;
        assert_eq!(
            row.attempts, 1,
            "{}: sent again before the echo came",
            w.label
        );
        assert!(row.mid.is_some());
        assert_eq!(
            w.accepted_by_metadata()
                .await
                .get(&store::outbox_metadata(id)),
            Some(&1)
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn send_errors_change_the_contact_and_the_page_as_they_mean() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;

        // 551: the customer blocked the page.
        let blocked = w.customer("Binh").await;
        w.says(&blocked, "hi").await;
        w.ctl
            .post(&format!("/users/{blocked}/block"), json!({}))
            .await
            .unwrap();
        let s = w.submit(&agent(&blocked, "Hello?")).await;
        let row = w
            .outbox_reaches(s.outbox_ids[0], &[OutboxStatus::Failed])
            .await;
        assert_eq!(row.error_code, Some(551), "{}: {:?}", w.label, row.error);
        assert!(
            w.store()
                .contact(PAGE, &blocked)
                .await
                .unwrap()
                .unwrap()
                .unreachable
        );
        let again = w.submit(&agent(&blocked, "Hello again?")).await;
        assert_eq!(again.decision.rule, Rule::ContactUnreachable);

        // 2018278: Meta's clock says the window closed; Fenestra learns it.
        let late = w.customer("Chi").await;
        w.says(&late, "hi").await;
        w.ctl.advance(25 * 3600).await.unwrap();
        let s = w.submit(&agent(&late, "Sorry for the wait")).await;
        assert!(s.allowed());
        let row = w
            .outbox_reaches(s.outbox_ids[0], &[OutboxStatus::Failed])
            .await;
        assert_eq!(
            (row.error_code, row.error_subcode),
            (Some(10), Some(2018278)),
            "{}",
            w.label
        );
        let next = w.submit(&agent(&late, "Sorry for the wait")).await;
        assert_eq!(next.decision.rule, Rule::OutsideWindow, "{}", w.label);

        // 190: the token was refused; the page pauses, the message waits, a new token resumes it.
        let waiting = w.customer("Dung").await;
        w.says(&waiting, "hi").await;
        let page = |token: &str| store::Page {
            id: PAGE.into(),
            access_token: Some(token.into()),
            ..store::Page::default()
        };
        w.store().upsert_page(&page("EXPIRED")).await.unwrap();
        let s = w.submit(&agent(&waiting, "Here is your invoice")).await;
        w.until("the page is paused", || async {
            w.store()
                .page(PAGE)
                .await
                .unwrap()
                .unwrap()
                .paused_reason
                .is_some()
        })
        .await;
        let health = reqwest::get(format!("{}/healthz", w.server.url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(health.contains("ALERT page 1001 sends paused"), "{health}");
        assert_eq!(
            w.store()
                .outbox_row(s.outbox_ids[0])
                .await
                .unwrap()
                .unwrap()
                .status,
            OutboxStatus::Queued
        );
        w.store().upsert_page(&page(TOKEN)).await.unwrap();
        w.server.engine.signals.queued.notify_one();
        w.outbox_reaches(s.outbox_ids[0], SENT).await;
        w.stop().await;
    }
}

#[tokio::test]
async fn meta_rate_limits_slow_the_page_down_and_nothing_is_lost() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let mut customers = vec![];
        for i in 0..8 {
            let psid = w.customer(&format!("R{i}")).await;
            w.says(&psid, "hi").await;
            customers.push(psid);
        }
        w.ctl
            .post("/page", json!({"rate_limit_per_sec": 5}))
            .await
            .unwrap();
        let mut ids = vec![];
        for n in 0..5 {
            for psid in &customers {
                ids.push(
                    w.submit(&agent(psid, &format!("update {n}")))
                        .await
                        .outbox_ids[0],
                );
            }
        }
        for id in &ids {
            w.outbox_reaches(*id, SENT).await;
        }
        let limited = w
            .ctl
            .sends()
            .await
            .unwrap()
            .iter()
            .filter(|s| s["code"] == 613)
            .count();
        assert!(limited > 0, "{}: the emulator never said 613", w.label);
        let accepted = w.accepted_by_metadata().await;
        assert!(
            ids.iter()
                .all(|id| accepted.get(&store::outbox_metadata(*id)) == Some(&1))
        );
        w.stop().await;
    }
}
