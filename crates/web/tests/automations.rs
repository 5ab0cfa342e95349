//! Automations end to end, over real HTTP between the server and the emulator, on SQLite and
//! PostgreSQL: the shop document of issue 15 applied to the page, customers meeting the away
//! message, the instant reply, keyword answers with their quick reply, STOP, a request for a
//! person; the Messenger profile pushed to Meta; the API's document round trip, its errors
//! naming line and field, and who may apply.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{PauseReason, testing};

/// The example of issue 15 (automations/tests/fixtures/shop.yaml).
const SHOP: &str = include_str!("../../automations/tests/fixtures/shop.yaml");

/// The shop document with its week replaced (all closed, or open all day).
fn shop_with_hours(day: &str) -> String {
    let hours = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .map(|d| format!("{d}: {day}"))
        .join(", ");
    let line = SHOP
        .lines()
        .find(|l| l.trim_start().starts_with("hours:"))
        .unwrap();
    SHOP.replace(line, &format!("  hours: {{{hours}}}"))
}

/// A world whose page has the shop document with `day` hours every day.
async fn shop(db: &testing::TestDb, day: &str) -> World {
    let w = world(db, None, |_| {}).await;
    w.server
        .engine
        .apply_automations(PAGE, &shop_with_hours(day), "test")
        .await
        .unwrap();
    w
}

const PRICE_LIST: &str = "Our price list: https://shop.example.com/prices";

/// What the customer received, once automations and deliveries are done.
async fn received(w: &World, psid: &str) -> Vec<Value> {
    w.automations_done().await;
    w.deliveries_done().await;
    w.ctl.inbox(psid).await.unwrap()
}

async fn receives(w: &World, psid: &str, n: usize) -> Vec<Value> {
    w.until(&format!("{psid} receives {n} messages"), || async {
        w.ctl.inbox(psid).await.unwrap().len() >= n
    })
    .await;
    received(w, psid).await
}

fn texts(inbox: &[Value]) -> Vec<&str> {
    inbox
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect()
}

