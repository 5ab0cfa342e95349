//! Segments: which of a Page's contacts an audience or a broadcast means. A segment is a
//! document (JSON or YAML) of conditions that must all hold; an empty segment is every contact.
//! Reading one names the field at fault. [`PageFacts`] holds what the conditions look at
//! besides the contact's own row (labels, fields, tokens, bookings), loaded once per page, so
//! a million contacts are matched without a query each.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use store::{AudienceRow, ContactNotificationToken, ContactOneTimeToken, Store, Time};

/// Conditions on a contact; all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Segment {
    /// Has at least one of these labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels_any: Vec<String>,
    /// Has none of these labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels_none: Vec<String>,
    /// Fields customers gave (flows' answers, lead forms): present, or equal to a value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldCondition>,
    /// Wrote, tapped or arrived within this many days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_within_days: Option<u32>,
    /// Has not for at least this many days (or never).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inactive_for_days: Option<u32>,
    /// First source is this `ref` or kind (`ads`, `shortlink`, `comment`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_source: Option<String>,
    /// Latest source is this `ref` or kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_source: Option<String>,
    /// Messenger languages (`vi`, `en`, `ar`, `ms`, `it`…), from the profile's locale.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Countries (ISO 3166), from the profile's locale (`vi_VN` → `VN`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// `false` leaves out who asked to stop; `true` keeps only them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opted_out: Option<bool>,
    /// Subscribed to paid marketing messages (an active subscription) or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing: Option<bool>,
    /// Has an appointment to come, or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upcoming_booking: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCondition {
    pub field: String,
    /// `None`: the field is present, whatever its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

/// Why a segment cannot be read: the field at fault and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{path}: {message}")]
pub struct SegmentError {
    pub path: String,
    pub message: String,
}

impl Segment {
    /// Reads a segment from JSON or YAML.
    pub fn parse(input: &str) -> Result<Segment, SegmentError> {
        let value: serde_json::Value = yaml_serde::from_str(input).map_err(|e| SegmentError {
            path: "(document)".into(),
            message: e.to_string(),
        })?;
        Segment::from_value(value)
    }

    pub fn from_value(value: serde_json::Value) -> Result<Segment, SegmentError> {
        let value = if value.is_null() {
            serde_json::json!({})
        } else {
            value
        };
        let segment: Segment = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            SegmentError {
                path: if path == "." {
                    "segment".into()
                } else {
                    format!("segment.{path}")
                },
                message: e.into_inner().to_string(),
            }
        })?;
        segment.check()?;
        Ok(segment)
    }

    fn check(&self) -> Result<(), SegmentError> {
        if let (Some(a), Some(i)) = (self.active_within_days, self.inactive_for_days)
            && i >= a
        {
            return Err(SegmentError {
                path: "segment.inactive_for_days".into(),
                message: format!(
                    "no one can be active within {a} days and inactive for {i}: the segment would be empty"
                ),
            });
        }
        if let Some(c) = self.countries.iter().find(|c| c.len() != 2) {
            return Err(SegmentError {
                path: "segment.countries".into(),
                message: format!("`{c}` is not a two-letter ISO 3166 country code"),
            });
        }
        Ok(())
    }

    /// Whether the page's contact `c` is in the segment at `now`.
    pub fn matches(&self, c: &AudienceRow, facts: &PageFacts, now: Time) -> bool {
        let labels = facts.labels.get(&c.psid);
        let has = |l: &String| labels.is_some_and(|ls| ls.contains(l));
        if !self.labels_any.is_empty() && !self.labels_any.iter().any(has) {
            return false;
        }
        if self.labels_none.iter().any(has) {
            return false;
        }
        let fields = facts.fields.get(&c.psid);
        for f in &self.fields {
            let value = fields.and_then(|fs| fs.get(&f.field));
            let ok = match &f.equals {
                None => value.is_some(),
                Some(want) => value.is_some_and(|v| v.trim().eq_ignore_ascii_case(want.trim())),
            };
            if !ok {
                return false;
            }
        }
        let days_since = c
            .last_interaction_at
            .map(|at| now.since(at).as_secs() / 86_400);
        if let Some(d) = self.active_within_days
            && days_since.is_none_or(|s| s >= u64::from(d))
        {
            return false;
        }
        if let Some(d) = self.inactive_for_days
            && days_since.is_some_and(|s| s < u64::from(d))
        {
            return false;
        }
        let source_is = |want: &str, kind: &Option<String>, r: &Option<String>| {
            [kind, r]
                .into_iter()
                .flatten()
                .any(|v| v.eq_ignore_ascii_case(want))
        };
        if let Some(s) = &self.first_source
            && !source_is(s, &c.source_kind, &c.source_ref)
        {
            return false;
        }
        if let Some(s) = &self.latest_source
            && !source_is(s, &c.latest_source_kind, &c.latest_source_ref)
        {
            return false;
        }
        let (language, country) = split_locale(c.locale.as_deref());
        if !self.languages.is_empty()
            && !language.is_some_and(|l| self.languages.iter().any(|w| w.eq_ignore_ascii_case(l)))
        {
            return false;
        }
        if !self.countries.is_empty()
            && !country.is_some_and(|k| self.countries.iter().any(|w| w.eq_ignore_ascii_case(k)))
        {
            return false;
        }
        if self.opted_out.is_some_and(|want| want != c.opted_out) {
            return false;
        }
        if let Some(want) = self.marketing
            && want != facts.subscribed(&c.psid)
        {
            return false;
        }
        if let Some(want) = self.upcoming_booking
            && want != facts.booked.contains(&c.psid)
        {
            return false;
        }
        true
    }
}

