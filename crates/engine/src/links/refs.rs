//! Refs: what Meta keeps of them, and signed refs that carry an order or customer id.
//!
//! A signed ref is `s1=` + base64url(`ENTRY \n o|c \n ID`) + 16 characters of HMAC-SHA256 (the
//! Page's secret) over what precedes them, all within the characters Meta passes on (letters,
//! digits, `-`, `_`, `=`; base64url without padding has no `=`, so `s1=` marks the start). A ref
//! whose code does not match was forged or altered: it counts as plain attribution and links
//! nothing.

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const MARK: &str = "s1=";
const CODE_CHARS: usize = 16;
/// Meta's limit on a `ref` in an m.me link.
pub const MAX_REF: usize = 2_083;
/// An order or customer id in a signed ref.
pub const MAX_ID: usize = 64;

/// Keeps what Meta passes on of a ref: letters, digits, `-`, `_`, `=`.
pub fn meta_keeps(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=')
}

/// A ref typed by a person: an error naming what Meta would drop.
pub fn check_ref(raw: &str) -> Result<(), String> {
    if raw.is_empty() {
        return Err("is empty".into());
    }
    if raw.len() > MAX_REF {
        return Err(format!(
            "has {} characters; Meta keeps at most {MAX_REF}",
            raw.len()
        ));
    }
    if let Some(c) = raw.chars().find(|c| !meta_keeps(*c)) {
        return Err(format!(
            "contains `{c}`: Meta keeps only letters, digits, `-`, `_` and `=` (write `{}`)",
            raw.chars().filter(|c| meta_keeps(*c)).collect::<String>()
        ));
    }
    if raw.starts_with(MARK) {
        return Err(format!("starts with `{MARK}`, which marks signed refs"));
    }
    Ok(())
}

/// What a signed ref links a Messenger contact to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Order,
    Customer,
}

impl Subject {
    fn letter(self) -> &'static str {
        match self {
            Subject::Order => "o",
            Subject::Customer => "c",
        }
    }

    /// The contact field that keeps the id (shown in the thread, usable in flows).
    pub fn field(self) -> &'static str {
        match self {
            Subject::Order => "order_id",
            Subject::Customer => "customer_id",
        }
    }
}

/// An order or customer of the shop, and the entry point (`receipt`) the ref belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRef {
    pub entry: String,
    pub subject: Subject,
    pub id: String,
}

/// What a ref that arrived says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrived {
    /// Signed with the Page's secret: trusted.
    Signed(SignedRef),
    /// Shaped like a signed ref but its code does not match: never trusted.
    Forged,
    Plain,
}

fn code(secret: &[u8], signed_part: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(signed_part.as_bytes());
    let digest = mac.finalize().into_bytes();
    Base64UrlUnpadded::encode_string(&digest[..12])
}

/// The signed ref for `r`; an error names the field that cannot be carried.
pub fn sign(secret: &[u8], r: &SignedRef) -> Result<String, (&'static str, String)> {
    check_ref(&r.entry).map_err(|e| ("entry", e))?;
    if r.id.trim().is_empty() || r.id.chars().count() > MAX_ID || r.id.contains('\n') {
        return Err((
            "id",
            format!("must be 1 to {MAX_ID} characters on one line"),
        ));
    }
    let payload = format!("{}\n{}\n{}", r.entry, r.subject.letter(), r.id);
    let signed_part = format!(
        "{MARK}{}",
        Base64UrlUnpadded::encode_string(payload.as_bytes())
    );
    let out = format!("{signed_part}{}", code(secret, &signed_part));
    if out.len() > MAX_REF {
        return Err(("id", "makes the ref longer than Meta keeps".into()));
    }
    Ok(out)
}

/// Reads a ref as it arrived in a webhook.
pub fn read(secret: &[u8], raw: &str) -> Arrived {
    if !raw.starts_with(MARK) || raw.len() < MARK.len() + CODE_CHARS + 4 {
        return Arrived::Plain;
    }
    let (signed_part, given) = raw.split_at(raw.len() - CODE_CHARS);
    // Compared in constant time: the HMAC crate verifies its own tag.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(signed_part.as_bytes());
    let Ok(given) = Base64UrlUnpadded::decode_vec(given) else {
        return Arrived::Forged;
    };
    if mac.verify_truncated_left(&given).is_err() || given.len() != 12 {
        return Arrived::Forged;
    }
    let Ok(payload) = Base64UrlUnpadded::decode_vec(&signed_part[MARK.len()..]) else {
        return Arrived::Forged;
    };
    let payload = String::from_utf8_lossy(&payload);
    let mut parts = payload.splitn(3, '\n');
    let (Some(entry), Some(letter), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Arrived::Forged;
    };
    let subject = match letter {
        "o" => Subject::Order,
        "c" => Subject::Customer,
        _ => return Arrived::Forged,
    };
    Arrived::Signed(SignedRef {
        entry: entry.to_owned(),
        subject,
        id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(id: &str) -> SignedRef {
        SignedRef {
            entry: "receipt".into(),
            subject: Subject::Order,
            id: id.into(),
        }
    }

    #[test]
    fn a_signed_ref_reads_back_and_stays_within_what_meta_keeps() {
        let r = sign(b"secret", &receipt("ĐH-2026/0042")).unwrap();
        assert!(r.chars().all(meta_keeps), "{r}");
        assert_eq!(
            read(b"secret", &r),
            Arrived::Signed(receipt("ĐH-2026/0042"))
        );
    }

    #[test]
    fn an_altered_or_foreign_ref_is_never_trusted() {
        let r = sign(b"secret", &receipt("42")).unwrap();
        assert_eq!(read(b"another page's secret", &r), Arrived::Forged);
        // Someone edits the id in the middle and keeps the code.
        let other = sign(b"secret", &receipt("43")).unwrap();
        let tampered = format!("{}{}", &other[..other.len() - 16], &r[r.len() - 16..]);
        assert_eq!(read(b"secret", &tampered), Arrived::Forged);
        let mut flipped = r.clone().into_bytes();
        let i = flipped.len() - 3;
        flipped[i] = if flipped[i] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            read(b"secret", &String::from_utf8(flipped).unwrap()),
            Arrived::Forged
        );
        assert_eq!(read(b"secret", "counter"), Arrived::Plain);
    }

    #[test]
    fn refs_people_type_are_checked_as_meta_keeps_them() {
        assert!(check_ref("counter-1_A=").is_ok());
        let e = check_ref("quầy thu ngân").unwrap_err();
        assert!(e.contains("contains `ầ`"), "{e}");
        assert!(check_ref("s1=abc").is_err());
        assert!(check_ref(&"a".repeat(MAX_REF + 1)).is_err());
        assert_eq!(sign(b"k", &receipt("")).unwrap_err().0, "id");
    }
}