#[tokio::test]
async fn outside_hours_the_away_message_and_the_price_list_in_vietnamese_no_greeting() {
    for db in testing::all().await {
        let w = shop(&db, "closed").await;
        let linh = w.customer("Linh").await; // vi_VN
        w.says(&linh, "cho em hỏi giá").await;
        let inbox = receives(&w, &linh, 2).await;
        assert_eq!(
            texts(&inbox),
            ["Shop đang nghỉ, sẽ trả lời từ 9:00.", PRICE_LIST],
            "{}",
            db.label
        );
        assert_eq!(
            inbox[1]["quick_replies"],
            json!([{"content_type": "text", "title": "Talk to a person", "payload": "HUMAN"}])
        );
        // Once per closed period: the next question gets the price list alone.
        w.says(&linh, "giá ship?").await;
        let inbox = receives(&w, &linh, 3).await;
        assert_eq!(texts(&inbox)[2..], [PRICE_LIST], "{}", db.label);
        // The thread shows who answered: the automations, by name.
        let actors: Vec<String> = w
            .store()
            .audit_for(PAGE, &linh)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| !a.message.contains("typing_on"))
            .map(|a| a.actor)
            .collect();
        assert_eq!(
            actors,
            [
                "automation:away",
                "automation:keyword",
                "automation:keyword"
            ]
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn inside_hours_a_new_customer_is_greeted_once_and_stop_opts_them_out() {
    for db in testing::all().await {
        let w = shop(&db, "open").await;
        let sam = w.ctl.customer("Sam", "Lee", "en_US").await.unwrap();
        w.says(&sam, "GIA ao nay").await;
        let inbox = receives(&w, &sam, 2).await;
        assert_eq!(
            texts(&inbox),
            ["Hi Sam, thanks for writing!", PRICE_LIST],
            "{}",
            db.label
        );
        w.says(&sam, "ok thanks").await;
        assert_eq!(received(&w, &sam).await.len(), 2, "not greeted again");
        // "tham gia" (take part), typed with marks, is not "giá".
        w.says(&sam, "tôi muốn tham gia").await;
        assert_eq!(received(&w, &sam).await.len(), 2);

        w.says(&sam, "STOP").await;
        let inbox = receives(&w, &sam, 3).await;
        assert_eq!(
            texts(&inbox)[2],
            "You won't get automatic messages from us any more. Write START to undo."
        );
        let contact = w.store().contact(PAGE, &sam).await.unwrap().unwrap();
        assert!(contact.opted_out, "{}", db.label);
        w.says(&sam, "price?").await;
        assert_eq!(received(&w, &sam).await.len(), 3, "no answer after STOP");
        w.stop().await;
    }
}

#[tokio::test]
async fn asking_for_a_person_pauses_automations_and_says_so_in_the_customers_language() {
    for db in testing::all().await {
        let w = shop(&db, "open").await;
        let hoa = w.customer("Hoa").await; // vi_VN
        w.says(&hoa, "giá?").await;
        receives(&w, &hoa, 2).await;
        w.ctl
            .post(
                &format!("/users/{hoa}/quick_reply"),
                json!({"title": "Talk to a person", "payload": "HUMAN"}),
            )
            .await
            .unwrap();
        let inbox = receives(&w, &hoa, 3).await;
        assert_eq!(
            texts(&inbox)[2],
            "Cảm ơn bạn! Nhân viên của chúng tôi sẽ trả lời bạn tại đây sớm."
        );
        let contact = w.store().contact(PAGE, &hoa).await.unwrap().unwrap();
        let pause = contact.pause(store::Time::now()).unwrap();
        assert_eq!(pause.reason, PauseReason::AskedForPerson, "{}", db.label);
        w.says(&hoa, "giá?").await;
        assert_eq!(received(&w, &hoa).await.len(), 3, "a person answers now");
        w.stop().await;
    }
}

#[tokio::test]
async fn the_messenger_profile_reaches_meta_and_taps_are_answered() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let doc = shop_with_hours("open").replace(
            "keywords:\n",
            "keywords:\n  - payloads: [ORDER_STATUS]\n    reply: {text: \"Your order number, please?\"}\n",
        );
        let (_, version) = w
            .server
            .engine
            .apply_automations(PAGE, &doc, "test")
            .await
            .unwrap();
        w.until("Meta has the Messenger profile", || async {
            let a = w.store().automations(PAGE).await.unwrap().unwrap();
            a.profile_version == Some(version)
        })
        .await;
        let profile: Value = reqwest::Client::new()
            .get(format!("{}/v27.0/me/messenger_profile", w.emu.url()))
            .query(&[(
                "fields",
                "get_started,greeting,ice_breakers,persistent_menu",
            )])
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let p = &profile["data"][0];
        assert_eq!(
            p["get_started"],
            json!({"payload": "GET_STARTED"}),
            "{profile}"
        );
        assert_eq!(
            p["ice_breakers"][0]["call_to_actions"][0],
            json!({"question": "Is my order on its way?", "payload": "ORDER_STATUS"})
        );
        assert_eq!(
            p["persistent_menu"][0]["call_to_actions"][0],
            json!({"type": "postback", "title": "Talk to a person", "payload": "HUMAN"})
        );
        assert_eq!(p["greeting"][1]["locale"], "vi_VN");

        // Taps are answered by the rules that name their payloads.
        let an = w.ctl.customer("An", "Pham", "en_US").await.unwrap();
        w.ctl
            .post(
                &format!("/users/{an}/postback"),
                json!({"title": "Is my order on its way?", "payload": "ORDER_STATUS"}),
            )
            .await
            .unwrap();
        let inbox = receives(&w, &an, 2).await;
        assert_eq!(
            texts(&inbox),
            ["Hi An, thanks for writing!", "Your order number, please?"],
            "{}",
            db.label
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn the_api_reads_and_writes_the_document_with_errors_that_name_line_and_field() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (lan, mai) = team(&w).await;
        let http = reqwest::Client::new();
        let url = format!("{}/api/v1/pages/{PAGE}/automations", w.server.url());

        let put = |token: &str, body: String| {
            http.put(&url)
                .bearer_auth(token)
                .header("content-type", "application/yaml")
                .body(body)
                .send()
        };
        let r = put(&lan, SHOP.to_owned()).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", db.label);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["version"], 1);

        let bad = SHOP.replace("sat: \"09:00-12:00\"", "sat: \"9-12\"");
        let r = put(&lan, bad).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["problems"][0]["field"], "away.hours.sat", "{v}");
        assert_eq!(v["problems"][0]["line"], 6, "{v}");

        let r = put(&mai, SHOP.to_owned()).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "agents may not apply");

        let v: Value = http
            .get(&url)
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["version"], 1, "the refused document changed nothing");
        assert_eq!(v["updated_by"], "user:lan");
        assert_eq!(v["document"]["keywords"][0]["match"][0], "giá");
        let yaml = http
            .get(&url)
            .bearer_auth(&mai)
            .header("accept", "application/yaml")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            automations::parse(&yaml).unwrap(),
            automations::parse(SHOP).unwrap(),
            "the exported YAML is the document applied"
        );
        let r = http
            .get(format!("{}/api/v1/pages/nope/automations", w.server.url()))
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        w.stop().await;
    }
}

