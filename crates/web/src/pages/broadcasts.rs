//! Broadcasts (admins): the list with each one's progress; a new broadcast planned before it
//! is sent (counts per path and per skip reason, Meta's estimate of the paid part, five sample
//! recipients with their verdicts); one broadcast with its live progress bar (server-sent
//! events), pause, resume and cancel, its results and the skipped list as CSV. The Page's
//! paid-marketing setup sits on the list page. The same numbers are in `/api/v1/broadcasts`.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use engine::broadcast::plan::PATHS;
use engine::broadcast::spec::{BroadcastSpec, DEFAULT_WINDOW};
use engine::broadcast::{BroadcastError, PlanOutcome, Steer};
use engine::csv_cell::csv_cell;
use engine::problem::Forbidden;
use engine::team::TeamError;
use serde::Deserialize;
use serde_json::{Value, json};
use store::{
    Audience, BroadcastRow, BroadcastStatus, MarketingSetup, Page, Role, Tally,
    Template as Utility, Time, User,
};

use i18n::Tr;

use super::session::{Agent, Me};
use super::verdict::rule_title;
use crate::api::ApiError;
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

fn admin(user: &User) -> Result<(), PageError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(TeamError::AdminOnly(Forbidden::Broadcasts).into())
    }
}

#[derive(Deserialize, Default)]
pub struct Which {
    #[serde(default)]
    pub page: Option<String>,
}

/// The page asked for, else the first.
pub(crate) async fn chosen(
    state: &AppState,
    asked: Option<&str>,
) -> Result<(Vec<Page>, String), PageError> {
    let pages = state.store().pages().await?;
    let id = asked
        .filter(|a| pages.iter().any(|p| p.id == *a))
        .map(str::to_owned)
        .or_else(|| pages.first().map(|p| p.id.clone()))
        .unwrap_or_default();
    Ok((pages, id))
}

/// A broadcast in the list: its row and results.
pub struct Listed {
    pub row: BroadcastRow,
    pub tally: Tally,
    pub planned_total: i64,
}

impl Listed {
    /// How far it is: released or skipped over all recipients, in percent.
    pub fn percent(&self) -> i64 {
        percent(&self.tally, self.planned_total)
    }
}

fn percent(t: &Tally, total: i64) -> i64 {
    if total == 0 {
        return 100;
    }
    ((total - t.planned) * 100 / total).clamp(0, 100)
}

#[derive(Template)]
#[template(path = "broadcasts.html")]
struct ListPage {
    tr: Tr,
    me: Me,
    pages: Vec<Page>,
    page_id: String,
    broadcasts: Vec<Listed>,
    marketing: MarketingSetup,
    saved: bool,
}

impl ListPage {
    fn status(&self, s: &BroadcastStatus) -> String {
        status_word(&self.tr, *s)
    }
}

fn status_word(tr: &Tr, s: BroadcastStatus) -> String {
    tr.t(&format!("broadcast-status-{}", s.as_str()))
}

/// Why a broadcast paused, in the reader's language.
fn pause_words(tr: &Tr, reason: &str) -> String {
    let id = format!("broadcast-paused-{reason}");
    match i18n::strict(tr.lang(), &id, &[]) {
        Some(_) => tr.t(&id),
        None => reason.to_owned(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    saved: Option<u8>,
}

pub async fn list(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    admin(&user)?;
    let (pages, page_id) = chosen(&state, q.page.as_deref()).await?;
    let mut broadcasts = vec![];
    for row in state.store().broadcasts(&page_id).await? {
        let tally = state.store().tally(row.id).await?;
        let planned_total = total_of(&row);
        broadcasts.push(Listed {
            row,
            tally,
            planned_total,
        });
    }
    render(ListPage {
        tr,
        me: Me::of(&user),
        pages,
        marketing: state.store().marketing_setup(&page_id).await?,
        page_id,
        broadcasts,
        saved: q.saved.is_some(),
    })
}

/// Recipients the plan released or will release (not the skipped).
fn total_of(row: &BroadcastRow) -> i64 {
    serde_json::from_str::<engine::broadcast::plan::Summary>(&row.plan)
        .map(|s| s.reached() as i64)
        .unwrap_or(0)
}

/// The form of a new broadcast (and of an audience's segment).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BroadcastForm {
    pub page: String,
    pub name: String,
    pub text: String,
    pub text_vi: String,
    pub text_en: String,
    pub text_ar: String,
    pub text_ms: String,
    pub text_it: String,
    pub image_url: String,
    /// `all`, `segment`, or a saved audience's id.
    pub audience: String,
    #[serde(flatten)]
    pub segment: SegmentForm,
    /// `name|language` of a utility template, or empty.
    pub utility: String,
    /// `param=value` lines.
    pub utility_params: String,
    /// `now`, `at` or `local`.
    pub when: String,
    pub at: String,
    pub local_hour: String,
    pub window: String,
    pub timezone: String,
}

/// A segment as the forms write it: lists comma-separated, numbers as text.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SegmentForm {
    pub labels_any: String,
    pub labels_none: String,
    pub active_within_days: String,
    pub inactive_for_days: String,
    pub languages: String,
    pub countries: String,
    pub marketing: String,
    pub upcoming_booking: String,
    pub source: String,
    pub field: String,
    pub field_equals: String,
}

