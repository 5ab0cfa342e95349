//! The badge each conversation wears: what the agent may send now, in their words — "Reply
//! freely · 3 h left", "Agent reply only · 3 d left", "Only templates" — with a tooltip that
//! explains the rule. The policy says which stage the customer is in.

use i18n::Tr;
use policy::window::{self, Stage};
use store::Time;

pub struct Badge {
    /// `open`, `human` (only a person with the human agent tag) or `closed`: the CSS class.
    pub kind: &'static str,
    pub label: String,
    pub tip: String,
}

pub fn badge(tr: &Tr, last_interaction: Option<Time>, closed_at: Option<Time>, now: Time) -> Badge {
    let opened = store::opened_at(last_interaction, closed_at);
    let left = |t: jiff::Timestamp| tr.left(t.as_millisecond() - now.ms());
    let until = |t: jiff::Timestamp| tr.when(t, now.timestamp());
    match window::stage(opened.map(Time::timestamp), now.timestamp()) {
        Stage::Open { closes_at } => Badge {
            kind: "open",
            label: tr.t1("badge-open", "left", left(closes_at)),
            tip: tr.t1("badge-open-tip", "until", until(closes_at)),
        },
        Stage::HumanAgent { closes_at } => Badge {
            kind: "human",
            label: tr.t1("badge-human", "left", left(closes_at)),
            tip: tr.t1("badge-human-tip", "until", until(closes_at)),
        },
        Stage::Closed { closed_at: Some(_) } => Badge {
            kind: "closed",
            label: tr.t("badge-closed"),
            tip: tr.t("badge-closed-tip"),
        },
        Stage::Closed { closed_at: None } => Badge {
            kind: "closed",
            label: tr.t("badge-none"),
            tip: tr.t("badge-none-tip"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;

    const MIN: i64 = 60_000;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;

    #[test]
    fn badges_say_what_may_be_sent_and_count_down() {
        let t = |ms: i64| Time::from_ms(ms);
        let now = 20_000 * DAY;
        let en = Tr::new(Lang::En);
        let b = badge(&en, Some(t(now - HOUR)), None, t(now));
        assert_eq!(
            (b.kind, b.label.as_str()),
            ("open", "Reply freely · 23 h 0 min left")
        );
        let b = badge(&en, Some(t(now - 3 * DAY)), None, t(now));
        assert_eq!(
            (b.kind, b.label.as_str()),
            ("human", "Agent reply only · 4 d 0 h left")
        );
        assert!(b.tip.contains("human agent tag"));
        assert_eq!(
            badge(&en, Some(t(now - 9 * DAY)), None, t(now)).label,
            "Only templates"
        );
        assert_eq!(badge(&en, None, None, t(now)).label, "Has not written");
        let vi = Tr::new(Lang::Vi);
        assert_eq!(
            badge(&vi, Some(t(now - HOUR)), None, t(now)).label,
            "Trả lời tự do · còn 23 giờ 0 phút"
        );
    }
}