#[tokio::test]
async fn closing_sends_the_goodbye_and_the_rating_whose_answer_is_kept() {
    for db in testing::all().await {
        let w = shop(&db, "open").await;
        let mai = w.customer("Mai").await; // vi_VN
        w.says(&mai, "giá?").await;
        receives(&w, &mai, 2).await;
        w.server
            .engine
            .set_status(PAGE, &mai, store::ConversationStatus::Closed)
            .await
            .unwrap();
        let inbox = receives(&w, &mai, 4).await;
        assert_eq!(
            texts(&inbox)[2..],
            [
                "Cảm ơn bạn đã mua sắm cùng shop!",
                "Bạn chấm shop mấy điểm? Chọn 1 (kém) đến 5 (rất tốt)."
            ],
            "{}",
            db.label
        );
        let buttons: Vec<&str> = inbox[3]["quick_replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["title"].as_str().unwrap())
            .collect();
        assert_eq!(buttons, ["1", "2", "3", "4", "5"]);
        w.ctl
            .post(
                &format!("/users/{mai}/quick_reply"),
                json!({"title": "4", "payload": "RATING_4"}),
            )
            .await
            .unwrap();
        w.until("the rating is kept", || async {
            !w.store()
                .ratings(PAGE, store::Time::EPOCH)
                .await
                .unwrap()
                .is_empty()
        })
        .await;
        let ratings = w.store().ratings(PAGE, store::Time::EPOCH).await.unwrap();
        assert_eq!(
            (ratings[0].psid.as_str(), ratings[0].rating),
            (mai.as_str(), 4)
        );
        assert_eq!(
            received(&w, &mai).await.len(),
            4,
            "a rating gets no keyword answer"
        );
        w.stop().await;
    }
}

#[tokio::test]
async fn no_goodbye_outside_the_window_the_policy_refuses_it() {
    for db in testing::all().await {
        let w = world(&db, Some(now_ms() - 2 * DAY_MS), |_| {}).await;
        w.server
            .engine
            .apply_automations(PAGE, "closing: {goodbye: Bye!}", "test")
            .await
            .unwrap();
        let old = w.customer("Lan").await;
        w.says(&old, "hello").await;
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        w.automations_done().await;
        w.server
            .engine
            .set_status(PAGE, &old, store::ConversationStatus::Closed)
            .await
            .unwrap();
        let audit = w.store().audit_for(PAGE, &old).await.unwrap();
        let goodbye = audit
            .iter()
            .find(|a| a.actor == "automation:goodbye")
            .unwrap();
        assert_eq!(goodbye.verdict, store::Verdict::Deny, "{}", db.label);
        assert!(received(&w, &old).await.is_empty());
        w.stop().await;
    }
}

#[tokio::test]
async fn a_keyword_answer_carries_a_picture_and_buttons() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let doc = "keywords:\n  - match: [menu, thực đơn]\n    reply:\n      text: {default: \"Today's menu\", vi: \"Thực đơn hôm nay\"}\n      attachment: {type: image, url: \"https://shop.example/menu.jpg\"}\n      buttons:\n        - {type: postback, title: {default: Order, vi: Đặt món}, payload: ORDER}\n        - {type: web_url, title: Website, url: \"https://shop.example\"}\n";
        w.server
            .engine
            .apply_automations(PAGE, doc, "test")
            .await
            .unwrap();
        let an = w.customer("An").await; // vi_VN
        w.says(&an, "cho xem thực đơn").await;
        let inbox = receives(&w, &an, 2).await;
        assert_eq!(
            inbox[0]["attachment"]["payload"]["url"], "https://shop.example/menu.jpg",
            "{}",
            db.label
        );
        let template = &inbox[1]["attachment"]["payload"];
        assert_eq!(template["text"], "Thực đơn hôm nay");
        assert_eq!(
            template["buttons"][0],
            json!({"type": "postback", "title": "Đặt món", "payload": "ORDER"})
        );
        assert_eq!(template["buttons"][1]["url"], "https://shop.example");
        w.stop().await;
    }
}

