//! Moving one customer through a flow, with `now` given: the pure part of running a bot. The
//! engine stores the [`Run`] between messages (so a run survives restarts and stays on the
//! version it started with), carries out the [`Effect`]s in order (every message through the
//! outbox and the policy), and comes back with the next [`Input`].
//!
//! Invariants:
//! * a run is always at a step of its flow, or finished;
//! * a question is asked again after a wrong answer, and after [`MAX_WRONG`] wrong answers the
//!   step fails: its `on_error` step, else a hand-over;
//! * steps that do not wait run one after another, at most [`MAX_HOPS`] at a time (a loop of
//!   branches without a question fails instead of spinning).

use std::collections::BTreeMap;

use automations::document::{Attachment, QuickReply};
use automations::plan::{PlannedButton, PlannedCard};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, accept};
use crate::document::{Action, Condition, Expect, Flow};

pub const MAX_WRONG: u8 = 3;
pub const MAX_HOPS: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub flow: String,
    pub step: String,
    pub state: State,
    #[serde(default)]
    pub wrong_answers: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Asked a question (or offered slots); the customer's next message is the answer.
    Asking,
    /// The customer chose a slot; the engine is booking it.
    Booking,
    /// The engine is calling the shop's system.
    Calling,
    /// Waits until then, then goes on.
    Sleeping {
        until: Timestamp,
    },
    Finished {
        end: End,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// The last step was done.
    Done,
    /// A person takes it from here.
    HandedOver,
}

/// What happened to the run.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The customer wrote or tapped while the run was asking.
    Answer(Answer<'a>),
    /// Its wait is over (the engine wakes runs whose time came).
    Wake,
    /// A message of step `.0` could not go out (the policy or Meta refused it), or the step
    /// could not be done (no free slot to offer).
    Failed(&'a str),
    /// The slot chosen was booked (the fields to save: `booking_id`, `booking_at`, …), or was
    /// not (taken meanwhile, or not a slot): offered again.
    Booked(Option<&'a [(String, String)]>),
    /// The `call` step's answer: the fields to save, or `None` when it failed.
    Called(Option<&'a [(String, String)]>),
}

/// One thing the engine does for the run, in order; `step` is the step it comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send {
        step: String,
        message: Message,
    },
    /// A wrong answer: this text, or Fenestra's own in the customer's language.
    Retry {
        step: String,
        text: Option<String>,
    },
    Save {
        field: String,
        value: String,
    },
    Labels {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// The bot stops for this customer; the team takes over. The customer is told (this text,
    /// or Fenestra's own).
    Handover {
        text: Option<String>,
    },
    /// Offer free slots for the service whose id is `service` (none: the field is empty).
    Offer {
        step: String,
        text: String,
        service: Option<String>,
        /// The day asked for (ISO), if the step names one.
        day: Option<String>,
    },
    /// Book the slot the customer chose (a `SLOT:…` payload), then answer with `Booked`.
    Book {
        step: String,
        service: Option<String>,
        payload: Option<String>,
    },
    /// Cancel the customer's upcoming appointments.
    Unbook,
    /// Call the shop's system with these fields, then answer with `Called`.
    Call {
        step: String,
        call: crate::document::Call,
        fields: BTreeMap<String, String>,
    },
}

/// A message in the customer's language; `{{first_name}}` is the engine's to fill.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub text: String,
    pub quick_replies: Vec<Quick>,
    pub buttons: Vec<PlannedButton>,
    pub attachment: Option<Attachment>,
    pub cards: Vec<PlannedCard>,
}

/// A quick reply: a title and payload, or Meta's that fill in the customer's own e-mail or
/// phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quick {
    Text { title: String, payload: String },
    UserEmail,
    UserPhone,
}

/// What the run may read: the customer's language and fields, and the time.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub locale: Option<&'a str>,
    pub fields: BTreeMap<String, String>,
    pub now: Timestamp,
}

impl Run {
    /// A new run of `flow`, carried to its first question, wait or end.
    pub fn start(flow: &Flow, ctx: &mut Context<'_>) -> (Run, Vec<Effect>) {
        let mut run = Run {
            flow: flow.name.to_string(),
            step: flow.start.clone(),
            state: State::Asking,
            wrong_answers: 0,
        };
        let mut out = Vec::new();
        run.go(flow, ctx, &mut out);
        (run, out)
    }

    pub fn finished(&self) -> bool {
        matches!(self.state, State::Finished { .. })
    }

