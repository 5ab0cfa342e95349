//! `fenestra emulator`: Meta's side of Messenger on one machine.
//!
//! * [`send`]: the Send API, validated and enforced like Meta (window, tags by date, tokens,
//!   private replies, blocks, restrictions, rate limits), Meta-shaped errors ([`error`]).
//! * [`graph`]: the other Graph endpoints a Page calls (profile, personas, user profile,
//!   handover, attachments, utility templates, subscriptions).
//! * [`webhooks`]: signed, batched, retried delivery to the app's webhook, with Meta's timing.
//! * [`login`]: connecting a page offline: Facebook Login's dialog, tokens and permissions,
//!   `/me/accounts`, the app-level subscription.
//! * [`control`]: `/_emulator/*`, for tests, demos and the phone page ([`phone`]).
//!
//! It enforces the rules from its own code ([`rules`]) and never uses Fenestra's `policy`
//! crate: it is the referee that checks it.

pub mod client;
mod clock;
pub mod control;
pub mod error;
mod feed;
pub mod graph;
mod insights;
mod json_ascii;
pub mod login;
pub mod marketing;
mod phone;
mod profile;
mod rng;
pub mod routing;
pub mod rules;
pub mod send;
pub mod state;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::routing::{get, post};
use tokio::sync::{Notify, watch};

pub use clock::Clock;
use rng::Rng;
use state::State;

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Where events go; none: events are only logged.
    pub webhook_url: Option<String>,
    pub app_secret: String,
    pub verify_token: String,
    pub page_id: String,
    pub page_token: String,
    /// Keep state across restarts in this JSON file.
    pub state_file: Option<PathBuf>,
    pub seed: u64,
    /// Start the clock here (ms since the epoch) instead of at real time.
    pub now_ms: Option<i64>,
    /// First retry delay of a failed webhook delivery (doubles up to a minute).
    pub retry_base: Duration,
}

impl Config {
    pub fn new(listen: SocketAddr) -> Config {
        Config {
            listen,
            webhook_url: None,
            app_secret: "APP_SECRET".into(),
            verify_token: "VERIFY_TOKEN".into(),
            page_id: "1001".into(),
            page_token: "PAGE_TOKEN".into(),
            state_file: None,
            seed: 1,
            now_ms: None,
            retry_base: Duration::from_secs(1),
        }
    }
}

/// The emulator's shared state. The lock is never held across an `.await`.
pub struct Emu {
    state: Mutex<State>,
    pub clock: Clock,
    rng: Mutex<Rng>,
    pub config: Config,
    /// Woken when events are queued.
    pub(crate) pending: Notify,
    /// Files uploaded to `/me/message_attachments` (content type, bytes), by attachment id; kept
    /// in memory only, for the phone page to show.
    uploads: Mutex<std::collections::HashMap<String, (String, Vec<u8>)>>,
}

impl Emu {
    pub(crate) fn keep_upload(&self, id: &str, file: (String, Vec<u8>)) {
        if let Ok(mut uploads) = self.uploads.lock() {
            uploads.insert(id.to_owned(), file);
        }
    }

    pub(crate) fn upload(&self, id: &str) -> Option<(String, Vec<u8>)> {
        self.uploads.lock().ok()?.get(id).cloned()
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Runs `f` on the state under the lock; wakes the webhook deliverer if `f` queued events.
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let (r, queued) = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let before = st.pending.len();
            let r = f(&mut st);
            (r, st.pending.len() > before)
        };
        if queued {
            self.pending.notify_one();
        }
        r
    }

    pub fn chance(&self, p: f64) -> bool {
        self.rng.lock().unwrap_or_else(|e| e.into_inner()).chance(p)
    }

    pub fn token(&self, len: usize) -> String {
        self.rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .token(len)
    }

    pub fn digits(&self, len: usize) -> String {
        self.rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .digits(len)
    }

    /// A message id in Meta's current shape.
    pub fn new_mid(&self) -> String {
        format!("m_{}", self.token(43))
    }

    fn save(&self) -> anyhow::Result<()> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        let json = self.with(|st| {
            st.clock_offset_ms = self.clock.offset_ms();
            serde_json::to_vec_pretty(st)
        })?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, json).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
        Ok(())
    }
}

pub struct RunningEmulator {
    pub addr: SocketAddr,
    pub emu: Arc<Emu>,
    stop: watch::Sender<bool>,
    http: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.http.await;
        if let Err(e) = self.emu.save() {
            tracing::error!(error = %e, "saving the emulator state failed");
        }
    }

    pub async fn run_until(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }
}

