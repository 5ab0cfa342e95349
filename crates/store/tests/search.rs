//! Search as people type, on SQLite and PostgreSQL: without tone marks or accents, đ as d,
//! Arabic without tashkeel, in names and in message text; rows written before folding existed
//! are folded at start; the list says who wrote last.

use store::testing::{self, conversation, message, t};
use store::*;

const NOW: i64 = 100 * 86_400_000;

async fn found(s: &dyn Store, q: &str) -> Vec<String> {
    let filter = ConversationFilter {
        search: Some(q.into()),
        now: t(NOW),
        ..ConversationFilter::default()
    };
    let mut psids: Vec<String> = s
        .conversation_list(&filter, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.psid)
        .collect();
    psids.sort();
    psids
}

#[tokio::test]
async fn searches_fold_tone_marks_accents_and_tashkeel() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        conversation(
            s,
            "vi1",
            ("Lan", "Trần"),
            "Còn váy đỏ size M không?",
            NOW - 5_000,
        )
        .await;
        conversation(
            s,
            "vi2",
            ("Đức", "Phạm"),
            "Áo khoác này giá bao nhiêu?",
            NOW - 4_000,
        )
        .await;
        conversation(
            s,
            "vi3",
            ("Hoa", "Lê"),
            "Đầm trắng còn hàng không",
            NOW - 3_000,
        )
        .await;
        conversation(s, "ar1", ("مريم", ""), "هل الفُسْتَانُ متوفر؟", NOW - 2_000).await;
        conversation(
            s,
            "it1",
            ("Niccolò", "Bianchi"),
            "Però è già scontato?",
            NOW - 1_000,
        )
        .await;
        let label = db.label;
        for (q, expect) in [
            ("vay", vec!["vi1"]),
            ("VAY DO", vec!["vi1"]),
            ("ao khoac", vec!["vi2"]),
            ("áo khoác", vec!["vi2"]),
            ("dam", vec!["vi3"]),
            ("duc", vec!["vi2"]),
            ("lan tran", vec!["vi1"]),
            ("فستان", vec!["ar1"]),
            ("مريم", vec!["ar1"]),
            ("gia scontato", vec!["it1"]),
            ("niccolo", vec!["it1"]),
            // Two letters: below the index's trigrams, still folded.
            ("le", vec!["vi3"]),
            ("xyz", vec![]),
        ] {
            assert_eq!(found(s, q).await, expect, "{label}: {q:?}");
        }
    }
}

#[tokio::test]
async fn rows_from_before_folding_are_folded_at_start() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        conversation(s.as_ref(), "vi1", ("Lan", "Trần"), "Còn váy không?", NOW).await;
        s.close().await;
        // As an older version left them: no folded copies.
        clear_folded(&db.url).await;
        let s = store::connect(&db.url).await.unwrap();
        assert_eq!(s.fold_for_search().await.unwrap(), 0, "connect folded them");
        assert_eq!(found(s.as_ref(), "vay").await, ["vi1"], "{}", db.label);
        assert_eq!(found(s.as_ref(), "lan tran").await, ["vi1"], "{}", db.label);
    }
}

async fn clear_folded(url: &str) {
    let statements = [
        "UPDATE messages SET search_text = NULL",
        "UPDATE contacts SET search_name = NULL",
    ];
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
    }
}

#[tokio::test]
async fn the_list_says_who_wrote_last() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        conversation(s, "c1", ("Lan", "Trần"), "hi", NOW - 2_000).await;
        let mut echo = message("c1", "m-echo", "Hello from Meta's inbox", NOW - 1_000);
        if let Effect::Message(m) = &mut echo.effect {
            m.direction = Direction::Out;
        }
        let inbox = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(NOW),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap();
        s.complete_webhook(inbox[0], &[echo], t(NOW)).await.unwrap();
        let list = s
            .conversation_list(
                &ConversationFilter {
                    now: t(NOW),
                    ..ConversationFilter::default()
                },
                10,
            )
            .await
            .unwrap();
        assert_eq!(
            list[0].last_message_by,
            Some(Speaker::OtherApp),
            "{}",
            db.label
        );
        assert_eq!(
            list[0].last_message_text.as_deref(),
            Some("Hello from Meta's inbox")
        );
    }
}
