//! What answers a customer's message, decided from the document and what the store knows about
//! the customer, with `now` given (so every rule is tested without a clock or a database):
//!
//! * nothing answers a message older than `guards.max_age`, a paused customer (an agent, a
//!   request for a person, another app's thread), an opted-out one, or one an agent wrote to
//!   within `guards.after_agent`;
//! * a request for a person (the handover payload, or the words in five languages) is answered
//!   with the handover text alone, and the caller pauses automations;
//! * inside opening hours the instant reply answers a first message (again after
//!   `regreet_after`); outside them the away message takes its place, once per closed period;
//! * then the first keyword rule that matches answers, once per message;
//! * a disclosure line goes first when a law asks for one.
//!
//! Texts that are Fenestra's own (the default greeting, handover and disclosure) are picked by
//! the caller in the customer's language: the plan names them.

use std::time::Duration;

use jiff::Timestamp;

use crate::document::{Attachment, Automations, Button, HUMAN, QuickReply};
use crate::matching::Message;

/// A customer's message or tap.
#[derive(Debug, Clone, Default)]
pub struct Incoming<'a> {
    pub text: Option<&'a str>,
    /// A quick reply's or a postback's payload.
    pub payload: Option<&'a str>,
    pub at: Timestamp,
    /// The customer's Messenger locale (`vi_VN`).
    pub locale: Option<&'a str>,
}

/// What the store knows about the customer, as of the message.
#[derive(Debug, Clone, Default)]
pub struct Customer {
    pub last_greeted_at: Option<Timestamp>,
    pub last_away_at: Option<Timestamp>,
    /// The last message any automation sent them.
    pub last_automated_at: Option<Timestamp>,
    /// The last message a person on the team sent them (from Fenestra or Meta's inbox).
    pub last_agent_at: Option<Timestamp>,
    /// Automations are paused for them (by an agent, by their asking for a person, or while
    /// another app controls the thread).
    pub paused: bool,
    pub opted_out: bool,
}

/// One message to send, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The disclosure text, or Fenestra's own when `None`.
    Disclosure(Option<String>),
    /// The instant reply's text (before `{{first_name}}` is filled), or Fenestra's own.
    Greeting(Option<String>),
    Away(String),
    Keyword {
        /// Which rule (its index in `keywords`).
        rule: usize,
        text: String,
        /// `(title, payload)` in the customer's language.
        quick_replies: Vec<(String, String)>,
        /// Titles in the customer's language.
        buttons: Vec<PlannedButton>,
        attachment: Option<Attachment>,
        cards: Vec<PlannedCard>,
    },
    /// The customer asked for a person: pause automations and tell them (text, or
    /// Fenestra's own).
    Handover(Option<String>),
}

impl Answer {
    /// The automation's name, as the outbox's actor and the thread's "Auto: …" show it.
    pub fn automation(&self) -> &'static str {
        match self {
            Answer::Disclosure(_) => "disclosure",
            Answer::Greeting(_) => "instant_reply",
            Answer::Away(_) => "away",
            Answer::Keyword { .. } => "keyword",
            Answer::Handover(_) => "handover",
        }
    }
}

impl Answer {
    /// `reply` in the customer's language, as keyword rule number `rule` (comment rules answer
    /// privately this way too).
    pub fn keyword(rule: usize, reply: &crate::document::Reply, locale: Option<&str>) -> Answer {
        Answer::Keyword {
            rule,
            text: reply.text.pick(locale).to_owned(),
            quick_replies: reply
                .quick_replies
                .0
                .iter()
                .map(|q: &QuickReply| (q.title.pick(locale).to_owned(), q.payload.to_string()))
                .collect(),
            buttons: reply
                .buttons
                .0
                .iter()
                .map(|b| PlannedButton::of(b, locale))
                .collect(),
            attachment: reply.attachment.clone(),
            cards: reply
                .cards
                .0
                .iter()
                .map(|c| PlannedCard::of(c, locale))
                .collect(),
        }
    }
}

/// A button as sent, its title in the customer's language (the engine sends people's buttons
/// as these too).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PlannedButton {
    Postback { title: String, payload: String },
    WebUrl { title: String, url: String },
}

