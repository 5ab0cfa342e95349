//! The Graph calls that connect a page (messenger-platform.md, Connecting a Page): Facebook
//! Login's code exchange and long-lived exchange (`/oauth/access_token`), the pages the person
//! manages with their tokens (`/me/accounts`), the app-level webhook subscription
//! (`/{app-id}/subscriptions`, with the app token), and what a token may do (`/debug_token`,
//! `/me/messaging_feature_review`).
//!
//! The app secret only ever travels in these calls, never to a browser.

use serde::{Deserialize, Deserializer, Serialize};

use crate::graph_client::{GraphClient, SendError};

/// The app's id and secret: together they are the app access token (`id|secret`).
#[derive(Debug, Clone, Copy)]
pub struct App<'a> {
    pub id: &'a str,
    pub secret: &'a str,
}

impl App<'_> {
    fn token(&self) -> String {
        format!("{}|{}", self.id, self.secret)
    }
}

/// A user (or system-user) access token; `expires_in` is absent for tokens that do not expire.
#[derive(Debug, Clone, Deserialize)]
pub struct UserToken {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<i64>,
}

/// A page the person manages, with its page token and the tasks they may do on it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ManagedPage {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub category: Option<String>,
    pub access_token: String,
    #[serde(default)]
    pub tasks: Vec<String>,
}

/// What `/debug_token` says of a token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct TokenInfo {
    #[serde(default)]
    pub is_valid: bool,
    /// `USER`, `PAGE`, `SYSTEM_USER`, `APP`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Unix seconds; 0 or absent: it does not expire.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub error: Option<TokenError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TokenError {
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub subcode: Option<i64>,
    #[serde(default)]
    pub message: String,
}

/// The app's webhook subscription for one object (`page`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct AppSubscription {
    pub object: String,
    #[serde(default)]
    pub callback_url: String,
    #[serde(default)]
    pub active: bool,
    /// Field names; Meta lists them as `{"name", "version"}`.
    #[serde(default, deserialize_with = "field_names")]
    pub fields: Vec<String>,
}

fn field_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Field {
        Name(String),
        Object { name: String },
    }
    Ok(Vec::<Field>::deserialize(d)?
        .into_iter()
        .map(|f| match f {
            Field::Name(n) | Field::Object { name: n } => n,
        })
        .collect())
}

/// A page-level feature Meta reviews (`human_agent`, …) and where its review stands.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct FeatureStatus {
    pub feature: String,
    /// `approved`, `pending`, `rejected`, `limited` (Meta writes either case).
    pub status: String,
}

#[derive(Deserialize)]
struct Data<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
}

impl GraphClient {
    /// Trades the `code` Facebook Login returned for a user token; `redirect_uri` must be the
    /// one the dialog was opened with.
    pub async fn exchange_code(
        &self,
        app: App<'_>,
        redirect_uri: &str,
        code: &str,
    ) -> Result<UserToken, SendError> {
        let url = format!("{}/oauth/access_token", self.base);
        let query = [
            ("client_id", app.id),
            ("client_secret", app.secret),
            ("redirect_uri", redirect_uri),
            ("code", code),
        ];
        self.call(self.http.get(&url).query(&query), &url).await
    }

    /// Trades a short-lived user token for a long-lived one (about 60 days); page tokens read
    /// with it do not expire on their own.
    pub async fn long_lived(&self, app: App<'_>, token: &str) -> Result<UserToken, SendError> {
        let url = format!("{}/oauth/access_token", self.base);
        let query = [
            ("grant_type", "fb_exchange_token"),
            ("client_id", app.id),
            ("client_secret", app.secret),
            ("fb_exchange_token", token),
        ];
        self.call(self.http.get(&url).query(&query), &url).await
    }

    /// The pages the token's person manages, each with its page token.
    pub async fn managed_pages(&self, user_token: &str) -> Result<Vec<ManagedPage>, SendError> {
        let url = format!("{}/me/accounts", self.base);
        let request = self
            .http
            .get(&url)
            .bearer_auth(user_token)
            .query(&[("limit", "100")]);
        let list: Data<ManagedPage> = self.call(request, &url).await?;
        Ok(list.data)
    }

    /// Subscribes the app to pages' webhooks at app level: Meta first checks `callback_url`
    /// with the verification handshake, so Fenestra must be reachable there.
    pub async fn subscribe_webhooks(
        &self,
        app: App<'_>,
        callback_url: &str,
        verify_token: &str,
        fields: &[&str],
    ) -> Result<(), SendError> {
        let url = format!("{}/{}/subscriptions", self.base, app.id);
        let form = [
            ("object", "page"),
            ("callback_url", callback_url),
            ("verify_token", verify_token),
            ("fields", &fields.join(",")),
            ("include_values", "true"),
        ];
        let _: serde_json::Value = self
            .call(
                self.http.post(&url).bearer_auth(app.token()).query(&form),
                &url,
            )
            .await?;
        Ok(())
    }

    /// The app's webhook subscriptions, one per object.
    pub async fn webhook_subscriptions(
        &self,
        app: App<'_>,
    ) -> Result<Vec<AppSubscription>, SendError> {
        let url = format!("{}/{}/subscriptions", self.base, app.id);
        let list: Data<AppSubscription> = self
            .call(self.http.get(&url).bearer_auth(app.token()), &url)
            .await?;
        Ok(list.data)
    }

    /// Whether `token` works, until when, and with which permissions.
    pub async fn debug_token(&self, app: App<'_>, token: &str) -> Result<TokenInfo, SendError> {
        #[derive(Deserialize)]
        struct Answer {
            data: TokenInfo,
        }
        let url = format!("{}/debug_token", self.base);
        let answer: Answer = self
            .call(
                self.http
                    .get(&url)
                    .bearer_auth(app.token())
                    .query(&[("input_token", token)]),
                &url,
            )
            .await?;
        Ok(answer.data)
    }

    /// Where Meta's reviews of the page's messaging features stand.
    pub async fn feature_review(&self, page_token: &str) -> Result<Vec<FeatureStatus>, SendError> {
        let url = format!("{}/me/messaging_feature_review", self.base);
        let list: Data<FeatureStatus> = self
            .call(self.http.get(&url).bearer_auth(page_token), &url)
            .await?;
        Ok(list.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_fields_as_meta_or_plain_names() {
        let meta: AppSubscription = serde_json::from_str(
            r#"{"object":"page","callback_url":"https://x/webhook","active":true,
                "fields":[{"name":"messages","version":"v27.0"},{"name":"feed","version":"v27.0"}]}"#,
        )
        .unwrap();
        assert_eq!(meta.fields, ["messages", "feed"]);
        let plain: AppSubscription =
            serde_json::from_str(r#"{"object":"page","fields":["messages"]}"#).unwrap();
        assert_eq!(plain.fields, ["messages"]);
        assert!(!plain.active);
    }

    #[test]
    fn a_dead_token_reads_with_its_error() {
        let info: TokenInfo = serde_json::from_str(
            r#"{"app_id":"1","type":"PAGE","is_valid":false,"scopes":[],
                "error":{"code":190,"subcode":460,"message":"The session has been invalidated"}}"#,
        )
        .unwrap();
        assert!(!info.is_valid);
        assert_eq!(info.error.unwrap().subcode, Some(460));
    }
}
