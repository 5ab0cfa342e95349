//! `fenestra user`: the people who use the inbox.

use std::io::BufRead;

use anyhow::{Context, bail};
use store::Role;

use super::DbArgs;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a user. The password comes from FENESTRA_USER_PASSWORD or, with --password-stdin,
    /// the first line of standard input (never a flag: it would stay in the shell history).
    ///
    /// Example: printf '%s\n' 'a long passphrase' | fenestra user add --username mai --role agent --password-stdin
    Add {
        #[arg(long)]
        username: String,
        /// `admin` (everything) or `agent` (conversations).
        #[arg(long, default_value = "agent")]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List users with their role and state.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable a user: they can no longer log in. `--enable` undoes it.
    Disable {
        #[arg(long)]
        username: String,
        #[arg(long)]
        enable: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Make a token for the JSON API (`/api/v1`, see docs/api.md) that acts as this user, with
    /// their role, for 90 days (`--days`). It is printed once; the server keeps only its hash.
    /// `--list` shows the user's tokens (id, name, dates, last use); `--revoke ID` stops one.
    ///
    /// Examples: TOKEN=$(fenestra user token --username mai --name crm-sync)
    ///           fenestra user token --username mai --list
    ///           fenestra user token --username mai --revoke 3f9a0c1e77b2
    Token {
        #[arg(long)]
        username: String,
        /// What the token is for, to recognise it later.
        #[arg(long, default_value = "api")]
        name: String,
        /// Days the token works; 0: until revoked.
        #[arg(long, default_value_t = 90)]
        days: u64,
        /// List the user's tokens instead of making one.
        #[arg(long, conflicts_with = "revoke")]
        list: bool,
        /// Revoke the token with this id (from --list).
        #[arg(long)]
        revoke: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl Command {
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Add {
                username,
                role,
                password_stdin,
                db,
            } => {
                let Some(role) = Role::parse(&role) else {
                    bail!("--role `{role}` must be admin or agent");
                };
                let password = if password_stdin {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                } else {
                    std::env::var("FENESTRA_USER_PASSWORD").map_err(|_| {
                        anyhow::anyhow!(
                            "no password: set FENESTRA_USER_PASSWORD or pass --password-stdin"
                        )
                    })?
                };
                let store = store::connect(&db.database_url).await?;
                engine::accounts::add_user(store.as_ref(), &username, &password, role).await?;
                eprintln!("user {username} added ({})", role.as_str());
            }
            Command::List { db } => {
                let store = store::connect(&db.database_url).await?;
                println!("username\trole\tstate");
                for u in store.users().await? {
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!("{}\t{}\t{state}", u.username, u.role.as_str());
                }
            }
            Command::Disable {
                username,
                enable,
                db,
            } => {
                let store = store::connect(&db.database_url).await?;
                if !store.set_user_disabled(&username, !enable).await? {
                    bail!("there is no user named `{username}`");
                }
                eprintln!(
                    "user {username} {}",
                    if enable { "enabled" } else { "disabled" }
                );
            }
            Command::Token {
                username,
                name,
                days,
                list,
                revoke,
                db,
            } => {
                let store = store::connect(&db.database_url).await?;
                let store = store.as_ref();
                if list {
                    let date = |t: Option<store::Time>| {
                        t.map(|t| t.timestamp().strftime("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_else(|| "-".into())
                    };
                    println!("id\tname\tcreated\texpires\tlast_used\tstate");
                    for t in engine::accounts::api_tokens(store, &username).await? {
                        let state = if t.revoked_at.is_some() {
                            "revoked"
                        } else if t.expires_at.is_some_and(|e| e <= store::Time::now()) {
                            "expired"
                        } else {
                            "active"
                        };
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{state}",
                            t.id,
                            t.name,
                            date(Some(t.created_at)),
                            date(t.expires_at),
                            date(t.last_used_at)
                        );
                    }
                } else if let Some(id) = revoke {
                    engine::accounts::revoke_api_token(store, &username, &id).await?;
                    eprintln!("token {id} of {username} revoked");
                } else {
                    let lifetime = std::time::Duration::from_secs(days * 86_400);
                    let token = engine::accounts::create_api_token_for(
                        store,
                        &username,
                        &name,
                        Some(lifetime),
                    )
                    .await?;
                    println!("{token}");
                    let until = if days == 0 {
                        "until revoked".to_owned()
                    } else {
                        format!("for {days} days")
                    };
                    eprintln!(
                        "API token `{name}` for {username}, {until}: send it as `Authorization: Bearer TOKEN`"
                    );
                }
            }
        }
        Ok(())
    }
}