/// A carousel card in the customer's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedCard {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<PlannedButton>,
}

impl PlannedCard {
    pub fn of(c: &crate::document::Card, locale: Option<&str>) -> PlannedCard {
        PlannedCard {
            title: c.title.pick(locale).to_owned(),
            subtitle: c.subtitle.as_ref().map(|s| s.pick(locale).to_owned()),
            image_url: c.image_url.clone(),
            buttons: c
                .buttons
                .0
                .iter()
                .map(|b| PlannedButton::of(b, locale))
                .collect(),
        }
    }
}

impl PlannedButton {
    pub fn title(&self) -> &str {
        match self {
            PlannedButton::Postback { title, .. } | PlannedButton::WebUrl { title, .. } => title,
        }
    }

    pub fn of(b: &Button, locale: Option<&str>) -> PlannedButton {
        match b {
            Button::Postback { title, payload } => PlannedButton::Postback {
                title: title.pick(locale).to_owned(),
                payload: payload.to_string(),
            },
            Button::WebUrl { title, url } => PlannedButton::WebUrl {
                title: title.pick(locale).to_owned(),
                url: url.clone(),
            },
        }
    }
}

/// Why nothing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quiet {
    TooOld,
    Paused,
    OptedOut,
    AgentWrote,
    /// Nothing in the document applies.
    NothingToSay,
}

/// Words that ask for a person, in the five languages (whole words, as keywords match).
const ASK_FOR_PERSON: &[&str] = &[
    "talk to a person",
    "talk to a human",
    "speak to a person",
    "real person",
    "nói chuyện với nhân viên",
    "gặp nhân viên",
    "gặp người thật",
    "التحدث مع شخص",
    "التحدث مع موظف",
    "bercakap dengan orang",
    "cakap dengan orang",
    "parlare con una persona",
    "parla con una persona",
    "parlare con un operatore",
];

/// Whether automations may answer at all (flows too): not a message older than
/// `guards.max_age`, not an opted-out or paused customer, not one an agent just wrote to.
pub fn guard(
    doc: &Automations,
    m: &Incoming<'_>,
    customer: &Customer,
    now: Timestamp,
) -> Result<(), Quiet> {
    let age = now.duration_since(m.at);
    if age > jiff::SignedDuration::try_from(doc.guards.max_age.duration()).unwrap_or_default() {
        return Err(Quiet::TooOld);
    }
    if customer.opted_out {
        return Err(Quiet::OptedOut);
    }
    if customer.paused {
        return Err(Quiet::Paused);
    }
    if customer
        .last_agent_at
        .is_some_and(|t| within(t, m.at, doc.guards.after_agent.duration()))
    {
        return Err(Quiet::AgentWrote);
    }
    Ok(())
}

/// The customer asks for a person: the handover payload, or the words in five languages.
pub fn asks_for_person(doc: &Automations, m: &Incoming<'_>) -> bool {
    let words = m.text.map(Message::new);
    let handover_payload = doc.handover.as_ref().map_or(HUMAN, |h| h.payload.as_str());
    m.payload == Some(handover_payload)
        || ASK_FOR_PERSON
            .iter()
            .any(|w| words.as_ref().is_some_and(|msg| msg.says(w)))
}

