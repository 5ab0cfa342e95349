//! A page's automations document: read (as the worker uses it), applied (validated whole, then
//! stored as a new version in one transaction, which is its audit), exported.

use automations::{Automations, Refused};
use store::{AutomationVersion, Role, StoredAutomations, Time, User};

use crate::Engine;
use crate::problem::Forbidden;

#[derive(Debug, thiserror::Error)]
pub enum AutomationsError {
    #[error("page {0} is not known to Fenestra: add it with `fenestra page add`")]
    UnknownPage(String),
    #[error("no flow or step `{0}` in the page's flows")]
    UnknownStep(String),
    #[error("only an admin may {0}")]
    AdminOnly(Forbidden),
    #[error("the document was refused:\n{0}")]
    Refused(#[from] Refused),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// The document in force and where it stands.
#[derive(Debug, Clone)]
pub struct Current {
    pub document: Automations,
    /// `None` before any document was applied (everything off).
    pub stored: Option<StoredAutomations>,
}

impl Engine {
    /// The page's automations (an empty document, everything off, when none was applied).
    pub async fn automations(&self, page_id: &str) -> Result<Current, AutomationsError> {
        let stored = self.store.automations(page_id).await?;
        let document = match &stored {
            // Stored documents were checked when applied; one this version cannot read
            // (written by a newer Fenestra) turns automations off rather than guessing.
            Some(s) => automations::parse(&s.document).unwrap_or_else(|e| {
                tracing::error!(page_id, version = s.version, error = %e, "stored automations unreadable: automations off");
                Automations::default()
            }),
            None => Automations::default(),
        };
        Ok(Current { document, stored })
    }

    /// Checks `text` (YAML or JSON) and makes it the page's automations; returns the version.
    /// A document with any problem changes nothing.
    pub async fn apply_automations(
        &self,
        page_id: &str,
        text: &str,
        by: &str,
    ) -> Result<(Automations, i64), AutomationsError> {
        if self.store.page(page_id).await?.is_none() {
            return Err(AutomationsError::UnknownPage(page_id.to_owned()));
        }
        let document = automations::parse(text)?;
        let json = serde_json::to_string(&document).unwrap_or_else(|e| unreachable!("{e}"));
        let version = self
            .store
            .apply_automations(page_id, &json, by, Time::now())
            .await?;
        tracing::info!(page_id, version, by, "automations applied");
        self.signals.profile.notify_one();
        self.signals.changed();
        Ok((document, version))
    }

    /// [`Engine::apply_automations`] by a user of the inbox or the API: admins only.
    pub async fn apply_automations_as(
        &self,
        user: &User,
        page_id: &str,
        text: &str,
    ) -> Result<(Automations, i64), AutomationsError> {
        if user.role != Role::Admin {
            return Err(AutomationsError::AdminOnly(Forbidden::Automations));
        }
        self.apply_automations(page_id, text, &format!("user:{}", user.username))
            .await
    }

    pub async fn automation_versions(
        &self,
        page_id: &str,
    ) -> Result<Vec<AutomationVersion>, AutomationsError> {
        Ok(self.store.automation_versions(page_id, 50).await?)
    }
}
