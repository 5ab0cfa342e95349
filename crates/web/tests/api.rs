//! The JSON API (`/api/v1`) end to end, over real HTTP against the server and the emulator, on
//! SQLite and PostgreSQL, one test per endpoint group so a failure names it: token auth, the
//! filtered list, team actions and who may do them, sending (allowed, refused with
//! alternatives, a utility template, as a persona), mark seen, typing; and the thread page
//! showing attachments, postbacks, referrals and other apps' echoes.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

/// A server with an admin (`lan`) and an agent (`mai`) holding API tokens; Hoa wrote 8 days
/// ago, Minh writes now.
struct Fixture {
    w: World,
    lan: Api,
    mai: Api,
    hoa: String,
    minh: String,
}

impl Fixture {
    async fn new(db: &testing::TestDb) -> Fixture {
        let w = world(db, Some(now_ms() - 8 * DAY_MS), |_| {}).await;
        let s = w.store();
        engine::accounts::add_user(s, "lan", "a long passphrase", Role::Admin)
            .await
            .unwrap();
        engine::accounts::add_user(s, "mai", "a long passphrase", Role::Agent)
            .await
            .unwrap();
        let lan = w.api(
            engine::accounts::create_api_token(s, "lan", "test")
                .await
                .unwrap(),
        );
        let mai = w.api(
            engine::accounts::create_api_token(s, "mai", "test")
                .await
                .unwrap(),
        );
        let hoa = w.ctl.customer("Hoa", "Le", "vi_VN").await.unwrap();
        w.says(&hoa, "Where is my order?").await;
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        let minh = w.ctl.customer("Minh", "Tran", "vi_VN").await.unwrap();
        w.says(&minh, "Is the blue dress back in stock?").await;
        Fixture {
            w,
            lan,
            mai,
            hoa,
            minh,
        }
    }

    fn minh_path(&self) -> String {
        format!("/conversations/{PAGE}/{}", self.minh)
    }

    fn hoa_path(&self) -> String {
        format!("/conversations/{PAGE}/{}", self.hoa)
    }
}

