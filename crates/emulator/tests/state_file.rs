//! `--state FILE`: customers, what they received, templates and the clock survive a restart.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("emulator.json");
    let start_with_file = || {
        let mut cfg = emulator::Config::new("127.0.0.1:0".parse().unwrap());
        cfg.state_file = Some(file.clone());
        emulator::start(cfg)
    };
    let first = start_with_file().await.unwrap();
    let c = Client::new(&first);
    let psid = c.customer("Lan").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    assert_eq!(
        c.send(json!({"recipient": {"id": psid}, "message": {"text": "hello Lan"}}))
            .await
            .0,
        200
    );
    c.advance(2 * 86_400).await;
    let before = c.get("/_emulator/clock").await["now_ms"].as_i64().unwrap();
    first.shutdown().await;

    let second = start_with_file().await.unwrap();
    let c = Client::new(&second);
    let users = c.get("/_emulator/users").await;
    assert_eq!(users[0]["psid"], psid.as_str());
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    assert_eq!(inbox[0]["text"], "hello Lan");
    let after = c.get("/_emulator/clock").await["now_ms"].as_i64().unwrap();
    assert!(
        after >= before,
        "the clock kept its advance: {after} < {before}"
    );
    // The window the customer opened two days ago is closed after the restart too.
    let late = c
        .send(json!({"recipient": {"id": psid}, "message": {"text": "still there?"}}))
        .await;
    assert_eq!(error_of(&late).2, Some(2018278));
    second.shutdown().await;
}
