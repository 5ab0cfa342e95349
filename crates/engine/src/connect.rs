//! Connecting a page without the command line (messenger-platform.md, Connecting a Page): the
//! admin goes through Facebook Login (for Business, with the app's `config_id`; else the manual
//! flow with [`SCOPES`]), Fenestra trades the code for a user token, makes it long-lived, reads
//! the pages the admin manages with their page tokens, and for each page chosen stores the token,
//! subscribes the app at app level (Meta checks the webhook URL with the handshake first) and the
//! page at page level, with [`FIELDS`]: a field is delivered only when subscribed at both.
//!
//! Invariants: the app secret and the tokens never reach a browser (the web layer keeps the page
//! list server-side); only admins connect; each connection is in the admin log; what Meta
//! granted (the feature review) replaces the page's `human_agent_approved` and
//! `utility_messaging` so the policy judges by what Meta actually allows.

use messenger::graph_login::{App, AppSubscription, FeatureStatus, ManagedPage, TokenInfo};
use serde::Serialize;
use store::{AdminAction, AdminLogEntry, Page, Time};

use crate::Engine;
use crate::connection::{Connection, FIELDS};
use crate::privacy::Caller;
use crate::problem::{Forbidden, Invalid};
use crate::team::TeamError;

/// What the manual flow asks for (Facebook Login for Business takes them from the saved
/// configuration instead): messaging, the webhook subscription, the page list, comments.
pub const SCOPES: [&str; 7] = [
    "pages_messaging",
    "pages_manage_metadata",
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "business_management",
];

/// What connecting needs besides the engine: the Meta app and where Fenestra is reached.
#[derive(Debug, Clone)]
pub struct LoginSetup {
    pub app_id: String,
    pub app_secret: String,
    /// A Facebook Login for Business configuration (token type, assets, permissions); needed
    /// for paid marketing messages. Without it, the manual flow with [`SCOPES`].
    pub config_id: Option<String>,
    /// Where the Login dialog lives: `https://www.facebook.com/v27.0` (or the emulator).
    pub dialog_url: String,
    /// Fenestra's address as Meta and the admin's browser reach it.
    pub public_url: String,
    pub verify_token: String,
}

impl LoginSetup {
    fn app(&self) -> App<'_> {
        App {
            id: &self.app_id,
            secret: &self.app_secret,
        }
    }

    /// Where Meta sends the admin back with the code.
    pub fn redirect_uri(&self) -> String {
        format!("{}/settings/connect/callback", self.public_url)
    }

    /// The callback URL to paste in the App Dashboard (and the one subscribed).
    pub fn webhook_url(&self) -> String {
        format!("{}/webhook", self.public_url)
    }

    /// The Login dialog's address; `state` comes back with the code (it binds the answer to
    /// the admin who started, against cross-site request forgery).
    pub fn dialog(&self, state: &str) -> String {
        let mut query = vec![
            ("client_id", self.app_id.clone()),
            ("redirect_uri", self.redirect_uri()),
            ("state", state.to_owned()),
            ("response_type", "code".to_owned()),
        ];
        match &self.config_id {
            Some(id) => {
                query.push(("config_id", id.clone()));
                query.push(("override_default_response_type", "true".to_owned()));
            }
            None => query.push(("scope", SCOPES.join(","))),
        }
        let query = serde_urlencoded::to_string(&query).unwrap_or_default();
        format!("{}/dialog/oauth?{query}", self.dialog_url)
    }
}

/// Where Meta's review of a page feature stands, as the settings page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Approved,
    Pending,
    Refused,
    /// Meta has no review of it (never asked), or could not be asked.
    Unknown,
}

impl Review {
    fn of(features: &[FeatureStatus], name: &str) -> Review {
        match features
            .iter()
            .find(|f| f.feature == name)
            .map(|f| f.status.to_ascii_lowercase())
            .as_deref()
        {
            Some("approved") => Review::Approved,
            Some("pending") => Review::Pending,
            Some("rejected" | "limited") => Review::Refused,
            _ => Review::Unknown,
        }
    }
}

