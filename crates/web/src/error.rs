//! How the engine's errors answer over HTTP: one status per kind of error, decided here for
//! both the inbox ([`PageError`], shown in the reader's language by the session layer) and the
//! API (`api::ApiError`, JSON in English); and one message per kind, as Fluent ids.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use engine::accounts::AccountError;
use engine::outbox::SubmitError;
use engine::problem::{Forbidden, Invalid};
use engine::team::TeamError;
use i18n::{Arg, Tr};

/// The status that says what went wrong.
pub fn status(e: &TeamError) -> StatusCode {
    match e {
        TeamError::NoConversation { .. } | TeamError::NoPage(_) => StatusCode::NOT_FOUND,
        TeamError::NoUser(_) | TeamError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        TeamError::AdminOnly(_) => StatusCode::FORBIDDEN,
        TeamError::NoPageToken(_) | TeamError::Graph(_) => StatusCode::BAD_GATEWAY,
        TeamError::Submit(SubmitError::Store(_)) | TeamError::Store(_) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        TeamError::Account(
            AccountError::BadUsername(_) | AccountError::ShortPassword | AccountError::Taken(_),
        ) => StatusCode::UNPROCESSABLE_ENTITY,
        TeamError::Account(_) => StatusCode::INTERNAL_SERVER_ERROR,
        TeamError::Submit(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A message to show, in whatever language the reader reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message { id, args: vec![] }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    pub fn text(&self, tr: &Tr) -> String {
        tr.format(self.id, &self.args)
    }
}

/// What the reader is told when `e` refuses their request.
pub fn message(e: &TeamError) -> Message {
    match e {
        TeamError::NoConversation { .. } => Message::new("error-no-conversation"),
        TeamError::NoPage(id) => Message::new("error-no-page").with("id", id),
        TeamError::NoUser(name) => Message::new("error-no-user").with("name", name),
        TeamError::Invalid(i) => invalid(i),
        TeamError::AdminOnly(f) => Message::new(forbidden(*f)),
        TeamError::NoPageToken(id) => Message::new("error-no-page-token").with("id", id),
        TeamError::Graph(e) => Message::new("error-graph").with("detail", e.to_string()),
        TeamError::Submit(s) => submit(s),
        TeamError::Account(AccountError::BadUsername(name)) => {
            Message::new("invalid-username").with("name", name)
        }
        TeamError::Account(AccountError::ShortPassword) => {
            Message::new("invalid-password-short").with("min", engine::accounts::MIN_PASSWORD)
        }
        TeamError::Account(AccountError::Taken(name)) => {
            Message::new("invalid-username-taken").with("name", name)
        }
        TeamError::Store(_) | TeamError::Account(_) => Message::new("error-unavailable"),
    }
}

fn forbidden(f: Forbidden) -> &'static str {
    match f {
        Forbidden::AssignOthers => "forbidden-assign-others",
        Forbidden::TakeColleagues => "forbidden-take-colleagues",
        Forbidden::UnassignOthers => "forbidden-unassign-others",
        Forbidden::Personas => "forbidden-personas",
        Forbidden::Automations => "forbidden-automations",
        Forbidden::Broadcasts => "forbidden-broadcasts",
        Forbidden::EntryPoints => "forbidden-entry-points",
        Forbidden::SavedReplies => "forbidden-saved-replies",
        Forbidden::ExportCustomer => "forbidden-export-customer",
        Forbidden::EraseCustomer => "forbidden-erase-customer",
        Forbidden::Retention => "forbidden-retention",
        Forbidden::PageSettings => "forbidden-page-settings",
        Forbidden::Users => "forbidden-users",
        Forbidden::Templates => "forbidden-templates",
    }
}

fn invalid(i: &Invalid) -> Message {
    match i {
        Invalid::LabelEmpty => Message::new("invalid-label-empty"),
        Invalid::LabelTooLong { max, .. } => {
            Message::new("invalid-label-too-long").with("max", *max)
        }
        Invalid::LabelComma(_) => Message::new("invalid-label-comma"),
        Invalid::LabelControl => Message::new("invalid-label-control"),
        Invalid::Status(v) => Message::new("invalid-status").with("value", v),
        Invalid::Window(v) => Message::new("invalid-window").with("value", v),
        Invalid::SearchTooLong { max } => Message::new("invalid-search-too-long").with("max", *max),
        Invalid::SearchControl => Message::new("invalid-search-control"),
        Invalid::NoteEmpty => Message::new("invalid-note-empty"),
        Invalid::PersonaName => Message::new("invalid-persona-name"),
        Invalid::PersonaPicture(_) => Message::new("invalid-persona-picture"),
        Invalid::ReplyEmpty => Message::new("invalid-reply-empty"),
        Invalid::Domain(d) => Message::new("invalid-domain").with("domain", d),
        Invalid::DisableSelf => Message::new("invalid-disable-self"),
        Invalid::TemplateName(n) => Message::new("invalid-template-name").with("name", n),
        Invalid::TemplateBody => Message::new("invalid-template-body"),
        Invalid::Retention { max } => {
            Message::new("invalid-retention").with("max", i64::from(*max))
        }
        Invalid::EraseConfirm { word } => Message::new("invalid-erase-confirm").with("word", word),
        Invalid::TimeZone(z) => Message::new("invalid-time-zone").with("zone", z),
        Invalid::NoManagedPages => Message::new("invalid-no-managed-pages"),
        Invalid::LoginRefused(why) => Message::new("invalid-login-refused").with("why", why),
        Invalid::LoginExpired => Message::new("invalid-login-expired"),
        Invalid::LoginNotConfigured => Message::new("invalid-login-not-configured"),
        Invalid::Language(_) => Message::new("invalid-language"),
        Invalid::PasswordShort { min } => Message::new("invalid-password-short").with("min", *min),
        Invalid::PasswordMismatch => Message::new("invalid-password-mismatch"),
        Invalid::PasswordWrong => Message::new("invalid-password-wrong"),
        Invalid::PushSubscription => Message::new("invalid-push-subscription"),
    }
}

/// What keeps a draft from being judged or sent.
pub fn submit(e: &SubmitError) -> Message {
    match e {
        SubmitError::UnknownPage(id) => Message::new("error-unknown-page").with("id", id),
        SubmitError::UnknownTemplate { name, language, .. } => {
            Message::new("error-unknown-template")
                .with("name", name)
                .with("language", language)
        }
        SubmitError::MissingParameter { name, param } => Message::new("error-missing-parameter")
            .with("name", name)
            .with("param", param),
        SubmitError::Empty => Message::new("error-empty"),
        SubmitError::Limit(l) => Message::new("error-meta-limit").with("detail", l.to_string()),
        SubmitError::NoCampaign => Message::new("error-not-send-api"),
        SubmitError::Store(_) => Message::new("error-unavailable"),
    }
}

/// An error in the inbox. Its response carries it as an extension; the session layer, which
/// knows the reader, renders it as a page (or, for htmx, as a message in the page's #flash).
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub message: Message,
}

