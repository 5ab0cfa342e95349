use store::Page;

use super::DbArgs;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a Page (or update its token).
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
    /// List the Pages.
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
                    restricted: false,
                    restriction_reason: None,
                };
                store.upsert_page(&page).await?;
                eprintln!("page {id} saved");
            }
            Command::List { db } => {
                let store = store::connect(&db.database_url).await?;
                for p in store.pages().await? {
                    let state = if p.restricted { "restricted" } else { "ok" };
                    println!("{}\t{}\t{}", p.id, p.name.unwrap_or_default(), state);
                }
            }
        }
        Ok(())
    }
}
