//! Users: names validated, passwords hashed with argon2id and checked, disabled users locked out.

use engine::accounts::{AccountError, add_user, check_login};
use store::Role;
use store::testing;

#[tokio::test]
async fn passwords_are_hashed_checked_and_disabled_users_cannot_log_in() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        add_user(s.as_ref(), "mai", "correct horse battery", Role::Agent)
            .await
            .unwrap();
        let stored = s.user("mai").await.unwrap().unwrap();
        assert!(
            stored.password_hash.starts_with("$argon2id$"),
            "{}",
            db.label
        );
        assert!(!stored.password_hash.contains("correct horse"));

        let ok = check_login(s.as_ref(), "mai", "correct horse battery")
            .await
            .unwrap();
        assert_eq!(ok.map(|u| u.role), Some(Role::Agent));
        assert!(
            check_login(s.as_ref(), "mai", "wrong horse battery")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            check_login(s.as_ref(), "nobody", "correct horse battery")
                .await
                .unwrap()
                .is_none()
        );
        s.set_user_disabled("mai", true).await.unwrap();
        assert!(
            check_login(s.as_ref(), "mai", "correct horse battery")
                .await
                .unwrap()
                .is_none(),
            "{}",
            db.label
        );

        let err = |r: Result<i64, AccountError>| r.unwrap_err().to_string();
        assert!(
            err(add_user(s.as_ref(), "Mai Tran", "long enough pw", Role::Agent).await)
                .contains("must be 2-32 characters")
        );
        assert!(
            err(add_user(s.as_ref(), "lan", "short", Role::Agent).await).contains("at least 10")
        );
        assert!(
            err(add_user(s.as_ref(), "mai", "another long one", Role::Admin).await)
                .contains("exists")
        );
    }
}