/// Everything the connection page states about a page, each part as Meta answered it (or why
/// it could not be read).
#[derive(Debug, Clone, Serialize)]
pub struct PageStatus {
    pub page_id: String,
    pub webhook_url: String,
    /// Whether the page token works, until when, with which permissions.
    #[serde(serialize_with = "answer")]
    pub token: Result<TokenInfo, String>,
    /// The fields the app receives from every page (app level).
    #[serde(serialize_with = "answer")]
    pub app_fields: Result<Vec<String>, String>,
    /// The fields this page sends the app (page level).
    #[serde(serialize_with = "answer")]
    pub page_fields: Result<Vec<String>, String>,
    /// Fenestra's fields missing at either level: those events never arrive.
    pub missing_fields: Vec<&'static str>,
    /// When the latest event from the page arrived: webhooks reach Fenestra.
    pub last_event_at: Option<Time>,
    pub human_agent: Review,
    pub utility_messaging: Review,
    /// The token may send paid marketing messages (`ads_management` and a marketing permission).
    pub marketing_messages: bool,
    /// As the page's settings say (Meta has no API to read it): Fenestra is the default app
    /// for Conversation Routing.
    pub default_app: bool,
}

/// Meta's answer as it is, or `{"error": "…"}`.
fn answer<T: Serialize, S: serde::Serializer>(
    r: &Result<T, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match r {
        Ok(v) => v.serialize(s),
        Err(e) => serde_json::json!({ "error": e }).serialize(s),
    }
}

fn said(e: messenger::SendError) -> String {
    e.to_string()
}

impl Engine {
    /// The pages the admin who came back from the Login dialog with `code` manages, each with
    /// a page token that does not expire on its own.
    pub async fn finish_login(
        &self,
        by: Caller<'_>,
        setup: &LoginSetup,
        code: &str,
    ) -> Result<Vec<ManagedPage>, TeamError> {
        by.admin_only(Forbidden::PageSettings)?;
        let graph = &self.graph;
        let user = graph
            .exchange_code(setup.app(), &setup.redirect_uri(), code)
            .await
            .map_err(Box::new)?;
        // A short-lived user token gives page tokens that die with it; a system-user token
        // (Login for Business) does not expire and needs no exchange.
        let token = match user.expires_in {
            Some(_) => {
                graph
                    .long_lived(setup.app(), &user.access_token)
                    .await
                    .map_err(Box::new)?
                    .access_token
            }
            None => user.access_token,
        };
        let pages = graph.managed_pages(&token).await.map_err(Box::new)?;
        if pages.is_empty() {
            return Err(Invalid::NoManagedPages.into());
        }
        Ok(pages)
    }

