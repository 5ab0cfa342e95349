//! Durable ingest with group commit.
//!
//! Every acknowledged body must be on disk before its 200. One transaction per request would
//! cap throughput at the disk's sync rate, so request handlers hand their bodies to a single
//! writer task, which stores everything that queued up while the previous commit was syncing
//! in one transaction, then answers each handler. Under load, batches grow by themselves.

use std::sync::Arc;

use store::{IncomingBody, Store};
use tokio::sync::{Notify, mpsc, oneshot};

/// Most bodies committed in one transaction.
const MAX_BATCH: usize = 512;

struct Pending {
    body: IncomingBody,
    reply: oneshot::Sender<Result<i64, String>>,
}

#[derive(Clone)]
pub struct Ingest {
    tx: mpsc::Sender<Pending>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the database did not store the body: {0}")]
    Store(String),
    #[error("the ingest writer has stopped")]
    Stopped,
}

impl Ingest {
    /// Starts the writer; `stored` is notified after each commit so the processor wakes up.
    pub fn start(store: Arc<dyn Store>, stored: Arc<Notify>) -> Ingest {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 8);
        tokio::spawn(writer(store, rx, stored));
        Ingest { tx }
    }

    /// Returns once the body is committed, with its inbox id.
    pub async fn store(&self, body: IncomingBody) -> Result<i64, IngestError> {
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

async fn writer(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Pending>, stored: Arc<Notify>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (bodies, replies): (Vec<_>, Vec<_>) =
            batch.drain(..).map(|p| (p.body, p.reply)).unzip();
        match store.enqueue_webhooks(&bodies).await {
            Ok(ids) => {
                for (reply, id) in replies.into_iter().zip(ids) {
                    let _ = reply.send(Ok(id));
                }
                stored.notify_one();
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
