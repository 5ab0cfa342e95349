//! Conversation Routing, as Meta runs it for Messenger since the Handover Protocol's end: one
//! default app per Page (or none: zero-config mode), apps allowed to take control, and per
//! thread an owner whose control lapses after 24 hours without activity (the thread is then
//! idle). The connected app gets a customer's events in `messaging` when it owns the thread
//! (or in zero-config mode), in `standby` otherwise; its sends to a thread another app
//! controls, or to an idle thread when it is not the default app, fail with 10/2018300.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::GraphError;
use crate::rules::DAY_MS;
use crate::state::State;

/// Meta Business Suite's inbox, an ordinary app under Conversation Routing.
pub const PAGE_INBOX: &str = "263902037430900";
/// Meta's lead-ads app: it controls a thread during a click-to-Messenger lead form.
pub const LEAD_ADS: &str = "413038776280800";
/// Control lapses this long after the thread's last activity.
pub const CONTROL_MS: i64 = DAY_MS;
/// `extend_thread_control` may push the expiration at most this far.
pub const MAX_EXTEND_MS: i64 = 7 * DAY_MS;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Routing {
    /// `None` is zero-config mode. Set to the connected app when the emulator starts fresh.
    pub default_app_id: Option<String>,
    /// Apps allowed to take control.
    pub take_allowed: Vec<String>,
    pub apps: Vec<App>,
    pub threads: BTreeMap<String, Thread>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Thread {
    pub owner: String,
    /// Emulator-clock ms; the thread is idle from then on.
    pub expiration: i64,
}

/// The apps of a fresh Page: the connected one is the default app and may take control, as
/// the Business Suite inbox may.
pub fn initial(connected: &str) -> Routing {
    Routing {
        default_app_id: Some(connected.to_owned()),
        take_allowed: vec![connected.to_owned(), PAGE_INBOX.to_owned()],
        apps: vec![
            App {
                id: connected.to_owned(),
                name: "Fenestra".into(),
            },
            App {
                id: PAGE_INBOX.into(),
                name: "Meta Business Suite".into(),
            },
            App {
                id: LEAD_ADS.into(),
                name: "Lead ads".into(),
            },
        ],
        threads: BTreeMap::new(),
    }
}

impl Routing {
    /// The app controlling `psid`'s thread at `now`; `None` when it is idle.
    pub fn owner(&self, psid: &str, now: i64) -> Option<&str> {
        self.threads
            .get(psid)
            .filter(|t| now < t.expiration)
            .map(|t| t.owner.as_str())
    }

    pub fn expiration(&self, psid: &str, now: i64) -> Option<i64> {
        self.threads
            .get(psid)
            .filter(|t| now < t.expiration)
            .map(|t| t.expiration)
    }

    pub fn set_owner(&mut self, psid: &str, app: &str, now: i64) {
        self.threads.insert(
            psid.to_owned(),
            Thread {
                owner: app.to_owned(),
                expiration: now + CONTROL_MS,
            },
        );
    }

    pub fn release(&mut self, psid: &str) {
        self.threads.remove(psid);
    }

    /// Activity on an owned thread moves its expiration to 24 hours later.
    fn touch(&mut self, psid: &str, now: i64) {
        if let Some(t) = self.threads.get_mut(psid).filter(|t| now < t.expiration) {
            t.expiration = t.expiration.max(now + CONTROL_MS);
        }
    }

    pub fn zero_config(&self) -> bool {
        self.default_app_id.is_none()
    }

    pub fn name(&self, app: &str) -> String {
        self.apps
            .iter()
            .find(|a| a.id == app)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| format!("app {app}"))
    }
}

/// A customer message, quick reply or Get Started: an idle thread goes to the default app;
/// an owned one stays active 24 hours more.
pub fn customer_acted(st: &mut State, psid: &str, now: i64) {
    let r = &mut st.routing;
    match (r.owner(psid, now).is_some(), r.default_app_id.clone()) {
        (true, _) => r.touch(psid, now),
        (false, Some(default)) => r.set_owner(psid, &default, now),
        (false, None) => {}
    }
}