fn list_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn number(s: &str) -> Value {
    match s.trim() {
        "" => Value::Null,
        n => n
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(n)),
    }
}

fn yes_no(s: &str) -> Value {
    match s {
        "yes" => Value::Bool(true),
        "no" => Value::Bool(false),
        _ => Value::Null,
    }
}

impl SegmentForm {
    /// The segment document these fields mean (nulls left out), for `Segment::from_value`.
    pub fn to_value(&self) -> Value {
        let mut v = json!({
            "labels_any": list_of(&self.labels_any),
            "labels_none": list_of(&self.labels_none),
            "active_within_days": number(&self.active_within_days),
            "inactive_for_days": number(&self.inactive_for_days),
            "languages": list_of(&self.languages),
            "countries": list_of(&self.countries).iter().map(|c| c.to_ascii_uppercase()).collect::<Vec<_>>(),
            "marketing": yes_no(&self.marketing),
            "upcoming_booking": yes_no(&self.upcoming_booking),
            "latest_source": if self.source.trim().is_empty() { Value::Null } else { json!(self.source.trim()) },
        });
        if !self.field.trim().is_empty() {
            let equals =
                (!self.field_equals.trim().is_empty()).then(|| self.field_equals.trim().to_owned());
            v["fields"] = json!([{"field": self.field.trim(), "equals": equals}]);
        }
        strip_empty(v)
    }
}

/// Drops nulls and empty lists, so the document holds only what was asked.
fn strip_empty(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .collect(),
        ),
        other => other,
    }
}

impl BroadcastForm {
    /// The broadcast document the form means; the engine checks it like the API's.
    pub fn to_spec(&self) -> Result<BroadcastSpec, BroadcastError> {
        let mut text = serde_json::Map::new();
        text.insert("default".into(), json!(self.text));
        for (lang, t) in [
            ("vi", &self.text_vi),
            ("en", &self.text_en),
            ("ar", &self.text_ar),
            ("ms", &self.text_ms),
            ("it", &self.text_it),
        ] {
            if !t.trim().is_empty() {
                text.insert(lang.into(), json!(t));
            }
        }
        let mut v = json!({"name": self.name.trim(), "text": text});
        if !self.image_url.trim().is_empty() {
            v["image_url"] = json!(self.image_url.trim());
        }
        match self.audience.as_str() {
            "" | "all" => {}
            "segment" => v["segment"] = self.segment.to_value(),
            id => v["audience_id"] = number(id),
        }
        if let Some((name, language)) = self.utility.split_once('|') {
            let params: BTreeMap<String, String> = self
                .utility_params
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            v["utility"] = json!({"name": name, "language": language, "params": params});
        }
        let mut schedule = serde_json::Map::new();
        if matches!(self.when.as_str(), "at" | "local") && !self.at.trim().is_empty() {
            let zone = self.zone();
            let local = self.at.trim();
            let at = jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M", local)
                .ok()
                .and_then(|d| d.to_zoned(zone).ok())
                .map(|z| json!(z.timestamp().to_string()))
                .unwrap_or_else(|| json!(local));
            schedule.insert("at".into(), at);
        }
        if self.when == "local" {
            schedule.insert("local_hour".into(), number(&self.local_hour));
        }
        if self.window == "on" {
            schedule.insert("window".into(), json!(DEFAULT_WINDOW));
        }
        if !self.timezone.trim().is_empty() {
            schedule.insert("timezone".into(), json!(self.timezone.trim()));
        }
        v["schedule"] = Value::Object(schedule);
        Ok(BroadcastSpec::from_value(v)?)
    }

    fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(self.timezone.trim()).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

#[derive(Template)]
#[template(path = "broadcast_new.html")]
struct NewPage {
    tr: Tr,
    me: Me,
    page_id: String,
    audiences: Vec<Audience>,
    templates: Vec<Utility>,
    timezone: String,
}

pub async fn new_form(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(q): Query<Which>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, q.page.as_deref()).await?;
    let templates = state
        .store()
        .templates(&page_id)
        .await?
        .into_iter()
        .filter(|t| t.status == store::TemplateStatus::Approved)
        .collect();
    render(NewPage {
        timezone: tr.zone_name().to_owned(),
        tr,
        me: Me::of(&user),
        audiences: state.store().audiences(&page_id).await?,
        templates,
        page_id,
    })
}

/// A plan as the page shows it.
#[derive(Template)]
#[template(path = "broadcast_plan.html")]
struct PlanView {
    tr: Tr,
    plan: PlanOutcome,
    paths: Vec<(String, u64)>,
    skipped: Vec<(String, String, u64)>,
}

impl PlanView {
    fn of(tr: Tr, plan: PlanOutcome) -> PlanView {
        let paths = PATHS
            .iter()
            .map(|p| {
                (
                    p.as_str().to_owned(),
                    plan.summary.paths.get(p.as_str()).copied().unwrap_or(0),
                )
            })
            .collect();
        let mut skipped: Vec<(String, String, u64)> = plan
            .summary
            .skipped
            .iter()
            .map(|(rule, n)| (rule.clone(), rule_title(&tr, rule), *n))
            .collect();
        skipped.sort_by_key(|s| std::cmp::Reverse(s.2));
        PlanView {
            tr,
            plan,
            paths,
            skipped,
        }
    }

    fn rule(&self, rule: &str) -> String {
        rule_title(&self.tr, rule)
    }
}

pub async fn plan(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Form(f): Form<BroadcastForm>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, Some(&f.page)).await?;
    let spec = f.to_spec()?;
    let plan = state.engine.plan_broadcast(&page_id, &spec).await?;
    render(PlanView::of(tr, plan))
}

