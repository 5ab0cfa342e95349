//! Fenestra's engine: everything the server does except speak HTTP.
//!
//! * [`ingest`] commits webhook bodies (grouped with concurrent requests) before Meta gets its
//!   200; the [`processor`] claims stored bodies, [`normalize`]s their events and applies them.
//! * Every message leaves through [`outbox`] ([`Engine::submit`]): judged by `policy::decide`
//!   against the store as it is now, audited, queued only if allowed. The [`delivery`] worker
//!   sends it; [`automate`] answers customers as the page's [`automations`] document says, and
//!   [`profile_push`] gives Meta its Messenger profile.
//! * [`team`] is what agents do besides writing (assign, label, note, close, mark seen) and who
//!   may do it; [`accounts`] the users, passwords, sessions and API tokens; [`view`] one
//!   conversation as the inbox and the API show it.
//!
//! The [`Engine`] owns the signals between these parts: after a write it wakes the worker that
//! follows (processor, automations, delivery) and tells browsers something changed. Callers
//! (the web crate, the CLI) never poke them by hand. Background work runs as [`worker`] loops
//! under one [`worker::Supervisor`].

pub mod accounts;
pub mod analytics;
pub mod audience;
pub mod automate;
pub mod automations;
pub mod bookings;
pub mod broadcast;
pub mod bus;
pub mod calls;
pub mod comments;
pub mod connect;
pub mod connection;
pub mod csv_cell;
pub mod delivery;
pub mod flows;
pub mod ingest;
pub mod leads;
pub mod links;
pub mod maintenance;
pub mod media;
pub mod metrics;
pub mod normalize;
pub mod opt_out;
pub mod outbox;
pub mod preferences;
pub mod presence;
pub mod privacy;
pub mod problem;
pub mod processor;
pub mod profile_push;
pub mod profiles;
pub mod push;
pub mod region;
pub mod rich;
pub mod routing;
pub mod scenario;
pub mod signals;
pub mod team;
pub mod templates;
pub mod view;
pub mod worker;

use std::sync::Arc;

use messenger::GraphClient;
use store::Store;

pub use signals::Signals;

/// The engine's parts, shared by every request handler and worker. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    pub store: Arc<dyn Store>,
    /// Meta's Graph API (or the emulator's).
    pub graph: GraphClient,
    pub metrics: Arc<metrics::Metrics>,
    pub signals: Signals,
    /// For copies of pictures and attachments (not Graph calls).
    pub http: reqwest::Client,
    /// Each page's webhook subscription and token, as last checked.
    pub connections: connection::Connections,
    /// Keys the signature of flows' calls to shops' systems.
    pub call_secret: Arc<str>,
    /// Who of the team has the inbox open.
    pub presence: presence::Presence,
}

impl Engine {
    pub fn new(store: Arc<dyn Store>, graph: GraphClient) -> Engine {
        Engine {
            store,
            graph,
            metrics: Arc::default(),
            signals: Signals::default(),
            http: reqwest::Client::new(),
            connections: connection::Connections::default(),
            call_secret: Arc::from(""),
            presence: presence::Presence::default(),
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}
