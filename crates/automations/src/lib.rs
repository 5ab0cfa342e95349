//! A Page's automations as one document: what an admin writes (YAML or JSON, in Settings, with
//! `fenestra automations apply`, or through the API), how it is read and checked (every
//! problem named with its line and field, Meta's limits included), and the pure decision of
//! what answers a customer's message ([`plan`]). Sending is the engine's: every answer goes
//! through the outbox and the policy like any other message.

pub mod document;
pub mod matching;
pub mod plan;
pub mod profile;
pub mod read;
pub mod schedule;
pub mod values;

pub use document::Automations;
pub use plan::{Answer, Customer, Incoming, Quiet, plan};
pub use read::{Problem, Refused, parse, to_yaml};
