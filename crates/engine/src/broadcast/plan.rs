//! Planning a broadcast: for each contact of the segment, the first path `policy::decide`
//! allows, in the policy contract's order — inside the window (`UPDATE`); the approved utility
//! template the author picked (non-promotional content); a usable recurring-notification or
//! one-time token; an active marketing subscription (paid) — or why they are skipped.
//!
//! Pure over what it is given (contacts, the page's facts, `now`): the same plan is shown
//! before sending and written when sending. The text's promotional judgement is made once, not
//! per recipient (a first name does not change it).

use std::collections::BTreeMap;

use policy::scenario::{self as s, InteractionKind, Sender};
use policy::{Decision, Rule, Verdict};
use serde::Serialize;
use store::{AudienceRow, RecipientPath, Time};

use super::spec::BroadcastSpec;
use crate::audience::PageFacts;
use crate::scenario;

/// The plan's paths, in the contract's order, as the API names them.
pub const PATHS: [RecipientPath; 5] = [
    RecipientPath::Update,
    RecipientPath::Utility,
    RecipientPath::Notification,
    RecipientPath::OneTime,
    RecipientPath::Marketing,
];

/// What the plan decided for one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub path: RecipientPath,
    /// The allowing rule, or the skip reason.
    pub rule: Rule,
    pub explanation: String,
    /// The token the path uses (notification, one-time, marketing).
    pub token: Option<String>,
}

/// What a planner knows besides each contact.
pub struct Planner<'a> {
    pub page: s::Page,
    pub default_app: bool,
    pub spec: &'a BroadcastSpec,
    /// The author's template, with its review status, if they picked one.
    pub utility: Option<s::UtilityTemplate>,
    pub promotional: bool,
    pub facts: &'a PageFacts,
    pub now: Time,
}

/// Rules that stop every path: nothing else is tried.
fn stops_everything(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ContactOptedOut
            | Rule::ContactUnreachable
            | Rule::PageRestricted
            | Rule::ThreadOwnedByOtherApp
    )
}

impl Planner<'_> {
    /// The contact as the policy reads it, from their row and the page's facts.
    fn contact(&self, c: &AudienceRow) -> s::Contact {
        let opened = store::opened_at(c.last_interaction_at, c.window_closed_at);
        let tokens = self.facts.notification_tokens.get(&c.psid);
        s::Contact {
            psid: c.psid.clone(),
            interactions: opened
                .map(|at| s::Interaction {
                    kind: InteractionKind::Message,
                    at: at.timestamp(),
                })
                .into_iter()
                .collect(),
            one_time_tokens: self
                .facts
                .one_time_tokens
                .get(&c.psid)
                .map(|ts| ts.iter().map(scenario::one_time_token).collect())
                .unwrap_or_default(),
            notification_tokens: tokens
                .map(|ts| ts.iter().map(scenario::notification_token).collect())
                .unwrap_or_default(),
            comments: vec![],
            marketing_subscription: tokens
                .and_then(|ts| ts.last())
                .map(|t| scenario::marketing_subscription(t, self.now)),
            thread_owner: scenario::thread_owner(
                c.thread_owner.as_deref(),
                c.thread_owner_until,
                c.last_interaction_at,
                self.default_app,
                self.now,
            ),
            unreachable: c.unreachable,
            opted_out: c.opted_out,
            opted_out_at: c.opted_out_at.map(Time::timestamp),
            automated_sent_24h: 0,
        }
    }

    fn message(&self) -> s::Message {
        s::Message {
            sender: Sender::Broadcast,
            text: self.spec.text.pick(None).to_owned(),
            tag: None,
            one_time_token: None,
            notification_token: None,
            private_reply_to: None,
            utility_template: None,
            marketing_token: None,
            sender_action: None,
            promotional: Some(self.promotional),
        }
    }

    fn decide(&self, contact: &s::Contact, message: s::Message) -> Decision {
        policy::decide(&policy::Scenario {
            now: self.now.timestamp(),
            page: self.page.clone(),
            contact: contact.clone(),
            message,
        })
    }

    /// The first allowed path for `c`, or why there is none.
    pub fn plan(&self, c: &AudienceRow) -> Planned {
        let contact = self.contact(c);
        let allowed = |d: &Decision| d.verdict == Verdict::Allow;
        let planned = |path, d: Decision, token: Option<String>| Planned {
            path,
            rule: d.rule,
            explanation: d.explanation,
            token,
        };
        let window = self.decide(&contact, self.message());
        if allowed(&window) {
            return planned(RecipientPath::Update, window, None);
        }
        if stops_everything(window.rule) {
            return planned(RecipientPath::Skipped, window, None);
        }
        if let Some(template) = &self.utility {
            let d = self.decide(
                &contact,
                s::Message {
                    utility_template: Some(template.clone()),
                    ..self.message()
                },
            );
            if allowed(&d) {
                return planned(RecipientPath::Utility, d, None);
            }
        }
        let fits =
            |topic: &Option<String>, one_time| self.spec.fits_topic(topic.as_deref(), one_time);
        for t in contact
            .notification_tokens
            .iter()
            .filter(|t| fits(&t.topic, false))
        {
            let d = self.decide(
                &contact,
                s::Message {
                    notification_token: Some(t.token.clone()),
                    ..self.message()
                },
            );
            if allowed(&d) {
                return planned(RecipientPath::Notification, d, Some(t.token.clone()));
            }
        }
        for t in contact
            .one_time_tokens
            .iter()
            .filter(|t| !t.used && fits(&t.topic, true))
        {
            let d = self.decide(
                &contact,
                s::Message {
                    one_time_token: Some(t.token.clone()),
                    ..self.message()
                },
            );
            if allowed(&d) {
                return planned(RecipientPath::OneTime, d, Some(t.token.clone()));
            }
        }
        if let Some(sub) = &contact.marketing_subscription
            && self.page.marketing_messages
        {
            let d = self.decide(
                &contact,
                s::Message {
                    marketing_token: Some(sub.token.clone()),
                    ..self.message()
                },
            );
            let token = Some(sub.token.clone());
            if allowed(&d) {
                return planned(RecipientPath::Marketing, d, token);
            }
            // Why the paid path failed says more than "outside the window".
            return planned(RecipientPath::Skipped, d, token);
        }
        planned(RecipientPath::Skipped, window, None)
    }
}

