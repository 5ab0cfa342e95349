//! Times as agents read them: "3 min ago", "window: 22 h 41 min left".

use policy::window::{self, Stage};
use store::Time;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

pub fn ago(at: Time, now: Time) -> String {
    let d = (now.ms() - at.ms()).max(0);
    match d {
        d if d < MIN => "just now".into(),
        d if d < HOUR => format!("{} min ago", d / MIN),
        d if d < DAY => format!("{} h ago", d / HOUR),
        d => format!("{} d ago", d / DAY),
    }
}

pub fn left(ms: i64) -> String {
    match ms {
        ms if ms > DAY => format!("{} d {} h", ms / DAY, ms % DAY / HOUR),
        ms if ms >= HOUR => format!("{} h {} min", ms / HOUR, ms % HOUR / MIN),
        ms => format!("{} min", (ms / MIN).max(1)),
    }
}

/// Day and minute, UTC: `2026-11-23 14:05`.
pub fn date_time(at: Time) -> String {
    at.timestamp().strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The UTC day, `2026-11-23`.
pub fn date(at: Time) -> String {
    at.timestamp().strftime("%Y-%m-%d").to_string()
}

/// The contact's windows at `now`: (kind, label) for the badge. `kind` is `open`, `human`
/// (only `HUMAN_AGENT` reaches them) or `closed`. The policy says which stage it is.
pub fn window(
    last_interaction: Option<Time>,
    closed_at: Option<Time>,
    now: Time,
) -> (&'static str, String) {
    let opened = store::opened_at(last_interaction, closed_at);
    let until = |t: jiff::Timestamp| left(t.as_millisecond() - now.ms());
    match window::stage(opened.map(Time::timestamp), now.timestamp()) {
        Stage::Open { closes_at } => ("open", format!("window {} left", until(closes_at))),
        Stage::HumanAgent { closes_at } => {
            ("human", format!("HUMAN_AGENT {} left", until(closes_at)))
        }
        Stage::Closed { closed_at: Some(_) } => ("closed", "window closed".into()),
        Stage::Closed { closed_at: None } => ("closed", "no window".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_count_down() {
        let t = |ms: i64| Time::from_ms(ms);
        let now = 100 * DAY;
        assert_eq!(
            window(Some(t(now - HOUR)), None, t(now)),
            ("open", "window 23 h 0 min left".into())
        );
        assert_eq!(
            window(Some(t(now - 3 * DAY)), None, t(now)),
            ("human", "HUMAN_AGENT 4 d 0 h left".into())
        );
        assert_eq!(window(Some(t(now - 9 * DAY)), None, t(now)).0, "closed");
        assert_eq!(
            window(Some(t(now - HOUR)), Some(t(now - MIN)), t(now)).0,
            "closed"
        );
        assert_eq!(ago(t(now - 3 * MIN), t(now)), "3 min ago");
    }
}
