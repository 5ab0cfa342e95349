//! How fast and how often the Page answers, computed from each conversation's messages in the
//! order of Meta's timestamps (never when Fenestra processed them). Pure: messages in, figures
//! out.
//!
//! Two measures, defined in docs/analytics.md:
//!
//! * **The team's**: a customer's message that nobody from the Page answered yet opens a
//!   *request*; the Page's first answer afterwards (a person, the API, a keyword answer or a
//!   flow; not the instant reply nor the away message, which answer nobody's question) closes it.
//!   The response rate is the share of requests answered within 24 hours; the response time runs
//!   from the request's first message to that answer (median and 90th percentile). A request
//!   belongs to the day (UTC) of its first message and to the agent who answered it.
//! * **Meta's badge, estimated**: a message counts when it is the first a person sends after 24
//!   hours without messages either way; Fenestra's instant and away replies count as answers
//!   (they come through the API); the time is the average of the fastest 90 % of responses; time
//!   the Page is set to away does not count. Criteria: rate ≥ 90 % and time ≤ 15 minutes.

use std::collections::BTreeMap;

use serde::Serialize;

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
    /// Milliseconds to the Page's answer, if it came within 24 hours.
    pub answered_in_ms: Option<i64>,
    /// The agent who answered, when a person in Fenestra did.
    pub agent: Option<String>,
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

/// The requests in `messages` (any order) whose first message falls in `[from, to)`.
/// Messages after `to` still answer requests made before it.
pub fn requests(messages: &[Said], from_ms: i64, to_ms: i64) -> Vec<Request> {
    let mut by_customer: BTreeMap<&str, Vec<&Said>> = BTreeMap::new();
    for m in messages {
        by_customer.entry(&m.psid).or_default().push(m);
    }
    let mut out = vec![];
    for (psid, mut list) in by_customer {
        list.sort_by_key(|m| m.at_ms);
        let mut open: Option<i64> = None;
        for m in list {
            match (&m.author, open) {
                (Author::Customer, None) => open = Some(m.at_ms),
                (Author::Agent(_) | Author::Page, Some(start)) => {
                    let waited = m.at_ms - start;
                    if (from_ms..to_ms).contains(&start) {
                        out.push(Request {
                            psid: psid.to_owned(),
                            at_ms: start,
                            answered_in_ms: (waited <= DAY_MS).then_some(waited),
                            agent: match &m.author {
                                Author::Agent(a) => Some(a.clone()),
                                _ => None,
                            },
                        });
                    }
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(start) = open
            && (from_ms..to_ms).contains(&start)
        {
            out.push(Request {
                psid: psid.to_owned(),
                at_ms: start,
                answered_in_ms: None,
                agent: None,
            });
        }
    }
    out.sort_by_key(|r| r.at_ms);
    out
}

/// The value at quantile `q` of sorted `v`, interpolated between neighbours (the median of
/// 240 and 1800 is 1020).
fn quantile(v: &[i64], q: f64) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let frac = pos - lo as f64;
    Some((v[lo] as f64 + (v[hi] - v[lo]) as f64 * frac).round() as i64)
}

fn rate(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| ((n as f64 / of as f64) * 1000.0).round() / 1000.0)
}

pub fn figures<'a>(requests: impl IntoIterator<Item = &'a Request>) -> Figures {
    let list: Vec<&Request> = requests.into_iter().collect();
    let mut times: Vec<i64> = list
        .iter()
        .filter_map(|r| r.answered_in_ms.map(|ms| ms / 1000))
        .collect();
    times.sort_unstable();
    Figures {
        requests: list.len(),
        answered: times.len(),
        response_rate: rate(times.len(), list.len()),
        median_response_seconds: quantile(&times, 0.5),
        p90_response_seconds: quantile(&times, 0.9),
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

/// `away(from, to)`: how many milliseconds of `[from, to)` the Page was set to away.
pub fn badge(messages: &[Said], from_ms: i64, to_ms: i64, away: &dyn Fn(i64, i64) -> i64) -> Badge {
    let mut by_customer: BTreeMap<&str, Vec<&Said>> = BTreeMap::new();
    for m in messages {
        by_customer.entry(&m.psid).or_default().push(m);
    }
    let mut counted = 0;
    let mut times: Vec<i64> = vec![];
    for list in by_customer.values_mut() {
        list.sort_by_key(|m| m.at_ms);
        let mut last: Option<i64> = None;
        let mut waiting: Option<i64> = None;
        for m in list.iter() {
            let quiet = last.is_none_or(|l| m.at_ms - l >= DAY_MS);
            match &m.author {
                Author::Customer if quiet && (from_ms..to_ms).contains(&m.at_ms) => {
                    counted += 1;
                    waiting = Some(m.at_ms);
                }
                Author::Customer | Author::Broadcast => {}
                _ => {
                    if let Some(start) = waiting.take() {
                        let paused = away(start, m.at_ms);
                        let ms = (m.at_ms - start - paused).max(0);
                        if m.at_ms - start <= DAY_MS {
                            times.push(ms / 1000);
                        }
                    }
                }
            }
            last = Some(m.at_ms);
        }
    }
    times.sort_unstable();
    let fastest = times.len() - times.len() / 10;
    let response_seconds = (fastest > 0)
        .then(|| (times[..fastest].iter().sum::<i64>() as f64 / fastest as f64).round() as i64);
    let response_rate = rate(times.len(), counted);
    let rate_met = response_rate.is_some_and(|r| r >= BADGE_RATE);
    let time_met = response_seconds.is_some_and(|s| s <= BADGE_SECONDS);
    // n more answered out of the same counted: (answered + n) / counted ≥ 0.9.
    let needed = (BADGE_RATE * counted as f64).ceil() as usize;
    Badge {
        counted,
        answered: times.len(),
        response_rate,
        response_seconds,
        rate_met,
        time_met,
        met: rate_met && time_met,
        more_answers_needed: needed.saturating_sub(times.len()),
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
        let r = requests(&day_one(), T - DAY_MS, T + DAY_MS);
        let f = figures(&r);
        assert_eq!(f.response_rate, Some(0.667));
        assert_eq!(f.median_response_seconds, Some(1020));
        assert_eq!(r[0].agent.as_deref(), Some("mai"));
        let b = badge(&day_one(), T - DAY_MS, T + DAY_MS, &|_, _| 0);
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
        let r = requests(&m, T, T + DAY_MS);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].answered_in_ms, Some(20 * MIN));
        let b = badge(&m, T, T + DAY_MS, &|_, _| 0);
        assert_eq!((b.counted, b.response_seconds), (1, Some(1)));
    }

    #[test]
    fn a_late_answer_is_no_answer_and_away_time_pauses_meta_s_clock() {
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + DAY_MS + MIN, Author::Agent("an".into())),
        ];
        assert_eq!(figures(&requests(&m, T, T + 1)).answered, 0);
        let m = vec![
            said("a", T, Author::Customer),
            said("a", T + 60 * MIN, Author::Page),
        ];
        let b = badge(&m, T, T + DAY_MS, &|from, to| (to - from).min(55 * MIN));
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
        let b = badge(&m, T, T + DAY_MS, &|_, _| 0);
        assert_eq!(
            (b.counted, b.answered, b.response_seconds),
            (10, 10, Some(120))
        );
        assert!(b.met);
    }
}
