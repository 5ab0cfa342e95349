//! `fenestra flows`: a Page's flows (bots) on the command line.

use std::path::PathBuf;

use super::automations::{print_versions, read_in, write_out};
use super::{DbArgs, offline_engine};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the Page's flows document (YAML, or JSON with --json); write it to FILE if given.
    ///
    /// Example: fenestra flows export --page 1001 flows.yaml
    Export {
        #[arg(long)]
        page: String,
        /// Where to write it; standard output if left out.
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check FILE (YAML or JSON) and make it the Page's flows, all of it or nothing: every
    /// problem is listed with its flow, step and line. Customers already in a flow finish it on
    /// the version they started. docs/flows.md explains each step.
    ///
    /// Example: fenestra flows apply --page 1001 examples/flows/salon.yaml
    Apply {
        #[arg(long)]
        page: String,
        /// The document; `-` reads standard input.
        file: PathBuf,
        /// Check only: report problems, change nothing.
        #[arg(long)]
        check: bool,
        /// Who applies it, for the history (default: the system user).
        #[arg(long, env = "USER", default_value = "cli")]
        by: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The versions applied, and how many customers are at each step now.
    History {
        #[arg(long)]
        page: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Export {
                page,
                file,
                json,
                db,
            } => {
                let engine = offline_engine(store::connect(&db.database_url).await?);
                let (doc, _) = engine.flows(&page).await?;
                let text = if json {
                    serde_json::to_string_pretty(&doc)? + "\n"
                } else {
                    flows::to_yaml(&doc)
                };
                write_out(file.as_deref(), &text)?;
            }
            Command::Apply {
                page,
                file,
                check,
                by,
                db,
            } => {
                let text = read_in(&file)?;
                if check {
                    let doc = flows::parse(&text)
                        .map_err(|e| anyhow::anyhow!("{}:\n{e}", file.display()))?;
                    eprintln!(
                        "{}: no problems ({} flows)",
                        file.display(),
                        doc.flows.len()
                    );
                    return Ok(());
                }
                let engine = offline_engine(store::connect(&db.database_url).await?);
                let (doc, version) = engine
                    .apply_flows(&page, &text, &format!("cli:{by}"))
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                eprintln!(
                    "page {page}: flows version {version} applied ({} flows)",
                    doc.flows.len()
                );
            }
            Command::History { page, db } => {
                let store = store::connect(&db.database_url).await?;
                let steps = store.flow_steps(&page).await?;
                let engine = offline_engine(store);
                print_versions(&engine.flows_versions(&page).await?);
                println!("\nflow\tstep\tcustomers");
                for s in steps {
                    println!("{}\t{}\t{}", s.flow, s.step, s.customers);
                }
            }
        }
        Ok(())
    }
}
