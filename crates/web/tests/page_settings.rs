//! A page's permissions, routing role and link domains from Settings and the API, on SQLite and
//! PostgreSQL: admins change them (logged), agents may not, a wrong domain is named.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::testing;

#[tokio::test]
async fn admins_change_a_pages_settings_from_the_api_and_the_page() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let s = w.store();
        let (lan, mai) = team(&w).await;
        let url = format!("{}/api/v1/pages/{PAGE}/settings", w.server.url());
        let put = |token: &str, body: Value| {
            reqwest::Client::new()
                .put(&url)
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let body = json!({"human_agent_approved": false, "utility_messaging": true,
                          "default_app": false, "allowed_domains": ["Shop.Example.com", " book.example.com "]});
        let r = put(&lan, body.clone()).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", db.label);
        let settings = s.page(PAGE).await.unwrap().unwrap().settings;
        assert!(
            !settings.human_agent_approved && settings.utility_messaging && !settings.default_app
        );
        assert_eq!(
            settings.allowed_domains,
            ["shop.example.com", "book.example.com"]
        );
        let log = s.admin_log(10).await.unwrap();
        assert_eq!(log[0].action, store::AdminAction::SetPageSettings);
        assert_eq!(log[0].actor, "lan");

        let r = put(&mai, body).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = put(
            &lan,
            json!({"human_agent_approved": true, "utility_messaging": true, "default_app": true,
                   "allowed_domains": ["https://shop.example.com/sale"]}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = r.json().await.unwrap();
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .contains("https://shop.example.com/sale"),
            "{error}"
        );

        // From Settings: ticked boxes are on, the others off.
        let cookie = session_of(&w, "lan").await;
        let r = no_redirects()
            .post(format!("{}/settings/pages/{PAGE}", w.server.url()))
            .header("cookie", &cookie)
            .form(&[
                ("human_agent_approved", "on"),
                ("default_app", "on"),
                ("allowed_domains", "fenestra.example"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let settings = s.page(PAGE).await.unwrap().unwrap().settings;
        assert!(
            settings.human_agent_approved && !settings.utility_messaging && settings.default_app
        );
        assert_eq!(settings.allowed_domains, ["fenestra.example"]);
        let html = no_redirects()
            .get(format!("{}/settings/pages/{PAGE}", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("fenestra.example"));
        w.stop().await;
    }
}
