//! Settings → Templates: a page's utility templates with Meta's review status (synced on
//! request), and, for admins, submitting a new one for review.

use askama::Template as Askama;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::Template;

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

#[derive(Askama)]
#[template(path = "templates.html")]
struct TemplatesPage {
    tr: Tr,
    me: Me,
    page_id: String,
    templates: Vec<Template>,
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> PageResult {
    if state.store().page(&page_id).await?.is_none() {
        return Err(engine::team::TeamError::NoPage(page_id).into());
    }
    render(TemplatesPage {
        tr,
        me: Me::of(&user),
        templates: state.store().templates(&page_id).await?,
        page_id,
    })
}

impl TemplatesPage {
    /// A review status in the reader's words.
    fn status_id(&self, s: &store::TemplateStatus) -> &'static str {
        match s {
            store::TemplateStatus::Approved => "templates-approved",
            store::TemplateStatus::Pending => "templates-pending",
            store::TemplateStatus::Rejected => "templates-rejected",
            store::TemplateStatus::Paused => "templates-paused",
        }
    }
}

fn back(page_id: &str) -> PageResult {
    Ok(Redirect::to(&format!("/settings/templates/{page_id}")).into_response())
}

pub async fn sync(
    Agent(_user, _): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> PageResult {
    state.engine.sync_templates(&page_id).await?;
    back(&page_id)
}

#[derive(Deserialize)]
pub struct TemplateForm {
    name: String,
    language: String,
    body: String,
}

pub async fn submit(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<TemplateForm>,
) -> PageResult {
    state
        .engine
        .submit_template(&user, &page_id, &f.name, &f.language, &f.body)
        .await?;
    back(&page_id)
}
