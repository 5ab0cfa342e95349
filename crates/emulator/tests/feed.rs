//! Posts, comments and links as Meta plays them: a post and its `feed` change; a comment whose
//! `from.id` is not the PSID; the Page's public answer (attached to the top-level comment),
//! hiding (never its own), deleting, reading the stream; one private reply, whose answer names
//! the PSID; an m.me link on a new thread waiting for Get Started, on an existing thread a
//! referral; the Messenger Codes API gone.

mod common;

use common::*;
use emulator::RunningEmulator;
use reqwest::Method;
use serde_json::{Value, json};

/// The `feed` changes waiting for the webhook.
fn feed(emu: &RunningEmulator) -> Vec<Value> {
    emu.emu.with(|st| {
        st.pending
            .iter()
            .filter(|e| e.changes && e.item["field"] == "feed")
            .map(|e| e.item["value"].clone())
            .collect()
    })
}

/// Customer events waiting for the webhook.
fn messaging(emu: &RunningEmulator) -> Vec<Value> {
    emu.emu.with(|st| {
        st.pending
            .iter()
            .filter(|e| !e.changes)
            .map(|e| e.item.clone())
            .collect()
    })
}

#[tokio::test]
async fn comments_are_answered_hidden_and_deleted_as_on_facebook() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let post = c
        .control(
            "/posts",
            json!({"message": "New linen shirts", "status_type": "photo"}),
        )
        .await;
    let post_id = post["post_id"].as_str().unwrap().to_owned();
    assert!(post_id.starts_with("1001_"), "{post}");
    let published = feed(&emu);
    assert_eq!(
        (published[0]["item"].clone(), published[0]["verb"].clone()),
        (json!("photo"), json!("add"))
    );

    let lan = c.customer("Lan").await;
    let users = c.get("/_emulator/users").await;
    let user_id = users[0]["user_id"].as_str().unwrap().to_owned();
    assert_ne!(user_id, lan, "a comment's author id is not the PSID");
    let comment = c
        .control(
            &format!("/users/{lan}/comment"),
            json!({"post_id": post_id, "text": "How much?"}),
        )
        .await["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = feed(&emu).pop().unwrap();
    assert_eq!(added["from"]["id"], user_id.as_str());
    assert_eq!(added["from"]["name"], "Lan Tran");
    assert_eq!(added["post"]["status_type"], "added_photos");
    assert_eq!(added["parent_id"], post_id.as_str());
    assert_eq!(added["created_time"], MARCH_10 / 1000);

    // A customer's answer to the comment, then the Page's answer to that: attached on top.
    let answer = c
        .control(
            &format!("/users/{lan}/comment"),
            json!({"post_id": post_id, "text": "Size M?", "parent_id": comment}),
        )
        .await["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, reply) = c
        .graph(
            Method::POST,
            &format!("/{answer}/comments"),
            Some(json!({"message": "150k, all sizes"})),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let reply_id = reply["id"].as_str().unwrap().to_owned();
    let page_said = feed(&emu).pop().unwrap();
    assert_eq!(
        (
            page_said["from"]["id"].clone(),
            page_said["parent_id"].clone()
        ),
        (json!("1001"), json!(comment))
    );

    let hide = |id: String, hidden: bool| {
        let c = &c;
        async move {
            c.graph(
                Method::POST,
                &format!("/{id}"),
                Some(json!({"is_hidden": hidden})),
            )
            .await
        }
    };
    assert_eq!(hide(comment.clone(), true).await.0, 200);
    assert_eq!(feed(&emu).pop().unwrap()["verb"], "hide");
    assert_eq!(error_of(&hide(reply_id.clone(), true).await).1, 100);
    assert_eq!(hide(comment.clone(), false).await.0, 200);
    assert_eq!(feed(&emu).pop().unwrap()["verb"], "unhide");
    // `message` edits, and only the Page's own comments.
    let (status, _) = c
        .graph(
            Method::POST,
            &format!("/{comment}"),
            Some(json!({"message": "x"})),
        )
        .await;
    assert_eq!(status, 400);

    let (_, stream) = c
        .graph(
            Method::GET,
            &format!("/{post_id}/comments?filter=stream"),
            None,
        )
        .await;
    assert_eq!(stream["data"].as_array().unwrap().len(), 3, "{stream}");
    let (_, top) = c
        .graph(Method::GET, &format!("/{post_id}/comments"), None)
        .await;
    assert_eq!(top["data"].as_array().unwrap().len(), 1, "{top}");

    // One private reply; its answer is the customer's PSID; not to the Page's own comment.
    let send = |recipient: &str, text: &str| {
        c.send(json!({"recipient": {"comment_id": recipient}, "message": {"text": text}}))
    };
    let (status, sent) = send(&comment, "Hi Lan, it is 150k").await;
    assert_eq!((status, sent["recipient_id"].clone()), (200, json!(lan)));
    assert_eq!(error_of(&send(&comment, "again").await).1, 10);
    assert_eq!(error_of(&send(&reply_id, "to myself").await).1, 10);

    let (status, _) = c.graph(Method::DELETE, &format!("/{answer}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(feed(&emu).pop().unwrap()["verb"], "remove");
    let posts = c.get("/_emulator/posts").await;
    let deleted = posts[0]["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["comment_id"] == answer.as_str())
        .unwrap()
        .clone();
    assert_eq!(deleted["deleted"], true);
    assert_eq!(error_of(&send(&answer, "too late").await).0, 400);
    emu.shutdown().await;
}

#[tokio::test]
async fn an_mme_link_waits_for_get_started_on_a_new_thread() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let (status, _) = c
        .graph(
            Method::POST,
            "/me/messenger_profile",
            Some(json!({"get_started": {"payload": "GO"}})),
        )
        .await;
    assert_eq!(status, 200);
    let an = c.customer("An").await;
    let opened = c
        .control(
            &format!("/users/{an}/open_link"),
            json!({"url": "https://m.me/emulatedpage?ref=qu%E1%BA%A7y-1+till&text=Xin%20ch%C3%A0o"}),
        )
        .await;
    assert_eq!(opened["new_thread"], true);
    assert_eq!(opened["ref"], "quy-1till", "only what Meta keeps");
    assert_eq!(opened["text"], "Xin chào", "put in the composer, not sent");
    assert!(messaging(&emu).is_empty());
    c.control(&format!("/users/{an}/get_started"), json!({}))
        .await;
    let tapped = messaging(&emu).pop().unwrap();
    assert_eq!(tapped["postback"]["payload"], "GO");
    assert_eq!(
        tapped["postback"]["referral"],
        json!({"ref": "quy-1till", "source": "SHORTLINK", "type": "OPEN_THREAD"})
    );
    // Now an existing thread: a referral event, the window restarts.
    c.control(
        &format!("/users/{an}/open_link"),
        json!({"url": "https://m.me/1001?ref=again"}),
    )
    .await;
    assert_eq!(messaging(&emu).pop().unwrap()["referral"]["ref"], "again");
    // Another Page's link, or no m.me link at all.
    for url in ["https://m.me/otherpage?ref=x", "https://example.com/?ref=x"] {
        let r = reqwest::Client::new()
            .post(format!("{}/_emulator/users/{an}/open_link", c.base))
            .json(&json!({ "url": url }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{url}");
    }
    let (status, gone) = c.graph(Method::GET, "/me/messenger_codes", None).await;
    assert_eq!((status, gone["error"]["code"].clone()), (400, json!(100)));
    emu.shutdown().await;
}

#[tokio::test]
async fn page_insights_count_blocks_and_reports_per_day() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let lan = c.customer("Lan").await;
    let an = c.customer("An").await;
    c.control(&format!("/users/{lan}/say"), json!({"text": "hi"}))
        .await;
    c.control(&format!("/users/{lan}/block"), json!({})).await;
    c.control(&format!("/users/{an}/report"), json!({})).await;
    let (status, v) = c
        .graph(
            Method::GET,
            "/1001/insights?metric=page_messages_blocked_conversations_unique,page_messages_reported_conversations_unique,page_messages_new_conversations_unique&period=day&since=2026-03-10&until=2026-03-11",
            None,
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let value = |i: usize| v["data"][i]["values"][0]["value"].clone();
    assert_eq!(
        (value(0), value(1), value(2)),
        (json!(2), json!(1), json!(1)),
        "{v}"
    );
    assert_eq!(
        v["data"][0]["values"][0]["end_time"],
        "2026-03-11T00:00:00+0000"
    );
    // A removed metric, or none at all.
    let removed = c
        .graph(
            Method::GET,
            "/1001/insights?metric=page_messages_active_threads_unique",
            None,
        )
        .await;
    assert_eq!(error_of(&removed).1, 100);
    let none = c.graph(Method::GET, "/1001/insights", None).await;
    assert_eq!(error_of(&none).1, 3001);
    emu.shutdown().await;
}
