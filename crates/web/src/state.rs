//! What every handler can reach.

use std::sync::Arc;

use engine::Engine;
use engine::ingest::Ingest;
use tokio::sync::watch;

use crate::client::Cidr;

#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    /// Where webhook bodies go to be committed.
    pub ingest: Ingest,
    pub app_secret: Arc<str>,
    pub verify_token: Arc<str>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[Cidr]>,
    /// Behind TLS (`FENESTRA_PUBLIC_URL` is https): cookies are `Secure`.
    pub secure_cookies: bool,
    /// Turns true when the HTTP server stops: long-lived responses (server-sent events) end
    /// then, or a graceful shutdown would wait for them forever.
    pub stopping: watch::Receiver<bool>,
    /// Connecting pages with Facebook Login; `None` without an app id.
    pub login: Option<Arc<engine::connect::LoginSetup>>,
    /// Facebook logins in progress.
    pub logins: Arc<crate::pages::Logins>,
}

impl AppState {
    pub fn store(&self) -> &dyn store::Store {
        self.engine.store()
    }
}
