//! The `fenestra` binary as users and outside checks run it.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::{fenestra, free_port, run_on, wait_up};
use messenger::signature::sign;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../messenger/tests/fixtures")
}

#[test]
fn webhook_parse_reports_the_listed_kinds_for_every_fixture() {
    let table = std::fs::read_to_string(fixtures().join("kinds.tsv")).unwrap();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (file, kinds) = line.split_once('\t').unwrap();
        let out = fenestra()
            .args(["webhook", "parse"])
            .arg(fixtures().join("webhooks").join(file))
            .output()
            .unwrap();
        if kinds == "MALFORMED" {
            assert_eq!(out.status.code(), Some(2), "{file}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("malformed JSON at line"), "{file}: {err}");
            continue;
        }
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!lines.is_empty(), "{file}");
        for l in &lines {
            for key in ["kind", "page_id", "sender", "time"] {
                assert!(l.get(key).is_some(), "{file}: no {key} in {l}");
            }
        }
        if kinds != "*" {
            let mut got: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
            got.extend(
                lines
                    .iter()
                    .filter_map(|l| l["inner"]["kind"].as_str())
                    .filter(|k| *k != "unknown"),
            );
            got.sort();
            got.dedup();
            let mut want: Vec<&str> = kinds.split(',').collect();
            want.sort();
            assert_eq!(got, want, "{file}");
        }
    }
}

#[test]
fn webhook_parse_reads_stdin_and_explains_bad_input() {
    let mut child = fenestra()
        .args(["webhook", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1700000000000,"read":{"watermark":1}}]}]}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            line["kind"].as_str(),
            line["sender"].as_str(),
            line["time"].as_i64()
        ),
        (Some("read"), Some("2"), Some(1_700_000_000_000))
    );

    let missing = fenestra()
        .args(["webhook", "parse", "/nonexistent.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent.json"));
}

