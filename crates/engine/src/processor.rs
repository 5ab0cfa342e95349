//! Turns stored webhook bodies into contacts, conversations, messages and interactions.
//!
//! At-least-once: bodies are claimed with a lease, and every write is idempotent, so a body
//! processed twice (after a crash, a lease timeout or `fenestra replay`) changes nothing twice.
//! A body that cannot be parsed is quarantined with its reason; a body the database keeps
//! refusing is quarantined after [`MAX_ATTEMPTS`].

use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use store::{ProcessedBody, Time};

use crate::Engine;
use crate::normalize::normalize;
use crate::worker::{Pace, Progress, Worker};

pub const MAX_ATTEMPTS: i64 = 5;
const BATCH: i64 = 256;
/// Claims of this many bodies or more mean the processor is behind (see `Signals::behind`).
const BEHIND: i64 = BATCH / 4;
/// The most applied in one transaction, in plain events (see [`store::apply_cost`]). On SQLite a
/// transaction holds the only write lock, and webhook ingest and the delivery worker wait for
/// it: short transactions keep the 200s and the sends fast.
const COST_PER_TRANSACTION: usize = 256;
/// Other processes on a shared PostgreSQL do not notify this one: look anyway this often.
const POLL: Duration = Duration::from_millis(250);

pub struct Processor {
    pub engine: Engine,
    pub worker: String,
    pub lease: Duration,
}

impl Worker for Processor {
    fn name(&self) -> &'static str {
        "processor"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        Ok(Progress::of(self.process_batch().await?, BATCH as usize))
    }
}

impl Processor {
    /// How the processor waits: woken by each ingest commit.
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.stored.clone(), POLL)
    }

    /// Claims and processes one batch; returns how many bodies it handled.
    pub async fn process_batch(&self) -> store::Result<usize> {
        let rows = self
            .engine
            .store
            .claim_webhooks(&self.worker, BATCH, Time::now(), self.lease)
            .await?;
        let n = rows.len();
        // A quarter batch or more waited: a burst, not the steady trickle (under which the
        // answer folds, which wait while the processor is behind, would never run).
        let behind = n >= BEHIND as usize;
        if self.engine.signals.behind.swap(behind, Relaxed) && !behind {
            self.engine.signals.answers.notify_one();
        }
        let mut ready = Vec::with_capacity(n);
        for row in rows {
            match messenger::parse_body(&row.body) {
                Ok(events) => ready.push((
                    row.attempts,
                    ProcessedBody {
                        inbox_id: row.id,
                        events: events
                            .iter()
                            .map(|e| normalize(e, row.received_at))
                            .collect(),
                    },
                )),
                Err(e) => self.quarantine(row.id, &e.to_string()).await,
            }
        }
        for chunk in chunks_by_cost(ready, COST_PER_TRANSACTION) {
            self.complete(chunk).await;
        }
        Ok(n)
    }

    async fn complete(&self, ready: Vec<(i64, ProcessedBody)>) {
        let batch: Vec<ProcessedBody> = ready.iter().map(|(_, b)| b.clone()).collect();
        match self
            .engine
            .store
            .complete_webhooks(&batch, Time::now())
            .await
        {
            Ok(applied) => self.applied(batch.len(), applied),
            // One bad body must not hold back the others: retry them one by one.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(error = %e, "applying a batch failed; retrying body by body");
                for (attempts, body) in ready {
                    self.complete_one(attempts, body).await;
                }
            }
            Err(e) => self.failed(ready[0].0, ready[0].1.inbox_id, &e).await,
        }
    }

    async fn complete_one(&self, attempts: i64, body: ProcessedBody) {
        let id = body.inbox_id;
        match self
            .engine
            .store
            .complete_webhooks(&[body], Time::now())
            .await
        {
            Ok(applied) => self.applied(1, applied),
            Err(e) => self.failed(attempts, id, &e).await,
        }
    }

    /// Counts what was applied and wakes what follows (automations, browsers).
    fn applied(&self, bodies: usize, applied: store::Applied) {
        self.engine.signals.processed.notify_one();
        self.engine.signals.media.notify_one();
        self.engine.signals.push.notify_one();
        self.engine.signals.answers.notify_one();
        self.engine.signals.changed();
        let metrics = &self.engine.metrics;
        metrics.bodies_processed.fetch_add(bodies as u64, Relaxed);
        metrics
            .events_processed
            .fetch_add(applied.new_events, Relaxed);
        metrics
            .events_duplicate
            .fetch_add(applied.duplicates, Relaxed);
    }

    /// The body stays claimed until its lease ends, then is tried again, up to MAX_ATTEMPTS.
    async fn failed(&self, attempts: i64, inbox_id: i64, error: &store::StoreError) {
        if attempts >= MAX_ATTEMPTS {
            let reason = format!("not stored after {attempts} attempts: {error}");
            self.quarantine(inbox_id, &reason).await;
        } else {
            tracing::warn!(inbox_id, attempts, %error, "processing a webhook body failed; it will be retried");
        }
    }

    async fn quarantine(&self, inbox_id: i64, reason: &str) {
        tracing::warn!(inbox_id, reason, "webhook body quarantined");
        match self
            .engine
            .store
            .quarantine_webhook(inbox_id, reason, Time::now())
            .await
        {
            Ok(()) => {
                self.engine.metrics.bodies_quarantined.fetch_add(1, Relaxed);
            }
            Err(e) => {
                tracing::error!(inbox_id, error = %e, "could not quarantine; the body stays queued")
            }
        }
    }
}

