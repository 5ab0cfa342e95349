//! Rules v2 end to end, on SQLite and PostgreSQL, with the emulator as Meta: threads another app
//! controls (Conversation Routing) get no automation until an agent takes over or the other
//! app's control lapses; STOP and START work in the customer's language.

mod common;

use common::*;
use engine::outbox::{Actor, Draft};
use policy::{Rule, Verdict};
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

const INBOX: &str = "263902037430900";

async fn greeting_on(w: &World) {
    let doc =
        "instant_reply: {regreet_after: 12h, text: \"Hi {{first_name}}, thanks for writing!\"}";
    w.server
        .engine
        .apply_automations(PAGE, doc, "test")
        .await
        .unwrap();
}

/// Send API calls the emulator accepted for this customer.
async fn accepted_to(w: &World, psid: &str) -> Vec<Value> {
    w.ctl
        .sends()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s["outcome"] == "accepted" && s["request"]["recipient"]["id"] == psid)
        .collect()
}

async fn api_token(w: &World) -> String {
    if w.store().user("mai").await.unwrap().is_none() {
        engine::accounts::add_user(w.store(), "mai", "a long passphrase", Role::Agent)
            .await
            .unwrap();
    }
    engine::accounts::create_api_token(w.store(), "mai", "test")
        .await
        .unwrap()
}