/// Whether the connected app receives `psid`'s events in `standby` now.
pub fn standby_for_connected(st: &State, psid: &str, now: i64) -> bool {
    let r = &st.routing;
    !r.zero_config()
        && r.owner(psid, now)
            .is_some_and(|owner| owner != st.page.app_id)
}

/// Meta's refusal of a send from an app that may not write in this thread now.
pub fn thread_taken() -> GraphError {
    GraphError::new(
        10,
        Some(2018300),
        "(#10) Message failed to send because another app is controlling this thread now.",
    )
}

/// May the connected app write to `psid` now?
pub fn check_send(st: &State, psid: &str, now: i64) -> Result<(), GraphError> {
    let r = &st.routing;
    let ours = &st.page.app_id;
    if r.zero_config() {
        return Ok(());
    }
    match r.owner(psid, now) {
        Some(owner) if owner == ours => Ok(()),
        Some(_) => Err(thread_taken()),
        None if r.default_app_id.as_deref() == Some(ours) => Ok(()),
        None => Err(thread_taken()),
    }
}

/// After a send by the connected app: it owns the thread (as the default app on an idle one)
/// for 24 hours more.
pub fn after_send(st: &mut State, psid: &str, now: i64) {
    let ours = st.page.app_id.clone();
    if st.routing.zero_config() {
        return;
    }
    match st.routing.owner(psid, now) {
        Some(_) => st.routing.touch(psid, now),
        None => st.routing.set_owner(psid, &ours, now),
    }
}

/// An app id as the handover webhooks carry it: a number when it is one (Meta's samples).
pub fn app_value(app: &str) -> Value {
    app.parse::<u64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(app))
}

/// Queues a `messaging_handovers` event for `to`: delivered when `to` is the connected app,
/// recorded as undelivered otherwise.
pub fn notify(st: &mut State, to: &str, psid: &str, now: i64, key: &str, value: Value) {
    let page = st.page.id.clone();
    let item =
        json!({"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now, key: value});
    if to == st.page.app_id {
        crate::webhooks::enqueue(st, item);
    } else {
        st.other_app_webhooks
            .push(json!({"at": now, "app_id": to, "delivered": false, "kind": key, "item": item}));
    }
}

/// Another app (or the connected one) passes the thread to `target`.
pub fn pass(
    st: &mut State,
    psid: &str,
    from: Option<&str>,
    target: &str,
    metadata: Value,
    now: i64,
) {
    st.routing.set_owner(psid, target, now);
    notify(
        st,
        target,
        psid,
        now,
        "pass_thread_control",
        json!({"previous_owner_app_id": from.map(app_value), "new_owner_app_id": app_value(target), "metadata": metadata}),
    );
}

/// `taker` takes the thread; the previous owner (if any) is told.
pub fn take(st: &mut State, psid: &str, taker: &str, metadata: Value, now: i64) {
    let previous = st.routing.owner(psid, now).map(str::to_owned);
    st.routing.set_owner(psid, taker, now);
    if let Some(previous) = previous.filter(|p| p != taker) {
        notify(
            st,
            &previous,
            psid,
            now,
            "take_thread_control",
            json!({"previous_owner_app_id": app_value(&previous), "new_owner_app_id": app_value(taker), "metadata": metadata}),
        );
    }
}

/// The routing as the control API shows it.
pub fn describe(st: &State, now: i64) -> Value {
    let r = &st.routing;
    let threads: serde_json::Map<String, Value> = r
        .threads
        .iter()
        .filter(|(_, t)| now < t.expiration)
        .map(|(psid, t)| {
            (
                psid.clone(),
                json!({"owner": t.owner, "owner_name": r.name(&t.owner), "expiration": crate::clock::rfc3339(t.expiration)}),
            )
        })
        .collect();
    json!({"default_app_id": r.default_app_id, "take_allowed": r.take_allowed, "apps": r.apps, "threads": threads})
}
