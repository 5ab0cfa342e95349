//! Runs on every new customer message and tap: caches the customer's profile (name and picture
//! for the inbox), acts on STOP and START ([`crate::opt_out`], always on), then answers as the
//! page's flows say ([`crate::flows`]: an answer to a flow's question, or a flow's trigger),
//! else as the page's automations document says ([`automations::plan`]: the instant reply or the away
//! message, a keyword answer, a handover to a person, a disclosure line). Each answer goes
//! through [`Engine::submit`] like any other message (policy, audit, outbox), as
//! `automation:NAME`, the first preceded by the typing indicator.
//!
//! New inbound messages and taps are flagged in the same transaction that stores them, and the
//! flag is cleared only once handled, so a crash in between repeats the work; each answer's
//! outbox dedupe key (`NAME:PAGE:MID`) makes the repeat queue nothing, and what was queued
//! already counts as said (the away message once per closed period, the greeting once per
//! period).

use std::time::Duration;

use automations::document::{rating_of, rating_payload};
use automations::{Answer, Customer, Incoming, Quiet};
use store::{Pause, PauseReason, PendingMessage, Time};

use crate::Engine;
use crate::outbox::{Actor, Draft};
use crate::worker::{Pace, Progress, Worker};

const BATCH: i64 = 64;
const POLL: Duration = Duration::from_millis(250);

pub struct Automate {
    pub engine: Engine,
}

impl Worker for Automate {
    fn name(&self) -> &'static str {
        "automations"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        Ok(Progress::of(self.handle_pending().await?, BATCH as usize))
    }
}

impl Automate {
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
                Ok(()) => store.automation_done(m).await?,
                // Left flagged: tried again on the next round.
                Err(e) => {
                    tracing::warn!(mid = %m.mid, error = %e, "automations failed; will retry")
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
        if m.trigger == store::Trigger::Comment {
            return self.comment(m, now).await;
        }
        // Every customer who writes gets a name and picture in the inbox (cached for a day).
        let profile = self.engine.profile(&page, &m.psid, now).await;
        let locale = profile.as_ref().and_then(|p| p.locale.clone());
        let first_name = profile.and_then(|p| p.first_name);
        let doc = self.engine.automations(&m.page_id).await?.document;
        // An answer to the closing rating is kept for analytics, and nothing more is said.
        if let Some(rating) = m.payload.as_deref().and_then(rating_of) {
            store
                .record_rating(&m.page_id, &m.psid, &m.mid, rating, m.at)
                .await?;
            return Ok(());
        }
        // An arrival through a link or an ad: a signed ref links the shop's order or customer,
        // an entry point adds its label; flows see the entry point's ref.
        let referral = match m.referral.as_deref() {
            Some(raw) => Some(self.engine.arrived(&m.page_id, &m.psid, raw).await?),
            None => None,
        };
        // A lead form's summary: its answers are kept as the customer's fields; only a flow
        // that starts on it answers (it is Meta's message, not the customer's).
        if m.payload.as_deref() == Some(crate::leads::LEAD_FORM_COMPLETE) {
            let n = self
                .engine
                .save_lead_form(&m.page_id, &m.psid, m.text.as_deref().unwrap_or(""), now)
                .await?;
            tracing::info!(page = %m.page_id, psid = %m.psid, n, "lead form answers kept");
            let turn = crate::flows::Turn {
                page_id: &m.page_id,
                psid: &m.psid,
                mid: &m.mid,
                text: None,
                payload: m.payload.as_deref(),
                referral: None,
                comment_id: None,
                flow: None,
                locale: locale.as_deref(),
                first_name: first_name.as_deref(),
            };
            self.engine.flow_turn(&turn).await?;
            return Ok(());
        }
        if let Some(keyword) = m.text.as_deref().and_then(crate::opt_out::keyword)
            && self
                .engine
                .customer_keyword(m, keyword, locale.as_deref(), doc.opt_out.as_ref())
                .await?
        {
            return Ok(());
        }
        let customer = self.customer(m, now).await?;
        let incoming = Incoming {
            text: m.text.as_deref(),
            payload: m.payload.as_deref(),
            at: m.at.timestamp(),
            locale: locale.as_deref(),
        };
        // A flow takes the message first: the answer to its question, or its trigger. Asking
        // for a person ends it (the handover below answers).
        if automations::plan::guard(&doc, &incoming, &customer, now.timestamp()).is_ok() {
            if automations::plan::asks_for_person(&doc, &incoming) {
                self.engine.end_flow(&m.page_id, &m.psid, now).await?;
            } else {
                let turn = crate::flows::Turn {
                    page_id: &m.page_id,
                    psid: &m.psid,
                    mid: &m.mid,
                    text: m.text.as_deref(),
                    payload: m.payload.as_deref(),
                    referral: referral.as_deref(),
                    comment_id: None,
                    flow: None,
                    locale: locale.as_deref(),
                    first_name: first_name.as_deref(),
                };
                if self.engine.flow_turn(&turn).await? {
                    return Ok(());
                }
            }
        }
        // An arrival through a link or an ad, with nothing said or tapped: only a flow answers.
        if m.text.is_none() && m.payload.is_none() {
            return Ok(());
        }
        let answers = match automations::plan(&doc, &incoming, &customer, now.timestamp()) {
            Ok(answers) => answers,
            Err(Quiet::NothingToSay) => return Ok(()),
            Err(quiet) => {
                tracing::debug!(psid = %m.psid, ?quiet, "automations keep quiet");
                return Ok(());
            }
        };
        for (i, answer) in answers.iter().enumerate() {
            let name = answer.automation();
            let text = self.text(&doc, answer, locale.as_deref(), first_name.as_deref());
            let mut draft = Draft::text(&m.page_id, &m.psid, Actor::Automation(name), &text);
            draft.typing = i == 0;
            draft.dedupe_key = Some(format!("{name}:{}:{}", m.page_id, m.mid));
            dress(&mut draft, answer);
            let submitted = self.engine.submit(&draft).await?;
            if !submitted.allowed() {
                tracing::info!(psid = %m.psid, automation = name, rule = ?submitted.decision.rule, "automatic answer refused by policy");
            }
            if let Answer::Handover(_) = answer {
                self.engine.hand_over(&m.page_id, &m.psid, now).await?;
            }
        }
        Ok(())
    }

