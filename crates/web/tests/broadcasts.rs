//! Broadcasts on SQLite and PostgreSQL, against the emulator: each customer is planned the
//! first path the policy allows (the window, a recurring notification for an Italian
//! subscriber, a paid marketing message), the rest skipped with the rule; sending delivers
//! exactly those; Meta's opt-out (2300034) stops the subscription for the next plan; segments
//! count as they are edited; agents may not broadcast; customer lists match what customers
//! gave; an agent's opt-in request becomes a subscription.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Time, testing};

const SALE: &str = "Flash sale: 50% off everything tonight!";

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        let (status, v) = self.call(reqwest::Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {v}");
        v
    }
}

/// A customer of the emulator in `region` (time zone `tz`) who writes now on its clock.
async fn writes(w: &World, name: &str, region: &str, tz: &str, locale: &str) -> String {
    let psid = w
        .ctl
        .post(
            "/users",
            json!({"first_name": name, "region": region, "time_zone": tz, "locale": locale}),
        )
        .await
        .unwrap()["psid"]
        .as_str()
        .unwrap()
        .to_owned();
    w.says(&psid, "hello").await;
    psid
}

async fn subscribes(w: &World, psid: &str) {
    w.ctl
        .post(
            &format!("/users/{psid}/optin"),
            json!({"type": "notification_messages", "payload": "DEALS"}),
        )
        .await
        .unwrap();
    w.until("the subscription is stored", || async {
        !w.store()
            .notification_tokens(PAGE, psid)
            .await
            .unwrap()
            .is_empty()
    })
    .await;
}

/// Moves both clocks `seconds` on: Fenestra's (this process) and the emulator's.
async fn later(w: &World, shifted: &mut i64, seconds: i64) {
    *shifted += seconds * 1000;
    Time::shift(*shifted);
    w.ctl.advance(seconds).await.unwrap();
}

async fn accepted(w: &World) -> Vec<Value> {
    w.ctl
        .sends()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s["outcome"] == "accepted")
        .collect()
}