/// A recipient shown before sending, with the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub psid: String,
    pub name: Option<String>,
    pub path: RecipientPath,
    pub rule: String,
    pub explanation: String,
}

/// The counts shown before sending and kept with the broadcast.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Summary {
    /// Contacts the plan looked at (the segment's).
    pub recipients: u64,
    /// Contacts of the page outside the segment.
    pub outside_segment: u64,
    /// Per path: `update`, `utility`, `notification`, `one_time`, `marketing`.
    pub paths: BTreeMap<String, u64>,
    /// Per skip reason (the policy's rule id).
    pub skipped: BTreeMap<String, u64>,
}

impl Summary {
    pub fn new() -> Summary {
        Summary {
            paths: PATHS.iter().map(|p| (p.as_str().to_owned(), 0)).collect(),
            ..Summary::default()
        }
    }

    pub fn count(&mut self, p: &Planned) {
        self.recipients += 1;
        match p.path {
            RecipientPath::Skipped => {
                *self.skipped.entry(p.rule.as_str().to_owned()).or_default() += 1
            }
            path => *self.paths.entry(path.as_str().to_owned()).or_default() += 1,
        }
    }

    pub fn reached(&self) -> u64 {
        self.paths.values().sum()
    }

    pub fn marketing(&self) -> u64 {
        self.paths.get("marketing").copied().unwrap_or(0)
    }
}

/// Up to five recipients, a different path or reason each where there are five.
#[derive(Debug, Default)]
pub struct Samples(pub Vec<Sample>);

impl Samples {
    pub const MAX: usize = 5;

    pub fn offer(&mut self, c: &AudienceRow, p: &Planned) {
        let rule = p.rule.as_str();
        let new_kind = !self.0.iter().any(|s| s.path == p.path && s.rule == rule);
        if self.0.len() < Self::MAX && new_kind {
            self.0.push(sample(c, p));
        }
    }

    /// Fills up to five with recipients of kinds already shown.
    pub fn fill(&mut self, c: &AudienceRow, p: &Planned) {
        if self.0.len() < Self::MAX && !self.0.iter().any(|s| s.psid == c.psid) {
            self.0.push(sample(c, p));
        }
    }
}

fn sample(c: &AudienceRow, p: &Planned) -> Sample {
    Sample {
        psid: c.psid.clone(),
        name: store::Profile {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            ..store::Profile::default()
        }
        .display_name(),
        path: p.path,
        rule: p.rule.as_str().to_owned(),
        explanation: p.explanation.clone(),
    }
}
