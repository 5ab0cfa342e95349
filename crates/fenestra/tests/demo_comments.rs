//! Issue 18's "done when", on `fenestra demo` as a newcomer runs it: with a comment rule applied
//! through the API, a customer's "giá bao nhiêu?" under a post gets a public reply and one
//! private reply (to `recipient.comment_id`); their second matching comment on the same post gets
//! a public reply but no second private reply. `fenestra link create --ref counter --qr FILE`
//! writes a PNG whose QR code reads as the m.me link with `ref=counter`, and a customer arriving
//! through that link is counted under `counter`.

mod common;

use serde_json::{Value, json};

const RULE: &str = r#"
comments:
  - match: [giá, price, harga]
    posts: all
    public_reply: ["Shop đã nhắn tin cho bạn ạ!", "Check your Messenger!"]
    private_reply: {text: {default: "Hi {{first_name}}, it is 450k.", vi: "Chào {{first_name}}, áo này giá 450k ạ."}}
messenger_profile:
  get_started: {payload: GET_STARTED}
"#;

/// The text a PNG's QR code holds, read as a phone camera would.
fn qr_text(png_bytes: &[u8]) -> String {
    let mut reader = png::Decoder::new(png_bytes).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the PNG");
    grids[0].decode().unwrap().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_get_one_private_reply_and_the_counter_link_counts_its_customers() {
    let demo = common::Demo::start();
    let http = reqwest::Client::new();
    let emulator = demo.emulator();
    let ctl = |p: &str| format!("{emulator}/_emulator{p}");
    let base = demo.url_after("inbox:");
    let token = common::ok_on(&demo.db(), &["user", "token", "--username", "admin"], "")
        .trim()
        .to_owned();
    let api = |p: &str| format!("{base}/api/v1{p}");
    let post = async |url: String, body: Value| -> Value {
        let r = http.post(url).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
        r.json().await.unwrap()
    };

    let applied = http
        .put(api("/pages/1001/automations"))
        .bearer_auth(&token)
        .body(RULE)
        .send()
        .await
        .unwrap();
    assert!(
        applied.status().is_success(),
        "{}",
        applied.text().await.unwrap()
    );

    let published = post(ctl("/posts"), json!({"message": "Áo linen mới về"})).await;
    let post_id = published["post_id"].as_str().unwrap().to_owned();
    let lan = post(
        ctl("/users"),
        json!({"first_name": "Lan", "last_name": "Tran"}),
    )
    .await;
    let lan = lan["psid"].as_str().unwrap().to_owned();
    let first = post(
        ctl(&format!("/users/{lan}/comment")),
        json!({"post_id": post_id, "text": "giá bao nhiêu?"}),
    )
    .await;
    let first = first["comment_id"].as_str().unwrap().to_owned();

    let sends = async || -> Vec<Value> {
        let all = common::get_json(&http, &ctl("/sends"), None).await;
        all.as_array().unwrap().clone()
    };
    let private_replies = async || -> Vec<Value> {
        sends()
            .await
            .into_iter()
            .filter(|s| s["request"]["recipient"]["comment_id"].is_string())
            .collect()
    };
    // The Page's answers under the customer's comments, as the emulator shows the post.
    let page_replies = async |to: &str| -> Vec<String> {
        let posts = common::get_json(&http, &ctl("/posts"), None).await;
        posts
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["comments"].as_array().unwrap().clone())
            .filter(|c| c["by_page"] == true && c["parent_id"] == to)
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect()
    };
    common::until(
        "the first comment is answered publicly and privately",
        async || !page_replies(&first).await.is_empty() && !private_replies().await.is_empty(),
    )
    .await;
    let replies = private_replies().await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["request"]["recipient"]["comment_id"], first);
    assert_eq!(
        replies[0]["request"]["message"]["text"], "Chào Lan, áo này giá 450k ạ.",
        "in the comment's language, with the first name from the comment's author"
    );
    assert_eq!(page_replies(&first).await, ["Shop đã nhắn tin cho bạn ạ!"]);

    let second = post(
        ctl(&format!("/users/{lan}/comment")),
        json!({"post_id": post_id, "text": "Price for size M?"}),
    )
    .await;
    let second = second["comment_id"].as_str().unwrap().to_owned();
    common::until("the second comment is answered publicly", async || {
        !page_replies(&second).await.is_empty()
    })
    .await;
    // The next line in turn, and still one private reply for this person on this post.
    assert_eq!(page_replies(&second).await, ["Check your Messenger!"]);
    assert_eq!(private_replies().await.len(), 1);

    // The comments inbox shows both, the first answered privately, with an audited decision.
    let comments = common::get_json(
        &http,
        &api(&format!("/pages/1001/comments?post={post_id}")),
        Some(&token),
    )
    .await;
    let of = |id: &str| {
        comments["comments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["comment_id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {comments}"))
    };
    assert_eq!(of(&first)["private_reply_sent"], true);
    assert_eq!(of(&second)["private_reply_sent"], false);
    assert_eq!(of(&first)["author_name"], "Lan Tran");

    // The QR code for the till, from the command line.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("counter.png");
    let url = common::ok_on(
        &demo.db(),
        &[
            "link",
            "create",
            "--ref",
            "counter",
            "--qr",
            png.to_str().unwrap(),
        ],
        "",
    );
    let link = qr_text(&std::fs::read(&png).unwrap());
    assert_eq!(link, url.trim());
    assert!(link.starts_with("https://m.me/1001?ref=counter"), "{link}");

    // A new customer scans it: the welcome screen, Get Started, counted under `counter`.
    let an = post(
        ctl("/users"),
        json!({"first_name": "An", "last_name": "Le"}),
    )
    .await;
    let an = an["psid"].as_str().unwrap().to_owned();
    let opened = post(ctl(&format!("/users/{an}/open_link")), json!({"url": link})).await;
    assert_eq!(opened["new_thread"], true);
    assert_eq!(opened["ref"], "counter");
    post(ctl(&format!("/users/{an}/get_started")), json!({})).await;
    let counter = async || -> Value {
        let a = common::get_json(&http, &api("/pages/1001/attribution?days=1"), Some(&token)).await;
        a["entry_points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ref"] == "counter")
            .cloned()
            .unwrap()
    };
    common::until("An is counted under counter", async || {
        counter().await["counts"]["new_conversations"] == 1
    })
    .await;
    assert_eq!(counter().await["counts"]["latest"], 1);
}
