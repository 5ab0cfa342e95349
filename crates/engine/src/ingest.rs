//! Durable ingest with group commit.
//!
//! Every acknowledged body must be on disk before its 200. One transaction per request would
//! cap throughput at the disk's sync rate, so request handlers hand their bodies to a single
//! writer task, which stores everything that queued up while the previous commit was syncing
//! in one transaction, then answers each handler. Under load, batches grow by themselves.
//!
//! The writer runs under the [`crate::worker::Supervisor`]: if it panics, the handlers of its
//! batch get [`IngestError::Stopped`] (a 503, so Meta delivers again) and a new writer takes
//! over the queue.

use std::sync::Arc;

use store::{IncomingBody, Time};
use tokio::sync::{Mutex, mpsc, oneshot, watch};

use crate::Engine;

/// Most bodies committed in one transaction.
const MAX_BATCH: usize = 512;

struct Pending {
    body: IncomingBody,
    reply: oneshot::Sender<Result<i64, String>>,
}

/// Where request handlers hand bodies over.
#[derive(Clone)]
pub struct Ingest {
    tx: mpsc::Sender<Pending>,
}

/// The task that commits them.
pub struct IngestWriter {
    engine: Engine,
    rx: Mutex<mpsc::Receiver<Pending>>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the database did not store the body: {0}")]
    Store(String),
    #[error("the ingest writer has stopped")]
    Stopped,
}

impl Ingest {
    /// The handlers' side and the writer (to run with [`IngestWriter::run`]).
    pub fn new(engine: Engine) -> (Ingest, Arc<IngestWriter>) {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 8);
        let writer = IngestWriter {
            engine,
            rx: Mutex::new(rx),
        };
        (Ingest { tx }, Arc::new(writer))
    }

    /// Returns once the body is committed, with its inbox id.
    pub async fn store(&self, body: Vec<u8>) -> Result<i64, IngestError> {
        let body = IncomingBody {
            received_at: Time::now(),
            body,
        };
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Pending { body, reply })
            .await
            .map_err(|_| IngestError::Stopped)?;
        answer
            .await
            .map_err(|_| IngestError::Stopped)?
            .map_err(IngestError::Store)
    }
}

impl IngestWriter {
    /// Commits what handlers hand over until `stop` (stop the HTTP server first, so no
    /// handler is left waiting).
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        let mut rx = self.rx.lock().await;
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            tokio::select! {
                n = rx.recv_many(&mut batch, MAX_BATCH) => if n == 0 { return },
                _ = stop.wait_for(|s| *s) => return,
            }
            let (bodies, replies): (Vec<_>, Vec<_>) =
                batch.drain(..).map(|p| (p.body, p.reply)).unzip();
            match self.engine.store.enqueue_webhooks(&bodies).await {
                Ok(ids) => {
                    for (reply, id) in replies.into_iter().zip(ids) {
                        let _ = reply.send(Ok(id));
                    }
                    self.engine.signals.stored.notify_one();
                }
                Err(e) => {
                    tracing::error!(error = %e, bodies = bodies.len(), "storing webhook bodies failed; answering 503 so Meta retries");
                    for reply in replies {
                        let _ = reply.send(Err(e.to_string()));
                    }
                }
            }
        }
    }
}
