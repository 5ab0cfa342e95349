//! Analytics: how fast and how often the team answers (per day and per agent, against the
//! previous period of the same length), whether Meta's "very responsive" badge is within reach
//! and what would change it, with a chart drawn in the browser (uPlot) from the same numbers
//! `GET /api/v1/analytics/responsiveness` answers.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use engine::analytics::Responsiveness;
use engine::analytics::activity::Activity;
use engine::analytics::outcomes::Outcomes;
use serde::Deserialize;
use store::{Page, Time};

use i18n::Tr;

use super::bookings::chosen;
use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct Range {
    #[serde(default)]
    page: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "analytics.html")]
struct AnalyticsPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    from: String,
    to: String,
    now: Responsiveness,
    before: Responsiveness,
    activity: Activity,
    outcomes: Outcomes,
    chart: String,
    /// The heat map's darkest cell.
    heat_max: i64,
}

impl AnalyticsPage {
    /// A heat map cell's shade, 0 to 100.
    fn shade(&self, n: &i64) -> i64 {
        if self.heat_max == 0 {
            0
        } else {
            n * 100 / self.heat_max
        }
    }

    fn weekday(&self, i: &usize) -> String {
        self.tr.t(&format!("weekday-{}", i + 1))
    }

    /// Meta's metric names, in words.
    fn metric(&self, name: &str) -> String {
        match name.strip_prefix("page_messages_") {
            Some(short) => self
                .tr
                .t(&format!("analytics-metric-{}", short.replace('_', "-"))),
            None => name.to_owned(),
        }
    }

    fn source(&self, kind: &str) -> String {
        super::links::source_word(&self.tr, kind)
    }

    fn percent(&self, r: &Option<f64>) -> String {
        r.map_or("–".into(), |r| format!("{:.1} %", r * 100.0))
    }

    fn duration(&self, s: &Option<i64>) -> String {
        match s {
            None => "–".into(),
            Some(s) if *s < 60 => self.tr.t1("analytics-seconds", "n", *s),
            Some(s) if *s < 3_600 => self.tr.t1("analytics-minutes", "n", (*s + 30) / 60),
            Some(s) => self.tr.t1(
                "analytics-hours",
                "n",
                format!("{:.1}", *s as f64 / 3_600.0),
            ),
        }
    }
}

fn day(t: Time) -> String {
    t.timestamp().strftime("%Y-%m-%d").to_string()
}

fn start_of(v: &str) -> Option<Time> {
    let d: jiff::civil::Date = v.parse().ok()?;
    let ts = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(Time::from_ms(ts.as_millisecond()))
}

/// `[from, to)` from the inclusive days asked for; the last 7 days by default.
fn range(q: &Range) -> (Time, Time) {
    let today = start_of(&day(Time::now())).unwrap_or_else(Time::now);
    let one_day = std::time::Duration::from_secs(86_400);
    let to =
        q.to.as_deref()
            .and_then(start_of)
            .map_or(today + one_day, |t| t + one_day);
    let from = q
        .from
        .as_deref()
        .and_then(start_of)
        .filter(|f| *f < to)
        .unwrap_or(to - 7 * one_day);
    (from, to)
}

/// A failed computation: logged, and the page says the figures are unavailable.
fn unavailable(e: anyhow::Error) -> PageError {
    tracing::error!(error = %e, "analytics failed");
    PageError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        crate::error::Message::new("error-unavailable"),
    )
}

async fn figures(
    state: &AppState,
    q: &Range,
) -> Result<(Vec<Page>, String, Responsiveness, Responsiveness), PageError> {
    let (pages, page_id) = chosen(state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let (from, to) = range(q);
    let length = std::time::Duration::from_millis((to.ms() - from.ms()) as u64);
    let now = state
        .engine
        .responsiveness(&page_id, from, to)
        .await
        .map_err(unavailable)?;
    let before = state
        .engine
        .responsiveness(&page_id, from - length, from)
        .await
        .map_err(unavailable)?;
    Ok((pages, page_id, now, before))
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Range>,
) -> PageResult {
    let (pages, page_id, now, before) = figures(&state, &q).await?;
    let activity = state
        .engine
        .activity(&page_id, now.from, now.to)
        .await
        .map_err(unavailable)?;
    let outcomes = state
        .engine
        .outcomes(&page_id, now.from, now.to)
        .await
        .map_err(unavailable)?;
    let heat_max = activity.heat.iter().flatten().copied().max().unwrap_or(0);
    // What the chart draws: days, response rate (%), median minutes.
    let chart = serde_json::json!({
        "days": now.days.iter().map(|d| &d.day).collect::<Vec<_>>(),
        "rate": now.days.iter().map(|d| d.figures.response_rate.map(|r| r * 100.0)).collect::<Vec<_>>(),
        "median": now.days.iter().map(|d| d.figures.median_response_seconds.map(|s| s as f64 / 60.0)).collect::<Vec<_>>(),
        "labels": [tr.t("analytics-response-rate"), tr.t("analytics-median-minutes")],
    })
    .to_string();
    render(AnalyticsPage {
        me: Me::of(&user),
        pages,
        page_id,
        from: day(now.from),
        to: day(now.to - std::time::Duration::from_secs(86_400)),
        now,
        before,
        activity,
        outcomes,
        chart,
        heat_max,
        tr,
    })
}

/// The days as CSV, for a spreadsheet.
pub async fn days_csv(
    Agent(_user, _tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Range>,
) -> PageResult {
    let (_, _, now, _) = figures(&state, &q).await?;
    let body = now.days_csv();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"responsiveness.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
