//! `fenestra link`: the ways customers arrive. An m.me link with a `ref` (counted under it), its
//! QR code for the till and a printable A6 card, and signed links that carry an order or
//! customer id.

use anyhow::{Context, bail};
use engine::links::refs::{SignedRef, Subject};
use engine::links::{Artwork, EntryPointSpec};
use store::Time;

use super::DbArgs;

#[derive(clap::Args)]
pub struct PageArg {
    /// The Page (optional when the database has only one).
    #[arg(long)]
    page: Option<String>,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Make (or change) an entry point and print its link, e.g.
    /// `fenestra link create --ref counter --text "Xin chào" --qr counter.png --card counter.pdf`.
    /// Customers who arrive through it are counted under its ref.
    Create {
        /// What the link carries: letters, digits, `-`, `_`, `=` (what Meta keeps).
        #[arg(long = "ref")]
        ref_: String,
        /// What the shop calls it ("QR at the till"); the ref when absent.
        #[arg(long)]
        title: Option<String>,
        /// Text put in the customer's composer when the link opens.
        #[arg(long)]
        text: Option<String>,
        /// A label added to everyone who arrives through it.
        #[arg(long)]
        label: Option<String>,
        /// `link` (m.me, default), `ad` (a click-to-Messenger ad's ref), `signed` (a prefix for
        /// refs signed per order or customer).
        #[arg(long)]
        kind: Option<String>,
        /// Write the QR code of the link here (`.png` or `.svg`).
        #[arg(long)]
        qr: Option<String>,
        /// Write a printable A6 card here (`.png` or `.pdf`).
        #[arg(long)]
        card: Option<String>,
        /// The card's language: vi, en, ar, ms, it.
        #[arg(long, default_value = "vi")]
        lang: String,
        #[command(flatten)]
        page: PageArg,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The entry points with what they brought in the last 30 days (new conversations, leads,
    /// bookings, answers to broadcasts).
    List {
        #[command(flatten)]
        page: PageArg,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print a link for a shop's receipt or site that links the customer to an order or
    /// customer record when they arrive: `fenestra link sign --entry receipt --order 42`.
    Sign {
        /// The entry point it counts under.
        #[arg(long)]
        entry: String,
        #[arg(
            long,
            conflicts_with = "customer",
            required_unless_present = "customer"
        )]
        order: Option<String>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        page: PageArg,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Remove an entry point (the counts stay with the contacts).
    Delete {
        #[arg(long = "ref")]
        ref_: String,
        #[command(flatten)]
        page: PageArg,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The Page named, or the only one.
async fn page_of(store: &dyn store::Store, arg: &PageArg) -> anyhow::Result<String> {
    if let Some(p) = &arg.page {
        return Ok(p.clone());
    }
    let pages = store.pages().await?;
    match pages.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => bail!("no Page yet: add one with `fenestra page add --id … --token …`"),
        many => bail!(
            "several Pages: name one with --page ({})",
            many.iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn write(path: &str, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {path}"))?;
    eprintln!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Create {
                ref_,
                title,
                text,
                label,
                kind,
                qr,
                card,
                lang,
                page,
                db,
            } => {
                let lang = i18n::Lang::parse(&lang)
                    .with_context(|| format!("--lang `{lang}`: use vi, en, ar, ms or it"))?;
                let qr = match qr {
                    Some(p) => Some((
                        Artwork::for_file(&p, false)
                            .with_context(|| format!("--qr {p}: name a .png or .svg file"))?,
                        p,
                    )),
                    None => None,
                };
                let card = match card {
                    Some(p) => Some((
                        Artwork::for_file(&p, true)
                            .with_context(|| format!("--card {p}: name a .png or .pdf file"))?,
                        p,
                    )),
                    None => None,
                };
                let store = store::connect(&db.database_url).await?;
                let page = page_of(store.as_ref(), &page).await?;
                let engine = super::offline_engine(store);
                let spec = EntryPointSpec {
                    ref_,
                    title,
                    kind,
                    text,
                    label,
                };
                let saved = engine.save_entry_point(&page, &spec, "cli").await?;
                if engine.get_started_missing(&page).await? {
                    eprintln!(
                        "warning: the Page has no Get Started button in its automations document: \
                         Meta opens an m.me link for a new customer only through it"
                    );
                }
                for (artwork, path) in qr.into_iter().chain(card) {
                    let bytes = engine
                        .entry_artwork(&page, &saved.entry.ref_, artwork, lang)
                        .await?;
                    write(&path, &bytes)?;
                }
                println!("{}", saved.url);
            }
            Command::List { page, db } => {
                let store = store::connect(&db.database_url).await?;
                let page = page_of(store.as_ref(), &page).await?;
                let engine = super::offline_engine(store);
                let now = Time::now();
                let a = engine
                    .attribution(
                        &page,
                        now - std::time::Duration::from_secs(30 * 86_400),
                        now,
                    )
                    .await?;
                println!("ref\ttitle\tnew\tlatest\tleads\tbookings\tbroadcast_replies\turl");
                for e in &a.entry_points {
                    let c = &e.counts;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        e.entry.ref_,
                        e.entry.title,
                        c.new_conversations,
                        c.latest,
                        c.leads,
                        c.bookings,
                        c.broadcast_replies,
                        e.url
                    );
                }
            }
            Command::Sign {
                entry,
                order,
                customer,
                text,
                page,
                db,
            } => {
                let (subject, id) = match (order, customer) {
                    (Some(o), _) => (Subject::Order, o),
                    (None, Some(c)) => (Subject::Customer, c),
                    (None, None) => bail!("--order or --customer is needed"),
                };
                let store = store::connect(&db.database_url).await?;
                let page = page_of(store.as_ref(), &page).await?;
                let engine = super::offline_engine(store);
                let r = SignedRef { entry, subject, id };
                println!("{}", engine.signed_link(&page, &r, text.as_deref()).await?);
            }
            Command::Delete { ref_, page, db } => {
                let store = store::connect(&db.database_url).await?;
                let page = page_of(store.as_ref(), &page).await?;
                super::offline_engine(store)
                    .delete_entry_point(&page, &ref_)
                    .await?;
                eprintln!("entry point {ref_} removed");
            }
        }
        Ok(())
    }
}
