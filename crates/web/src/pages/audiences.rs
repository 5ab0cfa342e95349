//! Audiences (admins): saved segments with how many contacts each holds now, an editor whose
//! count updates as the segment is edited, and customer-list import (a CSV with consent)
//! with its match report and the unmatched as a hashed file for Meta's ads tools.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use base64ct::{Base64, Encoding};
use engine::audience::{self, Segment};
use engine::broadcast::BroadcastError;
use engine::broadcast::lists::{ImportError, Report};
use serde::Deserialize;
use store::{Page, Time};

use i18n::Tr;

use super::broadcasts::{SegmentForm, chosen};
use super::session::{Agent, Me};
use crate::error::{Message, PageError, PageResult, render};
use crate::state::AppState;

fn admin(user: &store::User) -> Result<(), PageError> {
    if user.role == store::Role::Admin {
        Ok(())
    } else {
        Err(engine::team::TeamError::AdminOnly(engine::problem::Forbidden::Broadcasts).into())
    }
}

/// A saved audience with its size now.
pub struct Shown {
    pub id: i64,
    pub name: String,
    pub count: u64,
}

#[derive(Template)]
#[template(path = "audiences.html")]
struct AudiencesPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    audiences: Vec<Shown>,
    contacts: u64,
    report: Option<Report>,
    /// The unmatched as a `data:` address to download.
    hashed_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Which {
    #[serde(default)]
    page: Option<String>,
}

async fn page(
    state: &AppState,
    user: &store::User,
    tr: Tr,
    asked: Option<&str>,
    report: Option<Report>,
) -> PageResult {
    let (pages, page_id) = chosen(state, asked).await?;
    let mut audiences = vec![];
    let mut contacts = 0;
    for a in state.store().audiences(&page_id).await? {
        let segment = serde_json::from_str(&a.segment)
            .ok()
            .and_then(|v| Segment::from_value(v).ok())
            .unwrap_or_default();
        let (count, total) = audience::count(state.store(), &page_id, &segment).await?;
        contacts = total;
        audiences.push(Shown {
            id: a.id,
            name: a.name,
            count,
        });
    }
    if audiences.is_empty() {
        contacts = audience::count(state.store(), &page_id, &Segment::default())
            .await?
            .1;
    }
    let hashed_href = report.as_ref().filter(|r| r.unmatched > 0).map(|r| {
        format!(
            "data:text/csv;base64,{}",
            Base64::encode_string(r.hashed_csv.as_bytes())
        )
    });
    render(AudiencesPage {
        tr,
        me: Me::of(user),
        pages,
        page_id,
        audiences,
        contacts,
        report,
        hashed_href,
    })
}

pub async fn list(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    admin(&user)?;
    page(&state, &user, tr, q.page.as_deref(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AudienceForm {
    page: String,
    name: String,
    #[serde(flatten)]
    segment: SegmentForm,
}

#[derive(Template)]
#[template(path = "audience_count.html")]
struct Count {
    tr: Tr,
    count: u64,
    contacts: u64,
    problem: Option<String>,
}

/// The editor's live count.
pub async fn count(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Form(f): Form<AudienceForm>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, Some(&f.page)).await?;
    match Segment::from_value(f.segment.to_value()) {
        Ok(segment) => {
            let (count, contacts) = audience::count(state.store(), &page_id, &segment).await?;
            render(Count {
                tr,
                count,
                contacts,
                problem: None,
            })
        }
        Err(e) => render(Count {
            tr,
            count: 0,
            contacts: 0,
            problem: Some(e.to_string()),
        }),
    }
}

pub async fn save(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<AudienceForm>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, Some(&f.page)).await?;
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Message::new("audience-name-needed"),
        ));
    }
    let segment = Segment::from_value(f.segment.to_value()).map_err(BroadcastError::from)?;
    let text = serde_json::to_string(&segment).expect("a segment serializes");
    state
        .store()
        .save_audience(&page_id, name, &text, Time::now())
        .await?;
    Ok(Redirect::to(&format!("/audiences?page={page_id}")).into_response())
}

pub async fn delete(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    admin(&user)?;
    let page_id = state
        .store()
        .audience(id)
        .await?
        .map(|a| a.page_id)
        .unwrap_or_default();
    state.store().delete_audience(id).await?;
    Ok(Redirect::to(&format!("/audiences?page={page_id}")).into_response())
}

/// A customer list posted from the page: `page`, `name` and the `file`.
pub async fn import(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> PageResult {
    admin(&user)?;
    let (mut page_id, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    let bad = |m: String| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            Message::new("broadcast-invalid").with("detail", m),
        )
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.to_string()))?
    {
        match field.name() {
            Some("page") => page_id = field.text().await.map_err(|e| bad(e.to_string()))?,
            Some("name") => name = field.text().await.map_err(|e| bad(e.to_string()))?,
            Some("file") => {
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad(e.to_string()))?
                    .to_vec()
            }
            _ => {}
        }
    }
    let (_, page_id) = chosen(&state, Some(&page_id)).await?;
    let report = match state.engine.import_list(&page_id, &name, &bytes).await {
        Ok(r) => r,
        Err(ImportError::Store(e)) => return Err(e.into()),
        Err(ImportError::List(e)) => {
            return Err(PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                Message::new("list-unreadable").with("detail", e.to_string()),
            ));
        }
    };
    page(&state, &user, tr, Some(&page_id), Some(report)).await
}
