//! `GET /{page-id}/insights?metric=…&period=day&since=&until=`: the Page's messaging insights,
//! counted from what the emulated customers did, per UTC day. Only the metrics Meta lists as
//! available answer; a removed one is an invalid-metric error, no `metric` is `3001`/`1504028`.

use std::collections::HashMap;

use jiff::civil::Date;
use serde_json::{Value, json};

use crate::error::GraphError;
use crate::state::State as S;

const DAY_MS: i64 = 86_400_000;

const AVAILABLE: [&str; 4] = [
    "page_messages_total_messaging_connections",
    "page_messages_new_conversations_unique",
    "page_messages_blocked_conversations_unique",
    "page_messages_reported_conversations_unique",
];

fn day_start(d: Date) -> i64 {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or_default()
}

fn date_param(q: &HashMap<String, String>, key: &str) -> Result<Option<Date>, GraphError> {
    q.get(key)
        .map(|v| {
            v.parse::<Date>()
                .map_err(|_| GraphError::param(format!("(#100) {key} must be a date (YYYY-MM-DD)")))
        })
        .transpose()
}

pub fn page_insights(st: &S, q: &HashMap<String, String>, now: i64) -> Result<Value, GraphError> {
    let metrics: Vec<&str> = q
        .get("metric")
        .map(|m| {
            m.split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if metrics.is_empty() {
        return Err(GraphError::new(
            3001,
            Some(1_504_028),
            "Invalid query: a metric is needed",
        ));
    }
    if let Some(bad) = metrics.iter().find(|m| !AVAILABLE.contains(m)) {
        return Err(GraphError::param(format!(
            "(#100) The value must be a valid insights metric: {bad}"
        )));
    }
    if q.get("period").is_some_and(|p| p != "day") {
        return Err(GraphError::param("(#100) Only period=day is emulated"));
    }
    let today = jiff::Timestamp::from_millisecond(now)
        .unwrap_or_default()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let until = date_param(q, "until")?.unwrap_or(today);
    let since = date_param(q, "since")?.unwrap_or(until.yesterday().unwrap_or(until));
    let mut days = vec![];
    let mut d = since;
    while d < until && days.len() < 93 {
        days.push(d);
        d = d.tomorrow().unwrap_or(until);
    }
    let first_wrote = |u: &crate::state::User| u.wrote.iter().map(|w| w.at).min();
    let in_day =
        |t: Option<i64>, start: i64| t.is_some_and(|t| (start..start + DAY_MS).contains(&t));
    let data: Vec<Value> = metrics
        .iter()
        .map(|metric| {
            let values: Vec<Value> = days
                .iter()
                .map(|d| {
                    let start = day_start(*d);
                    let users = st.users.values();
                    let n = match *metric {
                        "page_messages_new_conversations_unique" => {
                            users.filter(|u| in_day(first_wrote(u), start)).count()
                        }
                        "page_messages_blocked_conversations_unique" => {
                            users.filter(|u| in_day(u.blocked_at, start)).count()
                        }
                        "page_messages_reported_conversations_unique" => {
                            users.filter(|u| in_day(u.reported_at, start)).count()
                        }
                        _ => users
                            .filter(|u| {
                                first_wrote(u).is_some_and(|t| t < start + DAY_MS)
                                    && u.blocked_at.is_none_or(|b| b >= start + DAY_MS)
                            })
                            .count(),
                    };
                    // Meta's end_time is the end of the day, as an ISO 8601 instant.
                    let end = jiff::Timestamp::from_millisecond(start + DAY_MS)
                        .unwrap_or_default()
                        .strftime("%Y-%m-%dT%H:%M:%S+0000")
                        .to_string();
                    json!({"value": n, "end_time": end})
                })
                .collect();
            json!({"name": metric, "period": "day", "values": values,
                   "id": format!("{}/insights/{metric}/day", st.page.id)})
        })
        .collect();
    Ok(json!({ "data": data }))
}
