//! Which country a recurring-notification subscriber is in. Meta's opt-in carries no country,
//! only `notification_messages_timezone`; the policy contract derives the region from it, as
//! tzdata's zone table does (see `region/PROVENANCE.md`). `UTC` and unknown zones give none.

use std::collections::HashMap;
use std::sync::LazyLock;

static ZONES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("region/zone.tab")
        .lines()
        .filter_map(|line| {
            let (country, zone) = line.split_once('\t')?;
            Some((zone.trim(), country.trim()))
        })
        .collect()
});

/// Zones that are links to another name in tzdata but that people still send.
const ALIASES: [(&str, &str); 4] = [
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
];

/// The ISO 3166 country of an IANA time zone (`Europe/Rome` → `IT`), if it names one.
pub fn of_time_zone(zone: &str) -> Option<String> {
    let zone = zone.trim();
    let zone = ALIASES
        .iter()
        .find(|(alias, _)| *alias == zone)
        .map_or(zone, |(_, canonical)| canonical);
    ZONES.get(zone).map(|c| (*c).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_name_their_country() {
        for (zone, country) in [
            ("Europe/Rome", Some("IT")),
            ("Europe/Copenhagen", Some("DK")),
            ("Asia/Ho_Chi_Minh", Some("VN")),
            ("Asia/Saigon", Some("VN")),
            ("Asia/Kuala_Lumpur", Some("MY")),
            ("Asia/Riyadh", Some("SA")),
            ("Europe/London", Some("GB")),
            ("Asia/Tokyo", Some("JP")),
            ("Australia/Sydney", Some("AU")),
            ("UTC", None),
            ("Mars/Olympus", None),
        ] {
            assert_eq!(of_time_zone(zone).as_deref(), country, "{zone}");
        }
    }
}
