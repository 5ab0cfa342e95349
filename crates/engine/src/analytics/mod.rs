//! The Page's and the team's numbers. [`responsiveness`] is the pure computation; this module
//! reads what it needs from the store (each conversation's messages by Meta's timestamps, who
//! wrote the Page's) and the Page's away hours.

pub mod activity;
pub mod outcomes;
pub mod responsiveness;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use store::{Direction, Time, TimelineRow};

use crate::Engine;
use responsiveness::{Author, Badge, Figures, Said};

/// A request may be answered up to 24 hours later; Meta's "first message after 24 hours of
/// silence" looks 24 hours back.
const MARGIN: Duration = Duration::from_secs(86_400);

/// Responsiveness over `[from, to)`: the team's figures, per day (UTC) and per agent, and the
/// estimate of Meta's badge.
#[derive(Debug, Clone, Serialize)]
pub struct Responsiveness {
    pub page_id: String,
    pub from: Time,
    pub to: Time,
    #[serde(flatten)]
    pub team: Figures,
    pub days: Vec<Day>,
    pub agents: Vec<AgentFigures>,
    pub badge: Badge,
}

#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// `2026-11-30`.
    pub day: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgentFigures {
    pub agent: String,
    #[serde(flatten)]
    pub figures: Figures,
}

impl Responsiveness {
    /// The days as CSV: a header line, then one line per day.
    pub fn days_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(vec![]);
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let head = [
            "day",
            "requests",
            "answered",
            "response_rate",
            "median_response_seconds",
            "p90_response_seconds",
        ];
        let rows = self.days.iter().map(|d| {
            let f = &d.figures;
            [
                d.day.clone(),
                f.requests.to_string(),
                f.answered.to_string(),
                f.response_rate.map(|r| r.to_string()).unwrap_or_default(),
                opt(f.median_response_seconds),
                opt(f.p90_response_seconds),
            ]
        });
        // Writing to memory fails only on a bug.
        w.write_record(head).expect("CSV to memory");
        for r in rows {
            w.write_record(&r).expect("CSV to memory");
        }
        w.into_inner().expect("CSV to memory")
    }
}

/// Who wrote a message, from its direction, the outbox actor and the echo's app.
fn author(row: &TimelineRow) -> Author {
    if row.direction == Direction::In {
        return Author::Customer;
    }
    match row.actor.as_deref() {
        Some(a) if a.starts_with("agent:") => Author::Agent(a["agent:".len()..].to_owned()),
        Some("automation:instant_reply" | "automation:away") => Author::Greeting,
        Some(a) if a.starts_with("broadcast:") => Author::Broadcast,
        Some(_) => Author::Page,
        // Staff in Meta's inbox (`app_id` 263902037430900), or another app: the Page answered.
        None => Author::Page,
    }
}

impl Engine {
    /// Fetches the last three days of Meta's Page insights (blocked, reported and new
    /// conversations: no webhook tells them) and keeps them; how many values.
    pub async fn fetch_insights(&self, page: &store::Page) -> anyhow::Result<usize> {
        let Some(token) = &page.access_token else {
            return Ok(0);
        };
        let today = Time::now()
            .timestamp()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let since = today - jiff::Span::new().days(3);
        let tomorrow = today.tomorrow()?;
        let values = self
            .graph
            .page_insights(token, &page.id, &since.to_string(), &tomorrow.to_string())
            .await?;
        let rows: Vec<store::InsightRow> = values
            .into_iter()
            .map(|v| store::InsightRow {
                day: v.day,
                metric: v.metric,
                value: v.value,
            })
            .collect();
        self.store
            .save_insights(&page.id, &rows, Time::now())
            .await?;
        Ok(rows.len())
    }

    pub async fn responsiveness(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
    ) -> anyhow::Result<Responsiveness> {
        let rows = self
            .store
            .timeline(page_id, from - MARGIN, to + MARGIN)
            .await?;
        let said: Vec<Said> = rows
            .iter()
            .map(|r| Said {
                psid: r.psid.clone(),
                at_ms: r.sent_at.ms(),
                author: author(r),
            })
            .collect();
        let requests = responsiveness::requests(&said, from.ms(), to.ms());
        let mut days: BTreeMap<String, Vec<&responsiveness::Request>> = BTreeMap::new();
        let mut agents: BTreeMap<String, Vec<&responsiveness::Request>> = BTreeMap::new();
        for r in &requests {
            let day = Time::from_ms(r.at_ms)
                .timestamp()
                .strftime("%Y-%m-%d")
                .to_string();
            days.entry(day).or_default().push(r);
            if let Some(a) = &r.agent {
                agents.entry(a.clone()).or_default().push(r);
            }
        }
        let schedule = self
            .automations(page_id)
            .await?
            .document
            .away
            .filter(|a| a.enabled);
        let away = |from_ms: i64, to_ms: i64| -> i64 {
            let Some(a) = &schedule else { return 0 };
            away_ms(&a.schedule(), from_ms, to_ms)
        };
        Ok(Responsiveness {
            page_id: page_id.to_owned(),
            from,
            to,
            team: responsiveness::figures(&requests),
            days: days
                .into_iter()
                .map(|(day, list)| Day {
                    day,
                    figures: responsiveness::figures(list),
                })
                .collect(),
            agents: agents
                .into_iter()
                .map(|(agent, list)| AgentFigures {
                    agent,
                    figures: responsiveness::figures(list),
                })
                .collect(),
            badge: responsiveness::badge(&said, from.ms(), to.ms(), &away),
        })
    }
}

/// How many milliseconds of `[from, to)` the Page's away hours cover, to the minute.
fn away_ms(s: &automations::schedule::Schedule<'_>, from: i64, to: i64) -> i64 {
    let ts = |ms: i64| jiff::Timestamp::from_millisecond(ms).unwrap_or_default();
    let mut t = from;
    let mut away = 0;
    while t < to {
        if s.is_open(ts(t)) {
            t += 60_000;
        } else {
            let open = s
                .opens_at(ts(t))
                .map_or(to, |o| o.as_millisecond())
                .clamp(t + 1, to);
            away += open - t;
            t = open;
        }
    }
    away
}
