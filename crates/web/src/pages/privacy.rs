//! A customer's data for an admin: everything Fenestra holds, as a readable page and as JSON,
//! and erasing it. Both are logged in the admin log.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use engine::privacy::{Caller, CustomerExport};
use serde::Deserialize;
use store::Time;

use super::auth::Agent;
use super::when;
use crate::error::{PageError, PageResult, render};
use crate::ids::ConversationIds;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    user: String,
    admin: bool,
    base: String,
    data: CustomerExport,
    json: String,
}

impl ExportPage {
    fn at(&self, t: &Time) -> String {
        when::date_time(*t)
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    /// `json` for a file to hand to the customer; a readable page otherwise.
    #[serde(default)]
    format: String,
}

pub async fn export(
    Agent(user): Agent,
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
        admin: true,
        user: user.username,
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
    Agent(user): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Form(f): Form<EraseForm>,
) -> PageResult {
    if f.confirm != "erase" {
        return Err(PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "type `erase` to confirm: erasing cannot be undone".into(),
        });
    }
    state
        .engine
        .erase_customer(Caller::User(&user), &page_id, &psid)
        .await?;
    Ok(Redirect::to(&format!("/c/{page_id}/{psid}")).into_response())
}
