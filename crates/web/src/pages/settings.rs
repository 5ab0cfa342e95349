//! Admins' settings: saved replies (with `{{first_name}}`), personas and how long each page
//! keeps conversations. Agents may look but
//! not change; the engine's team work says who may do what.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::{Page, Persona, SavedReply};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    tr: Tr,
    me: Me,
    replies: Vec<SavedReply>,
    personas: Vec<Persona>,
    pages: Vec<Page>,
}

pub async fn page(Agent(user, tr): Agent, State(state): State<AppState>) -> PageResult {
    let store = state.store();
    let pages = store.pages().await?;
    let mut personas = vec![];
    for p in &pages {
        personas.extend(store.personas(&p.id).await?);
    }
    render(SettingsPage {
        tr,
        me: Me::of(&user),
        replies: store.saved_replies().await?,
        personas,
        pages,
    })
}

fn back() -> PageResult {
    Ok(Redirect::to("/settings").into_response())
}

/// `name`, `text`, and what the reply carries besides, written as in the composer.
pub async fn save_reply(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<super::compose::Fields>,
) -> PageResult {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
    let parts = super::compose::parts(&f);
    state
        .engine
        .save_reply(&user, get("name"), get("text"), &parts)
        .await?;
    back()
}

pub async fn delete_reply(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    state.engine.delete_reply(&user, id).await?;
    back()
}

#[derive(Deserialize)]
pub struct PersonaForm {
    page_id: String,
    name: String,
    picture: String,
}

pub async fn create_persona(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<PersonaForm>,
) -> PageResult {
    state
        .engine
        .create_persona(&user, &f.page_id, &f.name, &f.picture)
        .await?;
    back()
}

#[derive(Deserialize)]
pub struct RetentionForm {
    /// Empty keeps conversations.
    #[serde(default)]
    days: String,
}

/// Settings → a page: what Meta granted it, its routing role, its link domains.
#[derive(Template)]
#[template(path = "page_settings.html")]
struct PageSettingsPage {
    tr: Tr,
    me: Me,
    page: Page,
    domains: String,
    /// m.me links reach new customers only through the Get Started button.
    get_started_missing: bool,
}

pub async fn page_settings(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> PageResult {
    let page = state
        .store()
        .page(&page_id)
        .await?
        .ok_or(engine::team::TeamError::NoPage(page_id))?;
    let get_started_missing = state
        .engine
        .get_started_missing(&page.id)
        .await
        .unwrap_or(false);
    render(PageSettingsPage {
        get_started_missing,
        domains: page.settings.allowed_domains.join("\n"),
        me: Me::of(&user),
        page,
        tr,
    })
}

/// The form: checkboxes are sent only when ticked; domains one per line (or comma-separated).
pub async fn save_page_settings(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<super::compose::Fields>,
) -> PageResult {
    let ticked = |k: &str| f.contains_key(k);
    let change = engine::privacy::PagePermissions {
        human_agent_approved: ticked("human_agent_approved"),
        utility_messaging: ticked("utility_messaging"),
        default_app: ticked("default_app"),
        allowed_domains: f
            .get("allowed_domains")
            .map(|d| d.split([',', '\n']).map(str::to_owned).collect())
            .unwrap_or_default(),
    };
    state
        .engine
        .set_page_permissions(engine::privacy::Caller::User(&user), &page_id, &change)
        .await?;
    Ok(Redirect::to(&format!("/settings/pages/{page_id}?saved=1")).into_response())
}

pub async fn set_retention(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<RetentionForm>,
) -> PageResult {
    let days = match f.days.trim() {
        "" => None,
        d => Some(
            d.parse::<u32>()
                .map_err(|_| engine::problem::Invalid::Retention {
                    max: engine::privacy::MAX_RETENTION_DAYS,
                })?,
        ),
    };
    state
        .engine
        .set_retention(engine::privacy::Caller::User(&user), &page_id, days)
        .await?;
    back()
}

/// The admins' banner (the header loads it): pages whose webhook subscription or token Meta
/// refuses, with Meta's words.
#[derive(Template)]
#[template(path = "alerts.html")]
struct Alerts {
    tr: Tr,
    lost: Vec<(String, String)>,
}

pub async fn alerts(Agent(user, tr): Agent, State(state): State<AppState>) -> PageResult {
    let lost = if user.role == store::Role::Admin {
        state
            .engine
            .connections
            .lock()
            .map(|all| {
                all.iter()
                    .filter_map(|(page, c)| match c {
                        engine::connection::Connection::Lost { reason, .. } => {
                            Some((page.clone(), reason.clone()))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![]
    };
    render(Alerts { tr, lost })
}
