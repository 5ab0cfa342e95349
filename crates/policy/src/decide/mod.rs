//! The rules, in the contract's order: the first that decides wins. [`decide`] gathers the
//! facts once ([`Facts`]); each group of rules lives in its own file: who may be written to at
//! all (here), tokens and paid marketing messages ([`tokens`]), utility templates and tags
//! ([`tags`]), the window and sender actions ([`window_rules`]), and what else could be done
//! ([`alternatives`]).

mod alternatives;
mod tags;
mod tokens;
mod window_rules;

pub use tokens::{notification_token_usable, one_time_token_usable};

use jiff::{SignedDuration, Timestamp};
use messenger::{MessageTag, MessagingType};

use crate::catalogue::Rules;
use crate::decision::*;
use crate::promo::{self, Match};
use crate::scenario::*;
use crate::window::{self, age};

enum Outcome {
    Allow(Rule, String, Send),
    Deny(Rule, String),
}

/// Everything the rules look at, computed once.
struct Facts<'a> {
    s: &'a Scenario,
    now: Timestamp,
    rules: Rules,
    last_opening: Option<Timestamp>,
    window: Option<Window>,
    promotional: bool,
    matches: Vec<Match>,
}

/// Judges one message. Pure and deterministic: `now` comes from the scenario.
pub fn decide(s: &Scenario) -> Decision {
    let now = s.now;
    let last_opening = window::last_opening(&s.contact.interactions);
    // A sender action carries no text to judge.
    let matches = match s.message.sender_action {
        Some(_) => vec![],
        None => promo::detect(&s.message.text, &s.page.allowed_domains),
    };
    let facts = Facts {
        s,
        now,
        rules: Rules::at(now),
        last_opening,
        window: window::window(last_opening, now),
        promotional: s.message.sender_action.is_none()
            && s.message.promotional.unwrap_or(!matches.is_empty()),
        matches,
    };
    let outcome = facts.judge();
    let (verdict, rule, explanation, send) = match outcome {
        Outcome::Allow(rule, why, send) => (Verdict::Allow, rule, why, Some(send)),
        Outcome::Deny(rule, why) => (Verdict::Deny, rule, why, None),
    };
    let alternatives = match verdict {
        Verdict::Allow => vec![],
        Verdict::Deny => facts.alternatives(rule),
    };
    Decision {
        verdict,
        rule,
        explanation,
        window: facts.window,
        send,
        alternatives,
        warnings: facts.warnings(),
        matched: if facts.promotional {
            facts.matches
        } else {
            vec![]
        },
    }
}

/// An empty scenario: what token rules need besides the token is only the rules at `now`.
static NO_SCENARIO: std::sync::LazyLock<Scenario> = std::sync::LazyLock::new(|| Scenario {
    now: Timestamp::UNIX_EPOCH,
    page: Page::default(),
    contact: Contact::default(),
    message: Message::default(),
});

impl Facts<'static> {
    fn for_tokens(now: Timestamp) -> Facts<'static> {
        Facts {
            s: &NO_SCENARIO,
            now,
            rules: Rules::at(now),
            last_opening: None,
            window: None,
            promotional: false,
            matches: vec![],
        }
    }
}

