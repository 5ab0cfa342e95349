//! From a raw webhook body to [`Event`]s.
//!
//! Be liberal: a byte-order mark, ids as numbers, watermarks as strings, the hyphenated
//! `policy-enforcement` key and missing timestamps are all accepted. An item this code does
//! not understand becomes [`Payload::Unknown`] with the reason; only a body that is not JSON,
//! or JSON that is not a webhook envelope at all, is an error.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::event::*;
use crate::lenient;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ParseError {
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a webhook envelope: {0} (expected {{\"object\": \"page\", \"entry\": [...]}})")]
    Shape(String),
}

/// Parses a whole webhook body (`{"object":"page","entry":[…]}`) into its events, in order.
pub fn parse_body(body: &[u8]) -> Result<Vec<Event>, ParseError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut root: Value = serde_json::from_slice(body).map_err(|e| ParseError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    scrub_nul(&mut root);
    parse_envelope(&root)
}

/// NUL characters (`\u0000`) become U+FFFD: nobody types one, and PostgreSQL's text cannot hold
/// it, so a body carrying one would otherwise be stored on SQLite and refused on PostgreSQL.
fn scrub_nul(v: &mut Value) {
    match v {
        Value::String(s) if s.contains('\0') => *s = s.replace('\0', "\u{fffd}"),
        Value::Array(items) => items.iter_mut().for_each(scrub_nul),
        Value::Object(fields) => fields.values_mut().for_each(scrub_nul),
        _ => {}
    }
}

pub fn parse_envelope(root: &Value) -> Result<Vec<Event>, ParseError> {
    let obj = root
        .as_object()
        .ok_or_else(|| ParseError::Shape(format!("the body is a JSON {}", json_type(root))))?;
    match obj.get("object") {
        Some(Value::String(_)) => {}
        Some(other) => {
            return Err(ParseError::Shape(format!(
                "`object` is a JSON {}",
                json_type(other)
            )));
        }
        None => return Err(ParseError::Shape("`object` is missing".into())),
    }
    let entries = match obj.get("entry") {
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            return Err(ParseError::Shape(format!(
                "`entry` is a JSON {}",
                json_type(other)
            )));
        }
        None => return Err(ParseError::Shape("`entry` is missing".into())),
    };
    let mut events = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_object() else {
            return Err(ParseError::Shape(format!(
                "`entry[{i}]` is a JSON {}",
                json_type(entry)
            )));
        };
        let page_id = entry
            .get("id")
            .and_then(lenient::scalar_to_string)
            .unwrap_or_default();
        let entry_time = entry
            .get("time")
            .and_then(lenient::value_to_i64)
            .map(lenient::to_millis);
        for (key, channel) in [
            ("messaging", Channel::Messaging),
            ("standby", Channel::Standby),
        ] {
            for item in entry
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                events.push(messaging_event(&page_id, entry_time, channel, item));
            }
        }
        for change in entry
            .get("changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            events.push(change_event(&page_id, entry_time, change));
        }
    }
    Ok(events)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn id_of(item: &Value, key: &str) -> Option<String> {
    item.get(key)?.get("id").and_then(lenient::scalar_to_string)
}

fn messaging_event(
    page_id: &str,
    entry_time: Option<i64>,
    channel: Channel,
    item: &Value,
) -> Event {
    // The marketing object also arrives as a `messaging` item, recognised by its field name.
    if let Some(field) = item.get("field").and_then(Value::as_str)
        && field.starts_with("marketing_message_")
    {
        return change_event(
            page_id,
            entry_time,
            &serde_json::json!({"field": field, "value": item}),
        );
    }
    let time = item
        .get("timestamp")
        .and_then(lenient::value_to_i64)
        .map(lenient::to_millis)
        .or(entry_time);
    Event {
        page_id: page_id.to_owned(),
        sender: id_of(item, "sender"),
        recipient: id_of(item, "recipient"),
        time,
        channel,
        payload: classify(item).unwrap_or_else(|reason| {
            Payload::Unknown(Unknown {
                reason,
                raw: item.clone(),
            })
        }),
    }
}

