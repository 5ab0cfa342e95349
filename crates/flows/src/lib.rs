//! Bots as documents. A Page's flows ([`document`]): each starts on a trigger (a payload such as
//! Get Started, words in a message, an m.me or ad `ref`) and moves through named steps that
//! send, ask (saving the answer, checked), branch on what was saved, set labels, wait and hand
//! over to a person. [`check`] reads a document and names every problem with its flow, step and
//! line; [`run`] moves one customer through a flow with `now` given, leaving every message to
//! the engine (the outbox and the policy) and every stored row to the store.

pub mod answer;
pub mod booking;
pub mod check;
pub mod diagram;
pub mod document;
pub mod rehearse;
pub mod run;
pub mod trigger;

pub use check::{parse, to_yaml};
pub use document::{Flow, Flows};
pub use run::{Context, Effect, End, Input, Message, Quick, Run, State};
