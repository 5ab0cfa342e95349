//! Comments and entry points on SQLite and PostgreSQL, over the API against the emulator: a
//! comment arrives by the `feed` webhook with its author's name and no PSID; an agent answers
//! publicly, hides, shows and deletes it (each judged, audited, carried out by the worker, and
//! seen back through the webhook), and sends its one private reply, whose echo links the author
//! to their Messenger contact; refusals name their rule. An admin makes links (bad ones are
//! refused naming the field; agents may not), downloads codes and cards, signs a receipt link:
//! the verified one links the order to the contact, an altered one is plain attribution.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

struct Fixture {
    w: World,
    lan: Api,
    mai: Api,
    post_id: String,
}

impl Fixture {
    async fn new(db: &testing::TestDb) -> Fixture {
        let w = world(db, None, |_| {}).await;
        let s = w.store();
        for (name, role) in [("lan", Role::Admin), ("mai", Role::Agent)] {
            engine::accounts::add_user(s, name, "a long passphrase", role)
                .await
                .unwrap();
        }
        let token = async |name: &str| {
            engine::accounts::create_api_token(s, name, "test")
                .await
                .unwrap()
        };
        let (lan, mai) = (w.api(token("lan").await), w.api(token("mai").await));
        let post = w
            .ctl
            .post("/posts", json!({"message": "Váy lụa mới về"}))
            .await
            .unwrap();
        Fixture {
            lan,
            mai,
            post_id: post["post_id"].as_str().unwrap().to_owned(),
            w,
        }
    }

    /// A customer comments; answers the comment's id once Fenestra stored it.
    async fn comment(&self, psid: &str, text: &str) -> String {
        let c = self
            .w
            .ctl
            .post(
                &format!("/users/{psid}/comment"),
                json!({"post_id": self.post_id, "text": text}),
            )
            .await
            .unwrap();
        let id = c["comment_id"].as_str().unwrap().to_owned();
        self.w
            .until("the comment is stored", || async {
                self.w.store().comment(PAGE, &id).await.unwrap().is_some()
            })
            .await;
        id
    }

    async fn stored(&self, id: &str) -> store::CommentRow {
        self.w.store().comment(PAGE, id).await.unwrap().unwrap()
    }

    /// The emulator's view of a comment.
    async fn at_meta(&self, id: &str) -> Value {
        let posts = self.w.ctl.get("/posts").await.unwrap();
        posts
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["comments"].as_array().unwrap().clone())
            .find(|c| c["comment_id"] == id)
            .unwrap()
    }
}

