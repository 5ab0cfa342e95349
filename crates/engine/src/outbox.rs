//! The only way anything leaves Fenestra: [`Engine::submit`] judges a message with
//! `policy::decide` against the store as it is now, writes the decision to the audit log, and
//! queues it (with exactly the `messaging_type`, tag and recipient the decision gave) only if
//! it was allowed; [`Engine::sender_action`] does the same for typing indicators and read
//! receipts (policy rule 10b). The delivery worker does the sending.
//!
//! Invariants:
//! * every outbox row has an audit entry whose decision allowed exactly that request;
//! * what a send uses up (a one-time token, a private reply, a notification period) is marked
//!   in the transaction that queues it;
//! * a refused message or read receipt is audited with its rule; a refused typing indicator is
//!   not (nobody asked for it: it follows keystrokes) and nothing is queued.

use std::fmt;
use std::time::Duration;

use messenger::send::{OutgoingMessage, OutgoingQuickReply, Recipient, SendRequest};
use policy::decision::{Recipient as Via, Send};
use policy::scenario::{self as s, RequestedTag, Sender, SenderAction, UtilityTemplate};
use policy::{Decision, Verdict};
use serde::Serialize;
use store::{Consume, Enqueue, NewAudit, NewSend, SendKind, Time};

use crate::templates::{render, template_message};
use crate::{Engine, rich, scenario};

/// Who asks for the message. Only a person may use `HUMAN_AGENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Agent(String),
    Automation(&'static str),
    /// A step of a flow (its name): shown and counted as an automation.
    Flow(String),
    Broadcast(i64),
    /// An integration calling the API with a token.
    Api(String),
}

