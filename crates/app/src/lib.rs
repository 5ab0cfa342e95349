//! The Fenestra server.
//!
//! `POST /webhook` verifies the signature and hands the raw body to [`ingest`], which commits
//! it (grouped with concurrent requests) before the 200 goes back. [`processor`] claims stored
//! bodies, [`normalize`]s their events and applies them through the store.
//!
//! Outbound, every message goes through [`outbox::submit`] (policy decision, audit log,
//! durable outbox) and the [`delivery`] worker sends it; [`instant_reply`] is the first
//! automation.

pub mod accounts;
mod api;
pub mod config;
pub mod delivery;
pub mod ingest;
pub mod instant_reply;
pub mod metrics;
pub mod normalize;
pub mod outbox;
pub mod processor;
pub mod profiles;
mod routes;
pub mod scenario;
pub mod server;
pub mod team;
pub mod templates;
mod time;
pub mod web;

pub use config::{ConfigError, ServeConfig};
pub use server::{RunningServer, start};
pub use time::now_ms;
