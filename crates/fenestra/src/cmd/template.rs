//! `fenestra template`: the Page's utility templates (the compliant way to send order and
//! account updates outside the 24-hour window since the three tags were retired in April 2026).

use std::time::Duration;

use anyhow::bail;
use messenger::GraphClient;
use web::config::DEFAULT_GRAPH_URL;

use super::DbArgs;

#[derive(clap::Args)]
pub struct Graph {
    /// Graph API base URL (the emulator's in demos and tests).
    #[arg(long, env = "FENESTRA_GRAPH_URL", default_value = DEFAULT_GRAPH_URL)]
    graph_url: String,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Fetch the Page's templates and their review status from Meta into the database.
    Sync {
        #[arg(long)]
        page: String,
        #[command(flatten)]
        graph: Graph,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Submit a UTILITY template for Meta's review, e.g.
    /// --name order_shipped --body 'Hi {{first_name}}, order {{order_id}} has shipped.'
    Create {
        #[arg(long)]
        page: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "en")]
        language: String,
        /// The text, with {{named}} parameters.
        #[arg(long)]
        body: String,
        #[command(flatten)]
        graph: Graph,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the templates Fenestra knows for a Page.
    List {
        #[arg(long)]
        page: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Sync { page, graph, db } => {
                let store = store::connect(&db.database_url).await?;
                let page = known_page(store.as_ref(), &page).await?;
                let client = GraphClient::new(&graph.graph_url, Duration::from_secs(20));
                let templates = engine::templates::sync(store.as_ref(), &client, &page).await?;
                eprintln!("{} templates for page {}", templates.len(), page.id);
                print(&templates);
            }
            Command::Create {
                page,
                name,
                language,
                body,
                graph,
                db,
            } => {
                let store = store::connect(&db.database_url).await?;
                let page = known_page(store.as_ref(), &page).await?;
                let client = GraphClient::new(&graph.graph_url, Duration::from_secs(20));
                let token = page.access_token.clone().unwrap_or_default();
                let created = client
                    .create_template(&token, &page.id, &name, &language, &body)
                    .await?;
                eprintln!("template {name} submitted: {}", created.status);
                engine::templates::sync(store.as_ref(), &client, &page).await?;
            }
            Command::List { page, db } => {
                let store = store::connect(&db.database_url).await?;
                print(&store.templates(&page).await?);
            }
        }
        Ok(())
    }
}

async fn known_page(store: &dyn store::Store, id: &str) -> anyhow::Result<store::Page> {
    match store.page(id).await? {
        Some(p) => Ok(p),
        None => bail!(
            "page {id} is not known: add it first with `fenestra page add --id {id} --token …`"
        ),
    }
}

fn print(templates: &[store::Template]) {
    for t in templates {
        println!("{}\t{}\t{}\t{}", t.name, t.language, t.status, t.body);
    }
}
