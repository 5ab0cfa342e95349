//! Three `fenestra serve` instances on one PostgreSQL, as behind a load balancer: A runs
//! everything, B is the web tier (`--role web`), C a worker (`--role worker`). Meta's webhooks
//! reach B; the test posts more webhooks and queues messages through A and B, and `kill -9`s
//! C while it sends. Then:
//!
//! * nothing is lost: every webhook is processed, every queued message is sent;
//! * nothing is sent twice (counted by metadata in the emulator's send log);
//! * the page's send rate held for A and C together;
//! * an agent connected to B sees within a second a message that arrived at A (`NOTIFY`);
//! * login limits are shared: an address's attempts count on every instance.

mod common;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Serve, fenestra, free_port, ok_on, wait_up};
use emulator::client::ControlClient;
use messenger::signature::sign;
use store::testing;

const SECRET: &str = "scale-secret";
const PASSWORD: &str = "a long enough password";
/// Sends per second for the page, shared by every instance.
const RATE: u32 = 40;
const MESSAGES: usize = 240;
const WEBHOOKS: usize = 300;

fn serve(db: &str, port: u16, emulator_port: u16, role: &str) -> Serve {
    let child = fenestra()
        .args(["serve", "--app-secret", SECRET, "--verify-token", "v"])
        .args(["--role", role, "--database-url", db])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args([
            "--graph-url",
            &format!("http://127.0.0.1:{emulator_port}/v27.0"),
        ])
        .args(["--page-id", "1001", "--page-token", "PAGE_TOKEN"])
        .args(["--send-rate", &RATE.to_string()])
        .args(["--send-lease-seconds", "2", "--reconcile-seconds", "5"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Serve(child)
}

fn webhook(psid: &str, mid: &str, text: &str) -> String {
    let at = store::Time::now().ms();
    format!(
        r#"{{"object":"page","entry":[{{"id":"1001","time":{at},"messaging":[{{"sender":{{"id":"{psid}"}},"recipient":{{"id":"1001"}},"timestamp":{at},"message":{{"mid":"{mid}","text":"{text}"}}}}]}}]}}"#
    )
}

async fn post_webhook(http: &reqwest::Client, base: &str, body: String) {
    let resp = http
        .post(format!("{base}/webhook"))
        .header(
            "X-Hub-Signature-256",
            sign(SECRET.as_bytes(), body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{base}");
}

async fn all_stored(store: &dyn store::Store, psids: &[String]) -> bool {
    for psid in psids {
        if store.contact("1001", psid).await.unwrap().is_none() {
            return false;
        }
    }
    true
}

/// A login attempt through `base`.
async fn try_login(
    http: &reqwest::Client,
    base: &str,
    name: &str,
    password: &str,
) -> reqwest::Response {
    http.post(format!("{base}/login"))
        .form(&[("username", name), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// Logs in through `base` and returns the session cookie.
async fn log_in(http: &reqwest::Client, base: &str) -> String {
    let resp = try_login(http, base, "lan", PASSWORD).await;
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| Some(v.to_str().ok()?.split(';').next()?.to_owned()))
        .unwrap_or_else(|| panic!("no session from {base}: {}", resp.status()))
}

/// Waits for the next `update` on an inbox's event stream; `None` after `limit`.
async fn next_update(stream: &mut reqwest::Response, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    loop {
        let chunk = tokio::time::timeout(limit.saturating_sub(started.elapsed()), stream.chunk())
            .await
            .ok()?
            .unwrap()?;
        if String::from_utf8_lossy(&chunk).contains("event: update") {
            return Some(started.elapsed());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_one_postgres_lose_nothing_send_nothing_twice_and_hold_the_rate() {
    let Some(admin) = testing::postgres_admin_url() else {
        eprintln!("no PostgreSQL configured (FENESTRA_TEST_POSTGRES_URL): nothing to scale out on");
        return;
    };
    let db = testing::postgres(&admin).await;
    ok_on(
        &db.url,
        &[
            "user",
            "add",
            "--username",
            "lan",
            "--role",
            "admin",
            "--password-stdin",
        ],
        PASSWORD,
    );
    let token = ok_on(&db.url, &["user", "token", "--username", "lan"], "")
        .trim()
        .to_owned();
    let [a_port, b_port, c_port, emulator_port] = [(); 4].map(|()| free_port());
    let (a_url, b_url) = (
        format!("http://127.0.0.1:{a_port}"),
        format!("http://127.0.0.1:{b_port}"),
    );
    let a = serve(&db.url, a_port, emulator_port, "all");
    let b = serve(&db.url, b_port, emulator_port, "web");
    let c = serve(&db.url, c_port, emulator_port, "worker");
    for port in [a_port, b_port, c_port] {
        wait_up(port).await;
    }
    let mut ecfg = emulator::Config::new(format!("127.0.0.1:{emulator_port}").parse().unwrap());
    ecfg.webhook_url = Some(format!("{b_url}/webhook"));
    ecfg.app_secret = SECRET.into();
    ecfg.verify_token = "v".into();
    ecfg.retry_base = Duration::from_millis(50);
    let emu = emulator::start(ecfg).await.unwrap();
    let ctl = ControlClient::new(&emu.url());
    // Redirects not followed: the login's cookie comes with its 303.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let store = store::connect(&db.url).await.unwrap();

    // A worker serves health and metrics only.
    let inbox_on_c = http
        .get(format!("http://127.0.0.1:{c_port}/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(inbox_on_c.status().as_u16(), 404);

    // Live updates cross instances: an agent on B sees a message that arrived at A.
    let cookie = log_in(&http, &b_url).await;
    let mut stream = http
        .get(format!("{b_url}/events"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(stream.status().is_success());
    next_update(&mut stream, Duration::from_secs(5))
        .await
        .expect("the stream's first update");
    post_webhook(&http, &a_url, webhook("live1", "m.live1", "xin chào")).await;
    let seen = next_update(&mut stream, Duration::from_secs(5))
        .await
        .expect("B heard of A's message");
    assert!(seen < Duration::from_secs(1), "B saw it after {seen:?}");
    let listed = common::get_json(
        &http,
        &format!("{b_url}/api/v1/conversations"),
        Some(&token),
    )
    .await;
    assert!(listed.to_string().contains("live1"), "{listed}");
    drop(stream);

    // Login limits are shared: ten attempts from this address through A and B, then none.
    for i in 0..9 {
        let base = if i % 2 == 0 { &a_url } else { &b_url };
        let r = http
            .post(format!("{base}/login"))
            .form(&[
                ("username", format!("guess{i}")),
                ("password", "wrong".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "attempt {i} on {base}");
    }
    for base in [&a_url, &b_url] {
        let r = try_login(&http, base, "lan", PASSWORD).await;
        assert_eq!(
            r.status().as_u16(),
            429,
            "{base} counted the others' attempts"
        );
    }

    // Customers who wrote (their window is open), then messages queued through A and B.
    let mut customers = vec![];
    for i in 0..MESSAGES {
        let psid = ctl.customer(&format!("K{i}"), "Le", "vi_VN").await.unwrap();
        ctl.say(&psid, "hi").await.unwrap();
        customers.push(psid);
    }
    ctl.webhooks_delivered(Duration::from_secs(30))
        .await
        .unwrap();
    common::until("every customer is stored", async || {
        all_stored(store.as_ref(), &customers).await
    })
    .await;
    let mut queued = vec![];
    for (i, psid) in customers.iter().enumerate() {
        let base = if i % 2 == 0 { &a_url } else { &b_url };
        let r: serde_json::Value = http
            .post(format!("{base}/api/v1/conversations/1001/{psid}/messages"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"text": format!("your order {i} is ready")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = r["outbox_ids"][0]
            .as_i64()
            .unwrap_or_else(|| panic!("not queued: {r}"));
        queued.push(id);
    }

    // Webhooks keep arriving at A and B while A and C send; C dies mid-way.
    let posting = {
        let (http, a_url, b_url) = (http.clone(), a_url.clone(), b_url.clone());
        tokio::spawn(async move {
            for i in 0..WEBHOOKS {
                let base = if i % 2 == 0 { &a_url } else { &b_url };
                post_webhook(
                    &http,
                    base,
                    webhook(&format!("w{i}"), &format!("m.w{i}"), "hello"),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    common::until("a third of the messages went out", async || {
        common::accepted_sends(&ctl).await.len() >= MESSAGES / 3
    })
    .await;
    let c_sent = common::metric(c_port, "fenestra_sends_total{outcome=\"sent\"}").await;
    let a_sent = common::metric(a_port, "fenestra_sends_total{outcome=\"sent\"}").await;
    assert!(
        c_sent > 0.0 && a_sent > 0.0,
        "both senders share the work: A {a_sent}, C {c_sent}"
    );
    drop(c); // kill -9
    posting.await.unwrap();

    common::until_outbox_settled(
        store.as_ref(),
        Duration::from_secs(60),
        "not drained after the kill",
    )
    .await;

    // Nothing lost, nothing twice.
    let sends = common::accepted_sends(&ctl).await;
    let mut per_message: HashMap<&str, usize> = HashMap::new();
    for (metadata, _) in &sends {
        *per_message.entry(metadata.as_str()).or_default() += 1;
    }
    for id in &queued {
        let key = store::outbox_metadata(*id);
        assert_eq!(per_message.get(key.as_str()), Some(&1), "{key}");
    }
    assert_eq!(sends.len(), MESSAGES);
    let posted: Vec<String> = (0..WEBHOOKS).map(|i| format!("w{i}")).collect();
    common::until("every posted webhook is processed", async || {
        all_stored(store.as_ref(), &posted).await
    })
    .await;

    // The rate held for A and C together: in any stretch, at most RATE a second plus the burst.
    let mut times: Vec<i64> = sends.iter().map(|(_, at)| *at).collect();
    times.sort_unstable();
    let mut worst = 0.0_f64;
    for (i, first) in times.iter().enumerate() {
        for (j, last) in times.iter().enumerate().skip(i + RATE as usize) {
            let allowed = f64::from(RATE) * (last - first) as f64 / 1000.0 + f64::from(RATE);
            worst = worst.max((j - i + 1) as f64 - allowed);
        }
    }
    assert!(worst <= 2.0, "the rate was exceeded by {worst} sends");
    let span = (times[MESSAGES - 1] - times[0]) as f64 / 1000.0;
    eprintln!(
        "{MESSAGES} messages in {span:.1} s at ≤ {RATE}/s (A sent {a_sent}+, C {c_sent} before its kill -9); \
         {WEBHOOKS} webhooks through A and B; B saw A's message after {seen:?}"
    );
    drop(a);
    drop(b);
    emu.shutdown().await;
}
