//! The small values a document is made of, each checked as it is read so that a mistake is
//! reported with its line and field: texts in several languages, lengths of time, bounded
//! lists and strings (Meta's limits).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// The keys a text may have besides `default`: the five languages Fenestra speaks.
pub const LANGUAGES: [&str; 5] = ["vi", "en", "ar", "ms", "it"];

/// A text in several languages: `default` and any of `vi`, `en`, `ar`, `ms`, `it`. A plain
/// string is the `default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts(BTreeMap<String, String>);

impl Texts {
    pub fn new(default: &str) -> Texts {
        Texts(BTreeMap::from([("default".to_owned(), default.to_owned())]))
    }

    /// The text for a customer's Messenger locale (`vi_VN` → `vi`; Indonesian reads Malay),
    /// else `default`.
    pub fn pick(&self, locale: Option<&str>) -> &str {
        let lang = locale
            .filter(|l| !l.is_empty())
            .map(|l| i18n::Lang::of_customer(Some(l)).tag());
        lang.and_then(|l| self.0.get(l))
            .or_else(|| self.0.get("default"))
            .map_or("", String::as_str)
    }

    /// `(key, text)` pairs, `default` among them.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The languages written besides `default`.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "default")
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Texts, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(BTreeMap<String, String>),
        }
        let map = match Raw::deserialize(d).map_err(|_| {
            de::Error::custom("expected a text, or texts by language: {default: \"…\", vi: \"…\"}")
        })? {
            Raw::One(s) => BTreeMap::from([("default".to_owned(), s)]),
            Raw::Many(m) => m,
        };
        if let Some(k) = map
            .keys()
            .find(|k| *k != "default" && !LANGUAGES.contains(&k.as_str()))
        {
            return Err(de::Error::custom(format!(
                "unknown language `{k}`: write default, {}",
                LANGUAGES.join(", ")
            )));
        }
        if !map.contains_key("default") {
            return Err(de::Error::custom(
                "a `default` text is needed: customers whose language has no text get it",
            ));
        }
        if let Some((k, _)) = map.iter().find(|(_, v)| v.trim().is_empty()) {
            return Err(de::Error::custom(format!("the `{k}` text is empty")));
        }
        Ok(Texts(map))
    }
}

impl Serialize for Texts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A length of time as people write it: `15m`, `7d`, `2h 30m`, `90s`; kept as written so an
/// exported document reads like the one applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    written: String,
    value: Duration,
}

impl Period {
    pub fn parse(written: &str) -> Result<Period, String> {
        let bad = || format!("`{written}` is not a length of time: write 15m, 2h, 7d or 1w");
        let span: jiff::Span = written.trim().parse().map_err(|_| bad())?;
        let duration = span
            .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
            .map_err(|_| bad())?;
        let value = Duration::try_from(duration).map_err(|_| bad())?;
        if value.is_zero() {
            return Err(format!("`{written}` is no time at all"));
        }
        Ok(Period {
            written: written.trim().to_owned(),
            value,
        })
    }

    pub fn duration(&self) -> Duration {
        self.value
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s).map_err(de::Error::custom)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.written)
    }
}

/// A list of at most `MAX` items (one of Meta's limits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited<T, const MAX: usize>(pub Vec<T>);

impl<T, const MAX: usize> Default for Limited<T, MAX> {
    fn default() -> Self {
        Limited(Vec::new())
    }
}

impl<T, const MAX: usize> Limited<T, MAX> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for Limited<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        if items.len() > MAX {
            return Err(de::Error::custom(format!(
                "at most {MAX} (Meta's limit), found {}",
                items.len()
            )));
        }
        Ok(Limited(items))
    }
}

impl<T: Serialize, const MAX: usize> Serialize for Limited<T, MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A non-empty string of at most `MAX` characters (one of Meta's limits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bounded<const MAX: usize>(String);

impl<const MAX: usize> Bounded<MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for Bounded<MAX> {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let n = s.chars().count();
        if s.trim().is_empty() {
            Err("is empty".to_owned())
        } else if n > MAX {
            Err(format!(
                "at most {MAX} characters (Meta's limit), found {n}: \"{s}\""
            ))
        } else {
            Ok(Bounded(s))
        }
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Bounded<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Bounded::try_from(String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl<const MAX: usize> Serialize for Bounded<MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<const MAX: usize> fmt::Display for Bounded<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A postback or quick-reply payload: what Meta sends back when the button is tapped.
pub type Payload = Bounded<1000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_people_write_them() {
        let secs = |s: &str| Period::parse(s).map(|p| p.duration().as_secs());
        assert_eq!(secs("15m"), Ok(900));
        assert_eq!(secs("7d"), Ok(7 * 86_400));
        assert_eq!(secs("1w"), Ok(7 * 86_400));
        assert_eq!(secs("2h 30m"), Ok(9_000));
        assert!(secs("0s").unwrap_err().contains("no time"));
        assert!(secs("soon").unwrap_err().contains("not a length of time"));
        assert!(secs("-5m").is_err());
    }

    #[test]
    fn a_text_picks_the_customers_language_else_the_default() {
        let t: Texts = serde_json::from_str(r#"{"default":"Hi","vi":"Chào"}"#).unwrap();
        assert_eq!(t.pick(Some("vi_VN")), "Chào");
        assert_eq!(t.pick(Some("it_IT")), "Hi");
        assert_eq!(t.pick(None), "Hi");
        let plain: Texts = serde_json::from_str(r#""Hello""#).unwrap();
        assert_eq!(plain.pick(Some("vi_VN")), "Hello");
        let err = |j: &str| serde_json::from_str::<Texts>(j).unwrap_err().to_string();
        assert!(err(r#"{"vi":"Chào"}"#).contains("`default` text is needed"));
        assert!(err(r#"{"default":"x","fr":"y"}"#).contains("unknown language `fr`"));
        assert!(err(r#"{"default":" "}"#).contains("empty"));
    }

    #[test]
    fn limits_name_the_limit_and_the_count() {
        let err = serde_json::from_str::<Limited<u8, 2>>("[1,2,3]").unwrap_err();
        assert!(
            err.to_string()
                .contains("at most 2 (Meta's limit), found 3")
        );
        let err = serde_json::from_str::<Bounded<5>>(r#""too long""#).unwrap_err();
        assert!(err.to_string().contains("at most 5 characters"));
    }
}
