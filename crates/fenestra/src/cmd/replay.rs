use store::Requeue;

use super::DbArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Only bodies in quarantine (after fixing what made them fail).
    #[arg(long)]
    quarantined: bool,
}

impl Args {
    /// Requeues; a running `fenestra serve` picks the bodies up. Applying a body again is safe:
    /// every write the processor makes is idempotent.
    pub async fn run(self) -> anyhow::Result<()> {
        let store = store::connect(&self.db.database_url).await?;
        let which = if self.quarantined {
            Requeue::Quarantined
        } else {
            Requeue::All
        };
        let n = store.requeue_webhooks(which).await?;
        let q = store.queue_stats().await?;
        eprintln!(
            "requeued {n} webhook bodies; {} now pending. A running `fenestra serve` processes them.",
            q.pending
        );
        Ok(())
    }
}
