//! Web Push: a message from a customer reaches the phones and desktops of the people it
//! concerns — its assignee, or everyone while nobody is on it — even with the inbox closed.
//! Each device subscribes from the inbox (opt-in per device); notifications are encrypted for
//! the device (RFC 8291) and signed with Fenestra's own VAPID key (RFC 8292), made on first
//! start and kept in the database. A device the push service no longer knows (404, 410) is
//! forgotten.

use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};
use store::{PendingPush, PushSubscription, Time, User};
use web_push_native::WebPushBuilder;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};

use crate::Engine;
use crate::problem::Invalid;
use crate::team::TeamError;
use crate::worker::{Pace, Progress, Worker};

const VAPID_SECRET: &str = "vapid_private_key";
/// Messages announced per round.
const BATCH: i64 = 50;
/// How long a push service keeps a notification for a device that is offline.
const TTL: Duration = Duration::from_secs(6 * 3_600);

/// Why a subscription was refused.
fn bad_subscription() -> TeamError {
    Invalid::PushSubscription.into()
}

impl Engine {
    /// Fenestra's VAPID key pair, made on first use and kept.
    pub async fn vapid_key(&self) -> Result<ES256KeyPair, TeamError> {
        let fresh = hex::encode(ES256KeyPair::generate().to_bytes());
        let kept = self
            .store
            .secret_or_insert(VAPID_SECRET, &fresh, Time::now())
            .await?;
        hex::decode(&kept)
            .ok()
            .and_then(|bytes| ES256KeyPair::from_bytes(&bytes).ok())
            .ok_or_else(|| {
                TeamError::Store(store::StoreError::Unsupported(
                    "the stored VAPID key is unreadable".into(),
                ))
            })
    }

    /// The VAPID public key as a browser's `applicationServerKey` wants it (base64url).
    pub async fn vapid_public_key(&self) -> Result<String, TeamError> {
        let key = self.vapid_key().await?;
        Ok(Base64UrlUnpadded::encode_string(
            &key.public_key().public_key().to_bytes_uncompressed(),
        ))
    }

    /// Keeps `user`'s device subscription (the browser's `PushSubscription.toJSON()`).
    pub async fn subscribe_push(&self, user: &User, subscription: &Value) -> Result<(), TeamError> {
        let endpoint = subscription["endpoint"]
            .as_str()
            .filter(|e| e.starts_with("https://") || e.starts_with("http://"))
            .ok_or_else(bad_subscription)?;
        // The keys' sizes are checked before the builder reads them (it would panic on a wrong
        // size): a 16-byte auth secret and an uncompressed P-256 point.
        let decoded = |k: &str| {
            subscription["keys"][k]
                .as_str()
                .and_then(|v| Base64UrlUnpadded::decode_vec(v.trim_end_matches('=')).ok())
        };
        if decoded("auth").is_none_or(|a| a.len() != 16)
            || decoded("p256dh").is_none_or(|p| p.len() != 65)
        {
            return Err(bad_subscription());
        }
        serde_json::from_value::<WebPushBuilder>(subscription.clone())
            .map_err(|_| bad_subscription())?;
        self.store
            .save_push_subscription(user.id, endpoint, &subscription.to_string(), Time::now())
            .await?;
        Ok(())
    }

    /// Forgets a device's subscription.
    pub async fn unsubscribe_push(&self, endpoint: &str) -> Result<(), TeamError> {
        self.store.delete_push_subscription(endpoint).await?;
        Ok(())
    }
}

/// Announces customers' new messages to the subscribed devices.
pub struct PushNotifier {
    pub engine: Engine,
    /// Who runs this server, for push services (`mailto:` or the public URL).
    pub contact: String,
}

impl Worker for PushNotifier {
    fn name(&self) -> &'static str {
        "push"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let store = self.engine.store();
        let pending = store.push_pending(BATCH).await?;
        if pending.is_empty() {
            return Ok(Progress::Idle);
        }
        let subscriptions = store.push_subscriptions().await?;
        if !subscriptions.is_empty() {
            let key = self.engine.vapid_key().await?;
            // One notification per conversation per round, however many messages it got.
            let mut seen = std::collections::HashSet::new();
            for m in pending
                .iter()
                .rev()
                .filter(|m| seen.insert((&m.page_id, &m.psid)))
            {
                let m = &self.with_name(m.clone()).await;
                for s in subscriptions
                    .iter()
                    .filter(|s| m.assignee_id.is_none_or(|a| a == s.user_id))
                {
                    self.send(&key, s, m).await;
                }
            }
        }
        let ids: Vec<i64> = pending.iter().map(|m| m.id).collect();
        store.push_done(&ids).await?;
        Ok(Progress::of(pending.len(), BATCH as usize))
    }
}

impl PushNotifier {
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.push.clone(), Duration::from_secs(30))
    }

    /// The customer's name, fetched now if the profile was not (it is cached for a day, so
    /// the inbox gets it too).
    async fn with_name(&self, mut m: PendingPush) -> PendingPush {
        if m.first_name.is_none()
            && let Ok(Some(page)) = self.engine.store().page(&m.page_id).await
            && let Some(p) = self.engine.profile(&page, &m.psid, Time::now()).await
        {
            m.first_name = p.first_name;
            m.last_name = p.last_name;
        }
        m
    }

    /// One notification to one device, in its user's language; failures are recorded, a
    /// device the service forgot is forgotten here too.
    async fn send(&self, key: &ES256KeyPair, s: &PushSubscription, m: &PendingPush) {
        let tr = i18n::Tr::new(
            s.language
                .as_deref()
                .and_then(i18n::Lang::parse)
                .unwrap_or_default(),
        );
        let name = match (&m.first_name, &m.last_name) {
            (Some(f), Some(l)) if !l.is_empty() => format!("{f} {l}"),
            (Some(f), _) => f.clone(),
            _ => tr.t1("customer-unnamed", "psid", m.psid.as_str()),
        };
        let payload = json!({
            "title": tr.t("notify-title"),
            "body": tr.t1("notify-body", "name", name),
            "url": format!("/c/{}/{}", m.page_id, m.psid),
            "tag": format!("{}/{}", m.page_id, m.psid),
        });
        let result = async {
            let builder: WebPushBuilder = serde_json::from_str(&s.subscription)?;
            let request = builder
                .with_valid_duration(TTL)
                .with_vapid(key, &self.contact)
                .build(payload.to_string())?;
            let (parts, body) = request.into_parts();
            let response = self
                .engine
                .http
                .post(parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .timeout(Duration::from_secs(15))
                .send()
                .await?;
            anyhow::Ok(response.status())
        }
        .await;
        let store = self.engine.store();
        let outcome = match result {
            Ok(status) if status.is_success() => Ok(()),
            Ok(status) if status.as_u16() == 404 || status.as_u16() == 410 => {
                tracing::info!(user = %s.username, "a device unsubscribed from Web Push: forgotten");
                store
                    .delete_push_subscription(&s.endpoint)
                    .await
                    .map(|_| ())
            }
            Ok(status) => {
                store
                    .push_failed(&s.endpoint, &format!("the push service answered {status}"))
                    .await
            }
            Err(e) => store.push_failed(&s.endpoint, &e.to_string()).await,
        };
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "a push subscription could not be updated");
        }
    }
}