fn initial_state(config: &Config) -> anyhow::Result<State> {
    let saved = match &config.state_file {
        Some(path) if path.exists() => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Some(
                serde_json::from_slice::<State>(&bytes)
                    .with_context(|| format!("{} is not an emulator state file", path.display()))?,
            )
        }
        _ => None,
    };
    let mut st = saved.unwrap_or_default();
    st.page.id = config.page_id.clone();
    st.page.token = config.page_token.clone();
    st.page.verified = false;
    // At start the page is connected (unless a saved state says it was disconnected): the app
    // subscribed at app level to every field, events going to the configured webhook.
    if st.login.page_token_revoked != Some(login::Revoked::AppRemoved) {
        login::set_connected(
            &mut st,
            true,
            config.webhook_url.as_deref(),
            &config.verify_token,
        );
        st.page.verified = false;
    }
    if st.routing.apps.is_empty() {
        st.routing = routing::initial(&st.page.app_id);
    }
    Ok(st)
}

pub async fn start(config: Config) -> anyhow::Result<RunningEmulator> {
    let st = initial_state(&config)?;
    let clock = Clock::starting_at(config.now_ms);
    if config.now_ms.is_none() && st.clock_offset_ms != 0 {
        clock.set_offset_ms(st.clock_offset_ms);
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let emu = Arc::new(Emu {
        state: Mutex::new(st),
        clock,
        rng: Mutex::new(Rng::new(config.seed)),
        config,
        pending: Notify::new(),
        uploads: Mutex::default(),
    });
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(webhooks::run(emu.clone(), stopped.clone()));
    if emu.config.state_file.is_some() {
        tokio::spawn(autosave(emu.clone(), stopped.clone()));
    }
    let app = router(emu.clone());
    let mut stop_http = stopped;
    let http = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop_http.wait_for(|s| *s).await;
            })
            .await
    });
    tracing::info!(%addr, "emulator listening");
    Ok(RunningEmulator {
        addr,
        emu,
        stop,
        http,
    })
}

async fn autosave(emu: Arc<Emu>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => {}
        }
        if let Err(e) = emu.save() {
            tracing::error!(error = %e, "saving the emulator state failed");
        }
    }
}

fn router(emu: Arc<Emu>) -> Router {
    Router::new()
        .route("/{version}/me/messages", post(send::send))
        .route("/{version}/{node}/messages", post(send::send))
        .route(
            "/{version}/me/messenger_profile",
            get(graph::profile_get)
                .post(graph::profile_set)
                .delete(graph::profile_delete),
        )
        .route(
            "/{version}/me/personas",
            get(graph::personas_list).post(graph::persona_create),
        )
        .route(
            "/{version}/{node}/pass_thread_control",
            post(graph::pass_thread_control),
        )
        .route(
            "/{version}/{node}/take_thread_control",
            post(graph::take_thread_control),
        )
        .route(
            "/{version}/{node}/request_thread_control",
            post(graph::request_thread_control),
        )
        .route(
            "/{version}/{node}/release_thread_control",
            post(graph::release_thread_control),
        )
        .route(
            "/{version}/{node}/extend_thread_control",
            post(graph::extend_thread_control),
        )
        .route("/{version}/{node}/thread_owner", get(graph::thread_owner))
        .route(
            "/{version}/{node}/message_campaign",
            post(marketing::create_campaign),
        )
        .route(
            "/{version}/{node}/message_delivery_estimate",
            get(marketing::estimate),
        )
        .route(
            "/{version}/{node}/notification_message_tokens",
            get(marketing::tokens),
        )
        .route("/{version}/{node}/insights", get(marketing::insights))
        .route(
            "/{version}/me/message_attachments",
            post(graph::attachment_upload),
        )
        .route(
            "/{version}/message_template_library",
            get(graph::template_library),
        )
        .route(
            "/{version}/{node}/message_templates",
            get(graph::templates_list).post(graph::template_create),
        )
        .route(
            "/{version}/{node}/subscribed_apps",
            get(graph::subscribed_apps)
                .post(graph::subscribe)
                .delete(graph::unsubscribe),
        )
        .route(
            "/{version}/{node}",
            get(graph::node_get)
                .post(feed::node_post)
                .delete(graph::node_delete),
        )
        .route("/dialog/oauth", get(login::dialog).post(login::consent))
        .route("/{version}/dialog/oauth", get(login::dialog))
        .route("/{version}/oauth/access_token", get(login::access_token))
        .route("/{version}/me/accounts", get(login::accounts))
        .route("/{version}/debug_token", get(login::debug_token))
        .route(
            "/{version}/me/messaging_feature_review",
            get(login::feature_review),
        )
        .route(
            "/{version}/{node}/subscriptions",
            get(login::subscriptions)
                .post(login::subscriptions)
                .delete(login::subscriptions),
        )
        .route(
            "/{version}/{node}/comments",
            get(feed::comments_list).post(feed::public_reply),
        )
        .route(
            "/{version}/{node}/messenger_codes",
            get(feed::messenger_codes).post(feed::messenger_codes),
        )
        .merge(control::routes())
        .merge(feed::routes())
        .route("/phone", get(phone::page))
        .with_state(emu)
}