    /// A comment on a post: the document's comment rules answer, else a flow made for comments
    /// (its first message is the private reply). `m.psid` is the comment's author id, not a
    /// PSID: no profile is asked for; the name on the comment stands in.
    async fn comment(&self, m: &PendingMessage, now: Time) -> anyhow::Result<()> {
        let doc = self.engine.automations(&m.page_id).await?.document;
        let customer = self.customer(m, now).await?;
        let incoming = Incoming {
            text: m.text.as_deref(),
            payload: None,
            at: m.at.timestamp(),
            locale: None,
        };
        if automations::plan::guard(&doc, &incoming, &customer, now.timestamp()).is_err()
            || self.engine.answer_comment(m, &doc).await?
        {
            return Ok(());
        }
        let comment = self.engine.store().comment(&m.page_id, &m.mid).await?;
        let turn = crate::flows::Turn {
            page_id: &m.page_id,
            psid: &m.psid,
            mid: &m.mid,
            text: m.text.as_deref(),
            payload: None,
            referral: None,
            comment_id: Some(&m.mid),
            flow: None,
            locale: None,
            first_name: comment.as_ref().and_then(|c| c.first_name()),
        };
        self.engine.flow_turn(&turn).await?;
        Ok(())
    }

    /// What the store knows of the customer, for the plan.
    async fn customer(&self, m: &PendingMessage, now: Time) -> store::Result<Customer> {
        let store = self.engine.store();
        let contact = store.contact(&m.page_id, &m.psid).await?;
        let last = |actor: &'static str| store.last_sent_by(&m.page_id, &m.psid, actor);
        let closed_at = store.closed_at(&m.page_id, &m.psid).await?;
        let ts = |t: Option<Time>| t.map(Time::timestamp);
        Ok(Customer {
            last_greeted_at: ts(last("automation:instant_reply").await?),
            last_away_at: ts(last("automation:away").await?),
            last_automated_at: ts(last("automation:%").await?),
            // Closing the conversation hands it back to the bot: an agent's message from
            // before no longer keeps automations quiet.
            last_agent_at: ts(last("agent:%")
                .await?
                .filter(|t| closed_at.is_none_or(|c| *t > c))),
            paused: contact
                .as_ref()
                .is_some_and(|c| c.pause(now).is_some() || c.other_owner(now).is_some()),
            opted_out: contact.is_some_and(|c| c.opted_out),
        })
    }

    /// The answer's text: the document's, else Fenestra's own in the customer's language.
    fn text(
        &self,
        doc: &automations::Automations,
        answer: &Answer,
        locale: Option<&str>,
        first_name: Option<&str>,
    ) -> String {
        let lang = i18n::Lang::of_customer(locale);
        match answer {
            Answer::Greeting(Some(t)) => fill_first_name(t, first_name),
            Answer::Greeting(None) => default_greeting(locale, first_name),
            Answer::Away(t) => fill_first_name(t, first_name),
            Answer::Keyword { text, .. } => fill_first_name(text, first_name),
            Answer::Handover(Some(t)) | Answer::Disclosure(Some(t)) => t.clone(),
            Answer::Handover(None) => handover_text(doc, locale, Time::now()),
            Answer::Disclosure(None) => i18n::customer_text(lang, "customer-automated", &[]),
        }
    }
}

