pub mod analytics;
pub mod automations;
pub mod backup;
pub mod customer;
pub mod demo;
pub mod emulator;
pub mod flows;
pub mod link;
pub mod page;
pub mod policy;
pub mod replay;
pub mod send;
pub mod serve;
pub mod template;
pub mod user;
pub mod webhook;

use web::config::DEFAULT_DATABASE_URL;

/// The database flag every command that touches the store shares.
#[derive(clap::Args)]
pub struct DbArgs {
    /// sqlite://PATH (default, created if missing) or postgres://USER@HOST/DB.
    #[arg(long, env = "FENESTRA_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

pub async fn migrate(args: DbArgs) -> anyhow::Result<()> {
    let store = store::connect(&args.database_url).await?;
    eprintln!("database is up to date ({})", store.backend());
    Ok(())
}

/// An engine for commands that work on the database only and never call Meta.
pub fn offline_engine(store: std::sync::Arc<dyn store::Store>) -> engine::Engine {
    let graph = messenger::GraphClient::new(
        web::config::DEFAULT_GRAPH_URL,
        std::time::Duration::from_secs(5),
    );
    engine::Engine::new(store, graph)
}
