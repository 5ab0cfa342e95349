//! `fenestra automations`: a Page's automations document on the command line.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{DbArgs, offline_engine};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the Page's automations document (YAML, or JSON with --json); write it to FILE if
    /// given. Edit it and `apply` it back.
    ///
    /// Example: fenestra automations export --page 1001 shop.yaml
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
    /// Check FILE (YAML or JSON) and make it the Page's automations, all of it or nothing:
    /// every problem is listed with its line and field. docs/automations.md explains each key.
    ///
    /// Example: fenestra automations apply --page 1001 shop.yaml
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
    /// The versions applied: when and by whom.
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
                let current = engine.automations(&page).await?;
                let text = if json {
                    serde_json::to_string_pretty(&current.document)? + "\n"
                } else {
                    automations::to_yaml(&current.document)
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
                    automations::parse(&text)
                        .map_err(|e| anyhow::anyhow!("{}:\n{e}", file.display()))?;
                    eprintln!("{}: no problems", file.display());
                    return Ok(());
                }
                let engine = offline_engine(store::connect(&db.database_url).await?);
                let (_, version) = engine
                    .apply_automations(&page, &text, &format!("cli:{by}"))
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                eprintln!(
                    "page {page}: automations version {version} applied (a running server pushes the Messenger profile to Meta)"
                );
            }
            Command::History { page, db } => {
                let engine = offline_engine(store::connect(&db.database_url).await?);
                print_versions(&engine.automation_versions(&page).await?);
            }
        }
        Ok(())
    }
}

/// A document from FILE, or standard input for `-`.
pub fn read_in(file: &Path) -> anyhow::Result<String> {
    Ok(if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    })
}

/// A document to FILE, or standard output.
pub fn write_out(file: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match file {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub fn print_versions(versions: &[store::AutomationVersion]) {
    println!("version\tapplied_at\tapplied_by");
    for v in versions {
        println!("{}\t{}\t{}", v.version, v.applied_at, v.applied_by);
    }
}
