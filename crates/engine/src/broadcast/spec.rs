//! What the author of a broadcast asks for, as a document: the content (text per language,
//! `{{first_name}}`, an image, buttons), who (a segment or a saved audience), the utility
//! template for those outside the window, and when (now, at a time, or at the same local hour
//! for everyone, inside a send window). Reading one names the field at fault.

use std::collections::BTreeMap;

use automations::values::Texts;
use serde::{Deserialize, Serialize};

use crate::audience::Segment;
use crate::rich::Button;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BroadcastSpec {
    #[serde(default)]
    pub name: String,
    /// Per language (`default`, `vi`, `en`, `ar`, `ms`, `it`), with `{{first_name}}`.
    pub text: Texts,
    /// An image sent before the text (HTTPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Up to 3 buttons under the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Who: no segment and no audience is every contact of the Page.
    #[serde(default)]
    pub segment: Segment,
    /// A saved audience instead of a segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience_id: Option<i64>,
    /// For people outside the window: an approved utility template (non-promotional content only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility: Option<UtilityChoice>,
    /// The topic this message is about. A one-time notification token promises one message on
    /// its own topic: it is used only for a broadcast that names the same topic; recurring
    /// notification tokens too, when a topic is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Declared by the author; by default the text is judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotional: Option<bool>,
    #[serde(default)]
    pub schedule: Schedule,
}

/// An approved utility template and where each parameter's value comes from: literal text,
/// or `{{first_name}}`, `{{last_name}}`, `{{field.NAME}}`, `{{booking.date}}`, `{{booking.time}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UtilityChoice {
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// RFC 3339; absent: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<jiff::Timestamp>,
    /// Send at this hour (0–23) in each recipient's own time zone, from `at` on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_hour: Option<u8>,
    /// Hours `[from, to)` of the recipient's day when messages may go out (none: any hour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<[u8; 2]>,
    /// The time zone for recipients whose own is unknown (IANA; default UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// The send window the form proposes.
pub const DEFAULT_WINDOW: [u8; 2] = [8, 21];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{path}: {message}")]
pub struct SpecError {
    pub path: String,
    pub message: String,
}

impl BroadcastSpec {
    /// Reads a broadcast from JSON (the API) or YAML, checking what can be checked alone.
    pub fn from_value(value: serde_json::Value) -> Result<BroadcastSpec, SpecError> {
        let spec: BroadcastSpec = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            SpecError {
                path: if path == "." {
                    "(document)".into()
                } else {
                    path
                },
                message: e.into_inner().to_string(),
            }
        })?;
        spec.check()?;
        Ok(spec)
    }

    fn check(&self) -> Result<(), SpecError> {
        let fail = |path: &str, message: String| {
            Err(SpecError {
                path: path.into(),
                message,
            })
        };
        if let Some((lang, text)) = self.text.iter().find(|(_, t)| t.chars().count() > 640) {
            return fail(
                &format!("text.{lang}"),
                format!(
                    "{} characters: Messenger texts (and paid marketing messages) take at most 640",
                    text.chars().count()
                ),
            );
        }
        if self.buttons.len() > 3 {
            return fail("buttons", "at most 3 buttons".into());
        }
        if let Some(url) = &self.image_url
            && !url.starts_with("https://")
        {
            return fail("image_url", format!("`{url}` is not an https:// address"));
        }
        if let Some(h) = self.schedule.local_hour.filter(|h| *h > 23) {
            return fail(
                "schedule.local_hour",
                format!("{h} is not an hour (0 to 23)"),
            );
        }
        if let Some([from, to]) = self.schedule.window
            && (from > 23 || to > 24 || from >= to)
        {
            return fail(
                "schedule.window",
                format!(
                    "[{from}, {to}] is not a window of hours (from 0–23, to after from, up to 24)"
                ),
            );
        }
        if let Some(tz) = &self.schedule.timezone
            && jiff::tz::TimeZone::get(tz).is_err()
        {
            return fail(
                "schedule.timezone",
                format!("`{tz}` is not an IANA time zone"),
            );
        }
        if self.segment != Segment::default() && self.audience_id.is_some() {
            return fail(
                "audience_id",
                "give a segment or an audience, not both".into(),
            );
        }
        Ok(())
    }

    /// The text for a recipient, in their language, with their name filled in. Paid marketing
    /// messages keep `{{first_name}}`: Meta fills it.
    pub fn text_for(&self, locale: Option<&str>, first_name: Option<&str>) -> String {
        fill_name(self.text.pick(locale), first_name)
    }

    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        self.schedule
            .timezone
            .as_deref()
            .and_then(|t| jiff::tz::TimeZone::get(t).ok())
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

/// `{{first_name}}` → the name, or nothing (and no stray space before punctuation).
pub fn fill_name(text: &str, first_name: Option<&str>) -> String {
    match first_name.filter(|n| !n.trim().is_empty()) {
        Some(n) => text.replace("{{first_name}}", n.trim()),
        None => text
            .replace(" {{first_name}}", "")
            .replace("{{first_name}}", ""),
    }
}

impl BroadcastSpec {
    /// Whether a token on `topic` may carry this broadcast: one-time tokens only for the same
    /// topic; recurring ones unless the broadcast names another.
    pub fn fits_topic(&self, topic: Option<&str>, one_time: bool) -> bool {
        let same = |want: &str| topic.is_some_and(|t| t.trim().eq_ignore_ascii_case(want.trim()));
        match (&self.topic, one_time) {
            (Some(want), _) => same(want),
            (None, true) => false,
            (None, false) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wrong_broadcast_names_its_field() {
        let e = BroadcastSpec::from_value(json!({"text": "Hi", "schedule": {"window": [22, 8]}}))
            .unwrap_err();
        assert_eq!(e.path, "schedule.window");
        let e = BroadcastSpec::from_value(json!({"text": {"default": "Hi", "fr": "Salut"}}))
            .unwrap_err();
        assert_eq!(e.path, "text");
        let e = BroadcastSpec::from_value(json!({"txt": "Hi"})).unwrap_err();
        assert_eq!(e.path, "txt");
        assert!(e.message.contains("txt"), "{e}");
    }

    #[test]
    fn names_are_filled_in() {
        assert_eq!(
            fill_name("Chào {{first_name}}, sale!", Some("Lan")),
            "Chào Lan, sale!"
        );
        assert_eq!(fill_name("Hi {{first_name}}, sale!", None), "Hi, sale!");
    }
}