/// Consecutive groups of bodies costing at most `max` to apply (a costlier body alone).
fn chunks_by_cost(bodies: Vec<(i64, ProcessedBody)>, max: usize) -> Vec<Vec<(i64, ProcessedBody)>> {
    let mut chunks: Vec<Vec<(i64, ProcessedBody)>> = Vec::new();
    let mut spent = 0;
    for body in bodies {
        let cost: usize = body.1.events.iter().map(store::apply_cost).sum();
        match chunks.last_mut() {
            Some(chunk) if spent + cost <= max => chunk.push(body),
            _ => {
                chunks.push(vec![body]);
                spent = 0;
            }
        }
        spent += cost;
    }
    chunks
}

/// A name for this process's claims: host-independent but unique enough across restarts.
pub fn worker_id() -> String {
    format!("{}-{}", std::process::id(), Time::now().ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, events: usize) -> (i64, ProcessedBody) {
        let ev = store::NormalizedEvent {
            page_id: "1".into(),
            event_key: "k".into(),
            kind: "read".into(),
            psid: None,
            at: Time::EPOCH,
            interaction: None,
            opens_window: false,
            thread: None,
            source: None,
            summary: None,
            detail: None,
            effect: store::Effect::None,
        };
        (
            1,
            ProcessedBody {
                inbox_id: id,
                events: vec![ev; events],
            },
        )
    }

    /// A body of `events` read receipts, each applied alone.
    fn receipts(id: i64, events: usize) -> (i64, ProcessedBody) {
        let mut b = body(id, events);
        for ev in &mut b.1.events {
            ev.effect = store::Effect::Read {
                watermark: Time::EPOCH,
            };
        }
        b
    }

    #[test]
    fn chunks_hold_at_most_the_budget() {
        let sizes = |chunks: Vec<Vec<(i64, ProcessedBody)>>| -> Vec<Vec<i64>> {
            chunks
                .into_iter()
                .map(|c| c.into_iter().map(|(_, b)| b.inbox_id).collect())
                .collect()
        };
        let chunks = chunks_by_cost(
            vec![
                body(1, 30),
                body(2, 30),
                body(3, 10),
                body(4, 100),
                body(5, 1),
            ],
            64,
        );
        assert_eq!(sizes(chunks), vec![vec![1, 2], vec![3], vec![4], vec![5]]);
        assert!(chunks_by_cost(vec![], 64).is_empty());
        // Events applied alone cost more: four receipts weigh 32 plain events.
        let chunks = chunks_by_cost(
            vec![receipts(6, 4), body(7, 40), receipts(8, 2), body(9, 40)],
            64,
        );
        assert_eq!(sizes(chunks), vec![vec![6], vec![7, 8], vec![9]]);
    }
}
