use std::time::Duration;

use web::ServeConfig;
use web::config::Role;
use web::config::{DEFAULT_DATABASE_URL, DEFAULT_DIALOG_URL, DEFAULT_GRAPH_URL, DEFAULT_LISTEN};

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "FENESTRA_LISTEN", default_value = DEFAULT_LISTEN)]
    listen: String,
    /// sqlite://PATH (default) or postgres://USER@HOST/DB.
    #[arg(long, env = "FENESTRA_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// The Meta app secret: keys the X-Hub-Signature-256 of every webhook.
    #[arg(long, env = "FENESTRA_APP_SECRET", hide_env_values = true)]
    app_secret: Option<String>,
    /// The token Meta sends back in the webhook verification handshake.
    #[arg(long, env = "FENESTRA_VERIFY_TOKEN", hide_env_values = true)]
    verify_token: Option<String>,
    /// Graph API base URL (the emulator's in demos and tests).
    #[arg(long, env = "FENESTRA_GRAPH_URL", default_value = DEFAULT_GRAPH_URL)]
    graph_url: String,
    /// A Page to serve (with --page-token); more with `fenestra page add`.
    #[arg(long, env = "FENESTRA_PAGE_ID")]
    page_id: Option<String>,
    /// The Page access token for --page-id.
    #[arg(long, env = "FENESTRA_PAGE_TOKEN", hide_env_values = true)]
    page_token: Option<String>,
    /// The Meta app's id (App Dashboard → Settings → Basic): admins connect Pages from
    /// Settings → Connect a Page (Facebook Login), and Fenestra finds its own webhook
    /// subscription among each page's apps, re-subscribing when Meta dropped it.
    #[arg(long, env = "FENESTRA_APP_ID")]
    app_id: Option<String>,
    /// A Facebook Login for Business configuration id (App Dashboard → Facebook Login for
    /// Business → Configurations): Connect a Page asks with it instead of a list of
    /// permissions. Needed for paid marketing messages.
    #[arg(long, env = "FENESTRA_LOGIN_CONFIG_ID")]
    login_config_id: Option<String>,
    /// Keys the X-Fenestra-Signature of flows' calls to your own systems (default: the app
    /// secret).
    #[arg(long, env = "FENESTRA_FLOW_SECRET", hide_env_values = true)]
    flow_secret: Option<String>,
    /// Where Meta's Login dialog lives (the emulator's in demos and tests).
    #[arg(long, env = "FENESTRA_DIALOG_URL", default_value = DEFAULT_DIALOG_URL)]
    dialog_url: String,
    /// What this instance runs. `web`: webhooks, the inbox and the API (it stores and queues);
    /// `worker`: processing, sending, automations, flows and broadcasts (it serves only
    /// /healthz and /metrics); `all`: both. Several instances share a PostgreSQL database; see
    /// docs/operations.md.
    #[arg(long, env = "FENESTRA_ROLE", value_enum, default_value_t = RoleArg::All)]
    role: RoleArg,
    /// Send API calls per second per Page (token bucket); 0 turns the limit off.
    #[arg(long, env = "FENESTRA_SEND_RATE", default_value_t = 40)]
    send_rate: u32,
    /// How long a claimed send is reserved for this process; after a crash, its sends wait
    /// this long before they are reconciled.
    #[arg(long, env = "FENESTRA_SEND_LEASE_SECONDS", default_value_t = 60)]
    send_lease_seconds: u64,
    /// How long a send whose outcome is unknown waits for its echo before it is sent again.
    #[arg(long, env = "FENESTRA_RECONCILE_SECONDS", default_value_t = 120)]
    reconcile_seconds: u64,
    /// Where users reach Fenestra, e.g. https://inbox.shop.example: with https, session cookies
    /// are `Secure` (run behind a TLS proxy; Meta only calls HTTPS webhooks).
    #[arg(long, env = "FENESTRA_PUBLIC_URL")]
    public_url: Option<String>,
    /// Reverse proxies (addresses or ranges, comma-separated) whose X-Forwarded-For names the
    /// client, e.g. 127.0.0.1 for a proxy on the same machine.
    #[arg(long, env = "FENESTRA_TRUSTED_PROXIES")]
    trusted_proxies: Option<String>,
    /// Days to keep processed webhook bodies (quarantined ones are kept until replayed).
    #[arg(long, env = "FENESTRA_WEBHOOK_RETENTION_DAYS", default_value_t = 30)]
    webhook_retention_days: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    Web,
    Worker,
    All,
}

impl Args {
    pub async fn run(self) -> anyhow::Result<()> {
        let mut config = ServeConfig::new(
            &self.listen,
            &self.database_url,
            self.app_secret,
            self.verify_token,
            &self.graph_url,
            self.page_id,
            self.page_token,
        )?
        .with_public_url(self.public_url.as_deref())?
        .with_trusted_proxies(self.trusted_proxies.as_deref())?;
        config.webhook_retention = Duration::from_secs(self.webhook_retention_days.max(1) * 86_400);
        config.role = match self.role {
            RoleArg::Web => Role::Web,
            RoleArg::Worker => Role::Worker,
            RoleArg::All => Role::All,
        };
        config.app_id = self.app_id;
        config.login_config_id = self.login_config_id.filter(|c| !c.is_empty());
        if !(self.dialog_url.starts_with("https://") || self.dialog_url.starts_with("http://")) {
            anyhow::bail!(
                "FENESTRA_DIALOG_URL (--dialog-url) `{}` must start with http:// or https://",
                self.dialog_url
            );
        }
        config.dialog_url = self.dialog_url;
        config.flow_secret = self.flow_secret.filter(|s| !s.is_empty());
        config.delivery.rate_per_page = std::num::NonZeroU32::new(self.send_rate);
        config.delivery.lease = Duration::from_secs(self.send_lease_seconds.max(1));
        config.delivery.reconcile = Duration::from_secs(self.reconcile_seconds);
        let server = web::start(config).await?;
        eprintln!(
            "fenestra serving on {0} (webhook: {0}/webhook, metrics: {0}/metrics); Ctrl-C stops",
            server.url()
        );
        server
            .run_until(async {
                let _ = tokio::signal::ctrl_c().await;
                eprintln!("stopping: finishing requests in flight");
            })
            .await
    }
}
