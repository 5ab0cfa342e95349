//! Real third-party Messenger clients, installed from the npm registry and PyPI, pointed at the
//! emulator: they must get the same answers (shapes, ids, Meta's errors) as from Meta.
//!
//! The packages are downloaded once into a cache (`$FENESTRA_CLIENTS_CACHE`, by default
//! `~/.cache/fenestra/test-clients`) that survives `cargo clean`; after that the tests install
//! from it and run offline.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("clients")
}

/// Where downloaded packages are kept between runs.
fn cache_dir() -> PathBuf {
    std::env::var_os("FENESTRA_CLIENTS_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/fenestra/test-clients"))
        })
        .unwrap_or_else(|| clients_dir().join("cache"))
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(name)
}

/// Runs `program args`; the error says what it printed.
fn try_run(program: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        format!("cannot run {program}: {e} (scripts/test installs Node.js and Python)")
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs the first installer that succeeds unless `marker` exists; fails the test with what
/// the last one printed otherwise.
fn install(marker: &Path, attempts: &[(&str, Vec<&str>)]) {
    if marker.exists() {
        return;
    }
    let mut last = String::new();
    for (program, args) in attempts {
        match try_run(program, args) {
            Ok(()) if marker.exists() => return,
            Ok(()) => last = format!("{program} did not install {}", marker.display()),
            Err(e) => last = e,
        }
    }
    panic!("{last}");
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
    let cache = cache_dir().join("npm");
    // npm's own cache: offline once it holds the package and its dependencies.
    install(
        &dir.join("node_modules/messaging-api-messenger/package.json"),
        &[(
            "npm",
            vec![
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                "--cache",
                cache.to_str().unwrap(),
                "--prefix",
                dir.to_str().unwrap(),
                "messaging-api-messenger@1.1.0",
            ],
        )],
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
    let cache = cache_dir().join("pip");
    let (dir_s, cache_s) = (dir.to_str().unwrap(), cache.to_str().unwrap());
    let from_cache = vec![
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-index",
        "--find-links",
        cache_s,
        "--target",
        dir_s,
        "fbmessenger==6.0.0",
    ];
    // From the cache; else download into it (needs the network once), then from the cache.
    install(
        &dir.join("fbmessenger/__init__.py"),
        &[
            ("python3", from_cache.clone()),
            (
                "python3",
                vec![
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--dest",
                    cache_s,
                    "fbmessenger==6.0.0",
                ],
            ),
            ("python3", from_cache),
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
