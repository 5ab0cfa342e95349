//! Entry points: the m.me links, ads and signed refs a shop makes, and what arriving through
//! one does.
//!
//! * An entry point is a document (`ref`, `title`, `kind`, `text`, `label`), checked with errors
//!   that name the field; its link is `https://m.me/<PAGE>?ref=<ref>&text=<text>`.
//! * A customer arriving with a `ref` (Get Started, a referral, an ad) is counted under it: the
//!   contact's first and latest source ([`store::SourceCounts`]).
//! * A signed ref ([`refs`]) carries an order or customer id; verified on arrival, the id becomes
//!   the contact's `order_id` or `customer_id` field and the arrival counts under the ref's entry
//!   point. A forged or altered one is plain attribution and links nothing.

pub mod print;
pub mod refs;

use serde::{Deserialize, Serialize};
use store::{EntryKind, EntryPoint, SourceCounts, Time};

use crate::Engine;
use refs::{Arrived, SignedRef};

/// An entry point as an admin writes it (the API's body, `fenestra link create`'s flags).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryPointSpec {
    #[serde(rename = "ref")]
    pub ref_: String,
    /// What the shop calls it ("QR at the till"); the ref when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// `link` (default), `ad`, or `signed` (a prefix for refs signed per order or customer).
    #[serde(default)]
    pub kind: Option<String>,
    /// Put in the customer's composer.
    #[serde(default)]
    pub text: Option<String>,
    /// Added to everyone who arrives through it.
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("page {0} is not known to Fenestra")]
    UnknownPage(String),
    #[error("`{field}` {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    #[error("no entry point `{0}`")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

fn invalid(field: &'static str, problem: impl Into<String>) -> LinkError {
    LinkError::Invalid {
        field,
        problem: problem.into(),
    }
}

/// Percent-encodes a query value (spaces as `%20`, which every m.me client reads).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `https://m.me/<page>?ref=…&text=…`.
pub fn mme_url(page: &str, ref_: Option<&str>, text: Option<&str>) -> String {
    let mut url = format!("https://m.me/{page}");
    let mut sep = '?';
    for (k, v) in [("ref", ref_), ("text", text)] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            url.push_str(&format!("{sep}{k}={}", encode(v)));
            sep = '&';
        }
    }
    url
}

impl EntryPointSpec {
    /// Checks every field; the first problem names its field.
    pub fn check(&self, page_id: &str, by: &str, now: Time) -> Result<EntryPoint, LinkError> {
        refs::check_ref(&self.ref_).map_err(|e| invalid("ref", e))?;
        let kind = match self.kind.as_deref() {
            None => EntryKind::Link,
            Some(k) => k.parse().map_err(|e: String| invalid("kind", e))?,
        };
        let title = self
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.ref_);
        if title.chars().count() > 80 {
            return Err(invalid("title", "has more than 80 characters"));
        }
        if let Some(t) = &self.text
            && t.chars().count() > 300
        {
            return Err(invalid("text", "has more than 300 characters"));
        }
        if let Some(l) = &self.label
            && (l.trim().is_empty() || l.chars().count() > 50)
        {
            return Err(invalid("label", "must be 1 to 50 characters"));
        }
        Ok(EntryPoint {
            page_id: page_id.to_owned(),
            ref_: self.ref_.clone(),
            title: title.to_owned(),
            kind,
            prefill: self.text.clone().filter(|t| !t.trim().is_empty()),
            label: self.label.as_ref().map(|l| l.trim().to_owned()),
            created_by: by.to_owned(),
            created_at: now,
        })
    }
}

/// An entry point with its link and what it brought.
#[derive(Debug, Clone, Serialize)]
pub struct EntryPointView {
    #[serde(flatten)]
    pub entry: EntryPoint,
    pub url: String,
    pub counts: SourceCounts,
}

/// Attribution: every source seen, entry points first.
#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    pub entry_points: Vec<EntryPointView>,
    /// Sources with no entry point made for them (organic, Get Started, comments, others' refs).
    pub other_sources: Vec<SourceCounts>,
}

/// What can be printed or downloaded for an entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artwork {
    QrPng,
    QrSvg,
    CardPng,
    CardPdf,
}

