//! Which flow a customer's message, tap or arrival starts: the first flow, in the document's
//! order, whose trigger matches. A payload matches exactly; words match as keyword rules do
//! (whole words, tone marks ignored only when the customer typed none); a `ref` (an m.me link's
//! or an ad's) exactly.

use automations::matching::Message;

use crate::document::{Flow, Flows};

/// What arrived from the customer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Arrival<'a> {
    pub text: Option<&'a str>,
    pub payload: Option<&'a str>,
    pub referral: Option<&'a str>,
}

impl Flows {
    pub fn triggered(&self, a: Arrival<'_>) -> Option<&Flow> {
        let said = a.text.map(Message::new);
        self.flows.iter().find(|f| {
            let t = &f.trigger;
            a.payload
                .is_some_and(|p| t.payloads.iter().any(|x| x.as_str() == p))
                || a.referral
                    .is_some_and(|r| t.refs.iter().any(|x| x.as_str() == r))
                || said
                    .as_ref()
                    .is_some_and(|m| t.words.iter().any(|w| m.says(w.as_str())))
        })
    }

    pub fn named(&self, name: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.name.as_str() == name)
    }
}
