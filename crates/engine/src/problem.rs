//! Why a request is refused, as values: the API and the CLI print them in English (`Display`),
//! the inbox in the reader's language (the web crate maps each variant to a message).

/// What only an admin may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Forbidden {
    #[error("assign a conversation to someone else")]
    AssignOthers,
    #[error("take a colleague's conversation")]
    TakeColleagues,
    #[error("unassign a conversation from someone else")]
    UnassignOthers,
    #[error("create personas")]
    Personas,
    #[error("change saved replies")]
    SavedReplies,
    #[error("export a customer's data")]
    ExportCustomer,
    #[error("erase a customer")]
    EraseCustomer,
    #[error("change how long conversations are kept")]
    Retention,
    #[error("change a page's settings")]
    PageSettings,
    #[error("add or disable users")]
    Users,
    #[error("submit templates")]
    Templates,
    #[error("change the automations")]
    Automations,
    #[error("send broadcasts, change audiences or import customer lists")]
    Broadcasts,
    #[error("make or remove links, QR codes and signed links")]
    EntryPoints,
}

/// Input that is understood but wrong; each names what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("a label cannot be empty")]
    LabelEmpty,
    #[error("a label has at most {max} characters; `{label}` has more")]
    LabelTooLong { label: String, max: usize },
    #[error("a label cannot contain a comma: `{0}`")]
    LabelComma(String),
    #[error("a label cannot contain control characters")]
    LabelControl,
    #[error("status must be open or closed, not `{0}`")]
    Status(String),
    #[error("window must be open or closed, not `{0}`")]
    Window(String),
    #[error("search text is at most {max} characters")]
    SearchTooLong { max: usize },
    #[error("search text and labels cannot contain control characters")]
    SearchControl,
    #[error("a note cannot be empty")]
    NoteEmpty,
    #[error("a persona needs a name")]
    PersonaName,
    #[error("a persona's picture must be an http(s) URL, not `{0}`")]
    PersonaPicture(String),
    #[error("a saved reply needs a name and a text")]
    ReplyEmpty,
    #[error("allowed_domains: `{0}` is not a domain name such as shop.example.com")]
    Domain(String),
    #[error("you cannot disable yourself: another admin can")]
    DisableSelf,
    #[error("`{0}` cannot be a template name: lower-case letters, digits and underscores")]
    TemplateName(String),
    #[error("a template needs a text")]
    TemplateBody,
    #[error("retention_days: keep conversations 1 to {max} days, or leave it empty to keep them")]
    Retention { max: u32 },
    #[error("type `{word}` (or `erase`) to confirm: erasing cannot be undone")]
    EraseConfirm { word: String },
    #[error("`{0}` is not a time zone such as Asia/Ho_Chi_Minh")]
    TimeZone(String),
    #[error("language `{0}` is not one of vi, en, ar, ms, it")]
    Language(String),
    #[error("a password has at least {min} characters")]
    PasswordShort { min: usize },
    #[error("the two new passwords differ")]
    PasswordMismatch,
    #[error("the current password is wrong")]
    PasswordWrong,
    #[error("not a Web Push subscription (an endpoint and p256dh/auth keys)")]
    PushSubscription,
    #[error("the Facebook login manages no page: log in as a person with a role on the page")]
    NoManagedPages,
    #[error("the Facebook login was cancelled or refused: {0}")]
    LoginRefused(String),
    #[error("this Facebook login is unknown or older than 15 minutes: start again")]
    LoginExpired,
    #[error(
        "connecting pages needs FENESTRA_APP_ID (--app-id) and the address Meta reaches Fenestra at, FENESTRA_PUBLIC_URL (--public-url)"
    )]
    LoginNotConfigured,
}