impl Artwork {
    /// `qr.png`, `qr.svg`, `card.png`, `card.pdf`.
    pub fn parse(name: &str) -> Option<Artwork> {
        match name {
            "qr.png" => Some(Artwork::QrPng),
            "qr.svg" => Some(Artwork::QrSvg),
            "card.png" => Some(Artwork::CardPng),
            "card.pdf" => Some(Artwork::CardPdf),
            _ => None,
        }
    }

    /// Chosen by a file's extension: `.png`/`.svg` for a code, `.png`/`.pdf` for a card.
    pub fn for_file(path: &str, card: bool) -> Option<Artwork> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        Artwork::parse(&format!("{}.{ext}", if card { "card" } else { "qr" }))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Artwork::QrPng | Artwork::CardPng => "image/png",
            Artwork::QrSvg => "image/svg+xml",
            Artwork::CardPdf => "application/pdf",
        }
    }

    /// Draws it for `url`; a card names `shop` and calls to action in `lang`.
    pub fn draw(self, url: &str, shop: &str, lang: i18n::Lang) -> Result<Vec<u8>, LinkError> {
        let cta = i18n::customer_text(lang, "customer-card-call-to-action", &[]);
        let card = print::Card {
            shop,
            call_to_action: &cta,
            url,
            rtl: lang.dir() == "rtl",
        };
        let drawn = match self {
            Artwork::QrPng => print::qr_png(url, 10),
            Artwork::QrSvg => print::qr_svg(url, 512).map(String::into_bytes),
            Artwork::CardPng => print::card_png(&card),
            Artwork::CardPdf => print::card_pdf(&card),
        };
        drawn.map_err(|e| invalid("ref", e.to_string()))
    }
}

impl Engine {
    async fn known_page(&self, page_id: &str) -> Result<store::Page, LinkError> {
        self.store
            .page(page_id)
            .await?
            .ok_or_else(|| LinkError::UnknownPage(page_id.to_owned()))
    }

    /// Creates or replaces an entry point.
    pub async fn save_entry_point(
        &self,
        page_id: &str,
        spec: &EntryPointSpec,
        by: &str,
    ) -> Result<EntryPointView, LinkError> {
        self.known_page(page_id).await?;
        let entry = spec.check(page_id, by, Time::now())?;
        self.store.save_entry_point(&entry).await?;
        tracing::info!(page = page_id, r = %entry.ref_, by, "entry point saved");
        Ok(EntryPointView {
            url: self.entry_url(&entry),
            entry,
            counts: SourceCounts::default(),
        })
    }

    pub async fn delete_entry_point(&self, page_id: &str, ref_: &str) -> Result<(), LinkError> {
        if self.store.delete_entry_point(page_id, ref_).await? {
            Ok(())
        } else {
            Err(LinkError::NotFound(ref_.to_owned()))
        }
    }

    /// The link of an entry point (an ad's ref has none of its own: the ad carries it).
    pub fn entry_url(&self, e: &EntryPoint) -> String {
        mme_url(&e.page_id, Some(&e.ref_), e.prefill.as_deref())
    }

    /// One entry point's code or card.
    pub async fn entry_artwork(
        &self,
        page_id: &str,
        ref_: &str,
        artwork: Artwork,
        lang: i18n::Lang,
    ) -> Result<Vec<u8>, LinkError> {
        let page = self.known_page(page_id).await?;
        let entry = self
            .store
            .entry_points(page_id)
            .await?
            .into_iter()
            .find(|e| e.ref_ == ref_)
            .ok_or_else(|| LinkError::NotFound(ref_.to_owned()))?;
        let shop = page.name.clone().unwrap_or_else(|| page.id.clone());
        artwork.draw(&self.entry_url(&entry), &shop, lang)
    }

    /// Entry points with their counts, and the other sources, for contacts first seen in
    /// `[from, to)`.
    pub async fn attribution(
        &self,
        page_id: &str,
        from: Time,
        to: Time,
    ) -> Result<Attribution, LinkError> {
        self.known_page(page_id).await?;
        let mut counts = self.store.source_counts(page_id, from, to).await?;
        let entry_points = self
            .store
            .entry_points(page_id)
            .await?
            .into_iter()
            .map(|entry| {
                let mine = counts.iter().filter(|c| c.ref_ == entry.ref_).fold(
                    SourceCounts::default(),
                    |mut acc, c| {
                        acc.new_conversations += c.new_conversations;
                        acc.latest += c.latest;
                        acc.leads += c.leads;
                        acc.bookings += c.bookings;
                        acc.broadcast_replies += c.broadcast_replies;
                        acc.kind = c.kind.clone();
                        acc
                    },
                );
                EntryPointView {
                    url: self.entry_url(&entry),
                    counts: SourceCounts {
                        ref_: entry.ref_.clone(),
                        ..mine
                    },
                    entry,
                }
            })
            .collect::<Vec<_>>();
        counts.retain(|c| !entry_points.iter().any(|e| e.entry.ref_ == c.ref_));
        Ok(Attribution {
            entry_points,
            other_sources: counts,
        })
    }

