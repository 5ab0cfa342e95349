//! Meta's paid Marketing Message API (`act_<AD_ACCOUNT_ID>/…`, from 2025-07-01): the request
//! bodies, what its `2300xxx` errors mean for a sender, and the webhook object of its
//! `marketing_message_*` fields. The calls themselves are in [`crate::graph_client`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::graph_error::GraphError;
use crate::send::OutgoingMessage;

/// `POST act_<AD_ACCOUNT_ID>/messages`: one message to one subscription token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketingSend {
    /// The campaign (Meta names it `message_id`).
    pub message_id: String,
    pub messenger_delivery_data: DeliveryData,
    pub message: OutgoingMessage,
    /// Skip people with organic activity more recent than this (error 2300052).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_conversation_gap_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryData {
    pub subscription_token: String,
}

/// `{"success": true, "marketing_message_tracking_id": "<uuid>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MarketingAnswer {
    #[serde(default)]
    pub marketing_message_tracking_id: Option<String>,
}

/// `POST act_<AD_ACCOUNT_ID>/message_campaign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCampaign {
    pub name: String,
    pub page_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_budget: Option<i64>,
    /// RFC 3339; Meta accepts from now to 30 days ahead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreatedCampaign {
    pub id: String,
}

/// `GET act_<AD_ACCOUNT_ID>/message_delivery_estimate`, in the currency's minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    #[serde(default)]
    pub estimate_delivery_lower_bound: i64,
    #[serde(default)]
    pub estimate_delivery_upper_bound: i64,
    #[serde(default)]
    pub estimate_cost_lower_bound: i64,
    #[serde(default)]
    pub estimate_cost_upper_bound: i64,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A row of `GET /<PAGE_ID>/notification_message_tokens`. Audience-derived tokens have no
/// recipient and no time zone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenRow {
    pub notification_messages_token: String,
    #[serde(default, deserialize_with = "crate::lenient::opt_string")]
    pub recipient_id: Option<String>,
    #[serde(default)]
    pub topic_title: Option<String>,
    #[serde(default)]
    pub notification_messages_timezone: Option<String>,
    #[serde(default)]
    pub user_token_status: Option<String>,
}

/// What a Marketing Message API error means for the sender. The API puts its `2300xxx` number
/// in `error.code`; Meta's reference table of 2026-04-24 is followed where its changelog differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketingMeaning {
    /// 2300034: the person stopped marketing messages (Meta's opt-out link; no webhook says so).
    Stopped,
    /// 2300035: less than 12 hours since the last marketing message to this person.
    TooSoon,
    /// 2300042, 2300043, 2300044: Meta's load caps; wait until the person talks to the Page again.
    LoadCap,
    /// 2300052, 2300036, 1893047: the person cannot receive one now.
    Unavailable,
    /// 2300032: the person is in a region the API does not reach.
    Region,
    /// 2300004, 2300005, 2300037: the token is not usable.
    TokenUnusable,
    /// The campaign is warming up or Meta's systems are busy: try again later (`seconds`).
    RetryLater { seconds: i64 },
    /// A budget is spent: nothing more goes out until `seconds` pass (Meta's
    /// `remaining_seconds`), or until someone raises it (`None`).
    BudgetReached { seconds: Option<i64> },
    /// The account, Page, terms or campaign need fixing by a person: stop sending.
    Setup,
    /// The request is wrong (payload, buttons, placeholders).
    Invalid,
}

impl MarketingMeaning {
    pub fn of(error: &GraphError) -> Option<MarketingMeaning> {
        use MarketingMeaning::*;
        let remaining = error
            .error_data
            .as_ref()
            .and_then(|d| d.get("remaining_seconds"))
            .and_then(Value::as_i64);
        Some(match error.code? {
            2300034 => Stopped,
            2300035 => TooSoon,
            2300042..=2300044 => LoadCap,
            2300052 | 2300036 | 1893047 => Unavailable,
            2300032 => Region,
            2300004 | 2300005 | 2300037 => TokenUnusable,
            2300012 | 2300041 => RetryLater { seconds: 15 * 60 },
            2300028 => RetryLater { seconds: 3_600 },
            2300055 | 2300057 | 2300060..=2300063 | 2300068 | 2300078 => {
                RetryLater { seconds: 30 * 60 }
            }
            2300054 => BudgetReached {
                seconds: Some(remaining.unwrap_or(3_600)),
            },
            2300053 | 2300056 | 2300058 | 2300059 => BudgetReached { seconds: remaining },
            2300000 | 2300001 | 2300006 | 2300011 | 2300013 | 2300019 | 2300030 | 2300031
            | 2300066 | 2300067 => Setup,
            2300010 | 2300026 | 2300027 | 2300038 | 2300064 => Invalid,
            _ => return None,
        })
    }
}

/// The object of a `marketing_message_*` webhook field (Meta documents only this inner object).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MarketingEvent {
    /// `echoes`, `deliveries`, `reads`, `clicks` or `delivery_failed`.
    pub what: String,
    pub tracking_id: Option<String>,
    pub token: Option<String>,
    pub campaign_id: Option<String>,
    pub mid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// The `marketing_message_*` field names, without the prefix.
pub const FIELDS: [&str; 5] = ["echoes", "deliveries", "reads", "clicks", "delivery_failed"];

impl MarketingEvent {
    /// Reads `value` of a change whose field is `marketing_message_<what>`.
    pub fn from_change(field: &str, value: &Value) -> Option<MarketingEvent> {
        let what = field.strip_prefix("marketing_message_")?;
        FIELDS.contains(&what).then_some(())?;
        let s = |k: &str| value.get(k).and_then(crate::lenient::scalar_to_string);
        Some(MarketingEvent {
            what: what.to_owned(),
            tracking_id: s("marketing_message_tracking_id"),
            token: s("messenger_subscription_token"),
            campaign_id: s("message_id"),
            mid: s("mid"),
            error_message: s("error_message"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marketing_error_has_one_meaning() {
        let error = |code: i64, data: Option<Value>| GraphError {
            message: String::new(),
            type_: None,
            code: Some(code),
            error_subcode: None,
            fbtrace_id: None,
            error_data: data,
            is_transient: None,
            error_user_title: None,
            error_user_msg: None,
        };
        use MarketingMeaning::*;
        assert_eq!(MarketingMeaning::of(&error(2300034, None)), Some(Stopped));
        assert_eq!(MarketingMeaning::of(&error(2300043, None)), Some(LoadCap));
        assert_eq!(
            MarketingMeaning::of(&error(
                2300054,
                Some(serde_json::json!({"remaining_seconds": 42}))
            )),
            Some(BudgetReached { seconds: Some(42) })
        );
        assert_eq!(
            MarketingMeaning::of(&error(2300012, None)),
            Some(RetryLater { seconds: 900 })
        );
        assert_eq!(MarketingMeaning::of(&error(100, None)), None);
    }

    #[test]
    fn marketing_webhooks_are_read_from_the_change_object() {
        let value = serde_json::json!({"recipient_id": 123, "page_id": 1001, "timestamp": 1767225600,
            "mid": "mid.$c1", "marketing_message_tracking_id": "98ec", "messenger_subscription_token": 777,
            "message_id": "555"});
        let e = MarketingEvent::from_change("marketing_message_deliveries", &value).unwrap();
        assert_eq!(e.what, "deliveries");
        assert_eq!(e.token.as_deref(), Some("777"));
        assert_eq!(e.tracking_id.as_deref(), Some("98ec"));
        assert!(MarketingEvent::from_change("feed", &value).is_none());
    }
}
