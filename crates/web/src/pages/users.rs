//! Settings → Users: the team (name, role, language, state). Admins add users (with a first
//! password, which the user changes in My account) and disable or enable them; nobody disables
//! themselves.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use store::{Role, User};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageResult, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    tr: Tr,
    me: Me,
    users: Vec<User>,
}

pub async fn page(Agent(user, tr): Agent, State(state): State<AppState>) -> PageResult {
    render(UsersPage {
        tr,
        me: Me::of(&user),
        users: state.store().users().await?,
    })
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    password: String,
    role: String,
}

pub async fn add(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Form(f): Form<NewUserForm>,
) -> PageResult {
    let role = if f.role == "admin" {
        Role::Admin
    } else {
        Role::Agent
    };
    state
        .engine
        .add_user_as(&user, &f.username, &f.password, role)
        .await?;
    Ok(Redirect::to("/settings/users").into_response())
}

#[derive(Deserialize)]
pub struct DisabledForm {
    disabled: String,
}

pub async fn set_disabled(
    Agent(user, _): Agent,
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(f): Form<DisabledForm>,
) -> PageResult {
    state
        .engine
        .set_user_disabled_as(&user, &username, f.disabled == "true")
        .await?;
    Ok(Redirect::to("/settings/users").into_response())
}