impl Actor {
    fn sender(&self) -> Sender {
        match self {
            Actor::Agent(_) => Sender::HumanAgent,
            Actor::Automation(_) | Actor::Flow(_) => Sender::Bot,
            Actor::Broadcast(_) => Sender::Broadcast,
            Actor::Api(_) => Sender::Api,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Agent(name) => write!(f, "agent:{name}"),
            Actor::Automation(name) => write!(f, "automation:{name}"),
            Actor::Flow(name) => write!(f, "automation:flow:{name}"),
            Actor::Broadcast(id) => write!(f, "broadcast:{id}"),
            Actor::Api(name) => write!(f, "api:{name}"),
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
    /// An image, video, audio or file sent before the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<rich::Attachment>,
    /// Up to 3 buttons under the text (a button template).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<rich::Button>,
    /// A carousel after the text (a generic template).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<rich::Card>,
    /// Show the typing indicator first (inside the window only).
    #[serde(skip)]
    pub typing: bool,
    /// Queue nothing if this key was queued before.
    #[serde(skip)]
    pub dedupe_key: Option<String>,
    /// Send as a paid marketing message (broadcasts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing: Option<MarketingDraft>,
    /// Send the text as the title of Meta's opt-in request to marketing messages.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optin_request: bool,
}

/// A paid marketing message: the person's subscription token and the campaign it counts in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketingDraft {
    pub token: String,
    pub campaign_id: String,
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
            attachment: None,
            buttons: vec![],
            cards: vec![],
            typing: false,
            dedupe_key: None,
            marketing: None,
            optin_request: false,
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
    #[error("Meta would refuse this message: {0}")]
    Limit(#[from] rich::Limit),
    #[error("a paid marketing message needs its campaign: only broadcasts send them")]
    NoCampaign,
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

/// The messages a contact received from automations in this long count toward the policy's
/// frequency warning.
const AUTOMATED_WINDOW: Duration = Duration::from_secs(24 * 3_600);

impl Engine {
    /// Judges `draft` now, audits the decision and queues the message if it is allowed; the
    /// delivery worker and open inboxes are told.
    pub async fn submit(&self, draft: &Draft) -> Result<Submitted, SubmitError> {
        let (decision, enqueue) = self.judge(draft, Time::now()).await?;
        let enqueued = self.store.enqueue(&enqueue).await?;
        if !enqueued.outbox_ids.is_empty() {
            self.signals.queued.notify_one();
            // A person answering has read the conversation: its unread mark clears (the
            // customer's "seen" stays a separate, explicit choice).
            if matches!(draft.actor, Actor::Agent(_)) {
                self.store.mark_read(&draft.page_id, &draft.psid).await?;
            }
        }
        self.signals.changed();
        Ok(Submitted {
            decision,
            audit_id: enqueued.audit_id,
            outbox_ids: enqueued.outbox_ids,
        })
    }

    /// The decision on `draft` at `now`, and what [`Engine::submit`] would write. Nothing is
    /// written: the composer shows this verdict while the agent types.
    pub async fn judge(
        &self,
        draft: &Draft,
        now: Time,
    ) -> Result<(Decision, Enqueue), SubmitError> {
        let store = self.store();
        let page = store
            .page(&draft.page_id)
            .await?
            .ok_or_else(|| SubmitError::UnknownPage(draft.page_id.clone()))?;
        let (text, utility_template, template_json) = match &draft.content {
            Content::Text(t) if t.trim().is_empty() && draft.attachment.is_none() => {
                return Err(SubmitError::Empty);
            }
            Content::Text(t) => {
                rich::check(
                    t,
                    draft.attachment.as_ref(),
                    &draft.buttons,
                    &draft.quick_replies,
                )?;
                rich::check_cards(&draft.cards)?;
                (t.clone(), None, None)
            }
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
                    status: scenario::template_status(t.status),
                };
                (text, Some(declared), Some(template_message(t, params)))
            }
        };
        let message = s::Message {
            sender: draft.actor.sender(),
            text: rich::judged_text(&text, &draft.buttons, &draft.cards),
            tag: draft.tag.clone().map(RequestedTag::from),
            one_time_token: draft.one_time_token.clone(),
            notification_token: draft.notification_token.clone(),
            private_reply_to: draft.private_reply_to.clone(),
            utility_template,
            marketing_token: draft.marketing.as_ref().map(|m| m.token.clone()),
            sender_action: None,
            promotional: None,
        };
        let decision = self.decide(&page, &draft.psid, message, now).await?;
        let mut enqueue = Enqueue {
            audit: audit(
                &page.id,
                &draft.psid,
                &draft.actor,
                serde_json::to_string(draft).expect("a draft serializes"),
                &decision,
                now,
            ),
            sends: vec![],
            consume: None,
        };
        if let Some(send) = &decision.send {
            let messages = match template_json {
                _ if draft.optin_request => vec![optin_message(&text)],
                Some(template) => vec![OutgoingMessage {
                    template: Some(template),
                    quick_replies: draft.quick_replies.clone(),
                    ..OutgoingMessage::default()
                }],
                None => rich::messages(
                    &text,
                    draft.attachment.as_ref(),
                    &draft.buttons,
                    &draft.cards,
                    &draft.quick_replies,
                ),
            };
            let window_open = decision.window.is_some_and(|w| w.open);
            if draft.typing && window_open && matches!(send.recipient, Via::Id(_)) {
                enqueue.sends.push(NewSend {
                    kind: SendKind::SenderAction,
                    request: action_request(&draft.psid, SenderAction::TypingOn),
                    dedupe_key: draft.dedupe_key.as_ref().map(|k| format!("{k}:typing")),
                });
            }
            if let Via::SubscriptionToken(token) = &send.recipient {
                let campaign = draft.marketing.as_ref().ok_or(SubmitError::NoCampaign)?;
                enqueue.sends.push(NewSend {
                    kind: SendKind::Marketing,
                    request: marketing_request(token, &campaign.campaign_id, &text, draft),
                    dedupe_key: draft.dedupe_key.clone(),
                });
                enqueue.consume = consumed(&send.recipient);
                return Ok((decision, enqueue));
            }
            let last = messages.len().saturating_sub(1);
            for (i, message) in messages.into_iter().enumerate() {
                // The text keeps the draft's key (what was queued before is known by it);
                // an attachment before it gets its own.
                let dedupe_key = match &draft.dedupe_key {
                    Some(k) if i < last => Some(format!("{k}:part{i}")),
                    k => k.clone(),
                };
                enqueue.sends.push(NewSend {
                    kind: SendKind::Message,
                    request: request(send, message, draft.persona_id.clone())?,
                    dedupe_key,
                });
            }
            enqueue.consume = consumed(&send.recipient);
        }
        Ok((decision, enqueue))
    }

    /// Judges a sender action (`typing_on`, `typing_off`, `mark_seen`) and queues it if the
    /// policy allows it (inside the window, in a thread that is ours, for a customer who did
    /// not opt out). Returns the outbox id, or `None` when refused or already queued under
    /// `dedupe_key`.
    pub async fn sender_action(
        &self,
        page_id: &str,
        psid: &str,
        actor: &Actor,
        action: SenderAction,
        dedupe_key: Option<String>,
    ) -> Result<(Decision, Option<i64>), SubmitError> {
        let now = Time::now();
        let page = self
            .store
            .page(page_id)
            .await?
            .ok_or_else(|| SubmitError::UnknownPage(page_id.to_owned()))?;
        let message = s::Message {
            sender: actor.sender(),
            text: String::new(),
            tag: None,
            one_time_token: None,
            notification_token: None,
            private_reply_to: None,
            utility_template: None,
            marketing_token: None,
            sender_action: Some(action),
            promotional: None,
        };
        let decision = self.decide(&page, psid, message, now).await?;
        let allowed = decision.verdict == Verdict::Allow;
        let typing = matches!(action, SenderAction::TypingOn | SenderAction::TypingOff);
        if !allowed && typing {
            return Ok((decision, None));
        }
        let enqueue = Enqueue {
            audit: audit(
                page_id,
                psid,
                actor,
                serde_json::json!({ "sender_action": action }).to_string(),
                &decision,
                now,
            ),
            sends: if allowed {
                vec![NewSend {
                    kind: SendKind::SenderAction,
                    request: action_request(psid, action),
                    dedupe_key,
                }]
            } else {
                vec![]
            },
            consume: None,
        };
        Ok((decision, self.queue_one(&enqueue).await?))
    }

    /// Writes a decision and its one send (if allowed), and wakes the delivery worker; the
    /// queued row's id.
    pub(crate) async fn queue_one(&self, enqueue: &Enqueue) -> store::Result<Option<i64>> {
        let queued = self
            .store
            .enqueue(enqueue)
            .await?
            .outbox_ids
            .first()
            .copied();
        if queued.is_some() {
            self.signals.queued.notify_one();
        }
        Ok(queued)
    }

    /// `policy::decide` on `message` to `psid`, with the page and the contact as the store
    /// has them at `now`.
    async fn decide(
        &self,
        page: &store::Page,
        psid: &str,
        message: s::Message,
        now: Time,
    ) -> Result<Decision, SubmitError> {
        let (policy_page, contact) =
            scenario::load(self.store(), page, psid, now, AUTOMATED_WINDOW).await?;
        Ok(policy::decide(&policy::Scenario {
            now: now.timestamp(),
            page: policy_page,
            contact,
            message,
        }))
    }
}

fn audit(
    page_id: &str,
    psid: &str,
    actor: &Actor,
    message: String,
    decision: &Decision,
    now: Time,
) -> NewAudit {
    NewAudit {
        at: now,
        page_id: page_id.to_owned(),
        psid: psid.to_owned(),
        actor: actor.to_string(),
        message,
        verdict: match decision.verdict {
            Verdict::Allow => store::Verdict::Allow,
            Verdict::Deny => store::Verdict::Deny,
        },
        rule: decision.rule.as_str().to_owned(),
        explanation: decision.explanation.clone(),
        decision: serde_json::to_string(decision).expect("a decision serializes"),
    }
}

/// The Send API body, exactly as decided.
fn request(
    send: &Send,
    message: OutgoingMessage,
    persona_id: Option<String>,
) -> Result<String, SubmitError> {
    let recipient = match &send.recipient {
        Via::Id(id) => Recipient::Id(id.clone()),
        Via::CommentId(c) => Recipient::CommentId(c.clone()),
        Via::OneTimeNotifToken(t) => Recipient::OneTimeNotifToken(t.clone()),
        Via::NotificationMessagesToken(t) => Recipient::NotificationMessagesToken(t.clone()),
        Via::SubscriptionToken(_) => return Err(SubmitError::NoCampaign),
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
    Ok(serde_json::to_string(&req).expect("a send request serializes"))
}

fn action_request(psid: &str, action: SenderAction) -> String {
    let action = match action {
        SenderAction::TypingOn => messenger::send::SenderAction::TypingOn,
        SenderAction::TypingOff => messenger::send::SenderAction::TypingOff,
        SenderAction::MarkSeen => messenger::send::SenderAction::MarkSeen,
    };
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

/// Meta's opt-in request to marketing messages, titled `title`; its payload comes back in the
/// opt-in webhook.
fn optin_message(title: &str) -> OutgoingMessage {
    OutgoingMessage {
        attachment: Some(serde_json::json!({"type": "template", "payload": {
            "template_type": "notification_messages", "title": title, "payload": "FENESTRA_MARKETING_OPTIN",
            "notification_messages_cta_text": "GET_UPDATES"}})),
        ..OutgoingMessage::default()
    }
}

/// The Marketing Message API body: the text (Meta fills `{{first_name}}`), with its buttons as
/// a button template, or with the image as a one-card generic template.
fn marketing_request(token: &str, campaign_id: &str, text: &str, draft: &Draft) -> String {
    let buttons: Vec<serde_json::Value> = draft
        .buttons
        .iter()
        .map(|b| serde_json::to_value(b).expect("a button serializes"))
        .collect();
    let image = draft
        .attachment
        .as_ref()
        .filter(|a| a.kind == rich::AttachmentKind::Image)
        .and_then(|a| a.url.clone());
    let message = match (image, buttons.is_empty()) {
        (Some(url), _) => OutgoingMessage {
            attachment: Some(
                serde_json::json!({"type": "template", "payload": {"template_type": "generic",
                "elements": [{"title": text.chars().take(80).collect::<String>(), "image_url": url, "buttons": buttons}]}}),
            ),
            ..OutgoingMessage::default()
        },
        (None, false) => OutgoingMessage {
            attachment: Some(
                serde_json::json!({"type": "template", "payload": {"template_type": "button",
                "text": text, "buttons": buttons}}),
            ),
            ..OutgoingMessage::default()
        },
        (None, true) => OutgoingMessage {
            text: Some(text.to_owned()),
            ..OutgoingMessage::default()
        },
    };
    let body = messenger::marketing::MarketingSend {
        message_id: campaign_id.to_owned(),
        messenger_delivery_data: messenger::marketing::DeliveryData {
            subscription_token: token.to_owned(),
        },
        message,
        min_conversation_gap_seconds: None,
    };
    serde_json::to_string(&body).expect("a marketing body serializes")
}

fn consumed(via: &Via) -> Option<Consume> {
    match via {
        Via::Id(_) => None,
        Via::SubscriptionToken(t) => Some(Consume::MarketingToken(t.clone())),
        Via::CommentId(c) => Some(Consume::PrivateReply(c.clone())),
        Via::OneTimeNotifToken(t) => Some(Consume::OneTimeToken(t.clone())),
        Via::NotificationMessagesToken(t) => Some(Consume::NotificationToken(t.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_are_named_in_the_audit_log() {
        assert_eq!(Actor::Agent("mai".into()).to_string(), "agent:mai");
        assert_eq!(
            Actor::Automation("instant_reply").to_string(),
            "automation:instant_reply"
        );
        assert_eq!(Actor::Broadcast(7).sender(), Sender::Broadcast);
        assert_eq!(Actor::Api("crm".into()).sender(), Sender::Api);
    }
}
