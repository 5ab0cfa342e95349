//! Starting and stopping the server: store, ingest writer, processor, HTTP.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use messenger::GraphClient;
use store::{Page, Store};
use tokio::net::TcpListener;
use tokio::sync::{Notify, broadcast, watch};
use tokio::task::JoinHandle;

use crate::config::ServeConfig;
use crate::delivery::Delivery;
use crate::ingest::Ingest;
use crate::instant_reply::InstantReply;
use crate::metrics::Metrics;
use crate::processor::{Processor, worker_id};
use crate::profiles::Profiles;
use crate::routes::{AppState, router};

pub struct RunningServer {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// Wakes the delivery worker (after queuing from outside the server's own tasks).
    pub queued: Arc<Notify>,
    stop: watch::Sender<bool>,
    http: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests and lets in-flight ones finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.http.await;
    }

    /// Serves until `signal` completes (then shuts down gracefully) or the server fails.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> anyhow::Result<()> {
        tokio::select! {
            r = &mut self.http => return r?.context("the HTTP server failed"),
            () = signal => {}
        }
        self.shutdown().await;
        Ok(())
    }
}

/// Opens the database, registers configured pages, binds and starts everything.
pub async fn start(config: ServeConfig) -> anyhow::Result<RunningServer> {
    let store = store::connect(&config.database_url).await?;
    for (id, token) in &config.pages {
        store
            .upsert_page(&Page {
                id: id.clone(),
                name: None,
                access_token: Some(token.clone()),
                ..Page::default()
            })
            .await?;
    }
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let metrics = Arc::new(Metrics::default());
    let stored = Arc::new(Notify::new());
    let (stop, stopped) = watch::channel(false);

    let processed = Arc::new(Notify::new());
    let (live, _) = broadcast::channel(16);
    let queued = Arc::new(Notify::new());
    if config.process {
        let processor = Processor {
            store: store.clone(),
            metrics: metrics.clone(),
            worker: worker_id(),
            lease: config.lease,
            processed: processed.clone(),
            live: live.clone(),
        };
        tokio::spawn(processor.run(stored.clone(), stopped.clone()));
    }
    let graph = GraphClient::new(&config.graph_url, config.graph_timeout);
    if config.deliver {
        let mut delivery = Delivery::new(
            store.clone(),
            graph.clone(),
            config.delivery.clone(),
            metrics.clone(),
            worker_id(),
        );
        delivery.live = Some(live.clone());
        tokio::spawn(Arc::new(delivery).run(queued.clone(), stopped.clone()));
        let instant_reply = InstantReply {
            store: store.clone(),
            profiles: Profiles {
                store: store.clone(),
                graph: graph.clone(),
                live: Some(live.clone()),
            },
            queued: queued.clone(),
        };
        tokio::spawn(instant_reply.run(processed, stopped.clone()));
    }
    let state = AppState {
        store: store.clone(),
        ingest: Ingest::start(store.clone(), stored),
        metrics: metrics.clone(),
        app_secret: config.app_secret.as_str().into(),
        verify_token: config.verify_token.as_str().into(),
        queued: queued.clone(),
        live,
        login_limiter: crate::web::login_limiter(),
        stopping: stopped.clone(),
        graph,
    };
    let app = router(state, config.max_body_bytes);
    let mut stop_http = stopped;
    let http = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop_http.wait_for(|stop| *stop).await;
            })
            .await
    });
    tracing::info!(%addr, backend = store.backend(), "fenestra serving");
    Ok(RunningServer {
        addr,
        store,
        metrics,
        queued,
        stop,
        http,
    })
}
