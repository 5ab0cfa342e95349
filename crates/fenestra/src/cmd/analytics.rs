//! `fenestra analytics`: the rollups the Analytics page reads.

use std::time::Instant;

use super::DbArgs;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Recompute the rollups (messages per hour, who wrote per day, decisions per day, answer
    /// times) from the stored messages and decisions, e.g. after restoring a backup or a bug fix
    /// in how answers are counted. Safe while `fenestra serve` runs: what arrives meanwhile is
    /// counted on top.
    Rebuild {
        /// Only this Page (default: every Page).
        #[arg(long)]
        page: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        let Command::Rebuild { page, db } = self;
        let store = store::connect(&db.database_url).await?;
        let engine = super::offline_engine(store.clone());
        let pages = match page {
            Some(p) => vec![p],
            None => store.pages().await?.into_iter().map(|p| p.id).collect(),
        };
        for page in pages {
            let started = Instant::now();
            let total = store.rebuild_rollups(&page).await?;
            eprintln!(
                "page {page}: message, customer and decision counts recomputed; folding the answers of {total} conversations"
            );
            engine
                .fold_all_answers(&page, |done| {
                    eprintln!("page {page}: {done} of {total} conversations folded");
                })
                .await?;
            eprintln!(
                "page {page}: rebuilt in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }
}