    /// Takes `input`; what to do, in order. An input the run is not waiting for changes
    /// nothing.
    pub fn advance(&mut self, flow: &Flow, input: Input<'_>, ctx: &mut Context<'_>) -> Vec<Effect> {
        let mut out = Vec::new();
        match (self.state, input) {
            (State::Finished { .. }, _) => {}
            (_, Input::Failed(step)) => {
                self.step = step.to_owned();
                self.fail(flow, ctx, &mut out);
            }
            (State::Asking, Input::Answer(answer)) => self.answer(flow, answer, ctx, &mut out),
            (State::Booking, Input::Booked(Some(fields))) => {
                for (field, value) in fields {
                    ctx.fields.insert(field.clone(), value.clone());
                    out.push(Effect::Save {
                        field: field.clone(),
                        value: value.clone(),
                    });
                }
                self.wrong_answers = 0;
                self.next(flow, ctx, &mut out);
            }
            (State::Calling, Input::Called(Some(fields))) => {
                for (field, value) in fields {
                    ctx.fields.insert(field.clone(), value.clone());
                    out.push(Effect::Save {
                        field: field.clone(),
                        value: value.clone(),
                    });
                }
                self.next(flow, ctx, &mut out);
            }
            (State::Calling, Input::Called(None)) => self.fail(flow, ctx, &mut out),
            (State::Booking, Input::Booked(None)) => {
                self.wrong_answers += 1;
                if self.wrong_answers >= MAX_WRONG {
                    self.fail(flow, ctx, &mut out);
                } else {
                    self.state = State::Asking;
                    self.go(flow, ctx, &mut out);
                }
            }
            (State::Sleeping { until }, Input::Wake) if ctx.now >= until => {
                self.next(flow, ctx, &mut out)
            }
            _ => {}
        }
        out
    }

    fn answer(
        &mut self,
        flow: &Flow,
        answer: Answer<'_>,
        ctx: &mut Context<'_>,
        out: &mut Vec<Effect>,
    ) {
        let ask = match flow.steps.get(&self.step).and_then(|s| s.action()) {
            Some(Action::Ask(ask)) => ask,
            Some(Action::Book(book)) => {
                self.state = State::Booking;
                out.push(Effect::Book {
                    step: self.step.clone(),
                    service: ctx.fields.get(book.service.as_str()).cloned(),
                    payload: answer.payload.map(str::to_owned),
                });
                return;
            }
            _ => return self.fail(flow, ctx, out),
        };
        let today = ctx.now.to_zoned(jiff::tz::TimeZone::UTC).date();
        match accept(ask, answer, ctx.locale, today) {
            Some(value) => {
                ctx.fields.insert(ask.save.to_string(), value.clone());
                out.push(Effect::Save {
                    field: ask.save.to_string(),
                    value,
                });
                self.wrong_answers = 0;
                self.next(flow, ctx, out);
            }
            None => {
                self.wrong_answers += 1;
                if self.wrong_answers >= MAX_WRONG {
                    return self.fail(flow, ctx, out);
                }
                out.push(Effect::Retry {
                    step: self.step.clone(),
                    text: ask.retry.as_ref().map(|t| t.pick(ctx.locale).to_owned()),
                });
                out.push(Effect::Send {
                    step: self.step.clone(),
                    message: question(ask, ctx.locale),
                });
            }
        }
    }

    /// The current step failed: its `on_error` step, else a hand-over.
    fn fail(&mut self, flow: &Flow, ctx: &mut Context<'_>, out: &mut Vec<Effect>) {
        self.wrong_answers = 0;
        match flow.steps.get(&self.step).and_then(|s| s.on_error.clone()) {
            Some(to) => {
                self.step = to;
                self.go(flow, ctx, out);
            }
            None => {
                out.push(Effect::Handover { text: None });
                self.state = State::Finished {
                    end: End::HandedOver,
                };
            }
        }
    }

    fn next(&mut self, flow: &Flow, ctx: &mut Context<'_>, out: &mut Vec<Effect>) {
        match flow.steps.get(&self.step).and_then(|s| s.next.clone()) {
            Some(to) => {
                self.step = to;
                self.go(flow, ctx, out);
            }
            None => self.state = State::Finished { end: End::Done },
        }
    }

