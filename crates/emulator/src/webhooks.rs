//! Webhook delivery as Meta does it: the verification handshake first; then signed POSTs
//! (`X-Hub-Signature-256` and the legacy `X-Hub-Signature`) of the exact bytes sent, non-ASCII
//! escaped; several pending events batched into one POST; a delivery not answered 200 within
//! 5 s has failed and is retried (at once a few times, then with back-off) keeping the order;
//! after an hour of failures (emulator clock) the page's subscription is dropped until
//! `POST /{page-id}/subscribed_apps`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::Emu;
use crate::rules::HOUR_MS;
use crate::state::{PendingEvent, State, WebhookAttempt};

const TIMEOUT: Duration = Duration::from_secs(5);
/// Meta sends at most this many events in one POST.
const MAX_BATCH: usize = 100;
const IMMEDIATE_RETRIES: u32 = 3;

/// Queues a `messaging` item (dropped while the page is unsubscribed, as at Meta).
pub fn enqueue(st: &mut State, item: Value) {
    push(st, false, false, item);
}

/// Queues what happened in a customer's thread (their actions, other apps' echoes): under
/// `standby` while another app controls it, where postbacks lose their payload as at Meta.
pub fn enqueue_from(st: &mut State, psid: &str, now: i64, mut item: Value) {
    let standby = crate::routing::standby_for_connected(st, psid, now);
    if standby && let Some(pb) = item.get_mut("postback").and_then(Value::as_object_mut) {
        pb.remove("payload");
    }
    push(st, false, standby, item);
}

/// Queues a `changes` item (`{"field", "value"}`).
pub fn enqueue_change(st: &mut State, field: &str, value: Value) {
    push(st, true, false, json!({"field": field, "value": value}));
}

fn push(st: &mut State, changes: bool, standby: bool, item: Value) {
    if st.page.subscribed {
        st.pending.push_back(PendingEvent {
            changes,
            standby,
            item,
        });
    }
}

pub fn sign(secret: &[u8], body: &[u8]) -> (String, String) {
    let mut sha256 = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    sha256.update(body);
    let mut sha1 = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes any key");
    sha1.update(body);
    (
        format!("sha256={}", hex::encode(sha256.finalize().into_bytes())),
        format!("sha1={}", hex::encode(sha1.finalize().into_bytes())),
    )
}

/// The envelope Meta posts: one entry for messaging (and standby) items, one for changes.
pub fn envelope(page_id: &str, now: i64, events: &[PendingEvent]) -> Value {
    let items = |changes: bool, standby: bool| -> Vec<&Value> {
        events
            .iter()
            .filter(|e| e.changes == changes && e.standby == standby)
            .map(|e| &e.item)
            .collect()
    };
    let (messaging, standby, changes) =
        (items(false, false), items(false, true), items(true, false));
    let mut entry = Vec::new();
    if !messaging.is_empty() || !standby.is_empty() {
        let mut e = json!({"id": page_id, "time": now});
        if !messaging.is_empty() {
            e["messaging"] = json!(messaging);
        }
        if !standby.is_empty() {
            e["standby"] = json!(standby);
        }
        entry.push(e);
    }
    if !changes.is_empty() {
        entry.push(json!({"id": page_id, "time": now / 1000, "changes": changes}));
    }
    json!({"object": "page", "entry": entry})
}

