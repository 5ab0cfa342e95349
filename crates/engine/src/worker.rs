//! One way to run background work. A [`Worker`] does a round of work ([`Worker::run_once`]);
//! [`run`] repeats it while there is more, sleeps until woken or until its poll interval
//! passes, backs off after errors, and returns when told to stop. A [`Supervisor`] runs each
//! loop as a task, restarts one that panics (logging why, counting it), and awaits them all at
//! shutdown, so no task stops silently and none outlives the server.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// What a round of work found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nothing (or less than a full batch) was waiting: sleep until woken.
    Idle,
    /// A full batch was handled: there may be more, go again at once.
    More,
}

impl Progress {
    /// `More` when a batch came back full.
    pub fn of(handled: usize, batch: usize) -> Progress {
        if handled >= batch {
            Progress::More
        } else {
            Progress::Idle
        }
    }
}

pub trait Worker: Send + Sync + 'static {
    /// For logs: `processor`, `delivery`, `instant_reply`.
    fn name(&self) -> &'static str;
    fn run_once(&self) -> impl Future<Output = anyhow::Result<Progress>> + Send;
}

/// How a loop waits between rounds.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Woken early by this (a write that gave the worker something to do).
    pub wake: Arc<Notify>,
    /// Looks anyway this often (other processes on a shared database wake nobody here).
    pub poll: Duration,
    /// After an error, waits this long before trying again.
    pub after_error: Duration,
}

impl Pace {
    pub fn new(wake: impl Into<Arc<Notify>>, poll: Duration) -> Pace {
        Pace {
            wake: wake.into(),
            poll,
            after_error: Duration::from_secs(1),
        }
    }
}

/// Runs `worker` until `stop` turns true.
pub async fn run<W: Worker>(worker: &W, pace: &Pace, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        let wait = match worker.run_once().await {
            Ok(Progress::More) => continue,
            Ok(Progress::Idle) => pace.poll,
            Err(e) => {
                tracing::warn!(worker = worker.name(), error = %e, "a round of work failed; trying again soon");
                pace.after_error
            }
        };
        tokio::select! {
            _ = pace.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Runs background tasks, restarts those that panic, stops and awaits them all.
pub struct Supervisor {
    tasks: JoinSet<()>,
    stop: watch::Sender<bool>,
    /// Panics caught and restarted, across all tasks.
    pub restarts: Arc<AtomicU64>,
}

impl Default for Supervisor {
    fn default() -> Self {
        Supervisor::new(Arc::default())
    }
}

/// A restarted task waits this long first, so a task that panics at once does not spin.
const RESTART_DELAY: Duration = Duration::from_secs(1);

impl Supervisor {
    /// Counts restarts in `restarts` (the engine's metrics show them).
    pub fn new(restarts: Arc<AtomicU64>) -> Supervisor {
        Supervisor {
            tasks: JoinSet::new(),
            stop: watch::channel(false).0,
            restarts,
        }
    }

    /// Turns true when the supervisor stops: long-lived work (loops, server-sent events) ends then.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Runs the task `start` makes; if it panics, logs it and starts a new one. A task that
    /// returns is done (it saw the stop signal, or had nothing more to do).
    pub fn spawn<F, Fut>(&mut self, name: &'static str, start: F)
    where
        F: Fn(watch::Receiver<bool>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let stop = self.stop.subscribe();
        let restarts = self.restarts.clone();
        self.tasks.spawn(async move {
            loop {
                match tokio::spawn(start(stop.clone())).await {
                    Ok(()) => return,
                    Err(e) if e.is_panic() => {
                        let why = panic_message(e.into_panic());
                        restarts.fetch_add(1, Relaxed);
                        tracing::error!(task = name, panic = %why, "a background task panicked; restarting it");
                    }
                    Err(_) => return,
                }
                if *stop.borrow() {
                    return;
                }
                tokio::time::sleep(RESTART_DELAY).await;
            }
        });
    }

    /// Runs `worker` in a supervised [`run`] loop.
    pub fn spawn_worker<W: Worker>(&mut self, worker: Arc<W>, pace: Pace) {
        let name = worker.name();
        self.spawn(name, move |stop| {
            let (worker, pace) = (worker.clone(), pace.clone());
            async move { run(worker.as_ref(), &pace, stop).await }
        });
    }

    /// Tells every task to stop and waits for them (at most `grace`; the rest are aborted).
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        let all = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("background tasks did not stop within {grace:?}; aborting them");
            self.tasks.shutdown().await;
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    struct Flaky {
        rounds: AtomicUsize,
    }

    impl Worker for Flaky {
        fn name(&self) -> &'static str {
            "flaky"
        }
        async fn run_once(&self) -> anyhow::Result<Progress> {
            let n = self.rounds.fetch_add(1, Relaxed);
            if n == 1 {
                panic!("round {n} went wrong");
            }
            Ok(if n < 4 {
                Progress::More
            } else {
                Progress::Idle
            })
        }
    }

    #[tokio::test]
    async fn a_panicking_worker_is_restarted_and_everything_stops_on_shutdown() {
        let mut sup = Supervisor::default();
        let flaky = Arc::new(Flaky {
            rounds: AtomicUsize::new(0),
        });
        let pace = Pace::new(Arc::default(), Duration::from_millis(5));
        sup.spawn_worker(flaky.clone(), pace);
        let restarts = sup.restarts.clone();
        tokio::time::timeout(Duration::from_secs(10), async {
            while flaky.rounds.load(Relaxed) < 6 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("the worker kept going after its panic");
        assert_eq!(restarts.load(Relaxed), 1);
        sup.shutdown(Duration::from_secs(5)).await;
        let after = flaky.rounds.load(Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            flaky.rounds.load(Relaxed),
            after,
            "still running after shutdown"
        );
    }
}
