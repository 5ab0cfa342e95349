//! Whether a customer's answer fits what a question expects, and the value saved: an e-mail
//! address as written, a phone number in E.164 (`+84901234567`, read in the customer's country
//! when written without one), a number, a day (ISO), a choice's `value` (tapped, or its title
//! written in any of its languages, case and accents ignored).

use jiff::civil::Date;

use crate::document::{Ask, Expect};

/// The customer's answer: what they wrote, and the payload of what they tapped.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer<'a> {
    pub text: Option<&'a str>,
    pub payload: Option<&'a str>,
}

/// The value to save, or `None` when the answer does not fit.
pub fn accept(ask: &Ask, answer: Answer<'_>, locale: Option<&str>, today: Date) -> Option<String> {
    // Meta's e-mail and phone quick replies carry the value as their payload.
    let said = answer
        .payload
        .or(answer.text)
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    match ask.expect {
        Expect::Text => answer
            .text
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
        Expect::Email => email(said),
        Expect::Phone => phone(said, locale),
        Expect::Number => said
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n.to_string()),
        Expect::Date => date(said, today).map(|d| d.to_string()),
        Expect::Choice => {
            let folded = |s: &str| fold::fold_text(s).to_lowercase();
            ask.choices
                .0
                .iter()
                .find(|c| {
                    answer.payload == Some(c.value.as_str())
                        || answer.text.is_some_and(|t| {
                            let t = folded(t.trim());
                            t == folded(c.value.as_str())
                                || c.title.iter().any(|(_, title)| folded(title) == t)
                        })
                })
                .map(|c| c.value.to_string())
        }
    }
}

/// `name@domain.tld`: one `@`, no spaces, a dot in the domain.
pub fn email(s: &str) -> Option<String> {
    let (local, domain) = s.split_once('@')?;
    let ok = !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').filter(|p| !p.is_empty()).count() >= 2
        && !domain.starts_with('.')
        && !domain.ends_with('.');
    ok.then(|| s.to_owned())
}

/// The country of a Messenger locale (`vi_VN` → VN). Meta's `ar_AR` is Arabic at large, not
/// Argentina: no country.
fn country(locale: Option<&str>) -> Option<phonenumber::country::Id> {
    let locale = locale.filter(|l| *l != "ar_AR")?;
    let code = locale.split(['_', '-']).nth(1)?;
    code.to_ascii_uppercase().parse().ok()
}

fn phone(s: &str, locale: Option<&str>) -> Option<String> {
    e164(s, country(locale))
}

/// A phone number in E.164 (`+84912345678`), read as in `country` (ISO 3166, `VN`) when it has
/// no country code; `None` when it is not a valid number.
pub fn phone_in(s: &str, country: Option<&str>) -> Option<String> {
    e164(
        s,
        country.and_then(|c| c.trim().to_ascii_uppercase().parse().ok()),
    )
}

fn e164(s: &str, country: Option<phonenumber::country::Id>) -> Option<String> {
    let number = phonenumber::parse(country, s).ok()?;
    phonenumber::is_valid(&number)
        .then(|| number.format().mode(phonenumber::Mode::E164).to_string())
}

/// 2026-12-24, 24/12/2026, 24-12-2026, 24.12.2026, or 24/12 (the next such day from today).
fn date(s: &str, today: Date) -> Option<Date> {
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<i16> = s
        .split(['/', '-', '.'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (day, month, year) = match parts.as_slice() {
        [d, m, y] if *y >= 100 => (*d, *m, *y),
        [d, m, y] => (*d, *m, 2000 + *y),
        [d, m] => {
            let this_year =
                Date::new(today.year(), i8::try_from(*m).ok()?, i8::try_from(*d).ok()?).ok()?;
            return Some(if this_year < today {
                this_year.checked_add(jiff::Span::new().years(1)).ok()?
            } else {
                this_year
            });
        }
        _ => return None,
    };
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Choice;
    use automations::values::{Limited, Texts};

    fn ask(expect: Expect) -> Ask {
        Ask {
            text: Texts::new("?"),
            save: "x".to_owned().try_into().unwrap(),
            expect,
            choices: Limited::default(),
            retry: None,
        }
    }

    fn typed(a: &Ask, text: &str) -> Option<String> {
        let today = Date::new(2026, 11, 30).unwrap();
        accept(
            a,
            Answer {
                text: Some(text),
                payload: None,
            },
            Some("vi_VN"),
            today,
        )
    }

    #[test]
    fn emails_and_phones() {
        let e = ask(Expect::Email);
        assert_eq!(typed(&e, " linh@shop.vn "), Some("linh@shop.vn".into()));
        for bad in [
            "linh",
            "linh@",
            "@shop.vn",
            "linh@shop",
            "li nh@shop.vn",
            "a@b@c.vn",
        ] {
            assert_eq!(typed(&e, bad), None, "{bad}");
        }
        let p = ask(Expect::Phone);
        assert_eq!(
            typed(&p, "0901 234 567"),
            Some("+84901234567".into()),
            "read in Vietnam"
        );
        assert_eq!(typed(&p, "+39 312 345 6789"), Some("+393123456789".into()));
        assert_eq!(typed(&p, "12"), None);
        // Meta's quick reply fills in the customer's own number.
        let tapped = accept(
            &p,
            Answer {
                text: Some("+84 90 123 45 67"),
                payload: Some("+84901234567"),
            },
            None,
            Date::new(2026, 1, 1).unwrap(),
        );
        assert_eq!(tapped, Some("+84901234567".into()));
    }

    #[test]
    fn dates_numbers_and_choices() {
        let d = ask(Expect::Date);
        assert_eq!(typed(&d, "2026-12-24"), Some("2026-12-24".into()));
        assert_eq!(typed(&d, "24/12/2026"), Some("2026-12-24".into()));
        assert_eq!(typed(&d, "24.12.26"), Some("2026-12-24".into()));
        assert_eq!(
            typed(&d, "3/1"),
            Some("2027-01-03".into()),
            "the next 3 January"
        );
        assert_eq!(typed(&d, "31/02/2026"), None);
        assert_eq!(typed(&d, "tomorrow"), None);
        assert_eq!(typed(&ask(Expect::Number), "2,5"), Some("2.5".into()));
        let mut c = ask(Expect::Choice);
        c.choices = Limited(vec![Choice {
            title: serde_json::from_str(r#"{"default": "Haircut", "vi": "Cắt tóc"}"#).unwrap(),
            value: "cut".to_owned().try_into().unwrap(),
        }]);
        assert_eq!(typed(&c, "cat toc"), Some("cut".into()));
        assert_eq!(typed(&c, "HAIRCUT"), Some("cut".into()));
        assert_eq!(typed(&c, "color"), None);
        let tapped = accept(
            &c,
            Answer {
                text: Some("Cắt tóc"),
                payload: Some("cut"),
            },
            None,
            Date::new(2026, 1, 1).unwrap(),
        );
        assert_eq!(tapped, Some("cut".into()));
        assert_eq!(typed(&ask(Expect::Text), "  "), None);
    }
}
