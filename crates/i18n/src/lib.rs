//! Fenestra in five languages. Every text a person reads — the inbox, the policy's verdicts,
//! and what Fenestra itself sends to customers — is a Fluent message under `locales/<lang>/`,
//! so translators edit text, not code; plural and number rules are each language's own.
//!
//! * [`Lang`]: the five languages, their direction, and how they are recognised (a user's
//!   setting, the browser's `Accept-Language`, a customer's Messenger locale such as `vi_VN`).
//! * [`Tr`]: a reader's translator — language, time zone — with the dates and durations agents
//!   see ("hôm qua 14:05", "3 h left").
//! * Every language has every message (a test compares the catalogues), and English is the
//!   fallback should one ever be missing at run time. The pseudo-locale (`x-pseudo`) wraps
//!   every message in ⟦…⟧, so text written straight into a template stands out.

mod dates;
mod lang;
mod tr;

pub use lang::Lang;
pub use tr::{Arg, Tr, strict};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks keep a Latin name inside Arabic text in its place; the
        // left-to-right languages do not need them (and tests compare plain text).
        customise: |bundle| {
            let rtl = bundle.locales.first().is_some_and(|l| l.language.as_str() == "ar");
            bundle.set_use_isolating(rtl);
        },
    };
}

/// A text Fenestra sends to a customer, in their language (`id` from `customer.ftl`).
pub fn customer_text(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
    Tr::new(lang).format(id, args)
}

/// The English catalogue's message ids (every language has the same: a test compares them).
pub fn message_ids() -> std::collections::BTreeSet<String> {
    const ENGLISH: [&str; 3] = [
        include_str!("../locales/en/ui.ftl"),
        include_str!("../locales/en/rules.ftl"),
        include_str!("../locales/en/customer.ftl"),
    ];
    ENGLISH
        .iter()
        .flat_map(|source| {
            let resource = fluent_syntax::parser::parse(*source).unwrap_or_else(|(r, _)| r);
            resource
                .body
                .into_iter()
                .filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
