//! `fenestra demo`: the emulator and the server in one process, on SQLite in a fresh data
//! directory, with a page, customers with history, a one-time token and an approved utility
//! template. The history is played through the emulator with its clock set days back, then
//! moved to the present, so Meta's side and Fenestra's agree on every window.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use emulator::client::ControlClient;
use engine::Engine;
use messenger::GraphClient;
use serde_json::json;
use store::{PageSettings, Store, Time};
use web::ServeConfig;

const PAGE_ID: &str = "1001";
const PAGE_TOKEN: &str = "DEMO_PAGE_TOKEN";
const APP_SECRET: &str = "demo-app-secret";
const VERIFY_TOKEN: &str = "demo-verify-token";
const DAY_MS: i64 = 24 * 3_600_000;
pub const ADMIN: (&str, &str) = ("admin", "fenestra-demo");

#[derive(clap::Args)]
pub struct Args {
    /// Where Fenestra listens (the inbox, the webhook, the API). Port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where the emulator listens (Graph API, phone page). Port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:9090")]
    emulator_listen: SocketAddr,
    /// A new or empty directory for the database; default: a fresh one under the temp dir.
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// One seeded customer, for the printed table.
struct Seeded {
    name: &'static str,
    psid: String,
    state: &'static str,
}

impl Args {
    pub async fn run(self) -> anyhow::Result<()> {
        let dir = fresh_dir(self.data_dir)?;
        let listen = resolve(self.listen)?;
        let emulator_listen = resolve(self.emulator_listen)?;
        let graph_url = format!("http://{emulator_listen}/v27.0");
        let mut config = ServeConfig::new(
            &listen.to_string(),
            &format!("sqlite://{}", dir.join("fenestra.db").display()),
            Some(APP_SECRET.into()),
            Some(VERIFY_TOKEN.into()),
            &graph_url,
            Some(PAGE_ID.into()),
            Some(PAGE_TOKEN.into()),
        )?;
        // Demo sends are few; a short reconcile keeps an ambiguous one from lingering.
        config.delivery.reconcile = Duration::from_secs(10);
        // Settings → Connect a Page runs against the emulator's Login dialog.
        config.app_id = Some(emulator::state::Page::default().app_id);
        config.dialog_url = graph_url.clone();
        let server = web::start(config).await?;
        let now = Time::now().ms();
        let emulator = emulator::start(emulator::Config {
            webhook_url: Some(format!("{}/webhook", server.url())),
            app_secret: APP_SECRET.into(),
            verify_token: VERIFY_TOKEN.into(),
            page_id: PAGE_ID.into(),
            page_token: PAGE_TOKEN.into(),
            now_ms: Some(now - 9 * DAY_MS),
            retry_base: Duration::from_millis(200),
            ..emulator::Config::new(emulator_listen)
        })
        .await?;
        let customers = seed(&server.engine, &emulator.url(), &graph_url)
            .await
            .context("seeding the demo")?;

        println!("Fenestra demo is running. Data: {}", dir.display());
        println!(
            "  inbox:   {}/    (login {} / {})",
            server.url(),
            ADMIN.0,
            ADMIN.1
        );
        println!(
            "           an agent too: mai / {} (agents cannot change settings)",
            ADMIN.1
        );
        println!(
            "  api:     {}/api/v1    (fenestra user token --username admin --database-url sqlite://{})",
            server.url(),
            dir.join("fenestra.db").display()
        );
        println!(
            "  phone:   {}/phone    (play the customers)",
            emulator.url()
        );
        println!("  metrics: {}/metrics", server.url());
        println!("Seeded customers of page {PAGE_ID}:");
        for c in &customers {
            println!("  {:<8} {:<18} {}", c.name, c.psid, c.state);
        }
        println!(
            "Try: fenestra send --database-url sqlite://{} --page {PAGE_ID} --to {} --text 'Your order is ready'",
            dir.join("fenestra.db").display(),
            customers[0].psid
        );
        println!(
            "Fenestra's clock follows the emulator's: move it forward (POST {}/_emulator/clock/advance {{\"seconds\": 86400}}) and timers and reminders fire.",
            emulator.url()
        );
        println!("Ctrl-C stops.");
        follow_the_emulator_clock(emulator.emu.clone());
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping");
        };
        let result = server.run_until(stop).await;
        emulator.shutdown().await;
        result
    }
}

