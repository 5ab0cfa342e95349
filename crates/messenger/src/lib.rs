//! The Messenger Platform as Rust types.
//!
//! * [`webhook`] turns a raw webhook body into [`event::Event`]s, liberally: the bodies Meta
//!   (and other projects' fixtures) send carry byte-order marks, ids as numbers or strings,
//!   watermarks as strings, the old `policy-enforcement` key and missing timestamps.
//! * [`signature`] verifies and produces `X-Hub-Signature-256` headers.
//! * [`send`] is the Send API request and response; [`graph_error`] Meta's error bodies and
//!   what a sender should do about each.
//!
//! * [`graph_client`] calls the Graph API (Meta's, or the emulator's); [`graph_login`] the
//!   calls that connect a page (Facebook Login's code exchange, the page list, subscriptions).
//!
//! No database, no policy.

pub mod comments;
pub mod event;
#[cfg(feature = "client")]
pub mod graph_client;
pub mod graph_error;
#[cfg(feature = "client")]
pub mod graph_login;
pub mod insights;
mod lenient;
pub mod marketing;
pub mod send;
pub mod signature;
pub mod webhook;

pub use event::{Event, EventKind, Payload};
#[cfg(feature = "client")]
pub use graph_client::{GraphClient, SendError, SubscribedApp};
pub use graph_error::{ErrorClass, GraphError, GraphErrorBody, Meaning};
pub use send::{MessageTag, MessagingType};
pub use webhook::{ParseError, parse_body};
