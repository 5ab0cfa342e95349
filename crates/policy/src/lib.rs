//! Fenestra's policy engine: may this Messenger message be sent now, and how?
//!
//! [`decide`] takes a [`Scenario`] (the page, the contact's history, the message, and `now`)
//! and returns a [`Decision`]: allow (with exactly how to send) or deny, the rule that decided,
//! a one-sentence explanation, the compliant alternatives, warnings, and the promotional words
//! or links it found. Pure and deterministic: no IO, no clock. The contract is
//! `shared/spec/policy-contract.md`; the rules are checked in its order.
//!
//! # Dated rules
//! Messenger's rules change. [`catalogue::CATALOGUE`] lists each change with its date
//! (sponsored messages ended 2024-07-31, Marketing Messages from 2025-07-01, 48 hours between
//! notification-token messages from 2025-09-01, recurring notifications discontinued outside the
//! EU/UK/JP/KR/AU on 2026-02-10, three topic tags retired on 2026-04-27); a scenario is judged by
//! the rules in force at its `now`. A future change is one new entry there.
//!
//! # Where the contract is silent, this engine decides as Meta's documentation does
//! * `quick_reply`, `referral`, `reaction` and `plugin_optin` open the window like a message;
//!   taking a reaction back (`unreact`) is not recorded as an interaction by the processor.
//! * One-time and recurring-notification sends are `UPDATE`s addressed to the token
//!   (`recipient.one_time_notif_token` / `notification_messages_token`); private replies are
//!   `RESPONSE`s addressed to `recipient.comment_id`; promotional content is not refused there.
//! * `contact.opted_out_at` `null`: no interaction counts as coming after the opt-out, so a
//!   person may not answer until a dated opt-out is followed by a customer interaction (the
//!   public case `opted-out` needs this reading).
//! * A recurring-notification token that is not held for the contact has no known region: after
//!   2026-02-10 it is `notification_discontinued`, as the contract's order reads.
//! * Tokens without a `frequency` (Meta dropped the choice in 2023) have no period of their own;
//!   Meta's 48-hour floor still applies from 2025-09-01.
//! * A sender action's text is not judged; a sender action with a tag is judged as the tag.
//!   Refused sender actions offer only `wait_for_customer`.
//! * Alternatives: none after `contact_opted_out` and `page_restricted` (nothing may be sent),
//!   only `wait_for_customer` after `contact_unreachable`, only `take_thread_control` after
//!   `thread_owned_by_other_app` (waiting does not help: the other app receives the customer's
//!   messages). `HUMAN_AGENT` is not offered for promotional text (it would be refused).
//!   `sponsored_message` is offered, before 2024-07-31, for promotional text to contacts who
//!   have opened a conversation before (the audience sponsored messages reached).
//!   `marketing_message` is offered whatever the content when a send on the subscription would
//!   be allowed now.
//! * Marketing messages: the contract's 12 hours apply on every date (Meta's own spacing was 24
//!   hours until 2025-08-11; the emulator models that).
//! * Links to Meta's own domains (m.me, facebook.com, messenger.com) are not external links.
//! * `matched` is empty when the text is not promotional, and when the sender declared the
//!   message promotional without any word in it giving it away.

pub mod catalogue;
mod decide;
pub mod decision;
pub mod moderation;
pub mod promo;
pub mod region;
pub mod scenario;
pub mod window;

pub use decide::{decide, notification_token_usable, one_time_token_usable};
pub use decision::{Alternative, Decision, Rule, Verdict, Warning};
pub use region::Region;
pub use scenario::{Scenario, ScenarioError};
