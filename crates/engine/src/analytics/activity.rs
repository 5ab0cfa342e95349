//! Volume, audience and compliance over a period: messages in and out per day and as a heat map
//! by weekday and hour in the Page's time zone, who wrote (new or returning, locale, gender),
//! where they came from, the closing survey's ratings per agent, and the policy's decisions by
//! rule: what was sent by which path, what was refused before it reached Meta, what came with
//! warnings.

use std::collections::BTreeMap;

use serde::Serialize;
use store::{AudienceCounts, Direction, SourceCounts, Time, Verdict};

use crate::Engine;

/// How much of the activity to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Full,
    /// What a comparison with another period shows: counts of messages, new customers,
    /// opt-outs and decisions; no writers' breakdown, sources, ratings nor insights.
    Headline,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub page_id: String,
    pub from: Time,
    pub to: Time,
    /// The zone of the heat map: the away hours' (automations), else UTC.
    pub time_zone: String,
    pub messages_in: i64,
    pub messages_out: i64,
    pub days: Vec<DayCount>,
    /// `heat[weekday][hour]`: customers' messages, Monday first.
    pub heat: Vec<Vec<i64>>,
    #[serde(flatten)]
    pub audience: AudienceCounts,
    pub sources: Vec<SourceCounts>,
    pub ratings: Vec<Rating>,
    pub compliance: Compliance,
    /// Meta's Page insights per day, as last fetched (blocked and reported conversations).
    pub insights: Vec<store::InsightRow>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DayCount {
    pub day: String,
    pub messages_in: i64,
    pub messages_out: i64,
    pub allowed: i64,
    pub refused: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    /// `None`: the conversation was not assigned.
    pub agent: Option<String>,
    pub answers: i64,
    pub average: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Compliance {
    pub allowed: i64,
    /// Refused before anything reached Meta.
    pub refused: i64,
    pub warned: i64,
    pub by_rule: Vec<RuleCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub verdict: &'static str,
    pub n: i64,
}

fn day_of_index(day: i64) -> String {
    Time::from_ms(day * 86_400_000)
        .timestamp()
        .strftime("%Y-%m-%d")
        .to_string()
}

impl Engine {
    pub async fn activity(&self, page_id: &str, from: Time, to: Time) -> anyhow::Result<Activity> {
        self.activity_of(page_id, from, to, Detail::Full).await
    }

    /// The activity at `detail`.
    pub async fn activity_of(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
        detail: Detail,
    ) -> anyhow::Result<Activity> {
        let full = detail == Detail::Full;
        let zone = self
            .automations(page_id)
            .await?
            .document
            .away
            .map(|a| a.timezone.tz().clone());
        let time_zone = zone
            .as_ref()
            .and_then(|z| z.iana_name())
            .unwrap_or("UTC")
            .to_owned();
        let zone = zone.unwrap_or(jiff::tz::TimeZone::UTC);
        let day = |t: Time| t.timestamp().strftime("%Y-%m-%d").to_string();
        let (from_day, to_day) = (day(from), day(to));
        let (hours, audience, decisions) = tokio::try_join!(
            self.store.messages_by_hour(page_id, from, to),
            self.store.who_wrote(page_id, from, to, full),
            self.store.decisions_by_day(page_id, from, to),
        )?;
        let (ratings, sources, insights) = if full {
            tokio::try_join!(
                self.store.ratings_by_agent(page_id, from, to),
                self.store.source_counts(page_id, from, to),
                self.store.insights(page_id, &from_day, &to_day),
            )?
        } else {
            Default::default()
        };
        let mut days: BTreeMap<i64, DayCount> = BTreeMap::new();
        let mut heat = vec![vec![0i64; 24]; 7];
        let (mut messages_in, mut messages_out) = (0, 0);
        for h in &hours {
            let day = days.entry(h.hour / 24).or_default();
            match h.direction {
                Direction::In => {
                    messages_in += h.n;
                    day.messages_in += h.n;
                    let local = Time::from_ms(h.hour * 3_600_000)
                        .timestamp()
                        .to_zoned(zone.clone());
                    let weekday = local.weekday().to_monday_zero_offset() as usize;
                    heat[weekday][local.hour() as usize] += h.n;
                }
                Direction::Out => {
                    messages_out += h.n;
                    day.messages_out += h.n;
                }
            }
        }
        let mut compliance = Compliance::default();
        let mut by_rule: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
        for d in &decisions {
            let day = days.entry(d.day).or_default();
            let verdict = match d.verdict {
                Verdict::Allow => {
                    compliance.allowed += d.n;
                    day.allowed += d.n;
                    "allow"
                }
                Verdict::Deny => {
                    compliance.refused += d.n;
                    day.refused += d.n;
                    "deny"
                }
            };
            compliance.warned += d.warned;
            *by_rule.entry((d.rule.clone(), verdict)).or_default() += d.n;
        }
        compliance.by_rule = by_rule
            .into_iter()
            .map(|((rule, verdict), n)| RuleCount { rule, verdict, n })
            .collect();
        compliance.by_rule.sort_by_key(|r| std::cmp::Reverse(r.n));
        Ok(Activity {
            page_id: page_id.to_owned(),
            from,
            to,
            time_zone,
            messages_in,
            messages_out,
            days: days
                .into_iter()
                .map(|(d, mut c)| {
                    c.day = day_of_index(d);
                    c
                })
                .collect(),
            heat,
            audience,
            sources,
            ratings: ratings
                .into_iter()
                .map(|r| Rating {
                    agent: r.agent,
                    answers: r.n,
                    average: if r.n > 0 {
                        (r.total as f64 / r.n as f64 * 10.0).round() / 10.0
                    } else {
                        0.0
                    },
                })
                .collect(),
            compliance,
            insights,
        })
    }
}
