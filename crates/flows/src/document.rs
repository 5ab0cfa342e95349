//! A Page's flows as an admin writes them. Each flow has a trigger and named steps; a step does
//! one thing (send, ask, branch, labels, wait, handover) and says where to go next (`next`;
//! none ends the flow) and, where it can fail, where to go then (`on_error`; by default a hand
//! over to a person).
//!
//! ```yaml
//! flows:
//!   - name: booking
//!     trigger: {payloads: [GET_STARTED], match: [book, đặt lịch]}
//!     start: service
//!     steps:
//!       service:
//!         ask: {text: {default: "Which service?"}, save: service, expect: choice,
//!               choices: [{title: {default: Haircut}, value: cut}]}
//!         next: thanks
//!       thanks:
//!         send: {text: {default: "Thanks {{first_name}}, see you soon!"}}
//! ```

use std::collections::BTreeMap;

use automations::document::Reply;
use automations::values::{Bounded, Limited, Payload, Period, Texts};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flows {
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Services, staff and rooms for `book` steps, and the reminder before appointments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<crate::booking::Booking>,
    /// What `call` steps may reach besides public HTTPS addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<Calls>,
}

/// Hosts, addresses or ranges (`192.168.1.0/24`) on the shop's own network that `call` steps
/// may reach (over plain HTTP too); everything else must be public HTTPS. Without this, a flow
/// cannot be used to reach Fenestra's own network (no server-side request forgery).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calls {
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Lower-case letters, digits, `_` and `-`; how the thread and the stats name it.
    pub name: Bounded<40>,
    pub trigger: Trigger,
    /// The first step.
    pub start: String,
    pub steps: BTreeMap<String, Step>,
}

/// What starts the flow: a payload (Get Started, an ice breaker, a menu item, a button), words
/// in a message (matched as keyword rules are), or an m.me link's or ad's `ref`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payloads: Vec<Payload>,
    #[serde(default, rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Bounded<100>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<Bounded<250>>,
    /// Words in a comment on one of the page's posts (`"*"`: any comment). The flow's first
    /// message goes as the comment's one private reply: make it a question, since nothing else
    /// may follow until the customer answers in Messenger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Bounded<100>>,
}

/// One step: exactly one of the actions, then `next`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<Reply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<Branch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book: Option<Book>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbook: Option<Unbook>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Where to go when the step fails (a refused send, an answer wrong three times); without
    /// it, a hand-over to a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error: Option<String>,
}

/// What a step does, once the document is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action<'a> {
    Send(&'a Reply),
    Ask(&'a Ask),
    Branch(&'a Branch),
    Labels(&'a Labels),
    Wait(&'a Period),
    Handover(&'a Handover),
    Book(&'a Book),
    Unbook(&'a Unbook),
    Call(&'a Call),
}

impl Step {
    /// The actions the step names (a checked document has exactly one).
    pub fn actions(&self) -> Vec<Action<'_>> {
        let mut out = Vec::new();
        out.extend(self.send.as_ref().map(Action::Send));
        out.extend(self.ask.as_ref().map(Action::Ask));
        out.extend(self.branch.as_ref().map(Action::Branch));
        out.extend(self.labels.as_ref().map(Action::Labels));
        out.extend(self.wait.as_ref().map(Action::Wait));
        out.extend(self.handover.as_ref().map(Action::Handover));
        out.extend(self.book.as_ref().map(Action::Book));
        out.extend(self.unbook.as_ref().map(Action::Unbook));
        out.extend(self.call.as_ref().map(Action::Call));
        out
    }

    pub fn action(&self) -> Option<Action<'_>> {
        self.actions().into_iter().next()
    }

    /// What the step does, as a word (`send`, `ask`, …; `unknown` for none).
    pub fn kind(&self) -> &'static str {
        match self.action() {
            Some(Action::Send(_)) => "send",
            Some(Action::Ask(_)) => "ask",
            Some(Action::Branch(_)) => "branch",
            Some(Action::Labels(_)) => "labels",
            Some(Action::Wait(_)) => "wait",
            Some(Action::Handover(_)) => "handover",
            Some(Action::Book(_)) => "book",
            Some(Action::Unbook(_)) => "unbook",
            Some(Action::Call(_)) => "call",
            None => "unknown",
        }
    }
}

/// A question whose answer is saved in the customer's `save` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    pub text: Texts,
    /// The customer field the answer goes to (`email`, `phone`, `service`, …).
    pub save: Bounded<40>,
    #[serde(default)]
    pub expect: Expect,
    /// For `expect: choice`: offered as quick replies; the answer saved is the `value`.
    #[serde(default, skip_serializing_if = "Limited::is_empty")]
    pub choices: Limited<Choice, 13>,
    /// Said when an answer does not fit, before asking again; without it, Fenestra's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Texts>,
}

/// What an answer must be. `email` and `phone` offer Meta's quick replies that fill in the
/// customer's own address or number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    #[default]
    Text,
    Email,
    Phone,
    Number,
    /// A day: 2026-12-24, 24/12/2026 or 24/12.
    Date,
    Choice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// At most 20 characters in each language.
    pub title: Texts,
    pub value: Bounded<100>,
}

/// The first case whose condition holds decides the next step; else `otherwise`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub cases: Vec<Case>,
    #[serde(rename = "else")]
    pub otherwise: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    #[serde(rename = "if")]
    pub condition: Condition,
    pub goto: String,
}

/// A test on a customer field: equal to a value (case and accents ignored), one of several, or
/// set at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: Bounded<40>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Bounded<40>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<Bounded<40>>,
}

/// The bot stops for this customer and the team takes over; the customer is told (this text,
/// else Fenestra's own in their language).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
}

/// Offers the free slots for the service the customer chose (the field `service` holds its id)
/// as quick replies, and books the one tapped. The booking's `booking_id`, `booking_at` (day and
/// time in the page's time zone), `booking_with` (who or which room) and `booking_service` are
/// saved as fields, for the next steps' texts (`{{booking_at}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    pub text: Texts,
    pub service: Bounded<40>,
    /// The field holding the day the customer asked for (a `date` answer); without it, the
    /// soonest slots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Bounded<40>>,
}

/// Cancels the customer's upcoming appointments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unbook {}

/// Asks the shop's own system: POSTs `{"page_id", "psid", "fields": {…}}` as JSON to `url`,
/// signed (`X-Fenestra-Signature: sha256=…`, HMAC of the body), retried on errors and timeouts;
/// `save` takes fields from the JSON answer (`order_status: /order/status`) for the next steps.
/// A call that fails goes to `on_error` (else a hand-over).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub url: String,
    /// The customer fields sent; all of them when left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Bounded<40>>,
    /// Field name → JSON pointer into the answer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub save: BTreeMap<String, String>,
    /// How long one attempt may take (default 10s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Period>,
}
