//! The security review's attacks (issue 13) against a real `fenestra serve` process on SQLite,
//! over HTTP on 127.0.0.1, each shown to fail. `scripts/attack` runs this built with
//! optimizations and prints what it measured. The server trusts 127.0.0.1 as a proxy, so each
//! request can come from its own client address (`X-Forwarded-For`), as an attacker with many
//! addresses would.

mod common;

use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "attack-secret";
const PASSWORD: &str = "a long passphrase";

struct Target {
    server: Child,
    base: String,
    addr: String,
    db: String,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

async fn start() -> Target {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fenestra.db");
    let db = format!("sqlite://{}", path.display());
    for (user, role) in [("lan", "admin"), ("mai", "agent")] {
        let add = ["user", "add", "--username", user, "--role", role];
        ok_on(&db, &[&add[..], &["--password-stdin"]].concat(), PASSWORD);
    }
    ok_on(&db, &["page", "add", "--id", "1001", "--token", "T"], "");
    let port = free_port();
    let server = fenestra()
        .args(["serve", "--app-secret", SECRET, "--verify-token", "v"])
        .args([
            "--database-url",
            &db,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--trusted-proxies", "127.0.0.1"])
        .args(["--graph-url", "http://127.0.0.1:9/v27.0"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_up(port).await;
    Target {
        server,
        base: format!("http://127.0.0.1:{port}"),
        addr: format!("127.0.0.1:{port}"),
        db,
        path,
        _dir: dir,
    }
}

impl Target {
    fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.server.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        kb / 1024.0
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The answer's status; 502 when the connection broke before one came.
async fn login(base: &str, from: &str, user: &str, password: &str) -> StatusCode {
    http()
        .post(format!("{base}/login"))
        .header("x-forwarded-for", from)
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .map(|r| r.status())
        .unwrap_or(StatusCode::BAD_GATEWAY)
}

fn message_body(psid: &str, n: i64) -> String {
    format!(
        r#"{{"object":"page","entry":[{{"id":"1001","time":1,"messaging":[{{"sender":{{"id":"{psid}"}},"recipient":{{"id":"1001"}},"timestamp":{},"message":{{"mid":"m.{psid}.{n}","text":"hi {n}"}}}}]}}]}}"#,
        1_780_000_000_000_i64 + n
    )
}

/// POSTs a signed webhook; returns how long the acknowledgement took.
async fn webhook(base: &str, body: String) -> Duration {
    let signature = fenestra_sign(body.as_bytes());
    let started = Instant::now();
    let r = http()
        .post(format!("{base}/webhook"))
        .header("X-Hub-Signature-256", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    started.elapsed()
}

fn fenestra_sign(body: &[u8]) -> String {
    messenger::signature::sign(SECRET.as_bytes(), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_attack_of_the_review_fails_against_a_running_server() {
    let t = start().await;
    let base = t.base.clone();
    println!("resident memory at start: {:.1} MB", t.rss_mb());

    // A half-sent request: the server drops it after 10 s instead of holding it for good.
    let addr = t.addr.clone();
    let slowloris = tokio::spawn(async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /login HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        let started = Instant::now();
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut rest)).await;
        (closed.is_ok(), started.elapsed())
    });

    // The database file holds page tokens and password hashes: owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&t.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the database file is {mode:o}");
        println!("database file mode: {mode:o}");
    }

    // 120 logins with 1 MB user names: refused unread, and memory stays put.
    for i in 0..4 {
        login(&base, &format!("10.9.0.{i}"), "warm", "up").await;
    }
    let before = t.rss_mb();
    let huge = "m".repeat(1 << 20);
    let big = (0..120).map(|i| {
        let (base, huge) = (base.clone(), huge.clone());
        async move { login(&base, &format!("10.8.{}.{}", i / 200, i % 200), &huge, "x").await }
    });
    let statuses = futures_util::future::join_all(big).await;
    // 413 before the body is read; the server then closes the connection, which a client
    // still sending may see as a reset instead of the answer (`login` reports it as 502).
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::PAYLOAD_TOO_LARGE, StatusCode::BAD_GATEWAY].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::PAYLOAD_TOO_LARGE));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = t.rss_mb();
    println!(
        "resident memory: {before:.1} MB before 120 logins with 1 MB names, {after:.1} MB after"
    );
    assert!(
        after - before < 60.0,
        "memory grew {:.1} MB",
        after - before
    );

    // Thirty addresses guessing mai's password cannot keep her out.
    let guesses = (0..30).map(|i| {
        let base = base.clone();
        async move { login(&base, &format!("10.7.0.{i}"), "mai", "guess").await }
    });
    for s in futures_util::future::join_all(guesses).await {
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let started = Instant::now();
    assert_eq!(
        login(&base, "192.0.2.10", "mai", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    println!(
        "mai logs in after 30 wrong guesses from 30 addresses in {:?}",
        started.elapsed()
    );
    // One address has ten attempts a minute (at once: one comes back every 6 s).
    let ten = (0..10).map(|_| login(&base, "10.6.0.1", "ghost", "x"));
    futures_util::future::join_all(ten).await;
    assert_eq!(
        login(&base, "10.6.0.1", "lan", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // A flood of bogus logins (each an argon2 hash) does not hold up Meta's webhooks.
    let mut quiet = Vec::new();
    for n in 0..10 {
        quiet.push(webhook(&base, message_body("quiet", n)).await);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(AtomicU64::new(0));
    let flood: Vec<_> = (0..32)
        .map(|task| {
            let (base, stop, attempts) = (base.clone(), stop.clone(), attempts.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let from = format!("10.{}.{}.{}", 100 + task, n / 250, n % 250);
                    login(&base, &from, &format!("ghost{task}-{n}"), "x").await;
                    attempts.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut flooded = Vec::new();
    for n in 0..30 {
        flooded.push(webhook(&base, message_body("flooded", n)).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for f in flood {
        f.await.unwrap();
    }
    let slowest = |v: &[Duration]| v.iter().max().copied().unwrap();
    println!(
        "webhook acknowledgements: slowest {:?} without a flood, {:?} of 30 during 32 parallel bogus logins ({} attempts)",
        slowest(&quiet),
        slowest(&flooded),
        attempts.load(Ordering::Relaxed)
    );
    assert!(slowest(&flooded) < Duration::from_secs(1));

    // Bad input is a 4xx that says so, never a 5xx.
    let lan = ok_on(&t.db, &["user", "token", "--username", "lan"], "")
        .trim()
        .to_owned();
    let mai = ok_on(&t.db, &["user", "token", "--username", "mai"], "")
        .trim()
        .to_owned();
    let api = |token: &str, method: &str, path: &str| {
        http()
            .request(method.parse().unwrap(), format!("{base}/api/v1{path}"))
            .header("authorization", format!("bearer {token}"))
    };
    for q in ["%00", &"a".repeat(50_000)] {
        let r = api(&lan, "GET", &format!("/conversations?q={q}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = api(&lan, "POST", "/conversations/1001/12%0A34/status")
        .json(&serde_json::json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // An agent cannot take a colleague's conversation, nor let go of it for them.
    let assign = |token: &str, to: serde_json::Value| {
        api(token, "POST", "/conversations/1001/quiet/assign")
            .json(&serde_json::json!({ "to": to }))
            .send()
    };
    assert_eq!(
        assign(&lan, "lan".into()).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        assign(&mai, "mai".into()).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        assign(&mai, serde_json::Value::Null)
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    // Headers on every answer; a token revoked is dead at once.
    let r = http().get(format!("{base}/login")).send().await.unwrap();
    for h in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
    ] {
        assert!(r.headers().contains_key(h), "no {h}");
    }
    let listed = ok_on(&t.db, &["user", "token", "--username", "mai", "--list"], "");
    let id = listed.lines().nth(1).unwrap().split('\t').next().unwrap();
    ok_on(
        &t.db,
        &["user", "token", "--username", "mai", "--revoke", id],
        "",
    );
    let r = api(&mai, "GET", "/me").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let (closed, after) = slowloris.await.unwrap();
    assert!(closed, "a half-sent request was held open for 20 s");
    println!("a half-sent request was dropped after {after:?}");
}
