//! Starting and stopping the server: store, engine workers, HTTP. Shutdown goes in order: the
//! HTTP server stops accepting and finishes its requests (whose bodies the ingest writer still
//! commits), then every background task is told to stop and awaited.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use engine::Engine;
use engine::automate::Automate;
use engine::delivery::Delivery;
use engine::ingest::Ingest;
use engine::maintenance::Maintenance;
use engine::processor::{Processor, worker_id};
use engine::profile_push::ProfilePush;
use engine::worker::Supervisor;
use messenger::GraphClient;
use store::{Page, Store};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::ServeConfig;
use crate::routes::router;
use crate::state::AppState;

/// How long background tasks get to finish at shutdown.
const GRACE: Duration = Duration::from_secs(10);

pub struct RunningServer {
    pub addr: SocketAddr,
    pub engine: Engine,
    pub store: Arc<dyn Store>,
    stop_http: watch::Sender<bool>,
    http: JoinHandle<()>,
    supervisor: Supervisor,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests, lets in-flight ones finish, then stops the workers.
    pub async fn shutdown(self) {
        let _ = self.stop_http.send(true);
        let _ = self.http.await;
        self.supervisor.shutdown(GRACE).await;
    }

    /// Serves until `signal` completes (then shuts down gracefully) or the server fails.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> anyhow::Result<()> {
        tokio::select! {
            r = &mut self.http => {
                self.supervisor.shutdown(GRACE).await;
                r.context("the HTTP server failed")?;
                anyhow::bail!("the HTTP server stopped");
            }
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
    let graph = GraphClient::new(&config.graph_url, config.graph_timeout);
    let mut engine = Engine::new(store.clone(), graph);
    engine.call_secret = config
        .flow_secret
        .as_deref()
        .unwrap_or(&config.app_secret)
        .into();
    let mut supervisor = Supervisor::new(engine.metrics.task_restarts.clone());

    let maintenance = Maintenance {
        engine: engine.clone(),
        webhook_retention: config.webhook_retention,
    };
    let pace = maintenance.pace();
    supervisor.spawn_worker(Arc::new(maintenance), pace);
    let (ingest, writer) = Ingest::new(engine.clone());
    supervisor.spawn("ingest", move |stop| {
        let writer = writer.clone();
        async move { writer.run(stop).await }
    });
    if config.process && config.role.works() {
        let processor = Processor {
            engine: engine.clone(),
            worker: worker_id(),
            lease: config.lease,
        };
        let pace = processor.pace();
        supervisor.spawn_worker(Arc::new(processor), pace);
        let folder = engine::analytics::rollup::AnswerFolder {
            engine: engine.clone(),
        };
        let pace = folder.pace();
        supervisor.spawn_worker(Arc::new(folder), pace);
    }
    if config.deliver && config.role.works() {
        let delivery = Arc::new(Delivery::new(
            engine.clone(),
            config.delivery.clone(),
            worker_id(),
        ));
        for _ in 0..config.delivery.pipelines.max(1) {
            supervisor.spawn_worker(delivery.clone(), delivery.pace());
        }
        let automate = Automate {
            engine: engine.clone(),
        };
        let pace = automate.pace();
        supervisor.spawn_worker(Arc::new(automate), pace);
        let reminders = engine::bookings::BookingReminders {
            engine: engine.clone(),
        };
        let pace = reminders.pace();
        supervisor.spawn_worker(Arc::new(reminders), pace);
        let releaser = engine::broadcast::release::Releaser::new(engine.clone());
        let pace = releaser.pace();
        supervisor.spawn_worker(Arc::new(releaser), pace);
        let timers = engine::flows::FlowTimers {
            engine: engine.clone(),
        };
        let pace = timers.pace();
        supervisor.spawn_worker(Arc::new(timers), pace);
        let watch = engine::connection::ConnectionWatch {
            engine: engine.clone(),
            app_id: config.app_id.clone(),
            every: config.connection_check,
        };
        let pace = watch.pace();
        supervisor.spawn_worker(Arc::new(watch), pace);
        let profile = ProfilePush::new(engine.clone());
        let pace = profile.pace();
        supervisor.spawn_worker(Arc::new(profile), pace);
        let media = engine::media::MediaCopier {
            engine: engine.clone(),
        };
        let pace = media.pace();
        supervisor.spawn_worker(Arc::new(media), pace);
        let push = engine::push::PushNotifier {
            engine: engine.clone(),
            contact: config
                .public_url
                .clone()
                .unwrap_or_else(|| "mailto:fenestra@localhost".into()),
        };
        let pace = push.pace();
        supervisor.spawn_worker(Arc::new(push), pace);
    }
    // Instances on a shared PostgreSQL wake each other; one SQLite process needs nobody.
    if store.backend() == "postgres" {
        engine::bus::spawn(&mut supervisor, &engine, worker_id());
    }
    let store_for_prune = store.clone();
    supervisor.spawn("login_guard_prune", move |mut stop| {
        let store = store_for_prune.clone();
        async move {
            while !*stop.borrow() {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(60)) => {
                        crate::pages::login_guard::prune(store.as_ref()).await
                    }
                    _ = stop.changed() => {}
                }
            }
        }
    });
    // Server-sent events end when the HTTP server stops, or its graceful shutdown would wait
    // for them forever.
    let (stop_http, http_stopped) = watch::channel(false);
    let state = AppState {
        engine: engine.clone(),
        ingest,
        app_secret: config.app_secret.as_str().into(),
        verify_token: config.verify_token.as_str().into(),
        trusted_proxies: config.trusted_proxies.clone().into(),
        secure_cookies: config.secure_cookies(),
        stopping: http_stopped.clone(),
        login: config.login_setup(addr).map(Arc::new),
        logins: Arc::default(),
    };
    let app = if config.role.serves_web() {
        router(state, config.max_body_bytes)
    } else {
        crate::routes::health_router(state)
    };
    let http = tokio::spawn(crate::listener::serve(
        listener,
        app,
        config.header_timeout,
        http_stopped,
    ));
    tracing::info!(%addr, backend = store.backend(), role = config.role.name(), "fenestra serving");
    Ok(RunningServer {
        addr,
        engine,
        store,
        stop_http,
        http,
        supervisor,
    })
}
