//! Customer lists: a shop's CSV of phone numbers and e-mail addresses, matched against what
//! customers gave Fenestra themselves (phone and e-mail quick replies, flow answers). Matched
//! contacts get a label (`list:NAME`), so audiences can reach them by the paths Meta allows;
//! nobody is written to by phone number (Meta keeps that for a closed beta). The unmatched
//! become a hashed (SHA-256) audience file for Meta's ads tools, the only use Meta allows.
//!
//! Reading is lenient where spreadsheets differ (comma or semicolon; UTF-8 with or without a
//! byte-order mark, or UTF-16) and strict where it matters: a row without consent is dropped
//! and counted, an unreadable one is reported with its line number.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use store::Time;

use crate::Engine;
use crate::team::Label;

/// Why a list cannot be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (UTF-8 or UTF-16)")]
    NotText,
    #[error("line 1: no `phone` or `email` column (found: {0})")]
    NoContactColumn(String),
    #[error("line 1: no `consent` column: only people who agreed may be matched (found: {0})")]
    NoConsentColumn(String),
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("name: 1 to 30 characters, no comma")]
    BadName,
}

/// A readable row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub line: u64,
    /// E.164.
    pub phone: Option<String>,
    /// Lower case.
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    pub line: u64,
    pub reason: String,
}

/// A list as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    pub rows: u64,
    pub without_consent: u64,
    pub invalid: Vec<Invalid>,
    pub people: Vec<Person>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub rows: u64,
    pub without_consent: u64,
    pub invalid: Vec<Invalid>,
    pub matched: u64,
    pub unmatched: u64,
    /// The label the matched contacts got.
    pub label: String,
    /// The unmatched as Meta's customer-list file: `email,phone`, each SHA-256 of the
    /// normalised value (hex).
    #[serde(skip)]
    pub hashed_csv: String,
}

const PHONE: [&str; 8] = [
    "phone",
    "phone_number",
    "mobile",
    "điện thoại",
    "số điện thoại",
    "telefono",
    "telefon",
    "هاتف",
];
const EMAIL: [&str; 6] = [
    "email",
    "e-mail",
    "mail",
    "thư điện tử",
    "posta elettronica",
    "البريد الإلكتروني",
];
const CONSENT: [&str; 7] = [
    "consent",
    "opt_in",
    "đồng ý",
    "consenso",
    "persetujuan",
    "kebenaran",
    "موافقة",
];
const YES: [&str; 13] = [
    "yes", "y", "true", "1", "x", "có", "co", "sì", "si", "ya", "ok", "نعم", "✓",
];

/// Text from the bytes a spreadsheet saved.
pub fn decode(bytes: &[u8]) -> Result<String, ListError> {
    let utf16 = |le: bool, rest: &[u8]| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| ListError::NotText)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| ListError::NotText)
        }
        [0xFF, 0xFE, rest @ ..] => utf16(true, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(false, rest),
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| ListError::NotText),
    }
}

fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.as_str()))
}

