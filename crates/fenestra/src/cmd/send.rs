//! `fenestra send`: one message through the same door as every other, policy first.

use std::process::ExitCode;

use anyhow::{Context, bail};
use engine::Engine;
use engine::outbox::{Actor, Content, Draft};

use super::DbArgs;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
fenestra send --page 1001 --to 6357 --text 'Your table is ready'\n  \
fenestra send --page 1001 --to 6357 --text 'Following up on your refund' --tag HUMAN_AGENT\n  \
fenestra send --page 1001 --to 6357 --template order_shipped --param first_name=Linh --param order_id=4521\n\n\
Prints the decision as JSON. Exit 0: queued (a running `fenestra serve` delivers it);\n\
exit 3: refused (the decision names the rule and the alternatives); exit 1: an error.")]
pub struct Args {
    /// The Page that sends.
    #[arg(long)]
    page: String,
    /// The customer's PSID.
    #[arg(long)]
    to: String,
    /// The message text.
    #[arg(
        long,
        required_unless_present = "template",
        conflicts_with = "template"
    )]
    text: Option<String>,
    /// An approved utility template (see `fenestra template sync`).
    #[arg(long)]
    template: Option<String>,
    /// The template's language.
    #[arg(long, default_value = "en", requires = "template")]
    language: String,
    /// A template parameter, NAME=VALUE; repeat for each.
    #[arg(long = "param", value_name = "NAME=VALUE", requires = "template")]
    params: Vec<String>,
    /// A message tag to ask for (HUMAN_AGENT); the policy says whether it applies.
    #[arg(long)]
    tag: Option<String>,
    /// Send on the customer's one-time notification token.
    #[arg(long)]
    one_time_token: Option<String>,
    /// Send as this persona id.
    #[arg(long)]
    persona: Option<String>,
    /// Who is sending, for the audit log (a person: HUMAN_AGENT is theirs to use).
    #[arg(long, env = "USER", default_value = "cli")]
    agent: String,
    #[command(flatten)]
    db: DbArgs,
}

impl Args {
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        let content = match (self.text, self.template) {
            (Some(text), None) => Content::Text(text),
            (None, Some(name)) => Content::Template {
                name,
                language: self.language,
                params: self
                    .params
                    .iter()
                    .map(|p| match p.split_once('=') {
                        Some((k, v)) => Ok((k.trim().to_owned(), v.to_owned())),
                        None => bail!("--param `{p}` must be NAME=VALUE"),
                    })
                    .collect::<anyhow::Result<_>>()?,
            },
            _ => bail!("give either --text or --template"),
        };
        let store = store::connect(&self.db.database_url).await?;
        let mut draft = Draft::text(&self.page, &self.to, Actor::Agent(self.agent), "");
        draft.content = content;
        draft.tag = self.tag;
        draft.one_time_token = self.one_time_token;
        draft.persona_id = self.persona;
        // The delivery worker of `fenestra serve` sends it; this process only decides and queues.
        let graph = messenger::GraphClient::new(
            web::config::DEFAULT_GRAPH_URL,
            std::time::Duration::from_secs(20),
        );
        let submitted = Engine::new(store, graph).submit(&draft).await?;
        println!(
            "{}",
            serde_json::to_string_pretty(&submitted).context("printing the decision")?
        );
        Ok(if submitted.allowed() {
            eprintln!("queued as outbox {:?}", submitted.outbox_ids);
            ExitCode::SUCCESS
        } else {
            eprintln!("refused: {}", submitted.decision.explanation);
            ExitCode::from(3)
        })
    }
}