impl Facts<'_> {
    fn judge(&self) -> Outcome {
        let m = &self.s.message;
        if let Some(denied) = self.who_may_be_written_to() {
            return denied;
        }
        if let Some(comment_id) = &m.private_reply_to {
            return self.private_reply(comment_id);
        }
        if let Some(token) = &m.one_time_token {
            return self.one_time_token(token);
        }
        if let Some(token) = &m.notification_token {
            return self.notification_token(token);
        }
        if let Some(token) = &m.marketing_token {
            return self.marketing(token);
        }
        if let Some(template) = &m.utility_template {
            return self.utility(template);
        }
        match (&m.tag, m.sender_action) {
            (Some(RequestedTag::Unknown(name)), _) => Outcome::Deny(
                Rule::TagUnknown,
                format!(
                    "`{name}` is not a Messenger message tag. Tags in force now: {}.",
                    self.tags_in_force().join(", ")
                ),
            ),
            (Some(RequestedTag::Known(tag)), _) => self.tag(*tag),
            (None, Some(action)) => self.sender_action(action),
            (None, None) => self.standard_window(),
        }
    }

    /// Rules 1 to 3b: nothing reaches a customer who opted out, cannot be reached, from a
    /// restricted page, or in a thread another app controls.
    fn who_may_be_written_to(&self) -> Option<Outcome> {
        let (c, m, p) = (&self.s.contact, &self.s.message, &self.s.page);
        if c.opted_out && !self.wrote_after_opting_out() {
            let why = if m.sender == Sender::HumanAgent {
                "The customer asked to stop receiving messages from this page and has not written since; a person may answer once they write again."
            } else {
                "The customer asked to stop receiving messages from this page; automated, broadcast and API messages stay stopped until they write START."
            };
            return Some(Outcome::Deny(Rule::ContactOptedOut, why.into()));
        }
        if c.unreachable {
            return Some(Outcome::Deny(
                Rule::ContactUnreachable,
                "Messenger reported this person unavailable (error 551: they blocked the page or left Messenger) and they have not written since.".into(),
            ));
        }
        if let Some(until) = p.restricted_until.filter(|u| self.now < *u) {
            return Some(Outcome::Deny(
                Rule::PageRestricted,
                format!("Meta has restricted this page from sending messages until {until}."),
            ));
        }
        if let Some(app) = &c.thread_owner {
            return Some(Outcome::Deny(
                Rule::ThreadOwnedByOtherApp,
                format!(
                    "Another app ({}) controls this conversation; Meta refuses sends from any other app (error 10/2018300). Take control of the thread first.",
                    app_name(app)
                ),
            ));
        }
        None
    }

    /// A person may answer a customer who opted out if the customer wrote again afterwards.
    /// Without a date for the opt-out nothing counts as coming after it.
    fn wrote_after_opting_out(&self) -> bool {
        let c = &self.s.contact;
        self.s.message.sender == Sender::HumanAgent
            && c.opted_out_at
                .is_some_and(|out| self.last_opening.is_some_and(|l| l > out))
    }

    fn private_reply(&self, comment_id: &str) -> Outcome {
        let Some(comment) = self
            .s
            .contact
            .comments
            .iter()
            .find(|c| c.comment_id == comment_id)
        else {
            return Outcome::Deny(
                Rule::CommentUnknown,
                format!("Comment `{comment_id}` is not a known comment by this customer."),
            );
        };
        if comment.private_reply_sent {
            return Outcome::Deny(
                Rule::PrivateReplyUsed,
                format!("Comment `{comment_id}` already received its one private reply."),
            );
        }
        if self.now >= after(comment.at, PRIVATE_REPLY_LIMIT) {
            return Outcome::Deny(
                Rule::PrivateReplyExpired,
                format!(
                    "Comment `{comment_id}` was made {} ago; a private reply is possible for 7 days.",
                    age(comment.at, self.now)
                ),
            );
        }
        Outcome::Allow(
            Rule::PrivateReply,
            format!(
                "One private reply to comment `{comment_id}` (made {} ago) is allowed within 7 days; the conversation opens when the customer answers.",
                age(comment.at, self.now)
            ),
            Send {
                messaging_type: MessagingType::Response,
                tag: None,
                recipient: Recipient::CommentId(comment_id.to_owned()),
            },
        )
    }

    fn send_to_psid(&self, messaging_type: MessagingType, tag: Option<MessageTag>) -> Send {
        Send {
            messaging_type,
            tag,
            recipient: Recipient::Id(self.s.contact.psid.clone()),
        }
    }

    fn since_last(&self) -> String {
        self.last_opening
            .map(|t| age(t, self.now))
            .unwrap_or_default()
    }

    fn matched_suffix(&self) -> String {
        if self.matches.is_empty() {
            " (the sender declared it promotional)".into()
        } else {
            format!(
                "; the text contains: {}",
                self.matches
                    .iter()
                    .map(|m| format!("\"{}\"", m.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

const PRIVATE_REPLY_LIMIT: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The apps Meta runs itself, by name; others by id (`unknown` and `default_app` are what a
/// caller passes when it knows only that some app, or the Page's default app, has the thread).
fn app_name(app_id: &str) -> String {
    match app_id {
        "263902037430900" => "Meta Business Suite inbox".into(),
        "413038776280800" => "Meta's lead-ads app".into(),
        "unknown" | "" => "another app".into(),
        "default_app" => "the Page's default app".into(),
        other => format!("app {other}"),
    }
}

fn after(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.saturating_add(d)
        .expect("a SignedDuration never fails to add")
}

fn sender_name(s: Sender) -> &'static str {
    match s {
        Sender::Bot => "automated (bot)",
        Sender::HumanAgent => "person-typed",
        Sender::Broadcast => "broadcast",
        Sender::Api => "API",
    }
}
