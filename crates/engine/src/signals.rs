//! How the engine's parts wake each other. A write that gives a worker something to do
//! notifies it at once; workers also poll, since another process on a shared PostgreSQL
//! notifies nobody here. Browsers learn of changes through [`Signals::live`].

use std::sync::Arc;

use tokio::sync::{Notify, broadcast};

#[derive(Clone)]
pub struct Signals {
    /// Webhook bodies were committed: the processor has work.
    pub stored: Arc<Notify>,
    /// Events were applied: automations look for new messages.
    pub processed: Arc<Notify>,
    /// Sends were queued: the delivery worker has work.
    pub queued: Arc<Notify>,
    /// Customers' messages arrived: their attachments wait to be copied. (A `Notify` wakes
    /// one waiter, so each worker has its own.)
    pub media: Arc<Notify>,
    /// Customers' messages arrived: Web Push announces them.
    pub push: Arc<Notify>,
    /// An automations document was applied: its Messenger profile goes to Meta.
    pub profile: Arc<Notify>,
    /// A broadcast was sent, resumed or paused: its releaser looks again.
    pub broadcasts: Arc<Notify>,
    /// Messages were stored: their conversations' answer times wait to be folded.
    pub answers: Arc<Notify>,
    live: broadcast::Sender<()>,
}

impl Default for Signals {
    fn default() -> Signals {
        Signals {
            stored: Arc::default(),
            processed: Arc::default(),
            queued: Arc::default(),
            media: Arc::default(),
            push: Arc::default(),
            profile: Arc::default(),
            broadcasts: Arc::default(),
            answers: Arc::default(),
            live: broadcast::channel(16).0,
        }
    }
}

impl Signals {
    /// Something an inbox shows changed: open pages refresh.
    pub fn changed(&self) {
        let _ = self.live.send(());
    }

    /// Receives a `()` after each change (a lagging receiver misses some: one refresh covers them).
    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.live.subscribe()
    }
}
