//! The document's `messenger_profile` as Meta's Messenger Profile API takes it: one list per
//! locale for the greeting, the ice breakers and the menu (`default` first, then each language
//! a text is written in), and the properties to delete when the document no longer has them.

use serde_json::{Map, Value, json};

use crate::document::{Button, MessengerProfile};
use crate::values::Texts;

/// The properties Fenestra manages; others set on the Page (by hand, by another tool) are left
/// alone.
pub const MANAGED: [&str; 4] = ["get_started", "greeting", "ice_breakers", "persistent_menu"];

/// Meta's locale for each of the document's languages.
fn meta_locale(lang: &str) -> &'static str {
    match lang {
        "vi" => "vi_VN",
        "en" => "en_US",
        "ar" => "ar_AR",
        "ms" => "ms_MY",
        "it" => "it_IT",
        _ => "default",
    }
}

/// `default` and every language some text of `texts` is written in, in a stable order.
fn locales<'a>(texts: impl Iterator<Item = &'a Texts>) -> Vec<&'a str> {
    let mut langs: Vec<&str> = texts.flat_map(Texts::languages).collect();
    langs.sort_unstable();
    langs.dedup();
    std::iter::once("default").chain(langs).collect()
}

fn locale_of(lang: &str) -> Option<&str> {
    (lang != "default").then_some(lang)
}

/// The body of `POST /me/messenger_profile`, and the fields for `DELETE` (those Fenestra
/// manages that the document leaves out).
pub fn to_meta(p: Option<&MessengerProfile>) -> (Map<String, Value>, Vec<&'static str>) {
    let empty = MessengerProfile::default();
    let p = p.unwrap_or(&empty);
    let mut set = Map::new();
    if let Some(g) = &p.get_started {
        set.insert("get_started".into(), json!({ "payload": g.payload }));
    }
    if let Some(g) = &p.greeting {
        let list: Vec<Value> = locales(std::iter::once(g))
            .into_iter()
            .map(|l| json!({"locale": meta_locale(l), "text": g.pick(locale_of(l))}))
            .collect();
        set.insert("greeting".into(), Value::Array(list));
    }
    if !p.ice_breakers.is_empty() {
        let list: Vec<Value> = locales(p.ice_breakers.0.iter().map(|b| &b.question))
            .into_iter()
            .map(|l| {
                let actions: Vec<Value> = p
                    .ice_breakers
                    .0
                    .iter()
                    .map(|b| json!({"question": b.question.pick(locale_of(l)), "payload": b.payload}))
                    .collect();
                json!({"locale": meta_locale(l), "call_to_actions": actions})
            })
            .collect();
        set.insert("ice_breakers".into(), Value::Array(list));
    }
    if !p.persistent_menu.is_empty() {
        let list: Vec<Value> = locales(p.persistent_menu.0.iter().map(Button::title))
            .into_iter()
            .map(|l| {
                let items: Vec<Value> = p
                    .persistent_menu
                    .0
                    .iter()
                    .map(|item| match item {
                        Button::Postback { title, payload } => {
                            json!({"type": "postback", "title": title.pick(locale_of(l)), "payload": payload})
                        }
                        Button::WebUrl { title, url } => {
                            json!({"type": "web_url", "title": title.pick(locale_of(l)), "url": url})
                        }
                    })
                    .collect();
                json!({"locale": meta_locale(l), "composer_input_disabled": p.composer_input_disabled, "call_to_actions": items})
            })
            .collect();
        set.insert("persistent_menu".into(), Value::Array(list));
    }
    let delete = MANAGED
        .into_iter()
        .filter(|k| !set.contains_key(*k))
        .collect();
    (set, delete)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_becomes_metas_lists_per_locale() {
        let doc = crate::parse(include_str!("../tests/fixtures/shop.yaml")).unwrap();
        let (set, delete) = to_meta(doc.messenger_profile.as_ref());
        assert!(delete.is_empty());
        assert_eq!(set["get_started"], json!({"payload": "GET_STARTED"}));
        assert_eq!(
            set["greeting"],
            json!([
                {"locale": "default", "text": "Hi {{user_first_name}}! Ask us anything."},
                {"locale": "vi_VN", "text": "Chào {{user_first_name}}!"}
            ])
        );
        assert_eq!(
            set["ice_breakers"],
            json!([{"locale": "default", "call_to_actions": [{"question": "Is my order on its way?", "payload": "ORDER_STATUS"}]}])
        );
        assert_eq!(
            set["persistent_menu"][0]["call_to_actions"][0],
            json!({"type": "postback", "title": "Talk to a person", "payload": "HUMAN"})
        );
    }

    #[test]
    fn what_the_document_leaves_out_is_deleted() {
        let (set, delete) = to_meta(None);
        assert!(set.is_empty());
        assert_eq!(delete, MANAGED.to_vec());
    }
}
