//! A customer's data for an admin: everything Fenestra holds, as a readable page and as JSON,
//! and erasing it. Both are logged in the admin log.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use engine::privacy::{Caller, CustomerExport};
use serde::Deserialize;
use store::Time;

use engine::problem::Invalid;
use i18n::Tr;
use store::Direction;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::ids::ConversationIds;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    tr: Tr,
    me: Me,
    base: String,
    data: CustomerExport,
    json: String,
}

impl ExportPage {
    fn at(&self, t: &Time) -> String {
        self.tr.date_time(t.timestamp())
    }

    fn direction(&self, d: &Direction) -> String {
        self.tr.t(match d {
            Direction::In => "export-from-customer",
            Direction::Out => "export-from-page",
        })
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    /// `json` for a file to hand to the customer; a readable page otherwise.
    #[serde(default)]
    format: String,
}

pub async fn export(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Query(q): Query<ExportQuery>,
) -> PageResult {
    let data = state
        .engine
        .export_customer(Caller::User(&user), &page_id, &psid)
        .await?;
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    if q.format == "json" {
        let disposition = format!("attachment; filename=\"fenestra-{page_id}-{psid}.json\"");
        return Ok((
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            json,
        )
            .into_response());
    }
    render(ExportPage {
        tr,
        me: Me::of(&user),
        base: format!("/c/{page_id}/{psid}"),
        data,
        json,
    })
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

pub async fn erase(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<EraseForm>,
) -> PageResult {
    // The word in the reader's language ("xóa", "محو") or in English.
    let word = tr.t("privacy-erase-word");
    let typed = fold::fold_text(&f.confirm);
    if typed != fold::fold_text(&word) && typed != "erase" {
        return Err(Invalid::EraseConfirm { word }.into());
    }
    state
        .engine
        .erase_customer(Caller::User(&user), &page_id, &psid)
        .await?;
    Ok(Redirect::to(&format!("/c/{page_id}/{psid}")).into_response())
}
