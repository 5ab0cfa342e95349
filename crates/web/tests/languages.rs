//! The inbox in every language, over real HTTP: the login page follows the browser
//! (`Accept-Language: vi` is Vietnamese, `ar` is right to left); every page renders in every
//! language with every message found; and in the pseudo-locale (`x-pseudo`, every message
//! wrapped in ⟦…⟧) no text a person reads — text nodes, placeholders, titles, labels — is
//! outside a message, but for the data (names, what customers wrote). Search ignores tone marks
//! through the API.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::{Role, testing};

const PASSWORD: &str = "a long passphrase";

async fn get(
    w: &World,
    path: &str,
    cookie: &str,
    language: &str,
    htmx: bool,
) -> (StatusCode, String) {
    let mut r = no_redirects()
        .get(format!("{}{path}", w.server.url()))
        .header("accept-language", language)
        .header("cookie", cookie);
    if htmx {
        r = r.header("hx-request", "true");
    }
    let r = r.send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_login_page_follows_the_browser() {
    let db = testing::sqlite().await;
    let w = world(&db, None, |_| {}).await;
    for (accept, lang, dir, says) in [
        ("vi", "vi", "ltr", "Đăng nhập"),
        ("ar-EG,ar;q=0.9", "ar", "rtl", "تسجيل الدخول"),
        ("ms-MY", "ms", "ltr", "Log masuk"),
        ("it-IT,it;q=0.9,en;q=0.8", "it", "ltr", "Accedi"),
        ("fr-FR, de", "en", "ltr", "Log in"),
    ] {
        let (status, html) = get(&w, "/login", "", accept, false).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(&format!(r#"<html lang="{lang}" dir="{dir}">"#)),
            "{accept}: {html}"
        );
        assert!(html.contains(says), "{accept}: no {says:?}");
    }
    w.stop().await;
}

/// A conversation with one of everything: Hoa wrote 8 days ago, tapped a button arriving from
/// a short link and gave a one-time token; she has a label and a note; Minh writes now and was
/// answered; a template and a persona exist.
async fn everything(w: &World) -> (String, String) {
    let s = w.store();
    engine::accounts::add_user(s, "lan", PASSWORD, Role::Admin)
        .await
        .unwrap();
    let hoa = w.ctl.customer("Hoa", "Le", "vi_VN").await.unwrap();
    w.says(&hoa, "Còn váy đỏ size M không?").await;
    w.ctl
        .post(
            &format!("/users/{hoa}/postback"),
            json!({"title": "Book a fitting", "payload": "BOOK", "ref": "spring-sale"}),
        )
        .await
        .unwrap();
    w.ctl
        .post(
            &format!("/users/{hoa}/optin"),
            json!({"type": "one_time_notif_req", "payload": "ORDER", "title": "Order updates"}),
        )
        .await
        .unwrap();
    w.ctl.catch_up_to(now_ms()).await.unwrap();
    let minh = w.ctl.customer("Minh", "Tran", "vi_VN").await.unwrap();
    w.says(&minh, "Is the blue dress back?").await;
    w.until("Hoa's token and events are stored", || async {
        !s.one_time_tokens(PAGE, &hoa).await.unwrap().is_empty()
            && s.thread_events(PAGE, &hoa).await.unwrap().len() >= 2
    })
    .await;
    w.approved_template().await;
    w.server
        .engine
        .apply_automations(
            PAGE,
            include_str!("../../automations/tests/fixtures/shop.yaml"),
            "user:lan",
        )
        .await
        .unwrap();
    w.server
        .engine
        .apply_flows(
            PAGE,
            include_str!("../../../examples/flows/salon.yaml"),
            "user:lan",
        )
        .await
        .unwrap();
    let now = store::Time::now();
    s.set_field(PAGE, &hoa, "phone", "+84901234567", now)
        .await
        .unwrap();
    let start = store::Time::from_ms(now.ms() + DAY_MS);
    let booking = store::NewBooking {
        page_id: PAGE,
        psid: &hoa,
        service: "cut",
        resource: "minh",
        starts_at: start,
        ends_at: store::Time::from_ms(start.ms() + 1_800_000),
        remind_at: Some(now),
        capacity: 1,
    };
    s.create_booking(&booking, now).await.unwrap().unwrap();
    s.add_label(PAGE, &hoa, "vip").await.unwrap();
    s.add_note(PAGE, &hoa, "lan", "Size M", store::Time::now())
        .await
        .unwrap();
    s.save_reply("Thanks", "Thanks {{first_name}}!", None, store::Time::now())
        .await
        .unwrap();
    let lan = s.user("lan").await.unwrap().unwrap();
    let mut draft = engine::outbox::Draft::text(
        PAGE,
        &minh,
        engine::outbox::Actor::Agent("lan".into()),
        "Yes, in size M.",
    );
    draft.typing = false;
    let sent = w.submit(&draft).await;
    w.outbox_reaches(sent.outbox_ids[0], SENT).await;
    // A refusal for the decisions list.
    w.submit(&engine::outbox::Draft::text(
        PAGE,
        &hoa,
        engine::outbox::Actor::Agent(lan.username),
        "Back in stock!",
    ))
    .await;
    // A broadcast (paused by a person, with its reason) and an audience.
    let spec = engine::broadcast::spec::BroadcastSpec::from_value(serde_json::json!({
        "text": "Back in stock!", "schedule": {"at": "2099-01-01T00:00:00Z"}}))
    .unwrap();
    let (id, _) = w
        .server
        .engine
        .send_broadcast(PAGE, &spec, "test")
        .await
        .unwrap();
    w.server
        .engine
        .steer_broadcast(id, engine::broadcast::Steer::Pause, "lan")
        .await
        .unwrap();
    s.save_audience(PAGE, "VIP", r#"{"labels_any":["vip"]}"#, store::Time::now())
        .await
        .unwrap();
    (hoa, minh)
}

/// Every page a user can reach, as (path, htmx).
fn pages(hoa: &str) -> Vec<(String, bool)> {
    let t = format!("/c/{PAGE}/{hoa}");
    vec![
        ("/".into(), false),
        ("/?q=vay&status=open".into(), false),
        ("/conversations?base=/".into(), true),
        (t.clone(), false),
        (format!("{t}/verdict?mode=text&text=Back+in+stock"), true),
        (
            format!("{t}/verdict?mode=template&template=order_shipped%7Cen"),
            true,
        ),
        (
            format!("{t}/verdict?mode=token&token=otn:nope&token_text=hi"),
            true,
        ),
        ("/settings".into(), false),
        (format!("/settings/automations/{PAGE}"), false),
        (format!("/settings/pages/{PAGE}"), false),
        ("/settings/users".into(), false),
        (format!("/settings/templates/{PAGE}"), false),
        ("/settings/connect".into(), false),
        ("/bookings".into(), false),
        (format!("/settings/flows/{PAGE}"), false),
        (
            format!("/settings/flows/{PAGE}/step?flow=salon&step=service"),
            false,
        ),
        (
            format!("/settings/flows/{PAGE}/step?flow=salon&step=tag"),
            false,
        ),
        ("/leads".into(), false),
        ("/broadcasts".into(), false),
        ("/broadcasts/new".into(), false),
        ("/broadcasts/1".into(), false),
        ("/broadcasts/1/progress".into(), true),
        ("/audiences".into(), false),
        (format!("/settings/connect/{PAGE}"), false),
        (format!("/settings/connect/{PAGE}/arrival"), true),
        (format!("/settings/automations/{PAGE}?applied=1"), false),
        ("/account".into(), false),
        ("/account?done=saved".into(), false),
        (format!("{t}/export"), false),
        (format!("/c/{PAGE}/nobody"), false),
    ]
}

#[tokio::test]
async fn every_page_renders_in_every_language_with_every_message() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 8 * DAY_MS), connectable).await;
    let (hoa, _) = everything(&w).await;
    let cookie = session_of(&w, "lan").await;
    for lang in ["vi", "en", "ar", "ms", "it"] {
        for (path, htmx) in pages(&hoa) {
            let (status, html) = get(&w, &path, &cookie, lang, htmx).await;
            let expected = if path.ends_with("/nobody") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::OK
            };
            assert_eq!(status, expected, "{lang} {path}");
            assert!(
                !html.contains("MISSING:"),
                "{lang} {path}: a message is missing:\n{html}"
            );
            if !htmx {
                assert!(
                    html.contains(&format!(r#"<html lang="{lang}""#)),
                    "{lang} {path}"
                );
            }
        }
    }
    // A user's own setting wins over the browser.
    let lan = w.store().user("lan").await.unwrap().unwrap();
    w.store()
        .set_user_preferences(lan.id, Some("ar"), Some("Asia/Riyadh"))
        .await
        .unwrap();
    let (_, html) = get(&w, "/", &cookie, "vi", false).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains("صندوق الرسائل"));
    w.stop().await;
}