impl Engine {
    /// The customer asked for a person (or a flow handed them over): automations pause until
    /// the conversation closes (or, with `guards.resume_after`, that long), and the conversation
    /// is open for the team: unassigned, or given to the agent online with the fewest open
    /// conversations (`handover.assign: round_robin`), or passed to Meta's inbox
    /// (`handover.to_meta_inbox`).
    pub async fn hand_over(&self, page_id: &str, psid: &str, now: Time) -> anyhow::Result<()> {
        let doc = self.automations(page_id).await?.document;
        let pause = Pause {
            since: now,
            until: doc
                .guards
                .resume_after
                .as_ref()
                .map(|p| Time::from_ms(now.ms() + p.duration().as_millis() as i64)),
            reason: PauseReason::AskedForPerson,
        };
        self.store.set_pause(page_id, psid, Some(pause)).await?;
        self.store
            .set_status(page_id, psid, store::ConversationStatus::Open)
            .await?;
        let (assign, to_meta_inbox) = doc
            .handover
            .as_ref()
            .map_or((Default::default(), false), |h| (h.assign, h.to_meta_inbox));
        let unassigned = self
            .store
            .team_state(page_id, psid)
            .await?
            .is_some_and(|t| t.assignee.is_none());
        if assign == automations::document::Assign::RoundRobin && unassigned {
            let online = self.presence.online();
            let least = self
                .store
                .open_load()
                .await?
                .into_iter()
                .filter(|(_, name, _)| online.contains(name))
                .min_by_key(|(_, name, n)| (*n, name.clone()));
            if let Some((id, name, _)) = least {
                self.store.assign(page_id, psid, Some(id)).await?;
                tracing::info!(page = %page_id, psid = %psid, agent = %name, "handed over to the agent online with the fewest open conversations");
            }
        }
        if to_meta_inbox {
            let token = self.page_token(page_id).await?;
            if let Err(e) = self
                .graph
                .pass_thread_control(&token, psid, crate::routing::PAGE_INBOX, "handover")
                .await
            {
                tracing::warn!(page = %page_id, psid = %psid, error = %e, "passing the thread to Meta's inbox failed");
            }
        }
        tracing::info!(page = %page_id, psid = %psid, "handed over to a person: automations paused");
        self.signals.changed();
        Ok(())
    }

    /// An agent closed the conversation: the document's goodbye and rating question go out,
    /// as automations (so only inside the window: the policy refuses them under any tag).
    pub async fn closing_messages(&self, page_id: &str, psid: &str) -> anyhow::Result<()> {
        let doc = self.automations(page_id).await?.document;
        let Some(closing) = doc.closing else {
            return Ok(());
        };
        let contact = self.store.contact(page_id, psid).await?;
        let locale = contact.as_ref().and_then(|c| c.profile.locale.clone());
        let first_name = contact.and_then(|c| c.profile.first_name);
        let closed_at = Time::now().ms();
        let drafts = [("goodbye", &closing.goodbye), ("rating", &closing.rating)];
        for (name, text) in drafts {
            let Some(text) = text else { continue };
            let text = fill_first_name(text.pick(locale.as_deref()), first_name.as_deref());
            let mut draft = Draft::text(page_id, psid, Actor::Automation(name), &text);
            draft.dedupe_key = Some(format!("{name}:{page_id}:{psid}:{closed_at}"));
            if name == "rating" {
                draft.quick_replies = (1..=5)
                    .map(|n| {
                        messenger::send::OutgoingQuickReply::text(
                            &n.to_string(),
                            &rating_payload(n),
                        )
                    })
                    .collect();
            }
            let submitted = self.submit(&draft).await?;
            if !submitted.allowed() {
                tracing::info!(psid, automation = name, rule = ?submitted.decision.rule, "closing message refused by policy");
            }
        }
        Ok(())
    }
}

/// Fenestra's words to a customer handed to a person, in their language: outside the away
/// hours, when the shop opens again.
pub fn handover_text(doc: &automations::Automations, locale: Option<&str>, now: Time) -> String {
    let lang = i18n::Lang::of_customer(locale);
    let opens = doc.away.as_ref().filter(|a| a.enabled).and_then(|a| {
        let s = a.schedule();
        (!s.is_open(now.timestamp()))
            .then(|| s.opens_at(now.timestamp()))
            .flatten()
            .map(|t| {
                t.to_zoned(a.timezone.tz().clone())
                    .strftime("%d/%m %H:%M")
                    .to_string()
            })
    });
    match opens {
        Some(opens) => {
            i18n::customer_text(lang, "customer-handover-closed", &[("opens", opens.into())])
        }
        None => i18n::customer_text(lang, "customer-handover", &[]),
    }
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
/// A keyword answer's quick replies, buttons, attachment and cards, on its draft.
pub(crate) fn dress(draft: &mut Draft, answer: &Answer) {
    if let Answer::Keyword {
        quick_replies,
        buttons,
        attachment,
        cards,
        ..
    } = answer
    {
        draft.quick_replies = quick_replies
            .iter()
            .map(|(title, payload)| messenger::send::OutgoingQuickReply::text(title, payload))
            .collect();
        draft.buttons = buttons.clone();
        draft.attachment = attachment.clone();
        draft.cards = cards.clone();
    }
}

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
