//! `fenestra backup FILE`: a consistent copy of the database while Fenestra runs.

use std::path::PathBuf;

use super::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Where the copy goes (a new file). On PostgreSQL this prints the pg_dump recipe instead.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

impl Args {
    pub async fn run(self) -> anyhow::Result<()> {
        let store = store::connect(&self.db.database_url).await?;
        store.backup_to(&self.file).await?;
        eprintln!(
            "backup written to {} (restore: stop fenestra, put it in place of the database file)",
            self.file.display()
        );
        Ok(())
    }
}