/// Runs `test` on a fresh fixture on each database.
async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(Fixture) -> Fut,
    Fut: std::future::Future<Output = World>,
{
    for db in testing::all().await {
        let w = test(Fixture::new(&db).await).await;
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_no_token_or_a_wrong_one_is_401_and_me_names_the_user() {
    on_each_database(|f| async move {
        let label = f.w.label;
        let anonymous = f.w.api(String::new());
        let r = anonymous
            .http
            .get(format!("{}/api/v1/conversations", anonymous.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{label}");
        let (status, body) = f.w.api("not-a-token".into()).get("/conversations").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}");
        assert!(
            body["error"].as_str().unwrap().contains("unknown"),
            "{label}: {body}"
        );
        assert_eq!(f.mai.get("/me").await.1["role"], "agent");
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_conversations_searches_and_filters() {
    on_each_database(|f| async move {
        let (label, mai) = (f.w.label, &f.mai);
        let (status, body) = mai.get("/conversations?q=BLUE").await;
        assert_eq!(status, StatusCode::OK);
        let found = body["conversations"].as_array().unwrap();
        assert_eq!(
            (found.len(), found[0]["psid"].as_str()),
            (1, Some(f.minh.as_str())),
            "{label}"
        );
        let (_, body) = mai.get("/conversations?window=closed").await;
        assert_eq!(body["conversations"][0]["psid"], f.hoa.as_str(), "{label}");
        let (status, body) = mai.get("/conversations?status=maybe").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(
            body["error"].as_str().unwrap().contains("open or closed"),
            "{label}: {body}"
        );
        let (status, body) = mai.get("/conversations?limit=many").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{label}");
        assert!(
            body["error"].as_str().unwrap().contains("limit"),
            "{label}: {body}"
        );
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_assign_follows_the_roles() {
    on_each_database(|f| async move {
        let (label, mai, lan) = (f.w.label, &f.mai, &f.lan);
        let minh_path = f.minh_path();
        // An agent takes an unassigned conversation; handing it to someone else is an admin's.
        assert_eq!(
            mai.post(&format!("{minh_path}/assign"), json!({"to": "mai"}))
                .await
                .0,
            StatusCode::OK
        );
        let (status, body) = mai
            .post(&format!("{minh_path}/assign"), json!({"to": "lan"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{label}: {body}");
        assert_eq!(
            lan.post(&format!("{}/assign", f.hoa_path()), json!({"to": "mai"}))
                .await
                .0,
            StatusCode::OK
        );
        let (_, body) = mai.get("/conversations?assignee=me").await;
        assert_eq!(
            body["conversations"].as_array().unwrap().len(),
            2,
            "{label}"
        );
        // A colleague's conversation is not the agent's to take or let go of.
        assert_eq!(
            lan.post(&format!("{minh_path}/assign"), json!({"to": "lan"}))
                .await
                .0,
            StatusCode::OK
        );
        let (status, body) = mai
            .post(&format!("{minh_path}/assign"), json!({"to": "mai"}))
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{label}: an agent took a colleague's conversation: {body}"
        );
        let (status, _) = mai
            .post(&format!("{minh_path}/assign"), json!({"to": null}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
        assert_eq!(
            mai.post(
                &format!("/conversations/{PAGE}/nobody/assign"),
                json!({"to": null})
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_labels_and_notes() {
    on_each_database(|f| async move {
        let (label, mai) = (f.w.label, &f.mai);
        let minh_path = f.minh_path();
        assert_eq!(
            mai.post(&format!("{minh_path}/labels"), json!({"label": " vip "}))
                .await
                .0,
            StatusCode::OK
        );
        let (status, body) = mai
            .post(&format!("{minh_path}/labels"), json!({"label": "a,b"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {body}");
        let (_, body) = mai.get("/conversations?label=vip").await;
        assert_eq!(
            body["conversations"][0]["labels"],
            json!(["vip"]),
            "{label}"
        );
        assert_eq!(
            mai.post(
                &format!("{minh_path}/notes"),
                json!({"text": "Wants size M"})
            )
            .await
            .0,
            StatusCode::CREATED
        );
        let (_, thread) = mai.get(&minh_path).await;
        assert_eq!(thread["notes"][0]["text"], "Wants size M", "{label}");
        assert_eq!(thread["notes"][0]["author"], "mai");
        assert_eq!(thread["team"]["unread_count"], 1);
        assert_eq!(thread["window"]["stage"], "open");
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_messages_verdict_persona_and_bad_bodies() {
    on_each_database(|f| async move {
        let (label, mai, lan, w) = (f.w.label, &f.mai, &f.lan, &f.w);
        let minh_path = f.minh_path();
        // Personas: an admin's to create, through Meta's Personas API.
        let persona = json!({"page_id": PAGE, "name": "Mai", "profile_picture_url": "https://example.com/mai.png"});
        assert_eq!(mai.post("/personas", persona.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, created) = lan.post("/personas", persona).await;
        assert_eq!(status, StatusCode::CREATED, "{label}: {created}");
        let persona_id = created["id"].as_str().unwrap().to_owned();
        let at_meta = w.ctl.get("/personas").await.unwrap();
        assert!(at_meta.to_string().contains(&persona_id), "{label}: {at_meta}");
        // The verdict writes nothing; sending as the persona reaches the customer.
        let (_, v) = mai.post(&format!("{minh_path}/verdict"), json!({"text": "Yes! 20% off today."})).await;
        assert_eq!(v["decision"]["verdict"], "allow", "{label}: {v}");
        assert!(w.store().audit_for(PAGE, &f.minh).await.unwrap().is_empty(), "{label}: a verdict was audited");
        let (status, sent) = mai
            .post(&format!("{minh_path}/messages"), json!({"text": "Yes, size M is back.", "persona_id": persona_id}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{label}: {sent}");
        w.customer_gets(&f.minh, "Yes, size M is back.").await;
        let got = w.ctl.inbox(&f.minh).await.unwrap();
        assert_eq!(got.last().unwrap()["persona_id"], persona_id.as_str(), "{label}");
        let (status, body) = mai.post(&format!("{minh_path}/messages"), json!({"text": "x", "colour": "red"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: unknown fields are refused: {body}");
        assert!(body["error"].as_str().unwrap().contains("colour"), "{label}: {body}");
        let r = mai
            .http
            .post(format!("{}/api/v1{minh_path}/messages", mai.base))
            .bearer_auth(&mai.token)
            .header("content-type", "application/json")
            .body("{\"text\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{label}");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("EOF"), "{label}: {body}");
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_seen_and_typing_go_through_the_policy() {
    on_each_database(|f| async move {
        let (label, mai, w) = (f.w.label, &f.mai, &f.w);
        let minh_path = f.minh_path();
        // Mark seen: the customer sees it, the unread count clears. Typing shows once per 10 s.
        let (_, marked) = mai.post(&format!("{minh_path}/seen"), json!({})).await;
        assert_eq!(marked["sent_to_messenger"], true, "{label}");
        assert_eq!(mai.get(&minh_path).await.1["team"]["unread_count"], 0);
        w.until("the customer sees `seen`", || async {
            let users = w.ctl.get("/users").await.unwrap();
            users
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["psid"] == f.minh.as_str() && !u["seen_at"].is_null())
        })
        .await;
        assert_eq!(
            mai.post(&format!("{minh_path}/typing"), json!({})).await.1["queued"],
            true
        );
        assert_eq!(
            mai.post(&format!("{minh_path}/typing"), json!({})).await.1["queued"],
            false
        );
        assert_eq!(
            mai.post(&format!("{minh_path}/typing"), json!({"on": false}))
                .await
                .1["queued"],
            true
        );
        // Each sender action that went out was decided by a real rule and audited.
        let audit = w.store().audit_for(PAGE, &f.minh).await.unwrap();
        let actions: Vec<(&str, &str)> = audit
            .iter()
            .map(|a| (a.message.as_str(), a.rule.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                (r#"{"sender_action":"mark_seen"}"#, "sender_action"),
                (r#"{"sender_action":"typing_on"}"#, "sender_action"),
                (r#"{"sender_action":"typing_off"}"#, "sender_action"),
            ],
            "{label}"
        );
        // Outside the window: refused, audited for the read receipt, nothing queued.
        let (_, marked) = mai.post(&format!("{}/seen", f.hoa_path()), json!({})).await;
        assert_eq!(
            marked["sent_to_messenger"], false,
            "{label}: seen outside the window"
        );
        let hoa_audit = w.store().audit_for(PAGE, &f.hoa).await.unwrap();
        assert_eq!(hoa_audit[0].rule, "sender_action_outside_window", "{label}");
        assert_eq!(
            mai.post(&format!("{}/typing", f.hoa_path()), json!({}))
                .await
                .1["queued"],
            false
        );
        assert!(w.store().outbox_for(PAGE, &f.hoa).await.unwrap().is_empty());
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_messages_refused_outside_the_window_then_a_utility_template_reaches() {
    on_each_database(|f| async move {
        let (label, mai, w) = (f.w.label, &f.mai, &f.w);
        let hoa_path = f.hoa_path();
        // Hoa's window is closed, even for HUMAN_AGENT: refused, with what would work instead.
        let (status, refused) = mai
            .post(
                &format!("{hoa_path}/messages"),
                json!({"text": "Your order shipped."}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: {refused}"
        );
        assert_eq!(
            refused["decision"]["rule"], "outside_window",
            "{label}: {refused}"
        );
        assert!(
            refused["decision"]["alternatives"]
                .to_string()
                .contains("utility_template"),
            "{label}: {refused}"
        );
        // An approved utility template reaches her.
        w.approved_template().await;
        let template = json!({"template": {"name": "order_shipped", "language": "en",
                                           "params": {"first_name": "Hoa", "order_id": "4521"}}});
        let (status, sent) = mai.post(&format!("{hoa_path}/messages"), template).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{label}: {sent}");
        w.until("Hoa has the update", || async {
            w.ctl
                .inbox(&f.hoa)
                .await
                .unwrap()
                .iter()
                .any(|m| m["messaging_type"] == "UTILITY")
        })
        .await;
        assert_eq!(
            w.ctl.inbox(&f.hoa).await.unwrap()[0]["text"],
            "Hi Hoa, order 4521 has shipped."
        );
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_status_closes_and_the_open_filter_leaves_it_out() {
    on_each_database(|f| async move {
        let (label, mai) = (f.w.label, &f.mai);
        assert_eq!(
            mai.post(
                &format!("{}/status", f.hoa_path()),
                json!({"status": "closed"})
            )
            .await
            .0,
            StatusCode::OK
        );
        let (_, open) = mai.get("/conversations?status=open").await;
        assert!(!open.to_string().contains(&f.hoa), "{label}");
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_replies_are_an_admins_to_change() {
    on_each_database(|f| async move {
        let (mai, lan) = (&f.mai, &f.lan);
        let reply = json!({"name": "hi", "text": "Hi {{first_name}}!"});
        assert_eq!(
            mai.post("/saved-replies", reply.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            lan.post("/saved-replies", reply).await.0,
            StatusCode::CREATED
        );
        assert_eq!(
            mai.get("/saved-replies").await.1["saved_replies"][0]["name"],
            "hi"
        );
        f.w
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thread_page_shows_everything_the_customer_did() {
    on_each_database(|f| async move {
        f.mai
            .post(
                &format!("{}/notes", f.minh_path()),
                json!({"text": "Wants size M"}),
            )
            .await;
        thread_page(&f.w, &f.minh).await;
        f.w
    })
    .await;
}

/// A postback, a referral, a photo and a reply from another app, in the thread page.
async fn thread_page(w: &World, minh: &str) {
    w.ctl
        .post(
            &format!("/users/{minh}/postback"),
            json!({"title": "Book a fitting", "payload": "BOOK", "ref": "spring-sale"}),
        )
        .await
        .unwrap();
    w.ctl
        .post(
            &format!("/users/{minh}/referral"),
            json!({"ref": "qr-shopfront"}),
        )
        .await
        .unwrap();
    let now = now_ms();
    let body = json!({"object": "page", "entry": [{"id": PAGE, "time": now, "messaging": [
        {"sender": {"id": minh}, "recipient": {"id": PAGE}, "timestamp": now,
         "message": {"mid": "m-photo", "attachments": [{"type": "image", "payload": {"url": "https://cdn.example.com/dress.jpg"}}]}},
        {"sender": {"id": PAGE}, "recipient": {"id": minh}, "timestamp": now + 1,
         "message": {"is_echo": true, "mid": "m-other-app", "app_id": 263902037430900_u64, "text": "Answered from the Page Inbox"}}
    ]}]})
    .to_string();
    assert_eq!(w.post_signed(&body).await, StatusCode::OK);
    w.until("the echo is stored", || async {
        w.store()
            .messages(PAGE, minh)
            .await
            .unwrap()
            .iter()
            .any(|m| m.mid == "m-other-app")
    })
    .await;
    w.until("the referral is stored", || async {
        w.store().thread_events(PAGE, minh).await.unwrap().len() == 2
    })
    .await;

    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = browser
        .post(format!("{}/login", w.server.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=mai&password=a+long+passphrase")
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = browser
        .get(format!("{}/c/{PAGE}/{minh}", w.server.url()))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Tapped “Book a fitting” (payload BOOK), arriving from SHORTLINK, ref spring-sale",
        "Opened the conversation from SHORTLINK, ref qr-shopfront",
        r#"src="https://cdn.example.com/dress.jpg""#,
        "Answered from the Page Inbox",
        "Meta Business Suite inbox",
        "Wants size M",
        "UTC+7",
    ] {
        assert!(
            html.contains(expected),
            "{}: the thread lacks {expected:?}",
            w.label
        );
    }
}
