//! Issue 17's "done when", on `fenestra demo` as a newcomer runs it: a broadcast of a
//! promotional text to everyone plans the customers inside the window by `UPDATE`, the
//! subscribed by paid marketing message, the rest skipped with reasons, and the numbers add up
//! to the Page's contacts; sent, with the emulator's clock moved past the campaign's warm-up,
//! exactly the planned messages reach the emulator; a policy-enforcement webhook from the
//! emulator pauses the next broadcast.

mod common;

use std::time::Duration;

use serde_json::{Value, json};

const SALE: &str = "Flash sale tonight: 50% off every dress!";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promotional_broadcast_goes_only_where_meta_allows_in_the_demo() {
    let demo = common::Demo::start();
    let http = reqwest::Client::new();
    let emulator = demo.emulator();
    let base = demo.url_after("inbox:");
    let token = common::ok_on(&demo.db(), &["user", "token", "--username", "admin"], "")
        .trim()
        .to_owned();
    let api = |p: &str| format!("{base}/api/v1{p}");
    let broadcast = async |id: i64| -> Value {
        http.get(api(&format!("/broadcasts/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };

    // The plan, without writing anything.
    let plan: Value = http
        .post(api("/broadcasts"))
        .bearer_auth(&token)
        .json(&json!({"text": SALE, "dry_run": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = &plan["paths"];
    let skipped = plan["skipped"].as_object().unwrap();
    let count = |v: &Value| v.as_u64().unwrap();
    let reached: u64 = paths.as_object().unwrap().values().map(count).sum();
    let dropped: u64 = skipped.values().map(count).sum();
    let contacts: Value = http
        .post(api("/pages/1001/audiences/count"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reached + dropped, count(&contacts["contacts"]), "{plan}");
    // Aisyah and Linh wrote within the day; Hoa subscribed to marketing messages.
    assert_eq!(paths["update"], 2, "{plan}");
    assert_eq!(paths["marketing"], 1, "{plan}");
    assert_eq!(paths["utility"], 0, "{plan}");
    // Minh's thread is Meta Business Suite's; Karim's window closed (and a promotion has no tag).
    assert_eq!(skipped["thread_owned_by_other_app"], 1, "{plan}");
    assert!(count(&skipped["outside_window"]) >= 1, "{plan}");
    assert!(
        plan["estimate"]["estimate_delivery_upper_bound"]
            .as_i64()
            .unwrap()
            >= 1,
        "{plan}"
    );
    assert_eq!(
        plan["samples"].as_array().unwrap().len().min(5),
        plan["samples"].as_array().unwrap().len()
    );

    // Sending records it; the window's customers get it at once.
    let sends = async || -> Vec<Value> {
        http.get(format!("{emulator}/_emulator/sends"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let sends_before = sends().await;
    let created = http
        .post(api("/broadcasts"))
        .bearer_auth(&token)
        .json(&json!({"text": SALE, "name": "Flash sale"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let accepted = async || -> Vec<Value> {
        sends()
            .await
            .into_iter()
            .skip(sends_before.len())
            .filter(|s| s["outcome"] == "accepted")
            .collect()
    };
    common::until("the window's customers got the sale", async || {
        accepted().await.len() >= 2
    })
    .await;
    // The paid one waits for the campaign's warm-up: move the emulator's clock (the demo
    // follows it) an hour and a minute on.
    http.post(format!("{emulator}/_emulator/clock/advance"))
        .json(&json!({"seconds": 3660}))
        .send()
        .await
        .unwrap();
    common::until("the paid marketing message went out", async || {
        accepted().await.iter().any(|s| {
            s["path"]
                .as_str()
                .unwrap_or("")
                .contains("act_5550001/messages")
        })
    })
    .await;
    common::until("the broadcast is done", async || {
        let b = broadcast(id).await;
        b["status"] == "done"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = accepted().await;
    let marketing: Vec<&Value> = sent
        .iter()
        .filter(|s| s["path"].as_str().unwrap().contains("act_"))
        .collect();
    let send_api: Vec<&Value> = sent
        .iter()
        .filter(|s| !s["path"].as_str().unwrap().contains("act_"))
        .collect();
    assert_eq!(marketing.len(), 1, "{sent:?}");
    assert_eq!(send_api.len(), 2, "exactly the planned messages: {sent:?}");
    for s in &send_api {
        assert_eq!(s["request"]["messaging_type"], "UPDATE", "{s}");
    }
    let hoa = demo.psid_of("Hoa");
    let inbox: Vec<Value> = http
        .get(format!("{emulator}/_emulator/users/{hoa}/inbox"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        inbox
            .iter()
            .any(|m| m["messaging_type"] == "MARKETING" && m["text"] == SALE),
        "{inbox:?}"
    );
    let results = broadcast(id).await;
    let r = &results["results"];
    assert_eq!(
        count(&r["sent"]) + count(&r["delivered"]) + count(&r["read"]),
        3,
        "{results}"
    );
    assert_eq!(count(&r["skipped"]), dropped, "{results}");
    // The same funnel in the analytics.
    let outcomes = common::get_json(&http, &api("/analytics/outcomes"), Some(&token)).await;
    let funnel = outcomes["broadcasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{outcomes}"));
    assert_eq!(funnel["recipients"], reached, "{funnel}");
    assert_eq!(
        count(&funnel["sent"]) + count(&funnel["delivered"]) + count(&funnel["read"]),
        3,
        "{funnel}"
    );

    // The skipped list, as CSV.
    let csv = http
        .get(api(&format!("/broadcasts/{id}/recipients?skipped=true")))
        .bearer_auth(&token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count() as u64, 1 + dropped, "{csv}");
    assert!(csv.contains("thread_owned_by_other_app"), "{csv}");

    // A broadcast scheduled for later pauses when Meta warns the Page.
    let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(3)).to_string();
    let next: Value = http
        .post(api("/broadcasts"))
        .bearer_auth(&token)
        .json(&json!({"text": "The shop opens at 9 tomorrow.", "schedule": {"at": later}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let next_id = next["id"].as_i64().unwrap();
    let enforced = http
        .post(format!("{emulator}/_emulator/policy/enforce"))
        .json(&json!({"action": "warning", "reason": "Too many promotional messages"}))
        .send()
        .await
        .unwrap();
    assert!(enforced.status().is_success());
    common::until("Meta's warning paused the broadcast", async || {
        let b = broadcast(next_id).await;
        b["status"] == "paused" && b["pause_reason"] == "policy_enforcement"
    })
    .await;
}
