//! Connecting a page offline, called as Fenestra calls it (messenger's `GraphClient`): the
//! dialog, the code exchange, `/me/accounts`, the subscriptions at both levels, permissions and
//! revoked tokens.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use common::*;
use messenger::graph_login::App;
use messenger::{GraphClient, SendError};
use serde_json::json;

const APP: App = App {
    id: "1234567890",
    secret: "s3cret",
};

/// A webhook receiver that answers the handshake and counts the events it is sent.
async fn receiver() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let seen = Arc::new(Mutex::new(vec![]));
    async fn verify(Query(q): Query<HashMap<String, String>>) -> String {
        q.get("hub.challenge").cloned().unwrap_or_default()
    }
    async fn receive(
        State(seen): State<Arc<Mutex<Vec<serde_json::Value>>>>,
        body: axum::body::Bytes,
    ) {
        seen.lock()
            .unwrap()
            .push(serde_json::from_slice(&body).unwrap());
    }
    let app = Router::new()
        .route("/webhook", get(verify).post(receive))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Opens the dialog with `extra` (`scope=…` or `config_id=…`), presses Continue, returns the code.
async fn log_in(base: &str, extra: &str) -> String {
    let dialog = format!(
        "{base}/v27.0/dialog/oauth?client_id=1234567890&redirect_uri=http://app.test/cb&state=xyz&response_type=code&{extra}"
    );
    let page = reqwest::get(&dialog).await.unwrap().text().await.unwrap();
    assert!(page.contains("id=continue"), "{page}");
    let scopes = page
        .split("name=scopes value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let system_user = page.contains("name=system_user value=\"true\"");
    let r = no_redirects()
        .post(format!("{base}/dialog/oauth"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("redirect_uri", "http://app.test/cb"),
                ("state", "xyz"),
                ("scopes", &scopes),
                ("system_user", &system_user.to_string()),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("http://app.test/cb?code="), "{to}");
    assert!(to.ends_with("&state=xyz"), "the state comes back: {to}");
    to.split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

fn code_of(e: SendError) -> (i64, Option<i64>) {
    match e {
        SendError::Graph { error, .. } => (error.code(), error.error_subcode),
        other => panic!("not a Graph error: {other}"),
    }
}

#[tokio::test]
async fn a_disconnected_page_is_connected_through_facebook_login() {
    let (url, seen) = receiver().await;
    let emu = start(Some(MARCH_10), Some(url.clone())).await;
    let c = Client::new(&emu);
    let graph = GraphClient::new(&format!("{}/v27.0", emu.url()), Duration::from_secs(5));
    c.control("/page", json!({"connected": false})).await;
    let page = c.get("/_emulator/page").await;
    assert_eq!(page["connected"], false);

    // The configured token is revoked; nothing is delivered.
    let (status, body) = c
        .send(json!({"recipient": {"id": "1"}, "message": {"text": "x"}}))
        .await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!(190)));
    let psid = c.customer("Linh").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hello?"}))
        .await;
    assert_eq!(c.get("/_emulator/webhooks").await["pending"], 0);

    // Cancel goes back with Meta's error words.
    let dialog = reqwest::get(format!(
        "{}/dialog/oauth?client_id=1234567890&redirect_uri=http://app.test/cb&state=s1&config_id=42",
        emu.url()
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(dialog.contains("error=access_denied") && dialog.contains("state=s1"));
    assert!(
        dialog.contains("paid_marketing_messages"),
        "a config_id grants every permission"
    );
    let wrong_app = reqwest::get(format!(
        "{}/dialog/oauth?client_id=999&redirect_uri=http://app.test/cb",
        emu.url()
    ))
    .await
    .unwrap();
    assert_eq!(wrong_app.status(), 400);

    // Facebook Login for Business: one code, one system-user token that does not expire.
    let code = log_in(&emu.url(), "config_id=42").await;
    let wrong = App {
        secret: "nope",
        ..APP
    };
    assert_eq!(
        code_of(
            graph
                .exchange_code(wrong, "http://app.test/cb", &code)
                .await
                .unwrap_err()
        ),
        (100, None)
    );
    assert_eq!(
        code_of(
            graph
                .exchange_code(APP, "http://other.test/cb", &code)
                .await
                .unwrap_err()
        ),
        (100, None),
        "another redirect_uri"
    );
    let user = graph
        .exchange_code(APP, "http://app.test/cb", &code)
        .await
        .unwrap();
    assert_eq!(user.expires_in, None);
    assert!(
        graph
            .exchange_code(APP, "http://app.test/cb", &code)
            .await
            .is_err(),
        "a code is used once"
    );
    let pages = graph.managed_pages(&user.access_token).await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].id, "1001");
    assert!(pages[0].tasks.contains(&"MESSAGING".to_owned()));
    let token = pages[0].access_token.clone();
    let info = graph.debug_token(APP, &token).await.unwrap();
    assert!(info.is_valid);
    assert_eq!(info.kind.as_deref(), Some("PAGE"));
    assert!(info.scopes.contains(&"pages_messaging".to_owned()));

    // Subscribed at both levels: the handshake runs, then events flow for those fields only.
    assert!(graph.webhook_subscriptions(APP).await.unwrap().is_empty());
    let bad = graph
        .subscribe_webhooks(APP, &url, "wrong", &["messages"])
        .await;
    assert!(bad.is_ok(), "this receiver echoes any challenge");
    let dead = graph
        .subscribe_webhooks(APP, "http://127.0.0.1:9/webhook", "verify", &["messages"])
        .await
        .unwrap_err();
    assert_eq!(code_of(dead), (2200, None));
    graph
        .subscribe_webhooks(APP, &url, "verify", &["messages", "message_reads"])
        .await
        .unwrap();
    let subs = graph.webhook_subscriptions(APP).await.unwrap();
    assert_eq!(subs[0].callback_url, url);
    assert_eq!(subs[0].fields, ["messages", "message_reads"]);
    graph
        .subscribe_app(&token, "1001", &["messages", "messaging_postbacks"])
        .await
        .unwrap();
    let apps = graph.subscribed_apps(&token, "1001").await.unwrap();
    assert_eq!(
        apps[0].subscribed_fields,
        ["messages", "messaging_postbacks"]
    );
    c.control(&format!("/users/{psid}/say"), json!({"text": "now?"}))
        .await;
    c.control(
        &format!("/users/{psid}/postback"),
        json!({"title": "Menu", "payload": "MENU"}),
    )
    .await;
    emulator::client::ControlClient::new(&emu.url())
        .webhooks_delivered(Duration::from_secs(10))
        .await
        .unwrap();
    let texts: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .flat_map(|b| {
            b["entry"][0]["messaging"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|m| m.to_string())
        .collect();
    assert_eq!(
        texts.len(),
        1,
        "a postback is not subscribed at app level: {texts:?}"
    );
    assert!(texts[0].contains("now?"));

    // The page token sends; the feature review answers.
    let (status, _) = c
        .send_raw(
            Some(&token),
            &json!({"recipient": {"id": psid}, "message": {"text": "hi"}}).to_string(),
        )
        .await;
    assert_eq!(status, 200);
    let features = graph.feature_review(&token).await.unwrap();
    assert!(features.iter().any(|f| f.feature == "human_agent"));

    // The admin changes password: every token dies with 190/460.
    c.control("/tokens/revoke", json!({"reason": "password_changed"}))
        .await;
    assert_eq!(
        code_of(graph.subscribed_apps(&token, "1001").await.unwrap_err()),
        (190, Some(460))
    );
    let info = graph.debug_token(APP, &token).await.unwrap();
    assert!(!info.is_valid);
    assert_eq!(info.error.unwrap().subcode, Some(460));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_plain_login_gets_what_it_asked_for_and_short_tokens_expire() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let graph = GraphClient::new(&format!("{}/v27.0", emu.url()), Duration::from_secs(5));
    let code = log_in(&emu.url(), "scope=pages_messaging,pages_show_list").await;
    let short = graph
        .exchange_code(APP, "http://app.test/cb", &code)
        .await
        .unwrap();
    assert_eq!(short.expires_in, Some(3600));
    let page_token = graph.managed_pages(&short.access_token).await.unwrap()[0]
        .access_token
        .clone();
    // Without pages_manage_metadata the page cannot be subscribed.
    assert_eq!(
        code_of(
            graph
                .subscribe_app(&page_token, "1001", &["messages"])
                .await
                .unwrap_err()
        ),
        (200, None)
    );
    // A page token read with a short-lived user token dies with it; a long-lived one's does not.
    let long = graph.long_lived(APP, &short.access_token).await.unwrap();
    assert_eq!(long.expires_in, Some(60 * 86_400));
    let lasting = graph.managed_pages(&long.access_token).await.unwrap()[0]
        .access_token
        .clone();
    c.control("/clock/advance", json!({"seconds": 7200})).await;
    assert_eq!(
        code_of(graph.feature_review(&page_token).await.unwrap_err()),
        (190, Some(463))
    );
    graph.feature_review(&lasting).await.unwrap();
    emu.shutdown().await;
}
