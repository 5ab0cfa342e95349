//! How the engine's parts wake each other. A write that gives a worker something to do
//! wakes it at once ([`Wake::notify_one`]); browsers learn of changes through
//! [`Signals::subscribe`]. Every wake and change is also marked for the other instances on a
//! shared PostgreSQL: [`crate::bus`] sends the marks with `NOTIFY` and raises the ones other
//! instances sent here with [`Signals::raise`]. Workers still poll, slowly, in case a
//! notification was lost with a connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::{Notify, broadcast};

/// A worker's wake-up: a local [`Notify`] plus this signal's bit for the other instances.
#[derive(Clone)]
pub struct Wake {
    local: Arc<Notify>,
    bit: u32,
    marks: Arc<Marks>,
}

impl Wake {
    fn new(bit: u32, marks: &Arc<Marks>) -> Wake {
        Wake {
            local: Arc::default(),
            bit,
            marks: marks.clone(),
        }
    }

    /// Wakes this process's worker and marks the signal for every other instance.
    pub fn notify_one(&self) {
        self.local.notify_one();
        self.marks.mark(self.bit);
    }

    /// Waits until woken (here or, through the bus, by another instance).
    pub async fn notified(&self) {
        self.local.notified().await
    }
}

impl From<Wake> for Arc<Notify> {
    fn from(wake: Wake) -> Arc<Notify> {
        wake.local
    }
}

/// Signals raised here since the bus last sent them, as bits; the bus waits on `raised`.
#[derive(Default)]
pub struct Marks {
    bits: AtomicU32,
    pub raised: Notify,
}

impl Marks {
    fn mark(&self, bit: u32) {
        if self.bits.fetch_or(bit, Ordering::Relaxed) & bit == 0 {
            self.raised.notify_one();
        }
    }

    /// The bits marked since the last call.
    pub fn take(&self) -> u32 {
        self.bits.swap(0, Ordering::Relaxed)
    }
}

/// Bit of the inbox-changed signal (the wakes take the bits below it).
const CHANGED: u32 = 1 << 8;
/// Every signal: what an instance raises when it may have missed notifications.
pub const ALL: u32 = (1 << 9) - 1;

#[derive(Clone)]
pub struct Signals {
    /// Webhook bodies were committed: the processor has work.
    pub stored: Wake,
    /// Events were applied: automations look for new messages.
    pub processed: Wake,
    /// Sends were queued: the delivery worker has work.
    pub queued: Wake,
    /// Customers' messages arrived: their attachments wait to be copied. (A `Notify` wakes
    /// one waiter, so each worker has its own.)
    pub media: Wake,
    /// Customers' messages arrived: Web Push announces them.
    pub push: Wake,
    /// An automations document was applied: its Messenger profile goes to Meta.
    pub profile: Wake,
    /// A broadcast was sent, resumed or paused: its releaser looks again.
    pub broadcasts: Wake,
    /// Messages were stored: their conversations' answer times wait to be folded.
    pub answers: Wake,
    /// The processor's last claim was large: webhooks are queueing. Work that can wait for the
    /// inbox to be current (folding answer times) waits; `answers` is raised when it is.
    pub behind: Arc<std::sync::atomic::AtomicBool>,
    live: broadcast::Sender<()>,
    /// What the bus sends to other instances.
    pub marks: Arc<Marks>,
}

impl Default for Signals {
    fn default() -> Signals {
        let marks = Arc::new(Marks::default());
        Signals {
            stored: Wake::new(1, &marks),
            processed: Wake::new(1 << 1, &marks),
            queued: Wake::new(1 << 2, &marks),
            media: Wake::new(1 << 3, &marks),
            push: Wake::new(1 << 4, &marks),
            profile: Wake::new(1 << 5, &marks),
            broadcasts: Wake::new(1 << 6, &marks),
            answers: Wake::new(1 << 7, &marks),
            behind: Arc::default(),
            live: broadcast::channel(16).0,
            marks,
        }
    }
}

impl Signals {
    /// Something an inbox shows changed: open pages refresh, here and on other instances.
    pub fn changed(&self) {
        let _ = self.live.send(());
        self.marks.mark(CHANGED);
    }

    /// Receives a `()` after each change (a lagging receiver misses some: one refresh covers them).
    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.live.subscribe()
    }

    /// Raises here, without marking them again, the signals in `bits` (sent by another instance).
    pub fn raise(&self, bits: u32) {
        for wake in [
            &self.stored,
            &self.processed,
            &self.queued,
            &self.media,
            &self.push,
            &self.profile,
            &self.broadcasts,
            &self.answers,
        ] {
            if bits & wake.bit != 0 {
                wake.local.notify_one();
            }
        }
        if bits & CHANGED != 0 {
            let _ = self.live.send(());
        }
    }
}