/// The event kind is the one known field the item carries.
fn classify(item: &Value) -> Result<Payload, String> {
    if !item.is_object() {
        return Err(format!(
            "a messaging item must be an object, not a JSON {}",
            json_type(item)
        ));
    }
    let field = |name: &str| item.get(name).filter(|v| !v.is_null());
    if let Some(m) = field("message") {
        let is_echo = m.get("is_echo").and_then(Value::as_bool).unwrap_or(false);
        return if is_echo {
            typed("message", m).map(Payload::Echo)
        } else {
            typed("message", m).map(Payload::Message)
        };
    }
    if let Some(v) = field("delivery") {
        return typed("delivery", v).map(Payload::Delivery);
    }
    if let Some(v) = field("read") {
        return typed("read", v).map(Payload::Read);
    }
    if let Some(v) = field("postback") {
        return typed("postback", v).map(Payload::Postback);
    }
    if let Some(v) = field("referral") {
        return typed("referral", v).map(Payload::Referral);
    }
    if let Some(v) = field("optin") {
        let raw: RawOptin = typed("optin", v)?;
        return Optin::try_from(raw).map(Payload::Optin);
    }
    if let Some(v) = field("reaction") {
        return typed("reaction", v).map(Payload::Reaction);
    }
    if let Some(v) = field("pass_thread_control") {
        return typed("pass_thread_control", v).map(Payload::PassThreadControl);
    }
    if let Some(v) = field("take_thread_control") {
        return typed("take_thread_control", v).map(Payload::TakeThreadControl);
    }
    if let Some(v) = field("request_thread_control") {
        return typed("request_thread_control", v).map(Payload::RequestThreadControl);
    }
    if let Some(v) = field("app_roles") {
        return AppRoles::from_value(v).map(Payload::AppRoles);
    }
    // Early docs (and Bottender's fixtures) spell it with a hyphen.
    if let Some(v) = field("policy_enforcement").or_else(|| field("policy-enforcement")) {
        return typed("policy_enforcement", v).map(Payload::PolicyEnforcement);
    }
    let keys: Vec<&str> = item
        .as_object()
        .map(|o| {
            o.keys()
                .map(String::as_str)
                .filter(|k| !["sender", "recipient", "timestamp"].contains(k))
                .collect()
        })
        .unwrap_or_default();
    Err(if keys.is_empty() {
        "no event field".to_owned()
    } else {
        format!("no known event field (has: {})", keys.join(", "))
    })
}

fn typed<T: DeserializeOwned>(field: &str, v: &Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| format!("`{field}` has an unusable shape: {e}"))
}

