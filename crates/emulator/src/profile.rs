//! What Meta checks on `POST /me/messenger_profile` (docs/emulator.md, "Messenger Profile on
//! the phone page"): a `default` locale in the greeting, ice breakers and menu; greeting ≤ 160
//! characters; ≤ 4 ice breakers per locale, not mixing the current and legacy formats; ≤ 20
//! menu items with titles ≤ 30 and payloads ≤ 1000; a menu only with Get Started; and 10 calls
//! per 10 minutes per Page (`613`).

use serde_json::{Map, Value};

use crate::error::GraphError;

/// Meta's window for the profile's rate limit, and how many calls it allows.
const WINDOW_MS: i64 = 10 * 60 * 1000;
const CALLS: usize = 10;

/// Counts a call at `now` against the page's recent calls; `613` beyond the limit.
pub fn count_call(calls: &mut Vec<i64>, now: i64) -> Result<(), GraphError> {
    calls.retain(|t| now - t < WINDOW_MS);
    if calls.len() >= CALLS {
        return Err(GraphError::rate_limited());
    }
    calls.push(now);
    Ok(())
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn locales<'a>(field: &str, list: &'a Value) -> Result<&'a Vec<Value>, GraphError> {
    let list = list
        .as_array()
        .ok_or_else(|| GraphError::param(format!("param {field} must be an array")))?;
    if !list.iter().any(|l| l["locale"] == "default") {
        return Err(GraphError::param(format!(
            "param {field} must include a default locale"
        )));
    }
    Ok(list)
}

/// `fields` (the properties being set) after `current` (what the page has).
pub fn check(fields: &Map<String, Value>, current: &Map<String, Value>) -> Result<(), GraphError> {
    if let Some(g) = fields.get("greeting") {
        for l in locales("greeting", g)? {
            if chars(&l["text"]) > 160 {
                return Err(GraphError::param(
                    "param greeting[text] must be at most 160 characters",
                ));
            }
        }
    }
    if let Some(list) = fields.get("ice_breakers").and_then(Value::as_array) {
        let current_format = list.iter().any(|l| l.get("call_to_actions").is_some());
        let legacy_format = list.iter().any(|l| l.get("question").is_some());
        if current_format && legacy_format {
            return Err(GraphError::param(
                "ice_breakers cannot mix the locale format with the legacy format",
            ));
        }
        if current_format {
            for l in locales("ice_breakers", &fields["ice_breakers"])? {
                if l["call_to_actions"].as_array().map_or(0, Vec::len) > 4 {
                    return Err(GraphError::param("at most 4 ice breakers per locale"));
                }
            }
        } else if list.len() > 4 {
            return Err(GraphError::param("at most 4 ice breakers"));
        }
    }
    if let Some(menu) = fields.get("persistent_menu") {
        let has_get_started =
            fields.contains_key("get_started") || current.contains_key("get_started");
        if !has_get_started {
            return Err(GraphError::param(
                "You must set a Get Started button if you also wish to use persistent menu.",
            ));
        }
        for l in locales("persistent_menu", menu)? {
            let items = l["call_to_actions"]
                .as_array()
                .map_or(&[][..], Vec::as_slice);
            if items.len() > 20 {
                return Err(GraphError::param("at most 20 persistent menu items"));
            }
            for item in items {
                if chars(&item["title"]) > 30 {
                    return Err(GraphError::param(
                        "param persistent_menu[call_to_actions][title] must be at most 30 characters",
                    ));
                }
                if chars(&item["payload"]) > 1000 {
                    return Err(GraphError::param("payload must be at most 1000 characters"));
                }
            }
        }
    }
    if let Some(g) = fields.get("get_started")
        && (g["payload"].as_str().is_none_or(str::is_empty) || chars(&g["payload"]) > 1000)
    {
        return Err(GraphError::param(
            "param get_started[payload] must be 1 to 1000 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn metas_checks() {
        let none = Map::new();
        assert!(
            check(
                &fields(json!({"greeting": [{"locale": "vi_VN", "text": "x"}]})),
                &none
            )
            .is_err()
        );
        assert!(
            check(
                &fields(json!({"greeting": [{"locale": "default", "text": "x".repeat(161)}]})),
                &none
            )
            .is_err()
        );
        assert!(
            check(
                &fields(
                    json!({"greeting": [{"locale": "default", "text": "Hi {{user_first_name}}"}]})
                ),
                &none
            )
            .is_ok()
        );
        let menu = json!({"persistent_menu": [{"locale": "default", "call_to_actions": [{"type": "postback", "title": "Help", "payload": "H"}]}]});
        assert!(
            check(&fields(menu.clone()), &none).is_err(),
            "a menu needs Get Started"
        );
        let with_start = fields(json!({"get_started": {"payload": "GO"}}));
        assert!(check(&fields(menu), &with_start).is_ok());
        let q = json!({"question": "q", "payload": "p"});
        let five = json!({"ice_breakers": [{"locale": "default", "call_to_actions": vec![q; 5]}]});
        assert!(check(&fields(five), &none).is_err());
        let mixed = json!({"ice_breakers": [{"question": "q", "payload": "p"}, {"locale": "default", "call_to_actions": []}]});
        assert!(check(&fields(mixed), &none).is_err());
    }

    #[test]
    fn ten_calls_per_ten_minutes() {
        let mut calls = vec![];
        for i in 0..10 {
            assert!(count_call(&mut calls, i).is_ok());
        }
        assert!(count_call(&mut calls, 11).is_err());
        assert!(
            count_call(&mut calls, WINDOW_MS + 1).is_ok(),
            "the first call left the window"
        );
    }
}
