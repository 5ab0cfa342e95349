//! The Send API answers bad input and rule violations exactly as the emulator documents Meta's
//! answers (status, code, subcode, message), and delivers what is allowed.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn bad_input_gets_metas_answers() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    c.control("/page", json!({})).await;
    let ok_text = |t: &str| {
        json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": t}})
            .to_string()
    };
    let p = |m: &str| format!("(#100) {m}");
    let long = "x".repeat(2001);
    let qrs: Vec<_> = (0..14)
        .map(|i| json!({"content_type": "text", "title": format!("q{i}"), "payload": "P"}))
        .collect();
    /// (case, token, body, (status, code, subcode, message))
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        String,
        (u16, i64, Option<i64>, String),
    );
    let cases: Vec<Case> = vec![
        ("no token", None, ok_text("hi"), (400, 2500, None, "An active access token must be used to query information about the current user.".into())),
        ("bad token", Some("nope"), ok_text("hi"), (400, 190, None, "Invalid OAuth access token.".into())),
        ("malformed JSON", Some("PAGE_TOKEN"), "{\"recipient\": ".into(), (400, 100, None, p("Invalid JSON payload: EOF while parsing a value at line 1 column 14"))),
        ("missing recipient", Some("PAGE_TOKEN"), json!({"message": {"text": "hi"}}).to_string(), (400, 100, None, p("param recipient must be non-empty."))),
        (
            "two recipient forms",
            Some("PAGE_TOKEN"),
            json!({"recipient": {"id": psid, "user_ref": "u"}, "message": {"text": "hi"}}).to_string(),
            (400, 100, None, p("Only one of recipient[id], recipient[user_ref], recipient[phone_number], recipient[comment_id], recipient[post_id], recipient[one_time_notif_token] and recipient[notification_messages_token] may be set")),
        ),
        ("unknown field", Some("PAGE_TOKEN"), json!({"recipient": {"id": psid}, "message": {"text": "hi", "colour": "red"}}).to_string(), (400, 100, None, p("Param message[colour] is not a valid parameter"))),
        ("wrong type", Some("PAGE_TOKEN"), json!({"recipient": {"id": psid}, "message": {"text": 5}}).to_string(), (400, 100, None, p("Param message[text] must be a string"))),
        ("text over 2000", Some("PAGE_TOKEN"), ok_text(&long), (400, 100, None, p("Length of param message[text] must be less than or equal to 2000"))),
        (
            "14 quick replies",
            Some("PAGE_TOKEN"),
            json!({"recipient": {"id": psid}, "message": {"text": "pick", "quick_replies": qrs}}).to_string(),
            (400, 100, None, p("param message[quick_replies] must have at most 13 elements")),
        ),
        (
            "unknown tag",
            Some("PAGE_TOKEN"),
            json!({"recipient": {"id": psid}, "messaging_type": "MESSAGE_TAG", "tag": "ISSUE_RESOLUTION", "message": {"text": "hi"}}).to_string(),
            (400, 100, None, p("Param tag must be one of {HUMAN_AGENT, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, NON_PROMOTIONAL_SUBSCRIPTION} - got \"ISSUE_RESOLUTION\"")),
        ),
        (
            "unknown persona",
            Some("PAGE_TOKEN"),
            json!({"recipient": {"id": psid}, "persona_id": "999", "message": {"text": "hi"}}).to_string(),
            (400, 100, None, p("Invalid persona_id 999")),
        ),
        ("unknown PSID", Some("PAGE_TOKEN"), json!({"recipient": {"id": "123"}, "message": {"text": "hi"}}).to_string(), (400, 100, Some(2018001), p("No matching user found"))),
        (
            "message and state",
            Some("PAGE_TOKEN"),
            json!({"recipient": {"id": psid}, "sender_action": "typing_on", "message": {"text": "hi"}}).to_string(),
            (400, 100, None, p("Cannot send both message and state at the same time.")),
        ),
    ];
    for (name, token, body, want) in cases {
        let got = error_of(&c.send_raw(token, &body).await);
        assert_eq!(got, want, "{name}");
    }
    // Nothing reached the customer, and every call is in the send log with its outcome.
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    assert_eq!(inbox.as_array().unwrap().len(), 0);
    let sends = c.get("/_emulator/sends").await;
    assert_eq!(sends.as_array().unwrap().len(), 13);
    assert!(
        sends
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["outcome"] == "error")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn the_window_human_agent_and_retired_tags_follow_the_clock() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Minh").await;
    c.control(
        &format!("/users/{psid}/say"),
        json!({"text": "is the blue dress in stock?"}),
    )
    .await;
    let msg = |mt: &str, tag: Option<&str>| json!({"recipient": {"id": psid}, "messaging_type": mt, "tag": tag, "message": {"text": "Yes, size M is back."}});

    let ok = c.send(msg("RESPONSE", None)).await;
    assert_eq!(ok.0, 200);
    assert!(ok.1["message_id"].as_str().unwrap().starts_with("m_"));
    assert_eq!(ok.1["recipient_id"], psid.as_str());

    c.advance(25 * 3600).await;
    assert_eq!(
        error_of(&c.send(msg("RESPONSE", None)).await).2,
        Some(2018278)
    );
    assert_eq!(c.send(msg("MESSAGE_TAG", Some("HUMAN_AGENT"))).await.0, 200);
    assert_eq!(
        c.send(msg("MESSAGE_TAG", Some("POST_PURCHASE_UPDATE")))
            .await
            .0,
        200
    );

    c.advance(6 * 24 * 3600).await; // day 7 and a bit since the customer wrote
    assert_eq!(
        error_of(&c.send(msg("MESSAGE_TAG", Some("HUMAN_AGENT"))).await).1,
        10
    );

    // After 2026-04-27 the three topic tags fail with error 100.
    c.advance(60 * 24 * 3600).await;
    let retired = error_of(
        &c.send(msg("MESSAGE_TAG", Some("POST_PURCHASE_UPDATE")))
            .await,
    );
    assert_eq!(retired, (400, 100, None, "(#100) Invalid parameter".into()));

    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    let types: Vec<_> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["messaging_type"].clone(), m["tag"].clone()))
        .collect();
    assert_eq!(
        types,
        vec![
            (json!("RESPONSE"), json!(null)),
            (json!("MESSAGE_TAG"), json!("HUMAN_AGENT")),
            (json!("MESSAGE_TAG"), json!("POST_PURCHASE_UPDATE"))
        ]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn blocks_restrictions_rate_limits_and_permissions() {
    let emu = start(Some(MARCH_10), None).await;
    let c = Client::new(&emu);
    let psid = c.customer("Aisha").await;
    c.control(&format!("/users/{psid}/say"), json!({"text": "hello"}))
        .await;
    let msg =
        json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": "hi"}});

    c.control(&format!("/users/{psid}/block"), json!({})).await;
    assert_eq!(
        error_of(&c.send(msg.clone()).await),
        (
            400,
            551,
            Some(1545041),
            "(#551) This person isn't available right now.".into()
        )
    );
    c.control(&format!("/users/{psid}/unblock"), json!({}))
        .await;

    c.control(
        "/policy/enforce",
        json!({"action": "block", "reason": "spam"}),
    )
    .await;
    let restricted = error_of(&c.send(msg.clone()).await);
    assert_eq!((restricted.1, restricted.2), (10, Some(1893063)));
    c.control("/policy/enforce", json!({"action": "unblock"}))
        .await;

    c.control("/page", json!({"human_agent_approved": false}))
        .await;
    let tagged = json!({"recipient": {"id": psid}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": {"text": "hi"}});
    assert_eq!(error_of(&c.send(tagged).await).1, 200);

    c.control("/page", json!({"rate_limit_per_sec": 3})).await;
    let mut codes = Vec::new();
    for _ in 0..12 {
        let r = c.send(msg.clone()).await;
        codes.push(if r.0 == 200 { 200 } else { error_of(&r).1 });
    }
    assert!(codes.contains(&613), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == 200).count(),
        codes.len() - codes.iter().filter(|c| **c == 613).count()
    );
    let status = c.send(json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": "x"}})).await;
    if status.0 != 200 {
        assert_eq!(
            error_of(&status),
            (
                400,
                613,
                None,
                "(#613) Calls to this api have exceeded the rate limit.".into()
            )
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn tokens_private_replies_and_personas() {
    let emu = start(Some(1_767_268_800_000), None).await; // 2026-01-01T12:00:00Z
    let c = Client::new(&emu);
    let psid = c.customer("Giulia").await;
    let otn = c
        .control(
            &format!("/users/{psid}/optin"),
            json!({"type": "one_time_notif_req", "payload": "restock"}),
        )
        .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let rn = c
        .control(
            &format!("/users/{psid}/optin"),
            json!({"type": "notification_messages", "payload": "deals", "frequency": "WEEKLY"}),
        )
        .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // An opt-in opens no window.
    assert_eq!(
        error_of(
            &c.send(json!({"recipient": {"id": psid}, "message": {"text": "hi"}}))
                .await
        )
        .2,
        Some(2018278)
    );

    let by_otn =
        json!({"recipient": {"one_time_notif_token": otn}, "message": {"text": "Back in stock!"}});
    assert_eq!(c.send(by_otn.clone()).await.0, 200);
    assert_eq!(
        error_of(&c.send(by_otn).await).3,
        "(#10) This one-time notification token has already been used."
    );

    let by_rn = json!({"recipient": {"notification_messages_token": rn}, "message": {"text": "This week's picks"}});
    assert_eq!(c.send(by_rn.clone()).await.0, 200);
    assert_eq!(error_of(&c.send(by_rn.clone()).await), (400, 4, Some(2018354), "(#4) There has to be a minimum delay between 2 notifications for the given notification".into()));
    c.advance(45 * 24 * 3600).await; // past 2026-02-10
    assert_eq!(error_of(&c.send(by_rn).await).1, 100);

    let comment = c
        .control(
            &format!("/users/{psid}/comment"),
            json!({"post_id": "555", "text": "price?"}),
        )
        .await["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = json!({"recipient": {"comment_id": comment}, "message": {"text": "Sent you the price list!"}});
    let first = c.send(reply.clone()).await;
    assert_eq!(
        (first.0, first.1["recipient_id"].as_str()),
        (200, Some(psid.as_str()))
    );
    assert_eq!(error_of(&c.send(reply).await).1, 10);

    let (status, persona) = c.graph(reqwest::Method::POST, "/me/personas", Some(json!({"name": "Linh (support)", "profile_picture_url": "https://example.com/linh.png"}))).await;
    assert_eq!(status, 200);
    let persona_id = persona["id"].as_str().unwrap();
    c.control(&format!("/users/{psid}/say"), json!({"text": "thanks"}))
        .await;
    let sent = c.send(json!({"recipient": {"id": psid}, "persona_id": persona_id, "message": {"text": "You're welcome!"}})).await;
    assert_eq!(sent.0, 200);
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    assert_eq!(
        inbox.as_array().unwrap().last().unwrap()["persona_id"],
        persona_id
    );
    let (status, profile) = c
        .graph(
            reqwest::Method::GET,
            &format!("/{psid}?fields=first_name,last_name,locale"),
            None,
        )
        .await;
    assert_eq!(
        (
            status,
            profile["first_name"].as_str(),
            profile["locale"].as_str()
        ),
        (200, Some("Giulia"), Some("vi_VN"))
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn utility_templates_are_reviewed_and_sent_any_time() {
    let emu = start(Some(1_780_000_000_000), None).await; // 2026-05-28
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    let create = |name: &str, text: &str| {
        json!({"name": name, "language": "en", "category": "UTILITY", "parameter_format": "NAMED",
               "components": [{"type": "BODY", "text": text, "example": {"body_text_named_params": []}}]})
    };
    let (_, ok) = c
        .graph(
            reqwest::Method::POST,
            "/1001/message_templates",
            Some(create(
                "order_shipped",
                "Hi {{first_name}}, order {{order_id}} has shipped",
            )),
        )
        .await;
    assert_eq!(ok["status"], "APPROVED");
    let (_, promo) = c
        .graph(
            reqwest::Method::POST,
            "/1001/message_templates",
            Some(create(
                "spring",
                "Hi {{first_name}}, 20% off everything: spring sale!",
            )),
        )
        .await;
    assert_eq!(promo["status"], "REJECTED");

    let utility = |params: serde_json::Value| {
        json!({"recipient": {"id": psid}, "messaging_type": "UTILITY",
               "message": {"template": {"name": "order_shipped", "language": {"code": "en"}, "components": [{"type": "body", "parameters": params}]}}})
    };
    // Outside any window (the customer never wrote), an approved template goes out.
    let sent = c
        .send(utility(json!([{"type": "text", "parameter_name": "first_name", "text": "Lan"}, {"type": "text", "parameter_name": "order_id", "text": "4521"}])))
        .await;
    assert_eq!(sent.0, 200, "{}", sent.1);
    let inbox = c.get(&format!("/_emulator/users/{psid}/inbox")).await;
    assert_eq!(inbox[0]["text"], "Hi Lan, order 4521 has shipped");
    let missing = error_of(
        &c.send(utility(
            json!([{"type": "text", "parameter_name": "first_name", "text": "Lan"}]),
        ))
        .await,
    );
    assert_eq!(
        missing.3,
        "(#100) Number of parameters does not match the expected number of params: missing order_id"
    );
    // The status webhooks were queued as `messenger_template_status_update` changes (Meta's
    // name for Messenger; `message_template_status_update` is WhatsApp's).
    let pending = emu.emu.with(|st| {
        st.pending
            .iter()
            .filter(|e| e.changes)
            .map(|e| (e.item["field"].clone(), e.item["value"]["event"].clone()))
            .collect::<Vec<_>>()
    });
    let field = json!("messenger_template_status_update");
    assert_eq!(
        pending,
        vec![
            (field.clone(), json!("APPROVED")),
            (field, json!("REJECTED"))
        ]
    );
    emu.shutdown().await;
}