/// `vi_VN` → (`vi`, `VN`).
pub fn split_locale(locale: Option<&str>) -> (Option<&str>, Option<&str>) {
    let Some(l) = locale.filter(|l| !l.is_empty()) else {
        return (None, None);
    };
    match l.split_once(['_', '-']) {
        Some((lang, country)) => (Some(lang), Some(country)),
        None => (Some(l), None),
    }
}

/// What segments and plans read about a page's contacts besides their rows.
#[derive(Debug, Default)]
pub struct PageFacts {
    pub labels: HashMap<String, HashSet<String>>,
    pub fields: HashMap<String, HashMap<String, String>>,
    /// Each contact's tokens, oldest first.
    pub notification_tokens: HashMap<String, Vec<store::NotificationToken>>,
    pub one_time_tokens: HashMap<String, Vec<store::OneTimeToken>>,
    pub booked: HashSet<String>,
}

impl PageFacts {
    pub async fn load(store: &dyn Store, page_id: &str, now: Time) -> store::Result<PageFacts> {
        let (labels, fields, notification, one_time, booked) = tokio::try_join!(
            store.page_labels(page_id),
            store.page_fields(page_id),
            store.page_notification_tokens(page_id),
            store.page_one_time_tokens(page_id),
            store.psids_with_bookings(page_id, now),
        )?;
        let mut facts = PageFacts {
            booked: booked.into_iter().collect(),
            ..PageFacts::default()
        };
        for (psid, label) in labels {
            facts.labels.entry(psid).or_default().insert(label);
        }
        for f in fields {
            facts
                .fields
                .entry(f.psid)
                .or_default()
                .insert(f.field, f.value);
        }
        for ContactNotificationToken { psid, token } in notification {
            facts
                .notification_tokens
                .entry(psid)
                .or_default()
                .push(token);
        }
        for ContactOneTimeToken { psid, token } in one_time {
            facts.one_time_tokens.entry(psid).or_default().push(token);
        }
        Ok(facts)
    }

    /// The contact's marketing subscription: their latest `notification_messages` token.
    pub fn subscription(&self, psid: &str) -> Option<&store::NotificationToken> {
        self.notification_tokens.get(psid)?.last()
    }

    /// Whether the contact has a subscription Meta has not seen them stop.
    pub fn subscribed(&self, psid: &str) -> bool {
        self.subscription(psid).is_some_and(|t| {
            t.marketing_stopped_at.is_none() && t.status == store::TokenStatus::Active
        })
    }
}

/// Walks a page's contacts in PSID order, a page of rows at a time.
pub struct Contacts<'a> {
    store: &'a dyn Store,
    page_id: &'a str,
    after: String,
    done: bool,
}

/// Rows read per step.
pub const STEP: i64 = 5_000;

impl<'a> Contacts<'a> {
    pub fn new(store: &'a dyn Store, page_id: &'a str) -> Contacts<'a> {
        Contacts {
            store,
            page_id,
            after: String::new(),
            done: false,
        }
    }

    /// The next rows; empty at the end.
    pub async fn next(&mut self) -> store::Result<Vec<AudienceRow>> {
        if self.done {
            return Ok(vec![]);
        }
        let rows = self
            .store
            .audience_rows(self.page_id, &self.after, STEP)
            .await?;
        match rows.last() {
            Some(last) if rows.len() as i64 == STEP => self.after = last.psid.clone(),
            _ => self.done = true,
        }
        Ok(rows)
    }
}

/// How many of the page's contacts are in `segment` now.
pub async fn count(
    store: &dyn Store,
    page_id: &str,
    segment: &Segment,
) -> store::Result<(u64, u64)> {
    let now = Time::now();
    let facts = PageFacts::load(store, page_id, now).await?;
    let mut contacts = Contacts::new(store, page_id);
    let (mut total, mut matched) = (0, 0);
    loop {
        let rows = contacts.next().await?;
        if rows.is_empty() {
            break;
        }
        total += rows.len() as u64;
        matched += rows
            .iter()
            .filter(|c| segment.matches(c, &facts, now))
            .count() as u64;
    }
    Ok((matched, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_segment_names_its_field() {
        let e = Segment::parse("labels_any: [vip]\nactive_within_day: 3").unwrap_err();
        assert_eq!(e.path, "segment.active_within_day");
        assert!(e.message.contains("active_within_day"), "{e}");
        let e = Segment::parse("countries: [Italy]").unwrap_err();
        assert_eq!(e.path, "segment.countries");
        let e = Segment::parse("active_within_days: many").unwrap_err();
        assert_eq!(e.path, "segment.active_within_days");
        assert_eq!(Segment::parse("").unwrap(), Segment::default());
    }

    #[test]
    fn locales_split_into_language_and_country() {
        assert_eq!(split_locale(Some("vi_VN")), (Some("vi"), Some("VN")));
        assert_eq!(split_locale(Some("ar")), (Some("ar"), None));
        assert_eq!(split_locale(None), (None, None));
    }
}
