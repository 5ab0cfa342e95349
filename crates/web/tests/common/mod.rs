//! Shared by the end-to-end tests: the emulator plays Meta and the customers, `fenestra serve`
//! runs in process, wired together over real HTTP on 127.0.0.1.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use emulator::RunningEmulator;
use emulator::client::ControlClient;
use engine::delivery::DeliveryConfig;
use engine::outbox::{Draft, Submitted};
use store::Time;
use store::testing::TestDb;
use store::{OutboxStatus, PageSettings, Store};
use web::{RunningServer, ServeConfig};

/// A sent message's states once Meta accepted it.
pub const SENT: &[OutboxStatus] = &[
    OutboxStatus::Sent,
    OutboxStatus::Delivered,
    OutboxStatus::Read,
];

pub const PAGE: &str = "1001";
pub const TOKEN: &str = "PAGE_TOKEN";
pub const SECRET: &str = "e2e-secret";
pub const DAY_MS: i64 = 24 * 3_600_000;

pub struct World {
    pub server: RunningServer,
    pub emu: RunningEmulator,
    pub ctl: ControlClient,
    pub label: &'static str,
}

/// The wall clock in milliseconds, as the emulator's control API counts.
pub fn now_ms() -> i64 {
    Time::now().ms()
}

pub fn free_addr() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Server and emulator wired together; the emulator's clock starts at `start_ms` (now if `None`).
pub async fn world(
    db: &TestDb,
    start_ms: Option<i64>,
    tune: impl FnOnce(&mut ServeConfig),
) -> World {
    let emu_addr = free_addr();
    let mut cfg = ServeConfig::new(
        "127.0.0.1:0",
        &db.url,
        Some(SECRET.into()),
        Some("verify".into()),
        &format!("http://{emu_addr}/v27.0"),
        Some(PAGE.into()),
        Some(TOKEN.into()),
    )
    .unwrap();
    cfg.delivery = DeliveryConfig {
        rate_per_page: None,
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        reconcile: Duration::from_secs(3),
        lease: Duration::from_secs(10),
        rate_limit_cooldown: Duration::from_millis(300),
        max_attempts: 30,
        ..DeliveryConfig::default()
    };
    cfg.graph_timeout = Duration::from_secs(5);
    tune(&mut cfg);
    let server = web::start(cfg).await.unwrap();
    let settings = PageSettings {
        human_agent_approved: true,
        utility_messaging: true,
        ..PageSettings::default()
    };
    assert!(
        server
            .store
            .set_page_settings(PAGE, &settings)
            .await
            .unwrap()
    );
    let mut ecfg = emulator::Config::new(emu_addr);
    ecfg.webhook_url = Some(format!("{}/webhook", server.url()));
    ecfg.app_secret = SECRET.into();
    ecfg.verify_token = "verify".into();
    ecfg.now_ms = start_ms;
    ecfg.retry_base = Duration::from_millis(50);
    let emu = emulator::start(ecfg).await.unwrap();
    let ctl = ControlClient::new(&emu.url());
    World {
        server,
        emu,
        ctl,
        label: db.label,
    }
}

/// Lets admins connect pages from Settings, against the emulator's Login dialog.
pub fn connectable(cfg: &mut ServeConfig) {
    cfg.app_id = Some(emulator::state::Page::default().app_id);
    cfg.dialog_url = cfg.graph_url.clone();
}

impl World {
    pub fn store(&self) -> &dyn Store {
        self.server.store.as_ref()
    }

    /// The customer writes, and the server has stored it.
    pub async fn says(&self, psid: &str, text: &str) -> String {
        let mid = self.ctl.say(psid, text).await.unwrap();
        self.until("the message is stored", || async {
            let msgs = self.store().messages(PAGE, psid).await.unwrap();
            msgs.iter().any(|m| m.mid == mid)
        })
        .await;
        mid
    }

    pub async fn customer(&self, first_name: &str) -> String {
        self.ctl
            .customer(first_name, "Nguyen", "vi_VN")
            .await
            .unwrap()
    }

    pub async fn submit(&self, draft: &Draft) -> Submitted {
        self.server.engine.submit(draft).await.unwrap()
    }

