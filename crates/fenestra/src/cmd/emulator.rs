use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    /// Address for the Graph API, the control API (/_emulator) and the phone page (/phone).
    #[arg(long, default_value = "127.0.0.1:9090")]
    listen: SocketAddr,
    /// Where to deliver webhooks (the app's /webhook); without it events are only recorded.
    #[arg(long)]
    webhook_url: Option<String>,
    /// Signs every webhook (X-Hub-Signature-256 and the legacy X-Hub-Signature).
    #[arg(
        long,
        env = "FENESTRA_APP_SECRET",
        hide_env_values = true,
        default_value = "APP_SECRET"
    )]
    app_secret: String,
    /// Sent in the verification handshake.
    #[arg(
        long,
        env = "FENESTRA_VERIFY_TOKEN",
        hide_env_values = true,
        default_value = "VERIFY_TOKEN"
    )]
    verify_token: String,
    #[arg(long, default_value = "1001")]
    page_id: String,
    /// The access token Graph calls must carry.
    #[arg(long, default_value = "PAGE_TOKEN")]
    page_token: String,
    /// Keep the emulator's state in this JSON file across restarts.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Seed for ids and fault injection: the same seed gives the same run.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Start the clock at this instant (RFC 3339), e.g. 2026-03-10T12:00:00Z.
    #[arg(long)]
    now: Option<String>,
}

impl Args {
    pub async fn run(self) -> anyhow::Result<()> {
        let now_ms = match &self.now {
            Some(t) => Some(
                t.parse::<jiff::Timestamp>()
                    .with_context(|| {
                        format!(
                            "--now `{t}` is not an RFC 3339 instant such as 2026-03-10T12:00:00Z"
                        )
                    })?
                    .as_millisecond(),
            ),
            None => None,
        };
        if let Some(url) = &self.webhook_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            anyhow::bail!("--webhook-url `{url}` must start with http:// or https://");
        }
        let config = emulator::Config {
            webhook_url: self.webhook_url,
            app_secret: self.app_secret,
            verify_token: self.verify_token,
            page_id: self.page_id,
            page_token: self.page_token,
            state_file: self.state,
            seed: self.seed,
            now_ms,
            ..emulator::Config::new(self.listen)
        };
        let running = emulator::start(config).await?;
        eprintln!(
            "emulator on {0}: Graph API {0}/v27.0/…, control API {0}/_emulator/…, phone page {0}/phone; Ctrl-C stops",
            running.url()
        );
        running
            .run_until(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
        Ok(())
    }
}
