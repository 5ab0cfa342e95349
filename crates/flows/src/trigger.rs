//! Which flow a customer's message, tap or arrival starts. A `ref` (an m.me link's or an ad's)
//! matches exactly and wins; then a payload, exactly; then words, as keyword rules match them
//! (whole words, tone marks ignored only when the customer typed none).

use automations::matching::Message;

use crate::document::{Flow, Flows};

/// What arrived from the customer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Arrival<'a> {
    pub text: Option<&'a str>,
    pub payload: Option<&'a str>,
    pub referral: Option<&'a str>,
    /// The text of a comment on one of the page's posts (only `comments` triggers match it).
    pub comment: Option<&'a str>,
}

impl Flows {
    /// The flow to start: one whose `refs` has the arrival's `ref` (a link or ad made for it
    /// wins over the Get Started it came with), else whose `payloads` has the payload, else
    /// whose words the message says; the first in the document's order.
    pub fn triggered(&self, a: Arrival<'_>) -> Option<&Flow> {
        if let Some(comment) = a.comment {
            let said = Message::new(comment);
            return self.flows.iter().find(|f| {
                f.trigger
                    .comments
                    .iter()
                    .any(|w| w.as_str() == "*" || said.says(w.as_str()))
            });
        }
        let said = a.text.map(Message::new);
        let by_ref = |f: &&Flow| {
            a.referral
                .is_some_and(|r| f.trigger.refs.iter().any(|x| x.as_str() == r))
        };
        let by_payload = |f: &&Flow| {
            a.payload
                .is_some_and(|p| f.trigger.payloads.iter().any(|x| x.as_str() == p))
        };
        let by_words = |f: &&Flow| {
            said.as_ref()
                .is_some_and(|m| f.trigger.words.iter().any(|w| m.says(w.as_str())))
        };
        let flows = || self.flows.iter();
        flows()
            .find(by_ref)
            .or_else(|| flows().find(by_payload))
            .or_else(|| flows().find(by_words))
    }

    pub fn named(&self, name: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.name.as_str() == name)
    }
}