pub async fn send(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<BroadcastForm>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, Some(&f.page)).await?;
    let spec = f.to_spec()?;
    let (id, _) = state
        .engine
        .send_broadcast(&page_id, &spec, &format!("agent:{}", user.username))
        .await?;
    Ok(Redirect::to(&format!("/broadcasts/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "broadcast.html")]
struct ShowPage {
    tr: Tr,
    me: Me,
    b: BroadcastRow,
    progress_html: String,
    text: String,
}

/// The live part of a broadcast's page: its state, progress bar, results and reasons.
#[derive(Template)]
#[template(path = "broadcast_progress.html")]
struct Progress {
    tr: Tr,
    b: BroadcastRow,
    tally: Tally,
    total: i64,
    reasons: Vec<(String, String, i64)>,
}

impl Progress {
    async fn load(state: &AppState, tr: Tr, id: i64) -> Result<Progress, PageError> {
        let b = state
            .store()
            .broadcast(id)
            .await?
            .ok_or(BroadcastError::UnknownBroadcast(id))?;
        let tally = state.store().tally(id).await?;
        let reasons = state
            .store()
            .reasons(id)
            .await?
            .into_iter()
            .map(|(rule, n)| (rule_title(&tr, &rule), rule, n))
            .collect();
        Ok(Progress {
            total: total_of(&b),
            tr,
            b,
            tally,
            reasons,
        })
    }

    fn percent(&self) -> i64 {
        percent(&self.tally, self.total)
    }

    fn status(&self) -> String {
        status_word(&self.tr, self.b.status)
    }

    fn paused_because(&self) -> Option<String> {
        self.b
            .pause_reason
            .as_deref()
            .map(|r| pause_words(&self.tr, r))
    }

    fn steerable(&self, action: &str) -> bool {
        use BroadcastStatus::*;
        match action {
            "pause" => matches!(self.b.status, Scheduled | Sending),
            "resume" => self.b.status == Paused,
            _ => matches!(self.b.status, Scheduled | Sending | Paused),
        }
    }
}

pub async fn show(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    admin(&user)?;
    let progress = Progress::load(&state, tr.clone(), id).await?;
    let spec: Option<BroadcastSpec> = serde_json::from_str(&progress.b.spec).ok();
    render(ShowPage {
        text: spec
            .map(|s| s.text.pick(None).to_owned())
            .unwrap_or_default(),
        b: progress.b.clone(),
        me: Me::of(&user),
        tr,
        progress_html: progress.render()?,
    })
}

pub async fn progress(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    admin(&user)?;
    render(Progress::load(&state, tr, id).await?)
}

pub async fn steer(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    admin(&user)?;
    let action = match action.as_str() {
        "pause" => Steer::Pause,
        "resume" => Steer::Resume,
        _ => Steer::Cancel,
    };
    state
        .engine
        .steer_broadcast(id, action, &user.username)
        .await?;
    Ok(Redirect::to(&format!("/broadcasts/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct CsvQuery {
    #[serde(default)]
    skipped: bool,
}

pub async fn csv(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<CsvQuery>,
) -> PageResult {
    admin(&user)?;
    let body = recipients_csv(&state, id, q.skipped)
        .await
        .map_err(|e| PageError::from(TeamError::from(store::StoreError::Unsupported(e.1))))?;
    let name = if q.skipped { "skipped" } else { "results" };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"broadcast-{id}-{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The recipients (or only the skipped and refused) as CSV.
pub(crate) async fn recipients_csv(
    state: &AppState,
    id: i64,
    problems: bool,
) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(vec![]);
    let header = [
        "psid",
        "first_name",
        "last_name",
        "path",
        "planned_rule",
        "state",
        "final_rule",
        "status",
        "error_code",
        "error",
    ];
    w.write_record(header).map_err(csv_error)?;
    let mut failed = None;
    each_recipient(state, id, problems, |r| {
        let code = r.error_code.map(|c| c.to_string()).unwrap_or_default();
        // Names come from customers' profiles: never a formula in the shop's spreadsheet.
        let (first, last) = (
            csv_cell(r.first_name.as_deref().unwrap_or("")),
            csv_cell(r.last_name.as_deref().unwrap_or("")),
        );
        let row = [
            r.psid.as_str(),
            &first,
            &last,
            r.path.as_str(),
            r.rule.as_str(),
            r.state.as_str(),
            r.final_rule.as_deref().unwrap_or(""),
            r.status.map(|s| s.as_str()).unwrap_or(""),
            code.as_str(),
            r.error.as_deref().unwrap_or(""),
        ];
        if let Err(e) = w.write_record(row) {
            failed.get_or_insert(e);
        }
    })
    .await?;
    if let Some(e) = failed {
        return Err(csv_error(e));
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv_error(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every recipient (or only the skipped and refused), a page of rows at a time.
pub(crate) async fn each_recipient(
    state: &AppState,
    id: i64,
    problems: bool,
    mut each: impl FnMut(&store::RecipientResult),
) -> store::Result<()> {
    const PAGE_ROWS: i64 = 5_000;
    let mut after = String::new();
    loop {
        let rows = state
            .store()
            .recipient_results(id, problems, &after, PAGE_ROWS)
            .await?;
        rows.iter().for_each(&mut each);
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE_ROWS => after = last.psid.clone(),
            _ => return Ok(()),
        }
    }
}

fn csv_error(e: csv::Error) -> ApiError {
    ApiError(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        format!("writing the CSV failed: {e}"),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MarketingForm {
    page: String,
    ad_account_id: String,
    business_token: String,
    daily_budget: String,
    pause_block_rate: String,
    pause_error_rate: String,
    default_country: String,
}

pub async fn set_marketing(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<MarketingForm>,
) -> PageResult {
    admin(&user)?;
    let (_, page_id) = chosen(&state, Some(&f.page)).await?;
    let mut setup = state.store().marketing_setup(&page_id).await?;
    let percent = |s: &str| s.trim().parse::<f64>().ok().map(|p| p / 100.0);
    let body: crate::api::broadcasts::MarketingBody = serde_json::from_value(json!({
        "ad_account_id": f.ad_account_id,
        "business_token": (!f.business_token.trim().is_empty()).then_some(f.business_token),
        "daily_budget": f.daily_budget.trim().parse::<i64>().ok(),
        "pause_block_rate": percent(&f.pause_block_rate),
        "pause_error_rate": percent(&f.pause_error_rate),
        "default_country": f.default_country,
    }))
    .map_err(|e| {
        PageError::from(TeamError::from(store::StoreError::Unsupported(
            e.to_string(),
        )))
    })?;
    crate::api::broadcasts::apply_marketing(&mut setup, body).map_err(|e| {
        PageError::new(
            e.0,
            crate::error::Message::new("broadcast-invalid").with("detail", e.1),
        )
    })?;
    state
        .store()
        .set_marketing_setup(&setup, Time::now())
        .await?;
    Ok(Redirect::to(&format!("/broadcasts?page={page_id}&saved=1")).into_response())
}
