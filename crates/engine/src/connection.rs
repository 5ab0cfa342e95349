//! Keeps each page connected: Meta drops an app's webhook subscription after an hour of failed
//! deliveries, and a page token dies when its person changes password or loses the page. Every
//! `every`, for each page with a token, the page's subscribed apps are read; when this app is not
//! among them it subscribes again (with the fields Fenestra needs). A page Meta refused is looked
//! at again every minute; when Meta cannot be reached at all nothing is concluded (the state
//! stays) and the page is looked at again in a minute. What was found is kept per page for the
//! admins' banner and `/metrics` (`fenestra_page_connected`); it is re-learnt at start, so it
//! needs no storage.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use store::Time;
use tokio::sync::Notify;

use crate::Engine;
use crate::worker::{Pace, Progress, Worker};

/// The webhook fields Fenestra subscribes a page to (messenger-platform.md, Connecting a Page).
pub const FIELDS: [&str; 13] = [
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
];

/// What the last check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Connection {
    /// Subscribed, the token works.
    Connected { checked_at: Time },
    /// Meta had dropped the subscription; Fenestra subscribed again.
    Resubscribed { at: Time },
    /// The check or the re-subscription failed: Meta's words.
    Lost { at: Time, reason: String },
}

impl Connection {
    pub fn is_lost(&self) -> bool {
        matches!(self, Connection::Lost { .. })
    }
}

/// The state of every page's connection, by page id.
pub type Connections = Arc<Mutex<BTreeMap<String, Connection>>>;

pub struct ConnectionWatch {
    pub engine: Engine,
    /// The app's id, to find its own subscription; without it, any subscribed app counts.
    pub app_id: Option<String>,
    pub every: Duration,
}

/// How soon a page that is not known to be connected is looked at again.
const RETRY: Duration = Duration::from_secs(60);

impl ConnectionWatch {
    pub fn pace(&self) -> Pace {
        // Nothing wakes it early: it looks every minute, at each page when it is due.
        Pace::new(Arc::new(Notify::new()), self.every.min(RETRY))
    }

    /// Whether the page is due: never checked, refused, or checked longer than `every` ago.
    fn due(&self, page_id: &str, now: Time) -> bool {
        let all = self
            .engine
            .connections
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match all.get(page_id) {
            Some(Connection::Connected { checked_at: at } | Connection::Resubscribed { at }) => {
                now.since(*at) >= self.every
            }
            Some(Connection::Lost { .. }) | None => true,
        }
    }

    /// What Meta says of the page; `None` when Meta could not be reached (nothing to conclude).
    async fn check(&self, page_id: &str, token: &str) -> Option<Connection> {
        let graph = &self.engine.graph;
        let now = Time::now();
        let lost = |e: messenger::SendError| match e {
            messenger::SendError::Graph { .. } => Some(Connection::Lost {
                at: now,
                reason: e.to_string(),
            }),
            other => {
                tracing::warn!(page_id, error = %other, "cannot reach Meta to check the page's connection");
                None
            }
        };
        let apps = match graph.subscribed_apps(token, page_id).await {
            Ok(apps) => apps,
            Err(e) => return lost(e),
        };
        let ours = match &self.app_id {
            Some(id) => apps.iter().any(|a| &a.id == id),
            None => !apps.is_empty(),
        };
        if ours {
            return Some(Connection::Connected { checked_at: now });
        }
        match graph.subscribe_app(token, page_id, &FIELDS).await {
            Ok(()) => {
                tracing::warn!(
                    page_id,
                    "Meta had dropped the webhook subscription: subscribed again"
                );
                Some(Connection::Resubscribed { at: now })
            }
            Err(e) => lost(e),
        }
    }
}

impl Worker for ConnectionWatch {
    fn name(&self) -> &'static str {
        "connection_watch"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let now = Time::now();
        for page in self.engine.store().pages().await? {
            let Some(token) = page.access_token.as_deref() else {
                continue;
            };
            if !self.due(&page.id, now) {
                continue;
            }
            let Some(state) = self.check(&page.id, token).await else {
                continue;
            };
            if let Connection::Lost { reason, .. } = &state {
                tracing::error!(page = %page.id, %reason, "page connection lost");
            }
            let changed = {
                let mut all = self
                    .engine
                    .connections
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                let was_lost = all.get(&page.id).is_some_and(Connection::is_lost);
                let lost = state.is_lost();
                all.insert(page.id.clone(), state);
                was_lost != lost
            };
            if changed {
                self.engine.signals.changed();
            }
        }
        Ok(Progress::Idle)
    }
}
