//! Leads: what flows collected from each customer (and what Meta's lead forms handed back),
//! one row per customer, for the Leads page, the API and a CSV file.

use std::collections::BTreeMap;

use serde::Serialize;
use store::Time;

use crate::Engine;
use crate::csv_cell::csv_cell;

/// What Meta's lead-ads app says on the summary message of a finished form (its payload here).
pub const LEAD_FORM_COMPLETE: &str = "messenger_lead_gen_complete";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lead {
    pub psid: String,
    pub name: Option<String>,
    pub fields: BTreeMap<String, String>,
    /// When a field last changed.
    pub updated_at: Time,
}

/// A lead form's question as a field name: `Phone number` → `phone_number`.
pub fn field_name(question: &str) -> String {
    let folded = fold::fold_text(question.trim()).to_lowercase();
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').chars().take(40).collect()
}

impl Engine {
    /// The page's leads, most recent first.
    pub async fn leads(&self, page_id: &str) -> store::Result<Vec<Lead>> {
        let mut by: BTreeMap<String, Lead> = BTreeMap::new();
        for row in self.store.page_fields(page_id).await? {
            let lead = by.entry(row.psid.clone()).or_insert_with(|| Lead {
                psid: row.psid.clone(),
                name: None,
                fields: BTreeMap::new(),
                updated_at: row.updated_at,
            });
            lead.updated_at = lead.updated_at.max(row.updated_at);
            lead.fields.insert(row.field, row.value);
        }
        let mut leads: Vec<Lead> = by.into_values().collect();
        for lead in &mut leads {
            lead.name = self
                .store
                .contact(page_id, &lead.psid)
                .await?
                .and_then(|c| c.profile.display_name());
        }
        leads.sort_by_key(|l| std::cmp::Reverse(l.updated_at));
        Ok(leads)
    }

    /// Keeps a finished lead form's answers (the summary's `Question: answer` lines) as the
    /// customer's fields, with `lead_source: lead_ad`; how many.
    pub async fn save_lead_form(
        &self,
        page_id: &str,
        psid: &str,
        summary: &str,
        now: Time,
    ) -> store::Result<usize> {
        let mut n = 0;
        for line in summary.lines() {
            if let Some((q, a)) = line.split_once(':')
                && !field_name(q).is_empty()
                && !a.trim().is_empty()
            {
                self.store
                    .set_field(page_id, psid, &field_name(q), a.trim(), now)
                    .await?;
                n += 1;
            }
        }
        self.store
            .set_field(page_id, psid, "lead_source", "lead_ad", now)
            .await?;
        self.signals.changed();
        Ok(n)
    }
}

/// The leads as CSV: `psid`, `name`, `updated_at`, then every field any lead has, by name.
/// Cells that start like a formula get a leading `'` ([`csv_cell`]).
pub fn to_csv(leads: &[Lead]) -> String {
    let columns: std::collections::BTreeSet<&str> = leads
        .iter()
        .flat_map(|l| l.fields.keys().map(String::as_str))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = ["psid", "name", "updated_at"]
        .into_iter()
        .chain(columns.iter().copied());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for l in leads {
        let fixed = [
            l.psid.clone(),
            csv_cell(l.name.as_deref().unwrap_or_default()).into_owned(),
            l.updated_at.timestamp().to_string(),
        ];
        // What customers typed: never a formula in the shop's spreadsheet.
        let values = columns
            .iter()
            .map(|c| csv_cell(l.fields.get(*c).map_or("", String::as_str)).into_owned());
        let _ = w.write_record(fixed.into_iter().chain(values));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_become_field_names() {
        assert_eq!(field_name("Phone number"), "phone_number");
        assert_eq!(field_name(" E-mail "), "e_mail");
        assert_eq!(field_name("Số điện thoại?"), "so_dien_thoai");
        assert_eq!(field_name("???"), "");
    }

    #[test]
    fn csv_has_a_column_per_field_and_quotes_what_needs_it() {
        let lead = |psid: &str, fields: &[(&str, &str)]| Lead {
            psid: psid.into(),
            name: Some("Linh, Nguyen".into()),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            updated_at: Time::from_ms(1_780_000_000_000),
        };
        let csv = to_csv(&[
            lead("1", &[("phone", "+84901234567")]),
            lead("2", &[("email", "a@b.vn")]),
        ]);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("psid,name,updated_at,email,phone"));
        assert_eq!(
            lines.next(),
            Some("1,\"Linh, Nguyen\",2026-05-28T20:26:40Z,,+84901234567")
        );
    }
}
