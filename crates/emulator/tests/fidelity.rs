//! Every kind of webhook event the emulator emits has the field structure of real payloads of
//! that kind (the fixtures under crates/messenger/tests/fixtures, from other projects' tests
//! and Meta's docs): no field the real ones never carry, and every field all real ones carry.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::*;
use serde_json::{Value, json};

/// Fields the emulator sends that Meta documents today but the (older) fixtures lack.
const DOCUMENTED_NEWER: &[(&str, &str)] = &[
    ("optin", "optin.one_time_notif_token"), // one-time notification opt-in (no fixture of that type)
    ("reaction", "reaction.mid"),            // the message reacted to, in Meta's current reference
    ("postback", "postback.mid"),            // postbacks carry a mid since 2020
    ("message", "message.reply_to"),         // replies to a message
    ("message", "message.reply_to.mid"),
    ("echo", "message.metadata"), // the Send API's `metadata`, echoed back (Meta's echo reference)
    // The post a comment is on, as the feed webhook's reference shows it.
    ("feed_comment", "value.post.is_published"),
    ("feed_comment", "value.post.permalink_url"),
];

/// Fields the old fixtures carry that Meta no longer sends.
const REMOVED_SINCE: &[(&str, &str)] = &[
    ("echo", "message.seq"), // `seq` was deprecated and dropped from webhook events in 2017
    ("read", "read.seq"),
];

fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let k = k.replace('-', "_"); // the old `policy-enforcement` spelling
                let p = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                paths(v, &p, out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|x| paths(x, &format!("{prefix}[]"), out)),
        _ => {}
    }
}

fn key_paths(item: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    paths(item, "", &mut out);
    out
}

/// The `webhook parse` kind of one messaging item or change.
fn kind(item: &Value, change: bool) -> String {
    let entry = if change {
        json!({"id": "1", "time": 1, "changes": [item]})
    } else {
        json!({"id": "1", "time": 1, "messaging": [item]})
    };
    let body = json!({"object": "page", "entry": [entry]});
    messenger::parse_body(body.to_string().as_bytes()).unwrap()[0]
        .kind()
        .to_owned()
}

/// kind → the key paths of each real item of that kind.
fn references() -> BTreeMap<String, Vec<BTreeSet<String>>> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../messenger/tests/fixtures/webhooks");
    let mut refs: BTreeMap<String, Vec<BTreeSet<String>>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let Ok(body) =
            serde_json::from_slice::<Value>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        else {
            continue;
        };
        for e in body["entry"].as_array().into_iter().flatten() {
            for item in e["messaging"].as_array().into_iter().flatten() {
                refs.entry(kind(item, false))
                    .or_default()
                    .push(key_paths(item));
            }
            for item in e["changes"].as_array().into_iter().flatten() {
                refs.entry(kind(item, true))
                    .or_default()
                    .push(key_paths(item));
            }
        }
    }
    refs
}

#[tokio::test]
async fn emitted_webhooks_have_the_structure_of_real_ones() {
    let emu = start(Some(MARCH_10 - 30 * 86_400_000), None).await; // before recurring notifications ended
    let c = Client::new(&emu);
    let psid = c.customer("Lan").await;
    let said = c
        .control(&format!("/users/{psid}/say"), json!({"text": "hi"}))
        .await;
    c.control(
        &format!("/users/{psid}/say"),
        json!({"text": "about that", "reply_to": said["mid"]}),
    )
    .await;
    c.control(
        &format!("/users/{psid}/quick_reply"),
        json!({"title": "M", "payload": "SIZE_M"}),
    )
    .await;
    c.control(
        &format!("/users/{psid}/postback"),
        json!({"title": "Get Started", "payload": "GET_STARTED", "ref": "spring"}),
    )
    .await;
    c.control(
        &format!("/users/{psid}/referral"),
        json!({"ref": "poster", "source": "SHORTLINK"}),
    )
    .await;
    c.control(
        &format!("/users/{psid}/optin"),
        json!({"type": "one_time_notif_req", "payload": "restock"}),
    )
    .await;
    c.control(&format!("/users/{psid}/optin"), json!({"type": "notification_messages", "payload": "deals", "frequency": "WEEKLY", "title": "Deals"})).await;
    c.control(
        &format!("/users/{psid}/optin"),
        json!({"type": "plugin", "payload": "checkout"}),
    )
    .await;
    let sent = c.send(json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": "Hello!", "metadata": "ob-1"}})).await;
    c.control(
        &format!("/users/{psid}/react"),
        json!({"mid": sent.1["message_id"], "reaction": "love"}),
    )
    .await;
    c.control(&format!("/users/{psid}/read"), json!({})).await;
    c.control(
        &format!("/users/{psid}/comment"),
        json!({"post_id": "555", "text": "price?"}),
    )
    .await;
    c.control(
        "/policy/enforce",
        json!({"action": "block", "reason": "spam"}),
    )
    .await;

    let emitted = emu.emu.with(|st| {
        st.pending
            .iter()
            .map(|e| (kind(&e.item, e.changes), key_paths(&e.item)))
            .collect::<Vec<_>>()
    });
    let refs = references();
    let mut kinds = BTreeSet::new();
    let mut problems = Vec::new();
    for (k, ours) in &emitted {
        kinds.insert(k.clone());
        let real = refs
            .get(k)
            .unwrap_or_else(|| panic!("no real payload of kind {k} to compare with"));
        let union: BTreeSet<&String> = real.iter().flatten().collect();
        let core = real.iter().skip(1).fold(real[0].clone(), |acc, r| {
            acc.intersection(r).cloned().collect()
        });
        for p in ours {
            if !union.contains(p) && !DOCUMENTED_NEWER.contains(&(k.as_str(), p.as_str())) {
                problems.push(format!("{k}: `{p}` appears in no real {k} payload"));
            }
        }
        for p in core
            .difference(ours)
            .filter(|p| !REMOVED_SINCE.contains(&(k.as_str(), p.as_str())))
        {
            problems.push(format!(
                "{k}: every real {k} payload has `{p}`, the emulator's does not"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let want: BTreeSet<String> = [
        "message",
        "echo",
        "delivery",
        "read",
        "postback",
        "referral",
        "optin",
        "reaction",
        "feed_comment",
        "policy_enforcement",
    ]
    .map(String::from)
    .into();
    assert_eq!(kinds, want);
    emu.shutdown().await;
}
