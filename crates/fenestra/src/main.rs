//! `fenestra`: the one binary. Thin: parses arguments, calls the crates, maps errors to exit codes.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "fenestra",
    version,
    about = "Compliance-first, self-hosted platform for businesses on Facebook Messenger",
    long_about = "Fenestra receives a Page's Messenger webhooks, keeps every conversation, and checks \
every outgoing message against Messenger's rules before it is sent.\n\n\
Start here:\n  \
fenestra demo                                       everything on this machine, with seeded customers\n  \
fenestra serve --app-secret S --verify-token V      run the server on 127.0.0.1:8080 (SQLite)\n  \
fenestra webhook parse body.json                    show the events in a webhook body\n  \
fenestra policy check scenario.json                 may this message be sent? which rule, why\n  \
fenestra replay                                     process stored webhook bodies again\n  \
fenestra send --page P --to PSID --text T           judge, audit and queue one message\n  \
fenestra backup fenestra-backup.db                  a consistent copy of the database, online\n  \
fenestra analytics rebuild                          recompute the Analytics page's rollups\n  \
fenestra emulator --webhook-url http://127.0.0.1:8080/webhook --app-secret S --verify-token V\n  \
                                                    play Meta and its customers on 127.0.0.1:9090\n\n\
Configuration comes from flags or FENESTRA_* environment variables (flags win)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: webhook ingest, processor, delivery worker, automations, web inbox.
    Serve(cmd::serve::Args),
    /// Play Meta: Graph API, signed webhooks, simulated customers and a phone page.
    Emulator(cmd::emulator::Args),
    /// Judge outgoing messages against Messenger's rules.
    #[command(subcommand)]
    Policy(cmd::policy::Command),
    /// Work with webhook bodies.
    #[command(subcommand)]
    Webhook(cmd::webhook::Command),
    /// Put stored webhook bodies back in the queue so the processor applies them again.
    Replay(cmd::replay::Args),
    /// Create or update the database schema, then exit.
    Migrate(cmd::DbArgs),
    /// Manage the Pages Fenestra serves.
    #[command(subcommand)]
    Page(cmd::page::Command),
    /// A Page's automations (instant reply, away hours, keyword answers, the Messenger menu) as
    /// one document: export, apply, history.
    #[command(subcommand)]
    Automations(cmd::automations::Command),
    /// A Page's flows (bots that ask, branch, wait and hand over) as one document: export,
    /// apply, history.
    #[command(subcommand)]
    Flows(cmd::flows::Command),
    /// Send one message to a customer: judged by the policy, audited, queued for delivery.
    Send(cmd::send::Args),
    /// m.me links with a ref, their QR codes and printable cards, signed links for receipts.
    #[command(subcommand)]
    Link(cmd::link::Command),
    /// The Page's utility templates: sync from Meta, submit, list.
    #[command(subcommand)]
    Template(cmd::template::Command),
    /// The people who use the inbox: add, list, disable.
    #[command(subcommand)]
    User(cmd::user::Command),
    /// Start the emulator and the server with seeded customers, print the URLs; Ctrl-C stops.
    Demo(cmd::demo::Args),
    /// A customer's data: export it, or erase it (data-protection requests).
    #[command(subcommand)]
    Customer(cmd::customer::Command),
    /// Copy the database consistently while Fenestra runs (SQLite; PostgreSQL: pg_dump).
    Backup(cmd::backup::Args),
    /// The Analytics page's rollups: rebuild them from the stored messages and decisions.
    #[command(subcommand)]
    Analytics(cmd::analytics::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FENESTRA_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Webhook(c) => return c.run(),
        Command::Policy(c) => return c.run(),
        Command::Serve(args) => cmd::runtime().block_on(args.run()),
        Command::Emulator(args) => cmd::runtime().block_on(args.run()),
        Command::Replay(args) => cmd::runtime().block_on(args.run()),
        Command::Migrate(args) => cmd::runtime().block_on(cmd::migrate(args)),
        Command::Page(c) => cmd::runtime().block_on(c.run()),
        Command::Template(c) => cmd::runtime().block_on(c.run()),
        Command::Link(c) => cmd::runtime().block_on(c.run()),
        Command::Automations(c) => cmd::runtime().block_on(c.run()),
        Command::Flows(c) => cmd::runtime().block_on(c.run()),
        Command::User(c) => cmd::runtime().block_on(c.run()),
        Command::Demo(args) => cmd::runtime().block_on(args.run()),
        Command::Customer(c) => cmd::runtime().block_on(c.run()),
        Command::Backup(args) => cmd::runtime().block_on(args.run()),
        Command::Analytics(c) => cmd::runtime().block_on(c.run()),
        Command::Send(args) => match cmd::runtime().block_on(args.run()) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fenestra: {e:#}");
            if e.downcast_ref::<web::ConfigError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