pub fn plan(
    doc: &Automations,
    m: &Incoming<'_>,
    customer: &Customer,
    now: Timestamp,
) -> Result<Vec<Answer>, Quiet> {
    guard(doc, m, customer, now)?;
    let words = m.text.map(Message::new);
    let says = |w: &str| words.as_ref().is_some_and(|msg| msg.says(w));

    let mut answers = Vec::new();
    if asks_for_person(doc, m) {
        let text = doc
            .handover
            .as_ref()
            .and_then(|h| h.text.as_ref())
            .map(|t| t.pick(m.locale).to_owned());
        answers.push(Answer::Handover(text));
    } else {
        let away = doc
            .away
            .as_ref()
            .filter(|a| a.enabled && !a.schedule().is_open(m.at));
        if let Some(away) = away {
            let since = away.schedule().closed_since(m.at);
            if customer.last_away_at.is_none_or(|t| t < since) {
                answers.push(Answer::Away(away.text.pick(m.locale).to_owned()));
            }
        } else if let Some(greet) = doc.instant_reply.as_ref().filter(|g| g.enabled) {
            let again = match (customer.last_greeted_at, &greet.regreet_after) {
                (None, _) => true,
                (Some(t), Some(after)) => !within(t, m.at, after.duration()),
                (Some(_), None) => false,
            };
            if again {
                let text = greet.text.as_ref().map(|t| t.pick(m.locale).to_owned());
                answers.push(Answer::Greeting(text));
            }
        }
        let rule = doc.keywords.iter().position(|r| {
            m.payload
                .is_some_and(|p| r.payloads.iter().any(|q| q.as_str() == p))
                || r.words.iter().any(|w| says(w.as_str()))
        });
        if let Some(i) = rule {
            answers.push(Answer::keyword(i, &doc.keywords[i].reply, m.locale));
        }
    }
    if answers.is_empty() {
        return Err(Quiet::NothingToSay);
    }
    if let Some(d) = doc.disclosure.as_ref().filter(|d| d.enabled) {
        let lapsed = customer
            .last_automated_at
            .is_none_or(|t| !within(t, m.at, d.lapse.duration()));
        let back_from_a_person = match (customer.last_agent_at, customer.last_automated_at) {
            (Some(agent), Some(bot)) => agent > bot,
            _ => false,
        };
        if lapsed || back_from_a_person {
            let text = d.text.as_ref().map(|t| t.pick(m.locale).to_owned());
            answers.insert(0, Answer::Disclosure(text));
        }
    }
    Ok(answers)
}

