//! The Fenestra server.
//!
//! `POST /webhook` verifies the signature and hands the raw body to [`ingest`], which commits
//! it (grouped with concurrent requests) before the 200 goes back. [`processor`] claims stored
//! bodies, [`normalize`]s their events and applies them through the store.

pub mod config;
pub mod ingest;
pub mod metrics;
pub mod normalize;
pub mod processor;
mod routes;
pub mod server;
mod time;

pub use config::{ConfigError, ServeConfig};
pub use server::{RunningServer, start};
pub use time::now_ms;