pub async fn run(emu: Arc<Emu>, mut stop: watch::Receiver<bool>) {
    let url = emu
        .config
        .webhook_url
        .clone()
        .expect("run only with a webhook URL");
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("HTTP client");
    if !handshake(&emu, &client, &url, &mut stop).await {
        return;
    }
    let mut failures: u32 = 0;
    while !*stop.borrow() {
        let faults = emu.with(|st| st.faults.clone());
        let batch: Vec<PendingEvent> = emu.with(|st| {
            let size = if faults.webhook_batch_size == 0 {
                MAX_BATCH
            } else {
                faults.webhook_batch_size.min(MAX_BATCH)
            };
            let n = st.pending.len().min(size);
            st.in_flight = n;
            st.pending.drain(..n).collect()
        });
        if batch.is_empty() {
            tokio::select! {
                _ = emu.pending.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        let mut ordered = batch.clone();
        if emu.chance(faults.webhook_reorder_rate) {
            ordered.reverse();
        }
        if emu.chance(faults.webhook_drop_rate) {
            emu.with(|st| st.in_flight = 0);
            record(&emu, ordered.len(), 0, 0, "dropped", None);
            continue;
        }
        let (status, latency, error) = post(&emu, &client, &url, &ordered).await;
        emu.with(|st| st.in_flight = 0);
        if status == 200 {
            failures = 0;
            emu.with(|st| st.page.failing_since = None);
            record(&emu, ordered.len(), status, latency, "delivered", None);
            if emu.chance(faults.webhook_duplicate_rate) {
                let (status, latency, error) = post(&emu, &client, &url, &ordered).await;
                record(&emu, ordered.len(), status, latency, "duplicate", error);
            }
            continue;
        }
        failures += 1;
        record(&emu, ordered.len(), status, latency, "failed", error);
        let now = emu.now();
        let unsubscribed = emu.with(|st| {
            let since = *st.page.failing_since.get_or_insert(now);
            if now - since >= HOUR_MS {
                st.page.subscribed = false;
                st.pending.clear();
                true
            } else {
                // Put the batch back in front, in its original order.
                for e in batch.into_iter().rev() {
                    st.pending.push_front(e);
                }
                false
            }
        });
        if unsubscribed {
            tracing::warn!("webhook failing for an hour: the page's subscription is dropped");
            record(
                &emu,
                0,
                0,
                0,
                "unsubscribed",
                Some("an hour of failed deliveries".into()),
            );
            failures = 0;
            continue;
        }
        let delay = if failures <= IMMEDIATE_RETRIES {
            Duration::from_millis(50)
        } else {
            (emu.config.retry_base * 2u32.saturating_pow(failures - IMMEDIATE_RETRIES - 1))
                .min(Duration::from_secs(60))
        };
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop.changed() => {}
        }
    }
}

/// GET the webhook with `hub.challenge` until it answers the challenge back.
async fn handshake(
    emu: &Emu,
    client: &reqwest::Client,
    url: &str,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    loop {
        let challenge = emu.digits(10);
        let result = client
            .get(url)
            .query(&[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", emu.config.verify_token.as_str()),
                ("hub.challenge", challenge.as_str()),
            ])
            .send()
            .await;
        let why = match result {
            Ok(r) if r.status().as_u16() == 200 => match r.text().await {
                Ok(body) if body.trim() == challenge => {
                    emu.with(|st| st.page.verified = true);
                    tracing::info!(url, "webhook verified");
                    return true;
                }
                Ok(body) => format!("answered 200 but not the challenge ({} bytes)", body.len()),
                Err(e) => e.to_string(),
            },
            Ok(r) => format!("answered {}", r.status()),
            Err(e) => e.to_string(),
        };
        tracing::warn!(url, why, "webhook verification failed; retrying in 1 s");
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => if *stop.borrow() { return false },
        }
    }
}

async fn post(
    emu: &Emu,
    client: &reqwest::Client,
    url: &str,
    events: &[PendingEvent],
) -> (u16, u64, Option<String>) {
    let body = crate::json_ascii::to_vec(&envelope(&emu.config.page_id, emu.now(), events));
    let (sha256, sha1) = sign(emu.config.app_secret.as_bytes(), &body);
    let started = Instant::now();
    let result = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", sha256)
        .header("X-Hub-Signature", sha1)
        .body(body)
        .send()
        .await;
    let latency = started.elapsed().as_millis() as u64;
    match result {
        Ok(r) => {
            let status = r.status().as_u16();
            (
                status,
                latency,
                (status != 200).then(|| format!("answered {status}")),
            )
        }
        Err(e) if e.is_timeout() => (0, latency, Some("no answer within 5 s".into())),
        Err(e) => (0, latency, Some(e.to_string())),
    }
}

fn record(
    emu: &Emu,
    events: usize,
    status: u16,
    latency_ms: u64,
    outcome: &str,
    error: Option<String>,
) {
    let at = emu.now();
    emu.with(|st| {
        st.webhooks.push(WebhookAttempt {
            at,
            events,
            status,
            latency_ms,
            outcome: outcome.into(),
            error,
        })
    });
}
