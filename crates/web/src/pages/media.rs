//! Customers' pictures and attachments, served from Fenestra's copies (Meta's links expire).
//! A customer without a picture, or whose picture cannot be fetched, gets their initials.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::inbox::{display_name, initials};
use super::session::Agent;
use crate::error::PageResult;
use crate::ids::ConversationIds;
use crate::state::AppState;

/// Copies are private to the team, and do not change.
const CACHE: &str = "private, max-age=86400";

pub async fn picture(
    Agent(_, tr): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
) -> PageResult {
    if let Some(m) = state.engine.picture(&page_id, &psid).await? {
        return Ok(served(m.content_type, m.bytes));
    }
    let contact = state.store().contact(&page_id, &psid).await?;
    let name = contact.map_or_else(
        || psid.clone(),
        |c| {
            display_name(
                &tr,
                c.profile.first_name.as_deref(),
                c.profile.last_name.as_deref(),
                &psid,
            )
        },
    );
    Ok(served(
        "image/svg+xml".into(),
        initials_svg(&initials(&name)).into_bytes(),
    ))
}

pub async fn attachment(
    Agent(..): Agent,
    State(state): State<AppState>,
    ConversationIds((page_id, psid)): ConversationIds,
    Path(params): Path<std::collections::HashMap<String, String>>,
) -> PageResult {
    let key = params.get("key").map(String::as_str).unwrap_or_default();
    match state.store().media(&page_id, &psid, key).await? {
        Some(m) => Ok(served(m.content_type, m.bytes)),
        None => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

fn served(content_type: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE.to_owned()),
            // A copied file is shown, never run: no sniffing, no scripts in an SVG.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A round badge with the initials, its colour picked from them.
fn initials_svg(initials: &str) -> String {
    const COLOURS: [&str; 6] = [
        "#1f5fbf", "#2e7d32", "#8e24aa", "#c62828", "#ef6c00", "#00838f",
    ];
    let colour = COLOURS[initials.chars().map(|c| c as usize).sum::<usize>() % COLOURS.len()];
    let text: String = initials.chars().filter(|c| c.is_alphanumeric()).collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 40\" width=\"40\" height=\"40\">\
         <circle cx=\"20\" cy=\"20\" r=\"20\" fill=\"{colour}\"/>\
         <text x=\"20\" y=\"25\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#fff\" text-anchor=\"middle\">{text}</text></svg>"
    )
}
