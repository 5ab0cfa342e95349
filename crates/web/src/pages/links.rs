//! Links: the link builder (an m.me link with a `ref` and prefilled text, its QR code as PNG or
//! SVG, a printable A6 card in the chosen language), signed links for receipts, and what each
//! way in brought: new conversations, arrivals, leads, bookings, answers to broadcasts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use engine::links::refs::{SignedRef, Subject};
use engine::links::{Artwork, Attribution, EntryPointSpec};
use engine::problem::Forbidden;
use engine::team::TeamError;
use serde::Deserialize;
use store::{Page, Role, Time, User};

use i18n::{Lang, Tr};

use super::bookings::chosen;
use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct Which {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    days: Option<i64>,
    /// The ref just saved.
    #[serde(default)]
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "links.html")]
struct LinksPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    days: i64,
    attribution: Attribution,
    get_started_missing: bool,
    saved: Option<String>,
    signed: Option<String>,
    langs: Vec<(&'static str, &'static str)>,
}

impl LinksPage {
    fn source(&self, kind: &str) -> String {
        source_word(&self.tr, kind)
    }
}

/// A source as people read it: "m.me link", "Ad", "Comment", "Get Started", "Wrote on their
/// own"; an unknown kind as it is.
pub fn source_word(tr: &Tr, kind: &str) -> String {
    let id = match kind {
        "SHORTLINK" => "links-source-link",
        "ADS" => "links-source-ad",
        "comment" => "links-source-comment",
        "get_started" => "links-source-get-started",
        "organic" => "links-source-organic",
        _ => return kind.to_owned(),
    };
    tr.t(id)
}

fn admin(user: &User) -> Result<(), PageError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(TeamError::AdminOnly(Forbidden::EntryPoints).into())
    }
}

async fn show(
    state: &AppState,
    user: &User,
    tr: Tr,
    q: &Which,
    signed: Option<String>,
) -> PageResult {
    let (pages, page_id) = chosen(state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let days = q.days.unwrap_or(30).clamp(1, 3660);
    let now = Time::now();
    let from = now - std::time::Duration::from_secs(days as u64 * 86_400);
    let attribution = state.engine.attribution(&page_id, from, now).await?;
    let get_started_missing = state
        .engine
        .get_started_missing(&page_id)
        .await
        .unwrap_or(false);
    render(LinksPage {
        me: Me::of(user),
        pages,
        page_id,
        days,
        attribution,
        get_started_missing,
        saved: q.saved.clone(),
        signed,
        langs: Lang::ALL
            .iter()
            .map(|l| (l.tag(), l.native_name()))
            .collect(),
        tr,
    })
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    show(&state, &user, tr, &q, None).await
}

#[derive(Deserialize)]
pub struct SaveForm {
    page: String,
    #[serde(rename = "ref")]
    ref_: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

fn filled(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

pub async fn save(
    Agent(user, _tr): Agent,
    State(state): State<AppState>,
    Form(f): Form<SaveForm>,
) -> PageResult {
    admin(&user)?;
    let spec = EntryPointSpec {
        ref_: f.ref_.trim().to_owned(),
        title: filled(f.title),
        kind: filled(f.kind),
        text: filled(f.text),
        label: filled(f.label),
    };
    let saved = state
        .engine
        .save_entry_point(&f.page, &spec, &format!("user:{}", user.username))
        .await?;
    let query = serde_urlencoded::to_string([("page", &f.page), ("saved", &saved.entry.ref_)])
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/links?{query}")).into_response())
}

#[derive(Deserialize)]
pub struct SignForm {
    page: String,
    entry: String,
    /// `order` or `customer`.
    subject: String,
    id: String,
}

pub async fn sign(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Form(f): Form<SignForm>,
) -> PageResult {
    admin(&user)?;
    let subject = match f.subject.as_str() {
        "customer" => Subject::Customer,
        _ => Subject::Order,
    };
    let r = SignedRef {
        entry: f.entry.trim().to_owned(),
        subject,
        id: f.id.trim().to_owned(),
    };
    let url = state.engine.signed_link(&f.page, &r, None).await?;
    let q = Which {
        page: Some(f.page),
        ..Which::default()
    };
    show(&state, &user, tr, &q, Some(url)).await
}

pub async fn delete(
    Agent(user, _tr): Agent,
    State(state): State<AppState>,
    Path((page_id, ref_)): Path<(String, String)>,
) -> PageResult {
    admin(&user)?;
    state.engine.delete_entry_point(&page_id, &ref_).await?;
    let query = serde_urlencoded::to_string([("page", &page_id)]).unwrap_or_default();
    Ok(Redirect::to(&format!("/links?{query}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// A code or a card to download.
pub async fn artwork(
    Agent(_user, tr): Agent,
    State(state): State<AppState>,
    Path((page_id, ref_, file)): Path<(String, String, String)>,
    Query(q): Query<LangQuery>,
) -> PageResult {
    let artwork = Artwork::parse(&file).ok_or_else(|| {
        PageError::new(
            axum::http::StatusCode::NOT_FOUND,
            crate::error::Message::new("links-unknown").with("ref", file.clone()),
        )
    })?;
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or(tr.lang());
    let bytes = state
        .engine
        .entry_artwork(&page_id, &ref_, artwork, lang)
        .await?;
    let name: String = format!("{ref_}-{file}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '='))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, artwork.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
