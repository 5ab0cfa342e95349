//! Settings → Flows: a page's bots. Each flow with its trigger, drawn as a diagram (with how
//! many customers are at each step now), a try panel that runs it on lines the admin writes
//! (nothing sent), and the document edited as text like the automations (the same YAML that
//! `fenestra flows apply` and the API read); applying is an admin's, and a refused document
//! comes back with every problem by flow, step and line.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use engine::automations::AutomationsError;
use flows::diagram::Diagram;
use flows::rehearse::Line;
use serde::Deserialize;
use store::{AutomationVersion, Time};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

/// A flow as the page shows it.
pub struct Shown {
    pub name: String,
    pub trigger: String,
    pub steps: usize,
    pub step_names: Vec<String>,
    pub customers: i64,
    /// The last 30 days: messages sent, and refused by the policy.
    pub sent: i64,
    pub refused: i64,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "flows.html")]
struct FlowsPage {
    tr: Tr,
    me: Me,
    page_id: String,
    page_name: String,
    flows: Vec<Shown>,
    text: String,
    problems: Vec<automations::Problem>,
    applied: Option<i64>,
    versions: Vec<AutomationVersion>,
}

async fn show(
    state: &AppState,
    user: &store::User,
    tr: Tr,
    page_id: String,
    edited: Option<(String, Vec<automations::Problem>)>,
    applied: Option<i64>,
) -> PageResult {
    let Some(page) = state.store().page(&page_id).await? else {
        return Err(AutomationsError::UnknownPage(page_id).into());
    };
    let (doc, _) = state.engine.flows(&page_id).await?;
    let steps = state.store().flow_steps(&page_id).await?;
    let month_ago = Time::from_ms(Time::now().ms() - 30 * 86_400_000);
    let decisions = state.store().flow_decisions(&page_id, month_ago).await?;
    let flows = doc
        .flows
        .iter()
        .map(|f| {
            let here: BTreeMap<String, i64> = steps
                .iter()
                .filter(|s| s.flow == f.name.as_str())
                .map(|s| (s.step.clone(), s.customers))
                .collect();
            let t = &f.trigger;
            let trigger = t
                .payloads
                .iter()
                .map(|p| format!("[{p}]"))
                .chain(t.words.iter().map(|w| format!("“{w}”")))
                .chain(t.refs.iter().map(|r| format!("ref={r}")))
                .collect::<Vec<_>>()
                .join(" · ");
            let (sent, refused) = decisions
                .iter()
                .find(|(name, ..)| name == f.name.as_str())
                .map_or((0, 0), |(_, s, r)| (*s, *r));
            Shown {
                sent,
                refused,
                name: f.name.to_string(),
                trigger,
                steps: f.steps.len(),
                step_names: f.steps.keys().cloned().collect(),
                customers: here.values().sum(),
                svg: Diagram::of(f).to_svg(&here, &|w| tr.t(&format!("flows-kind-{w}"))),
            }
        })
        .collect();
    let refused = edited.is_some();
    let (text, problems) = edited.unwrap_or_else(|| (flows::to_yaml(&doc), vec![]));
    let response = render(FlowsPage {
        tr,
        me: Me::of(user),
        page_name: page.name.unwrap_or_else(|| page_id.clone()),
        versions: state.engine.flows_versions(&page_id).await?,
        page_id,
        flows,
        text,
        problems,
        applied,
    })?;
    Ok(if refused {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    } else {
        response
    })
}

#[derive(Deserialize)]
pub struct Applied {
    applied: Option<i64>,
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Query(q): Query<Applied>,
) -> PageResult {
    show(&state, &user, tr, page_id, None, q.applied).await
}

#[derive(Deserialize)]
pub struct DocumentForm {
    document: String,
}

pub async fn apply(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<DocumentForm>,
) -> PageResult {
    match state
        .engine
        .apply_flows_as(&user, &page_id, &f.document)
        .await
    {
        Ok((_, version)) => Ok(Redirect::to(&format!(
            "/settings/flows/{page_id}?applied={version}"
        ))
        .into_response()),
        Err(AutomationsError::Refused(r)) => {
            show(
                &state,
                &user,
                tr,
                page_id,
                Some((f.document, r.problems)),
                None,
            )
            .await
        }
        Err(e) => Err(PageError::from(e)),
    }
}

#[derive(Template)]
#[template(path = "flow_try.html")]
struct Try {
    tr: Tr,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
pub struct TryForm {
    flow: String,
    #[serde(default)]
    inputs: String,
    #[serde(default)]
    locale: String,
}

/// Runs a flow on the lines written (one customer message per line; `[PAYLOAD]` is a tap).
pub async fn rehearse(
    Agent(_user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Form(f): Form<TryForm>,
) -> PageResult {
    let (doc, _) = state.engine.flows(&page_id).await?;
    let inputs: Vec<&str> = f
        .inputs
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // A customer of the shops Fenestra serves, in each language (phone numbers read there).
    let locale = match f.locale.as_str() {
        "vi" => "vi_VN",
        "ar" => "ar_AR",
        "ms" => "ms_MY",
        "it" => "it_IT",
        _ => "en_US",
    };
    let lines = match doc.named(&f.flow) {
        Some(flow) => {
            flows::rehearse::rehearse(flow, &inputs, Some(locale), Time::now().timestamp())
        }
        None => vec![],
    };
    render(Try { tr, lines })
}