fn change_event(page_id: &str, entry_time: Option<i64>, change: &Value) -> Event {
    let field = change.get("field").and_then(Value::as_str).unwrap_or("");
    let value = change.get("value").cloned().unwrap_or(Value::Null);
    let unknown = |reason: String| Event {
        page_id: page_id.to_owned(),
        sender: None,
        recipient: None,
        time: entry_time,
        channel: Channel::Messaging,
        payload: Payload::Unknown(Unknown {
            reason,
            raw: change.clone(),
        }),
    };
    if let Some(m) = crate::marketing::MarketingEvent::from_change(field, &value) {
        return Event {
            page_id: page_id.to_owned(),
            sender: None,
            recipient: value
                .get("recipient_id")
                .and_then(lenient::scalar_to_string),
            time: value
                .get("timestamp")
                .and_then(lenient::value_to_i64)
                .map(lenient::to_millis)
                .or(entry_time),
            channel: Channel::Messaging,
            payload: Payload::MarketingMessage(m),
        };
    }
    let item = value.get("item").and_then(Value::as_str).unwrap_or("");
    if field != "feed" || !matches!(item, "comment" | "status" | "photo" | "video" | "post") {
        return unknown(format!(
            "change of field `{field}`, item `{item}` is not handled"
        ));
    }
    let s = |k: &str| value.get(k).and_then(lenient::scalar_to_string);
    let created_time = value
        .get("created_time")
        .and_then(lenient::value_to_i64)
        .map(lenient::to_millis);
    let post = |k: &str| {
        value
            .get("post")
            .and_then(|p| p.get(k))
            .and_then(lenient::scalar_to_string)
    };
    let comment = FeedComment {
        item: item.to_owned(),
        comment_id: s("comment_id"),
        post_id: s("post_id"),
        parent_id: s("parent_id"),
        verb: s("verb"),
        from_id: value
            .get("from")
            .and_then(|f| f.get("id"))
            .and_then(lenient::scalar_to_string),
        from_name: value
            .get("from")
            .and_then(|f| f.get("name"))
            .and_then(lenient::scalar_to_string),
        message: s("message"),
        created_time,
        photo: s("photo"),
        video: s("video"),
        permalink_url: post("permalink_url").or_else(|| s("permalink_url")),
    };
    Event {
        page_id: page_id.to_owned(),
        sender: comment.from_id.clone(),
        recipient: Some(page_id.to_owned()),
        time: created_time.or(entry_time),
        channel: Channel::Messaging,
        payload: Payload::FeedComment(comment),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_says_where() {
        let err = parse_body(b"{\"object\": \"page\", \"entry\": [,]}").unwrap_err();
        assert!(matches!(err, ParseError::Json { line: 1, .. }), "{err}");
    }

    #[test]
    fn wrong_shape_is_an_error_naming_the_field() {
        assert_eq!(
            parse_body(b"[1,2]").unwrap_err(),
            ParseError::Shape("the body is a JSON array".into())
        );
        let err = parse_body(br#"{"object":"page","entry":{"id":1}}"#).unwrap_err();
        assert_eq!(err, ParseError::Shape("`entry` is a JSON object".into()));
        let err = parse_body(br#"{"entry":[]}"#).unwrap_err();
        assert_eq!(err, ParseError::Shape("`object` is missing".into()));
    }

    #[test]
    fn a_kind_from_the_future_is_unknown_not_an_error() {
        let body = br#"{"object":"page","entry":[{"id":"1","time":1,"messaging":[
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1700000000000,"message_edit":{"mid":"m1","text":"x"}}]}]}"#;
        let events = parse_body(body).unwrap();
        assert_eq!(events.len(), 1);
        match &events[0].payload {
            Payload::Unknown(u) => assert!(u.reason.contains("message_edit"), "{}", u.reason),
            other => panic!("expected unknown, got {other:?}"),
        }
        assert_eq!(events[0].sender.as_deref(), Some("2"));
    }

    #[test]
    fn a_known_field_of_the_wrong_shape_is_unknown_with_reason() {
        let body = br#"{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"message":5}]}]}"#;
        let events = parse_body(body).unwrap();
        match &events[0].payload {
            Payload::Unknown(u) => assert!(
                u.reason.starts_with("`message` has an unusable shape"),
                "{}",
                u.reason
            ),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn dedupe_key_is_stable_and_uses_mid() {
        let body = br#"{"object":"page","entry":[{"id":"1","time":5,"messaging":[
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1700000000000,"message":{"mid":"m.1","text":"hi"}},
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1700000000001,"read":{"watermark":1700000000000}}]}]}"#;
        let a = parse_body(body).unwrap();
        let b = parse_body(body).unwrap();
        assert_eq!(a[0].dedupe_key(), "mid:m.1");
        assert_eq!(a[1].dedupe_key(), b[1].dedupe_key());
        assert_ne!(a[0].dedupe_key(), a[1].dedupe_key());
    }

    #[test]
    fn seconds_are_normalised_to_milliseconds() {
        let body = br#"{"object":"page","entry":[{"id":"1","time":1773144000,"messaging":[{"sender":{"id":"2"},"read":{"watermark":"1"}}]}]}"#;
        assert_eq!(parse_body(body).unwrap()[0].time, Some(1_773_144_000_000));
    }
}
