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
