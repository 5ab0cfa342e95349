//! The only way a message leaves Fenestra: [`submit`] judges it with `policy::decide` against
//! the store as it is now, writes the decision to the audit log, and queues it (with exactly
//! the `messaging_type`, tag and recipient the decision gave) only if it was allowed. The
//! delivery worker does the sending.

use std::fmt;

use messenger::send::{OutgoingMessage, OutgoingQuickReply, Recipient, SendRequest, SenderAction};
use policy::decision::{Recipient as Via, Send};
use policy::scenario::{self as s, RequestedTag, Sender, TemplateStatus, UtilityTemplate};
use policy::{Decision, Verdict};
use serde::Serialize;
use serde_json::json;
use store::{Consume, Enqueue, NewAudit, NewSend, SendKind, Store, Template};

use crate::scenario;

/// Who asks for the message. Only a person may use `HUMAN_AGENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Agent(String),
    Automation(&'static str),
    Broadcast(i64),
}

impl Actor {
    fn sender(&self) -> Sender {
        match self {
            Actor::Agent(_) => Sender::HumanAgent,
            Actor::Automation(_) => Sender::Bot,
            Actor::Broadcast(_) => Sender::Broadcast,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Agent(name) => write!(f, "agent:{name}"),
            Actor::Automation(name) => write!(f, "automation:{name}"),
            Actor::Broadcast(id) => write!(f, "broadcast:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    Text(String),
    /// An approved utility template with its named parameters filled.
    Template {
        name: String,
        language: String,
        params: Vec<(String, String)>,
    },
}

/// A message someone wants to send.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub page_id: String,
    pub psid: String,
    #[serde(skip)]
    pub actor: Actor,
    pub content: Content,
    /// A tag asked for (`HUMAN_AGENT`); the decision says whether it is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_time_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_reply_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<OutgoingQuickReply>,
    /// Show the typing indicator first (inside the window only).
    #[serde(skip)]
    pub typing: bool,
    /// Queue nothing if this key was queued before.
    #[serde(skip)]
    pub dedupe_key: Option<String>,
}

impl Draft {
    pub fn text(page_id: &str, psid: &str, actor: Actor, text: &str) -> Draft {
        Draft {
            page_id: page_id.to_owned(),
            psid: psid.to_owned(),
            actor,
            content: Content::Text(text.to_owned()),
            tag: None,
            one_time_token: None,
            notification_token: None,
            private_reply_to: None,
            persona_id: None,
            quick_replies: vec![],
            typing: false,
            dedupe_key: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("page {0} is not known to Fenestra: add it with `fenestra page add`")]
    UnknownPage(String),
    #[error(
        "template `{name}` ({language}) is not known for page {page}: sync the templates (`fenestra template sync`) or create it"
    )]
    UnknownTemplate {
        page: String,
        name: String,
        language: String,
    },
    #[error("template `{name}` needs the parameter `{param}`")]
    MissingParameter { name: String, param: String },
    #[error("the message is empty")]
    Empty,
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// What became of a draft.
#[derive(Debug, Clone, Serialize)]
pub struct Submitted {
    pub decision: Decision,
    /// `None` when an automation's dedupe key was queued before (nothing was written).
    pub audit_id: Option<i64>,
    /// The queued sends (typing indicator first, then the message); empty when refused.
    pub outbox_ids: Vec<i64>,
}

impl Submitted {
    pub fn allowed(&self) -> bool {
        self.decision.verdict == Verdict::Allow
    }
}

/// Judges `draft` at `now`, audits the decision and queues the message if it is allowed.
pub async fn submit(store: &dyn Store, draft: &Draft, now: i64) -> Result<Submitted, SubmitError> {
    let (decision, enqueue) = judge(store, draft, now).await?;
    let enqueued = store.enqueue(&enqueue).await?;
    Ok(Submitted {
        decision,
        audit_id: enqueued.audit_id,
        outbox_ids: enqueued.outbox_ids,
    })
}

/// The decision on `draft` at `now`, and what [`submit`] would write. Nothing is written: the
/// composer shows this verdict while the agent types.
pub async fn judge(
    store: &dyn Store,
    draft: &Draft,
    now: i64,
) -> Result<(Decision, Enqueue), SubmitError> {
    let page = store
        .page(&draft.page_id)
        .await?
        .ok_or_else(|| SubmitError::UnknownPage(draft.page_id.clone()))?;
    let (text, utility_template, template_json) = match &draft.content {
        Content::Text(t) if t.trim().is_empty() => return Err(SubmitError::Empty),
        Content::Text(t) => (t.clone(), None, None),
        Content::Template {
            name,
            language,
            params,
        } => {
            let templates = store.templates(&page.id).await?;
            let t = templates
                .iter()
                .find(|t| &t.name == name && &t.language == language)
                .ok_or_else(|| SubmitError::UnknownTemplate {
                    page: page.id.clone(),
                    name: name.clone(),
                    language: language.clone(),
                })?;
            let text = render(t, params)?;
            let declared = UtilityTemplate {
                name: name.clone(),
                status: template_status(&t.status),
            };
            (text, Some(declared), Some(template_message(t, params)))
        }
    };
    let (policy_page, contact) = scenario::load(store, &page, &draft.psid, now).await?;
    let scenario = policy::Scenario {
        now: scenario::at(now),
        page: policy_page,
        contact,
        message: s::Message {
            sender: draft.actor.sender(),
            text: text.clone(),
            tag: draft.tag.clone().map(RequestedTag::from),
            one_time_token: draft.one_time_token.clone(),
            notification_token: draft.notification_token.clone(),
            private_reply_to: draft.private_reply_to.clone(),
            utility_template,
            marketing_token: None,
            sender_action: None,
            promotional: None,
        },
    };
    let decision = policy::decide(&scenario);
    let mut enqueue = Enqueue {
        audit: NewAudit {
            at: now,
            page_id: page.id.clone(),
            psid: draft.psid.clone(),
            actor: draft.actor.to_string(),
            message: serde_json::to_string(draft).expect("a draft serializes"),
            verdict: match decision.verdict {
                Verdict::Allow => "allow",
                Verdict::Deny => "deny",
            }
            .to_owned(),
            rule: json!(decision.rule).as_str().unwrap_or_default().to_owned(),
            explanation: decision.explanation.clone(),
            decision: serde_json::to_string(&decision).expect("a decision serializes"),
        },
        sends: vec![],
        consume: None,
    };
    if let Some(send) = &decision.send {
        let message = OutgoingMessage {
            text: template_json.is_none().then_some(text),
            template: template_json,
            quick_replies: draft.quick_replies.clone(),
            ..OutgoingMessage::default()
        };
        let window_open = decision.window.is_some_and(|w| w.open);
        if draft.typing && window_open && matches!(send.recipient, Via::Id(_)) {
            enqueue.sends.push(NewSend {
                kind: SendKind::SenderAction,
                request: typing_on(&draft.psid),
                dedupe_key: draft.dedupe_key.as_ref().map(|k| format!("{k}:typing")),
            });
        }
        enqueue.sends.push(NewSend {
            kind: SendKind::Message,
            request: request(send, message, draft.persona_id.clone()),
            dedupe_key: draft.dedupe_key.clone(),
        });
        enqueue.consume = consumed(&send.recipient);
    }
    Ok((decision, enqueue))
}

/// The Send API body, exactly as decided.
fn request(send: &Send, message: OutgoingMessage, persona_id: Option<String>) -> String {
    let recipient = match &send.recipient {
        Via::Id(id) => Recipient::Id(id.clone()),
        Via::CommentId(c) => Recipient::CommentId(c.clone()),
        Via::OneTimeNotifToken(t) => Recipient::OneTimeNotifToken(t.clone()),
        Via::NotificationMessagesToken(t) => Recipient::NotificationMessagesToken(t.clone()),
        // Drafts carry no marketing token: paid marketing messages are not sent from here.
        Via::SubscriptionToken(_) => return String::new(),
    };
    let req = SendRequest {
        recipient,
        messaging_type: Some(send.messaging_type),
        tag: send.tag,
        message: Some(message),
        sender_action: None,
        notification_type: None,
        persona_id,
    };
    serde_json::to_string(&req).expect("a send request serializes")
}

fn typing_on(psid: &str) -> String {
    action_request(psid, SenderAction::TypingOn)
}

fn action_request(psid: &str, action: SenderAction) -> String {
    let req = SendRequest {
        recipient: Recipient::Id(psid.to_owned()),
        messaging_type: None,
        tag: None,
        message: None,
        sender_action: Some(action),
        notification_type: None,
        persona_id: None,
    };
    serde_json::to_string(&req).expect("a send request serializes")
}

/// Whether the customer's 24-hour window is open at `now` (after Meta said it closed, only a
/// newer interaction reopens it).
pub fn window_open(contact: &store::Contact, now: i64) -> bool {
    contact.last_interaction_at.is_some_and(|at| {
        now < at + 24 * 3_600_000 && contact.window_closed_at.is_none_or(|closed| at > closed)
    })
}

/// Queues a sender action (`mark_seen`, `typing_on`) if the customer's window is open: Messenger
/// accepts them only there. Outside it nothing is sent or written (it is not a message, and
/// an agent typing to a closed window is no decision worth a line in the audit). `Ok(None)`
/// when not queued.
pub async fn sender_action(
    store: &dyn Store,
    page_id: &str,
    psid: &str,
    actor: &Actor,
    action: SenderAction,
    dedupe_key: Option<String>,
    now: i64,
) -> Result<Option<i64>, SubmitError> {
    let contact = store.contact(page_id, psid).await?;
    if !contact.as_ref().is_some_and(|c| window_open(c, now)) {
        return Ok(None);
    }
    let name = serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let enqueue = Enqueue {
        audit: NewAudit {
            at: now,
            page_id: page_id.to_owned(),
            psid: psid.to_owned(),
            actor: actor.to_string(),
            message: json!({ "sender_action": name }).to_string(),
            verdict: "allow".to_owned(),
            rule: "standard_window".to_owned(),
            explanation: format!("{name} inside the customer's 24-hour window"),
            decision: json!({ "sender_action": name, "window_open": true }).to_string(),
        },
        sends: vec![NewSend {
            kind: SendKind::SenderAction,
            request: action_request(psid, action),
            dedupe_key,
        }],
        consume: None,
    };
    Ok(store.enqueue(&enqueue).await?.outbox_ids.first().copied())
}

fn consumed(via: &Via) -> Option<Consume> {
    match via {
        Via::Id(_) => None,
        Via::CommentId(c) => Some(Consume::PrivateReply(c.clone())),
        Via::OneTimeNotifToken(t) => Some(Consume::OneTimeToken(t.clone())),
        Via::NotificationMessagesToken(t) => Some(Consume::NotificationToken(t.clone())),
        Via::SubscriptionToken(_) => None,
    }
}

fn template_status(status: &str) -> TemplateStatus {
    match status.to_ascii_uppercase().as_str() {
        "APPROVED" => TemplateStatus::Approved,
        "REJECTED" => TemplateStatus::Rejected,
        "PAUSED" | "DISABLED" => TemplateStatus::Paused,
        _ => TemplateStatus::Pending,
    }
}

/// The template's text with every `{{name}}` filled, as the customer will read it (the policy
/// judges this text).
pub fn render(t: &Template, params: &[(String, String)]) -> Result<String, SubmitError> {
    let mut out = String::with_capacity(t.body.len());
    let mut rest = t.body.as_str();
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        let value = params.iter().find(|(k, _)| k == name).ok_or_else(|| {
            SubmitError::MissingParameter {
                name: t.name.clone(),
                param: name.to_owned(),
            }
        })?;
        out.push_str(&rest[..start]);
        out.push_str(&value.1);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The `{{name}}` parameters a template's body asks for, in order, once each.
pub fn params_of(body: &str) -> Vec<String> {
    let mut names: Vec<String> = vec![];
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim().to_owned();
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &rest[start + len + 2..];
    }
    names
}

fn template_message(t: &Template, params: &[(String, String)]) -> serde_json::Value {
    let parameters: Vec<_> = params
        .iter()
        .map(|(k, v)| json!({"type": "text", "parameter_name": k, "text": v}))
        .collect();
    json!({
        "name": t.name,
        "language": {"code": t.language},
        "components": [{"type": "body", "parameters": parameters}],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Template {
        Template {
            name: "order_shipped".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            status: "APPROVED".into(),
            body: "Hi {{first_name}}, order {{ order_id }} has shipped.".into(),
        }
    }

    #[test]
    fn a_template_asks_for_each_parameter_once() {
        assert_eq!(params_of("{{a}} {{ b }} {{a}}"), vec!["a", "b"]);
        assert!(params_of("no parameters").is_empty());
    }

    #[test]
    fn templates_render_with_every_parameter() {
        let params = vec![
            ("first_name".to_owned(), "Linh".to_owned()),
            ("order_id".to_owned(), "4521".to_owned()),
        ];
        assert_eq!(
            render(&shipped(), &params).unwrap(),
            "Hi Linh, order 4521 has shipped."
        );
        let err = render(&shipped(), &params[..1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template `order_shipped` needs the parameter `order_id`"
        );
    }

    #[test]
    fn actors_are_named_in_the_audit_log() {
        assert_eq!(Actor::Agent("mai".into()).to_string(), "agent:mai");
        assert_eq!(
            Actor::Automation("instant_reply").to_string(),
            "automation:instant_reply"
        );
        assert_eq!(Actor::Broadcast(7).sender(), Sender::Broadcast);
    }
}
