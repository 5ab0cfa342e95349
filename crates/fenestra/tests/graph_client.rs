//! `messenger::GraphClient` against the emulator over real HTTP: successes, Meta's errors with
//! their classification, and which failures leave the outcome of a send unknown.

use std::time::Duration;

use messenger::graph_error::ErrorClass;
use messenger::send::{MessagingType, OutgoingMessage, Recipient, SendRequest};
use messenger::{GraphClient, SendError};
use serde_json::{Value, json};

async fn emulator() -> emulator::RunningEmulator {
    let mut cfg = emulator::Config::new("127.0.0.1:0".parse().unwrap());
    cfg.now_ms = Some(1_773_144_000_000);
    emulator::start(cfg).await.unwrap()
}

async fn control(emu: &emulator::RunningEmulator, path: &str, body: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{}/_emulator{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn text(psid: &str, t: &str) -> SendRequest {
    SendRequest {
        recipient: Recipient::Id(psid.into()),
        messaging_type: Some(MessagingType::Response),
        tag: None,
        message: Some(OutgoingMessage {
            text: Some(t.into()),
            metadata: Some("ob-7".into()),
            ..Default::default()
        }),
        sender_action: None,
        notification_type: None,
        persona_id: None,
    }
}

#[tokio::test]
async fn sends_and_classifies_failures() {
    let emu = emulator().await;
    let graph = GraphClient::new(&format!("{}/v27.0", emu.url()), Duration::from_secs(2));
    let psid = control(&emu, "/users", json!({"first_name": "Lan"})).await["psid"]
        .as_str()
        .unwrap()
        .to_owned();
    control(&emu, &format!("/users/{psid}/say"), json!({"text": "hi"})).await;

    let ok = graph
        .send("PAGE_TOKEN", &text(&psid, "Chào chị Lan!"))
        .await
        .unwrap();
    assert_eq!(ok.recipient_id.as_deref(), Some(psid.as_str()));
    assert!(ok.message_id.unwrap().starts_with("m_"));
    let profile = graph
        .user_profile("PAGE_TOKEN", &psid, "first_name,last_name")
        .await
        .unwrap();
    assert_eq!(profile.first_name.as_deref(), Some("Lan"));

    let bad_token = graph.send("WRONG", &text(&psid, "x")).await.unwrap_err();
    assert!(
        matches!(&bad_token, SendError::Graph { status: 400, error } if error.code() == 190),
        "{bad_token}"
    );
    assert_eq!(
        (bad_token.class(), bad_token.outcome_unknown()),
        (ErrorClass::StopPage, false)
    );

    let unknown = graph
        .send("PAGE_TOKEN", &text("42", "x"))
        .await
        .unwrap_err();
    assert_eq!(unknown.class(), ErrorClass::StopContact);

    control(&emu, "/clock/advance", json!({"seconds": 25 * 3600})).await;
    let late = graph
        .send("PAGE_TOKEN", &text(&psid, "still there?"))
        .await
        .unwrap_err();
    assert!(late.to_string().contains("2018278"), "{late}");
    assert_eq!(late.class(), ErrorClass::StopContact);

    // Injected temporary failure: Meta's 1200, retry later; nothing was delivered.
    control(&emu, "/faults", json!({"send_error_rate": 1.0})).await;
    let temporary = graph
        .send("PAGE_TOKEN", &text(&psid, "x"))
        .await
        .unwrap_err();
    assert_eq!(
        (temporary.class(), temporary.outcome_unknown()),
        (ErrorClass::RetryLater, false),
        "{temporary}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_timeout_leaves_the_outcome_unknown_and_a_refusal_does_not() {
    let emu = emulator().await;
    let psid = control(&emu, "/users", json!({})).await["psid"]
        .as_str()
        .unwrap()
        .to_owned();
    control(&emu, &format!("/users/{psid}/say"), json!({"text": "hi"})).await;
    control(&emu, "/faults", json!({"send_latency_ms": 1500})).await;
    let impatient = GraphClient::new(&format!("{}/v27.0", emu.url()), Duration::from_millis(300));
    let lost = impatient
        .send("PAGE_TOKEN", &text(&psid, "did it go?"))
        .await
        .unwrap_err();
    assert!(matches!(lost, SendError::NoAnswer(_)), "{lost}");
    assert_eq!(
        (lost.class(), lost.outcome_unknown()),
        (ErrorClass::RetryLater, true)
    );
    // The emulator did deliver it: exactly why the sender must reconcile through the echo.
    let inbox_of = || async {
        reqwest::get(format!("{}/_emulator/users/{psid}/inbox", emu.url()))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while inbox_of().await[0].is_null() {
        assert!(
            std::time::Instant::now() < deadline,
            "the send never arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(inbox_of().await[0]["metadata"], "ob-7");
    emu.shutdown().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = GraphClient::new(
        &format!("http://127.0.0.1:{port}/v27.0"),
        Duration::from_secs(1),
    );
    let refused = nowhere
        .send("PAGE_TOKEN", &text(&psid, "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SendError::Unreachable { .. }),
        "{refused}"
    );
    assert_eq!(
        (refused.class(), refused.outcome_unknown()),
        (ErrorClass::RetryLater, false)
    );
}
