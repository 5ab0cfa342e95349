//! `fenestra serve` configuration, validated once at start so a wrong value is named up front.

use std::net::SocketAddr;
use std::time::Duration;

use crate::client::Cidr;

use engine::delivery::DeliveryConfig;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://fenestra.db";
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com/v27.0";
pub const DEFAULT_DIALOG_URL: &str = "https://www.facebook.com/v27.0";

/// What one `fenestra serve` instance does; several instances on one PostgreSQL may take
/// different roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Role {
    /// The web tier: webhooks, the inbox, the API. Stores and queues; other instances process
    /// and send.
    Web,
    /// The background tier: processes stored webhooks, sends, runs automations, flows and
    /// broadcasts. Serves only `/healthz` and `/metrics`.
    Worker,
    /// Everything (one machine, and the SQLite default).
    #[default]
    All,
}

impl Role {
    pub fn serves_web(self) -> bool {
        matches!(self, Role::Web | Role::All)
    }

    pub fn works(self) -> bool {
        matches!(self, Role::Worker | Role::All)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Web => "web",
            Role::Worker => "worker",
            Role::All => "all",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Which parts run here.
    pub role: Role,
    pub listen: SocketAddr,
    pub database_url: String,
    /// Keys the `X-Hub-Signature-256` HMAC.
    pub app_secret: String,
    /// Answered back in the `GET /webhook` handshake.
    pub verify_token: String,
    pub graph_url: String,
    /// Pages given on the command line or in the environment (id, access token).
    pub pages: Vec<(String, String)>,
    /// Largest webhook body accepted (Meta's are far smaller).
    pub max_body_bytes: usize,
    /// Run the processor here if the role works (off only in tests that play a crash).
    pub process: bool,
    /// How long a claimed body is reserved for its worker before another may take it.
    pub lease: Duration,
    /// Run the delivery worker and automations here if the role works (off in benchmarks that
    /// drive them by hand).
    pub deliver: bool,
    pub delivery: DeliveryConfig,
    /// How long a Graph API call may take before its outcome counts as unknown.
    pub graph_timeout: Duration,
    /// Where users reach Fenestra (`https://inbox.shop.example`): with https, cookies are
    /// `Secure`; links in messages use it.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for login limits).
    pub trusted_proxies: Vec<Cidr>,
    /// Processed webhook bodies are deleted after this long (quarantined ones are kept).
    pub webhook_retention: Duration,
    /// A request whose headers take longer is dropped (a half-sent request is not held open).
    pub header_timeout: Duration,
    /// The Meta app's id, to find its own subscription among a page's apps.
    pub app_id: Option<String>,
    /// How often each page's webhook subscription and token are checked.
    pub connection_check: Duration,
    /// A Facebook Login for Business configuration, for connecting pages from Settings.
    pub login_config_id: Option<String>,
    /// Where Meta's Login dialog lives.
    pub dialog_url: String,
    /// Keys the signature of flows' calls to shops' systems (default: the app secret).
    pub flow_secret: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error(
        "FENESTRA_APP_SECRET (--app-secret) is not set: webhook signatures cannot be checked without it"
    )]
    MissingAppSecret,
    #[error("FENESTRA_VERIFY_TOKEN (--verify-token) is not set: Meta's webhook handshake needs it")]
    MissingVerifyToken,
    #[error("FENESTRA_LISTEN (--listen) `{0}` is not an address such as 127.0.0.1:8080")]
    BadListen(String),
    #[error("FENESTRA_GRAPH_URL (--graph-url) `{0}` must start with http:// or https://")]
    BadGraphUrl(String),
    #[error(
        "FENESTRA_PAGE_ID and FENESTRA_PAGE_TOKEN (--page-id, --page-token) go together; only {0} is set"
    )]
    HalfPage(&'static str),
    #[error("FENESTRA_PUBLIC_URL (--public-url) `{0}` must start with https:// or http://")]
    BadPublicUrl(String),
    #[error("FENESTRA_TRUSTED_PROXIES (--trusted-proxies): {0}")]
    BadTrustedProxies(String),
}

