//! A reader's translator: their language and time zone, and the messages in it.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::LanguageIdentifier;
use fluent_templates::fluent_bundle::FluentValue;
use jiff::tz::TimeZone;

use crate::{LOCALES, Lang};

/// A value for a message's placeable: text, or a number (which selects plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

impl From<&i64> for Arg {
    fn from(n: &i64) -> Arg {
        Arg::Num(*n)
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Num(i64::from(n))
    }
}

/// Templates hand over references, sometimes of references.
macro_rules! arg_from {
    ($($t:ty => |$v:ident| $e:expr),+ $(,)?) => {
        $(impl From<$t> for Arg {
            fn from($v: $t) -> Arg {
                $e
            }
        })+
    };
}

arg_from! {
    &&str => |s| Arg::Str((*s).to_owned()),
    &&String => |s| Arg::Str((*s).clone()),
    u16 => |n| Arg::Num(i64::from(n)),
    &u16 => |n| Arg::Num(i64::from(*n)),
    u32 => |n| Arg::Num(i64::from(n)),
    &u32 => |n| Arg::Num(i64::from(*n)),
    u64 => |n| Arg::Num(i64::try_from(n).unwrap_or(i64::MAX)),
    &u64 => |n| Arg::Num(i64::try_from(*n).unwrap_or(i64::MAX)),
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Num(n as i64)
    }
}

impl From<&usize> for Arg {
    fn from(n: &usize) -> Arg {
        Arg::Num(*n as i64)
    }
}

static IDS: LazyLock<HashMap<Lang, LanguageIdentifier>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|l| (l, l.tag().parse().expect("the five tags are valid")))
        .collect()
});

/// Translates for one reader: their language, their time zone.
#[derive(Debug, Clone)]
pub struct Tr {
    lang: Lang,
    pub(crate) zone: TimeZone,
    /// Every message wrapped in ⟦…⟧ (English inside): the pseudo-locale.
    pseudo: bool,
}

impl Tr {
    /// A translator for `lang`, dates in UTC.
    pub fn new(lang: Lang) -> Tr {
        Tr {
            lang,
            zone: TimeZone::UTC,
            pseudo: false,
        }
    }

    /// The pseudo-locale: English wrapped in ⟦…⟧, so untranslated text stands out.
    pub fn pseudo() -> Tr {
        Tr {
            pseudo: true,
            ..Tr::new(Lang::En)
        }
    }

    /// Dates in the IANA zone `name` (`Asia/Ho_Chi_Minh`); UTC if it is unknown.
    pub fn in_zone(mut self, name: Option<&str>) -> Tr {
        if let Some(zone) = name.and_then(|n| TimeZone::get(n).ok()) {
            self.zone = zone;
        }
        self
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn is_pseudo(&self) -> bool {
        self.pseudo
    }

    /// The `<html lang>` value.
    pub fn tag(&self) -> &'static str {
        if self.pseudo {
            "en-XA"
        } else {
            self.lang.tag()
        }
    }

    /// The `<html dir>` value.
    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    /// The reader's time zone's name (`UTC` when none was given).
    pub fn zone_name(&self) -> &str {
        self.zone.iana_name().unwrap_or("UTC")
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &'static str, value: impl Into<Arg>) -> String {
        self.format(id, &[(name, value.into())])
    }

    /// The message `id` with two arguments.
    pub fn t2(
        &self,
        id: &str,
        a: &'static str,
        x: impl Into<Arg>,
        b: &'static str,
        y: impl Into<Arg>,
    ) -> String {
        self.format(id, &[(a, x.into()), (b, y.into())])
    }

    /// The message `id` counting `n` (`$n`), in the language's plural form.
    pub fn n(&self, id: &str, n: impl Into<Arg>) -> String {
        self.format(id, &[("n", n.into())])
    }

    /// The message `id` with `args`. A message missing in the reader's language falls back to
    /// English (and is logged); one missing everywhere shows as `MISSING:id`, which the tests
    /// look for.
    pub fn format(&self, id: &str, args: &[(&'static str, Arg)]) -> String {
        let args = fluent_args(args);
        let lang = if self.pseudo { Lang::En } else { self.lang };
        let text = lookup(lang, id, &args).or_else(|| {
            tracing::error!(lang = %lang, id, "message missing or broken; English shown");
            lookup(Lang::En, id, &args)
        });
        match (text, self.pseudo) {
            (Some(t), false) => t,
            (Some(t), true) => format!("⟦{t}⟧"),
            (None, _) => format!("MISSING:{id}"),
        }
    }
}

/// The message `id` in `lang` alone, `None` if it is missing or does not format (a
/// placeable without its argument): for the catalogue's tests.
pub fn strict(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> Option<String> {
    lookup(lang, id, &fluent_args(args))
}

fn fluent_args<'a>(args: &'a [(&'static str, Arg)]) -> HashMap<&'a str, FluentValue<'a>> {
    args.iter()
        .map(|(k, v)| {
            let v = match v {
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (*k, v)
        })
        .collect()
}

fn lookup(lang: Lang, id: &str, args: &HashMap<&str, FluentValue>) -> Option<String> {
    LOCALES
        .lookup_single_language(&IDS[&lang], id, Some(args))
        .ok()
}
