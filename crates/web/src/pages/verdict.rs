//! The policy's verdict as an agent reads it: can it be sent, and as what; if not, why in plain
//! words (local times, no rule ids; the rule and the policy's own explanation stay in a
//! detail), and the alternatives as buttons that set the composer.

use askama::Template;
use i18n::Tr;
use policy::decision::Alternative;
use policy::{Decision, Verdict};
use store::Time;

use super::thread::mask_tokens;

/// An alternative the agent can pick: it sets a composer field.
pub struct Pick {
    pub label: String,
    /// `tag`, `mode` or `token`; empty when it is advice only.
    pub field: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "verdict.html")]
pub struct VerdictView {
    pub tr: Tr,
    pub allowed: bool,
    /// The message was just sent (the composer clears).
    pub sent: bool,
    pub title: String,
    pub why: String,
    pub how: String,
    pub rule: String,
    pub detail: String,
    pub alternatives: Vec<Pick>,
    pub matched: Vec<String>,
    pub preview: Option<String>,
}

/// The rule's title in the reader's language (`outside_window` → "Outside the 24-hour
/// window"); an id the catalogue does not know stays as it is.
pub fn rule_title(tr: &Tr, rule: &str) -> String {
    let id = format!("rule-{rule}");
    match i18n::strict(tr.lang(), &id, &[]) {
        Some(_) => tr.t(&id),
        None => rule.to_owned(),
    }
}

impl VerdictView {
    pub fn of(tr: Tr, d: &Decision, preview: Option<String>, now: Time) -> VerdictView {
        let at = |t: Option<jiff::Timestamp>| {
            t.map(|t| tr.when(t, now.timestamp()))
                .unwrap_or_else(|| "–".into())
        };
        let rule = d.rule.as_str();
        let why = tr.t2(
            &format!("rule-{rule}-why"),
            "closes",
            at(d.window.map(|w| w.closes_at)),
            "human",
            at(d.window.map(|w| w.human_agent_until)),
        );
        let how = d
            .send
            .as_ref()
            .map(|s| {
                let how = match s.tag {
                    Some(messenger::MessageTag::HumanAgent) => tr.t("how-human-agent"),
                    Some(tag) => tr.t1("how-tag", "tag", tag.to_string()),
                    None if d.rule == policy::Rule::UtilityTemplate => tr.t("how-utility"),
                    None if d.rule == policy::Rule::OneTimeToken => tr.t("how-one-time"),
                    None if d.rule == policy::Rule::NotificationToken => tr.t("how-recurring"),
                    None => tr.t("how-response"),
                };
                tr.t1("verdict-how", "how", how)
            })
            .unwrap_or_default();
        VerdictView {
            allowed: d.verdict == Verdict::Allow,
            sent: false,
            title: rule_title(&tr, rule),
            why,
            how,
            rule: rule.to_owned(),
            detail: mask_tokens(&d.explanation),
            alternatives: d.alternatives.iter().map(|a| pick(&tr, a)).collect(),
            matched: d.matched.iter().map(|m| m.text.clone()).collect(),
            preview,
            tr,
        }
    }
}

fn pick(tr: &Tr, a: &Alternative) -> Pick {
    let advice = |id: &str| Pick {
        label: tr.t(id),
        field: "",
        value: String::new(),
    };
    match a {
        Alternative::Tag { tag } => Pick {
            label: match tag {
                messenger::MessageTag::HumanAgent => tr.t("alt-tag-human-agent"),
                other => tr.t1("alt-tag", "tag", other.to_string()),
            },
            field: "tag",
            value: tag.to_string(),
        },
        Alternative::UtilityTemplate => Pick {
            label: tr.t("alt-utility"),
            field: "mode",
            value: "template".into(),
        },
        Alternative::OneTimeToken { token } => Pick {
            label: tr.t("alt-one-time"),
            field: "token",
            value: format!("otn:{token}"),
        },
        Alternative::NotificationToken { token } => Pick {
            label: tr.t("alt-recurring"),
            field: "token",
            value: format!("rn:{token}"),
        },
        Alternative::MarketingMessage { .. } => advice("alt-marketing"),
        Alternative::SponsoredMessage => advice("alt-sponsored"),
        Alternative::TakeThreadControl => advice("alt-take-over"),
        Alternative::WaitForCustomer => advice("alt-wait"),
    }
}
