//! For tests: a real headless Chromium, driven over WebDriver. Debian's `chromium` and
//! `chromium-driver` are installed by scripts/test.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::ClientBuilder;
pub use fantoccini::{Client as Browser, Locator};
use serde_json::json;

/// The chromedriver process and its Chromium; both killed when dropped.
pub struct Driver {
    chromedriver: Child,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
        // Chromium's processes outlive chromedriver (they have process groups of their own):
        // every one of this browser is found by its profile directory.
        let _ = Command::new("pkill")
            .args(["-KILL", "-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A fresh browser (its own profile) with a window of `width` × `height`, in English.
pub async fn start(width: u32, height: u32) -> (Driver, Browser) {
    start_in(width, height, "en-US").await
}

/// A fresh browser whose user speaks `language` (its `Accept-Language`, e.g. `vi`).
pub async fn start_in(width: u32, height: u32, language: &str) -> (Driver, Browser) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is not installed: run scripts/test, which installs Debian's chromium and chromium-driver");
    let profile = tempfile::tempdir().unwrap().keep();
    let driver = Driver {
        chromedriver: child,
        profile: profile.clone(),
    };
    let caps = json!({"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-breakpad", "--disable-crash-reporter", "--disable-dev-shm-usage", format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile.display()), format!("--lang={language}"),
        format!("--accept-lang={language}")],
        "prefs": {"intl.accept_languages": language}}});
    let mut last = None;
    for _ in 0..100 {
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps.as_object().unwrap().clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(b) => return (driver, b),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("could not start a Chromium session: {last:?}");
}

/// The page's text; empty while a navigation or a live swap replaces the element being read.
pub async fn body(b: &Browser) -> String {
    match b.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits (up to 10 s, without reloading) until the page shows `text`.
pub async fn see(b: &Browser, text: &str) {
    for _ in 0..100 {
        if body(b).await.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text:?}:\n{}", body(b).await);
}

/// Waits (up to 10 s) until the script `condition` (an expression) is true in the page.
pub async fn until(b: &Browser, condition: &str, what: &str) {
    let script = format!("return !!({condition});");
    for _ in 0..100 {
        if let Ok(serde_json::Value::Bool(true)) = b.execute(&script, vec![]).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never {what}:\n{}", body(b).await);
}

/// Waits (up to 10 s) until the page no longer shows `text` (a filter applied, a live swap).
pub async fn gone(b: &Browser, text: &str) {
    for _ in 0..100 {
        let now = body(b).await;
        if !now.is_empty() && !now.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page still shows {text:?}:\n{}", body(b).await);
}

/// Runs `act` on the element `css` selects, finding it again if a live update replaced it
/// in between (for up to 10 s).
async fn on<F, Fut>(b: &Browser, css: &str, what: &str, act: F)
where
    F: Fn(fantoccini::elements::Element) -> Fut,
    Fut: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let mut last = None;
    for _ in 0..100 {
        match b.find(Locator::Css(css)).await {
            Ok(e) => match act(e).await {
                Ok(()) => return,
                Err(err) => last = Some(err.to_string()),
            },
            Err(err) => last = Some(err.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("could not {what} {css}: {last:?}");
}

/// Clicks the element `css` selects.
pub async fn click(b: &Browser, css: &str) {
    on(
        b,
        css,
        "click",
        |e| async move { e.click().await.map(|_| ()) },
    )
    .await;
}

/// Types `text` into the element `css` selects.
pub async fn type_in(b: &Browser, css: &str, text: &str) {
    on(
        b,
        css,
        "type in",
        |e| async move { e.send_keys(text).await },
    )
    .await;
}

/// Chooses the option labelled `label` in the `<select>` `css` selects.
pub async fn choose(b: &Browser, css: &str, label: &str) {
    on(b, css, "choose from", |e| async move {
        e.select_by_label(label).await
    })
    .await;
}
