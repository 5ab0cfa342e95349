//! Webhook delivery as Meta does it: the verification handshake first; then signed POSTs
//! (`X-Hub-Signature-256` and the legacy `X-Hub-Signature`) of the exact bytes sent, non-ASCII
//! escaped; several pending events batched into one POST; a delivery not answered 200 within
//! 5 s has failed and is retried (at once a few times, then with back-off) keeping the order;
//! after an hour of failures (emulator clock) the page's subscription is dropped until
//! `POST /{page-id}/subscribed_apps`.
//!
//! Events go to the app-level subscription's callback URL (`POST /{app-id}/subscriptions`), and
//! only for fields subscribed at both levels, the app's and the page's.

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

/// Every webhook field a page can send the app (the emulator's connected app starts subscribed to
/// all of them).
pub const FIELDS: [&str; 18] = [
    "messages",
    "message_echoes",
    "message_deliveries",
    "message_reads",
    "message_reactions",
    "messaging_postbacks",
    "messaging_optins",
    "messaging_referrals",
    "messaging_handovers",
    "standby",
    "messaging_policy_enforcement",
    "messenger_template_status_update",
    "feed",
    "marketing_message_echoes",
    "marketing_message_deliveries",
    "marketing_message_reads",
    "marketing_message_clicks",
    "marketing_message_delivery_failed",
];

/// A comma-separated field list, each one known.
pub fn parse_fields(list: &str) -> Result<Vec<String>, crate::error::GraphError> {
    let fields: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    if fields.is_empty() {
        return Err(crate::error::GraphError::param(
            "param subscribed_fields must be non-empty.",
        ));
    }
    match fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
        Some(f) => Err(crate::error::GraphError::param(format!(
            "param subscribed_fields[{f}] must be one of {{{}}}",
            FIELDS.join(", ")
        ))),
        None => Ok(fields),
    }
}

/// The webhook field an item belongs to.
fn field_of(changes: bool, standby: bool, item: &Value) -> &str {
    if changes {
        return item.get("field").and_then(Value::as_str).unwrap_or("feed");
    }
    if standby {
        return "standby";
    }
    let has = |k: &str| item.get(k).is_some();
    if has("message") {
        if item.pointer("/message/is_echo") == Some(&Value::Bool(true)) {
            "message_echoes"
        } else {
            "messages"
        }
    } else if has("delivery") {
        "message_deliveries"
    } else if has("read") {
        "message_reads"
    } else if has("reaction") {
        "message_reactions"
    } else if has("postback") {
        "messaging_postbacks"
    } else if has("optin") {
        "messaging_optins"
    } else if has("referral") {
        "messaging_referrals"
    } else if has("policy_enforcement") {
        "messaging_policy_enforcement"
    } else if [
        "pass_thread_control",
        "take_thread_control",
        "request_thread_control",
        "app_roles",
    ]
    .iter()
    .any(|k| has(k))
    {
        "messaging_handovers"
    } else {
        "messages"
    }
}

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
    let field = field_of(changes, standby, &item);
    let subscribed = |list: &[String]| list.iter().any(|f| f == field);
    let app = st
        .app_subscription
        .as_ref()
        .is_some_and(|a| subscribed(&a.fields));
    if app && subscribed(&st.page.subscribed_fields) {
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

/// Where events go now: the app subscription's callback URL, once the handshake passed.
fn target(emu: &Emu) -> Option<(String, String, bool)> {
    emu.with(|st| {
        let a = st.app_subscription.as_ref()?;
        (!a.callback_url.is_empty()).then(|| {
            (
                a.callback_url.clone(),
                a.verify_token.clone(),
                st.page.verified,
            )
        })
    })
}

pub async fn run(emu: Arc<Emu>, mut stop: watch::Receiver<bool>) {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("HTTP client");
    let mut failures: u32 = 0;
    while !*stop.borrow() {
        let Some((url, verify_token, verified)) = target(&emu) else {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = stop.changed() => {}
            }
            continue;
        };
        if !verified && !handshake(&emu, &client, &url, &verify_token, &mut stop).await {
            return;
        }
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
                st.page.subscribed_fields.clear();
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

/// One verification handshake: GET the callback with `hub.challenge`, which must come back.
pub async fn verify(emu: &Emu, url: &str, verify_token: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| e.to_string())?;
    challenge(emu, &client, url, verify_token).await
}

async fn challenge(
    emu: &Emu,
    client: &reqwest::Client,
    url: &str,
    verify_token: &str,
) -> Result<(), String> {
    let challenge = emu.digits(10);
    let result = client
        .get(url)
        .query(&[
            ("hub.mode", "subscribe"),
            ("hub.verify_token", verify_token),
            ("hub.challenge", challenge.as_str()),
        ])
        .send()
        .await;
    match result {
        Ok(r) if r.status().as_u16() == 200 => match r.text().await {
            Ok(body) if body.trim() == challenge => Ok(()),
            Ok(body) => Err(format!(
                "The URL answered 200 but not the challenge ({} bytes)",
                body.len()
            )),
            Err(e) => Err(e.to_string()),
        },
        Ok(r) => Err(format!("The URL answered HTTP {}", r.status())),
        Err(e) => Err(format!("The URL couldn't be reached: {e}")),
    }
}

/// Handshakes with the webhook until it answers the challenge back (or the emulator stops).
async fn handshake(
    emu: &Emu,
    client: &reqwest::Client,
    url: &str,
    verify_token: &str,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    loop {
        match challenge(emu, client, url, verify_token).await {
            Ok(()) => {
                emu.with(|st| st.page.verified = true);
                tracing::info!(url, "webhook verified");
                return true;
            }
            Err(why) => tracing::warn!(url, why, "webhook verification failed; retrying in 1 s"),
        }
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
