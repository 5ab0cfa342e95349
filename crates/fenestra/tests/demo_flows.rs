//! Issue 16's "done when", on `fenestra demo` as a newcomer runs it: a customer taps Get Started,
//! picks a service and a slot three days ahead with quick replies and is confirmed; the
//! emulator's clock moved to the day before sends the reminder as the utility template (her
//! window has closed by then); "talk to a human" pauses the bot and leaves the conversation
//! unassigned; an agent's reply does not restart the bot; closing the conversation does, and the
//! next "hi" is answered by the bot again.

mod common;

use std::time::Duration;

use serde_json::{Value, json};

struct Phone {
    http: reqwest::Client,
    emulator: String,
    psid: String,
}

impl Phone {
    async fn post(&self, what: &str, body: Value) {
        let r = self
            .http
            .post(format!(
                "{}/_emulator/users/{}/{what}",
                self.emulator, self.psid
            ))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{what}: {}", r.status());
    }

    async fn inbox(&self) -> Vec<Value> {
        self.http
            .get(format!(
                "{}/_emulator/users/{}/inbox",
                self.emulator, self.psid
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits for a message whose text starts with `start`; returns it.
    async fn gets(&self, start: &str) -> Value {
        for _ in 0..400 {
            if let Some(m) = self
                .inbox()
                .await
                .into_iter()
                .find(|m| m["text"].as_str().is_some_and(|t| t.starts_with(start)))
            {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("never got {start:?}: {:?}", self.inbox().await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_books_is_reminded_and_handed_to_a_person_in_the_demo() {
    let demo = common::Demo::start();
    let http = reqwest::Client::new();
    let emulator = demo.emulator();
    let inbox_url = demo.url_after("inbox:");
    let created: Value = http
        .post(format!("{emulator}/_emulator/users"))
        .json(&json!({"first_name": "Thu", "locale": "vi_VN"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thu = Phone {
        http: http.clone(),
        emulator: emulator.clone(),
        psid: created["psid"].as_str().unwrap().to_owned(),
    };
    thu.post(
        "postback",
        json!({"title": "Get Started", "payload": "GET_STARTED"}),
    )
    .await;
    thu.gets("Chào Thu! Bạn muốn làm dịch vụ nào?").await;
    thu.post("quick_reply", json!({"title": "Cắt tóc", "payload": "cut"}))
        .await;
    thu.gets("Bạn muốn đến ngày nào?").await;
    let vn = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
    let day = jiff::Timestamp::now().to_zoned(vn).date() + jiff::ToSpan::days(3);
    thu.post("say", json!({"text": day.strftime("%d/%m").to_string()}))
        .await;
    let offer = thu.gets("Bạn muốn đến lúc nào?").await;
    let slot = offer["quick_replies"][0].clone();
    thu.post(
        "quick_reply",
        json!({"title": slot["title"], "payload": slot["payload"]}),
    )
    .await;
    thu.gets("Cho shop xin số điện thoại").await;
    thu.post("say", json!({"text": "0901 234 567"})).await;
    let confirmed = thu.gets("Cảm ơn Thu! Hẹn gặp bạn lúc").await;
    assert!(
        confirmed["text"]
            .as_str()
            .unwrap()
            .contains(&day.strftime("%d/%m/%Y").to_string()),
        "{confirmed}"
    );

    // The day before: Fenestra's clock follows the emulator's; her window has closed.
    let start_ms: i64 = slot["payload"]
        .as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let ahead = (start_ms - 86_400_000 - now_ms) / 1000 + 60;
    http.post(format!("{emulator}/_emulator/clock/advance"))
        .json(&json!({"seconds": ahead}))
        .send()
        .await
        .unwrap();
    let reminder = thu
        .gets("Hi Thu, this is a reminder of your appointment on")
        .await;
    assert_eq!(reminder["messaging_type"], "UTILITY", "{reminder}");

    // She asks for a person: the bot pauses, the conversation waits unassigned.
    thu.post("say", json!({"text": "talk to a human"})).await;
    let db = demo.db();
    let token = common::ok_on(&db, &["user", "token", "--username", "admin"], "")
        .trim()
        .to_owned();
    let api = |path: &str| format!("{inbox_url}/api/v1/conversations/1001/{}{path}", thu.psid);
    let mut paused = Value::Null;
    for _ in 0..400 {
        let c: Value = http
            .get(api(""))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if c["automations_paused"].is_object() {
            paused = c;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(!paused.is_null(), "the bot never paused");
    assert_eq!(
        paused["automations_paused"]["reason"], "asked_for_person",
        "{paused}"
    );
    assert!(paused["team"]["assignee"].is_null(), "{paused}");
    assert_eq!(paused["team"]["status"], "open");
    // Analytics count the run and its booking.
    let outcomes = common::get_json(
        &http,
        &format!("{inbox_url}/api/v1/analytics/outcomes"),
        Some(&token),
    )
    .await;
    let flows = outcomes["flows"].as_array().unwrap();
    assert!(
        flows
            .iter()
            .any(|f| f["started"].as_i64() >= Some(1) && f["bookings"].as_i64() >= Some(1)),
        "{outcomes}"
    );

    // An agent answers: the bot stays paused, "hi" gets no automatic answer.
    let sent = http
        .post(api("/messages"))
        .bearer_auth(&token)
        .json(&json!({"text": "Chào Thu, mình là Mai, mình giúp gì được?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 202, "{}", sent.text().await.unwrap());
    thu.gets("Chào Thu, mình là Mai").await;
    let before = thu.inbox().await.len();
    thu.post("say", json!({"text": "hi"})).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        thu.inbox().await.len(),
        before,
        "the bot stays quiet while paused"
    );

    // Closing the conversation resumes the bot: the next "hi" is answered.
    let closed = http
        .post(api("/status"))
        .bearer_auth(&token)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert!(closed.status().is_success());
    let after_close = thu.inbox().await.len();
    thu.post("say", json!({"text": "hi"})).await;
    for _ in 0..400 {
        if thu.inbox().await.len() > after_close {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "the bot did not answer after closing: {:?}",
        thu.inbox().await
    );
}
