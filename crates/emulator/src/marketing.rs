//! Meta's paid Marketing Message API (from 2025-07-01), on the emulator's clock: campaigns with
//! their warm-up and budgets, sends to subscription tokens with the checks of
//! `../shared/spec/emulator.md` in their order, the token list, the cost estimate, insights, and
//! the `marketing_message_*` webhooks. Subscriptions are the customers' `notification_messages`
//! tokens (one per customer and Page).
//!
//! Invariants: a send is charged and reaches the customer only when every check passed; a
//! campaign's spend never exceeds its budget; nothing here reads Fenestra's `policy` crate.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::Emu;
use crate::error::GraphError;
use crate::rules::{DAY_MS, HOUR_MS, kept_recurring_notifications};
use crate::state::{Received, State as S, User};

/// 2025-07-01T00:00:00Z: the API opened to all tech providers.
pub const OPENED_MS: i64 = 1_751_328_000_000;
/// 2025-08-11T00:00:00Z: the spacing went from 24 to 12 hours.
const SPACING_12H_MS: i64 = 1_754_870_400_000;
/// 2026-04-10T00:00:00Z: load caps enforced on every send.
const LOAD_CAPS_MS: i64 = 1_775_779_200_000;
/// 2026-03-26T00:00:00Z: campaign creation refused for ad accounts in unsupported regions.
const REGION_AT_CREATION_MS: i64 = 1_774_483_200_000;

