//! Runs on every new customer message: caches the customer's profile (name and picture for the
//! inbox), acts on STOP and START ([`crate::opt_out`]), then the instant reply: a page's
//! greeting, with the customer's first name, answering their first message (and, if
//! configured, their first message after hours of silence), preceded by the typing indicator.
//! It goes through [`Engine::submit`] like any other message, and does nothing while the
//! customer's automations are paused (the one pause state every automation reads). A thread
//! another app controls is refused by the policy (rule 3b).
//!
//! New inbound messages are flagged in the same transaction that stores them, and the flag is
//! cleared only once handled, so a crash in between repeats the work; the outbox's dedupe key
//! (`instant_reply:PAGE:MID`) makes the repeat queue nothing.

use std::time::Duration;

use store::{PendingMessage, Time};

use crate::Engine;
use crate::outbox::{Actor, Draft};
use crate::worker::{Pace, Progress, Worker};

/// An "instant" reply to a message older than this would be odd (after an outage, a replay,
/// or history imported at setup): the message is left for the agents.
const TOO_LATE: Duration = Duration::from_secs(10 * 60);
const BATCH: i64 = 64;
const POLL: Duration = Duration::from_millis(250);

pub struct InstantReply {
    pub engine: Engine,
}

impl Worker for InstantReply {
    fn name(&self) -> &'static str {
        "instant_reply"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        Ok(Progress::of(self.handle_pending().await?, BATCH as usize))
    }
}

impl InstantReply {
    /// How it waits: woken when the processor applied new events.
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.processed.clone(), POLL)
    }

    /// Handles the messages waiting; returns how many.
    pub async fn handle_pending(&self) -> store::Result<usize> {
        let store = self.engine.store();
        let pending = store.pending_automations(BATCH).await?;
        for m in &pending {
            match self.handle(m).await {
                Ok(()) => store.automation_done(&m.page_id, &m.mid).await?,
                // Left flagged: tried again on the next round.
                Err(e) => {
                    tracing::warn!(mid = %m.mid, error = %e, "instant reply failed; will retry")
                }
            }
        }
        Ok(pending.len())
    }

    async fn handle(&self, m: &PendingMessage) -> anyhow::Result<()> {
        let now = Time::now();
        let store = self.engine.store();
        let Some(page) = store.page(&m.page_id).await? else {
            return Ok(());
        };
        // Every customer who writes gets a name and picture in the inbox (cached for a day).
        let profile = self.engine.profile(&page, &m.psid, now).await;
        if let Some(keyword) = m.text.as_deref().and_then(crate::opt_out::keyword) {
            let locale = profile.as_ref().and_then(|p| p.locale.as_deref());
            if self.engine.customer_keyword(m, keyword, locale).await? {
                return Ok(());
            }
        }
        let Some(greeting) = &page.settings.greeting else {
            return Ok(());
        };
        if now.since(m.at) > TOO_LATE {
            return Ok(());
        }
        if let Some(pause) = store
            .contact(&m.page_id, &m.psid)
            .await?
            .and_then(|c| c.pause(now))
        {
            tracing::debug!(psid = %m.psid, reason = %pause.reason, "automations paused: no instant reply");
            return Ok(());
        }
        let previous = store
            .previous_inbound_at(&m.page_id, &m.psid, m.at, &m.mid)
            .await?;
        let greet = match (previous, greeting.after_hours) {
            (None, _) => true,
            (Some(p), Some(hours)) => {
                m.at.since(p) >= Duration::from_secs(hours.max(0) as u64 * 3_600)
            }
            (Some(_), None) => false,
        };
        if !greet {
            return Ok(());
        }
        let locale = profile.as_ref().and_then(|p| p.locale.clone());
        let first_name = profile.and_then(|p| p.first_name);
        let text = if is_default(&greeting.text) {
            default_greeting(locale.as_deref(), first_name.as_deref())
        } else {
            fill_first_name(&greeting.text, first_name.as_deref())
        };
        let mut draft = Draft::text(
            &m.page_id,
            &m.psid,
            Actor::Automation("instant_reply"),
            &text,
        );
        draft.typing = true;
        draft.dedupe_key = Some(format!("instant_reply:{}:{}", m.page_id, m.mid));
        let submitted = self.engine.submit(&draft).await?;
        if !submitted.allowed() {
            tracing::info!(psid = %m.psid, rule = ?submitted.decision.rule, "instant reply refused by policy");
        }
        Ok(())
    }
}

/// A page's greeting written as `default` (or left empty) is Fenestra's own, in each customer's
/// language.
pub fn is_default(text: &str) -> bool {
    matches!(text.trim(), "" | "default")
}

/// Fenestra's greeting in the language of the customer's Messenger locale.
pub fn default_greeting(locale: Option<&str>, first_name: Option<&str>) -> String {
    let lang = i18n::Lang::of_customer(locale);
    match first_name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => {
            i18n::customer_text(lang, "customer-greeting", &[("first_name", name.into())])
        }
        None => i18n::customer_text(lang, "customer-greeting-anonymous", &[]),
    }
}

/// `{{first_name}}` filled in; without a name the placeholder goes and the sentence still reads
/// ("Hi {{first_name}}, welcome" becomes "Hi, welcome").
pub fn fill_first_name(text: &str, first_name: Option<&str>) -> String {
    match first_name.filter(|n| !n.trim().is_empty()) {
        Some(name) => text.replace("{{first_name}}", name.trim()),
        None => text
            .replace(" {{first_name}}", "")
            .replace("{{first_name}}", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::fill_first_name;

    #[test]
    fn the_greeting_reads_with_and_without_a_name() {
        let g = "Hi {{first_name}}, thanks for writing!";
        assert_eq!(
            fill_first_name(g, Some("Linh")),
            "Hi Linh, thanks for writing!"
        );
        assert_eq!(fill_first_name(g, None), "Hi, thanks for writing!");
        assert_eq!(fill_first_name(g, Some("  ")), "Hi, thanks for writing!");
        assert_eq!(fill_first_name("{{first_name}}!", None), "!");
    }

    #[test]
    fn the_default_greeting_speaks_the_customers_language() {
        use super::default_greeting;
        assert!(default_greeting(Some("vi_VN"), Some("Linh")).starts_with("Chào Linh"));
        assert!(default_greeting(Some("it_IT"), None).starts_with("Ciao, grazie"));
        assert!(default_greeting(Some("ar_AR"), Some("Maryam")).contains("Maryam"));
        assert!(default_greeting(None, Some("Sam")).starts_with("Hi Sam"));
    }
}
