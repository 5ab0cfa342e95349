//! Settings → Pages → Connect a Page: Facebook Login (for Business) from the browser, then the
//! page's connection as Meta states it.
//!
//! 1. `GET /settings/connect`: the webhook URL and verify token to paste in the App Dashboard,
//!    and the link that opens Meta's Login dialog (`GET /settings/connect/start`: a link, since
//!    the pages' `form-action 'self'` forbids a form that leads to another site).
//! 2. `GET /settings/connect/callback`: Meta sends the admin back with a code; the pages they
//!    manage are listed to choose from.
//! 3. `POST /settings/connect/pages`: each chosen page is connected; the admin lands on
//!    `GET /settings/connect/{page}`, which says what Meta granted and whether webhooks arrive
//!    (that part refreshes itself until the first one does).
//!
//! The login's `state` and the page list (with its tokens) stay in this process, bound to the
//! admin who started, for 15 minutes: no token reaches the browser.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use engine::connect::{LoginSetup, PageStatus, Review};
use engine::privacy::Caller;
use engine::problem::Invalid;
use engine::team::TeamError;
use messenger::graph_login::ManagedPage;
use serde::Deserialize;
use store::{Role, Time, User};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

const LOGIN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Something kept for the admin `by` for [`LOGIN_LIFETIME`], under a random id.
#[derive(Clone)]
struct Held<T> {
    by: String,
    at: Instant,
    value: T,
}

struct Kept<T>(Mutex<HashMap<String, Held<T>>>);

impl<T: Clone> Kept<T> {
    fn put(&self, by: &str, value: T) -> String {
        let id = engine::accounts::new_secret();
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|_, h| h.at.elapsed() < LOGIN_LIFETIME);
        let held = Held {
            by: by.to_owned(),
            at: Instant::now(),
            value,
        };
        all.insert(id.clone(), held);
        id
    }

    /// The value, if it is `by`'s and fresh; `take` uses it up.
    fn get(&self, id: &str, by: &str, take: bool) -> Option<T> {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let held = if take {
            all.remove(id)
        } else {
            all.get(id).cloned()
        }?;
        (held.by == by && held.at.elapsed() < LOGIN_LIFETIME).then_some(held.value)
    }
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept(Mutex::default())
    }
}

/// Logins in progress: the `state` sent to Meta (used once), then the pages found.
#[derive(Default)]
pub struct Logins {
    started: Kept<()>,
    found: Kept<Vec<ManagedPage>>,
}

/// Connecting needs the app id and an address: without them the page says what to set.
fn setup(state: &AppState) -> Result<&LoginSetup, TeamError> {
    state
        .login
        .as_deref()
        .ok_or(TeamError::Invalid(Invalid::LoginNotConfigured))
}

fn admin_only(user: &User) -> Result<(), TeamError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(TeamError::AdminOnly(
            engine::problem::Forbidden::PageSettings,
        ))
    }
}

#[derive(Template)]
#[template(path = "connect.html")]
struct ConnectPage {
    tr: Tr,
    me: Me,
    setup: Option<LoginSetup>,
    /// After the login: the pages to choose from, and the id that finds them again.
    found: Option<(String, Vec<ManagedPage>)>,
}

pub async fn page(Agent(user, tr): Agent, State(state): State<AppState>) -> PageResult {
    admin_only(&user)?;
    render(ConnectPage {
        tr,
        me: Me::of(&user),
        setup: state.login.as_deref().cloned(),
        found: None,
    })
}

/// Opens Meta's Login dialog (a `state` bound to this admin goes along).
pub async fn start(Agent(user, _): Agent, State(state): State<AppState>) -> PageResult {
    admin_only(&user)?;
    let setup = setup(&state)?;
    let login = state.logins.started.put(&user.username, ());
    Ok(Redirect::to(&setup.dialog(&login)).into_response())
}

