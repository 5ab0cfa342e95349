//! Shared by the tests that run the `fenestra` binary as a process.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn fenestra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fenestra"))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (up to 10 s) until `fenestra serve` on 127.0.0.1:`port` answers `/healthz`.
pub async fn wait_up(port: u16) {
    for _ in 0..400 {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("fenestra serve did not come up on port {port}");
}

/// Runs `fenestra ARGS --database-url DB` with `stdin` as its input.
pub fn run_on(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = fenestra()
        .args(args)
        .args(["--database-url", db])
        .env_remove("FENESTRA_USER_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// [`run_on`], which must succeed; its standard output.
pub fn ok_on(db: &str, args: &[&str], stdin: &str) -> String {
    let out = run_on(db, args, stdin);
    assert!(
        out.status.success(),
        "fenestra {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A running `fenestra demo` on free ports, in a fresh data directory; killed when dropped.
pub struct Demo {
    pub child: std::process::Child,
    /// What it printed until "Ctrl-C stops.".
    pub printed: Vec<String>,
    pub data: tempfile::TempDir,
}

impl Demo {
    pub fn start() -> Demo {
        use std::io::{BufRead, BufReader};
        let data = tempfile::tempdir().unwrap();
        let mut child = fenestra()
            .args([
                "demo",
                "--listen",
                "127.0.0.1:0",
                "--emulator-listen",
                "127.0.0.1:0",
            ])
            .arg("--data-dir")
            .arg(data.path().join("demo"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut printed = vec![];
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let done = line == "Ctrl-C stops.";
            printed.push(line);
            if done {
                break;
            }
        }
        Demo {
            child,
            printed,
            data,
        }
    }

    /// The URL printed after `label` (`inbox:`, `phone:`).
    pub fn url_after(&self, label: &str) -> String {
        let line = self
            .printed
            .iter()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in {:?}", self.printed));
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn emulator(&self) -> String {
        self.url_after("phone:")
            .trim_end_matches("/phone")
            .to_owned()
    }

    /// The seeded customer's PSID.
    pub fn psid_of(&self, name: &str) -> String {
        let line = self
            .printed
            .iter()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().to_owned()
    }

    pub fn db(&self) -> String {
        format!(
            "sqlite://{}",
            self.data.path().join("demo").join("fenestra.db").display()
        )
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 50 ms for up to 30 s.
pub async fn until<F: AsyncFn() -> bool>(what: &str, check: F) {
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

/// `GET url` as JSON, with `token` as the bearer when given.
pub async fn get_json(http: &reqwest::Client, url: &str, token: Option<&str>) -> serde_json::Value {
    let mut req = http.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

/// A `fenestra serve` process, killed with SIGKILL when dropped (also when the test fails).
pub struct Serve(pub Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill(); // SIGKILL
        let _ = self.0.wait();
    }
}

/// `kill -9` of a server.
pub fn kill_9(server: Serve) {
    drop(server);
}

/// The value of the sample `name` (with its labels) in `/metrics` on 127.0.0.1:`port`.
pub async fn metric(port: u16, name: &str) -> f64 {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics on {port}"))
}

/// Accepted Send API calls carrying Fenestra's metadata, as (metadata, emulator time in ms).
pub async fn accepted_sends(ctl: &emulator::client::ControlClient) -> Vec<(String, i64)> {
    ctl.sends()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s["outcome"] == "accepted")
        .filter_map(|s| Some((s["metadata"].as_str()?.to_owned(), s["at"].as_i64()?)))
        .collect()
}

/// Waits until no outbox row is unfinished (every one sent, delivered or read).
pub async fn until_outbox_settled(store: &dyn store::Store, within: Duration, what: &str) {
    let started = Instant::now();
    loop {
        let counts = store.outbox_counts().await.unwrap();
        if counts
            .iter()
            .all(|(s, _)| ["sent", "delivered", "read"].contains(&s.as_str()))
        {
            return;
        }
        assert!(started.elapsed() < within, "{what}: {counts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
