//! What a shop owes its customers under data-protection laws (Malaysia's PDPA, Vietnam's
//! Decree 13/2023, the GDPR for Italian shops): everything Fenestra holds about one customer,
//! exported; the customer erased on request; conversations erased after the page's retention.
//! Exports and erasures are an admin's, and each one is written to the admin log.

use serde::Serialize;
use store::{
    AdminAction, AdminLogEntry, AuditEntry, Comment, Contact, Conversation, Erased, Note,
    NotificationToken, OneTimeToken, OutboxRow, Role, StoredEvent, StoredMessage, TeamState, Time,
    User,
};

use crate::Engine;
use crate::problem::{Forbidden, Invalid};
use crate::team::TeamError;

/// Everything Fenestra holds about one customer.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerExport {
    pub exported_at: Time,
    pub page_id: String,
    pub psid: String,
    pub contact: Contact,
    pub conversation: Option<Conversation>,
    pub team: Option<TeamState>,
    pub messages: Vec<StoredMessage>,
    pub events: Vec<StoredEvent>,
    pub notes: Vec<Note>,
    pub comments: Vec<Comment>,
    pub one_time_tokens: Vec<OneTimeToken>,
    pub notification_tokens: Vec<NotificationToken>,
    /// Every message Fenestra was asked to send them, and the policy's decision.
    pub decisions: Vec<AuditEntry>,
    pub sends: Vec<OutboxRow>,
}

/// The longest retention one can set: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3_650;

/// What an admin sets on a page besides its automations and retention.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagePermissions {
    /// Meta granted the Human Agent permission.
    pub human_agent_approved: bool,
    /// Meta granted `page_utility_messaging`.
    pub utility_messaging: bool,
    /// Fenestra is the Page's default app for Conversation Routing.
    pub default_app: bool,
    #[serde(default)]
    pub allowed_domains: Vec<String>,
}

/// `Shop.Example.com` → `shop.example.com`; an address or anything not a host name is refused.
fn domain(d: &str) -> Result<String, Invalid> {
    let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = d.is_empty()
        || (d.contains('.')
            && d.len() <= 253
            && d.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }));
    if ok { Ok(d) } else { Err(Invalid::Domain(d)) }
}

/// Who asks: a user of the inbox or the API (admins only), or the operator at the command line.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    User(&'a User),
    Cli,
}

impl Caller<'_> {
    pub(crate) fn admin_only(&self, what: Forbidden) -> Result<(), TeamError> {
        match self {
            Caller::User(u) if u.role != Role::Admin => Err(TeamError::AdminOnly(what)),
            _ => Ok(()),
        }
    }

    pub(crate) fn name(&self) -> String {
        match self {
            Caller::User(u) => u.username.clone(),
            Caller::Cli => "cli".into(),
        }
    }
}

impl Engine {
    pub async fn export_customer(
        &self,
        by: Caller<'_>,
        page_id: &str,
        psid: &str,
    ) -> Result<CustomerExport, TeamError> {
        by.admin_only(Forbidden::ExportCustomer)?;
        let s = self.store();
        let contact = s
            .contact(page_id, psid)
            .await?
            .ok_or_else(|| TeamError::NoConversation {
                page_id: page_id.to_owned(),
                psid: psid.to_owned(),
            })?;
        let (conversation, team, messages, events, notes, comments) = tokio::try_join!(
            s.conversation(page_id, psid),
            s.team_state(page_id, psid),
            s.messages(page_id, psid),
            s.events_for(page_id, psid),
            s.notes(page_id, psid),
            s.comments(page_id, psid),
        )?;
        let (one_time_tokens, notification_tokens, decisions, sends) = tokio::try_join!(
            s.one_time_tokens(page_id, psid),
            s.notification_tokens(page_id, psid),
            s.audit_for(page_id, psid),
            s.outbox_for(page_id, psid),
        )?;
        let now = Time::now();
        self.store
            .log_admin(&AdminLogEntry {
                at: now,
                actor: by.name(),
                action: AdminAction::Export,
                page_id: page_id.to_owned(),
                psid: psid.to_owned(),
                detail: format!("{} messages", messages.len()),
            })
            .await?;
        Ok(CustomerExport {
            exported_at: now,
            page_id: page_id.to_owned(),
            psid: psid.to_owned(),
            contact,
            conversation,
            team,
            messages,
            events,
            notes,
            comments,
            one_time_tokens,
            notification_tokens,
            decisions,
            sends,
        })
    }

