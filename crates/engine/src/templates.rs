//! The page's utility templates: synced from Meta (`fenestra template sync`, and at demo
//! start), filled with their named parameters, and turned into the Send API's template body.
//! The composer and the policy read them from the store.

use messenger::{GraphClient, SendError};
use serde_json::json;
use store::{Store, Template, TemplateStatus, Time};

use crate::outbox::SubmitError;

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
    let templates = fetch(graph, token, &page.id)
        .await
        .map_err(|e: SendError| anyhow::anyhow!("listing page {}'s templates: {e}", page.id))?;
    store
        .replace_templates(&page.id, &templates, Time::now())
        .await?;
    Ok(templates)
}

/// Meta's list of the page's templates.
async fn fetch(
    graph: &GraphClient,
    token: &str,
    page_id: &str,
) -> Result<Vec<Template>, SendError> {
    Ok(graph
        .templates(token, page_id)
        .await?
        .iter()
        .map(|t| Template {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            status: TemplateStatus::from_meta(&t.status),
            body: t.body().to_owned(),
        })
        .collect())
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

/// The Send API's `message.template` for a utility message.
pub fn template_message(t: &Template, params: &[(String, String)]) -> serde_json::Value {
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

impl crate::Engine {
    /// Meta's list of the page's templates, stored (any user may refresh it).
    pub async fn sync_templates(
        &self,
        page_id: &str,
    ) -> Result<Vec<Template>, crate::team::TeamError> {
        use crate::team::TeamError;
        let token = self.page_token(page_id).await?;
        let templates = fetch(&self.graph, &token, page_id)
            .await
            .map_err(|e| TeamError::Graph(Box::new(e)))?;
        self.store
            .replace_templates(page_id, &templates, Time::now())
            .await?;
        self.signals.changed();
        Ok(templates)
    }

    /// An admin submits a utility template for Meta's review (`{{named}}` parameters), then
    /// the list is synced so its status shows.
    pub async fn submit_template(
        &self,
        by: &store::User,
        page_id: &str,
        name: &str,
        language: &str,
        body: &str,
    ) -> Result<Vec<Template>, crate::team::TeamError> {
        use crate::team::TeamError;
        if by.role != store::Role::Admin {
            return Err(TeamError::AdminOnly(crate::problem::Forbidden::Templates));
        }
        let name = name.trim();
        let valid = (1..=512).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(crate::problem::Invalid::TemplateName(name.to_owned()).into());
        }
        if body.trim().is_empty() {
            return Err(crate::problem::Invalid::TemplateBody.into());
        }
        let token = self.page_token(page_id).await?;
        self.graph
            .create_template(&token, page_id, name, language.trim(), body.trim())
            .await
            .map_err(|e| TeamError::Graph(Box::new(e)))?;
        tracing::info!(page_id, name, by = %by.username, "utility template submitted");
        self.sync_templates(page_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Template {
        Template {
            name: "order_shipped".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            status: TemplateStatus::Approved,
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
}