/// Where a business may send from.
const BUSINESS_REGIONS: [&str; 20] = [
    "AU", "BR", "CL", "CO", "HK", "IN", "ID", "IL", "MY", "MX", "NZ", "PE", "PH", "SA", "SG", "TW",
    "TH", "AE", "US", "VN",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub enabled: bool,
    pub ad_account_id: String,
    pub ad_account_region: String,
    pub page_region: String,
    pub payment_method: bool,
    pub terms: Terms,
    pub warmup_minutes: i64,
    pub price_per_delivered: i64,
    pub currency: String,
    pub min_organic_threads: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            enabled: true,
            ad_account_id: "5550001".into(),
            ad_account_region: "VN".into(),
            page_region: "VN".into(),
            payment_method: true,
            terms: Terms::default(),
            warmup_minutes: 60,
            price_per_delivered: 100,
            currency: "VND".into(),
            min_organic_threads: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Terms {
    pub business: bool,
    pub app: bool,
    pub page: bool,
    pub ad_account: bool,
}

impl Default for Terms {
    fn default() -> Terms {
        Terms {
            business: true,
            app: true,
            page: true,
            ad_account: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub page_id: String,
    pub daily_budget: Option<i64>,
    pub lifetime_budget: Option<i64>,
    pub start_time: i64,
    pub end_time: Option<i64>,
    pub created_at: i64,
    pub deleted: bool,
    pub spend: i64,
    /// Spend per UTC day of the clock (day number since the epoch).
    pub spend_by_day: BTreeMap<i64, i64>,
    pub delivered: u64,
    pub read: u64,
    pub clicks: u64,
}

/// A marketing message that reached a customer, for reads and clicks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivered {
    pub psid: String,
    pub token: String,
    pub campaign: String,
    pub tracking_id: String,
    pub mid: String,
    pub at: i64,
    pub read: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Marketing {
    pub settings: Settings,
    pub campaigns: BTreeMap<String, Campaign>,
    pub delivered: Vec<Delivered>,
    /// Opt-in requests sent: (PSID, title, clock ms).
    pub optin_requests: Vec<(String, String, i64)>,
    /// Clock times of token-list calls in the last hour (its rate limit).
    pub token_list_calls: Vec<i64>,
}

impl Marketing {
    /// The title of the last opt-in request `psid` received.
    pub fn last_request_title(&self, psid: &str) -> Option<String> {
        self.optin_requests
            .iter()
            .rev()
            .find(|(p, _, _)| p == psid)
            .map(|(_, t, _)| t.clone())
    }

    /// Meta allows one opt-in request per person per title per week.
    pub fn record_request(&mut self, psid: &str, title: &str, now: i64) -> Result<(), GraphError> {
        let recent = self
            .optin_requests
            .iter()
            .any(|(p, t, at)| p == psid && t == title && now - at < 7 * DAY_MS);
        if recent {
            return Err(GraphError::param(format!(
                "An opt-in request titled \"{title}\" was sent to this person less than 7 days ago"
            )));
        }
        self.optin_requests
            .push((psid.to_owned(), title.to_owned(), now));
        Ok(())
    }
}

/// An error of this API: its `2300xxx` number in `error.code`.
fn mm(code: i64, message: &str) -> GraphError {
    GraphError::new(code, None, format!("({code}) {message}"))
}

fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The checks every ad-account endpoint makes first.
fn open(st: &S, now: i64, account: &str) -> Result<(), GraphError> {
    if now < OPENED_MS {
        return Err(GraphError::unsupported("post"));
    }
    let s = &st.marketing.settings;
    if !s.enabled {
        return Err(GraphError::permission(
            "The Page is not onboarded to the Marketing Message API",
        ));
    }
    if account.trim_start_matches("act_") != s.ad_account_id {
        return Err(GraphError::unsupported("post"));
    }
    Ok(())
}

fn terms_and_payment(s: &Settings) -> Result<(), GraphError> {
    let t = &s.terms;
    for (ok, code, who) in [
        (t.business, 2300013, "business"),
        (t.app, 2300019, "app"),
        (t.page, 2300066, "Page"),
        (t.ad_account, 2300067, "ad account"),
    ] {
        if !ok {
            return Err(mm(
                code,
                &format!("The {who} has not accepted the Marketing Messages terms of service"),
            ));
        }
    }
    if !s.payment_method {
        return Err(mm(2300011, "The ad account has no payment method"));
    }
    Ok(())
}

/// The business token, the user token or the Page token.
fn authorize(emu: &Emu, q: &HashMap<String, String>, h: &HeaderMap) -> Result<(), GraphError> {
    let token = crate::login::token_of(q, h).ok_or_else(GraphError::no_token)?;
    let now = emu.now();
    emu.with(|st| {
        if token == st.page.token {
            return Ok(());
        }
        let t = st
            .login
            .tokens
            .get(token)
            .ok_or_else(GraphError::bad_token)?;
        t.usable(now)
    })
}

fn answer(r: Result<Value, GraphError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

type Q = Query<HashMap<String, String>>;

fn ms_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().map(|s| s * 1000),
        Value::String(s) => jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%z", s)
            .or_else(|_| s.parse::<jiff::Timestamp>())
            .ok()
            .map(|t| t.as_millisecond()),
        _ => None,
    }
}

/// `POST /{v}/act_{id}/message_campaign`.
pub async fn create_campaign(
    State(emu): State<Arc<Emu>>,
    Path((_v, account)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let id = emu.digits(17);
    let now = emu.now();
    let r = authorize(&emu, &q, &h).and_then(|()| {
        let b: Map<String, Value> = serde_json::from_slice(&body)
            .map_err(|e| GraphError::param(format!("Invalid JSON payload: {e}")))?;
        emu.with(|st| {
            open(st, now, &account)?;
            let s = &st.marketing.settings;
            if now >= REGION_AT_CREATION_MS
                && !BUSINESS_REGIONS.contains(&s.ad_account_region.as_str())
            {
                return Err(mm(2300030, "The ad account is not in a supported region"));
            }
            terms_and_payment(s)?;
            let name = b
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("Campaign")
                .to_owned();
            let page_id = b
                .get("page_id")
                .and_then(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .or_else(|| v.as_u64().map(|n| n.to_string()))
                })
                .ok_or_else(|| GraphError::param("param page_id must be non-empty."))?;
            let start_time = ms_of(b.get("start_time")).unwrap_or(now);
            if start_time > now + 30 * DAY_MS {
                return Err(GraphError::param(
                    "start_time must be at most 30 days ahead",
                ));
            }
            let budget = |k: &str| {
                b.get(k)
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
            };
            st.marketing.campaigns.insert(
                id.clone(),
                Campaign {
                    id: id.clone(),
                    name,
                    page_id,
                    daily_budget: budget("daily_budget"),
                    lifetime_budget: budget("lifetime_budget"),
                    start_time,
                    end_time: ms_of(b.get("end_time")),
                    created_at: now,
                    deleted: false,
                    spend: 0,
                    spend_by_day: BTreeMap::new(),
                    delivered: 0,
                    read: 0,
                    clicks: 0,
                },
            );
            Ok(json!({ "id": id }))
        })
    });
    answer(r)
}

/// A campaign's fields for `GET /{v}/{campaign-id}`, if `node` is one.
pub fn campaign_node(st: &S, node: &str) -> Option<Value> {
    let c = st.marketing.campaigns.get(node)?;
    Some(
        json!({"id": c.id, "name": c.name, "page_id": c.page_id, "daily_budget": c.daily_budget,
        "lifetime_budget": c.lifetime_budget, "start_time": rfc3339(c.start_time),
        "end_time": c.end_time.map(rfc3339), "status": if c.deleted { "DELETED" } else { "ACTIVE" },
        "spend": c.spend}),
    )
}

/// A subscription token's row for `GET /{v}/notification_messages_{token}`, if `node` is one.
pub fn token_node(st: &S, node: &str, now: i64) -> Option<Value> {
    let token = node.strip_prefix("notification_messages_")?;
    st.users.values().find_map(|u| {
        u.notification_tokens
            .iter()
            .find(|t| t.token == token)
            .map(|_| token_row(u, token, now))
    })
}

/// `DELETE /{v}/{campaign-id}`: the campaign stops. `None` if `node` is not a campaign.
pub fn delete_campaign(st: &mut S, node: &str) -> Option<Value> {
    let c = st.marketing.campaigns.get_mut(node)?;
    c.deleted = true;
    Some(json!({"success": true}))
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn spacing(now: i64) -> i64 {
    if now >= SPACING_12H_MS {
        12 * HOUR_MS
    } else {
        DAY_MS
    }
}

fn token_row(u: &User, token: &str, now: i64) -> Value {
    let t = u
        .notification_tokens
        .iter()
        .find(|t| t.token == token)
        .expect("the caller found it");
    let next = t
        .last_marketing_at
        .map_or(now, |last| (last + spacing(now)).max(now));
    json!({"notification_messages_token": t.token, "recipient_id": u.psid,
        "notification_messages_reoptin": "ENABLED", "creation_timestamp": t.created_at / 1000,
        "token_expiry_timestamp": (t.expires_at != i64::MAX).then_some(t.expires_at / 1000),
        "user_token_status": if t.stopped { "STOPPED" } else { "NOT_REFRESHED" },
        "topic_title": t.title, "notification_messages_timezone": u.time_zone,
        "next_eligible_time": next / 1000, "next_eligible_time_for_paid_messaging": next / 1000})
}

/// `GET /{v}/{page-id}/notification_message_tokens`.
pub async fn tokens(
    State(emu): State<Arc<Emu>>,
    Path((_v, _page)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    let now = emu.now();
    let r = crate::send::authorize(&emu, &q, &h).and_then(|()| {
        emu.with(|st| {
            let calls = &mut st.marketing.token_list_calls;
            calls.retain(|at| now - at < HOUR_MS);
            if calls.len() >= 1000 {
                return Err(mm(2300080, "Too many token-list requests in the last hour"));
            }
            calls.push(now);
            let limit = q
                .get("limit")
                .and_then(|l| l.parse::<usize>().ok())
                .unwrap_or(100)
                .clamp(1, 1000);
            let after: usize = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
            let all: Vec<Value> = st
                .users
                .values()
                .flat_map(|u| {
                    // One token per person: the latest.
                    u.notification_tokens
                        .last()
                        .map(|t| token_row(u, &t.token, now))
                })
                .collect();
            let page: Vec<Value> = all.iter().skip(after).take(limit).cloned().collect();
            let mut out = json!({ "data": page });
            if after + limit < all.len() {
                out["paging"] = json!({"cursors": {"after": (after + limit).to_string()}});
            }
            Ok(out)
        })
    });
    answer(r)
}

/// Organic threads of `u` in `[from, to)`: customer messages with no other in the 24 hours before.
fn organic_threads(u: &User, from: i64, to: i64) -> usize {
    let mut count = 0;
    let mut previous: Option<i64> = None;
    for w in &u.wrote {
        if w.at >= from && w.at < to && previous.is_none_or(|p| w.at - p >= DAY_MS) {
            count += 1;
        }
        previous = Some(w.at);
    }
    count
}

fn marketing_received(u: &User, from: i64) -> usize {
    u.inbox
        .iter()
        .filter(|r| r.messaging_type == "MARKETING" && r.at >= from)
        .count()
}

fn last_organic(u: &User) -> Option<i64> {
    u.wrote.last().map(|w| w.at)
}

/// Checks 1 to 8 of the contract; the campaign id and the customer on success.
fn check_send(
    st: &S,
    now: i64,
    b: &Map<String, Value>,
) -> Result<(String, String, String), GraphError> {
    let campaign_id = b.get("message_id").and_then(Value::as_str).ok_or_else(|| {
        mm(
            2300001,
            "The message_id is not a marketing message campaign",
        )
    })?;
    let c = st.marketing.campaigns.get(campaign_id).ok_or_else(|| {
        mm(
            2300001,
            "The message_id is not a marketing message campaign",
        )
    })?;
    if c.deleted || c.end_time.is_some_and(|e| now >= e) {
        return Err(mm(2300000, "The campaign is not active"));
    }
    if now < c.start_time {
        return Err(mm(2300033, "The campaign has not started yet"));
    }
    let warmup = st.marketing.settings.warmup_minutes * 60_000;
    if now < c.created_at + warmup {
        return Err(if now < c.created_at + warmup / 2 {
            mm(
                2300012,
                "The campaign is still being populated; try again later",
            )
        } else {
            mm(2300041, "The campaign is not ready yet; try again later")
        });
    }
    let s = &st.marketing.settings;
    if !BUSINESS_REGIONS.contains(&s.page_region.as_str()) {
        return Err(mm(2300031, "The Page is not in a supported region"));
    }
    if !BUSINESS_REGIONS.contains(&s.ad_account_region.as_str()) {
        return Err(mm(2300030, "The ad account is not in a supported region"));
    }
    terms_and_payment(s)?;
    let token = b
        .get("messenger_delivery_data")
        .and_then(|d| d.get("subscription_token"))
        .and_then(Value::as_str)
        .ok_or_else(|| mm(2300004, "The subscription token was not found"))?;
    let (u, t) = st
        .users
        .values()
        .find_map(|u| {
            u.notification_tokens
                .iter()
                .find(|t| t.token == token)
                .map(|t| (u, t))
        })
        .ok_or_else(|| mm(2300004, "The subscription token was not found"))?;
    if c.page_id != st.page.id {
        return Err(mm(
            2300005,
            "The subscription token belongs to another Page",
        ));
    }
    if t.stopped {
        return Err(mm(
            2300034,
            "The person stopped marketing messages from this Page",
        ));
    }
    if kept_recurring_notifications(&u.region) {
        return Err(mm(2300032, "The subscriber is not in a supported region"));
    }
    if u.blocked {
        return Err(mm(2300052, "The person is not available"));
    }
    let message = b
        .get("message")
        .and_then(Value::as_object)
        .filter(|m| m.contains_key("text") || m.contains_key("attachment"))
        .ok_or_else(|| mm(2300010, "No valid message payload"))?;
    let text = message
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if text.chars().count() > 640 {
        return Err(GraphError::param(
            "message[text] must be at most 640 characters",
        ));
    }
    let buttons = message
        .get("attachment")
        .and_then(|a| a.pointer("/payload/buttons"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if buttons > 3 {
        return Err(mm(2300026, "More than 3 buttons"));
    }
    if let Some(unknown) = unknown_macro(&Value::Object(message.clone())) {
        return Err(mm(
            2300038,
            &format!("Unresolved placeholder {{{{{unknown}}}}}"),
        ));
    }
    if t.last_marketing_at
        .is_some_and(|last| now - last < spacing(now))
    {
        return Err(mm(
            2300035,
            "The minimum delay between marketing messages has not been reached",
        ));
    }
    if now >= LOAD_CAPS_MS {
        load_caps(st, u, now)?;
    }
    if let Some(gap) = b
        .get("min_conversation_gap_seconds")
        .and_then(Value::as_i64)
        && last_organic(u).is_some_and(|at| now - at < gap * 1000)
    {
        return Err(mm(
            2300052,
            "The person is not available (recent conversation)",
        ));
    }
    let day = day_of(now);
    if c.lifetime_budget
        .is_some_and(|l| c.spend + s.price_per_delivered > l)
    {
        return Err(mm(2300053, "The campaign's lifetime budget is reached"));
    }
    if let Some(daily) = c.daily_budget
        && c.spend_by_day.get(&day).copied().unwrap_or(0) + s.price_per_delivered > daily
    {
        let mut e = mm(2300054, "The campaign's daily budget is reached");
        e.data = Some(json!({"remaining_seconds": ((day + 1) * DAY_MS - now) / 1000}));
        return Err(e);
    }
    Ok((campaign_id.to_owned(), u.psid.clone(), token.to_owned()))
}

fn load_caps(st: &S, u: &User, now: i64) -> Result<(), GraphError> {
    let week = now - 7 * DAY_MS;
    let sent_week = marketing_received(u, week);
    if sent_week > 0 {
        let organic = organic_threads(u, week, now).max(1);
        if (sent_week + 1) as f64 / organic as f64 > 0.20 {
            return Err(mm(2300042, "WEEKLY_MM_LOAD_CAP_REACHED"));
        }
    }
    let day = now - DAY_MS;
    let sent_day = marketing_received(u, day);
    if sent_day > 0 {
        let organic = organic_threads(u, day, now).max(1);
        if (sent_day + 1) as f64 / organic as f64 > 0.40 {
            return Err(mm(2300043, "DAILY_MM_LOAD_CAP_REACHED"));
        }
    }
    let previous = u
        .inbox
        .iter()
        .rev()
        .find(|r| r.messaging_type == "MARKETING")
        .map(|r| r.at);
    if let Some(prev) = previous {
        let stale = last_organic(u).is_none_or(|at| now - at > 7 * DAY_MS);
        if !stale && organic_threads(u, prev, now) < st.marketing.settings.min_organic_threads {
            return Err(mm(2300044, "MIN_ORGANIC_THREAD_NOT_REACHED"));
        }
    }
    Ok(())
}

const MACROS: [&str; 3] = ["first_name", "last_name", "full_name"];

fn unknown_macro(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                let end = after.find("}}")?;
                let name = after[..end].trim();
                if !MACROS.contains(&name) {
                    return Some(name.to_owned());
                }
                rest = &after[end + 2..];
            }
            None
        }
        Value::Array(a) => a.iter().find_map(unknown_macro),
        Value::Object(o) => o.values().find_map(unknown_macro),
        _ => None,
    }
}

fn fill_macros(text: &str, u: &User) -> String {
    text.replace("{{first_name}}", &u.first_name)
        .replace("{{last_name}}", &u.last_name)
        .replace(
            "{{full_name}}",
            &format!("{} {}", u.first_name, u.last_name),
        )
}

/// `POST /{v}/act_{id}/messages`, called by the Send API handler for `act_` paths.
pub fn send(
    emu: &Emu,
    account: &str,
    q: &HashMap<String, String>,
    h: &HeaderMap,
    body: &[u8],
) -> Result<Value, GraphError> {
    authorize(emu, q, h)?;
    let b: Map<String, Value> = serde_json::from_slice(body)
        .map_err(|e| GraphError::param(format!("Invalid JSON payload: {e}")))?;
    let tracking = uuid(emu);
    let mid = emu.new_mid();
    let fail_delivery = emu.chance(emu.with(|st| st.faults.send_error_rate));
    let now = emu.now();
    emu.with(|st| {
        open(st, now, account)?;
        if st.page.restricted {
            return Err(GraphError::restricted());
        }
        let (campaign_id, psid, token) = check_send(st, now, &b)?;
        let page_id = st.page.id.clone();
        let app_id = st.page.app_id.clone();
        let mut inner = json!({"recipient_id": num(&psid), "page_id": num(&page_id), "app_id": num(&app_id),
            "timestamp": now / 1000, "marketing_message_tracking_id": tracking,
            "messenger_subscription_token": token, "message_id": campaign_id});
        crate::webhooks::enqueue_change(st, "marketing_message_echoes", with_mid(&inner, &mid));
        if fail_delivery {
            inner["business_id"] = json!(null);
            inner["error_message"] = json!("The message could not be delivered");
            crate::webhooks::enqueue_change(st, "marketing_message_delivery_failed", inner);
            return Ok(json!({"success": true, "marketing_message_tracking_id": tracking}));
        }
        let price = st.marketing.settings.price_per_delivered;
        let c = st.marketing.campaigns.get_mut(&campaign_id).expect("checked");
        c.spend += price;
        *c.spend_by_day.entry(day_of(now)).or_default() += price;
        c.delivered += 1;
        let user = st.users.get_mut(&psid).expect("checked");
        let message = b.get("message").cloned().unwrap_or_default();
        user.inbox.push(Received {
            mid: mid.clone(),
            text: message.get("text").and_then(Value::as_str).map(|t| fill_macros(t, user)),
            attachment: message.get("attachment").cloned(),
            quick_replies: message.get("quick_replies").cloned(),
            messaging_type: "MARKETING".into(),
            tag: None,
            persona_id: None,
            metadata: Some(format!("marketing:{tracking}")),
            at: now,
        });
        if let Some(t) = user.notification_tokens.iter_mut().find(|t| t.token == token) {
            t.last_marketing_at = Some(now);
        }
        st.marketing.delivered.push(Delivered {
            psid,
            token,
            campaign: campaign_id,
            tracking_id: tracking.clone(),
            mid: mid.clone(),
            at: now,
            read: false,
        });
        crate::webhooks::enqueue_change(st, "marketing_message_deliveries", with_mid(&inner, &mid));
        Ok(json!({"success": true, "marketing_message_tracking_id": tracking}))
    })
}

fn with_mid(inner: &Value, mid: &str) -> Value {
    let mut v = inner.clone();
    v["mid"] = json!(mid);
    v
}

/// Ids are JSON numbers in Meta's samples.
fn num(id: &str) -> Value {
    id.parse::<u64>()
        .map(Value::from)
        .unwrap_or_else(|_| json!(id))
}

fn uuid(emu: &Emu) -> String {
    let h = emu.token(32).to_ascii_lowercase();
    let hex: String = h
        .bytes()
        .map(|b| char::from_digit(u32::from(b) % 16, 16).unwrap_or('0'))
        .collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// The customer read their messages: unread marketing messages produce `marketing_message_reads`.
pub fn customer_read(st: &mut S, psid: &str, now: i64) {
    let page_id = st.page.id.clone();
    let app_id = st.page.app_id.clone();
    let mut reads = vec![];
    for d in st
        .marketing
        .delivered
        .iter_mut()
        .filter(|d| d.psid == psid && !d.read)
    {
        d.read = true;
        reads.push(
            json!({"recipient_id": num(psid), "page_id": num(&page_id), "app_id": num(&app_id),
            "timestamp": now / 1000, "marketing_message_tracking_id": d.tracking_id,
            "messenger_subscription_token": d.token, "message_id": d.campaign}),
        );
        if let Some(c) = st.marketing.campaigns.get_mut(&d.campaign) {
            c.read += 1;
        }
    }
    for r in reads {
        crate::webhooks::enqueue_change(st, "marketing_message_reads", r);
    }
}

/// `GET /{v}/act_{id}/message_delivery_estimate`: subscriptions a send could reach now.
pub async fn estimate(
    State(emu): State<Arc<Emu>>,
    Path((_v, account)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    let now = emu.now();
    let r = authorize(&emu, &q, &h).and_then(|()| {
        emu.with(|st| {
            open(st, now, &account)?;
            let eligible = st
                .users
                .values()
                .filter(|u| !u.blocked && !kept_recurring_notifications(&u.region))
                .filter(|u| {
                    u.notification_tokens.last().is_some_and(|t| {
                        !t.stopped && t.last_marketing_at.is_none_or(|l| now - l >= spacing(now))
                    })
                })
                .count() as i64;
            let price = st.marketing.settings.price_per_delivered;
            let lower = eligible * 8 / 10;
            Ok(json!({"data": [{"estimate_delivery_lower_bound": lower, "estimate_delivery_upper_bound": eligible,
                "estimate_cost_lower_bound": lower * price, "estimate_cost_upper_bound": eligible * price,
                "currency": st.marketing.settings.currency}]}))
        })
    });
    answer(r)
}

/// `GET /{v}/{campaign-id}/insights`.
pub async fn insights(
    State(emu): State<Arc<Emu>>,
    Path((_v, campaign)): Path<(String, String)>,
    Query(q): Q,
    h: HeaderMap,
) -> Response {
    let now = emu.now();
    let page = emu.with(|st| st.page.id.clone());
    if campaign == page || campaign == "me" {
        let r = crate::send::authorize_with(&emu, &q, &h, "read_insights")
            .and_then(|()| emu.with(|st| crate::insights::page_insights(st, &q, now)));
        return match r {
            Ok(v) => Json(v).into_response(),
            Err(e) => e.into_response(),
        };
    }
    let r = authorize(&emu, &q, &h).and_then(|()| {
        emu.with(|st| {
            let c = st
                .marketing
                .campaigns
                .get(&campaign)
                .ok_or_else(|| GraphError::unsupported("get"))?;
            let rate = |n: u64| {
                if c.delivered == 0 {
                    0.0
                } else {
                    n as f64 / c.delivered as f64
                }
            };
            let per = |n: u64| if n == 0 { 0 } else { c.spend / n as i64 };
            Ok(json!({"data": [{
                "marketing_messages_delivered": c.delivered.to_string(),
                "marketing_messages_read_rate": format!("{:.4}", rate(c.read)),
                "marketing_messages_link_btn_click": c.clicks.to_string(),
                "marketing_messages_link_btn_click_rate": format!("{:.4}", rate(c.clicks)),
                "marketing_messages_spend": c.spend.to_string(),
                "marketing_messages_cost_per_delivered": per(c.delivered).to_string(),
                "marketing_messages_cost_per_link_btn_click": per(c.clicks).to_string()}]}))
        })
    });
    answer(r)
}

/// `GET /_emulator/marketing`: settings, campaigns with their spend, subscriptions.
pub async fn control_get(State(emu): State<Arc<Emu>>) -> Json<Value> {
    let now = emu.now();
    Json(emu.with(|st| {
        let subscriptions: Vec<Value> = st
            .users
            .values()
            .flat_map(|u| {
                u.notification_tokens.iter().map(move |t| {
                    json!({"psid": u.psid, "token": t.token, "title": t.title, "stopped": t.stopped,
                        "region": u.region, "last_marketing_at": t.last_marketing_at.map(rfc3339)})
                })
            })
            .collect();
        json!({"settings": st.marketing.settings, "campaigns": st.marketing.campaigns.values().collect::<Vec<_>>(),
            "subscriptions": subscriptions, "delivered": st.marketing.delivered.len(), "now": rfc3339(now)})
    }))
}

/// `POST /_emulator/marketing`: changes the given settings.
pub async fn control_set(State(emu): State<Arc<Emu>>, body: axum::body::Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "the body must be a JSON object of settings",
            )
                .into_response();
        }
    };
    let r = emu.with(|st| {
        let mut current = serde_json::to_value(&st.marketing.settings).expect("settings serialize");
        merge(&mut current, &patch);
        serde_json::from_value::<Settings>(current).inspect(|s| st.marketing.settings = s.clone())
    });
    match r {
        Ok(s) => Json(json!({"settings": s})).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            format!("bad marketing settings: {e}"),
        )
            .into_response(),
    }
}

fn merge(into: &mut Value, patch: &Value) {
    match (into, patch) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b.clone(),
    }
}

/// `POST /_emulator/users/{psid}/marketing_stop`: Meta's "Stop marketing messages" link. No webhook.
pub async fn stop(State(emu): State<Arc<Emu>>, Path(psid): Path<String>) -> Response {
    let stopped = emu.with(|st| {
        let u = st.users.get_mut(&psid)?;
        let t = u.notification_tokens.last_mut()?;
        t.stopped = true;
        Some(t.token.clone())
    });
    match stopped {
        Some(token) => Json(json!({"stopped": token})).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("customer {psid} has no marketing subscription"),
        )
            .into_response(),
    }
}
