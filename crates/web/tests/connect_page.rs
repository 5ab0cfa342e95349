//! Connecting a page from Settings, over real HTTP against the emulator started disconnected,
//! on SQLite and PostgreSQL: the admin goes through Facebook Login, chooses the page, and
//! Fenestra holds a new token, is subscribed at both levels, receives the customer's message and
//! answers with it; the connection page and the API say so. Cancelling, a stale login and an
//! agent are refused with reasons; a revoked token shows with Meta's words.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::testing;

struct Admin<'a> {
    w: &'a World,
    cookie: String,
}

impl Admin<'_> {
    async fn get(&self, url: &str) -> (StatusCode, String, Option<String>) {
        let url = if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.w.server.url())
        };
        let r = no_redirects()
            .get(url)
            .header("cookie", &self.cookie)
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        let to = location(&r);
        (r.status(), r.text().await.unwrap(), to)
    }

    async fn post(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let r = no_redirects()
            .post(format!("{}{path}", self.w.server.url()))
            .header("cookie", &self.cookie)
            .header("accept-language", "en")
            .form(form)
            .send()
            .await
            .unwrap();
        let to = location(&r);
        (r.status(), r.text().await.unwrap(), to)
    }
}

fn location(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
}

/// Between `before` and the next `"` in `html`.
fn attribute(html: &str, before: &str) -> String {
    html.split(before)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no {before} in {html}"))
        .replace("&amp;", "&")
}

/// Through Meta's dialog as the emulated admin: Continue (or Cancel); where Meta sends back.
async fn dialog(dialog_url: &str, accept: bool) -> String {
    let page = reqwest::get(dialog_url)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    if !accept {
        return attribute(&page, "id=cancel href=\"");
    }
    let base = dialog_url.split("/v27.0/").next().unwrap();
    let form = [
        (
            "redirect_uri",
            attribute(&page, "name=redirect_uri value=\""),
        ),
        ("state", attribute(&page, "name=state value=\"")),
        ("scopes", attribute(&page, "name=scopes value=\"")),
        ("system_user", attribute(&page, "name=system_user value=\"")),
    ];
    let r = no_redirects()
        .post(format!("{base}/dialog/oauth"))
        .form(&form)
        .send()
        .await
        .unwrap();
    location(&r).expect("the dialog sends the admin back")
}

