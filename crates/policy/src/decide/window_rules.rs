//! Rules 10b and 11: sender actions and free-form messages, inside the 24-hour window only.

use messenger::MessagingType;

use super::{Facts, Outcome};
use crate::decision::*;
use crate::scenario::*;

impl Facts<'_> {
    pub(super) fn sender_action(&self, action: SenderAction) -> Outcome {
        match self.window {
            Some(w) if w.open => Outcome::Allow(
                Rule::SenderAction,
                format!(
                    "{} inside the customer's 24-hour window (open until {}).",
                    action.as_str(),
                    w.closes_at
                ),
                self.send_to_psid(MessagingType::Response, None),
            ),
            _ => Outcome::Deny(
                Rule::SenderActionOutsideWindow,
                format!(
                    "{} is only sent inside the customer's 24-hour window, which is closed.",
                    action.as_str()
                ),
            ),
        }
    }

    pub(super) fn standard_window(&self) -> Outcome {
        match self.window {
            Some(w) if w.open => {
                let messaging_type = if self.s.message.sender == Sender::Broadcast {
                    MessagingType::Update
                } else {
                    MessagingType::Response
                };
                Outcome::Allow(
                    Rule::WithinWindow,
                    format!(
                        "The customer interacted {} ago; the 24-hour window is open until {}.",
                        self.since_last(),
                        w.closes_at
                    ),
                    self.send_to_psid(messaging_type, None),
                )
            }
            Some(_) => Outcome::Deny(
                Rule::OutsideWindow,
                format!(
                    "The last customer interaction was {} ago; free-form messages are allowed for 24 hours.",
                    self.since_last()
                ),
            ),
            None => Outcome::Deny(
                Rule::OutsideWindow,
                "The customer has never opened a conversation with this page (echoes, reads, comments and marketing opt-ins do not open it).".into(),
            ),
        }
    }
}
