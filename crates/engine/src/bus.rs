//! Signals between instances sharing a PostgreSQL database, over `LISTEN/NOTIFY`.
//!
//! * [`publish`] sends what this instance marked (see [`crate::signals`]) as one `NOTIFY`
//!   `INSTANCE:BITS`, at most every [`SPACING`]: a burst of a thousand stored webhooks costs a
//!   few notifications, and the other instances hear of it within tens of milliseconds.
//! * [`listen`] raises here the signals other instances sent (its own are skipped). When its
//!   connection drops, notifications may have been lost meanwhile, so it raises every signal:
//!   a worker woken for nothing finds nothing and sleeps again.
//!
//! On SQLite (one process) neither runs: `subscribe` answers `None`.

use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use store::Subscription;
use tokio::sync::watch;

use crate::Engine;
use crate::signals::ALL;
use crate::worker::Supervisor;

/// The shortest time between two notifications from one instance.
pub const SPACING: Duration = Duration::from_millis(20);
/// After the listening connection failed, it is tried again this long after.
const RETRY: Duration = Duration::from_secs(1);

/// Runs [`publish`] and [`listen`] for the instance named `instance` (`processor::worker_id`).
pub fn spawn(supervisor: &mut Supervisor, engine: &Engine, instance: String) {
    let (e, i) = (engine.clone(), instance.clone());
    supervisor.spawn("bus_publish", move |stop| {
        publish(e.clone(), i.clone(), stop)
    });
    let (e, i) = (engine.clone(), instance);
    supervisor.spawn("bus_listen", move |stop| listen(e.clone(), i.clone(), stop));
}

/// Sends this instance's marks until `stop`.
pub async fn publish(engine: Engine, instance: String, mut stop: watch::Receiver<bool>) {
    let marks = engine.signals.marks.clone();
    while !*stop.borrow() {
        tokio::select! {
            _ = marks.raised.notified() => {}
            _ = stop.changed() => continue,
        }
        tokio::time::sleep(SPACING).await;
        let bits = marks.take();
        if bits == 0 {
            continue;
        }
        match engine.store().publish(&format!("{instance}:{bits}")).await {
            Ok(()) => {
                engine.metrics.bus_sent.fetch_add(1, Relaxed);
            }
            Err(e) => {
                tracing::warn!(error = %e, "telling other instances failed; they will find the work when they poll")
            }
        }
    }
}

/// Raises here what other instances send, until `stop`.
pub async fn listen(engine: Engine, instance: String, mut stop: watch::Receiver<bool>) {
    let mut subscription: Option<Subscription> = None;
    while !*stop.borrow() {
        let Some(sub) = subscription.as_mut() else {
            match engine.store().subscribe().await {
                Ok(Some(sub)) => {
                    subscription = Some(sub);
                    // Whatever was sent before this connection listened is unknown here.
                    engine.signals.raise(ALL);
                }
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "listening to other instances failed; trying again");
                    tokio::select! {
                        _ = tokio::time::sleep(RETRY) => {}
                        _ = stop.changed() => {}
                    }
                }
            }
            continue;
        };
        tokio::select! {
            got = sub.recv() => match got {
                Ok(Some(payload)) => {
                    if let Some(bits) = from_others(&payload, &instance) {
                        engine.metrics.bus_received.fetch_add(1, Relaxed);
                        engine.signals.raise(bits);
                    }
                }
                // Reconnecting: what was sent meanwhile is lost.
                Ok(None) => {
                    engine.metrics.bus_lost.fetch_add(1, Relaxed);
                    engine.signals.raise(ALL);
                }
                Err(e) => {
                    engine.metrics.bus_lost.fetch_add(1, Relaxed);
                    tracing::warn!(error = %e, "the connection listening to other instances failed");
                    subscription = None;
                }
            },
            _ = stop.changed() => {}
        }
    }
}

/// The bits in `payload` unless this instance sent it.
fn from_others(payload: &str, instance: &str) -> Option<u32> {
    let (from, bits) = payload.split_once(':')?;
    if from == instance {
        return None;
    }
    bits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_ignores_its_own_notifications_and_garbage() {
        assert_eq!(from_others("b:5", "a"), Some(5));
        assert_eq!(from_others("a:5", "a"), None);
        assert_eq!(from_others("b:five", "a"), None);
        assert_eq!(from_others("nothing", "a"), None);
    }
}
