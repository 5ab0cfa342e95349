//! `fenestra customer`: a customer's data, for the shop's duties under data-protection law.

use std::path::PathBuf;

use anyhow::{Context, bail};
use engine::privacy::Caller;

use super::{DbArgs, offline_engine};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Everything Fenestra holds about one customer, as JSON (to stdout or --out).
    ///
    /// Example: fenestra customer export --page 1001 --psid 7042… --out lan.json
    Export {
        #[arg(long)]
        page: String,
        #[arg(long)]
        psid: String,
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Erase one customer's personal data (messages, profile, tokens, notes, raw webhook
    /// bodies); the rows stay, so counts do. Cannot be undone: needs --yes.
    Erase {
        #[arg(long)]
        page: String,
        #[arg(long)]
        psid: String,
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Export {
                page,
                psid,
                out,
                db,
            } => {
                let engine = offline_engine(store::connect(&db.database_url).await?);
                let data = engine.export_customer(Caller::Cli, &page, &psid).await?;
                let json = serde_json::to_string_pretty(&data)?;
                match out {
                    Some(path) => {
                        std::fs::write(&path, json)
                            .with_context(|| format!("writing {}", path.display()))?;
                        eprintln!(
                            "customer {psid} of page {page} exported to {}",
                            path.display()
                        );
                    }
                    None => println!("{json}"),
                }
            }
            Command::Erase {
                page,
                psid,
                yes,
                db,
            } => {
                if !yes {
                    bail!("erasing cannot be undone: add --yes to erase customer {psid}");
                }
                let engine = offline_engine(store::connect(&db.database_url).await?);
                let erased = engine.erase_customer(Caller::Cli, &page, &psid).await?;
                println!("{}", serde_json::to_string(&erased)?);
                eprintln!("customer {psid} of page {page} erased");
            }
        }
        Ok(())
    }
}
