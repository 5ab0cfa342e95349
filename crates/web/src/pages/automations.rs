//! Settings → Automations: a page's automations document, edited as text (the same YAML that
//! `fenestra automations export|apply` and the API read and write), with what is on in plain
//! words, whether Meta has the Messenger profile, and the versions applied. Applying is an
//! admin's; a refused document comes back with its text kept and every problem listed by
//! line and field.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use engine::automations::{AutomationsError, Current};
use serde::Deserialize;
use store::{AutomationVersion, Time};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "automations.html")]
struct AutomationsPage {
    tr: Tr,
    me: Me,
    page_id: String,
    page_name: String,
    text: String,
    summary: Vec<String>,
    profile: String,
    problems: Vec<automations::Problem>,
    applied: Option<i64>,
    versions: Vec<AutomationVersion>,
}

/// What is on, in a few plain sentences.
fn summary(tr: &Tr, current: &Current, now: Time) -> Vec<String> {
    let doc = &current.document;
    let mut out = Vec::new();
    out.push(match &doc.instant_reply {
        Some(i) if i.enabled => tr.t("automations-instant-on"),
        _ => tr.t("automations-instant-off"),
    });
    match doc.away.as_ref().filter(|a| a.enabled) {
        Some(a) => {
            let id = if a.schedule().is_open(now.timestamp()) {
                "automations-away-open"
            } else {
                "automations-away-closed"
            };
            out.push(tr.t1(id, "zone", a.timezone.to_string()));
        }
        None => out.push(tr.t("automations-away-off")),
    }
    out.push(tr.n("automations-keywords", doc.keywords.len() as i64));
    out
}

/// Whether Meta has the Messenger profile of the version in force.
fn profile_state(tr: &Tr, current: &Current, now: Time) -> String {
    let Some(s) = &current.stored else {
        return tr.t("automations-profile-none");
    };
    if let (Some(e), Some(at)) = (&s.profile_error, s.profile_error_at) {
        return tr.t2(
            "automations-profile-error",
            "error",
            e.clone(),
            "ago",
            tr.ago(at.timestamp(), now.timestamp()),
        );
    }
    match (s.profile_pending(), s.profile_synced_at) {
        (false, Some(at)) => tr.t1(
            "automations-profile-synced",
            "ago",
            tr.ago(at.timestamp(), now.timestamp()),
        ),
        _ => tr.t("automations-profile-pending"),
    }
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
    let current = state.engine.automations(&page_id).await?;
    let now = Time::now();
    let refused = edited.is_some();
    let (text, problems) =
        edited.unwrap_or_else(|| (automations::to_yaml(&current.document), vec![]));
    let response = render(AutomationsPage {
        summary: summary(&tr, &current, now),
        profile: profile_state(&tr, &current, now),
        me: Me::of(user),
        page_name: page.name.unwrap_or_else(|| page_id.clone()),
        versions: state.engine.automation_versions(&page_id).await?,
        page_id,
        text,
        problems,
        applied,
        tr,
    })?;
    Ok(if refused {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    } else {
        response
    })
}

/// `?applied=N` after a successful apply says so.
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
        .apply_automations_as(&user, &page_id, &f.document)
        .await
    {
        Ok((_, version)) => Ok(Redirect::to(&format!(
            "/settings/automations/{page_id}?applied={version}"
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