impl PageError {
    pub fn new(status: StatusCode, message: Message) -> PageError {
        PageError { status, message }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: &'a Tr,
    status: u16,
    message: String,
}

#[derive(Template)]
#[template(path = "flash.html")]
struct Flash<'a> {
    tr: &'a Tr,
    message: String,
}

/// `e` shown to the reader: the whole error page, or for htmx the message alone, put in the
/// page's #flash (the page and what was being typed stay).
pub fn render_error(e: &PageError, tr: &Tr, htmx: bool) -> Response {
    let message = e.message.text(tr);
    let html = if htmx {
        Flash { tr, message }.render()
    } else {
        ErrorPage {
            tr,
            status: e.status.as_u16(),
            message,
        }
        .render()
    };
    let mut response = match html {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(_) => (e.status, e.message.text(tr)).into_response(),
    };
    if htmx {
        let h = response.headers_mut();
        h.insert(
            "hx-retarget",
            axum::http::HeaderValue::from_static("#flash"),
        );
        h.insert(
            "hx-reswap",
            axum::http::HeaderValue::from_static("innerHTML"),
        );
    }
    response
}

impl From<TeamError> for PageError {
    fn from(e: TeamError) -> PageError {
        if matches!(e, TeamError::Store(_) | TeamError::Account(_)) {
            tracing::error!(error = %e, "a page could not be served");
        }
        PageError::new(status(&e), message(&e))
    }
}

impl From<Invalid> for PageError {
    fn from(e: Invalid) -> PageError {
        TeamError::from(e).into()
    }
}

impl From<store::StoreError> for PageError {
    fn from(e: store::StoreError) -> PageError {
        TeamError::from(e).into()
    }
}

impl From<SubmitError> for PageError {
    fn from(e: SubmitError) -> PageError {
        TeamError::from(e).into()
    }
}

impl From<engine::automations::AutomationsError> for PageError {
    fn from(e: engine::automations::AutomationsError) -> PageError {
        use engine::automations::AutomationsError as E;
        match e {
            E::UnknownPage(id) => TeamError::NoPage(id).into(),
            E::UnknownStep(step) => PageError::new(
                StatusCode::NOT_FOUND,
                Message::new("flows-no-step").with("step", step),
            ),
            E::AdminOnly(f) => TeamError::AdminOnly(f).into(),
            E::Store(s) => s.into(),
            E::Refused(r) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                Message::new("automations-refused").with("problems", r.to_string()),
            ),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> PageError {
        tracing::error!(error = %e, "a page failed to render");
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Message::new("error-render"),
        )
    }
}

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

/// Renders a template into a response.
pub fn render(t: impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

impl From<engine::broadcast::BroadcastError> for PageError {
    fn from(e: engine::broadcast::BroadcastError) -> PageError {
        use engine::broadcast::BroadcastError as E;
        match e {
            E::UnknownPage(id) => TeamError::NoPage(id).into(),
            E::Store(s) => s.into(),
            E::UnknownBroadcast(id) => PageError::new(
                StatusCode::NOT_FOUND,
                Message::new("broadcast-unknown").with("id", id),
            ),
            E::WrongState { status, .. } => PageError::new(
                StatusCode::CONFLICT,
                Message::new("broadcast-wrong-state").with("status", status.as_str()),
            ),
            E::Campaign(detail) => PageError::new(
                StatusCode::BAD_GATEWAY,
                Message::new("broadcast-campaign-refused").with("detail", detail),
            ),
            e
            @ (E::Spec(_) | E::Segment(_) | E::UnknownAudience(_) | E::UnknownTemplate { .. }) => {
                PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Message::new("broadcast-invalid").with("detail", e.to_string()),
                )
            }
        }
    }
}

impl From<engine::links::LinkError> for PageError {
    fn from(e: engine::links::LinkError) -> PageError {
        use engine::links::LinkError as E;
        match e {
            E::UnknownPage(id) => TeamError::NoPage(id).into(),
            E::Store(s) => s.into(),
            E::NotFound(r) => PageError::new(
                StatusCode::NOT_FOUND,
                Message::new("links-unknown").with("ref", r),
            ),
            E::Invalid { field, problem } => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                Message::new("links-invalid")
                    .with("field", field)
                    .with("problem", problem),
            ),
        }
    }
}