#[derive(Deserialize)]
pub struct Callback {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Meta sends the admin back: a code (or why not).
pub async fn callback(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Query(c): Query<Callback>,
) -> PageResult {
    admin_only(&user)?;
    let setup = setup(&state)?;
    if state
        .logins
        .started
        .get(&c.state, &user.username, true)
        .is_none()
    {
        return Err(TeamError::Invalid(Invalid::LoginExpired).into());
    }
    let code = match (c.code, c.error) {
        (Some(code), None) => code,
        (_, error) => {
            let why = c.error_description.or(error).unwrap_or_default();
            return Err(TeamError::Invalid(Invalid::LoginRefused(why)).into());
        }
    };
    let pages = state
        .engine
        .finish_login(Caller::User(&user), setup, &code)
        .await?;
    let id = state.logins.found.put(&user.username, pages.clone());
    render(ConnectPage {
        tr,
        me: Me::of(&user),
        setup: Some(setup.clone()),
        found: Some((id, pages)),
    })
}

/// Connects the pages ticked (`page` repeated) from the login `login`.
pub async fn connect(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    admin_only(&user)?;
    let setup = setup(&state)?;
    let login = f
        .iter()
        .find(|(k, _)| k == "login")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let found = state
        .logins
        .found
        .get(login, &user.username, false)
        .ok_or(TeamError::Invalid(Invalid::LoginExpired))?;
    let chosen: Vec<&ManagedPage> = found
        .iter()
        .filter(|p| f.iter().any(|(k, v)| k == "page" && *v == p.id))
        .collect();
    for page in &chosen {
        state
            .engine
            .connect_page(Caller::User(&user), setup, page)
            .await?;
    }
    state.logins.found.get(login, &user.username, true);
    let to = match chosen.as_slice() {
        [one] => format!("/settings/connect/{}", one.id),
        _ => "/settings".into(),
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Template)]
#[template(path = "connection.html")]
struct ConnectionPage {
    tr: Tr,
    me: Me,
    page_name: String,
    page_id: String,
    last_event_at: Option<Time>,
    status: PageStatus,
    verify_token: String,
    now: Time,
}

/// Whether webhooks from the page arrive: the latest event's time.
#[derive(Template)]
#[template(path = "connection_arrival.html")]
struct Arrival {
    tr: Tr,
    page_id: String,
    last_event_at: Option<Time>,
    now: Time,
}

impl ConnectionPage {
    fn review_id(&self, r: &Review) -> &'static str {
        match r {
            Review::Approved => "connect-review-approved",
            Review::Pending => "connect-review-pending",
            Review::Refused => "connect-review-refused",
            Review::Unknown => "connect-review-unknown",
        }
    }

    /// Meta's words on a dead token.
    fn refusal(&self) -> String {
        match &self.status.token {
            Ok(info) => info
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default(),
            Err(e) => e.clone(),
        }
    }

    /// When the token expires, in the reader's words (`None`: it does not, or is unknown).
    fn expiry(&self) -> Option<String> {
        let at = self
            .status
            .token
            .as_ref()
            .ok()?
            .expires_at
            .filter(|at| *at > 0)?;
        Some(self.tr.date_time(Time::from_ms(at * 1000).timestamp()))
    }
}

pub async fn status(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> PageResult {
    let setup = setup(&state)?;
    let status = state
        .engine
        .page_status(Caller::User(&user), setup, &page_id)
        .await?;
    let page_name = state
        .store()
        .page(&page_id)
        .await?
        .and_then(|p| p.name)
        .unwrap_or_else(|| page_id.clone());
    render(ConnectionPage {
        tr,
        me: Me::of(&user),
        page_name,
        verify_token: setup.verify_token.clone(),
        page_id,
        last_event_at: status.last_event_at,
        status,
        now: Time::now(),
    })
}

/// The "do webhooks arrive" part alone, which the page polls until one has.
pub async fn arrival(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
) -> PageResult {
    admin_only(&user)?;
    render(Arrival {
        tr,
        last_event_at: state.store().last_event_at(&page_id).await?,
        page_id,
        now: Time::now(),
    })
}
