//! Where a recipient is, as far as Meta's regional rules go: the paid Marketing Message API does
//! not reach people in the EU, the UK, Japan, South Korea and Australia, and those are exactly the
//! places where recurring notifications kept working after 2026-02-10.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// An ISO 3166-1 alpha-2 country code, upper case (`VN`, `IT`, `GB`). `UK` is read as `GB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region([u8; 2]);

/// The 27 member states of the European Union (Greece is `GR` in ISO 3166).
const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];
const OTHERS: [&str; 4] = ["GB", "JP", "KR", "AU"];

impl Region {
    pub fn parse(code: &str) -> Option<Region> {
        let upper = code.trim().to_ascii_uppercase();
        let upper = if upper == "UK" {
            "GB".to_owned()
        } else {
            upper
        };
        match upper.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some(Region([*a, *b])),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("two ASCII letters")
    }

    /// The EU, `GB`, `JP`, `KR` or `AU`: no paid marketing messages reach it, and recurring
    /// notifications still do after their discontinuation elsewhere.
    pub fn outside_marketing_messages(&self) -> bool {
        let code = self.as_str();
        EU.contains(&code) || OTHERS.contains(&code)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Region, D::Error> {
        let raw = String::deserialize(d)?;
        Region::parse(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{raw}` is not an ISO 3166 country code such as VN or IT"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excluded_regions() {
        for code in ["it", "DE", "GR", "uk", "GB", "JP", "KR", "AU", "SE"] {
            assert!(
                Region::parse(code).unwrap().outside_marketing_messages(),
                "{code}"
            );
        }
        for code in ["VN", "MY", "SA", "AE", "US", "CH", "NO", "TR", "EL"] {
            assert!(
                !Region::parse(code).unwrap().outside_marketing_messages(),
                "{code}"
            );
        }
        assert_eq!(Region::parse("uk").unwrap().as_str(), "GB");
        assert!(Region::parse("VNM").is_none());
        assert!(Region::parse("1A").is_none());
    }
}