/// Reads a list; `country` is how numbers without a country code are read.
pub fn read(bytes: &[u8], country: Option<&str>) -> Result<List, ListError> {
    let text = decode(bytes)?;
    let first = text
        .lines()
        .next()
        .filter(|l| !l.trim().is_empty())
        .ok_or(ListError::Empty)?;
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ListError::Csv {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let found = headers.join(", ");
    let phone_col = column(&headers, &PHONE);
    let email_col = column(&headers, &EMAIL);
    if phone_col.is_none() && email_col.is_none() {
        return Err(ListError::NoContactColumn(found));
    }
    let consent_col = column(&headers, &CONSENT).ok_or(ListError::NoConsentColumn(found))?;
    let mut list = List::default();
    for record in reader.records() {
        let record = record.map_err(|e| ListError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        list.rows += 1;
        let field = |c: Option<usize>| {
            c.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let agreed =
            field(Some(consent_col)).is_some_and(|v| YES.contains(&v.to_lowercase().as_str()));
        if !agreed {
            list.without_consent += 1;
            continue;
        }
        let raw_phone = field(phone_col);
        let raw_email = field(email_col);
        let phone = raw_phone.and_then(|p| flows::answer::phone_in(p, country));
        let email = raw_email
            .and_then(flows::answer::email)
            .map(|e| e.to_lowercase());
        let reason = match (raw_phone, raw_email, &phone, &email) {
            (None, None, _, _) => Some("no phone number or e-mail address".to_owned()),
            (Some(p), _, None, None) => Some(format!("`{p}` is not a phone number")),
            (None, Some(e), _, None) => Some(format!("`{e}` is not an e-mail address")),
            _ => None,
        };
        match reason {
            Some(reason) => list.invalid.push(Invalid { line, reason }),
            None => list.people.push(Person { line, phone, email }),
        }
    }
    Ok(list)
}

fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Meta's customer-list file of `people`: e-mail lower case, phone as digits with the country
/// code and no `+`, each hashed.
pub fn hashed_file(people: &[&Person]) -> String {
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["email", "phone"]);
    for p in people {
        let email = p.email.as_deref().map(sha256).unwrap_or_default();
        let phone = p
            .phone
            .as_deref()
            .map(|n| sha256(n.trim_start_matches('+')))
            .unwrap_or_default();
        let _ = w.write_record([email, phone]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl Engine {
    /// Reads a list, labels the matched contacts `list:NAME`, and reports.
    pub async fn import_list(
        &self,
        page_id: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<Report, ImportError> {
        let label =
            Label::parse(&format!("list:{}", name.trim())).map_err(|_| ListError::BadName)?;
        if name.trim().is_empty() {
            return Err(ListError::BadName.into());
        }
        let setup = self.store().marketing_setup(page_id).await?;
        let list = read(bytes, setup.default_country.as_deref())?;
        // What each customer gave, normalised the same way.
        let mut by_value: HashMap<String, Vec<String>> = HashMap::new();
        for (psid, value) in self.store().given_contact_details(page_id).await? {
            let value = value.trim();
            let key = if value.contains('@') {
                flows::answer::email(value).map(|e| e.to_lowercase())
            } else {
                flows::answer::phone_in(value, setup.default_country.as_deref())
            };
            if let Some(k) = key {
                by_value.entry(k).or_default().push(psid);
            }
        }
        let mut matched: HashSet<String> = HashSet::new();
        let mut unmatched = Vec::new();
        for p in &list.people {
            let hits: Vec<&String> = [&p.phone, &p.email]
                .into_iter()
                .flatten()
                .filter_map(|k| by_value.get(k))
                .flatten()
                .collect();
            if hits.is_empty() {
                unmatched.push(p);
            }
            matched.extend(hits.into_iter().cloned());
        }
        for psid in &matched {
            self.store()
                .add_label(page_id, psid, label.as_str())
                .await?;
        }
        tracing::info!(
            page_id,
            list = name,
            matched = matched.len(),
            unmatched = unmatched.len(),
            "customer list imported"
        );
        self.signals.changed();
        Ok(Report {
            rows: list.rows,
            without_consent: list.without_consent,
            invalid: list.invalid,
            matched: matched.len() as u64,
            unmatched: unmatched.len() as u64,
            label: label.as_str().to_owned(),
            hashed_csv: hashed_file(&unmatched),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// When the list was imported, for the file's name.
pub fn stamp(now: Time) -> String {
    now.timestamp().strftime("%Y%m%d-%H%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_list_from_a_spreadsheet_is_read_with_its_problems() {
        let csv = "\u{feff}Tên;Điện thoại;Email;Đồng ý\nLan;0912 345 678;;có\nBao;;bao@example.com;không\nMai;12;;có\nAn;;an@example;có\n";
        let list = read(csv.as_bytes(), Some("VN")).unwrap();
        assert_eq!(list.rows, 4);
        assert_eq!(list.without_consent, 1);
        assert_eq!(list.people.len(), 1);
        assert_eq!(list.people[0].phone.as_deref(), Some("+84912345678"));
        assert_eq!(
            list.invalid.iter().map(|i| i.line).collect::<Vec<_>>(),
            vec![4, 5]
        );
    }

    #[test]
    fn utf16_lists_are_read() {
        let text = "phone,consent\n+60123456789,yes\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let list = read(&bytes, None).unwrap();
        assert_eq!(list.people[0].phone.as_deref(), Some("+60123456789"));
    }

    #[test]
    fn a_list_without_consent_is_refused() {
        assert!(matches!(
            read(b"phone\n+84912345678\n", None),
            Err(ListError::NoConsentColumn(_))
        ));
        assert!(matches!(
            read(b"name,consent\nLan,yes\n", None),
            Err(ListError::NoContactColumn(_))
        ));
    }

    #[test]
    fn the_hashed_file_is_what_meta_reads() {
        let p = Person {
            line: 2,
            phone: Some("+84912345678".into()),
            email: Some("lan@example.com".into()),
        };
        let file = hashed_file(&[&p]);
        let second = file.lines().nth(1).unwrap();
        assert_eq!(
            second,
            format!("{},{}", sha256("lan@example.com"), sha256("84912345678"))
        );
    }
}