    /// The link a shop's site puts on a receipt: its ref carries `r` signed with the Page's key.
    pub async fn signed_link(
        &self,
        page_id: &str,
        r: &SignedRef,
        text: Option<&str>,
    ) -> Result<String, LinkError> {
        self.known_page(page_id).await?;
        let secret = self.link_secret(page_id).await?;
        let signed = refs::sign(&secret, r).map_err(|(field, e)| invalid(field, e))?;
        Ok(mme_url(page_id, Some(&signed), text))
    }

    async fn link_secret(&self, page_id: &str) -> Result<Vec<u8>, LinkError> {
        let fresh = crate::accounts::new_secret();
        Ok(self.store.link_secret(page_id, &fresh).await?.into_bytes())
    }

    /// A customer arrived with `raw` (an m.me link's or an ad's ref): a verified signed ref links
    /// them to the shop's order or customer and counts under its entry point; an entry point's
    /// label is added. Answers the entry point's ref, which flows' `refs` match.
    pub async fn arrived(&self, page_id: &str, psid: &str, raw: &str) -> anyhow::Result<String> {
        let secret = self.link_secret(page_id).await?;
        let entry_ref = match refs::read(&secret, raw) {
            Arrived::Signed(r) => {
                self.store
                    .set_field(page_id, psid, r.subject.field(), &r.id, Time::now())
                    .await?;
                self.store
                    .relabel_source(page_id, psid, raw, &r.entry)
                    .await?;
                tracing::info!(page = page_id, psid, entry = %r.entry, "signed ref verified");
                r.entry
            }
            Arrived::Forged => {
                tracing::warn!(
                    page = page_id,
                    psid,
                    "a ref shaped like a signed one failed its check: kept as plain attribution"
                );
                raw.to_owned()
            }
            Arrived::Plain => raw.to_owned(),
        };
        let entry = self
            .store
            .entry_points(page_id)
            .await?
            .into_iter()
            .find(|e| e.ref_ == entry_ref);
        if let Some(label) = entry.and_then(|e| e.label) {
            self.store
                .label_arrival(page_id, psid, &label, Time::now())
                .await?;
        }
        Ok(entry_ref)
    }

    /// Meta lets an m.me link reach a new customer only through the Get Started button.
    pub async fn get_started_missing(&self, page_id: &str) -> anyhow::Result<bool> {
        let doc = self.automations(page_id).await?.document;
        Ok(doc
            .messenger_profile
            .as_ref()
            .and_then(|p| p.get_started.as_ref())
            .is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_ref_and_text_encoded() {
        assert_eq!(
            mme_url("1001", Some("counter"), Some("Xin chào shop")),
            "https://m.me/1001?ref=counter&text=Xin%20ch%C3%A0o%20shop"
        );
        assert_eq!(mme_url("1001", None, None), "https://m.me/1001");
    }

    #[test]
    fn a_bad_entry_point_names_its_field() {
        let now = Time::from_ms(0);
        let bad = |spec: EntryPointSpec| match spec.check("1", "me", now) {
            Err(LinkError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let ok = EntryPointSpec {
            ref_: "counter".into(),
            ..Default::default()
        };
        assert_eq!(ok.check("1", "me", now).unwrap().title, "counter");
        assert_eq!(
            bad(EntryPointSpec {
                ref_: "quầy".into(),
                ..Default::default()
            }),
            "ref"
        );
        assert_eq!(
            bad(EntryPointSpec {
                kind: Some("poster".into()),
                ..ok.clone()
            }),
            "kind"
        );
        assert_eq!(
            bad(EntryPointSpec {
                text: Some("x".repeat(301)),
                ..ok.clone()
            }),
            "text"
        );
    }
}
