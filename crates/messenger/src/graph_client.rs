//! An async client for the Graph endpoints Fenestra calls, against any base URL (Meta's
//! `https://graph.facebook.com/v27.0`, or the emulator's).
//!
//! Every failure says what the caller may do next ([`SendError::class`]) and, crucially for a
//! sender that must never send twice, whether the message may have gone out anyway
//! ([`SendError::outcome_unknown`]): then the caller waits for the echo carrying its metadata
//! before sending again.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::graph_error::Meaning;
use crate::graph_error::{ErrorClass, GraphError, GraphErrorBody};
use crate::send::{SendRequest, SendResponse};

#[derive(Debug, Clone)]
pub struct GraphClient {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Meta answered with an error body.
    #[error("Graph API error {} (subcode {:?}, HTTP {status}): {}", error.code(), error.error_subcode, error.message)]
    Graph { status: u16, error: GraphError },
    /// The request could not be made (refused, DNS): nothing was sent.
    #[error("cannot reach the Graph API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// Sent, but no answer in time or the connection broke: it may have been delivered.
    #[error("no usable answer from the Graph API: {0}")]
    NoAnswer(String),
    /// An answer that is neither a success nor a Graph error.
    #[error("unexpected answer from the Graph API (HTTP {status}): {body}")]
    Unexpected { status: u16, body: String },
}

impl SendError {
    /// What the failure means (see [`Meaning`]): Meta's error read once, and a failure to get
    /// an answer at all is temporary.
    pub fn meaning(&self) -> Meaning {
        match self {
            SendError::Graph { status, error }
                if *status >= 500 && error.meaning() == Meaning::InvalidRequest =>
            {
                Meaning::Temporary
            }
            SendError::Graph { error, .. } => error.meaning(),
            SendError::Unreachable { .. } | SendError::NoAnswer(_) => Meaning::Temporary,
            SendError::Unexpected { status, .. } if *status >= 500 => Meaning::Temporary,
            SendError::Unexpected { .. } => Meaning::InvalidRequest,
        }
    }

    pub fn class(&self) -> ErrorClass {
        self.meaning().class()
    }

    /// Whether the message may have been delivered although the call failed: a lost answer, a
    /// server error, or Meta's "received invalid JSON reply" (1/1357046), which Meta documents
    /// as sent anyway. The caller must reconcile (wait for the echo) before sending again.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            SendError::NoAnswer(_) => true,
            SendError::Graph { error, .. } => {
                error.code() == 1 && error.error_subcode == Some(1357046)
            }
            SendError::Unexpected { status, .. } => *status >= 500,
            SendError::Unreachable { .. } => false,
        }
    }
}

/// An app subscribed to a page's webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubscribedApp {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub subscribed_fields: Vec<String>,
}

/// A customer's public profile (`GET /{psid}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserProfile {
    pub id: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub profile_pic: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub timezone: Option<f64>,
    #[serde(default)]
    pub gender: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MessageTemplate {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub category: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub components: Vec<TemplateComponent>,
}

impl MessageTemplate {
    /// The text of the `BODY` component.
    pub fn body(&self) -> &str {
        self.components
            .iter()
            .find(|c| c.type_.eq_ignore_ascii_case("body"))
            .and_then(|c| c.text.as_deref())
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TemplateComponent {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Deserialize)]
struct TemplateList {
    data: Vec<MessageTemplate>,
}

/// What creating a template or a persona answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CreatedTemplate {
    pub id: String,
    #[serde(default)]
    pub status: String,
}

