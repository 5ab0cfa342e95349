//! Responsiveness from Meta's timestamps, on SQLite and PostgreSQL: signed webhooks with crafted
//! times (customer A written at T and answered at T+4 min, B answered at T+30 min, C never) give
//! that day a response rate of 2/3 and a median of 1020 s, and Meta's badge is not earned; a
//! second day on which ten customers are answered within 5 minutes earns it. The days come back
//! as CSV too.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

/// 2026-11-06T09:00:00Z.
const T: i64 = 1_793_955_600_000;
const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// A signed webhook carrying `events` (customer messages and the Page's echoes).
async fn deliver(w: &World, events: Vec<Value>) {
    let body = json!({"object": "page", "entry": [{"id": PAGE, "time": T, "messaging": events}]})
        .to_string();
    assert_eq!(w.post_signed(&body).await, StatusCode::OK);
}

fn customer_says(psid: &str, at: i64) -> Value {
    json!({"sender": {"id": psid}, "recipient": {"id": PAGE}, "timestamp": at,
           "message": {"mid": format!("m-{psid}-{at}"), "text": "Còn hàng không shop?"}})
}

/// The Page's answer from Meta's inbox (an echo with its app id).
fn page_answers(psid: &str, at: i64) -> Value {
    json!({"sender": {"id": PAGE}, "recipient": {"id": psid}, "timestamp": at,
           "message": {"is_echo": true, "app_id": 263902037430900_u64, "mid": format!("e-{psid}-{at}"), "text": "Còn ạ"}})
}

fn day(at: i64) -> String {
    jiff::Timestamp::from_millisecond(at)
        .unwrap()
        .strftime("%Y-%m-%d")
        .to_string()
}

/// Day one: A answered after 4 minutes, B after 30, C never. Day two: ten customers, each
/// answered within 5 minutes.
async fn two_days(w: &World) {
    let s = w.store();
    deliver(
        w,
        vec![
            customer_says("a", T),
            customer_says("b", T),
            customer_says("c", T),
            page_answers("a", T + 4 * MIN),
            page_answers("b", T + 30 * MIN),
        ],
    )
    .await;
    let next = T + DAY;
    let mut second = vec![];
    for i in 0..10 {
        let p = format!("d{i}");
        second.push(customer_says(&p, next + i * MIN));
        second.push(page_answers(&p, next + i * MIN + (i % 5 + 1) * MIN));
    }
    deliver(w, second).await;
    w.until("every message is stored", || async {
        let r = s
            .timeline(
                PAGE,
                store::Time::from_ms(T - DAY),
                store::Time::from_ms(T + 3 * DAY),
            )
            .await
            .unwrap();
        r.len() == 25
    })
    .await;
}

