//! `kill -9` of `fenestra serve` while 1,000 messages are queued and going out: after a
//! restart (as two processes sharing the database) none is lost and none is sent twice (counted
//! by metadata in the emulator's send log), on SQLite and on PostgreSQL.

mod common;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Serve, fenestra, free_port, kill_9, wait_up};
use emulator::client::ControlClient;
use engine::Engine;
use engine::outbox::{Actor, Draft};
use serde_json::json;
use store::testing;

const SECRET: &str = "crash-secret";

fn serve(db: &str, port: u16, emulator_port: u16) -> Serve {
    let child = fenestra()
        .args(["serve", "--app-secret", SECRET, "--verify-token", "v"])
        .args([
            "--database-url",
            db,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args([
            "--graph-url",
            &format!("http://127.0.0.1:{emulator_port}/v27.0"),
        ])
        .args(["--page-id", "1001", "--page-token", "PAGE_TOKEN"])
        .args([
            // Slow enough that the rest takes seconds and both processes get a share.
            "--send-rate",
            "100",
            "--send-lease-seconds",
            "2",
            // Long enough for the echoes queued at Meta while no process listened to arrive
            // after the restart (the emulator backs off like Meta does); a shorter window
            // re-sends a message whose echo is merely late, which is the trade this flag makes.
            "--reconcile-seconds",
            "15",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Serve(child)
}

/// Accepted sends by their metadata.
async fn accepted(ctl: &ControlClient) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (metadata, _) in common::accepted_sends(ctl).await {
        *counts.entry(metadata).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_with_a_thousand_messages_queued_loses_none_and_sends_none_twice() {
    for db in testing::all().await {
        let (port, emulator_port) = (free_port(), free_port());
        let mut server = serve(&db.url, port, emulator_port);
        wait_up(port).await;
        let mut ecfg = emulator::Config::new(format!("127.0.0.1:{emulator_port}").parse().unwrap());
        ecfg.webhook_url = Some(format!("http://127.0.0.1:{port}/webhook"));
        ecfg.app_secret = SECRET.into();
        ecfg.verify_token = "v".into();
        ecfg.retry_base = Duration::from_millis(50);
        let emu = emulator::start(ecfg).await.unwrap();
        let ctl = ControlClient::new(&emu.url());

        let store = store::connect(&db.url).await.unwrap();
        let mut customers = vec![];
        for i in 0..200 {
            let psid = ctl.customer(&format!("K{i}"), "Le", "vi_VN").await.unwrap();
            ctl.say(&psid, "hi").await.unwrap();
            customers.push(psid);
        }
        ctl.webhooks_delivered(Duration::from_secs(20))
            .await
            .unwrap();
        for psid in &customers {
            while store.contact("1001", psid).await.unwrap().is_none() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        // Queue everything while no server runs, then let one start sending slowly.
        kill_9(server);
        // This process only decides and queues, as `fenestra send` does.
        let engine = Engine::new(
            store.clone(),
            messenger::GraphClient::new("http://127.0.0.1:9", Duration::from_secs(1)),
        );
        let mut ids = vec![];
        for n in 0..5 {
            for psid in &customers {
                let draft = Draft::text(
                    "1001",
                    psid,
                    Actor::Agent("ops".into()),
                    &format!("notice {n}"),
                );
                let s = engine.submit(&draft).await.unwrap();
                assert!(s.allowed(), "{}: {:?}", db.label, s.decision);
                ids.push(s.outbox_ids[0]);
            }
        }
        assert_eq!(ids.len(), 1000);
        ctl.faults(json!({"send_latency_ms": 40})).await.unwrap();
        server = serve(&db.url, port, emulator_port);
        wait_up(port).await;
        let started = Instant::now();
        while accepted(&ctl).await.len() < 200 {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{}: sends did not start",
                db.label
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        kill_9(server);
        let before_restart = accepted(&ctl).await.len();
        assert!(
            before_restart < 1000,
            "{}: everything went out before the kill",
            db.label
        );

        // Two processes share the rest; only the first receives Meta's webhooks.
        // The one without webhooks starts first, so it is sending before the other is up.
        let second_port = free_port();
        let second = serve(&db.url, second_port, emulator_port);
        wait_up(second_port).await;
        let server = serve(&db.url, port, emulator_port);
        wait_up(port).await;
        common::until_outbox_settled(
            store.as_ref(),
            Duration::from_secs(90),
            &format!("{}: not drained after restart", db.label),
        )
        .await;
        let sent = accepted(&ctl).await;
        for id in &ids {
            let key = store::outbox_metadata(*id);
            assert_eq!(
                sent.get(&key),
                Some(&1),
                "{}: {key} accepted {:?} times",
                db.label,
                sent.get(&key)
            );
        }
        assert_eq!(sent.len(), 1000);
        eprintln!(
            "{}: killed after {before_restart} of 1,000 sends; all 1,000 went out exactly once",
            db.label
        );
        let second_sent =
            common::metric(second_port, "fenestra_sends_total{outcome=\"sent\"}").await;
        assert!(
            second_sent > 0.0,
            "{}: the second process sent nothing",
            db.label
        );
        eprintln!("{}: the second process sent {second_sent}", db.label);
        kill_9(server);
        kill_9(second);
        emu.shutdown().await;
    }
}
