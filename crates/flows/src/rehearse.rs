//! Trying a flow without a customer: the interpreter run against lines an admin writes (a line
//! is what the customer writes; `[PAYLOAD]` is a tap), nothing sent, nothing stored. Slots are
//! shown as offered and the first one taken as booked; calls are not made (their `on_error`
//! path runs), so a try never reaches anyone.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::answer::Answer;
use crate::document::Flow;
use crate::run::{Context, Effect, Input, Quick, Run};

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Customer(String),
    Bot {
        text: String,
        choices: Vec<String>,
    },
    /// A wrong answer: the flow's retry text, or Fenestra's own.
    Retry(Option<String>),
    /// Free slots for the service would be offered.
    Slots(String),
    Saved {
        field: String,
        value: String,
    },
    Labels {
        add: Vec<String>,
        remove: Vec<String>,
    },
    Handover,
    Unbook,
    /// A call that a try does not make.
    NotCalled(String),
    End,
}

/// Runs `flow` from its start with `inputs`, the customer's language `locale`, at `now`.
pub fn rehearse(flow: &Flow, inputs: &[&str], locale: Option<&str>, now: Timestamp) -> Vec<Line> {
    let mut ctx = Context {
        locale,
        fields: BTreeMap::new(),
        now,
    };
    let mut out = Vec::new();
    let (mut run, effects) = Run::start(flow, &mut ctx);
    let mut queue = effects;
    let mut inputs = inputs.iter();
    loop {
        while !queue.is_empty() {
            let effect = queue.remove(0);
            let more = show(flow, &mut run, effect, &mut ctx, &mut out);
            queue.extend(more);
        }
        if run.finished() {
            out.push(Line::End);
            break;
        }
        let Some(line) = inputs.next() else { break };
        out.push(Line::Customer((*line).to_owned()));
        let answer = match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            Some(payload) => Answer {
                text: None,
                payload: Some(payload),
            },
            None => Answer {
                text: Some(line),
                payload: None,
            },
        };
        queue = match run.state {
            crate::State::Sleeping { until } => {
                ctx.now = until;
                run.advance(flow, Input::Wake, &mut ctx)
            }
            _ => run.advance(flow, Input::Answer(answer), &mut ctx),
        };
    }
    out
}

fn show(
    flow: &Flow,
    run: &mut Run,
    effect: Effect,
    ctx: &mut Context<'_>,
    out: &mut Vec<Line>,
) -> Vec<Effect> {
    match effect {
        Effect::Send { message, .. } => {
            let choices = message
                .quick_replies
                .iter()
                .map(|q| match q {
                    Quick::Text { title, payload } => format!("{title} [{payload}]"),
                    Quick::UserEmail => "✉ e-mail".into(),
                    Quick::UserPhone => "☎ phone".into(),
                })
                .chain(message.buttons.iter().map(|b| b.title().to_owned()))
                .collect();
            out.push(Line::Bot {
                text: message.text,
                choices,
            });
            vec![]
        }
        Effect::Retry { text, .. } => {
            out.push(Line::Retry(text));
            vec![]
        }
        Effect::Save { field, value } => {
            out.push(Line::Saved { field, value });
            vec![]
        }
        Effect::Labels { add, remove } => {
            out.push(Line::Labels { add, remove });
            vec![]
        }
        Effect::Handover { text } => {
            if let Some(text) = text {
                out.push(Line::Bot {
                    text,
                    choices: vec![],
                });
            }
            out.push(Line::Handover);
            vec![]
        }
        Effect::Offer { text, service, .. } => {
            out.push(Line::Bot {
                text,
                choices: vec![],
            });
            out.push(Line::Slots(service.unwrap_or_default()));
            vec![]
        }
        Effect::Book { .. } => {
            let fields = [("booking_at".to_owned(), "…".to_owned())];
            run.advance(flow, Input::Booked(Some(&fields)), ctx)
        }
        Effect::Unbook => {
            out.push(Line::Unbook);
            vec![]
        }
        Effect::Call { call, .. } => {
            out.push(Line::NotCalled(call.url));
            run.advance(flow, Input::Called(None), ctx)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_salon_rehearsed() {
        let doc = crate::parse(include_str!("../../../examples/flows/salon.yaml")).unwrap();
        let lines = rehearse(
            doc.named("salon").unwrap(),
            &["[cut]", "24/12", "[SLOT:minh:1]", "0901234567"],
            Some("vi_VN"),
            "2026-11-30T09:00:00Z".parse().unwrap(),
        );
        assert!(
            matches!(&lines[0], Line::Bot { text, choices } if text.starts_with("Chào") && choices[0] == "Cắt tóc [cut]")
        );
        let saved = |f: &str, v: &str| Line::Saved {
            field: f.into(),
            value: v.into(),
        };
        assert!(lines.contains(&saved("day", "2026-12-24")));
        assert!(lines.contains(&saved("phone", "+84901234567")));
        assert_eq!(lines.last(), Some(&Line::End));
    }
}
