//! `fenestra analytics rebuild` on the database of a running `fenestra demo`: it recomputes the
//! rollups with progress, and the Analytics figures come out as the server kept them while the
//! demo's customers wrote and were answered.

mod common;

use std::time::Duration;

use store::Time;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_the_rollups_gives_the_figures_the_server_kept() {
    let demo = common::Demo::start();
    let db = demo.db();
    let store = store::connect(&db).await.unwrap();
    let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
    let engine = engine::Engine::new(store.clone(), graph);
    let (from, to) = (
        Time::now() - Duration::from_secs(30 * 86_400),
        Time::now() + Duration::from_secs(86_400),
    );
    let kept = engine.dashboard("1001", from, to).await.unwrap();
    assert!(kept.responsiveness.team.requests > 0, "{kept:?}");
    assert!(kept.activity.messages_in > 0, "{kept:?}");

    let out = common::run_on(&db, &["analytics", "rebuild"], "");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("page 1001: rebuilt in"), "{said}");
    assert!(said.contains("conversations folded"), "{said}");

    let rebuilt = engine.dashboard("1001", from, to).await.unwrap();
    assert_eq!(rebuilt.responsiveness.team, kept.responsiveness.team);
    assert_eq!(rebuilt.responsiveness.badge, kept.responsiveness.badge);
    assert_eq!(
        (rebuilt.activity.messages_in, rebuilt.activity.messages_out),
        (kept.activity.messages_in, kept.activity.messages_out)
    );
    assert_eq!(rebuilt.activity.heat, kept.activity.heat);
    assert_eq!(
        rebuilt.activity.compliance.allowed,
        kept.activity.compliance.allowed
    );
    let csv = rebuilt.csv("rules").unwrap();
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .starts_with("rule,verdict,decisions\n")
    );
}
