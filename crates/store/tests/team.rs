//! The team's store: the filtered conversation list, assignment, labels, notes, saved replies,
//! personas and API tokens, on SQLite and PostgreSQL alike.

use store::testing::{self, conversation, message, t};
use store::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 100 * DAY;

fn postback(psid: &str, at: i64) -> NormalizedEvent {
    NormalizedEvent {
        kind: "postback".into(),
        event_key: format!("pb:{psid}"),
        interaction: Some("postback"),
        summary: Some("Tapped “Get Started” (payload START)".into()),
        effect: Effect::None,
        ..message(psid, "unused", "", at)
    }
}

fn names(list: &[ConversationSummary]) -> Vec<&str> {
    list.iter()
        .map(|c| c.first_name.as_deref().unwrap_or("?"))
        .collect()
}

#[tokio::test]
async fn the_list_filters_by_assignee_status_label_window_and_search() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        let mai = s
            .create_user("mai", "x", Role::Agent, t(0))
            .await
            .unwrap()
            .unwrap();
        conversation(
            s,
            "p1",
            ("Linh", "Nguyễn"),
            "Is the BLUE dress back?",
            NOW - 2 * DAY,
        )
        .await;
        conversation(
            s,
            "p2",
            ("Minh", "Nguyễn"),
            "Giao hàng bao lâu?",
            NOW - 3_600_000,
        )
        .await;
        conversation(
            s,
            "p3",
            ("Hoa", "Nguyễn"),
            "100% cotton_blend?",
            NOW - 60_000,
        )
        .await;
        let all = |f: ConversationFilter| async move {
            s.conversation_list(&ConversationFilter { now: t(NOW), ..f }, 50)
                .await
                .unwrap()
        };
        let label = db.label;
        assert_eq!(
            names(&all(ConversationFilter::default()).await),
            ["Hoa", "Minh", "Linh"],
            "{label}"
        );

        assert!(s.assign("1001", "p2", Some(mai)).await.unwrap());
        assert!(!s.assign("1001", "nobody", Some(mai)).await.unwrap());
        let mine = all(ConversationFilter {
            assignee: AssigneeFilter::User(mai),
            ..Default::default()
        })
        .await;
        assert_eq!(
            (names(&mine), mine[0].assignee.as_deref()),
            (vec!["Minh"], Some("mai")),
            "{label}"
        );
        let unassigned = all(ConversationFilter {
            assignee: AssigneeFilter::Unassigned,
            ..Default::default()
        })
        .await;
        assert_eq!(names(&unassigned), ["Hoa", "Linh"], "{label}");

        assert!(
            s.set_status("1001", "p3", ConversationStatus::Closed)
                .await
                .unwrap()
        );
        let open = all(ConversationFilter {
            status: Some(ConversationStatus::Open),
            ..Default::default()
        })
        .await;
        assert_eq!(names(&open), ["Minh", "Linh"], "{label}");

        for l in ["vip", "wholesale", "vip"] {
            assert!(s.add_label("1001", "p1", l).await.unwrap(), "{label}: {l}");
        }
        assert!(s.add_label("1001", "p2", "vip").await.unwrap());
        assert!(!s.add_label("1001", "nobody", "vip").await.unwrap());
        let vip = all(ConversationFilter {
            label: Some("vip".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(names(&vip), ["Minh", "Linh"], "{label}");
        assert_eq!(*vip[1].labels, ["vip", "wholesale"], "{label}");
        assert!(s.remove_label("1001", "p1", "wholesale").await.unwrap());
        assert_eq!(s.labels_in_use().await.unwrap(), ["vip"]);

        // Linh wrote two days ago: her window is closed.
        let open_window = all(ConversationFilter {
            window_open: Some(true),
            ..Default::default()
        })
        .await;
        assert_eq!(names(&open_window), ["Hoa", "Minh"], "{label}");
        let closed_window = all(ConversationFilter {
            window_open: Some(false),
            ..Default::default()
        })
        .await;
        assert_eq!(names(&closed_window), ["Linh"], "{label}");

        // Search: names and message text, ignoring case; LIKE's wildcards are literal.
        let search = |q: &str| {
            all(ConversationFilter {
                search: Some(q.into()),
                ..Default::default()
            })
        };
        assert_eq!(names(&search("blue").await), ["Linh"], "{label}");
        assert_eq!(names(&search("minh").await), ["Minh"], "{label}");
        assert_eq!(names(&search("100%").await), ["Hoa"], "{label}");
        assert_eq!(names(&search("e_d").await), Vec::<&str>::new(), "{label}");
        assert_eq!(names(&search("giao hàng").await), ["Minh"], "{label}");
        assert_eq!(
            names(&search("GIAO HÀNG").await),
            ["Minh"],
            "{label}: case, beyond ASCII"
        );
        assert_eq!(
            names(&search("DR").await),
            ["Linh"],
            "{label}: shorter than the index's trigrams"
        );

        // Everything at once.
        let narrow = all(ConversationFilter {
            assignee: AssigneeFilter::User(mai),
            status: Some(ConversationStatus::Open),
            label: Some("vip".into()),
            window_open: Some(true),
            search: Some("giao".into()),
            now: t(NOW),
        })
        .await;
        assert_eq!(names(&narrow), ["Minh"], "{label}");
    }
}

#[tokio::test]
async fn notes_events_replies_personas_and_tokens() {
    for db in testing::all().await {
        let s = store::connect(&db.url).await.unwrap();
        let s = s.as_ref();
        let label = db.label;
        conversation(s, "p1", ("Linh", "Nguyễn"), "hi", NOW - 60_000).await;
        let inbox = s
            .enqueue_webhooks(&[IncomingBody {
                received_at: t(NOW),
                body: b"{}".to_vec(),
            }])
            .await
            .unwrap();
        s.complete_webhook(inbox[0], &[postback("p1", NOW - 30_000)], t(NOW))
            .await
            .unwrap();
        let events = s.thread_events("1001", "p1").await.unwrap();
        assert_eq!(
            events
                .iter()
                .map(|e| (e.kind.as_str(), e.summary.as_str()))
                .collect::<Vec<_>>(),
            [("postback", "Tapped “Get Started” (payload START)")],
            "{label}"
        );

        s.add_note("1001", "p1", "mai", "Prefers size M", t(NOW))
            .await
            .unwrap();
        s.add_note("1001", "p1", "lan", "Called back", t(NOW + 1))
            .await
            .unwrap();
        let notes = s.notes("1001", "p1").await.unwrap();
        assert_eq!(
            notes
                .iter()
                .map(|n| (n.author.as_str(), n.text.as_str()))
                .collect::<Vec<_>>(),
            [("mai", "Prefers size M"), ("lan", "Called back")],
            "{label}"
        );

        let state = s.team_state("1001", "p1").await.unwrap().unwrap();
        assert_eq!(
            (state.status.as_str(), state.unread_count),
            ("open", 1),
            "{label}"
        );
        assert!(s.mark_read("1001", "p1").await.unwrap());
        assert_eq!(
            s.team_state("1001", "p1")
                .await
                .unwrap()
                .unwrap()
                .unread_count,
            0
        );
        assert!(s.team_state("1001", "nobody").await.unwrap().is_none());

        let id = s
            .save_reply("thanks", "Thanks {{first_name}}!", None, t(NOW))
            .await
            .unwrap();
        assert_eq!(
            s.save_reply("thanks", "Thank you {{first_name}}!", None, t(NOW))
                .await
                .unwrap(),
            id
        );
        assert_eq!(
            s.saved_replies().await.unwrap()[0].text,
            "Thank you {{first_name}}!",
            "{label}"
        );
        assert!(s.delete_saved_reply(id).await.unwrap());
        assert!(s.saved_replies().await.unwrap().is_empty());

        let p = Persona {
            id: "777".into(),
            page_id: "1001".into(),
            name: "Mai (support)".into(),
            profile_picture_url: "https://example.com/mai.png".into(),
        };
        s.add_persona(&p, t(NOW)).await.unwrap();
        assert_eq!(s.personas("1001").await.unwrap(), [p], "{label}");
        assert!(s.personas("2002").await.unwrap().is_empty());

        let uid = s
            .create_user("bot", "x", Role::Agent, t(0))
            .await
            .unwrap()
            .unwrap();
        s.create_api_token("hash-1", uid, "crm", t(NOW), None)
            .await
            .unwrap();
        assert_eq!(
            s.api_token_user("hash-1", t(NOW))
                .await
                .unwrap()
                .unwrap()
                .username,
            "bot"
        );
        assert!(s.api_token_user("hash-2", t(NOW)).await.unwrap().is_none());
        s.set_user_disabled("bot", true).await.unwrap();
        assert!(
            s.api_token_user("hash-1", t(NOW)).await.unwrap().is_none(),
            "{label}: a disabled user's token works"
        );
    }
}
