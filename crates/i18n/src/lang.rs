//! The five languages and how a reader's or a customer's language is recognised.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    Vi,
    #[default]
    En,
    Ar,
    Ms,
    It,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::Vi, Lang::En, Lang::Ar, Lang::Ms, Lang::It];

    /// The BCP 47 tag (`vi`), as in `<html lang>` and the `locales/` folders.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Ms => "ms",
            Lang::It => "it",
        }
    }

    /// The language's name in itself, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Ms => "Bahasa Melayu",
            Lang::It => "Italiano",
        }
    }

    /// `rtl` for Arabic, `ltr` otherwise: `<html dir>`.
    pub fn dir(self) -> &'static str {
        if self == Lang::Ar { "rtl" } else { "ltr" }
    }

    /// A language tag or locale in any of the usual spellings: `vi`, `vi-VN`, `vi_VN` (as
    /// Messenger gives a customer's locale), `AR`, `zsm` is not recognised, `ms-MY` is.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// A customer's language from their Messenger locale (`vi_VN`, `ar_AR`): Indonesian reads
    /// Malay; anything else, or nothing, English.
    pub fn of_customer(locale: Option<&str>) -> Lang {
        let locale = locale.unwrap_or("");
        if locale.to_ascii_lowercase().starts_with("id") {
            return Lang::Ms;
        }
        Lang::parse(locale).unwrap_or_default()
    }

    /// The best of the five for an `Accept-Language` header (`vi-VN,vi;q=0.9,en;q=0.8`):
    /// the highest-weighted tag we have, English when none is.
    pub fn negotiate(accept_language: &str) -> Lang {
        Lang::preference(accept_language).unwrap_or_default()
    }

    /// Like [`Lang::negotiate`], `None` when the header names none of the five.
    pub fn preference(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_tags_locales_and_headers() {
        assert_eq!(Lang::parse("vi_VN"), Some(Lang::Vi));
        assert_eq!(Lang::parse("ar-EG"), Some(Lang::Ar));
        assert_eq!(Lang::parse("MS"), Some(Lang::Ms));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::negotiate("vi-VN,vi;q=0.9,en;q=0.8"), Lang::Vi);
        assert_eq!(
            Lang::negotiate("fr-FR,fr;q=0.9,it;q=0.5,en;q=0.4"),
            Lang::It
        );
        assert_eq!(Lang::negotiate("de, fr"), Lang::En);
        assert_eq!(Lang::negotiate("en;q=0, ar"), Lang::Ar);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::of_customer(Some("id_ID")), Lang::Ms);
        assert_eq!(Lang::of_customer(Some("fr_FR")), Lang::En);
        assert_eq!(Lang::of_customer(None), Lang::En);
    }
}
