//! A small client of the control API (`/_emulator/*`), for `fenestra demo` and tests: play
//! customers, move the clock, inject faults, read what was sent.

use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct ControlClient {
    base: String,
    http: reqwest::Client,
}

impl ControlClient {
    /// `base` is the emulator's root URL (`http://127.0.0.1:9090`).
    pub fn new(base: &str) -> ControlClient {
        ControlClient {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// `POST /_emulator{path}` with a JSON body; the answer, or an error naming the call.
    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let r = self
            .http
            .post(format!("{}/_emulator{path}", self.base))
            .json(&body)
            .send()
            .await
            .with_context(|| format!("calling the emulator's {path}"))?;
        let status = r.status();
        let answer: Value = r.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("the emulator refused {path} ({status}): {answer}");
        }
        Ok(answer)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Value> {
        let r = self
            .http
            .get(format!("{}/_emulator{path}", self.base))
            .send()
            .await
            .with_context(|| format!("calling the emulator's {path}"))?;
        Ok(r.json().await?)
    }

    /// A new customer; returns their PSID.
    pub async fn customer(
        &self,
        first_name: &str,
        last_name: &str,
        locale: &str,
    ) -> anyhow::Result<String> {
        let answer = self
            .post(
                "/users",
                json!({"first_name": first_name, "last_name": last_name, "locale": locale}),
            )
            .await?;
        Ok(answer["psid"].as_str().unwrap_or_default().to_owned())
    }

    /// The customer writes `text`; returns the message's mid.
    pub async fn say(&self, psid: &str, text: &str) -> anyhow::Result<String> {
        let answer = self
            .post(&format!("/users/{psid}/say"), json!({ "text": text }))
            .await?;
        Ok(answer["mid"].as_str().unwrap_or_default().to_owned())
    }

    /// What the customer received, in order.
    pub async fn inbox(&self, psid: &str) -> anyhow::Result<Vec<Value>> {
        Ok(array(self.get(&format!("/users/{psid}/inbox")).await?))
    }

    /// Every Send API call with its outcome.
    pub async fn sends(&self) -> anyhow::Result<Vec<Value>> {
        Ok(array(self.get("/sends").await?))
    }

    pub async fn faults(&self, faults: Value) -> anyhow::Result<()> {
        self.post("/faults", faults).await.map(drop)
    }

    pub async fn now_ms(&self) -> anyhow::Result<i64> {
        Ok(self.get("/clock").await?["now_ms"].as_i64().unwrap_or(0))
    }

    pub async fn advance(&self, seconds: i64) -> anyhow::Result<()> {
        self.post("/clock/advance", json!({ "seconds": seconds }))
            .await
            .map(drop)
    }

    /// Moves the clock forward to (just past) `target_ms`: after playing history in the past,
    /// the emulator and the server agree on "now" again.
    pub async fn catch_up_to(&self, target_ms: i64) -> anyhow::Result<()> {
        let behind = target_ms - self.now_ms().await?;
        if behind > 0 {
            self.advance((behind + 999) / 1000).await?;
        }
        Ok(())
    }

    /// Waits until every queued webhook has been delivered (or `timeout` passes).
    pub async fn webhooks_delivered(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.get("/webhooks").await?["pending"].as_u64() == Some(0) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the emulator still has webhooks to deliver after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        _ => vec![],
    }
}