    /// Erases the customer's personal data; the rows (and so the counts) stay.
    pub async fn erase_customer(
        &self,
        by: Caller<'_>,
        page_id: &str,
        psid: &str,
    ) -> Result<Erased, TeamError> {
        by.admin_only(Forbidden::EraseCustomer)?;
        self.erase(&by.name(), AdminAction::Erase, page_id, psid)
            .await
    }

    /// Changes what Meta granted the page (`HUMAN_AGENT`, utility messaging), whether Fenestra
    /// is its default app for Conversation Routing, and the domains whose links are not
    /// promotional; logged. Domains are checked and written in lower case.
    pub async fn set_page_permissions(
        &self,
        by: Caller<'_>,
        page_id: &str,
        change: &PagePermissions,
    ) -> Result<store::PageSettings, TeamError> {
        by.admin_only(Forbidden::PageSettings)?;
        let domains = change
            .allowed_domains
            .iter()
            .map(|d| domain(d))
            .filter(|d| !matches!(d, Ok(d) if d.is_empty()))
            .collect::<Result<Vec<_>, _>>()?;
        let page = self
            .store
            .page(page_id)
            .await?
            .ok_or_else(|| TeamError::NoPage(page_id.to_owned()))?;
        let mut settings = page.settings;
        settings.human_agent_approved = change.human_agent_approved;
        settings.utility_messaging = change.utility_messaging;
        settings.default_app = change.default_app;
        settings.allowed_domains = domains;
        self.store.set_page_settings(page_id, &settings).await?;
        self.store
            .log_admin(&AdminLogEntry {
                at: Time::now(),
                actor: by.name(),
                action: AdminAction::SetPageSettings,
                page_id: page_id.to_owned(),
                psid: String::new(),
                detail: format!(
                    "human_agent_approved={} utility_messaging={} default_app={} allowed_domains={}",
                    settings.human_agent_approved,
                    settings.utility_messaging,
                    settings.default_app,
                    settings.allowed_domains.join(",")
                ),
            })
            .await?;
        self.signals.changed();
        Ok(settings)
    }

    /// Sets how long `page_id` keeps a conversation after its last activity (`None`: for
    /// good); the maintenance task erases older ones within the hour.
    pub async fn set_retention(
        &self,
        by: Caller<'_>,
        page_id: &str,
        days: Option<u32>,
    ) -> Result<(), TeamError> {
        by.admin_only(Forbidden::Retention)?;
        if days.is_some_and(|d| !(1..=MAX_RETENTION_DAYS).contains(&d)) {
            return Err(Invalid::Retention {
                max: MAX_RETENTION_DAYS,
            }
            .into());
        }
        let page = self
            .store
            .page(page_id)
            .await?
            .ok_or_else(|| TeamError::NoPage(page_id.to_owned()))?;
        let mut settings = page.settings;
        settings.retention_days = days.map(i64::from);
        self.store.set_page_settings(page_id, &settings).await?;
        self.store
            .log_admin(&AdminLogEntry {
                at: Time::now(),
                actor: by.name(),
                action: AdminAction::SetRetention,
                page_id: page_id.to_owned(),
                psid: String::new(),
                detail: days.map_or_else(|| "kept".to_owned(), |d| format!("{d} days")),
            })
            .await?;
        Ok(())
    }

    /// Erases the conversations of `page_id` idle for longer than its retention setting;
    /// returns how many.
    pub async fn apply_retention(&self, page: &store::Page) -> Result<usize, TeamError> {
        let Some(days) = page.settings.retention_days.filter(|d| *d > 0) else {
            return Ok(0);
        };
        let before = Time::now() - std::time::Duration::from_secs(days as u64 * 86_400);
        let idle = self.store.idle_customers(&page.id, before, 500).await?;
        for psid in &idle {
            self.erase("retention", AdminAction::RetentionErase, &page.id, psid)
                .await?;
        }
        Ok(idle.len())
    }

    async fn erase(
        &self,
        actor: &str,
        action: AdminAction,
        page_id: &str,
        psid: &str,
    ) -> Result<Erased, TeamError> {
        if self.store.contact(page_id, psid).await?.is_none() {
            return Err(TeamError::NoConversation {
                page_id: page_id.to_owned(),
                psid: psid.to_owned(),
            });
        }
        let now = Time::now();
        let erased = self.store.erase_customer(page_id, psid, now).await?;
        let detail = serde_json::to_string(&erased).expect("counts serialize");
        self.store
            .log_admin(&AdminLogEntry {
                at: now,
                actor: actor.to_owned(),
                action,
                page_id: page_id.to_owned(),
                psid: psid.to_owned(),
                detail,
            })
            .await?;
        tracing::info!(page_id, psid, actor, ?erased, "customer erased");
        self.signals.changed();
        Ok(erased)
    }
}
