//! What the analytics read: each conversation's messages in the order of Meta's timestamps, with
//! who wrote the Page's (the outbox row an echo settled names the actor).
//!
//! Invariant: times are Meta's (`messages.sent_at` is the webhook's timestamp), never when
//! Fenestra processed the event.
//!
//! Rollups, so a dashboard over months reads hundreds of rows rather than every message:
//! * message counts per hour, who wrote per day (and each customer's last message) and the
//!   policy's decisions per day are counted in the transaction that stores the message or the
//!   decision;
//! * answer times need a conversation's order of messages, which arrive out of order: storing
//!   a message marks its conversation pending, and [`AnalyticsStore::fold_answers`] replays the
//!   conversation from its last answer before the change, replacing its rows in `answer_times`
//!   and their sums in `answer_days` in one transaction.
//!
//! `rebuild_rollups` recomputes all of them from the event tables.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::histogram::Histogram;
use crate::{Direction, Measure, Result, Time, Verdict};

/// A message, with the actor of Fenestra's sends and the app of other apps' echoes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TimelineRow {
    pub psid: String,
    pub sent_at: Time,
    pub direction: Direction,
    /// `agent:NAME`, `automation:instant_reply`, `broadcast:ID`, … for Fenestra's messages.
    pub actor: Option<String>,
    /// The app that sent an echo (Meta's inbox: `263902037430900`).
    pub app_id: Option<String>,
}

/// Messages of one UTC hour (`hour` = milliseconds since the epoch / 3,600,000).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HourCount {
    pub hour: i64,
    pub direction: Direction,
    pub n: i64,
}

/// Who wrote in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AudienceCounts {
    /// Contacts first seen in the period (conversations started).
    pub new_customers: i64,
    /// Contacts who wrote in the period, first seen before it.
    pub returning_customers: i64,
    /// Contacts who opted out in the period.
    pub opted_out: i64,
    /// Of those who wrote: by Messenger locale (`vi_VN`), and by gender where Meta gives it.
    pub by_locale: Vec<(String, i64)>,
    pub by_gender: Vec<(String, i64)>,
}

/// Decisions of one UTC day (`day` = milliseconds / 86,400,000) by rule and verdict.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleDay {
    pub day: i64,
    pub rule: String,
    pub verdict: Verdict,
    pub n: i64,
    /// Of those, decisions that came with warnings.
    pub warned: i64,
}

/// The closing survey's ratings, by the agent the conversation was assigned to when it was rated.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingSum {
    pub agent: Option<String>,
    pub n: i64,
    pub total: i64,
}

/// A flow's runs started in a period, and what they led to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct FlowFunnel {
    pub flow: String,
    pub started: i64,
    pub finished: i64,
    /// Runs whose customer left an e-mail or phone number after the run started.
    pub leads: i64,
    /// Runs whose customer booked after the run started.
    pub bookings: i64,
}

/// One of Meta's Page insights for one day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct InsightRow {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub metric: String,
    pub value: i64,
}

/// One request (or one message Meta's badge counts) and its answer, as a fold finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub measure: Measure,
    pub at: Time,
    /// When the Page answered, however late.
    pub answered_at: Option<Time>,
    /// The answer time that counts: within 24 hours, away time left out for the badge.
    pub seconds: Option<i64>,
    /// The agent who answered, when a person in Fenestra did.
    pub agent: Option<String>,
}

/// A day's answers, for everyone (`agent` empty) or one agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerDay {
    /// Days since the epoch (UTC).
    pub day: i64,
    pub agent: String,
    pub requests: i64,
    pub answered: i64,
    pub times: Histogram,
}

/// Replays a conversation's messages (oldest first) into its answers.
pub type Replay<'a> = &'a (dyn Fn(&[TimelineRow]) -> Vec<Answer> + Send + Sync);

