//! Real third-party Messenger clients, installed from the npm registry and PyPI, pointed at the
//! emulator: they must get the same answers (shapes, ids, Meta's errors) as from Meta.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("clients")
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(name)
}

/// Runs an installer unless `marker` exists; fails the test with its output otherwise.
fn install(marker: &Path, program: &str, args: &[&str]) {
    if marker.exists() {
        return;
    }
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program}: {e} (scripts/test installs Node.js and Python)")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        marker.exists(),
        "{program} did not install {}",
        marker.display()
    );
}

fn run(program: &str, script: &Path, envs: &[(&str, String)]) -> Value {
    let out = Command::new(program)
        .arg(script)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

// The script runs synchronously: the emulator needs threads of its own meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messaging_api_messenger_sends_through_the_emulator() {
    let dir = clients_dir().join("node");
    install(
        &dir.join("node_modules/messaging-api-messenger/package.json"),
        "npm",
        &[
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            dir.to_str().unwrap(),
            "messaging-api-messenger@1.1.0",
        ],
    );
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi shop"}))
        .await;

    let out = run(
        "node",
        &script("messaging_api_messenger.js"),
        &[
            ("EMULATOR_URL", emu.url()),
            ("PSID", psid.clone()),
            ("NODE_PATH", dir.join("node_modules").display().to_string()),
        ],
    );
    for key in ["text", "quickReplies", "template", "tagged", "persona"] {
        assert_eq!(out[key]["recipientId"], psid.as_str(), "{key}: {out}");
        assert!(
            out[key]["messageId"]
                .as_str()
                .is_some_and(|m| m.starts_with("m_")),
            "{key}: {out}"
        );
    }
    let late = &out["outsideWindow"];
    assert_eq!(late["status"], 400, "{out}");
    // The library camel-cases the body it hands back; on the wire it is Meta's snake case.
    assert_eq!(
        (
            late["body"]["error"]["code"].as_i64(),
            late["body"]["error"]["errorSubcode"].as_i64()
        ),
        (Some(10), Some(2018278)),
        "{out}"
    );
    assert_eq!(
        late["message"],
        "Messenger API - 10 OAuthException (#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview"
    );

    // What the customer received, as the library meant it.
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    let inbox = inbox.as_array().unwrap();
    assert_eq!(inbox.len(), 5);
    assert_eq!(
        inbox[1]["quick_replies"][1],
        json!({"content_type": "text", "title": "M", "payload": "SIZE_M"})
    );
    assert_eq!(inbox[2]["attachment"]["payload"]["template_type"], "button");
    assert_eq!(
        (
            inbox[3]["messaging_type"].as_str(),
            inbox[3]["tag"].as_str()
        ),
        (Some("MESSAGE_TAG"), Some("HUMAN_AGENT"))
    );
    assert_eq!(inbox[4]["persona_id"], out["personaId"]);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fbmessenger_sends_through_the_emulator() {
    let dir = clients_dir().join("py");
    install(
        &dir.join("fbmessenger/__init__.py"),
        "python3",
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            dir.to_str().unwrap(),
            "fbmessenger==6.0.0",
        ],
    );
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Ahmad").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "salam"}))
        .await;

    let out = run(
        "python3",
        &script("fbmessenger_client.py"),
        &[
            ("EMULATOR_URL", emu.url()),
            ("PSID", psid.clone()),
            ("PYTHONPATH", dir.display().to_string()),
        ],
    );
    for key in ["text", "quick_reply"] {
        let keys: Vec<&String> = out[key].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["message_id", "recipient_id"], "{key}: {out}");
        assert_eq!(out[key]["recipient_id"], psid.as_str());
    }
    assert_eq!(out["unknown_user"]["error"]["code"], 100);
    assert_eq!(out["unknown_user"]["error"]["error_subcode"], 2018001);
    assert_eq!(
        out["profile"],
        json!({"id": psid, "first_name": "Ahmad", "last_name": "Tran"})
    );
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    assert_eq!(inbox[1]["quick_replies"][0]["payload"], "CONFIRM_YES");
    assert_eq!(inbox[1]["text"], "Confirm the booking?");
    emu.shutdown().await;
}
