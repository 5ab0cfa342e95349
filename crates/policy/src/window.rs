//! The standard messaging window and the human-agent window, from the customer's interactions.
//! This module is the one place that says how long they last: the engine, the outbox, the
//! inbox's badges and the API all ask [`stage`].

use jiff::{SignedDuration, Timestamp};

use crate::decision::Window;
use crate::scenario::Interaction;

pub const STANDARD: SignedDuration = SignedDuration::from_hours(24);
pub const HUMAN_AGENT: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The latest interaction that opens the window, whatever order they are listed in.
pub fn last_opening(interactions: &[Interaction]) -> Option<Timestamp> {
    interactions
        .iter()
        .filter(|i| i.kind.opens_window())
        .map(|i| i.at)
        .max()
}

/// Open while `now < last + 24h`; human agents may answer while `now < last + 7d`.
pub fn window(last_opening: Option<Timestamp>, now: Timestamp) -> Option<Window> {
    let last = last_opening?;
    let closes_at = last
        .saturating_add(STANDARD)
        .expect("a SignedDuration never fails to add");
    Some(Window {
        open: now < closes_at,
        closes_at,
        human_agent_until: last
            .saturating_add(HUMAN_AGENT)
            .expect("a SignedDuration never fails to add"),
    })
}

/// Where a contact stands at `now`: what may reach them without a token or template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Inside the 24-hour window: any message, sender actions included.
    Open { closes_at: Timestamp },
    /// After 24 hours, before 7 days: a person may answer with `HUMAN_AGENT`.
    HumanAgent { closes_at: Timestamp },
    /// Neither (or the customer never opened a conversation): templates and tokens only.
    Closed { closed_at: Option<Timestamp> },
}

impl Stage {
    pub fn is_open(&self) -> bool {
        matches!(self, Stage::Open { .. })
    }
}

/// The stage at `now` after the latest window-opening interaction at `last_opening`.
pub fn stage(last_opening: Option<Timestamp>, now: Timestamp) -> Stage {
    match window(last_opening, now) {
        None => Stage::Closed { closed_at: None },
        Some(w) if w.open => Stage::Open {
            closes_at: w.closes_at,
        },
        Some(w) if now < w.human_agent_until => Stage::HumanAgent {
            closes_at: w.human_agent_until,
        },
        Some(w) => Stage::Closed {
            closed_at: Some(w.human_agent_until),
        },
    }
}

/// "30 hours", "5 minutes", "3 days": how long ago, for explanations.
pub fn age(since: Timestamp, now: Timestamp) -> String {
    let secs = now.duration_since(since).as_secs().max(0);
    let (n, unit) = match secs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 48 * 3_600 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_follow_each_other() {
        let t: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let at = |h: i64| stage(Some(t), t + SignedDuration::from_hours(h));
        assert!(at(0).is_open());
        assert!(matches!(at(24), Stage::HumanAgent { .. }));
        assert!(matches!(at(7 * 24 - 1), Stage::HumanAgent { .. }));
        assert!(matches!(at(7 * 24), Stage::Closed { closed_at: Some(_) }));
        assert_eq!(stage(None, t), Stage::Closed { closed_at: None });
    }

    #[test]
    fn ages_read_naturally() {
        let t: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let ago = |secs: i64| age(t - SignedDuration::from_secs(secs), t);
        assert_eq!(
            (ago(59), ago(60), ago(7_200), ago(3 * 86_400)),
            (
                "0 minutes".into(),
                "1 minute".into(),
                "2 hours".into(),
                "3 days".into()
            )
        );
    }
}
