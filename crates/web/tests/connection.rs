//! The page stays connected, on SQLite and PostgreSQL: when Meta drops the app's webhook
//! subscription (as it does after an hour of failed deliveries) Fenestra subscribes the page
//! again by itself; when Meta refuses the page's token, `/metrics` says so and admins see a
//! banner in their language (agents do not).

mod common;

use std::time::Duration;

use common::*;
use store::testing;

async fn metrics(w: &World) -> String {
    reqwest::get(format!("{}/metrics", w.server.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn alerts(w: &World, cookie: &str, lang: &str) -> String {
    no_redirects()
        .get(format!("{}/alerts", w.server.url()))
        .header("cookie", cookie)
        .header("accept-language", lang)
        .header("hx-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_dropped_subscription_is_restored_and_a_refused_token_is_shown() {
    for db in testing::all().await {
        let w = world(&db, None, |cfg| {
            cfg.app_id = Some("1234567890".into());
            cfg.connection_check = Duration::from_millis(100);
        })
        .await;
        team(&w).await;
        w.until("the page is seen connected", || async {
            metrics(&w)
                .await
                .contains("fenestra_page_connected{page=\"1001\"} 1")
        })
        .await;

        // Meta drops the subscription: Fenestra subscribes again, and messages flow.
        w.emu.emu.with(|st| st.page.subscribed_fields.clear());
        w.until("the page is subscribed again", || async {
            w.emu.emu.with(|st| st.page.subscribed())
        })
        .await;
        let linh = w.customer("Linh").await;
        w.says(&linh, "still there?").await;

        // Meta refuses the token: the metric drops, admins see why, agents see nothing.
        w.emu.emu.with(|st| st.page.token = "A_NEWER_TOKEN".into());
        w.until("the lost connection shows in /metrics", || async {
            metrics(&w)
                .await
                .contains("fenestra_page_connected{page=\"1001\"} 0")
        })
        .await;
        let lan = session_of(&w, "lan").await;
        let banner = alerts(&w, &lan, "vi").await;
        assert!(
            banner.contains("Trang 1001 đang mất kết nối"),
            "{}: {banner}",
            db.label
        );
        assert!(
            banner.contains("190") || banner.contains("OAuth"),
            "Meta's words: {banner}"
        );
        let mai = session_of(&w, "mai").await;
        assert!(
            !alerts(&w, &mai, "vi").await.contains("1001"),
            "agents see no banner"
        );

        // A new token: connected again, the banner goes.
        w.emu.emu.with(|st| st.page.token = TOKEN.into());
        w.until("connected again", || async {
            metrics(&w)
                .await
                .contains("fenestra_page_connected{page=\"1001\"} 1")
        })
        .await;
        assert!(!alerts(&w, &lan, "en").await.contains("1001"));
        w.stop().await;
    }
}