    pub async fn until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !check().await {
            assert!(
                Instant::now() < deadline,
                "{}: timed out waiting: {what}",
                self.label
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until automations have looked at every stored customer message.
    pub async fn automations_done(&self) {
        self.until("automations have handled every message", || async {
            self.store()
                .pending_automations(1)
                .await
                .unwrap()
                .is_empty()
        })
        .await;
    }

    /// Waits until no send is queued, being sent or waiting for its echo.
    pub async fn deliveries_done(&self) {
        self.until("every queued send is finished", || async {
            let counts = self.store().outbox_counts().await.unwrap();
            counts.iter().all(|(s, n)| !s.unfinished() || *n == 0)
        })
        .await;
    }

    /// Waits for the outbox row to reach one of `states`.
    pub async fn outbox_reaches(&self, id: i64, states: &[OutboxStatus]) -> store::OutboxRow {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let row = self.store().outbox_row(id).await.unwrap().unwrap();
            if states.contains(&row.status) {
                return row;
            }
            assert!(
                Instant::now() < deadline,
                "{}: outbox {id} never reached {states:?}: {row:?}",
                self.label
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn accepted_by_metadata(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for s in self.ctl.sends().await.unwrap() {
            if s["outcome"] == "accepted"
                && let Some(m) = s["metadata"].as_str()
            {
                *counts.entry(m.to_owned()).or_default() += 1;
            }
        }
        counts
    }

    /// Waits until the customer's Messenger shows a message with `text`; returns what they got.
    pub async fn customer_gets(&self, psid: &str, text: &str) -> Vec<serde_json::Value> {
        self.until(&format!("the customer gets {text:?}"), || async {
            self.ctl
                .inbox(psid)
                .await
                .unwrap()
                .iter()
                .any(|m| m["text"] == text)
        })
        .await;
        self.ctl.inbox(psid).await.unwrap()
    }

    /// Creates the `order_shipped` utility template at Meta (approved at once) and syncs it.
    pub async fn approved_template(&self) -> Vec<store::Template> {
        self.approved(
            "order_shipped",
            "Hi {{first_name}}, order {{order_id}} has shipped.",
        )
        .await
    }

    /// Creates a utility template at Meta (approved at once) and syncs the page's templates.
    pub async fn approved(&self, name: &str, body: &str) -> Vec<store::Template> {
        let graph = messenger::GraphClient::new(
            &format!("{}/v27.0", self.emu.url()),
            Duration::from_secs(5),
        );
        graph
            .create_template(TOKEN, PAGE, name, "en", body)
            .await
            .unwrap();
        let page = self.store().page(PAGE).await.unwrap().unwrap();
        engine::templates::sync(self.store(), &graph, &page)
            .await
            .unwrap()
    }

    pub async fn stop(self) {
        self.emu.shutdown().await;
        self.server.shutdown().await;
    }
}

/// A client that does not follow redirects (to see a login's 303 and its cookie).
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Logs `user` in through the login form; the status and the session cookie to send back
/// (`fenestra_session=…`, empty when none was set).
pub async fn log_in(w: &World, user: &str, password: &str) -> (reqwest::StatusCode, String) {
    let r = no_redirects()
        .post(format!("{}/login", w.server.url()))
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .unwrap_or_default();
    (r.status(), cookie)
}

/// The session cookie of `user` (password `a long passphrase`), who must get in.
pub async fn session_of(w: &World, user: &str) -> String {
    let (status, cookie) = log_in(w, user, "a long passphrase").await;
    assert_eq!(
        status,
        reqwest::StatusCode::SEE_OTHER,
        "{user} could not log in"
    );
    cookie
}

/// Saves the browser's screen to docs/screenshots/NAME when `FENESTRA_SCREENSHOTS` is set.
pub async fn screenshot(b: &test_browser::Browser, name: &str) {
    if std::env::var_os("FENESTRA_SCREENSHOTS").is_some() {
        let png = b.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::write(dir.join(name), png).unwrap();
    }
}

/// An admin `lan` and an agent `mai` (password "a long passphrase"), with an API token each:
/// `(lan's token, mai's token)`.
pub async fn team(w: &World) -> (String, String) {
    let s = w.store();
    engine::accounts::add_user(s, "lan", "a long passphrase", store::Role::Admin)
        .await
        .unwrap();
    engine::accounts::add_user(s, "mai", "a long passphrase", store::Role::Agent)
        .await
        .unwrap();
    (
        engine::accounts::create_api_token(s, "lan", "test")
            .await
            .unwrap(),
        engine::accounts::create_api_token(s, "mai", "test")
            .await
            .unwrap(),
    )
}

/// Logs `user` in through the login page (password "a long passphrase").
pub async fn browser_log_in(b: &test_browser::Browser, base: &str, user: &str) {
    b.goto(&format!("{base}/login")).await.unwrap();
    test_browser::type_in(b, "input[name=username]", user).await;
    test_browser::type_in(b, "input[name=password]", "a long passphrase").await;
    test_browser::click(b, "main.login button[type=submit]").await;
    // Wait for the login's redirect to land: a `goto` issued before it would be overtaken by it.
    for _ in 0..100 {
        let url = b.current_url().await.unwrap();
        if url.path() != "/login" && test_browser::body(b).await.contains(user) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("logging in as {user} did not leave the login page");
}

/// The JSON API as a token's holder calls it: each call answers its status and body.
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl World {
    /// The API as the holder of `token`.
    pub fn api(&self, token: String) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: self.server.url(),
            token,
        }
    }
}

impl Api {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let url = format!("{}/api/v1{path}", self.base);
        let mut req = self
            .http
            .request(method.parse().unwrap(), url)
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }
    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        self.call("GET", path, None).await
    }
    pub async fn post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call("POST", path, Some(body)).await
    }
}

impl World {
    /// POSTs `body` to the server's webhook, signed as Meta signs it; answers the status.
    pub async fn post_signed(&self, body: &str) -> reqwest::StatusCode {
        let signature = messenger::signature::sign(SECRET.as_bytes(), body.as_bytes());
        reqwest::Client::new()
            .post(format!("{}/webhook", self.server.url()))
            .header("x-hub-signature-256", signature)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
    }
}