    /// Connects `page`: its token stored (which also resumes a page paused by a refused token),
    /// the app and the page subscribed, Meta's feature review adopted; logged.
    pub async fn connect_page(
        &self,
        by: Caller<'_>,
        setup: &LoginSetup,
        page: &ManagedPage,
    ) -> Result<(), TeamError> {
        by.admin_only(Forbidden::PageSettings)?;
        let graph = &self.graph;
        graph
            .subscribe_webhooks(
                setup.app(),
                &setup.webhook_url(),
                &setup.verify_token,
                &FIELDS,
            )
            .await
            .map_err(Box::new)?;
        graph
            .subscribe_app(&page.access_token, &page.id, &FIELDS)
            .await
            .map_err(Box::new)?;
        self.store
            .upsert_page(&Page {
                id: page.id.clone(),
                name: Some(page.name.clone()),
                access_token: Some(page.access_token.clone()),
                ..Page::default()
            })
            .await?;
        let mut detail = format!("name={} tasks={}", page.name, page.tasks.join(","));
        if let Ok(features) = graph.feature_review(&page.access_token).await
            && let Some(mut settings) = self.store.page(&page.id).await?.map(|p| p.settings)
        {
            settings.human_agent_approved =
                Review::of(&features, "human_agent") == Review::Approved;
            settings.utility_messaging =
                Review::of(&features, "utility_messaging") == Review::Approved;
            self.store.set_page_settings(&page.id, &settings).await?;
            detail.push_str(&format!(
                " human_agent_approved={} utility_messaging={}",
                settings.human_agent_approved, settings.utility_messaging
            ));
        }
        self.store
            .log_admin(&AdminLogEntry {
                at: Time::now(),
                actor: by.name(),
                action: AdminAction::ConnectPage,
                page_id: page.id.clone(),
                psid: String::new(),
                detail,
            })
            .await?;
        self.connections
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                page.id.clone(),
                Connection::Connected {
                    checked_at: Time::now(),
                },
            );
        self.signals.changed();
        Ok(())
    }

    /// What Meta says of the page's connection now; each part read separately, so one failure
    /// (a dead token) does not hide the rest.
    pub async fn page_status(
        &self,
        by: Caller<'_>,
        setup: &LoginSetup,
        page_id: &str,
    ) -> Result<PageStatus, TeamError> {
        by.admin_only(Forbidden::PageSettings)?;
        let page = self
            .store
            .page(page_id)
            .await?
            .ok_or_else(|| TeamError::NoPage(page_id.to_owned()))?;
        let token = page
            .access_token
            .clone()
            .ok_or_else(|| TeamError::NoPageToken(page_id.to_owned()))?;
        let graph = &self.graph;
        let (info, app, apps, features, last_event_at) = tokio::join!(
            graph.debug_token(setup.app(), &token),
            graph.webhook_subscriptions(setup.app()),
            graph.subscribed_apps(&token, page_id),
            graph.feature_review(&token),
            self.store.last_event_at(page_id),
        );
        let app_fields = app.map_err(said).map(|subs| {
            subs.into_iter()
                .filter(|s| s.object == "page")
                .flat_map(|s: AppSubscription| s.fields)
                .collect::<Vec<_>>()
        });
        let page_fields = apps.map_err(said).map(|apps| {
            apps.into_iter()
                .filter(|a| a.id == setup.app_id)
                .flat_map(|a| a.subscribed_fields)
                .collect::<Vec<_>>()
        });
        let has = |list: &Result<Vec<String>, String>, f: &str| {
            list.as_ref().is_ok_and(|l| l.iter().any(|x| x == f))
        };
        let missing_fields = FIELDS
            .into_iter()
            .filter(|f| !(has(&app_fields, f) && has(&page_fields, f)))
            .collect();
        let features = features.unwrap_or_default();
        let token = info.map_err(said);
        let scopes = token.as_ref().map(|t| t.scopes.clone()).unwrap_or_default();
        let granted = |p: &str| scopes.iter().any(|s| s == p);
        Ok(PageStatus {
            page_id: page_id.to_owned(),
            webhook_url: setup.webhook_url(),
            missing_fields,
            last_event_at: last_event_at?,
            human_agent: Review::of(&features, "human_agent"),
            utility_messaging: Review::of(&features, "utility_messaging"),
            marketing_messages: granted("ads_management")
                && (granted("paid_marketing_messages") || granted("marketing_messages_messenger")),
            default_app: page.settings.default_app,
            token,
            app_fields,
            page_fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(config_id: Option<&str>) -> LoginSetup {
        LoginSetup {
            app_id: "42".into(),
            app_secret: "s".into(),
            config_id: config_id.map(str::to_owned),
            dialog_url: "https://www.facebook.com/v27.0".into(),
            public_url: "https://inbox.shop.example".into(),
            verify_token: "v".into(),
        }
    }

    #[test]
    fn the_dialog_asks_with_the_configuration_or_the_scopes() {
        let business = setup(Some("777")).dialog("st/1");
        assert_eq!(
            business,
            "https://www.facebook.com/v27.0/dialog/oauth?client_id=42&redirect_uri=https%3A%2F%2Finbox.shop.example%2Fsettings%2Fconnect%2Fcallback&state=st%2F1&response_type=code&config_id=777&override_default_response_type=true"
        );
        let manual = setup(None).dialog("s");
        assert!(manual.contains("scope=pages_messaging%2Cpages_manage_metadata%2C"));
        assert!(!manual.contains("config_id"));
    }

    #[test]
    fn reviews_read_in_either_case() {
        let f = |feature: &str, status: &str| FeatureStatus {
            feature: feature.into(),
            status: status.into(),
        };
        let list = [
            f("human_agent", "APPROVED"),
            f("utility_messaging", "limited"),
        ];
        assert_eq!(Review::of(&list, "human_agent"), Review::Approved);
        assert_eq!(Review::of(&list, "utility_messaging"), Review::Refused);
        assert_eq!(Review::of(&list, "other"), Review::Unknown);
    }
}