#[tokio::test]
async fn the_pseudo_locale_finds_no_text_outside_a_message() {
    let db = testing::sqlite().await;
    let w = world(&db, Some(now_ms() - 8 * DAY_MS), connectable).await;
    let (hoa, _) = everything(&w).await;
    let cookie = session_of(&w, "lan").await;
    // What pages show that is data, not text of ours.
    let data = [
        "Fenestra",
        "Hoa Le",
        "Hoa",
        "Le",
        "Minh Tran",
        "Minh",
        "Tran",
        "HL",
        "MT",
        "lan",
        "Còn váy đỏ size M không?",
        "Is the blue dress back?",
        "Yes, in size M.",
        "Back in stock!",
        "vip",
        "Size M",
        "Thanks {{first_name}}!",
        "Thanks",
        "Thanks Hoa!",
        "vi_VN",
        "UTC",
        "order_shipped",
        "(en)",
        "Hi {{first_name}}, order {{order_id}} has shipped.",
        "first_name",
        "order_id",
        "https",
        "Asia/Ho_Chi_Minh",
        // The salon's booking setup and what its bot collected.
        "Haircut",
        "Lan",
        "phone",
        // The salon's flows: their names, steps and tests.
        "salon",
        "cancel",
        "feedback",
        "service",
        "which",
        "colour",
        "day",
        "slot",
        "tag",
        "thanks",
        "done",
        "how",
        "pause",
        "bye",
        "service = colour",
        // Broadcasts and audiences: example values in placeholders (codes, labels, refs), the
        // languages by their own names, the audience's name.
        "VN",
        "vip, regular",
        "vi, en",
        "VN, MY",
        "counter",
        "city",
        "name={{first_name}}",
        "shop-2026",
        "Tiếng Việt",
        "English",
        "العربية",
        "Bahasa Melayu",
        "Italiano",
        "VIP",
    ];
    // The detector itself: text written straight into a page is found, data and messages not.
    assert_eq!(
        untranslated(
            r#"<p>⟦Inbox⟧ Hoa</p><b>Send</b><input placeholder="Search">"#,
            &data
        ),
        ["Search", "Send"]
    );
    let mut found = Vec::new();
    for (path, htmx) in pages(&hoa) {
        let (_, html) = get(&w, &path, &cookie, "x-pseudo", htmx).await;
        for text in untranslated(&html, &data) {
            found.push(format!("{path}: {text:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "text outside a message:\n{}",
        found.join("\n")
    );
    w.stop().await;
}

/// The texts of `html` a person reads that hold letters outside ⟦…⟧ and outside `data`.
fn untranslated(html: &str, data: &[&str]) -> Vec<String> {
    // Not read as text of ours: scripts, machine output (JSON, rule ids, the policy's own
    // English explanation kept as a technical detail), what users wrote in text areas (a
    // document, a step's texts), time zone names, and language names written in themselves.
    let mut html = html.to_owned();
    for (open, close) in [
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<pre", "</pre>"),
        ("<code", "</code>"),
        ("<datalist", "</datalist>"),
        ("<span class=\"policy-detail\"", "</span>"),
        ("<option value=\"vi\" lang", "</select>"),
    ] {
        while let Some(start) = html.find(open) {
            let end = html[start..]
                .find(close)
                .map_or(html.len(), |e| start + e + close.len());
            html.replace_range(start..end, " ");
        }
    }
    // A text area's content (its placeholder and label are still read).
    let mut from = 0;
    while let Some(i) = html[from..].find("<textarea") {
        let open_end = html[from + i..]
            .find('>')
            .map_or(html.len(), |e| from + i + e + 1);
        let close = html[open_end..]
            .find("</textarea>")
            .map_or(html.len(), |e| open_end + e);
        html.replace_range(open_end..close, "");
        from = open_end;
    }
    let mut texts: Vec<String> = Vec::new();
    for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            texts.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    texts.extend(text.lines().map(str::to_owned));
    texts
        .into_iter()
        .map(|t| {
            t.replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
        })
        .filter(|t| {
            let mut outside = String::new();
            let mut depth = 0;
            for c in t.chars() {
                match c {
                    '⟦' => depth += 1,
                    '⟧' => depth -= 1,
                    c if depth == 0 => outside.push(c),
                    _ => {}
                }
            }
            // Longest first, so "Hoa Le" goes before "Le" is looked for.
            let mut words = data.to_vec();
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            for w in words {
                outside = outside.replace(w, " ");
            }
            outside.chars().any(char::is_alphabetic)
        })
        .map(|t| t.trim().to_owned())
        .collect()
}

#[tokio::test]
async fn the_api_search_finds_vay_in_vay_with_its_tone_mark() {
    for db in testing::all().await {
        let w = world(&db, None, |_| {}).await;
        engine::accounts::add_user(w.store(), "lan", PASSWORD, Role::Admin)
            .await
            .unwrap();
        let token = engine::accounts::create_api_token(w.store(), "lan", "t")
            .await
            .unwrap();
        let hoa = w.customer("Hoa").await;
        w.says(&hoa, "Còn váy đỏ không?").await;
        let minh = w.customer("Minh").await;
        w.says(&minh, "Do you have shoes?").await;
        let r: Value = no_redirects()
            .get(format!("{}/api/v1/conversations?q=vay", w.server.url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let psids: Vec<&str> = r["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["psid"].as_str().unwrap())
            .collect();
        assert_eq!(psids, [hoa.as_str()], "{}: {r}", w.label);
        w.stop().await;
    }
}
