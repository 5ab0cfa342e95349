//! How fast and how often the Page answers, computed from each conversation's messages in the
//! order of Meta's timestamps (never when Fenestra processed them). Pure: messages in, figures
//! out: a conversation's messages give its requests and counted messages (stored per
//! conversation by the rollups), and histograms of their answer times give the figures.
//!
//! Two measures, defined in docs/analytics.md:
//!
//! * **The team's**: a customer's message that nobody from the Page answered yet opens a
//!   *request*; the Page's first answer afterwards (a person, the API, a keyword answer or a
//!   flow; not the instant reply nor the away message, which answer nobody's question) closes it.
//!   A request unanswered for 24 hours stays unanswered: the customer's next message opens another.
//!   The response rate is the share of requests answered within 24 hours; the response time runs
//!   from the request's first message to that answer (median and 90th percentile). A request
//!   belongs to the day (UTC) of its first message and to the agent who answered it.
//! * **Meta's badge, estimated**: a message counts when it is the first a person sends after 24
//!   hours without messages either way; Fenestra's instant and away replies count as answers
//!   (they come through the API); the time is the average of the fastest 90 % of responses; time
//!   the Page is set to away does not count. Criteria: rate ≥ 90 % and time ≤ 15 minutes.

use std::collections::BTreeMap;

use serde::Serialize;
use store::histogram::Histogram;

/// 24 hours, in milliseconds.
const DAY_MS: i64 = 86_400_000;
/// Meta's "very responsive" badge.
pub const BADGE_RATE: f64 = 0.9;
pub const BADGE_SECONDS: i64 = 15 * 60;

/// Who wrote a message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    Customer,
    /// An agent in Fenestra's inbox, by username.
    Agent(String),
    /// The instant reply or the away message: not an answer to the team's measure.
    Greeting,
    /// Keyword answers, flows, integrations through the API, Meta's inbox, other apps.
    Page,
    /// A broadcast reaches people; it answers nobody.
    Broadcast,
}

/// One message, as the store gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub psid: String,
    pub at_ms: i64,
    pub author: Author,
}

/// A customer's request and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub psid: String,
    pub at_ms: i64,
    /// When the Page answered, however late.
    pub answered_at_ms: Option<i64>,
    /// Milliseconds to the Page's answer, if it came within 24 hours.
    pub answered_in_ms: Option<i64>,
    /// The agent who answered, when a person in Fenestra did.
    pub agent: Option<String>,
}

/// A message Meta's badge counts and how long the Page took to answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub psid: String,
    pub at_ms: i64,
    pub answered_at_ms: Option<i64>,
    /// Milliseconds to the answer with away time left out, if it came within 24 hours.
    pub answered_in_ms: Option<i64>,
}

/// The team's figures over some requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub requests: usize,
    pub answered: usize,
    /// `answered / requests`, 3 decimals; `None` without requests.
    pub response_rate: Option<f64>,
    pub median_response_seconds: Option<i64>,
    pub p90_response_seconds: Option<i64>,
}

/// Each customer's messages, oldest first.
fn by_customer(messages: &[Said]) -> BTreeMap<&str, Vec<&Said>> {
    let mut out: BTreeMap<&str, Vec<&Said>> = BTreeMap::new();
    for m in messages {
        out.entry(&m.psid).or_default().push(m);
    }
    for list in out.values_mut() {
        list.sort_by_key(|m| m.at_ms);
    }
    out
}

