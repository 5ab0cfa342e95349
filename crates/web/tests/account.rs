//! My account, as a user sets it: language and time zone (validated, named when wrong, and
//! followed by every page), and the password (the current one checked, the new one twice, at
//! least ten characters; the old one stops working).

mod common;

use common::*;
use reqwest::StatusCode;
use store::{Role, testing};

async fn post(w: &World, cookie: &str, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let r = no_redirects()
        .post(format!("{}{path}", w.server.url()))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_user_sets_language_time_zone_and_password() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        engine::accounts::add_user(w.store(), "mai", "a long passphrase", Role::Agent)
            .await
            .unwrap();
        let (_, cookie) = log_in(&w, "mai", "a long passphrase").await;

        let (status, page) = post(
            &w,
            &cookie,
            "/account/preferences",
            &[("language", "vi"), ("time_zone", "Mars/Olympus")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", w.label);
        assert!(page.contains("Mars/Olympus is not a time zone"), "{page}");
        let (status, _) = post(
            &w,
            &cookie,
            "/account/preferences",
            &[("language", "klingon"), ("time_zone", "")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = post(
            &w,
            &cookie,
            "/account/preferences",
            &[("language", "vi"), ("time_zone", "Asia/Ho_Chi_Minh")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let mai = w.store().user("mai").await.unwrap().unwrap();
        assert_eq!(
            (mai.language.as_deref(), mai.time_zone.as_deref()),
            (Some("vi"), Some("Asia/Ho_Chi_Minh"))
        );
        let page = no_redirects()
            .get(format!("{}/account?done=saved", w.server.url()))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Đã lưu.") && page.contains(r#"<html lang="vi""#),
            "{page}"
        );

        // Password: each mistake is named, in the user's language now.
        for (current, new, repeat, says) in [
            (
                "wrong passphrase",
                "another long one",
                "another long one",
                "Mật khẩu hiện tại không đúng.",
            ),
            (
                "a long passphrase",
                "short",
                "short",
                "Mật khẩu có ít nhất 10 ký tự.",
            ),
            (
                "a long passphrase",
                "another long one",
                "another long two",
                "Hai mật khẩu mới không khớp.",
            ),
        ] {
            let (status, page) = post(
                &w,
                &cookie,
                "/account/password",
                &[("current", current), ("new", new), ("repeat", repeat)],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(page.contains(says), "{says}: {page}");
        }
        let (status, _) = post(
            &w,
            &cookie,
            "/account/password",
            &[
                ("current", "a long passphrase"),
                ("new", "another long one"),
                ("repeat", "another long one"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            log_in(&w, "mai", "a long passphrase").await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&w, "mai", "another long one").await.0,
            StatusCode::SEE_OTHER
        );
        w.stop().await;
    }
}