#[test]
fn webhook_sign_matches_the_library() {
    let out = fenestra()
        .args(["webhook", "sign", "--app-secret", "key"])
        .arg(fixtures().join("webhooks/text__botman.json"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let body = std::fs::read(fixtures().join("webhooks/text__botman.json")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        sign(b"key", &body)
    );
}

#[test]
fn serve_names_a_missing_or_wrong_setting() {
    let out = fenestra()
        .args(["serve"])
        .env_remove("FENESTRA_APP_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("FENESTRA_APP_SECRET (--app-secret) is not set")
    );
    let out = fenestra()
        .args([
            "serve",
            "--app-secret",
            "s",
            "--verify-token",
            "v",
            "--listen",
            "nowhere",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`nowhere` is not an address"));
    let out = fenestra()
        .args(["migrate", "--database-url", "mysql://db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("database URL `mysql://db` is not understood")
    );
}

fn spawn_serve(db: &str, port: u16, extra: &[&str]) -> Child {
    fenestra()
        .args([
            "serve",
            "--app-secret",
            "s3cret",
            "--verify-token",
            "v",
            "--database-url",
            db,
        ])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test]
async fn kill_9_between_storing_and_processing_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("f.db").display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut ingest_only = spawn_serve(&db, port, &["--role", "web"]);
    wait_up(port).await;
    let client = reqwest::Client::new();
    for i in 0..50 {
        let body = format!(
            r#"{{"object":"page","entry":[{{"id":"1001","time":1,"messaging":[{{"sender":{{"id":"c{i}"}},"recipient":{{"id":"1001"}},"timestamp":{},"message":{{"mid":"m.{i}","text":"hi"}}}}]}}]}}"#,
            1_700_000_000_000_i64 + i
        );
        let resp = client
            .post(format!("{base}/webhook"))
            .header("X-Hub-Signature-256", sign(b"s3cret", body.as_bytes()))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
    }
    ingest_only.kill().unwrap(); // SIGKILL
    ingest_only.wait().unwrap();

    let port = free_port();
    let mut server = spawn_serve(&db, port, &[]);
    wait_up(port).await;
    let mut processed = 0.0;
    for _ in 0..200 {
        processed = common::metric(port, "fenestra_webhook_events_processed_total").await;
        if processed >= 50.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(processed, 50.0);
}

/// `fenestra demo` as a newcomer runs it: it seeds, prints the URLs, and the product works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_seeds_customers_and_answers_a_new_one() {
    let demo = common::Demo::start();
    let printed = &demo.printed;
    let text = printed.join("\n");
    assert!(text.contains("login admin / fenestra-demo"), "{text}");
    let emulator = demo.emulator();
    let psid_of = |name: &str| demo.psid_of(name);
    let db = demo.db();
    // The team's setup is there to try: saved replies (one with a button and quick replies), a
    // persona made through the Personas API, Karim's conversation taken, labelled and noted.
    {
        let store = store::connect(&db).await.unwrap();
        let replies = store.saved_replies().await.unwrap();
        assert_eq!(replies.len(), 3);
        assert!(
            replies
                .iter()
                .any(|r| r.rich.as_deref().is_some_and(|j| j.contains("SIZE_M")))
        );
        assert_eq!(
            store.personas("1001").await.unwrap()[0].name,
            "Mai (support)"
        );
        let karim = store
            .team_state("1001", &psid_of("Karim"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (karim.assignee.as_deref(), karim.labels.0),
            (Some("admin"), vec!["order".to_owned()])
        );
        // Meta Business Suite's inbox controls Minh's thread.
        let minh = store
            .contact("1001", &psid_of("Minh"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(minh.thread_owner.as_deref(), Some("263902037430900"));
    }
    let minh = fenestra()
        .args([
            "send",
            "--database-url",
            &db,
            "--page",
            "1001",
            "--to",
            &psid_of("Minh"),
        ])
        .args(["--text", "Yes, size L is in stock"])
        .output()
        .unwrap();
    let decision: serde_json::Value = serde_json::from_slice(&minh.stdout).unwrap();
    assert_eq!(decision["decision"]["rule"], "thread_owned_by_other_app");

    // Hoa wrote 9 days ago: a free-form message is refused (exit 3), the utility template goes.
    let refused = fenestra()
        .args([
            "send",
            "--database-url",
            &db,
            "--page",
            "1001",
            "--to",
            &psid_of("Hoa"),
            "--text",
            "Your order is ready",
        ])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let decision: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(decision["decision"]["rule"], "outside_window");
    let karim = fenestra()
        .args([
            "send",
            "--database-url",
            &db,
            "--page",
            "1001",
            "--to",
            &psid_of("Karim"),
            "--text",
            "Your order is ready",
            "--tag",
            "HUMAN_AGENT",
        ])
        .output()
        .unwrap();
    assert_eq!(
        karim.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&karim.stderr)
    );

    // A new customer writes from the phone and is greeted by name.
    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{emulator}/_emulator/users"))
        .json(&serde_json::json!({"first_name": "Thu"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let psid = created["psid"].as_str().unwrap().to_owned();
    http.post(format!("{emulator}/_emulator/users/{psid}/say"))
        .json(&serde_json::json!({"text": "hello"}))
        .send()
        .await
        .unwrap();
    let mut greeting = serde_json::Value::Null;
    for _ in 0..200 {
        let inbox: serde_json::Value = http
            .get(format!("{emulator}/_emulator/users/{psid}/inbox"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(first) = inbox.get(0) {
            greeting = first.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    drop(demo);
    // The demo shop's hours are in Vietnam time: inside them the instant reply greets Thu by
    // name (in Vietnamese: her Messenger locale is vi_VN), outside them the away message
    // answers instead.
    let text = greeting["text"].as_str().unwrap_or("");
    assert!(
        text.starts_with("Chào Thu,") || text.starts_with("Shop đang nghỉ"),
        "{greeting}"
    );
}

#[test]
fn user_add_list_token_disable() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let run = |args: &[&str], stdin: &str| run_on(&db, args, stdin);
    let added = run(
        &[
            "user",
            "add",
            "--username",
            "mai",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "a long passphrase\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let no_password = run(&["user", "add", "--username", "lan"], "");
    assert_eq!(no_password.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_password.stderr).contains("FENESTRA_USER_PASSWORD"));
    let bad_role = run(
        &[
            "user",
            "add",
            "--username",
            "lan",
            "--role",
            "owner",
            "--password-stdin",
        ],
        "a long passphrase\n",
    );
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("must be admin or agent"));
    // A token is printed once, 64 hex characters, and acts as the user.
    let token = run(&["user", "token", "--username", "mai", "--name", "crm"], "");
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8(token.stdout).unwrap();
    assert!(
        token.trim().len() == 64 && token.trim().chars().all(|c| c.is_ascii_hexdigit()),
        "{token:?}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let holder = rt.block_on(async {
        let store = store::connect(&db).await.unwrap();
        store
            .api_token_user(
                &engine::accounts::token_hash(token.trim()),
                store::Time::now(),
            )
            .await
            .unwrap()
    });
    assert_eq!(holder.map(|u| u.username).as_deref(), Some("mai"));
    let nobody = run(&["user", "token", "--username", "nobody"], "");
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no enabled user named `nobody`"));
    assert!(
        run(&["user", "disable", "--username", "mai"], "")
            .status
            .success()
    );
    let missing = run(&["user", "disable", "--username", "nobody"], "");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no user named `nobody`"));
    let listed = String::from_utf8(run(&["user", "list"], "").stdout).unwrap();
    assert!(listed.contains("mai\tadmin\tdisabled"), "{listed}");
}

#[test]
fn automations_apply_export_and_history_with_problems_named_by_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    let run = |args: &[&str], stdin: &str| run_on(&db, args, stdin);
    let ok = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        )
    };
    ok(&run(&["page", "add", "--id", "1001", "--token", "T"], ""));
    let shop =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../automations/tests/fixtures/shop.yaml");
    let shop = shop.to_str().unwrap();
    ok(&run(&["automations", "apply", "--page", "1001", shop], ""));

    // A document with mistakes changes nothing and names each.
    let bad = "instant_reply:\n  regreet_after: someday\nkeywords:\n  - match: [price]\n    reply:\n      text: x\n      quick_replies: [{title: \"A title far too long for Meta\", payload: P}]\n";
    let refused = run(&["automations", "apply", "--page", "1001", "-"], bad);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("line 2, instant_reply.regreet_after: `someday` is not a length of time"),
        "{err}"
    );
    let checked = run(
        &["automations", "apply", "--check", "--page", "1001", "-"],
        "keywords: [{match: [a]}]\n",
    );
    assert!(
        String::from_utf8_lossy(&checked.stderr)
            .contains("line 1, keywords[0]: missing field `reply`"),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );

    let exported = run(&["automations", "export", "--page", "1001"], "");
    ok(&exported);
    let yaml = String::from_utf8(exported.stdout).unwrap();
    assert_eq!(
        automations::parse(&yaml).unwrap(),
        automations::parse(&std::fs::read_to_string(shop).unwrap()).unwrap()
    );
    let history = run(&["automations", "history", "--page", "1001"], "");
    let history = String::from_utf8(history.stdout).unwrap();
    assert_eq!(
        history.lines().count(),
        2,
        "one version applied:\n{history}"
    );
    assert!(history.contains("\tcli:"), "{history}");
    let unknown = run(&["automations", "apply", "--page", "2002", shop], "");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("page 2002 is not known"));
}

#[test]
fn flows_apply_export_and_history_with_problems_named_by_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("f.db").display());
    let run = |args: &[&str], stdin: &str| run_on(&db, args, stdin);
    let ok = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        )
    };
    ok(&run(&["page", "add", "--id", "1001", "--token", "T"], ""));
    let salon = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/flows/salon.yaml");
    let salon = salon.to_str().unwrap();
    let checked = run(&["flows", "apply", "--check", "--page", "1001", salon], "");
    ok(&checked);
    assert!(String::from_utf8_lossy(&checked.stderr).contains("no problems (3 flows)"));
    ok(&run(&["flows", "apply", "--page", "1001", salon], ""));
    let bad = std::fs::read_to_string(salon)
        .unwrap()
        .replace("goto: colour", "goto: color");
    let refused = run(&["flows", "apply", "--page", "1001", "-"], &bad);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("flows[0].steps.which.branch: no step is named `color`"),
        "{err}"
    );
    let exported = run(&["flows", "export", "--page", "1001"], "");
    ok(&exported);
    assert_eq!(
        flows::parse(&String::from_utf8(exported.stdout).unwrap()).unwrap(),
        flows::parse(&std::fs::read_to_string(salon).unwrap()).unwrap()
    );
    let history = run(&["flows", "history", "--page", "1001"], "");
    let history = String::from_utf8(history.stdout).unwrap();
    assert!(
        history.starts_with("version\tapplied_at\tapplied_by\n1\t"),
        "{history}"
    );
    assert!(history.contains("flow\tstep\tcustomers"), "{history}");
}