async fn post(w: &World, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", w.server.url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_the_page_inbox_took_gets_no_automation_until_an_agent_takes_over() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        greeting_on(&w).await;
        let token = api_token(&w).await;
        let minh = w.customer("Minh").await;
        let linh = w.customer("Linh").await;
        // Staff answer Minh from Meta Business Suite: its inbox takes the thread.
        w.ctl
            .post(
                &format!("/users/{minh}/inbox_reply"),
                json!({"text": "Hi, this is the shop!"}),
            )
            .await
            .unwrap();
        w.says(&minh, "Is the red dress in stock?").await;
        w.says(&linh, "hi").await;
        w.customer_gets(&linh, "Hi Linh, thanks for writing!").await;
        w.automations_done().await;
        w.deliveries_done().await;
        // Minh's message is in the inbox; nothing went to him: no greeting, no typing.
        let label = w.label;
        let path = format!("/conversations/{PAGE}/{minh}");
        let view = reqwest::Client::new()
            .get(format!("{}/api/v1{path}", w.server.url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert!(
            view["messages"]
                .to_string()
                .contains("Is the red dress in stock?"),
            "{label}"
        );
        assert_eq!(
            view["thread_owner"]["app_id"], INBOX,
            "{label}: {}",
            view["thread_owner"]
        );
        assert_eq!(
            view["automations_paused"]["reason"], "replied_elsewhere",
            "{label}"
        );
        assert!(
            accepted_to(&w, &minh).await.is_empty(),
            "{label}: a send reached Minh"
        );
        // The instant reply's attempt was refused by the policy's rule 3b and audited.
        let refused: Vec<_> = w
            .store()
            .audit_for(PAGE, &minh)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.actor.starts_with("automation:"))
            .collect();
        assert!(
            refused
                .iter()
                .all(|a| a.rule == "thread_owned_by_other_app"),
            "{label}: {refused:?}"
        );
        // An agent's reply is refused too, offering to take over.
        let (status, body) = post(
            &w,
            &token,
            &format!("{path}/messages"),
            json!({"text": "Yes, in M and L"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {body}");
        assert_eq!(
            body["decision"]["alternatives"],
            json!([{"kind": "take_thread_control"}])
        );

        // The agent takes over: Meta's routing says so, and the reply goes out.
        let (status, body) = post(&w, &token, &format!("{path}/take-over"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{label}: {body}");
        let routing = w.ctl.get("/routing").await.unwrap();
        assert_eq!(
            routing["threads"][&minh]["owner"], "1234567890",
            "{label}: {routing}"
        );
        let (status, body) = post(
            &w,
            &token,
            &format!("{path}/messages"),
            json!({"text": "Yes, in M and L"}),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{label}: {body}");
        w.customer_gets(&minh, "Yes, in M and L").await;

        // Handing back gives the thread to Meta's inbox again; the refusal comes back.
        let (status, _) = post(&w, &token, &format!("{path}/hand-back"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{label}");
        assert_eq!(
            w.ctl.get("/routing").await.unwrap()["threads"][&minh]["owner"],
            INBOX
        );
        let again = w
            .submit(&Draft::text(
                PAGE,
                &minh,
                Actor::Automation("test"),
                "Anything else?",
            ))
            .await;
        assert_eq!(again.decision.rule, Rule::ThreadOwnedByOtherApp, "{label}");
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automations_resume_when_the_page_inbox_control_lapses_after_24_idle_hours() {
    for db in testing::all().await {
        // Two days ago on Meta's clock, then the present.
        let w = world(&db, Some(now_ms() - 2 * DAY_MS), |_| {}).await;
        greeting_on(&w).await;
        let hoa = w.customer("Hoa").await;
        // Two days ago is too late for an instant reply: no greeting then.
        w.says(&hoa, "hi").await;
        w.ctl
            .post(
                &format!("/users/{hoa}/inbox_reply"),
                json!({"text": "We'll check the stock for you."}),
            )
            .await
            .unwrap();
        w.says(&hoa, "ok thanks").await;
        w.automations_done().await;
        let paused = w.store().contact(PAGE, &hoa).await.unwrap().unwrap();
        assert!(
            paused.thread_owner.is_some() && paused.paused_at.is_some(),
            "{}: {paused:?}",
            w.label
        );
        let sends_before = accepted_to(&w, &hoa).await.len();

        // Two idle days: Meta's inbox no longer controls the thread; Hoa writes again.
        w.ctl.catch_up_to(now_ms()).await.unwrap();
        w.says(&hoa, "hello again").await;
        w.customer_gets(&hoa, "Hi Hoa, thanks for writing!").await;
        assert!(accepted_to(&w, &hoa).await.len() > sends_before);
        let back = w.store().contact(PAGE, &hoa).await.unwrap().unwrap();
        assert_eq!(
            (back.thread_owner, back.paused_at),
            (None, None),
            "{}",
            w.label
        );
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_opts_out_in_the_customers_language_and_start_resumes() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let label = w.label;
        let giulia = w.ctl.customer("Giulia", "Rossi", "it_IT").await.unwrap();
        w.says(&giulia, "Buongiorno").await;
        w.says(&giulia, "STOP").await;
        w.customer_gets(
            &giulia,
            "Non riceverai più messaggi automatici da noi. Scrivi RIPRENDI per annullare.",
        )
        .await;
        w.automations_done().await;
        let c = w.store().contact(PAGE, &giulia).await.unwrap().unwrap();
        assert!(c.opted_out && c.opted_out_at.is_some(), "{label}: {c:?}");

        let bot = || Draft::text(PAGE, &giulia, Actor::Automation("test"), "Saldi del 30%!");
        let person = || Draft::text(PAGE, &giulia, Actor::Agent("mai".into()), "Certo, mi dica.");
        assert_eq!(
            w.submit(&bot()).await.decision.rule,
            Rule::ContactOptedOut,
            "{label}"
        );
        assert_eq!(
            w.submit(&person()).await.decision.rule,
            Rule::ContactOptedOut,
            "{label}"
        );
        // She writes again: a person may answer; automations still may not.
        w.says(&giulia, "Ho una domanda sul mio ordine").await;
        assert_eq!(
            w.submit(&person()).await.decision.verdict,
            Verdict::Allow,
            "{label}"
        );
        assert_eq!(w.submit(&bot()).await.decision.rule, Rule::ContactOptedOut);

        // START in Italian: she is back, and told so.
        w.says(&giulia, "Riprendi").await;
        w.customer_gets(&giulia, "Bentornato! Riceverai di nuovo i nostri messaggi.")
            .await;
        w.automations_done().await;
        assert!(
            !w.store()
                .contact(PAGE, &giulia)
                .await
                .unwrap()
                .unwrap()
                .opted_out
        );
        assert_eq!(
            w.submit(&bot()).await.decision.verdict,
            Verdict::Allow,
            "{label}"
        );

        // Agents set and clear it too, through the API.
        let token = api_token(&w).await;
        let path = format!("/conversations/{PAGE}/{giulia}/opt-out");
        assert_eq!(
            post(&w, &token, &path, json!({"opted_out": true})).await.0,
            StatusCode::OK
        );
        assert_eq!(w.submit(&bot()).await.decision.rule, Rule::ContactOptedOut);
        assert_eq!(
            post(&w, &token, &path, json!({"opted_out": false})).await.0,
            StatusCode::OK
        );
        assert_eq!(w.submit(&bot()).await.decision.verdict, Verdict::Allow);
        let (status, body) = post(&w, &token, &path, json!({"opted_out": "maybe"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {body}");
        w.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_draft_turns_the_typing_indicator_off() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let token = api_token(&w).await;
        let psid = w.customer("An").await;
        w.says(&psid, "hi").await;
        let typing = || async {
            w.ctl
                .get("/users")
                .await
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["psid"] == psid.as_str())
                .unwrap()["typing"]
                .clone()
        };
        let path = format!("/conversations/{PAGE}/{psid}/typing");
        post(&w, &token, &path, json!({})).await;
        w.until("the customer sees typing", || async {
            typing().await == true
        })
        .await;
        post(&w, &token, &path, json!({"on": false})).await;
        w.until("the typing indicator is off", || async {
            typing().await == false
        })
        .await;
        w.stop().await;
    }
}