    /// Runs steps from the current one until one waits or the flow ends.
    fn go(&mut self, flow: &Flow, ctx: &mut Context<'_>, out: &mut Vec<Effect>) {
        for _ in 0..MAX_HOPS {
            let Some(step) = flow.steps.get(&self.step) else {
                break;
            };
            let after = match step.action() {
                Some(Action::Send(reply)) => {
                    let mut message = send(reply, ctx.locale);
                    message.text = fill(&message.text, &ctx.fields);
                    out.push(Effect::Send {
                        step: self.step.clone(),
                        message,
                    });
                    step.next.clone()
                }
                Some(Action::Ask(ask)) => {
                    out.push(Effect::Send {
                        step: self.step.clone(),
                        message: question(ask, ctx.locale),
                    });
                    self.state = State::Asking;
                    return;
                }
                Some(Action::Branch(b)) => Some(
                    b.cases
                        .iter()
                        .find(|c| holds(&c.condition, &ctx.fields))
                        .map_or(&b.otherwise, |c| &c.goto)
                        .clone(),
                ),
                Some(Action::Labels(l)) => {
                    out.push(Effect::Labels {
                        add: l.add.iter().map(ToString::to_string).collect(),
                        remove: l.remove.iter().map(ToString::to_string).collect(),
                    });
                    step.next.clone()
                }
                Some(Action::Wait(period)) => {
                    let until = ctx.now + period.duration();
                    self.state = State::Sleeping { until };
                    return;
                }
                Some(Action::Book(book)) => {
                    out.push(Effect::Offer {
                        step: self.step.clone(),
                        text: book.text.pick(ctx.locale).to_owned(),
                        service: ctx.fields.get(book.service.as_str()).cloned(),
                        day: book
                            .day
                            .as_ref()
                            .and_then(|d| ctx.fields.get(d.as_str()).cloned()),
                    });
                    self.state = State::Asking;
                    return;
                }
                Some(Action::Call(call)) => {
                    let fields = if call.fields.is_empty() {
                        ctx.fields.clone()
                    } else {
                        call.fields
                            .iter()
                            .filter_map(|f| {
                                ctx.fields
                                    .get(f.as_str())
                                    .map(|v| (f.to_string(), v.clone()))
                            })
                            .collect()
                    };
                    out.push(Effect::Call {
                        step: self.step.clone(),
                        call: call.clone(),
                        fields,
                    });
                    self.state = State::Calling;
                    return;
                }
                Some(Action::Unbook(_)) => {
                    out.push(Effect::Unbook);
                    step.next.clone()
                }
                Some(Action::Handover(h)) => {
                    out.push(Effect::Handover {
                        text: h.text.as_ref().map(|t| t.pick(ctx.locale).to_owned()),
                    });
                    self.state = State::Finished {
                        end: End::HandedOver,
                    };
                    return;
                }
                None => None,
            };
            match after {
                Some(to) => self.step = to,
                None => {
                    self.state = State::Finished { end: End::Done };
                    return;
                }
            }
        }
        // A loop without a question or a wait: a person takes over rather than the bot spinning.
        out.push(Effect::Handover { text: None });
        self.state = State::Finished {
            end: End::HandedOver,
        };
    }
}

/// `{{field}}` replaced by the customer's field (`{{first_name}}` is the engine's to fill).
fn fill(text: &str, fields: &BTreeMap<String, String>) -> String {
    fields.iter().fold(text.to_owned(), |t, (k, v)| {
        t.replace(&format!("{{{{{k}}}}}"), v)
    })
}

fn holds(c: &Condition, fields: &BTreeMap<String, String>) -> bool {
    let folded = |s: &str| fold::fold_text(s.trim()).to_lowercase();
    let value = fields.get(c.field.as_str()).map(|v| folded(v));
    if let Some(set) = c.set {
        return value.as_deref().is_some_and(|v| !v.is_empty()) == set;
    }
    let Some(value) = value else {
        return false;
    };
    if let Some(e) = &c.equals {
        return value == folded(e);
    }
    c.one_of.iter().any(|o| value == folded(o))
}

fn quick_replies(list: &[QuickReply], locale: Option<&str>) -> Vec<Quick> {
    list.iter()
        .map(|q| Quick::Text {
            title: q.title.pick(locale).to_owned(),
            payload: q.payload.to_string(),
        })
        .collect()
}

fn send(reply: &automations::document::Reply, locale: Option<&str>) -> Message {
    Message {
        text: reply.text.pick(locale).to_owned(),
        quick_replies: quick_replies(&reply.quick_replies.0, locale),
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

fn question(ask: &crate::document::Ask, locale: Option<&str>) -> Message {
    let quick_replies = match ask.expect {
        Expect::Email => vec![Quick::UserEmail],
        Expect::Phone => vec![Quick::UserPhone],
        Expect::Choice => ask
            .choices
            .0
            .iter()
            .map(|c| Quick::Text {
                title: c.title.pick(locale).to_owned(),
                payload: c.value.to_string(),
            })
            .collect(),
        Expect::Text | Expect::Number | Expect::Date => vec![],
    };
    Message {
        text: ask.text.pick(locale).to_owned(),
        quick_replies,
        ..Message::default()
    }
}