/// The requests in `messages` (any order). A request still open is unanswered; so is one
/// left unanswered for 24 hours, and the customer's next message opens a new one.
pub fn requests(messages: &[Said]) -> Vec<Request> {
    let mut out = vec![];
    let unanswered = |psid: &str, at_ms| Request {
        psid: psid.to_owned(),
        at_ms,
        answered_at_ms: None,
        answered_in_ms: None,
        agent: None,
    };
    for (psid, list) in by_customer(messages) {
        let mut open: Option<i64> = None;
        for m in list {
            match (&m.author, open) {
                (Author::Customer, None) => open = Some(m.at_ms),
                (Author::Customer, Some(start)) if m.at_ms - start > DAY_MS => {
                    out.push(unanswered(psid, start));
                    open = Some(m.at_ms);
                }
                (Author::Agent(_) | Author::Page, Some(start)) => {
                    let waited = m.at_ms - start;
                    out.push(Request {
                        psid: psid.to_owned(),
                        at_ms: start,
                        answered_at_ms: Some(m.at_ms),
                        answered_in_ms: (waited <= DAY_MS).then_some(waited),
                        agent: match &m.author {
                            Author::Agent(a) => Some(a.clone()),
                            _ => None,
                        },
                    });
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(start) = open {
            out.push(unanswered(psid, start));
        }
    }
    out.sort_by_key(|r| r.at_ms);
    out
}

/// The messages in `messages` (any order) that Meta's badge counts. `away(from, to)`: how many
/// milliseconds of `[from, to)` the Page was set to away.
pub fn counted(messages: &[Said], away: &dyn Fn(i64, i64) -> i64) -> Vec<Counted> {
    let mut out = vec![];
    for (psid, list) in by_customer(messages) {
        let mut last: Option<i64> = None;
        let mut waiting: Option<usize> = None;
        for m in list {
            let quiet = last.is_none_or(|l| m.at_ms - l >= DAY_MS);
            match &m.author {
                Author::Customer if quiet => {
                    waiting = Some(out.len());
                    out.push(Counted {
                        psid: psid.to_owned(),
                        at_ms: m.at_ms,
                        answered_at_ms: None,
                        answered_in_ms: None,
                    });
                }
                Author::Customer | Author::Broadcast => {}
                _ => {
                    if let Some(i) = waiting.take() {
                        let c: &mut Counted = &mut out[i];
                        let waited = m.at_ms - c.at_ms;
                        c.answered_at_ms = Some(m.at_ms);
                        c.answered_in_ms =
                            (waited <= DAY_MS).then(|| (waited - away(c.at_ms, m.at_ms)).max(0));
                    }
                }
            }
            last = Some(m.at_ms);
        }
    }
    out.sort_by_key(|c| c.at_ms);
    out
}

fn rate(n: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| ((n as f64 / of as f64) * 1000.0).round() / 1000.0)
}

/// The team's figures from `requests` and the histogram of the answered ones' seconds.
pub fn figures(requests: i64, times: &Histogram) -> Figures {
    let answered = times.len();
    Figures {
        requests: requests as usize,
        answered: answered as usize,
        response_rate: rate(answered, requests),
        median_response_seconds: times.quantile(0.5),
        p90_response_seconds: times.quantile(0.9),
    }
}

/// Meta's "very responsive" badge as Fenestra estimates it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Badge {
    /// Messages that count: the first after 24 hours of silence either way.
    pub counted: usize,
    pub answered: usize,
    pub response_rate: Option<f64>,
    /// The average of the fastest 90 % of responses.
    pub response_seconds: Option<i64>,
    pub rate_met: bool,
    pub time_met: bool,
    pub met: bool,
    /// How many more counted messages must be answered (within 15 minutes) to meet the rate.
    pub more_answers_needed: usize,
    /// Meta publishes neither the exact window (7 or 30 days) nor how spam or "done" threads are
    /// left out: the estimate says so.
    pub uncertain: &'static str,
}

/// The badge from how many messages counted and the histogram of their answers' seconds.
pub fn badge(counted: i64, times: &Histogram) -> Badge {
    let answered = times.len();
    let fastest = (answered - answered / 10) as usize;
    let response_seconds = times.mean_of_smallest(fastest);
    let response_rate = rate(answered, counted);
    let rate_met = response_rate.is_some_and(|r| r >= BADGE_RATE);
    let time_met = response_seconds.is_some_and(|s| s <= BADGE_SECONDS);
    // n more answered out of the same counted: (answered + n) / counted ≥ 0.9.
    let needed = (BADGE_RATE * counted as f64).ceil() as i64;
    Badge {
        counted: counted as usize,
        answered: answered as usize,
        response_rate,
        response_seconds,
        rate_met,
        time_met,
        met: rate_met && time_met,
        more_answers_needed: (needed - answered).max(0) as usize,
        uncertain: "Meta's criteria come from its Help Center as relayed by third parties: the window \
                    (7 or 30 days) and how spam or done threads are left out are not published",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_780_000_000_000;
    const MIN: i64 = 60_000;

    fn said(psid: &str, at: i64, author: Author) -> Said {
        Said {
            psid: psid.into(),
            at_ms: at,
            author,
        }
    }

    fn no_away(_: i64, _: i64) -> i64 {
        0
    }

    fn seconds<'a>(waits: impl IntoIterator<Item = &'a Option<i64>>) -> Histogram {
        let mut h = Histogram::default();
        for ms in waits.into_iter().flatten() {
            h.add(ms / 1000, 1);
        }
        h
    }

    fn team(m: &[Said]) -> Figures {
        let r = requests(m);
        figures(
            r.len() as i64,
            &seconds(r.iter().map(|r| &r.answered_in_ms)),
        )
    }

    fn meta(m: &[Said], away: &dyn Fn(i64, i64) -> i64) -> Badge {
        let c = counted(m, away);
        badge(
            c.len() as i64,
            &seconds(c.iter().map(|c| &c.answered_in_ms)),
        )
    }

    fn day_one() -> Vec<Said> {
        vec![
            said("a", T, Author::Customer),
            said("a", T + 4 * MIN, Author::Agent("mai".into())),
            said("b", T, Author::Customer),
            said("b", T + 30 * MIN, Author::Page),
            said("c", T, Author::Customer),
        ]
    }

    #[test]
    fn rate_and_median_of_the_issue() {
        let f = team(&day_one());
        assert_eq!(f.response_rate, Some(0.667));
        assert_eq!(f.median_response_seconds, Some(1020));
        assert_eq!(requests(&day_one())[0].agent.as_deref(), Some("mai"));
        let b = meta(&day_one(), &no_away);
        assert!(!b.met && !b.rate_met && !b.time_met, "{b:?}");
        assert_eq!(b.more_answers_needed, 1);
    }

    #[test]
    fn greetings_do_not_answer_the_team_but_count_for_meta() {
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + 1_000, Author::Greeting),
            said("a", T + 2 * MIN, Author::Customer),
            said("a", T + 20 * MIN, Author::Agent("an".into())),
        ];
        let r = requests(&m);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].answered_in_ms, Some(20 * MIN));
        let b = meta(&m, &no_away);
        assert_eq!((b.counted, b.response_seconds), (1, Some(1)));
    }

    #[test]
    fn a_late_answer_is_no_answer_and_away_time_pauses_meta_s_clock() {
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + DAY_MS + MIN, Author::Agent("an".into())),
        ];
        assert_eq!(team(&m).answered, 0);
        assert_eq!(requests(&m)[0].answered_at_ms, Some(T + DAY_MS + MIN));
        // Unanswered for a day, the customer writes again: a new request, answered in time.
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + DAY_MS + MIN, Author::Customer),
            said("a", T + DAY_MS + 3 * MIN, Author::Page),
        ];
        let r = requests(&m);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].answered_in_ms, r[1].answered_in_ms),
            (None, Some(2 * MIN))
        );
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + 60 * MIN, Author::Page),
        ];
        let b = meta(&m, &|from, to| (to - from).min(55 * MIN));
        assert_eq!(b.response_seconds, Some(300));
        assert!(b.met);
    }

    #[test]
    fn the_slowest_tenth_is_left_out_of_meta_s_time() {
        let mut m = vec![];
        for i in 0..10 {
            let p = format!("p{i}");
            m.push(said(&p, T, Author::Customer));
            let wait = if i == 9 { 120 * MIN } else { 2 * MIN };
            m.push(said(&p, T + wait, Author::Page));
        }
        let b = meta(&m, &no_away);
        assert_eq!(
            (b.counted, b.answered, b.response_seconds),
            (10, 10, Some(120))
        );
        assert!(b.met);
    }
}