#[tokio::test]
async fn a_hand_over_goes_to_the_agent_online_says_when_the_shop_opens_and_lapses() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let (_, _) = team(&w).await;
        // Closed every day but Mondays; hand-overs go round robin and last an hour.
        let doc = format!(
            "{}\nhandover: {{assign: round_robin}}\nguards: {{resume_after: 1h}}\n",
            shop_with_hours("closed").replace("mon: closed", "mon: \"09:00-09:01\"")
        );
        w.server
            .engine
            .apply_automations(PAGE, &doc, "test")
            .await
            .unwrap();
        // Mai has the inbox open: she is online.
        let mai = session_of(&w, "mai").await;
        let live = no_redirects()
            .get(format!("{}/events", w.server.url()))
            .header("cookie", &mai)
            .send()
            .await
            .unwrap();
        assert!(live.status().is_success());
        let hoa = w.customer("Hoa").await;
        w.says(&hoa, "talk to a person").await;
        let inbox = receives(&w, &hoa, 1).await;
        let said = texts(&inbox)[0];
        assert!(
            said.starts_with("Cảm ơn bạn! Shop đang nghỉ: nhân viên sẽ trả lời bạn tại đây từ ")
                && said.ends_with(" 09:00."),
            "{said}"
        );
        let team = w.store().team_state(PAGE, &hoa).await.unwrap().unwrap();
        assert_eq!(team.assignee.as_deref(), Some("mai"), "{}", db.label);
        let pause = w
            .store()
            .contact(PAGE, &hoa)
            .await
            .unwrap()
            .unwrap()
            .pause(store::Time::now())
            .unwrap();
        let lasts = pause.until.unwrap().ms() - pause.since.ms();
        assert_eq!(lasts, 3_600_000, "the bot comes back after an hour");
        drop(live);

        // A page that answers from Meta's inbox passes the thread there.
        let doc = doc.replace(
            "handover: {assign: round_robin}",
            "handover: {to_meta_inbox: true}",
        );
        w.server
            .engine
            .apply_automations(PAGE, &doc, "test")
            .await
            .unwrap();
        let an = w.customer("An").await;
        w.says(&an, "talk to a person").await;
        w.until("Meta's inbox has the thread", || async {
            let routing = w.ctl.get("/routing").await.unwrap();
            routing["threads"][&an]["owner"] == "263902037430900"
        })
        .await;
        w.stop().await;
    }
}
