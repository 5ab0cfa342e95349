use app::ServeConfig;
use app::config::{DEFAULT_DATABASE_URL, DEFAULT_GRAPH_URL, DEFAULT_LISTEN};

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
    /// Only receive and store webhooks; leave processing to other `fenestra serve` processes
    /// on the same PostgreSQL database.
    #[arg(long)]
    no_process: bool,
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
        )?;
        config.process = !self.no_process;
        let server = app::start(config).await?;
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
