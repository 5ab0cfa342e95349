//! The Page's and the team's numbers. [`responsiveness`] is the pure computation; this module
//! replays each changed conversation into the store's rollups (with the Page's away hours) and
//! reads the sums back as figures.

pub mod activity;
pub mod outcomes;
pub mod responsiveness;
pub mod rollup;
pub mod tables;

use std::collections::BTreeMap;

use serde::Serialize;
use store::histogram::Histogram;
use store::{Answer, Direction, Measure, Time, TimelineRow};

use crate::Engine;
use responsiveness::{Author, Badge, Figures, Said};

/// Conversations a dashboard read folds before reading the sums.
const FOLD_ON_READ: i64 = 500;
/// Conversations folded in one transaction: few commits, yet short enough that SQLite's one
/// writer is not kept from webhook ingest for long.
const FOLD_PER_TRANSACTION: usize = 128;
/// A rebuild folds many more: the days' sums are written once per transaction, not per
/// conversation.
const REBUILD_PER_TRANSACTION: usize = 500;

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
    /// Conversations still wait to be folded (after a rebuild or a burst): the figures will
    /// grow as the worker catches up.
    pub updating: bool,
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

/// Everything the Analytics page shows for one period.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub responsiveness: Responsiveness,
    pub activity: activity::Activity,
    pub outcomes: outcomes::Outcomes,
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

    /// Folds the answers of conversations whose messages changed (see `store::analytics`), of
    /// one Page or all, at most `limit`, [`FOLD_PER_TRANSACTION`] to a transaction; how many.
    pub async fn fold_answers(&self, page_id: Option<&str>, limit: i64) -> anyhow::Result<usize> {
        self.fold(page_id, limit, FOLD_PER_TRANSACTION).await
    }

    /// Folds every pending conversation of a Page in large transactions (after
    /// `rebuild_rollups`), telling `progress` how many so far.
    pub async fn fold_all_answers(
        &self,
        page_id: &str,
        mut progress: impl FnMut(usize),
    ) -> anyhow::Result<usize> {
        let mut done = 0;
        loop {
            let n = self
                .fold(Some(page_id), 2_000, REBUILD_PER_TRANSACTION)
                .await?;
            if n == 0 {
                return Ok(done);
            }
            done += n;
            progress(done);
        }
    }

    async fn fold(
        &self,
        page_id: Option<&str>,
        limit: i64,
        per_transaction: usize,
    ) -> anyhow::Result<usize> {
        let pending = self.store.pending_answers(page_id, limit).await?;
        let mut by_page: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (page, psid) in pending {
            by_page.entry(page).or_default().push(psid);
        }
        let mut folded = 0;
        for (page, psids) in by_page {
            let away = self.automations(&page).await?.document.away;
            let away = away.filter(|a| a.enabled);
            let replay = |rows: &[TimelineRow]| replay(rows, away.as_ref());
            for chunk in psids.chunks(per_transaction) {
                folded += self.store.fold_answers(&page, chunk, &replay).await?;
            }
        }
        Ok(folded)
    }

    /// The page's three reads of `[from, to)`, side by side.
    pub async fn dashboard(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
    ) -> anyhow::Result<Dashboard> {
        self.dashboard_of(page_id, from, to, activity::Detail::Full)
            .await
    }

    pub async fn dashboard_of(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
        detail: activity::Detail,
    ) -> anyhow::Result<Dashboard> {
        let (responsiveness, activity, outcomes) = tokio::try_join!(
            self.responsiveness(page_id, from, to),
            self.activity_of(page_id, from, to, detail),
            self.outcomes(page_id, from, to),
        )?;
        Ok(Dashboard {
            responsiveness,
            activity,
            outcomes,
        })
    }

    pub async fn responsiveness(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
    ) -> anyhow::Result<Responsiveness> {
        // What the processor stored since the worker's last round counts already.
        self.fold_answers(Some(page_id), FOLD_ON_READ).await?;
        let updating = !self
            .store
            .pending_answers(Some(page_id), 1)
            .await?
            .is_empty();
        let (team, meta) = tokio::try_join!(
            self.store.answer_days(page_id, Measure::Team, from, to),
            self.store.answer_days(page_id, Measure::Badge, from, to),
        )?;
        let mut all = (0, Histogram::default());
        let mut days: BTreeMap<i64, (i64, Histogram)> = BTreeMap::new();
        let mut agents: BTreeMap<String, (i64, Histogram)> = BTreeMap::new();
        for d in &team {
            let sums = if d.agent.is_empty() {
                all.0 += d.requests;
                all.1.merge(&d.times);
                days.entry(d.day).or_default()
            } else {
                agents.entry(d.agent.clone()).or_default()
            };
            sums.0 += d.requests;
            sums.1.merge(&d.times);
        }
        let mut counted = (0, Histogram::default());
        for d in meta.iter().filter(|d| d.agent.is_empty()) {
            counted.0 += d.requests;
            counted.1.merge(&d.times);
        }
        Ok(Responsiveness {
            page_id: page_id.to_owned(),
            from,
            to,
            team: responsiveness::figures(all.0, &all.1),
            days: days
                .into_iter()
                .map(|(day, (n, times))| Day {
                    day: Time::from_ms(day * 86_400_000)
                        .timestamp()
                        .strftime("%Y-%m-%d")
                        .to_string(),
                    figures: responsiveness::figures(n, &times),
                })
                .collect(),
            agents: agents
                .into_iter()
                .map(|(agent, (n, times))| AgentFigures {
                    agent,
                    figures: responsiveness::figures(n, &times),
                })
                .collect(),
            badge: responsiveness::badge(counted.0, &counted.1),
            updating,
        })
    }
}

/// A conversation's requests and counted messages, from its messages (oldest first), with the
/// Page's away hours pausing Meta's clock.
fn replay(rows: &[TimelineRow], away: Option<&automations::document::Away>) -> Vec<Answer> {
    let said: Vec<Said> = rows
        .iter()
        .map(|r| Said {
            psid: r.psid.clone(),
            at_ms: r.sent_at.ms(),
            author: author(r),
        })
        .collect();
    let paused = |from_ms: i64, to_ms: i64| -> i64 {
        away.map_or(0, |a| away_ms(&a.schedule(), from_ms, to_ms))
    };
    let seconds = |ms: Option<i64>| ms.map(|ms| ms / 1000);
    let team = responsiveness::requests(&said).into_iter().map(|r| Answer {
        measure: Measure::Team,
        at: Time::from_ms(r.at_ms),
        answered_at: r.answered_at_ms.map(Time::from_ms),
        seconds: seconds(r.answered_in_ms),
        agent: r.agent,
    });
    let meta = responsiveness::counted(&said, &paused)
        .into_iter()
        .map(|c| Answer {
            measure: Measure::Badge,
            at: Time::from_ms(c.at_ms),
            answered_at: c.answered_at_ms.map(Time::from_ms),
            seconds: seconds(c.answered_in_ms),
            agent: None,
        });
    team.chain(meta).collect()
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