#[tokio::test]
async fn the_response_rate_time_and_badge_of_two_days() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let s = w.store();
        engine::accounts::add_user(s, "lan", "a long passphrase", Role::Agent)
            .await
            .unwrap();
        let api = w.api(
            engine::accounts::create_api_token(s, "lan", "test")
                .await
                .unwrap(),
        );
        two_days(&w).await;
        let next = T + DAY;
        let ask = async |from: i64, to: i64| -> Value {
            let (status, v) = api
                .get(&format!(
                    "/analytics/responsiveness?from={}&to={}",
                    day(from),
                    day(to)
                ))
                .await;
            assert_eq!(status, StatusCode::OK, "{v}");
            v
        };
        let first = ask(T, T + DAY).await;
        assert_eq!(first["requests"], 3, "{}: {first}", db.label);
        assert_eq!(first["response_rate"], 0.667, "{first}");
        assert_eq!(first["median_response_seconds"], 1020, "{first}");
        assert_eq!(first["badge"]["met"], false, "{first}");
        assert_eq!(first["badge"]["more_answers_needed"], 1, "{first}");
        let second = ask(next, next + DAY).await;
        assert_eq!(second["requests"], 10, "{second}");
        assert_eq!(second["response_rate"], 1.0, "{second}");
        assert_eq!(second["badge"]["met"], true, "{second}");
        assert!(
            second["badge"]["response_seconds"].as_i64().unwrap() <= 300,
            "{second}"
        );
        let both = ask(T, next + DAY).await;
        assert_eq!(both["days"].as_array().unwrap().len(), 2, "{both}");

        // Volume and audience over both days, the heat map in UTC (no away hours set).
        let (status, a) = api
            .get(&format!(
                "/analytics/activity?from={}&to={}",
                day(T),
                day(next + DAY)
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(
            (a["messages_in"].clone(), a["messages_out"].clone()),
            (json!(13), json!(12)),
            "{a}"
        );
        assert_eq!(a["new_customers"], 13, "{a}");
        assert_eq!(a["returning_customers"], 0, "{a}");
        assert_eq!(a["time_zone"], "UTC");
        // 2026-11-06 is a Friday, 09:00 UTC: three then; ten on Saturday at nine.
        assert_eq!(a["heat"][4][9], 3, "{a}");
        assert_eq!(a["heat"][5][9], 10, "{a}");
        assert_eq!(a["sources"][0]["kind"], "organic", "{a}");
        assert_eq!(
            a["compliance"]["allowed"], 0,
            "echoes from Meta's inbox are no decisions"
        );
        // Blocks and reports reach no webhook: Meta's insights, fetched (hourly in `serve`).
        let kim = w.ctl.customer("Kim", "Le", "vi_VN").await.unwrap();
        let vy = w.ctl.customer("Vy", "Ho", "vi_VN").await.unwrap();
        w.ctl
            .post(&format!("/users/{kim}/block"), json!({}))
            .await
            .unwrap();
        w.ctl
            .post(&format!("/users/{vy}/report"), json!({}))
            .await
            .unwrap();
        let page = s.page(PAGE).await.unwrap().unwrap();
        assert!(w.server.engine.fetch_insights(&page).await.unwrap() > 0);
        let today = day(now_ms());
        let (_, a) = api
            .get(&format!(
                "/analytics/activity?from={today}&to={}",
                day(now_ms() + DAY)
            ))
            .await;
        let value = |metric: &str| {
            a["insights"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["day"] == today.as_str() && i["metric"] == metric)
                .map(|i| i["value"].clone())
        };
        assert_eq!(
            value("page_messages_blocked_conversations_unique"),
            Some(json!(2)),
            "{a}"
        );
        assert_eq!(
            value("page_messages_reported_conversations_unique"),
            Some(json!(1)),
            "{a}"
        );
        let (status, o) = api
            .get(&format!(
                "/analytics/outcomes?from={}&to={}",
                day(T),
                day(next + DAY)
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{o}");
        assert_eq!(
            (o["flows"].clone(), o["broadcasts"].clone()),
            (json!([]), json!([]))
        );

        let csv = api
            .http
            .get(format!(
                "{}/api/v1/analytics/responsiveness?from={}&to={}",
                api.base,
                day(T),
                day(next + DAY)
            ))
            .bearer_auth(&api.token)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert_eq!(lines[1], format!("{},3,2,0.667,1020,1644", day(T)));

        // Every table of the page as CSV, the same numbers as the JSON.
        let table = |name: &str| {
            let url = format!(
                "{}/api/v1/analytics/{name}?from={}&to={}",
                api.base,
                day(T),
                day(next + DAY)
            );
            let req = api.http.get(url).bearer_auth(&api.token);
            async move {
                let r = req.send().await.unwrap();
                (r.status(), r.text().await.unwrap())
            }
        };
        let (status, volume) = table("volume.csv").await;
        assert_eq!(status, StatusCode::OK, "{volume}");
        assert_eq!(
            volume.lines().collect::<Vec<_>>(),
            [
                "day,messages_in,messages_out,allowed,refused".to_owned(),
                format!("{},3,2,0,0", day(T)),
                format!("{},10,10,0,0", day(next)),
            ]
        );
        let (_, heat) = table("heat.csv").await;
        assert!(
            heat.lines()
                .nth(6)
                .unwrap()
                .starts_with("sat,0,0,0,0,0,0,0,0,0,10,"),
            "{heat}"
        );
        let (_, audience) = table("audience.csv").await;
        // The 13 customers who wrote, by locale (whichever their profiles say by now).
        let by_locale: i64 = audience
            .lines()
            .filter(|l| l.starts_with("locale,"))
            .map(|l| l.rsplit(',').next().unwrap().parse::<i64>().unwrap())
            .sum();
        assert_eq!(by_locale, 13, "{audience}");
        let (status, unknown) = table("secrets.csv").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
        assert!(unknown.contains("one of days, agents, volume"), "{unknown}");

        let (status, v) = api
            .get("/analytics/responsiveness?from=2026-11-30&to=2026-11-01")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (status, v) = api.get("/analytics/responsiveness?from=yesterday").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"].as_str().unwrap().starts_with("from:"), "{v}");
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analytics_page_shows_the_badge_and_draws_the_days() {
    use test_browser::see;
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    engine::accounts::add_user(w.store(), "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    two_days(&w).await;
    let (_driver, b) = test_browser::start_in(1280, 1000, "vi").await;
    let base = w.server.url();
    browser_log_in(&b, &base, "lan").await;
    b.goto(&format!("{base}/analytics?from={}&to={}", day(T), day(T)))
        .await
        .unwrap();
    see(&b, "Chưa đạt tiêu chí.").await;
    see(&b, "66.7 %").await;
    see(
        &b,
        "Trả lời thêm 1 cuộc trò chuyện trong 15 phút để đạt 90 %.",
    )
    .await;
    b.goto(&format!(
        "{base}/analytics?from={}&to={}",
        day(T),
        day(T + DAY)
    ))
    .await
    .unwrap();
    see(&b, "Đã đạt tiêu chí.").await;
    see(&b, "Khi nào khách nhắn").await;
    let heat = b
        .execute(
            "return document.querySelectorAll('#heat tbody tr')[5].children[10].textContent",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(heat, json!("10"), "Saturday at nine");
    // The three charts are drawn: rate and median, messages, decisions.
    for chart in ["chart", "volume-chart", "decisions-chart"] {
        let drawn = b
            .execute(
                &format!("return document.querySelector('#{chart} canvas') !== null"),
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(drawn, json!(true), "#{chart} is drawn");
    }
    // Each table has its CSV, for the same range; the session is enough to fetch it.
    let csv = b
        .execute(
            "const a = document.getElementById('rules-csv'); \
             return fetch(a.href).then(r => r.text()).then(t => [a.getAttribute('href'), t.split('\\n')[0]])",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        csv,
        json!([
            format!(
                "/analytics/rules.csv?page={PAGE}&from={}&to={}",
                day(T),
                day(T + DAY)
            ),
            "rule,verdict,decisions"
        ])
    );
    screenshot(&b, "analytics-vi.png").await;
    // In Arabic the page reads right to left.
    let lan = w.store().user("lan").await.unwrap().unwrap();
    w.store()
        .set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    b.goto(&format!(
        "{base}/analytics?from={}&to={}",
        day(T),
        day(T + DAY)
    ))
    .await
    .unwrap();
    see(&b, "المعايير مستوفاة.").await;
    let dir = b
        .execute("return getComputedStyle(document.body).direction", vec![])
        .await
        .unwrap();
    assert_eq!(dir, json!("rtl"));
    screenshot(&b, "analytics-ar.png").await;
    w.stop().await;
}