#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// Conversations whose answers wait to be folded, oldest change first.
    async fn pending_answers(
        &self,
        page_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(String, String)>>;

    /// Claims pending conversations of a Page and, for each, replaces its answers from its last
    /// answer before the change with what `replay` makes of its messages since; one
    /// transaction. How many it claimed (another fold may have taken some).
    async fn fold_answers(
        &self,
        page_id: &str,
        psids: &[String],
        replay: Replay<'_>,
    ) -> Result<usize>;

    /// The answers of `[from, to)` as days: whole days from `answer_days`, the partial days at
    /// either end from `answer_times`.
    async fn answer_days(
        &self,
        page_id: &str,
        measure: Measure,
        from: Time,
        to: Time,
    ) -> Result<Vec<AnswerDay>>;

    /// Recomputes a Page's rollups from its messages and decisions; every conversation's
    /// answers wait to be folded again. How many conversations.
    async fn rebuild_rollups(&self, page_id: &str) -> Result<u64>;

    /// Keeps what Meta's insights said (a later fetch of the same day replaces it).
    async fn save_insights(&self, page_id: &str, rows: &[InsightRow], at: Time) -> Result<()>;

    /// Insights of the days `from ≤ day < to` (`YYYY-MM-DD`).
    async fn insights(&self, page_id: &str, from: &str, to: &str) -> Result<Vec<InsightRow>>;

    /// Flows by runs started in `[from, to)`.
    async fn flow_funnels(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<FlowFunnel>>;

    /// A broadcast's recipients not skipped, and of those queued, who left contact details or
    /// booked after it started.
    async fn broadcast_conversions(
        &self,
        broadcast_id: i64,
        since: Time,
    ) -> Result<(i64, i64, i64)>;

    /// Messages per UTC hour and direction (from `message_hours`: whole hours).
    async fn messages_by_hour(&self, page_id: &str, from: Time, to: Time)
    -> Result<Vec<HourCount>>;

    /// New customers and opt-outs of the period and, with `writers`, who wrote in it (returning
    /// customers, locales, genders: the costly part, a row per customer who wrote).
    async fn who_wrote(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
        writers: bool,
    ) -> Result<AudienceCounts>;

    /// The policy's decisions per UTC day, rule and verdict.
    async fn decisions_by_day(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<RuleDay>>;

    async fn ratings_by_agent(&self, page_id: &str, from: Time, to: Time)
    -> Result<Vec<RatingSum>>;

    /// The Page's messages with `from ≤ sent_at < to`, oldest first (the raw query the rollups
    /// replace; the benchmark compares them).
    async fn timeline(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<TimelineRow>>;
}

/// What the new messages of one processing transaction add to the rollups, gathered so they
/// are written with three statements at the end rather than several per message.
#[derive(Debug, Default)]
pub(crate) struct NewMessages {
    /// (page, hour, direction) → messages.
    pub hours: BTreeMap<(String, i64, Direction), i64>,
    /// (page, psid, day) a customer wrote.
    pub days: std::collections::BTreeSet<(String, String, i64)>,
    /// (page, psid) → the earliest new message: where the fold starts.
    pub pending: BTreeMap<(String, String), Time>,
}

impl NewMessages {
    pub fn add(&mut self, page_id: &str, psid: &str, direction: Direction, at: Time) {
        let ms = at.ms();
        *self
            .hours
            .entry((page_id.to_owned(), ms.div_euclid(HOUR_MS), direction))
            .or_default() += 1;
        if direction == Direction::In {
            self.days
                .insert((page_id.to_owned(), psid.to_owned(), ms.div_euclid(DAY_MS)));
        }
        let since = self
            .pending
            .entry((page_id.to_owned(), psid.to_owned()))
            .or_insert(at);
        *since = (*since).min(at);
    }
}

pub(crate) const HOUR_MS: i64 = 3_600_000;
pub(crate) const DAY_MS: i64 = 86_400_000;

/// `[from, to)` cut at whole units (hours, days): the units a rollup answers, and the partial
/// ones at either end that the event tables answer. Empty ranges are `(0, 0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Whole units `[first, last)`, in units since the epoch.
    pub units: (i64, i64),
    /// The partial units before and after them, in milliseconds.
    pub before: (Time, Time),
    pub after: (Time, Time),
}

pub(crate) fn split(from: Time, to: Time, unit: i64) -> Split {
    let (from, to) = (from.ms(), to.ms().max(from.ms()));
    let first = from.div_euclid(unit) + i64::from(from.rem_euclid(unit) != 0);
    let last = to.div_euclid(unit);
    let none = (Time::from_ms(0), Time::from_ms(0));
    if first >= last {
        return Split {
            units: (0, 0),
            before: (Time::from_ms(from), Time::from_ms(to)),
            after: none,
        };
    }
    Split {
        units: (first, last),
        before: (Time::from_ms(from), Time::from_ms(first * unit)),
        after: (Time::from_ms(last * unit), Time::from_ms(to)),
    }
}

/// A row of `answer_times` as the sums read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct AnswerRow {
    pub measure: Measure,
    pub at: Time,
    pub seconds: Option<i64>,
    pub agent: String,
}

impl From<&Answer> for AnswerRow {
    fn from(a: &Answer) -> AnswerRow {
        AnswerRow {
            measure: a.measure,
            at: a.at,
            seconds: a.seconds,
            agent: a.agent.clone().unwrap_or_default(),
        }
    }
}

/// What `rows` add to (`sign` 1) or take from (-1) the sums per (measure, day, agent): each row
/// counts for everyone and, when an agent answered, for that agent.
pub(crate) fn add_to_days(
    days: &mut BTreeMap<(Measure, i64, String), AnswerDay>,
    rows: &[AnswerRow],
    sign: i64,
) {
    for r in rows {
        let day = r.at.ms().div_euclid(DAY_MS);
        let everyone = std::iter::once(String::new());
        let agent = (!r.agent.is_empty()).then(|| r.agent.clone());
        for who in everyone.chain(agent) {
            let d = days
                .entry((r.measure, day, who.clone()))
                .or_insert_with(|| AnswerDay {
                    day,
                    agent: who,
                    ..AnswerDay::default()
                });
            d.requests += sign;
            if let Some(s) = r.seconds {
                d.answered += sign;
                d.times.add(s, sign);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_780_000_000_000 / DAY_MS * DAY_MS;

    #[test]
    fn a_range_splits_into_whole_days_and_the_partial_ends() {
        let s = split(
            Time::from_ms(T - 5),
            Time::from_ms(T + 2 * DAY_MS + 7),
            DAY_MS,
        );
        assert_eq!(s.units, (T / DAY_MS, T / DAY_MS + 2));
        assert_eq!((s.before.0.ms(), s.before.1.ms()), (T - 5, T));
        assert_eq!(
            (s.after.0.ms(), s.after.1.ms()),
            (T + 2 * DAY_MS, T + 2 * DAY_MS + 7)
        );
        let aligned = split(Time::from_ms(T), Time::from_ms(T + DAY_MS), DAY_MS);
        assert_eq!(aligned.units, (T / DAY_MS, T / DAY_MS + 1));
        assert_eq!(aligned.before.0, aligned.before.1);
        let inside = split(Time::from_ms(T + 1), Time::from_ms(T + 9), DAY_MS);
        assert_eq!(inside.units, (0, 0));
        assert_eq!((inside.before.0.ms(), inside.before.1.ms()), (T + 1, T + 9));
    }

    #[test]
    fn rows_count_for_everyone_and_for_their_agent_and_come_off_again() {
        let row = |agent: &str, seconds| AnswerRow {
            measure: Measure::Team,
            at: Time::from_ms(T + 60_000),
            seconds,
            agent: agent.into(),
        };
        let rows = [row("mai", Some(240)), row("", None)];
        let mut days = BTreeMap::new();
        add_to_days(&mut days, &rows, 1);
        let all = &days[&(Measure::Team, T / DAY_MS, String::new())];
        assert_eq!((all.requests, all.answered, all.times.len()), (2, 1, 1));
        assert_eq!(days[&(Measure::Team, T / DAY_MS, "mai".into())].requests, 1);
        add_to_days(&mut days, &rows, -1);
        assert!(days.values().all(|d| d.requests == 0 && d.times.is_empty()));
    }
}
