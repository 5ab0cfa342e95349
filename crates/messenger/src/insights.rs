//! The Page's messaging insights (`GET /{page-id}/insights`): blocked and reported conversations
//! and new conversations per day, which reach no webhook. Values come as numbers or strings.

#[cfg(feature = "client")]
use crate::graph_client::{GraphClient, SendError};

/// The metrics Meta lists as available (2026-03-27); removed names are errors.
pub const PAGE_METRICS: [&str; 4] = [
    "page_messages_blocked_conversations_unique",
    "page_messages_reported_conversations_unique",
    "page_messages_new_conversations_unique",
    "page_messages_total_messaging_connections",
];

/// One metric's value for the day ending at `end_time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightValue {
    pub metric: String,
    /// `YYYY-MM-DD`: the day the value counts (the day before `end_time`).
    pub day: String,
    pub value: i64,
}

/// Reads Graph's answer: `{"data": [{"name", "values": [{"value", "end_time"}]}]}`.
pub fn read(answer: &serde_json::Value) -> Vec<InsightValue> {
    let mut out = vec![];
    for metric in answer["data"].as_array().into_iter().flatten() {
        let Some(name) = metric["name"].as_str() else {
            continue;
        };
        for v in metric["values"].as_array().into_iter().flatten() {
            let value = crate::lenient::value_to_i64(&v["value"]);
            let end = v["end_time"].as_str().and_then(|e| e.get(..10));
            let day = end
                .and_then(|e| e.parse::<jiff::civil::Date>().ok())
                .and_then(|d| d.yesterday().ok());
            if let (Some(value), Some(day)) = (value, day) {
                out.push(InsightValue {
                    metric: name.to_owned(),
                    day: day.to_string(),
                    value,
                });
            }
        }
    }
    out
}

#[cfg(feature = "client")]
impl GraphClient {
    /// Daily values of [`PAGE_METRICS`] for the days `since` to `until` (exclusive, `YYYY-MM-DD`).
    pub async fn page_insights(
        &self,
        page_token: &str,
        page_id: &str,
        since: &str,
        until: &str,
    ) -> Result<Vec<InsightValue>, SendError> {
        let url = format!("{}/{page_id}/insights", self.base);
        let query = [
            ("metric", PAGE_METRICS.join(",")),
            ("period", "day".to_owned()),
            ("since", since.to_owned()),
            ("until", until.to_owned()),
        ];
        let answer: serde_json::Value = self
            .call(
                self.http.get(&url).bearer_auth(page_token).query(&query),
                &url,
            )
            .await?;
        Ok(read(&answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_numbers_or_strings_count_for_the_day_before_end_time() {
        let answer = serde_json::json!({"data": [
            {"name": "page_messages_blocked_conversations_unique", "period": "day",
             "values": [{"value": 2, "end_time": "2026-11-30T08:00:00+0000"},
                        {"value": "3", "end_time": "2026-12-01T08:00:00+0000"}]}]});
        let v = read(&answer);
        assert_eq!(
            v,
            [
                InsightValue {
                    metric: "page_messages_blocked_conversations_unique".into(),
                    day: "2026-11-29".into(),
                    value: 2
                },
                InsightValue {
                    metric: "page_messages_blocked_conversations_unique".into(),
                    day: "2026-11-30".into(),
                    value: 3
                }
            ]
        );
    }
}