/// From now on Fenestra's clock is the emulator's (when it is ahead of the wall clock): moving
/// the emulator's clock fires flow waits and appointment reminders.
fn follow_the_emulator_clock(emu: std::sync::Arc<emulator::Emu>) {
    tokio::spawn(async move {
        loop {
            Time::shift(emu.clock.offset_ms().max(0));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
}

/// Plays the history, creates the template, turns the instant reply on.
/// The demo shop's automations document.
const DEMO_AUTOMATIONS: &str = include_str!("demo-automations.yaml");
/// The example flows.
const DEMO_FLOWS: &str = include_str!("../../../../examples/flows/salon.yaml");
const DEMO_OCC: &str = include_str!("../../../../examples/flows/original-coast-clothing.yaml");

/// A shop's order system for the demo, on 127.0.0.1: even orders have shipped, odd ones are
/// being packed. Its address.
async fn pretend_order_system() -> anyhow::Result<String> {
    async fn status(
        axum::Json(asked): axum::Json<serde_json::Value>,
    ) -> axum::Json<serde_json::Value> {
        let id: u64 = asked["fields"]["order_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let (status, eta) = if id.is_multiple_of(2) {
            ("shipped", "2 days")
        } else {
            ("being packed", "4 days")
        };
        axum::Json(json!({"order": {"id": id, "status": status, "eta": eta}}))
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/status", listener.local_addr()?);
    let app = axum::Router::new().route("/status", axum::routing::post(status));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

async fn seed(engine: &Engine, emulator_url: &str, graph_url: &str) -> anyhow::Result<Vec<Seeded>> {
    let store = engine.store();
    let ctl = ControlClient::new(emulator_url);
    let settle = Duration::from_secs(10);
    let mut seeded = vec![];
    let mut customer =
        async |name: &'static str, last: &str, locale: &str, says: &str, state: &'static str| {
            let psid = ctl.customer(name, last, locale).await?;
            ctl.say(&psid, says).await?;
            seeded.push(Seeded {
                name,
                psid: psid.clone(),
                state,
            });
            anyhow::Ok(psid)
        };
    // Nine days ago: the window closed last week, HUMAN_AGENT's 7 days are over too.
    let hoa = customer(
        "Hoa",
        "Pham",
        "vi_VN",
        "Chị ơi, váy xanh còn size M không?",
        "wrote 9 days ago and subscribed to marketing messages: a utility template or a paid marketing message reaches her",
    )
    .await?;
    ctl.post(
        &format!("/users/{hoa}/optin"),
        json!({"type": "notification_messages", "payload": "DEALS", "title": "Ưu đãi hằng tuần"}),
    )
    .await?;
    ctl.webhooks_delivered(settle).await?;
    ctl.catch_up_to(Time::now().ms() - 3 * DAY_MS).await?;
    // Three days ago: outside the window, inside HUMAN_AGENT's 7 days.
    customer(
        "Karim",
        "Haddad",
        "ar_AR",
        "مرحبا، هل طلبي جاهز؟",
        "wrote 3 days ago: an agent may answer with HUMAN_AGENT",
    )
    .await?;
    let giulia = customer(
        "Giulia",
        "Rossi",
        "it_IT",
        "Avvisatemi quando torna la borsa nera",
        "wrote 3 days ago and holds a one-time token",
    )
    .await?;
    ctl.post(
        &format!("/users/{giulia}/optin"),
        json!({"type": "one_time_notif_req", "payload": "back_in_stock"}),
    )
    .await?;
    ctl.webhooks_delivered(settle).await?;
    ctl.catch_up_to(Time::now().ms() - 2 * 3_600_000).await?;
    // Two hours ago and now: inside the window.
    customer(
        "Aisyah",
        "Rahman",
        "ms_MY",
        "Boleh saya tempah untuk esok pukul 3?",
        "wrote 2 hours ago: inside the 24-hour window",
    )
    .await?;
    ctl.webhooks_delivered(settle).await?;
    ctl.catch_up_to(Time::now().ms()).await?;
    customer(
        "Linh",
        "Nguyen",
        "vi_VN",
        "Hi! Is the shop open today?",
        "wrote just now: inside the 24-hour window",
    )
    .await?;
    // Staff answered Minh from Meta Business Suite: its inbox controls his thread, so
    // Fenestra's automations and replies wait until an agent takes over.
    let minh = ctl.customer("Minh", "Tran", "vi_VN").await?;
    ctl.post(
        &format!("/users/{minh}/inbox_reply"),
        json!({"text": "Chào anh, shop đây ạ!"}),
    )
    .await?;
    ctl.say(&minh, "Áo sơ mi trắng còn size L không shop?")
        .await?;
    seeded.push(Seeded {
        name: "Minh",
        psid: minh,
        state: "Meta Business Suite's inbox handles his thread: no automation until an agent takes over",
    });
    ctl.webhooks_delivered(settle).await?;

    let graph = GraphClient::new(graph_url, Duration::from_secs(10));
    graph
        .create_template(
            PAGE_TOKEN,
            PAGE_ID,
            "order_shipped",
            "en",
            "Hi {{first_name}}, your order {{order_id}} has shipped.",
        )
        .await?;
    // What the salon's reminders fall back to once a customer's window has closed.
    graph
        .create_template(
            PAGE_TOKEN,
            PAGE_ID,
            "appointment_reminder",
            "en",
            "Hi {{first_name}}, this is a reminder of your appointment on {{date}} at {{time}}.",
        )
        .await?;
    let page = store.page(PAGE_ID).await?.context("the demo page")?;
    engine::templates::sync(store, &graph, &page).await?;
    // Onboarded to paid marketing messages with the emulator's ad account.
    let mut marketing = store::MarketingSetup::new(PAGE_ID);
    marketing.ad_account_id = Some("5550001".into());
    marketing.default_country = Some("VN".into());
    store.set_marketing_setup(&marketing, Time::now()).await?;
    let settings = PageSettings {
        human_agent_approved: true,
        utility_messaging: true,
        allowed_domains: vec!["fenestra.example".into()],
        default_app: true,
        retention_days: None,
    };
    store.set_page_settings(PAGE_ID, &settings).await?;
    engine
        .apply_automations(PAGE_ID, DEMO_AUTOMATIONS, "demo")
        .await?;
    // The salon's bot (Get Started, "đặt lịch": a booking with a reminder) and Original Coast
    // Clothing's (browse, "đơn hàng": the order status from a pretend order system).
    let orders = pretend_order_system().await?;
    let mut flows = flows::parse(DEMO_FLOWS)?;
    let occ = flows::parse(&DEMO_OCC.replace("https://orders.example.com/status", &orders))?;
    flows.flows.extend(occ.flows);
    flows.calls = Some(flows::document::Calls {
        allow: vec!["127.0.0.1".into()],
    });
    engine
        .apply_flows(PAGE_ID, &serde_json::to_string(&flows)?, "demo")
        .await?;
    // A post with a comment nobody has answered yet, and the QR code at the till.
    let post = ctl
        .post(
            "/posts",
            json!({"message": "Áo sơ mi linen mới về: trắng, be, xanh. Size S–XL.", "status_type": "photo"}),
        )
        .await?;
    let thao = ctl.customer("Thảo", "Vo", "vi_VN").await?;
    ctl.post(
        &format!("/users/{thao}/comment"),
        json!({"post_id": post["post_id"], "text": "Đẹp quá! Màu be còn size M không shop?"}),
    )
    .await?;
    let counter = engine::links::EntryPointSpec {
        ref_: "counter".into(),
        title: Some("QR ở quầy".into()),
        text: Some("Xin chào shop!".into()),
        ..Default::default()
    };
    engine.save_entry_point(PAGE_ID, &counter, "demo").await?;
    ctl.webhooks_delivered(settle).await?;
    engine::accounts::add_user(store, ADMIN.0, ADMIN.1, store::Role::Admin).await?;
    // Everything played above has reached the store before the demo says it is ready.
    for c in &seeded {
        wait_for_contact(store, &c.psid).await?;
    }
    team(engine, &seeded).await?;
    Ok(seeded)
}

/// What a team would have set up: a saved reply, a persona, a second agent, and Karim's
/// conversation taken, labelled and noted.
async fn team(engine: &Engine, seeded: &[Seeded]) -> anyhow::Result<()> {
    let store = engine.store();
    let now = Time::now();
    let admin = store.user(ADMIN.0).await?.context("the demo admin")?;
    store
        .save_reply(
            "Greeting",
            "Hi {{first_name}}, thanks for writing! How can I help?",
            None,
            now,
        )
        .await?;
    let sizes = engine::rich::Parts {
        buttons: vec![engine::rich::Button::WebUrl {
            title: "Size guide".into(),
            url: "https://fenestra.example/sizes".into(),
        }],
        quick_replies: ["S", "M", "L"]
            .map(|s| engine::rich::QuickReplyPart {
                title: s.into(),
                payload: format!("SIZE_{s}"),
            })
            .to_vec(),
        ..engine::rich::Parts::default()
    };
    engine
        .save_reply(&admin, "Which size?", "Which size would you like?", &sizes)
        .await?;
    store
        .save_reply(
            "Opening hours",
            "We are open 8:00–21:00 every day (Sunday 9:00–17:00).",
            None,
            now,
        )
        .await?;
    engine
        .create_persona(
            &admin,
            PAGE_ID,
            "Mai (support)",
            "https://fenestra.example/mai.png",
        )
        .await?;
    engine::accounts::add_user(store, "mai", ADMIN.1, store::Role::Agent).await?;
    if let Some(karim) = seeded.iter().find(|c| c.name == "Karim") {
        store.assign(PAGE_ID, &karim.psid, Some(admin.id)).await?;
        store.add_label(PAGE_ID, &karim.psid, "order").await?;
        store
            .add_note(
                PAGE_ID,
                &karim.psid,
                ADMIN.0,
                "Order 4521: waiting for the courier's answer.",
                now,
            )
            .await?;
    }
    Ok(())
}

async fn wait_for_contact(store: &dyn Store, psid: &str) -> anyhow::Result<()> {
    for _ in 0..500 {
        if store.contact(PAGE_ID, psid).await?.is_some() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("customer {psid}'s messages did not reach the store")
}

/// The demo starts from nothing: an existing database would mix old history with new.
fn fresh_dir(dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let dir = match dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("fenestra-demo-{}", Time::now().ms())),
    };
    if dir.exists() && std::fs::read_dir(&dir)?.next().is_some() {
        bail!(
            "--data-dir {} is not empty; the demo starts fresh: give a new directory or remove it",
            dir.display()
        );
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(absolute(&dir))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

/// Port 0 becomes a free port now: each side must know the other's address before it starts.
fn resolve(addr: SocketAddr) -> anyhow::Result<SocketAddr> {
    if addr.port() != 0 {
        return Ok(addr);
    }
    TcpListener::bind(addr)
        .and_then(|l| l.local_addr())
        .with_context(|| format!("finding a free port on {}", addr.ip()))
}
