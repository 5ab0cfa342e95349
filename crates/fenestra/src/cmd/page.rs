use anyhow::bail;
use engine::privacy::Caller;
use store::Page;

use super::{DbArgs, offline_engine};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a Page, or give it a new token (which also resumes a page paused by a refused token).
    Add {
        /// The Page id.
        #[arg(long)]
        id: String,
        /// The Page access token.
        #[arg(long)]
        token: String,
        /// A name to show in the inbox.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Change what a Page may do; flags left out keep their value. Its automations (instant
    /// reply, away hours, keyword answers, the Messenger menu) are a document of their own:
    /// see `fenestra automations --help`.
    ///
    /// Example: fenestra page set --id 1001 --human-agent-approved true --allowed-domains shop.example.com
    Set {
        #[arg(long)]
        id: String,
        /// Meta granted the Human Agent permission: agents may answer with HUMAN_AGENT for 7 days.
        #[arg(long)]
        human_agent_approved: Option<bool>,
        /// Meta granted page_utility_messaging: approved utility templates may go out any time.
        #[arg(long)]
        utility_messaging: Option<bool>,
        /// Comma-separated domains whose links are not promotional (your shop, your booking site).
        #[arg(long)]
        allowed_domains: Option<String>,
        /// Fenestra is the Page's default app for Conversation Routing (Page settings →
        /// Advanced messaging at Meta). Only the default app may write in a thread nobody
        /// controls; set false if another app (Meta's inbox, another bot) is the default.
        #[arg(long)]
        default_app: Option<bool>,
        /// Erase a conversation this many days after its last activity (privacy laws want no
        /// more kept than needed); 0 keeps conversations.
        #[arg(long)]
        retention_days: Option<u32>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the Pages and their settings.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Add {
                id,
                token,
                name,
                db,
            } => {
                let store = store::connect(&db.database_url).await?;
                let page = Page {
                    id: id.clone(),
                    name,
                    access_token: Some(token),
                    ..Page::default()
                };
                store.upsert_page(&page).await?;
                eprintln!("page {id} saved");
            }
            Command::Set {
                id,
                human_agent_approved,
                utility_messaging,
                allowed_domains,
                default_app,
                retention_days,
                db,
            } => {
                let store = store::connect(&db.database_url).await?;
                let Some(page) = store.page(&id).await? else {
                    bail!(
                        "page {id} is not known: add it first with `fenestra page add --id {id} --token …`"
                    );
                };
                let s = page.settings;
                let change = engine::privacy::PagePermissions {
                    human_agent_approved: human_agent_approved.unwrap_or(s.human_agent_approved),
                    utility_messaging: utility_messaging.unwrap_or(s.utility_messaging),
                    default_app: default_app.unwrap_or(s.default_app),
                    allowed_domains: match allowed_domains {
                        Some(d) => d.split(',').map(str::to_owned).collect(),
                        None => s.allowed_domains,
                    },
                };
                let engine = offline_engine(store);
                engine
                    .set_page_permissions(Caller::Cli, &id, &change)
                    .await?;
                if let Some(days) = retention_days {
                    engine
                        .set_retention(Caller::Cli, &id, Some(days).filter(|d| *d > 0))
                        .await?;
                }
                eprintln!("page {id} updated");
            }
            Command::List { db } => {
                let store = store::connect(&db.database_url).await?;
                println!(
                    "id\tname\tstate\thuman_agent\tutility\tdefault_app\tretention_days\tautomations"
                );
                for p in store.pages().await? {
                    let automations = match store.automations(&p.id).await? {
                        Some(a) => format!("version {}", a.version),
                        None => "none".to_owned(),
                    };
                    let state = match (&p.paused_reason, p.restricted) {
                        (Some(why), _) => format!("paused: {why}"),
                        (None, true) => "restricted".to_owned(),
                        (None, false) => "ok".to_owned(),
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        p.id,
                        p.name.unwrap_or_default(),
                        state,
                        p.settings.human_agent_approved,
                        p.settings.utility_messaging,
                        p.settings.default_app,
                        p.settings
                            .retention_days
                            .map_or_else(|| "keep".to_owned(), |d| d.to_string()),
                        automations,
                    );
                }
            }
        }
        Ok(())
    }
}
