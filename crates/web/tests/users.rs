//! The team from Settings and the API, on SQLite and PostgreSQL: admins add users and disable
//! or enable them (a disabled user cannot log in), agents may not, nobody disables themselves,
//! and mistakes are named.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

#[tokio::test]
async fn admins_add_and_disable_users_agents_may_not() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        let s = w.store();
        let (lan, mai) = team(&w).await;
        let base = format!("{}/api/v1/users", w.server.url());
        let http = reqwest::Client::new();
        let add = |token: &str, body: Value| http.post(&base).bearer_auth(token).json(&body).send();

        let r = add(
            &lan,
            json!({"username": "thu", "password": "another long one", "role": "agent"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", db.label);
        let r = add(
            &lan,
            json!({"username": "thu", "password": "another long one", "role": "agent"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("exists"));
        let r = add(
            &lan,
            json!({"username": "Bad Name", "password": "another long one", "role": "agent"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = add(
            &lan,
            json!({"username": "ha", "password": "short", "role": "agent"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = add(
            &mai,
            json!({"username": "sam", "password": "another long one", "role": "admin"}),
        )
        .await
        .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "agents may not add users"
        );

        let (status, _) = log_in(&w, "thu", "another long one").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the new user logs in");
        let r = http
            .put(format!("{base}/thu"))
            .bearer_auth(&lan)
            .json(&json!({"disabled": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let (status, _) = log_in(&w, "thu", "another long one").await;
        assert_ne!(
            status,
            StatusCode::SEE_OTHER,
            "a disabled user cannot log in"
        );
        let r = http
            .put(format!("{base}/lan"))
            .bearer_auth(&lan)
            .json(&json!({"disabled": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "nobody disables themselves"
        );

        // From Settings → Users.
        let cookie = session_of(&w, "lan").await;
        let r = no_redirects()
            .post(format!("{}/settings/users", w.server.url()))
            .header("cookie", &cookie)
            .form(&[
                ("username", "an"),
                ("password", "yet another long one"),
                ("role", "admin"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = no_redirects()
            .post(format!("{}/settings/users/thu/disabled", w.server.url()))
            .header("cookie", &cookie)
            .form(&[("disabled", "false")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let users = s.users().await.unwrap();
        let an = users.iter().find(|u| u.username == "an").unwrap();
        assert_eq!(an.role, Role::Admin);
        assert!(!users.iter().find(|u| u.username == "thu").unwrap().disabled);
        let listed: Value = http
            .get(&base)
            .bearer_auth(&mai)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["users"].as_array().unwrap().len(), 4);
        assert!(
            !listed.to_string().contains("argon2"),
            "never a password hash"
        );
        w.stop().await;
    }
}
