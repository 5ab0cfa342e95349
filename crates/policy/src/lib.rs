//! Fenestra's policy engine: may this Messenger message be sent now, and how?
//!
//! [`decide`] takes a [`Scenario`] (the page, the contact's history, the message, and `now`)
//! and returns a [`Decision`]: allow (with exactly how to send) or deny, the rule that decided,
//! a one-sentence explanation, the compliant alternatives, warnings, and the promotional words
//! or links it found. Pure and deterministic: no IO, no clock. The contract is
//! `shared/spec/policy-contract.md`; the rules are checked in its order.
//!
//! # Dated rules
//! Messenger's rules change. [`catalogue::CATALOGUE`] lists each change with its date (the
//! three topic tags retired on 2026-04-27, recurring notifications discontinued on 2026-02-10,
//! Marketing Messages available from 2025-07-01); a scenario is judged by the rules in force at
//! its `now`. A future change is one new entry there.
//!
//! # Where the contract is silent, this engine decides as Meta's documentation does
//! * `quick_reply`, `referral`, `reaction` and `plugin_optin` open the window like a message;
//!   taking a reaction back (`unreact`) is not recorded as an interaction by the processor.
//! * `HUMAN_AGENT` is judged by rule 9 only (a person, an approved page, 7 days): it is not
//!   checked for promotional content, as in the contract's order. The composer still shows
//!   the promotional words it found (`matched`).
//! * One-time and recurring-notification sends are `UPDATE`s addressed to the token
//!   (`recipient.one_time_notif_token` / `notification_messages_token`); private replies are
//!   `RESPONSE`s addressed to `recipient.comment_id`; promotional content is not refused there.
//! * Alternatives: none after `contact_opted_out` and `page_restricted` (nothing may be sent),
//!   only `wait_for_customer` after `contact_unreachable`. `sponsored_message` is offered to
//!   contacts who have opened a conversation before (the audience sponsored messages reach),
//!   `marketing_message` only for promotional content from 2025-07-01.
//! * Links to Meta's own domains (m.me, facebook.com, messenger.com) are not external links.
//! * `matched` is empty when the text is not promotional, and when the sender declared the
//!   message promotional without any word in it giving it away.

pub mod catalogue;
mod decide;
pub mod decision;
pub mod promo;
pub mod scenario;
pub mod window;

pub use decide::decide;
pub use decision::{Alternative, Decision, Rule, Verdict, Warning};
pub use scenario::{Scenario, ScenarioError};
