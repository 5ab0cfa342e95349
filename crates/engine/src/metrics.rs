//! Counters for `/metrics`, in Prometheus' text format. A handful of atomics does not need a
//! metrics crate.

use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use store::{OutboxStatus, QueueDepth, Time};

#[derive(Debug, Default)]
pub struct Metrics {
    pub received: AtomicU64,
    pub rejected_signature_missing: AtomicU64,
    pub rejected_signature_malformed: AtomicU64,
    pub rejected_signature_mismatch: AtomicU64,
    pub rejected_too_large: AtomicU64,
    pub rejected_store_unavailable: AtomicU64,
    pub bodies_processed: AtomicU64,
    pub bodies_quarantined: AtomicU64,
    pub events_processed: AtomicU64,
    pub events_duplicate: AtomicU64,
    pub sends_sent: AtomicU64,
    pub sends_retried: AtomicU64,
    pub sends_unknown: AtomicU64,
    pub sends_failed: AtomicU64,
    pub pages_paused: AtomicU64,
    /// Notifications this instance sent to and took from the others (PostgreSQL).
    pub bus_sent: AtomicU64,
    pub bus_received: AtomicU64,
    /// Times the connection listening to the other instances was lost.
    pub bus_lost: AtomicU64,
    /// Sends that waited for the page's shared rate.
    pub sends_paced: AtomicU64,
    /// Background tasks that panicked and were restarted (shared with the supervisor).
    pub task_restarts: Arc<AtomicU64>,
}

impl Metrics {
    pub fn reject(&self, reason: &str) {
        let counter = match reason {
            "signature_missing" => &self.rejected_signature_missing,
            "signature_malformed" => &self.rejected_signature_malformed,
            "signature_mismatch" => &self.rejected_signature_mismatch,
            "too_large" => &self.rejected_too_large,
            _ => &self.rejected_store_unavailable,
        };
        counter.fetch_add(1, Relaxed);
    }

    pub fn rejected_total(&self) -> u64 {
        [
            &self.rejected_signature_missing,
            &self.rejected_signature_malformed,
            &self.rejected_signature_mismatch,
            &self.rejected_too_large,
            &self.rejected_store_unavailable,
        ]
        .iter()
        .map(|c| c.load(Relaxed))
        .sum()
    }

    /// The exposition text; `queue` is read from the store at scrape time (all processes'
    /// bodies on a shared PostgreSQL), `now` in ms for the lag.
    pub fn render(
        &self,
        queue: Option<&QueueDepth>,
        outbox: &[(OutboxStatus, i64)],
        connected: &[(String, bool)],
        now: Time,
    ) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, samples: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (labels, value) in samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        counter(
            "fenestra_webhooks_received_total",
            "Webhook POSTs stored and acknowledged.",
            &[("", self.received.load(Relaxed))],
        );
        counter(
            "fenestra_webhooks_rejected_total",
            "Webhook POSTs refused, by reason.",
            &[
                (
                    "{reason=\"signature_missing\"}",
                    self.rejected_signature_missing.load(Relaxed),
                ),
                (
                    "{reason=\"signature_malformed\"}",
                    self.rejected_signature_malformed.load(Relaxed),
                ),
                (
                    "{reason=\"signature_mismatch\"}",
                    self.rejected_signature_mismatch.load(Relaxed),
                ),
                (
                    "{reason=\"too_large\"}",
                    self.rejected_too_large.load(Relaxed),
                ),
                (
                    "{reason=\"store_unavailable\"}",
                    self.rejected_store_unavailable.load(Relaxed),
                ),
            ],
        );
        counter(
            "fenestra_webhooks_processed_total",
            "Stored bodies normalized by this process.",
            &[("", self.bodies_processed.load(Relaxed))],
        );
        counter(
            "fenestra_webhooks_quarantined_total",
            "Stored bodies this process could not process, kept with their reason.",
            &[("", self.bodies_quarantined.load(Relaxed))],
        );
        counter(
            "fenestra_webhook_events_processed_total",
            "New events applied.",
            &[("", self.events_processed.load(Relaxed))],
        );
        counter(
            "fenestra_webhook_events_duplicate_total",
            "Events seen before and skipped.",
            &[("", self.events_duplicate.load(Relaxed))],
        );
        counter(
            "fenestra_sends_total",
            "Send API calls by this process, by outcome.",
            &[
                ("{outcome=\"sent\"}", self.sends_sent.load(Relaxed)),
                ("{outcome=\"retry\"}", self.sends_retried.load(Relaxed)),
                ("{outcome=\"unknown\"}", self.sends_unknown.load(Relaxed)),
                ("{outcome=\"failed\"}", self.sends_failed.load(Relaxed)),
            ],
        );
        counter(
            "fenestra_task_restarts_total",
            "Background tasks that panicked and were restarted (see the log for why).",
            &[("", self.task_restarts.load(Relaxed))],
        );
        counter(
            "fenestra_pages_paused_total",
            "Times Meta refused a page's token and its sends were paused.",
            &[("", self.pages_paused.load(Relaxed))],
        );
        counter(
            "fenestra_sends_paced_total",
            "Sends that waited for their page's rate (shared by every instance).",
            &[("", self.sends_paced.load(Relaxed))],
        );
        counter(
            "fenestra_bus_notifications_total",
            "Notifications between instances on PostgreSQL, by direction.",
            &[
                ("{direction=\"sent\"}", self.bus_sent.load(Relaxed)),
                ("{direction=\"received\"}", self.bus_received.load(Relaxed)),
            ],
        );
        counter(
            "fenestra_bus_connections_lost_total",
            "Times the connection listening to other instances dropped (every worker then looks for work).",
            &[("", self.bus_lost.load(Relaxed))],
        );
        let _ = writeln!(
            out,
            "# HELP fenestra_outbox Outbox rows by state.\n# TYPE fenestra_outbox gauge"
        );
        for (status, n) in outbox {
            let _ = writeln!(out, "fenestra_outbox{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP fenestra_page_connected 1 while the page's webhook subscription and token work (see the admins' banner).\n# TYPE fenestra_page_connected gauge"
        );
        for (page, up) in connected {
            let _ = writeln!(
                out,
                "fenestra_page_connected{{page=\"{page}\"}} {}",
                u8::from(*up)
            );
        }
        if let Some(q) = queue {
            let lag = q
                .oldest_pending_at
                .map(|t| now.since(t).as_secs_f64())
                .unwrap_or(0.0);
            let _ = write!(
                out,
                "# HELP fenestra_webhook_queue_depth Stored bodies waiting to be processed.\n\
                 # TYPE fenestra_webhook_queue_depth gauge\nfenestra_webhook_queue_depth {}\n\
                 # HELP fenestra_webhook_quarantined Stored bodies in quarantine.\n\
                 # TYPE fenestra_webhook_quarantined gauge\nfenestra_webhook_quarantined {}\n\
                 # HELP fenestra_webhook_processing_lag_seconds Age of the oldest unprocessed body.\n\
                 # TYPE fenestra_webhook_processing_lag_seconds gauge\nfenestra_webhook_processing_lag_seconds {lag:.3}\n",
                q.pending, q.quarantined
            );
        }
        out
    }
}