impl ServeConfig {
    /// Builds a configuration from raw values (flags already merged over the environment).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        listen: &str,
        database_url: &str,
        app_secret: Option<String>,
        verify_token: Option<String>,
        graph_url: &str,
        page_id: Option<String>,
        page_token: Option<String>,
    ) -> Result<Self, ConfigError> {
        let listen = listen
            .parse()
            .map_err(|_| ConfigError::BadListen(listen.to_owned()))?;
        let app_secret = app_secret
            .filter(|s| !s.is_empty())
            .ok_or(ConfigError::MissingAppSecret)?;
        let verify_token = verify_token
            .filter(|s| !s.is_empty())
            .ok_or(ConfigError::MissingVerifyToken)?;
        if !(graph_url.starts_with("http://") || graph_url.starts_with("https://")) {
            return Err(ConfigError::BadGraphUrl(graph_url.to_owned()));
        }
        let pages = match (page_id, page_token) {
            (Some(id), Some(token)) => vec![(id, token)],
            (None, None) => vec![],
            (Some(_), None) => return Err(ConfigError::HalfPage("the page id")),
            (None, Some(_)) => return Err(ConfigError::HalfPage("the page token")),
        };
        Ok(ServeConfig {
            role: Role::All,
            listen,
            database_url: database_url.to_owned(),
            app_secret,
            verify_token,
            graph_url: graph_url.trim_end_matches('/').to_owned(),
            pages,
            max_body_bytes: 1024 * 1024,
            process: true,
            lease: Duration::from_secs(30),
            deliver: true,
            delivery: DeliveryConfig::default(),
            graph_timeout: Duration::from_secs(20),
            public_url: None,
            trusted_proxies: vec![],
            webhook_retention: Duration::from_secs(30 * 86_400),
            header_timeout: crate::listener::HEADER_TIMEOUT,
            app_id: None,
            connection_check: Duration::from_secs(15 * 60),
            login_config_id: None,
            dialog_url: DEFAULT_DIALOG_URL.to_owned(),
            flow_secret: None,
        })
    }

    /// Sets where users reach Fenestra; `https://…` makes cookies `Secure`.
    pub fn with_public_url(mut self, url: Option<&str>) -> Result<Self, ConfigError> {
        self.public_url = match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                Some(u.trim_end_matches('/').to_owned())
            }
            Some(u) => return Err(ConfigError::BadPublicUrl(u.to_owned())),
        };
        Ok(self)
    }

    /// Sets the trusted proxies from a comma-separated list of addresses or ranges.
    pub fn with_trusted_proxies(mut self, list: Option<&str>) -> Result<Self, ConfigError> {
        self.trusted_proxies = list
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<Cidr>().map_err(ConfigError::BadTrustedProxies))
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// What connecting pages from Settings needs, once the server knows its address (`addr`,
    /// used when no public URL is set): `None` without an app id.
    pub fn login_setup(&self, addr: std::net::SocketAddr) -> Option<engine::connect::LoginSetup> {
        Some(engine::connect::LoginSetup {
            app_id: self.app_id.clone()?,
            app_secret: self.app_secret.clone(),
            config_id: self.login_config_id.clone(),
            dialog_url: self.dialog_url.trim_end_matches('/').to_owned(),
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}")),
            verify_token: self.verify_token.clone(),
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(listen: &str, secret: Option<&str>, graph: &str) -> Result<ServeConfig, ConfigError> {
        ServeConfig::new(
            listen,
            DEFAULT_DATABASE_URL,
            secret.map(Into::into),
            Some("v".into()),
            graph,
            None,
            None,
        )
    }

    #[test]
    fn wrong_values_are_named() {
        assert_eq!(
            cfg("localhost", Some("s"), DEFAULT_GRAPH_URL).unwrap_err(),
            ConfigError::BadListen("localhost".into())
        );
        assert_eq!(
            cfg(DEFAULT_LISTEN, None, DEFAULT_GRAPH_URL).unwrap_err(),
            ConfigError::MissingAppSecret
        );
        assert_eq!(
            cfg(DEFAULT_LISTEN, Some("s"), "graph.facebook.com").unwrap_err(),
            ConfigError::BadGraphUrl("graph.facebook.com".into())
        );
        let half = ServeConfig::new(
            DEFAULT_LISTEN,
            "sqlite://x",
            Some("s".into()),
            Some("v".into()),
            DEFAULT_GRAPH_URL,
            Some("1".into()),
            None,
        );
        assert_eq!(half.unwrap_err(), ConfigError::HalfPage("the page id"));
        assert_eq!(
            cfg(DEFAULT_LISTEN, Some("s"), "http://127.0.0.1:9090/")
                .unwrap()
                .graph_url,
            "http://127.0.0.1:9090"
        );
        let base = || cfg(DEFAULT_LISTEN, Some("s"), DEFAULT_GRAPH_URL).unwrap();
        assert!(
            base()
                .with_public_url(Some("https://inbox.example/"))
                .unwrap()
                .secure_cookies()
        );
        assert!(
            !base()
                .with_public_url(Some("http://localhost:8080"))
                .unwrap()
                .secure_cookies()
        );
        assert_eq!(
            base().with_public_url(Some("inbox.example")).unwrap_err(),
            ConfigError::BadPublicUrl("inbox.example".into())
        );
        assert_eq!(
            base()
                .with_trusted_proxies(Some("127.0.0.1, 10.0.0.0/8"))
                .unwrap()
                .trusted_proxies
                .len(),
            2
        );
        assert!(matches!(
            base()
                .with_trusted_proxies(Some("10.0.0.0/40"))
                .unwrap_err(),
            ConfigError::BadTrustedProxies(_)
        ));
    }
}
