//! Copies of what Meta's links point to: customers' pictures and attachments. Meta's links
//! expire (a picture URL after days, an attachment's after hours or weeks), and an inbox read
//! offline or next month must show no broken images. A picture is copied the first time it is
//! shown; attachments are copied by [`MediaCopier`] soon after their message arrives. Each copy
//! has a size limit; copies go with the customer (erasure, retention).

use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};
use store::{Media, PendingMedia, Time};

use crate::Engine;
use crate::worker::{Pace, Progress, Worker};

/// The largest picture kept.
pub const MAX_PICTURE: usize = 2 * 1024 * 1024;
/// The largest attachment kept; a larger one stays a link.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);
/// Messages whose attachments are copied per round.
const BATCH: i64 = 16;

/// The key of the `index`-th attachment of message `mid` (path-safe: a digest).
pub fn attachment_key(mid: &str, index: usize) -> String {
    let digest = hex::encode(Sha256::digest(mid.as_bytes()));
    format!("a{index}-{}", &digest[..20])
}

/// Why a copy was not made.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("fetching {url}: {source}")]
    Fetch { url: String, source: reqwest::Error },
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// Fetches `url`, refusing bodies over `limit` bytes as they arrive.
pub async fn fetch(http: &reqwest::Client, url: &str, limit: usize) -> Result<Media, CopyError> {
    let fetch_err = |source| CopyError::Fetch {
        url: url.to_owned(),
        source,
    };
    let mut response = http
        .get(url)
        .timeout(FETCH_TIMEOUT)
        .send()
        .await
        .map_err(fetch_err)?;
    if !response.status().is_success() {
        return Err(CopyError::Status {
            url: url.to_owned(),
            status: response.status().as_u16(),
        });
    }
    let too_large = || CopyError::TooLarge {
        url: url.to_owned(),
        limit,
    };
    if response
        .content_length()
        .is_some_and(|n| n as usize > limit)
    {
        return Err(too_large());
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fetch_err)? {
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Media {
        content_type,
        bytes,
        source_url: url.to_owned(),
        fetched_at: Time::now(),
    })
}

impl Engine {
    /// The customer's picture, copied the first time it is asked for; `None` when there is
    /// none or it cannot be fetched (the inbox shows initials).
    pub async fn picture(
        &self,
        page_id: &str,
        psid: &str,
    ) -> Result<Option<Media>, store::StoreError> {
        if let Some(m) = self.store.media(page_id, psid, "picture").await? {
            return Ok(Some(m));
        }
        let Some(url) = self
            .store
            .contact(page_id, psid)
            .await?
            .and_then(|c| c.profile.profile_pic)
        else {
            return Ok(None);
        };
        match fetch(&self.http, &url, MAX_PICTURE).await {
            Ok(m) => {
                self.store.save_media(page_id, psid, "picture", &m).await?;
                Ok(Some(m))
            }
            Err(e) => {
                tracing::info!(page_id, psid, error = %e, "the customer's picture could not be copied");
                Ok(None)
            }
        }
    }

    /// Copies the attachments of one message; failures leave the original link.
    async fn copy_attachments(&self, m: &PendingMedia) -> Result<usize, store::StoreError> {
        let list: Vec<Value> = serde_json::from_str(&m.attachments).unwrap_or_default();
        let mut copied = 0;
        for (index, a) in list.iter().enumerate() {
            let Some(url) = a["url"]
                .as_str()
                .or(a["payload"]["url"].as_str())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            else {
                continue;
            };
            match fetch(&self.http, url, MAX_ATTACHMENT).await {
                Ok(media) => {
                    let key = attachment_key(&m.mid, index);
                    self.store
                        .save_media(&m.page_id, &m.psid, &key, &media)
                        .await?;
                    copied += 1;
                }
                Err(e) => tracing::info!(mid = %m.mid, error = %e, "an attachment stays a link"),
            }
        }
        self.store.media_done(m.id).await?;
        Ok(copied)
    }
}

/// Copies new messages' attachments, woken when webhooks were processed.
pub struct MediaCopier {
    pub engine: Engine,
}

impl Worker for MediaCopier {
    fn name(&self) -> &'static str {
        "media"
    }

    async fn run_once(&self) -> anyhow::Result<Progress> {
        let pending = self.engine.store.media_pending(BATCH).await?;
        for m in &pending {
            self.engine.copy_attachments(m).await?;
        }
        if !pending.is_empty() {
            self.engine.signals.changed();
        }
        Ok(Progress::of(pending.len(), BATCH as usize))
    }
}

impl MediaCopier {
    pub fn pace(&self) -> Pace {
        Pace::new(self.engine.signals.media.clone(), Duration::from_secs(30))
    }
}