impl GraphClient {
    /// `base` is the versioned root, e.g. `https://graph.facebook.com/v27.0`.
    pub fn new(base: &str, timeout: Duration) -> GraphClient {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("an HTTP client with default settings builds");
        GraphClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// `POST /me/messages` with the page's token.
    pub async fn send(
        &self,
        page_token: &str,
        request: &SendRequest,
    ) -> Result<SendResponse, SendError> {
        let url = format!("{}/me/messages", self.base);
        self.call(
            self.http.post(&url).bearer_auth(page_token).json(request),
            &url,
        )
        .await
    }

    /// `GET /{psid}?fields=…`.
    pub async fn user_profile(
        &self,
        page_token: &str,
        psid: &str,
        fields: &str,
    ) -> Result<UserProfile, SendError> {
        let url = format!("{}/{psid}", self.base);
        self.call(
            self.http
                .get(&url)
                .bearer_auth(page_token)
                .query(&[("fields", fields)]),
            &url,
        )
        .await
    }

    /// `GET /{page_id}/message_templates`: the page's utility templates and their review status.
    pub async fn templates(
        &self,
        page_token: &str,
        page_id: &str,
    ) -> Result<Vec<MessageTemplate>, SendError> {
        let url = format!("{}/{page_id}/message_templates", self.base);
        let list: TemplateList = self
            .call(self.http.get(&url).bearer_auth(page_token), &url)
            .await?;
        Ok(list.data)
    }

    /// `POST /{page_id}/message_templates`: submits a `UTILITY` template with named parameters
    /// (`{{order_id}}`) for review.
    pub async fn create_template(
        &self,
        page_token: &str,
        page_id: &str,
        name: &str,
        language: &str,
        body: &str,
    ) -> Result<CreatedTemplate, SendError> {
        let url = format!("{}/{page_id}/message_templates", self.base);
        let request = serde_json::json!({
            "name": name, "language": language, "category": "UTILITY", "parameter_format": "NAMED",
            "components": [{"type": "BODY", "text": body}],
        });
        self.call(
            self.http.post(&url).bearer_auth(page_token).json(&request),
            &url,
        )
        .await
    }

    /// `POST /me/personas`: an agent's name and picture to send as; returns the persona's id.
    pub async fn create_persona(
        &self,
        page_token: &str,
        name: &str,
        profile_picture_url: &str,
    ) -> Result<String, SendError> {
        let url = format!("{}/me/personas", self.base);
        let request =
            serde_json::json!({ "name": name, "profile_picture_url": profile_picture_url });
        let created: CreatedTemplate = self
            .call(
                self.http.post(&url).bearer_auth(page_token).json(&request),
                &url,
            )
            .await?;
        Ok(created.id)
    }

    /// `POST /me/messenger_profile`: sets the given properties (Get Started, greeting, ice
    /// breakers, persistent menu), leaving the others as they are.
    pub async fn set_messenger_profile(
        &self,
        page_token: &str,
        properties: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), SendError> {
        let url = format!("{}/me/messenger_profile", self.base);
        let _: serde_json::Value = self
            .call(
                self.http
                    .post(&url)
                    .bearer_auth(page_token)
                    .json(properties),
                &url,
            )
            .await?;
        Ok(())
    }

    /// `DELETE /me/messenger_profile` of the named properties.
    pub async fn delete_messenger_profile(
        &self,
        page_token: &str,
        fields: &[&str],
    ) -> Result<(), SendError> {
        let url = format!("{}/me/messenger_profile", self.base);
        let body = serde_json::json!({ "fields": fields });
        let _: serde_json::Value = self
            .call(
                self.http.delete(&url).bearer_auth(page_token).json(&body),
                &url,
            )
            .await?;
        Ok(())
    }

    /// `POST /me/message_attachments` with the file itself (`filedata`): Meta keeps it and
    /// answers a reusable `attachment_id` to send it by.
    pub async fn upload_attachment(
        &self,
        page_token: &str,
        kind: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<String, SendError> {
        let url = format!("{}/me/message_attachments", self.base);
        let message =
            serde_json::json!({"attachment": {"type": kind, "payload": {"is_reusable": true}}});
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(content_type)
            .map_err(|e| SendError::Unreachable {
                url: url.clone(),
                reason: format!("content type `{content_type}`: {e}"),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("message", message.to_string())
            .part("filedata", part);
        #[derive(serde::Deserialize)]
        struct Uploaded {
            attachment_id: String,
        }
        let uploaded: Uploaded = self
            .call(
                self.http.post(&url).bearer_auth(page_token).multipart(form),
                &url,
            )
            .await?;
        Ok(uploaded.attachment_id)
    }

    /// `GET /{page-id}/subscribed_apps`: the apps that receive the page's webhooks.
    pub async fn subscribed_apps(
        &self,
        page_token: &str,
        page_id: &str,
    ) -> Result<Vec<SubscribedApp>, SendError> {
        #[derive(serde::Deserialize)]
        struct List {
            #[serde(default)]
            data: Vec<SubscribedApp>,
        }
        let url = format!("{}/{page_id}/subscribed_apps", self.base);
        let list: List = self
            .call(self.http.get(&url).bearer_auth(page_token), &url)
            .await?;
        Ok(list.data)
    }

    /// `POST /{page-id}/subscribed_apps?subscribed_fields=…`: this app receives the page's
    /// webhooks for these fields.
    pub async fn subscribe_app(
        &self,
        page_token: &str,
        page_id: &str,
        fields: &[&str],
    ) -> Result<(), SendError> {
        let url = format!("{}/{page_id}/subscribed_apps", self.base);
        let _: serde_json::Value = self
            .call(
                self.http
                    .post(&url)
                    .bearer_auth(page_token)
                    .query(&[("subscribed_fields", fields.join(","))]),
                &url,
            )
            .await?;
        Ok(())
    }

    /// `POST /me/take_thread_control`: this app takes the conversation (Conversation Routing).
    pub async fn take_thread_control(
        &self,
        page_token: &str,
        psid: &str,
        metadata: &str,
    ) -> Result<(), SendError> {
        let body = serde_json::json!({"recipient": {"id": psid}, "metadata": metadata});
        self.thread_control(page_token, "take_thread_control", body)
            .await
    }

    /// `POST /me/pass_thread_control`: hands the conversation to another app (Meta's Business
    /// Suite inbox is `263902037430900`).
    pub async fn pass_thread_control(
        &self,
        page_token: &str,
        psid: &str,
        target_app_id: &str,
        metadata: &str,
    ) -> Result<(), SendError> {
        let body = serde_json::json!({"recipient": {"id": psid}, "target_app_id": target_app_id, "metadata": metadata});
        self.thread_control(page_token, "pass_thread_control", body)
            .await
    }

    async fn thread_control(
        &self,
        page_token: &str,
        edge: &str,
        body: serde_json::Value,
    ) -> Result<(), SendError> {
        let url = format!("{}/me/{edge}", self.base);
        let _: serde_json::Value = self
            .call(
                self.http.post(&url).bearer_auth(page_token).json(&body),
                &url,
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<T, SendError> {
        let response = match request.send().await {
            Ok(r) => r,
            // A refused connection never carried the request; a timeout may have.
            Err(e) if e.is_connect() => {
                return Err(SendError::Unreachable {
                    url: url.to_owned(),
                    reason: e.to_string(),
                });
            }
            Err(e) => return Err(SendError::NoAnswer(e.to_string())),
        };
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| SendError::NoAnswer(e.to_string()))?;
        if (200..300).contains(&status)
            && let Ok(ok) = serde_json::from_slice::<T>(&body)
        {
            return Ok(ok);
        }
        match serde_json::from_slice::<GraphErrorBody>(&body) {
            Ok(GraphErrorBody { error }) => Err(SendError::Graph { status, error }),
            Err(_) => Err(SendError::Unexpected {
                status,
                body: String::from_utf8_lossy(&body).chars().take(500).collect(),
            }),
        }
    }
}

/// The Marketing Message API (`act_<AD_ACCOUNT_ID>/…`), called with the business token.
impl GraphClient {
    fn ad_account(&self, account: &str, what: &str) -> String {
        let id = account.trim_start_matches("act_");
        format!("{}/act_{id}/{what}", self.base)
    }

    pub async fn create_campaign(
        &self,
        token: &str,
        ad_account: &str,
        campaign: &crate::marketing::NewCampaign,
    ) -> Result<crate::marketing::CreatedCampaign, SendError> {
        let url = self.ad_account(ad_account, "message_campaign");
        self.call(self.http.post(&url).bearer_auth(token).json(campaign), &url)
            .await
    }

    pub async fn send_marketing(
        &self,
        token: &str,
        ad_account: &str,
        body: &crate::marketing::MarketingSend,
    ) -> Result<crate::marketing::MarketingAnswer, SendError> {
        let url = self.ad_account(ad_account, "messages");
        self.call(self.http.post(&url).bearer_auth(token).json(body), &url)
            .await
    }

    /// Meta's estimate of deliveries and cost for a direct-send campaign of the page.
    pub async fn delivery_estimate(
        &self,
        token: &str,
        ad_account: &str,
        page_id: &str,
    ) -> Result<crate::marketing::Estimate, SendError> {
        #[derive(Deserialize)]
        struct List {
            data: Vec<crate::marketing::Estimate>,
        }
        let url = self.ad_account(ad_account, "message_delivery_estimate");
        let targeting = serde_json::json!({"publisher_platforms": ["messenger"], "messenger_positions": ["marketing_messages"]});
        let list: List = self
            .call(
                self.http.get(&url).bearer_auth(token).query(&[
                    ("targeting_spec", targeting.to_string()),
                    (
                        "promoted_object",
                        serde_json::json!({"page_id": page_id}).to_string(),
                    ),
                    ("pacing_type", "no_pacing".into()),
                    ("is_direct_send_campaign", "true".into()),
                ]),
                &url,
            )
            .await?;
        Ok(list.data.into_iter().next().unwrap_or_default())
    }

    /// One page of the page's subscription tokens (one per person) and the next cursor.
    pub async fn notification_message_tokens(
        &self,
        page_token: &str,
        page_id: &str,
        after: Option<&str>,
    ) -> Result<(Vec<crate::marketing::TokenRow>, Option<String>), SendError> {
        #[derive(Deserialize)]
        struct Page {
            data: Vec<crate::marketing::TokenRow>,
            #[serde(default)]
            paging: Option<serde_json::Value>,
        }
        let url = format!("{}/{page_id}/notification_message_tokens", self.base);
        let mut query = vec![
            ("limit", "1000".to_owned()),
            ("do_not_return_duplicates", "true".to_owned()),
        ];
        if let Some(a) = after {
            query.push(("after", a.to_owned()));
        }
        let page: Page = self
            .call(
                self.http.get(&url).bearer_auth(page_token).query(&query),
                &url,
            )
            .await?;
        let next = page
            .paging
            .as_ref()
            .and_then(|p| p.pointer("/cursors/after"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        Ok((page.data, next))
    }
}