#[tokio::test]
async fn a_broadcast_reaches_each_customer_only_by_an_allowed_path() {
    for db in testing::all().await {
        let mut shifted = 0;
        let w = world(&db, Some(now_ms() - 3 * DAY_MS), |_| {}).await;
        let (lan, mai) = team(&w).await;
        let api = Api {
            http: reqwest::Client::new(),
            base: w.server.url(),
            token: lan,
        };
        let agent = Api {
            http: reqwest::Client::new(),
            base: w.server.url(),
            token: mai,
        };
        let (status, _) = api
            .call(
                reqwest::Method::PUT,
                "/pages/1001/marketing",
                Some(json!({"ad_account_id": "act_5550001"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}", w.label);
        let (status, refused) = api
            .call(
                reqwest::Method::PUT,
                "/pages/1001/marketing",
                Some(json!({"pause_block_rate": 2})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused["error"]
                .as_str()
                .unwrap()
                .starts_with("pause_block_rate"),
            "{refused}"
        );

        // Three days ago: Cuong (Vietnam) and Marco (Italy) subscribe; Dung only wrote.
        let cuong = writes(&w, "Cuong", "VN", "Asia/Ho_Chi_Minh", "vi_VN").await;
        subscribes(&w, &cuong).await;
        let marco = writes(&w, "Marco", "IT", "Europe/Rome", "it_IT").await;
        subscribes(&w, &marco).await;
        let dung = writes(&w, "Dung", "VN", "Asia/Ho_Chi_Minh", "vi_VN").await;
        w.ctl
            .webhooks_delivered(std::time::Duration::from_secs(5))
            .await
            .unwrap();
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        // Now: Anh writes; Em writes and asks to stop.
        let anh = writes(&w, "Anh", "VN", "Asia/Ho_Chi_Minh", "vi_VN").await;
        let em = writes(&w, "Em", "VN", "Asia/Ho_Chi_Minh", "vi_VN").await;
        let (status, _) = api
            .post(
                &format!("/conversations/1001/{em}/opt-out"),
                json!({"opted_out": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        // Agents do not broadcast.
        let (status, _) = agent
            .post("/broadcasts", json!({"text": SALE, "dry_run": true}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // A wrong broadcast names its field.
        let (status, bad) = api
            .post(
                "/broadcasts",
                json!({"text": SALE, "schedule": {"local_hour": 25}}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad["error"]
                .as_str()
                .unwrap()
                .starts_with("schedule.local_hour"),
            "{bad}"
        );

        let (status, plan) = api
            .post("/broadcasts", json!({"text": SALE, "dry_run": true}))
            .await;
        assert_eq!(status, StatusCode::OK, "{plan}");
        assert_eq!(
            plan["paths"],
            json!({"update": 1, "utility": 0, "notification": 1, "one_time": 0, "marketing": 1}),
            "{}: {plan}",
            w.label
        );
        assert_eq!(
            plan["skipped"],
            json!({"outside_window": 1, "contact_opted_out": 1}),
            "{plan}"
        );
        assert_eq!(plan["recipients"], 5);
        assert_eq!(plan["plan"]["promotional"], true);
        // Meta's estimate covers the subscribers its API can reach (not Marco, in Italy).
        assert_eq!(
            plan["estimate"]["estimate_delivery_upper_bound"], 1,
            "{plan}"
        );

        // Meta's token list holds the same two subscribers Fenestra learnt of from opt-ins.
        let (status, synced) = api.post("/pages/1001/marketing/sync", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{synced}");
        assert_eq!(
            (
                synced["synced"]["listed"].as_u64(),
                synced["synced"]["added"].as_u64()
            ),
            (Some(2), Some(0)),
            "{synced}"
        );
        // Segments count as they are written.
        let (_, count) = api
            .post("/pages/1001/audiences/count", json!({"marketing": true}))
            .await;
        assert_eq!(
            (count["count"].as_u64(), count["contacts"].as_u64()),
            (Some(2), Some(5)),
            "{count}"
        );
        let (status, bad) = api
            .post(
                "/pages/1001/audiences/count",
                json!({"countries": ["Vietnam"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad["error"]
                .as_str()
                .unwrap()
                .starts_with("segment.countries"),
            "{bad}"
        );
        let (status, saved) = api
            .post(
                "/pages/1001/audiences",
                json!({"name": "Subscribers", "segment": {"marketing": true}}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        assert_eq!(saved["count"], 2);

        // Sent: the window's and the notification's at once; the paid one after the warm-up.
        let before = accepted(&w).await.len();
        let (status, sent) = api
            .post("/broadcasts", json!({"text": SALE, "name": "Sale"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        let id = sent["id"].as_i64().unwrap();
        w.until("the window's and the notification's are sent", || async {
            accepted(&w).await.len() >= before + 2
        })
        .await;
        later(&w, &mut shifted, 3_660).await;
        w.until("the broadcast is done", || async {
            api.get(&format!("/broadcasts/{id}")).await["status"] == "done"
        })
        .await;
        w.deliveries_done().await;
        let new: Vec<Value> = accepted(&w).await.into_iter().skip(before).collect();
        let to = |s: &Value| {
            s["request"]["recipient"]["id"]
                .as_str()
                .or(s["request"]["recipient"]["notification_messages_token"].as_str())
                .map(str::to_owned)
                .or_else(|| s["recipient_id"].as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        assert_eq!(new.len(), 3, "exactly the planned messages: {new:?}");
        let update: Vec<&Value> = new
            .iter()
            .filter(|s| {
                s["request"]["messaging_type"] == "UPDATE"
                    && s["request"]["recipient"]["id"].is_string()
            })
            .collect();
        assert_eq!(update.len(), 1);
        assert_eq!(to(update[0]), anh);
        assert!(
            new.iter()
                .any(
                    |s| s["request"]["recipient"]["notification_messages_token"].is_string()
                        && s["recipient_id"] == marco.as_str()
                ),
            "{new:?}"
        );
        assert!(
            new.iter().any(|s| s["path"]
                .as_str()
                .unwrap()
                .ends_with("act_5550001/messages")),
            "{new:?}"
        );
        assert!(!new.iter().any(|s| to(s) == dung || to(s) == em));
        let inbox = w.ctl.inbox(&cuong).await.unwrap();
        assert!(
            inbox.iter().any(|m| m["messaging_type"] == "MARKETING"),
            "{inbox:?}"
        );
        w.until("Meta's delivery webhook is applied", || async {
            let r = api.get(&format!("/broadcasts/{id}")).await;
            r["results"]["delivered"].as_i64().unwrap_or(0) >= 1
        })
        .await;
        let results = api.get(&format!("/broadcasts/{id}")).await;
        assert_eq!(results["results"]["skipped"], 2, "{results}");
        let reasons: Vec<&str> = results["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        assert!(
            reasons.contains(&"outside_window") && reasons.contains(&"contact_opted_out"),
            "{results}"
        );
        let audit = w.store().audit_for(PAGE, &cuong).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.actor == format!("broadcast:{id}") && a.rule == "marketing_message"),
            "{audit:?}"
        );

        // Cuong taps Meta's stop link: no webhook, but the next paid send answers 2300034 and
        // the subscription is stopped for the plans after it.
        w.ctl
            .post(&format!("/users/{cuong}/marketing_stop"), json!({}))
            .await
            .unwrap();
        later(&w, &mut shifted, 13 * 3_600).await;
        let (status, again) = api
            .post(
                "/broadcasts",
                json!({"text": "New arrivals this week", "audience_id": saved["id"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{again}");
        let again_id = again["id"].as_i64().unwrap();
        later(&w, &mut shifted, 3_660).await;
        w.until("Meta's refusal stops the subscription", || async {
            w.store()
                .notification_tokens(PAGE, &cuong)
                .await
                .unwrap()
                .iter()
                .any(|t| t.marketing_stopped_at.is_some())
        })
        .await;
        w.until("the second broadcast is done", || async {
            api.get(&format!("/broadcasts/{again_id}")).await["status"] == "done"
        })
        .await;
        let (_, replan) = api
            .post("/broadcasts", json!({"text": "More news", "dry_run": true}))
            .await;
        assert_eq!(replan["skipped"]["marketing_stopped"], 1, "{replan}");
        // Marco's recurring notification waits 48 hours; Meta's paid API does not reach Italy.
        assert_eq!(replan["skipped"]["marketing_region"], 1, "{replan}");

        // Pause, resume and cancel.
        let later_at = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(30)).to_string();
        let (_, third) = api
            .post(
                "/broadcasts",
                json!({"text": "Opening hours", "schedule": {"at": later_at}}),
            )
            .await;
        let third = third["id"].as_i64().unwrap();
        let (status, paused) = api
            .post(&format!("/broadcasts/{third}/pause"), json!({}))
            .await;
        assert_eq!(
            (status, paused["status"].as_str()),
            (StatusCode::OK, Some("paused")),
            "{paused}"
        );
        let (status, _) = api
            .post(&format!("/broadcasts/{third}/pause"), json!({}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, cancelled) = api
            .post(&format!("/broadcasts/{third}/cancel"), json!({}))
            .await;
        assert_eq!(cancelled["status"], "cancelled");

        // Fenestra was not running when a broadcast was due: more than an hour late, it waits
        // for a person instead of going out late; resumed, it goes.
        let soon = (Time::now().timestamp() + jiff::SignedDuration::from_mins(10)).to_string();
        let (_, late) = api.post("/broadcasts", json!({"text": "See you tomorrow", "audience_id": saved["id"], "schedule": {"at": soon}})).await;
        let late = late["id"].as_i64().unwrap();
        shifted += 2 * 3_600_000;
        Time::shift(shifted);
        w.until("the late broadcast waits for a person", || async {
            let b = api.get(&format!("/broadcasts/{late}")).await;
            b["status"] == "paused" && b["pause_reason"] == "late"
        })
        .await;
        let (_, resumed) = api
            .post(&format!("/broadcasts/{late}/resume"), json!({}))
            .await;
        assert_eq!(resumed["status"], "sending", "{resumed}");
        w.until("the resumed broadcast is done", || async {
            api.get(&format!("/broadcasts/{late}")).await["status"] == "done"
        })
        .await;

        Time::shift(0);
        w.stop().await;
    }
}

#[tokio::test]
async fn customer_lists_match_what_customers_gave_and_opt_in_requests_subscribe() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (lan, _) = team(&w).await;
        let api = Api {
            http: reqwest::Client::new(),
            base: w.server.url(),
            token: lan,
        };
        let lan_psid = w.customer("Lan").await;
        w.says(&lan_psid, "hi").await;
        let bao = w.customer("Bao").await;
        w.says(&bao, "hi").await;
        let now = Time::now();
        w.store()
            .set_field(PAGE, &lan_psid, "phone", "0912 345 678", now)
            .await
            .unwrap();
        w.store()
            .set_field(PAGE, &bao, "email", "Bao@Example.com", now)
            .await
            .unwrap();
        let (status, _) = api
            .call(
                reqwest::Method::PUT,
                "/pages/1001/marketing",
                Some(json!({"default_country": "vn"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // As a spreadsheet saves it: a byte-order mark, semicolons, Vietnamese headers.
        let csv = "\u{feff}Tên;Điện thoại;Email;Đồng ý\nLan;+84 912 345 678;;có\nBao;;bao@example.com;x\nCa;0987654321;;không\nDi;12;;có\nEm;;em@example.com;yes\n";
        let r = api
            .http
            .post(format!(
                "{}/api/v1/pages/1001/customer-lists?name=shop",
                w.server.url()
            ))
            .bearer_auth(&api.token)
            .header("Content-Type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r: Value = r.json().await.unwrap();
        let report = &r["report"];
        assert_eq!(report["rows"], 5, "{r}");
        assert_eq!(report["without_consent"], 1);
        assert_eq!(report["matched"], 2);
        assert_eq!(report["unmatched"], 1);
        assert_eq!(
            report["invalid"],
            json!([{"line": 5, "reason": "`12` is not a phone number"}])
        );
        let hashed = r["hashed_csv"].as_str().unwrap();
        assert_eq!(hashed.lines().count(), 2, "{hashed}");
        assert!(!hashed.contains("em@example.com"));
        let (_, count) = api
            .post(
                "/pages/1001/audiences/count",
                json!({"labels_any": ["list:shop"]}),
            )
            .await;
        assert_eq!(count["count"], 2, "{count}");

        // An agent asks Lan to subscribe; she accepts; the next week's same request is refused.
        let (status, asked) = api
            .post(
                &format!("/conversations/1001/{lan_psid}/optin-request"),
                json!({"title": "Weekly deals"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{asked}");
        assert_eq!(asked["allowed"], true);
        w.deliveries_done().await;
        let inbox = w.ctl.inbox(&lan_psid).await.unwrap();
        assert!(
            inbox
                .iter()
                .any(|m| m["attachment"]["payload"]["template_type"] == "notification_messages"),
            "{inbox:?}"
        );
        let (status, again) = api
            .post(
                &format!("/conversations/1001/{lan_psid}/optin-request"),
                json!({"title": "Weekly deals"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
        w.ctl
            .post(
                &format!("/users/{lan_psid}/optin"),
                json!({"type": "notification_messages", "payload": "FENESTRA_MARKETING_OPTIN"}),
            )
            .await
            .unwrap();
        w.until("the subscription is stored", || async {
            w.store()
                .notification_tokens(PAGE, &lan_psid)
                .await
                .unwrap()
                .iter()
                .any(|t| t.topic.as_deref() == Some("Weekly deals"))
        })
        .await;

        // Giang arrives from a click-to-Messenger ad and writes: Meta subscribes her with no
        // webhook; the sync from Meta's token list finds her; her latest source is the ad's ref.
        let giang = w.customer("Giang").await;
        w.ctl
            .post(
                &format!("/users/{giang}/ad_click"),
                json!({"ad_id": "6001", "ref": "tet-sale"}),
            )
            .await
            .unwrap();
        w.says(&giang, "Còn hàng không?").await;
        let (_, before) = api
            .post("/pages/1001/audiences/count", json!({"marketing": true}))
            .await;
        let (status, synced) = api.post("/pages/1001/marketing/sync", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{synced}");
        assert_eq!(synced["synced"]["added"], 1, "{synced}");
        let (_, after) = api
            .post("/pages/1001/audiences/count", json!({"marketing": true}))
            .await;
        assert_eq!(
            after["count"].as_u64().unwrap(),
            before["count"].as_u64().unwrap() + 1,
            "{before} {after}"
        );
        let (_, from_ad) = api
            .post(
                "/pages/1001/audiences/count",
                json!({"latest_source": "tet-sale"}),
            )
            .await;
        assert_eq!(from_ad["count"], 1, "{from_ad}");
        w.stop().await;
    }
}

#[tokio::test]
async fn a_broadcast_pauses_itself_when_too_many_customers_block_the_page() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    let (lan, _) = team(&w).await;
    let api = Api {
        http: reqwest::Client::new(),
        base: w.server.url(),
        token: lan,
    };
    let mut customers = vec![];
    for i in 0..30 {
        let p = w
            .ctl
            .customer(&format!("C{i}"), "Tran", "vi_VN")
            .await
            .unwrap();
        w.ctl.say(&p, "hi").await.unwrap();
        customers.push(p);
    }
    w.until("every customer is stored", || async {
        w.store()
            .contact(PAGE, &customers[29])
            .await
            .unwrap()
            .is_some()
    })
    .await;
    // A third of them blocked the Page since they wrote.
    for p in customers.iter().step_by(3) {
        w.ctl
            .post(&format!("/users/{p}/block"), json!({}))
            .await
            .unwrap();
    }
    let (status, sent) = api
        .post(
            "/broadcasts",
            json!({"text": "Our opening hours change next week."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = sent["id"].as_i64().unwrap();
    w.until("the block rate paused the broadcast", || async {
        let b = api.get(&format!("/broadcasts/{id}")).await;
        b["status"] == "paused" && b["pause_reason"] == "block_rate"
    })
    .await;
    let b = api.get(&format!("/broadcasts/{id}")).await;
    assert!(b["results"]["blocked"].as_i64().unwrap() >= 2, "{b}");
    assert!(
        b["results"]["planned"].as_i64().unwrap() > 0,
        "the rest waits: {b}"
    );
    w.stop().await;
}