#[tokio::test]
async fn an_admin_connects_the_page_with_facebook_login() {
    for db in testing::all().await {
        let w = world(&db, None, connectable).await;
        let (lan_token, mai_token) = team(&w).await;
        w.ctl
            .post("/page", json!({"connected": false}))
            .await
            .unwrap();
        let admin = Admin {
            w: &w,
            cookie: session_of(&w, "lan").await,
        };

        // What to paste in the App Dashboard.
        let (status, html, _) = admin.get("/settings/connect").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("{}/webhook", w.server.url())));
        assert!(html.contains(">verify<"), "the verify token is shown");

        // Cancel at Meta: the reason comes back.
        let (_, _, to) = admin.get("/settings/connect/start").await;
        let back = dialog(&to.unwrap(), false).await;
        let (status, html, _) = admin.get(&back).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains("cancelled or refused"), "{html}");

        // Continue: the page to choose, its token never in the browser.
        let (status, _, to) = admin.get("/settings/connect/start").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let to = to.unwrap();
        assert!(to.contains("/dialog/oauth?client_id=1234567890"), "{to}");
        assert!(to.contains("scope=pages_messaging"), "{to}");
        let back = dialog(&to, true).await;
        assert!(back.starts_with(&format!(
            "{}/settings/connect/callback?code=",
            w.server.url()
        )));
        let (status, html, _) = admin.get(&back).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("Emulated Page") && html.contains("value=\"1001\""));
        assert!(!html.contains("EAA"), "no token in the page");
        let login = attribute(&html, "name=\"login\" value=\"");
        // The same answer again is refused: a login state is used once.
        let (status, _, _) = admin.get(&back).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // An agent cannot use the admin's login.
        let mai = Admin {
            w: &w,
            cookie: session_of(&w, "mai").await,
        };
        let (status, _, _) = mai
            .post(
                "/settings/connect/pages",
                &[("login", &login), ("page", PAGE)],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(mai.get("/settings/connect").await.0, StatusCode::FORBIDDEN);

        let (status, _, to) = admin
            .post(
                "/settings/connect/pages",
                &[("login", &login), ("page", PAGE)],
            )
            .await;
        assert_eq!(
            (status, to.as_deref()),
            (StatusCode::SEE_OTHER, Some("/settings/connect/1001"))
        );
        let page = w.store().page(PAGE).await.unwrap().unwrap();
        let token = page.access_token.unwrap();
        assert!(
            token.starts_with("EAA") && token != TOKEN,
            "a new page token"
        );
        let emu_page = w.ctl.get("/page").await.unwrap();
        assert_eq!(
            emu_page["connected"],
            json!(false),
            "the old token stays revoked"
        );
        assert_eq!(emu_page["subscribed_fields"].as_array().unwrap().len(), 13);
        assert_eq!(
            emu_page["app_subscription"]["callback_url"],
            json!(format!("{}/webhook", w.server.url()))
        );
        let log = w.store().admin_log(10).await.unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == store::AdminAction::ConnectPage && e.actor == "lan")
        );

        // The connection page: the token works, every field at both levels, waiting for a webhook.
        let (status, html, _) = admin.get("/settings/connect/1001").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("does not expire on its own"), "{html}");
        assert!(html.contains("Subscribed to every event"), "{html}");
        assert!(html.contains("No webhook from this Page yet"), "{html}");
        assert!(html.contains("Human Agent (a person answers up to 7 days later): approved"));
        assert!(html.contains("Paid marketing messages: not allowed"));

        // A customer writes: it arrives, and the answer goes out with the new token.
        let linh = w.customer("Linh").await;
        w.says(&linh, "xin chào").await;
        let (_, html, _) = admin.get("/settings/connect/1001/arrival").await;
        assert!(html.contains("Webhooks from this Page arrive"), "{html}");
        let sent = w
            .submit(&engine::outbox::Draft::text(
                PAGE,
                &linh,
                engine::outbox::Actor::Agent("lan".into()),
                "Chào Linh!",
            ))
            .await;
        w.outbox_reaches(sent.outbox_ids[0], SENT).await;

        // The API says the same, to admins only.
        let api = |token: &str| {
            reqwest::Client::new()
                .get(format!("{}/api/v1/pages/1001/connection", w.server.url()))
                .bearer_auth(token.to_owned())
                .send()
        };
        let r = api(&lan_token).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let status: Value = r.json().await.unwrap();
        assert_eq!(status["token"]["is_valid"], json!(true), "{status}");
        assert_eq!(status["missing_fields"], json!([]));
        assert_eq!(status["human_agent"], json!("approved"));
        assert!(status["last_event_at"].is_i64(), "{status}");
        assert_eq!(
            api(&mai_token).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );

        // The admin changes their Facebook password: the page shows Meta's words.
        w.ctl
            .post("/tokens/revoke", json!({"reason": "password_changed"}))
            .await
            .unwrap();
        let (_, html, _) = admin.get("/settings/connect/1001").await;
        assert!(html.contains("Meta refuses the token"), "{html}");
        assert!(html.contains("changed their password"), "{html}");
        w.stop().await;
    }
}

#[tokio::test]
async fn without_an_app_id_the_page_says_what_to_set() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    team(&w).await;
    let admin = Admin {
        w: &w,
        cookie: session_of(&w, "lan").await,
    };
    let (status, html, _) = admin.get("/settings/connect").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("FENESTRA_APP_ID"), "{html}");
    let (status, html, _) = admin.get("/settings/connect/start").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("FENESTRA_PUBLIC_URL"));
    w.stop().await;
}
