//! The page's utility templates, as Meta last reported them (`fenestra template sync`, and at
//! demo start). The composer and the policy read them from the store.

use messenger::{GraphClient, SendError};
use store::{Store, Template};

use crate::time::now_ms;

/// Replaces the stored templates of `page` with Meta's list; returns them.
pub async fn sync(
    store: &dyn Store,
    graph: &GraphClient,
    page: &store::Page,
) -> anyhow::Result<Vec<Template>> {
    let token = page
        .access_token
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("page {} has no access token", page.id))?;
    let listed = graph
        .templates(token, &page.id)
        .await
        .map_err(|e: SendError| anyhow::anyhow!("listing page {}'s templates: {e}", page.id))?;
    let templates: Vec<Template> = listed
        .iter()
        .map(|t| Template {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            status: t.status.clone(),
            body: t.body().to_owned(),
        })
        .collect();
    store
        .replace_templates(&page.id, &templates, now_ms())
        .await?;
    Ok(templates)
}
