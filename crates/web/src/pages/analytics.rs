//! Analytics: how fast and how often the team answers (per day and per agent), whether Meta's
//! "very responsive" badge is within reach and what would change it, volume, audience, sources,
//! compliance and outcomes, each against the previous period of the same length, with charts
//! drawn in the browser (uPlot) from the same numbers `GET /api/v1/analytics/…` answers, and
//! each table as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use engine::analytics::Dashboard;
use engine::analytics::activity::Detail;
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
    now: Dashboard,
    before: Dashboard,
    chart: String,
    /// The heat map's darkest cell.
    heat_max: i64,
}

impl AnalyticsPage {
    /// Where a table's CSV is.
    fn csv(&self, table: &str) -> String {
        format!(
            "/analytics/{table}.csv?page={}&from={}&to={}",
            self.page_id, self.from, self.to
        )
    }

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

/// The period asked for and the one of the same length before it.
async fn figures(
    state: &AppState,
    q: &Range,
) -> Result<(Vec<Page>, String, Dashboard, Dashboard), PageError> {
    let (pages, page_id) = chosen(state, q.page.as_deref()).await?;
    let page_id = page_id.unwrap_or_default();
    let (from, to) = range(q);
    let length = std::time::Duration::from_millis((to.ms() - from.ms()) as u64);
    let (now, before) = tokio::try_join!(
        state.engine.dashboard(&page_id, from, to),
        state
            .engine
            .dashboard_of(&page_id, from - length, from, Detail::Headline),
    )
    .map_err(unavailable)?;
    Ok((pages, page_id, now, before))
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Range>,
) -> PageResult {
    let (pages, page_id, now, before) = figures(&state, &q).await?;
    let heat_max = now
        .activity
        .heat
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    // What the charts draw: per day, response rate (%) and median minutes; messages in and out;
    // the policy's decisions, allowed and refused.
    let days = &now.responsiveness.days;
    let volume = &now.activity.days;
    let chart = serde_json::json!({
        "days": days.iter().map(|d| &d.day).collect::<Vec<_>>(),
        "rate": days.iter().map(|d| d.figures.response_rate.map(|r| r * 100.0)).collect::<Vec<_>>(),
        "median": days.iter().map(|d| d.figures.median_response_seconds.map(|s| s as f64 / 60.0)).collect::<Vec<_>>(),
        "labels": [tr.t("analytics-response-rate"), tr.t("analytics-median-minutes")],
        "volume": {
            "days": volume.iter().map(|d| &d.day).collect::<Vec<_>>(),
            "in": volume.iter().map(|d| d.messages_in).collect::<Vec<_>>(),
            "out": volume.iter().map(|d| d.messages_out).collect::<Vec<_>>(),
            "labels": [tr.t("analytics-messages-in"), tr.t("analytics-messages-out")],
            "allowed": volume.iter().map(|d| d.allowed).collect::<Vec<_>>(),
            "refused": volume.iter().map(|d| d.refused).collect::<Vec<_>>(),
            "decisions": [tr.t("analytics-allowed"), tr.t("analytics-refused")],
        },
    })
    .to_string();
    render(AnalyticsPage {
        me: Me::of(&user),
        pages,
        page_id,
        from: day(now.responsiveness.from),
        to: day(now.responsiveness.to - std::time::Duration::from_secs(86_400)),
        now,
        before,
        chart,
        heat_max,
        tr,
    })
}

/// One of the page's tables as CSV, for a spreadsheet (`/analytics/days.csv`).
pub async fn table_csv(
    Agent(_user, _tr): Agent,
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<Range>,
) -> PageResult {
    let table = file.strip_suffix(".csv");
    let known = table.filter(|t| engine::analytics::tables::TABLES.contains(t));
    let Some(table) = known else {
        return Err(PageError::new(
            axum::http::StatusCode::NOT_FOUND,
            crate::error::Message::new("error-not-found"),
        ));
    };
    let (_, _, now, _) = figures(&state, &q).await?;
    let body = now.csv(table).unwrap_or_default();
    let disposition = format!("attachment; filename=\"{table}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