/// Whether `earlier` is less than `span` before `at`.
fn within(earlier: Timestamp, at: Timestamp, span: Duration) -> bool {
    at.duration_since(earlier) < jiff::SignedDuration::try_from(span).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Automations {
        crate::parse(include_str!("../tests/fixtures/shop.yaml")).unwrap()
    }

    /// Local Ho Chi Minh City time.
    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap())
            .unwrap()
            .timestamp()
    }

    fn msg<'a>(text: &'a str, when: &str) -> Incoming<'a> {
        Incoming {
            text: Some(text),
            at: at(when),
            locale: Some("vi_VN"),
            ..Incoming::default()
        }
    }

    const SUNDAY: &str = "2026-11-29T20:00";
    const MONDAY: &str = "2026-11-30T10:00";

    #[test]
    fn outside_hours_the_away_message_and_the_keyword_answer_no_greeting() {
        let m = msg("cho em hỏi giá", SUNDAY);
        let answers = plan(&shop(), &m, &Customer::default(), m.at).unwrap();
        assert_eq!(
            answers,
            vec![
                Answer::Away("Shop đang nghỉ, sẽ trả lời từ 9:00.".into()),
                Answer::Keyword {
                    rule: 0,
                    text: "Our price list: https://shop.example.com/prices".into(),
                    quick_replies: vec![("Talk to a person".into(), "HUMAN".into())],
                    buttons: vec![],
                    attachment: None,
                    cards: vec![],
                }
            ]
        );
        // Once per closed period: later that night only the keyword answers; after the next
        // closing, away again.
        let told = Customer {
            last_away_at: Some(m.at),
            ..Customer::default()
        };
        let later = msg("giá?", "2026-11-30T07:00");
        let answers = plan(&shop(), &later, &told, later.at).unwrap();
        assert!(matches!(answers.as_slice(), [Answer::Keyword { .. }]));
        let next_night = msg("alo", "2026-11-30T19:00");
        assert!(matches!(
            plan(&shop(), &next_night, &told, next_night.at).unwrap()[..],
            [Answer::Away(_)]
        ));
    }

    #[test]
    fn inside_hours_the_greeting_once_per_regreet_period_then_keywords() {
        let mut doc = shop();
        doc.away = None;
        let m = msg("GIA ao nay", MONDAY);
        let answers = plan(&doc, &m, &Customer::default(), m.at).unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(
            answers[0],
            Answer::Greeting(Some("Chào {{first_name}}, cảm ơn bạn đã nhắn tin!".into()))
        );
        let greeted = Customer {
            last_greeted_at: Some(m.at),
            ..Customer::default()
        };
        let again = msg("alo", "2026-12-01T10:00");
        assert_eq!(
            plan(&doc, &again, &greeted, again.at),
            Err(Quiet::NothingToSay)
        );
        let week_later = msg("alo", "2026-12-07T10:00");
        assert!(matches!(
            plan(&doc, &week_later, &greeted, week_later.at).unwrap()[..],
            [Answer::Greeting(_)]
        ));
    }

    #[test]
    fn guards_keep_automations_quiet() {
        let m = msg("giá", MONDAY);
        let doc = shop();
        let late = m.at + jiff::SignedDuration::from_mins(16);
        assert_eq!(
            plan(&doc, &m, &Customer::default(), late),
            Err(Quiet::TooOld)
        );
        let ok = m.at + jiff::SignedDuration::from_mins(14);
        assert!(plan(&doc, &m, &Customer::default(), ok).is_ok());
        let paused = Customer {
            paused: true,
            ..Customer::default()
        };
        assert_eq!(plan(&doc, &m, &paused, m.at), Err(Quiet::Paused));
        let out = Customer {
            opted_out: true,
            ..Customer::default()
        };
        assert_eq!(plan(&doc, &m, &out, m.at), Err(Quiet::OptedOut));
        let agent = Customer {
            last_agent_at: Some(m.at - jiff::SignedDuration::from_mins(29)),
            ..Customer::default()
        };
        assert_eq!(plan(&doc, &m, &agent, m.at), Err(Quiet::AgentWrote));
        let agent_earlier = Customer {
            last_agent_at: Some(m.at - jiff::SignedDuration::from_mins(31)),
            ..Customer::default()
        };
        assert!(plan(&doc, &m, &agent_earlier, m.at).is_ok());
    }

    #[test]
    fn asking_for_a_person_is_the_only_answer() {
        let doc = shop();
        let tap = Incoming {
            text: Some("Talk to a person"),
            payload: Some("HUMAN"),
            at: at(MONDAY),
            locale: None,
        };
        assert_eq!(
            plan(&doc, &tap, &Customer::default(), tap.at),
            Ok(vec![Answer::Handover(None)])
        );
        for words in [
            "cho em gặp nhân viên",
            "posso parlare con una persona?",
            "أريد التحدث مع موظف",
        ] {
            let m = msg(words, MONDAY);
            assert_eq!(
                plan(&doc, &m, &Customer::default(), m.at),
                Ok(vec![Answer::Handover(None)]),
                "{words}"
            );
        }
    }

    #[test]
    fn payloads_answer_taps() {
        let doc = crate::parse(
            "keywords:\n  - payloads: [ORDER_STATUS]\n    reply: {text: Tell us your order number}\n",
        )
        .unwrap();
        let tap = Incoming {
            text: Some("Is my order on its way?"),
            payload: Some("ORDER_STATUS"),
            at: at(MONDAY),
            locale: None,
        };
        assert!(matches!(
            plan(&doc, &tap, &Customer::default(), tap.at).unwrap()[..],
            [Answer::Keyword { rule: 0, .. }]
        ));
    }

    #[test]
    fn the_disclosure_opens_an_exchange_and_follows_a_person() {
        let mut doc = shop();
        doc.away = None;
        doc.disclosure = crate::parse("disclosure: {}").unwrap().disclosure;
        let m = msg("giá", MONDAY);
        let first = plan(&doc, &m, &Customer::default(), m.at).unwrap();
        assert_eq!(first[0], Answer::Disclosure(None));
        let recent_bot = Customer {
            last_greeted_at: Some(m.at),
            last_automated_at: Some(m.at - jiff::SignedDuration::from_hours(1)),
            ..Customer::default()
        };
        assert!(!matches!(
            plan(&doc, &m, &recent_bot, m.at).unwrap()[0],
            Answer::Disclosure(_)
        ));
        let person_between = Customer {
            last_agent_at: Some(m.at - jiff::SignedDuration::from_mins(45)),
            ..recent_bot
        };
        assert_eq!(
            plan(&doc, &m, &person_between, m.at).unwrap()[0],
            Answer::Disclosure(None)
        );
    }
}
