//! Bookings: the appointments of the coming week, day by day, for the whole team; each can be
//! cancelled or moved (to a time and a person or room, within their hours and capacity).
//! Leads: what flows and lead forms collected from each customer, with a CSV download.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use engine::leads::Lead;
use flows::booking::Booking;
use serde::Deserialize;
use store::{BookingRow, BookingStatus, Page, Time};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

const DAYS: i64 = 7;

#[derive(Deserialize, Default)]
pub struct Which {
    #[serde(default)]
    page: Option<String>,
    /// `moved=1`, `full=1`: what happened.
    #[serde(default)]
    moved: Option<u8>,
    #[serde(default)]
    full: Option<u8>,
}

/// The page asked for, else the first.
pub(super) async fn chosen(
    state: &AppState,
    asked: Option<&str>,
) -> store::Result<(Vec<Page>, Option<String>)> {
    let pages = state.store().pages().await?;
    let id = asked
        .filter(|a| pages.iter().any(|p| p.id == *a))
        .map(str::to_owned)
        .or_else(|| pages.first().map(|p| p.id.clone()));
    Ok((pages, id))
}

/// An appointment as the calendar shows it.
pub struct Shown {
    pub row: BookingRow,
    pub day: String,
    pub time: String,
    pub customer: String,
    pub service: String,
    pub with: String,
}

#[derive(Template)]
#[template(path = "bookings.html")]
struct BookingsPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    setup: Option<Booking>,
    days: Vec<(String, Vec<Shown>)>,
    moved: bool,
    full: bool,
}

impl BookingsPage {
    fn reminder_id(&self, r: &store::ReminderState) -> &'static str {
        use store::ReminderState as R;
        match r {
            R::None => "bookings-reminder-none",
            R::Pending | R::Firing => "bookings-reminder-pending",
            R::Sent => "bookings-reminder-sent",
            R::Template => "bookings-reminder-template",
            R::Dropped => "bookings-reminder-dropped",
            R::Impossible => "bookings-reminder-impossible",
        }
    }
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    let (pages, page_id) = chosen(&state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let setup = state
        .engine
        .flows(&page_id)
        .await
        .ok()
        .and_then(|(doc, _)| doc.booking);
    let now = Time::now();
    let rows = state
        .store()
        .bookings(
            &page_id,
            Time::from_ms(now.ms() - 12 * 3_600_000),
            Time::from_ms(now.ms() + DAYS * 86_400_000),
        )
        .await?;
    let mut days: Vec<(String, Vec<Shown>)> = Vec::new();
    for row in rows {
        let zone = setup
            .as_ref()
            .map_or(jiff::tz::TimeZone::UTC, |s| s.timezone.tz().clone());
        let at = row.starts_at.timestamp().to_zoned(zone);
        let contact = state.store().contact(&page_id, &row.psid).await?;
        let shown = Shown {
            day: format!(
                "{} {}",
                tr.t(&format!("weekday-{}", at.weekday().to_monday_one_offset())),
                at.strftime("%d/%m/%Y")
            ),
            time: at.strftime("%H:%M").to_string(),
            customer: contact
                .and_then(|c| c.profile.display_name())
                .unwrap_or_else(|| row.psid.clone()),
            service: setup
                .as_ref()
                .and_then(|s| s.service(&row.service))
                .map_or(row.service.clone(), |s| {
                    s.name.pick(Some(tr.lang().tag())).to_owned()
                }),
            with: setup
                .as_ref()
                .and_then(|s| s.resource(&row.resource))
                .map_or(row.resource.clone(), |r| r.name.to_string()),
            row,
        };
        match days.last_mut() {
            Some((d, list)) if *d == shown.day => list.push(shown),
            _ => days.push((shown.day.clone(), vec![shown])),
        }
    }
    render(BookingsPage {
        tr,
        me: Me::of(&user),
        pages,
        page_id,
        setup,
        days,
        moved: q.moved.is_some(),
        full: q.full.is_some(),
    })
}

fn back(page_id: &str, what: &str) -> PageResult {
    Ok(Redirect::to(&format!("/bookings?page={page_id}{what}")).into_response())
}

pub async fn cancel(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    let page_id = state
        .store()
        .booking(id)
        .await?
        .map(|b| b.page_id)
        .unwrap_or_default();
    state.engine.cancel_booking_as(&user, id).await?;
    back(&page_id, "")
}

#[derive(Deserialize)]
pub struct MoveForm {
    /// `2026-12-24T09:30`, in the page's time zone.
    at: String,
    resource: String,
}

pub async fn move_to(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> PageResult {
    let Some(b) = state.store().booking(id).await? else {
        return back("", "&full=1");
    };
    let zone = state
        .engine
        .flows(&b.page_id)
        .await
        .ok()
        .and_then(|(doc, _)| doc.booking)
        .map_or(jiff::tz::TimeZone::UTC, |s| s.timezone.tz().clone());
    let start =
        f.at.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(zone).ok())
            .map(|z| z.timestamp());
    let moved = match start {
        Some(start) => {
            state
                .engine
                .move_booking_as(&user, id, &f.resource, start)
                .await?
        }
        None => false,
    };
    back(&b.page_id, if moved { "&moved=1" } else { "&full=1" })
}

#[derive(Template)]
#[template(path = "leads.html")]
struct LeadsPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    columns: Vec<String>,
    leads: Vec<Lead>,
}

impl LeadsPage {
    fn value(&self, lead: &Lead, column: &str) -> String {
        lead.fields.get(column).cloned().unwrap_or_default()
    }
}

pub async fn leads(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    let (pages, page_id) = chosen(&state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let leads = state.engine.leads(&page_id).await?;
    let columns: std::collections::BTreeSet<String> = leads
        .iter()
        .flat_map(|l| l.fields.keys().cloned())
        .collect();
    render(LeadsPage {
        tr,
        me: Me::of(&user),
        pages,
        page_id,
        columns: columns.into_iter().collect(),
        leads,
    })
}

/// The leads as a CSV file.
pub async fn leads_csv(
    Agent(_user, _): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    let (_, page_id) = chosen(&state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let csv = engine::leads::to_csv(&state.engine.leads(&page_id).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"leads-{page_id}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

impl BookingsPage {
    fn cancelled(&self, s: &Shown) -> bool {
        s.row.status == BookingStatus::Cancelled
    }
}
