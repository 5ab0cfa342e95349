//! Times as agents read them: "3 min ago", "window: 22 h 41 min left".

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

pub fn ago(at: i64, now: i64) -> String {
    let d = (now - at).max(0);
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

/// The UTC day, `2026-11-23`.
pub fn date(at: i64) -> String {
    jiff::Timestamp::from_millisecond(at)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The contact's windows at `now`: (kind, label) for the badge. `kind` is `open`, `human`
/// (only `HUMAN_AGENT` reaches them) or `closed`.
pub fn window(
    last_interaction: Option<i64>,
    closed_at: Option<i64>,
    now: i64,
) -> (&'static str, String) {
    let opened = last_interaction.filter(|at| closed_at.is_none_or(|c| *at > c));
    match opened {
        Some(at) if now < at + DAY => ("open", format!("window {} left", left(at + DAY - now))),
        Some(at) if now < at + 7 * DAY => (
            "human",
            format!("HUMAN_AGENT {} left", left(at + 7 * DAY - now)),
        ),
        Some(_) => ("closed", "window closed".into()),
        None => ("closed", "no window".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_count_down() {
        let now = 100 * DAY;
        assert_eq!(
            window(Some(now - HOUR), None, now),
            ("open", "window 23 h 0 min left".into())
        );
        assert_eq!(
            window(Some(now - 3 * DAY), None, now),
            ("human", "HUMAN_AGENT 4 d 0 h left".into())
        );
        assert_eq!(window(Some(now - 9 * DAY), None, now).0, "closed");
        assert_eq!(window(Some(now - HOUR), Some(now - MIN), now).0, "closed");
        assert_eq!(ago(now - 3 * MIN, now), "3 min ago");
    }
}
