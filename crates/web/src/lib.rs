//! Fenestra's HTTP side, over the [`engine`]:
//!
//! * [`routes`]: `GET/POST /webhook` (Meta's handshake; signed bodies handed to the engine's
//!   ingest, committed before the 200), `/healthz`, `/metrics`;
//! * [`pages`]: the web inbox (askama templates, htmx, server-sent events, embedded assets);
//! * [`api`]: the same actions as JSON under `/api/v1`, with bearer tokens;
//! * [`server`]: opening the store, starting the engine's workers and the HTTP server, and
//!   stopping them in order.
//!
//! Handlers are thin: they read the request, call the engine and render its answer. Domain
//! errors become statuses in one place ([`error`]).

pub mod api;
pub mod client;
pub mod config;
pub mod error;
mod ids;
pub mod listener;
pub mod pages;
pub mod routes;
pub mod server;
mod state;
mod upload;

pub use config::{ConfigError, ServeConfig};
pub use server::{RunningServer, start};
pub use state::AppState;