#[tokio::test]
async fn an_agent_answers_hides_shows_and_deletes_a_comment() {
    for db in testing::all().await {
        let f = Fixture::new(&db).await;
        let lan = f.w.ctl.customer("Lan", "Tran", "vi_VN").await.unwrap();
        let id = f.comment(&lan, "Váy này còn size S không?").await;
        let row = f.stored(&id).await;
        assert_eq!(row.author_name.as_deref(), Some("Lan Tran"), "{}", db.label);
        assert_ne!(
            row.author_id.as_deref(),
            Some(lan.as_str()),
            "from.id is not the PSID"
        );
        assert_eq!(row.psid, None);
        assert!(row.unanswered());
        let (_, listed) = f
            .mai
            .get(&format!("/pages/{PAGE}/comments?unanswered=true"))
            .await;
        assert_eq!(listed["comments"][0]["comment_id"], id, "{listed}");
        let (_, posts) = f.mai.get(&format!("/pages/{PAGE}/posts")).await;
        assert_eq!(posts["posts"][0]["message"], "Váy lụa mới về", "{posts}");
        assert_eq!(posts["posts"][0]["unanswered"], 1, "{posts}");

        let act = async |what: &str, body: Value| {
            f.mai
                .post(&format!("/pages/{PAGE}/comments/{id}/{what}"), body)
                .await
        };
        let (status, body) = act(
            "reply",
            json!({"message": "Còn ạ, shop nhắn riêng bạn nhé"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["decision"]["rule"], "public_reply");
        f.w.until("the public reply comes back through the feed", || async {
            f.stored(&id).await.replied_at.is_some()
        })
        .await;
        assert!(!f.stored(&id).await.unanswered());

        act("hide", json!({})).await;
        f.w.until("Meta hides it and says so", || async {
            f.stored(&id).await.hidden
        })
        .await;
        assert_eq!(f.at_meta(&id).await["hidden"], true);
        act("unhide", json!({})).await;
        f.w.until("shown again", || async { !f.stored(&id).await.hidden })
            .await;

        // The Page's own reply cannot be hidden; an empty reply is refused before Meta.
        let own =
            f.w.store()
                .comment_list(PAGE, &store::CommentFilter::default())
                .await
                .unwrap()
                .into_iter()
                .find(|c| c.by_page)
                .unwrap();
        let (status, body) = f
            .mai
            .post(
                &format!("/pages/{PAGE}/comments/{}/hide", own.comment_id),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["decision"]["rule"], "own_comment_hide");
        let (status, body) = act("reply", json!({"message": "  "})).await;
        assert_eq!(
            (status, body["decision"]["rule"].clone()),
            (StatusCode::FORBIDDEN, json!("reply_empty"))
        );

        act("delete", json!({})).await;
        f.w.until("deleted", || async { f.stored(&id).await.removed })
            .await;
        assert_eq!(f.at_meta(&id).await["deleted"], true);
        let (status, body) = act("hide", json!({})).await;
        assert_eq!(body["decision"]["rule"], "comment_removed", "{body}");
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = act("pin", json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Every decision is in the audit log under the comment's author.
        let audit =
            f.w.store()
                .audit_for(PAGE, row.author_id.as_deref().unwrap())
                .await
                .unwrap();
        let rules: Vec<&str> = audit.iter().map(|a| a.rule.as_str()).collect();
        for rule in ["public_reply", "moderate", "reply_empty", "comment_removed"] {
            assert!(rules.contains(&rule), "{rule} in {rules:?}");
        }
        assert!(audit.iter().all(|a| a.actor == "api:mai"));
        f.w.stop().await;
    }
}

#[tokio::test]
async fn the_one_private_reply_links_the_commenter_to_their_conversation() {
    for db in testing::all().await {
        let f = Fixture::new(&db).await;
        let minh = f.w.ctl.customer("Minh", "Do", "vi_VN").await.unwrap();
        let id = f.comment(&minh, "Inbox giá giúp mình").await;
        let path = format!("/pages/{PAGE}/comments/{id}/private_reply");
        let (status, body) = f
            .mai
            .post(&path, json!({"text": "Chào Minh, váy 450k ạ"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["decision"]["rule"], "private_reply");
        f.w.customer_gets(&minh, "Chào Minh, váy 450k ạ").await;
        f.w.until("the echo names the author's PSID", || async {
            f.stored(&id).await.psid.as_deref() == Some(minh.as_str())
        })
        .await;
        let (status, body) = f.mai.post(&path, json!({"text": "Again"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["decision"]["rule"], "private_reply_used");
        // The contact came through a comment on the post; their next comment links at once.
        let contact = f.w.store().contact(PAGE, &minh).await.unwrap().unwrap();
        assert_eq!(contact.source_kind.as_deref(), Some("comment"));
        assert_eq!(contact.source_ref.as_deref(), Some(f.post_id.as_str()));
        let next = f.comment(&minh, "Cảm ơn shop").await;
        let of_contact = f.w.store().comments_of_contact(PAGE, &minh).await.unwrap();
        assert!(
            of_contact.iter().any(|c| c.comment_id == next),
            "{}",
            db.label
        );
        // Answering opens the window like any message.
        f.w.says(&minh, "Size M nhé").await;
        let (status, body) = f
            .mai
            .post(
                &format!("/conversations/{PAGE}/{minh}/messages"),
                json!({"text": "Dạ vâng ạ"}),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        f.w.stop().await;
    }
}

#[tokio::test]
async fn links_are_made_by_admins_and_count_who_arrives() {
    for db in testing::all().await {
        let f = Fixture::new(&db).await;
        let links = format!("/pages/{PAGE}/entry_points");
        let (status, body) = f
            .lan
            .post(&links, json!({"ref": "quầy thu ngân", "title": "Quầy"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"].as_str().unwrap().starts_with("`ref`"),
            "{body}"
        );
        let (status, body) = f.mai.post(&links, json!({"ref": "counter"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = f
            .lan
            .post(
                &links,
                json!({"ref": "counter", "title": "QR ở quầy", "text": "Xin chào", "label": "tại quầy"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let url = body["entry_point"]["url"].as_str().unwrap().to_owned();
        assert_eq!(url, "https://m.me/1001?ref=counter&text=Xin%20ch%C3%A0o");
        assert!(body["warning"].is_string(), "no Get Started yet: {body}");

        for (file, kind) in [
            ("qr.png", "image/png"),
            ("qr.svg", "image/svg+xml"),
            ("card.png", "image/png"),
            ("card.pdf", "application/pdf"),
        ] {
            let r = f
                .mai
                .http
                .get(format!(
                    "{}/api/v1{links}/counter/{file}?lang=ar",
                    f.mai.base
                ))
                .bearer_auth(&f.mai.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{file}");
            assert_eq!(r.headers()["content-type"], kind);
            assert!(r.bytes().await.unwrap().len() > 200, "{file}");
        }

        // A customer scans the code: welcome screen, Get Started, counted and labelled.
        let an = f.w.ctl.customer("An", "Le", "vi_VN").await.unwrap();
        // Meta opens an m.me link for a new customer through Get Started only.
        let profile = reqwest::Client::new()
            .post(format!(
                "{}/v23.0/me/messenger_profile?access_token={TOKEN}",
                f.w.emu.url()
            ))
            .json(&json!({"get_started": {"payload": "GO"}}))
            .send()
            .await
            .unwrap();
        assert!(profile.status().is_success());
        let opened =
            f.w.ctl
                .post(&format!("/users/{an}/open_link"), json!({"url": url}))
                .await
                .unwrap();
        assert_eq!(
            (opened["new_thread"].clone(), opened["text"].clone()),
            (json!(true), json!("Xin chào"))
        );
        f.w.ctl
            .post(&format!("/users/{an}/get_started"), json!({}))
            .await
            .unwrap();
        f.w.until("An is labelled", || async {
            f.w.store()
                .labels_in_use()
                .await
                .unwrap()
                .contains(&"tại quầy".to_owned())
        })
        .await;

        // A receipt link carries order 42, signed; an altered one is not trusted.
        let (status, body) = f
            .mai
            .post(
                &format!("/pages/{PAGE}/signed_links"),
                json!({"entry": "receipt", "order": "42"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (_, body) = f
            .lan
            .post(
                &format!("/pages/{PAGE}/signed_links"),
                json!({"entry": "receipt", "order": "42"}),
            )
            .await;
        let signed = body["url"].as_str().unwrap().to_owned();
        let binh = f.w.ctl.customer("Bình", "Vu", "vi_VN").await.unwrap();
        f.w.says(&binh, "Chào shop").await;
        f.w.ctl
            .post(&format!("/users/{binh}/open_link"), json!({"url": signed}))
            .await
            .unwrap();
        f.w.until("Bình's order is linked", || async {
            f.w.store()
                .fields(PAGE, &binh)
                .await
                .unwrap()
                .iter()
                .any(|(k, v)| k == "order_id" && v == "42")
        })
        .await;
        let forged = signed.replace("ref=s1%3D", "ref=s1%3DX");
        let chi = f.w.ctl.customer("Chi", "Ho", "vi_VN").await.unwrap();
        f.w.says(&chi, "Chào shop").await;
        f.w.ctl
            .post(&format!("/users/{chi}/open_link"), json!({"url": forged}))
            .await
            .unwrap();
        f.w.until("Chi's arrival is counted", || async {
            f.w.store()
                .contact(PAGE, &chi)
                .await
                .unwrap()
                .is_some_and(|c| c.latest_source_ref.is_some_and(|r| r.starts_with("s1=X")))
        })
        .await;
        f.w.automations_done().await;
        assert!(
            f.w.store().fields(PAGE, &chi).await.unwrap().is_empty(),
            "an altered ref links nothing"
        );

        let (_, a) = f
            .mai
            .get(&format!("/pages/{PAGE}/attribution?days=1"))
            .await;
        let counter = a["entry_points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ref"] == "counter")
            .unwrap();
        assert_eq!(counter["counts"]["new_conversations"], 1, "{a}");
        let receipt = a["other_sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["ref"] == "receipt")
            .cloned();
        assert_eq!(receipt.unwrap()["latest"], 1, "{a}");
        let (status, _) = f
            .lan
            .call("DELETE", &format!("{links}/counter"), None)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        f.w.stop().await;
    }
}
