//! Shared by the emulator's tests: start one on a free port, call it.
#![allow(dead_code)]

use emulator::{Config, RunningEmulator};
use serde_json::{Value, json};

pub const MARCH_10: i64 = 1_773_144_000_000; // 2026-03-10T12:00:00Z

pub async fn start(now_ms: Option<i64>, webhook_url: Option<String>) -> RunningEmulator {
    let mut cfg = Config::new("127.0.0.1:0".parse().unwrap());
    cfg.now_ms = now_ms;
    cfg.webhook_url = webhook_url;
    cfg.app_secret = "s3cret".into();
    cfg.verify_token = "verify".into();
    cfg.retry_base = std::time::Duration::from_millis(50);
    emulator::start(cfg).await.unwrap()
}

pub struct Client {
    pub base: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(emu: &RunningEmulator) -> Client {
        Client {
            base: emu.url(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}/_emulator{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn customer(&self, first_name: &str) -> String {
        self.control("/users", json!({"first_name": first_name}))
            .await["psid"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A raw Send API call: (status, body).
    pub async fn send_raw(&self, token: Option<&str>, body: &str) -> (u16, Value) {
        let mut url = format!("{}/v27.0/me/messages", self.base);
        if let Some(t) = token {
            url.push_str(&format!("?access_token={t}"));
        }
        let r = self
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    pub async fn send(&self, body: Value) -> (u16, Value) {
        self.send_raw(Some("PAGE_TOKEN"), &body.to_string()).await
    }

    pub async fn graph(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/v27.0{path}", self.base))
            .bearer_auth("PAGE_TOKEN");
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    pub async fn advance(&self, seconds: i64) {
        self.control("/clock/advance", json!({"seconds": seconds}))
            .await;
    }
}

/// (status, code, subcode, message) of a Graph error answer.
pub fn error_of(answer: &(u16, Value)) -> (u16, i64, Option<i64>, String) {
    let e = &answer.1["error"];
    assert!(
        e["fbtrace_id"].is_string() && e["type"] == "OAuthException",
        "{}",
        answer.1
    );
    (
        answer.0,
        e["code"].as_i64().unwrap(),
        e["error_subcode"].as_i64(),
        e["message"].as_str().unwrap().to_owned(),
    )
}
