//! Opt-out that works, always on. A customer whose whole message is STOP (or the usual word in
//! Vietnamese, Arabic, Malay, Italian) is opted out: automated, broadcast and API messages stop
//! (policy rule 1) until they write START (or the local word). A word inside a sentence is not
//! a request: "dừng lại ở đâu?" ("where does it stop?") is a question.
//!
//! Matching is whole-message, case-insensitive, ignoring surrounding punctuation and emoji.
//! Vietnamese needs its tone marks ("dung" is also a common name); Arabic matches with or
//! without diacritics, as people write it both ways.

/// What the customer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Stop,
    Start,
}

const STOP: &[&str] = &[
    // English
    "stop",
    "unsubscribe",
    "stop all",
    "opt out",
    "opt-out",
    "cancel subscription",
    // Vietnamese
    "dừng",
    "dừng lại",
    "ngừng",
    "ngừng nhắn tin",
    "hủy đăng ký",
    "huỷ đăng ký",
    // Arabic
    "توقف",
    "إيقاف",
    "ايقاف",
    "إلغاء الاشتراك",
    "الغاء الاشتراك",
    // Malay
    "berhenti",
    "henti",
    "nyahlanggan",
    "berhenti langgan",
    // Italian
    "basta",
    "annulla iscrizione",
    "disiscrivimi",
    "cancellami",
];

const START: &[&str] = &[
    "start",
    "subscribe",
    "unstop",
    "bắt đầu",
    "tiếp tục",
    "ابدأ",
    "ابدا",
    "اشتراك",
    "mula",
    "langgan",
    "teruskan",
    "riprendi",
    "iscrivimi",
    "ricomincia",
];

/// Whether the whole message asks to stop or to start again.
pub fn keyword(message: &str) -> Option<Keyword> {
    let said = normalize(message);
    if said.is_empty() || said.chars().count() > 40 {
        return None;
    }
    let arabic = said.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    let matches = |words: &[&str]| {
        words.iter().any(|w| {
            *w == said || (arabic && policy::promo::fold_text(w) == policy::promo::fold_text(&said))
        })
    };
    if matches(STOP) {
        Some(Keyword::Stop)
    } else if matches(START) {
        Some(Keyword::Start)
    } else {
        None
    }
}

/// Lower case, composed, single spaces, without punctuation or emoji around it.
fn normalize(message: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let trimmed = message.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl crate::Engine {
    /// Acts on a customer's STOP or START: the confirmation goes through the outbox and the
    /// policy like any message (before the opt-out is recorded, so it may still go out; after
    /// it is lifted). Returns whether the message was such a request; a START from someone
    /// who had not opted out is an ordinary message.
    pub async fn customer_keyword(
        &self,
        message: &store::PendingMessage,
        keyword: Keyword,
        locale: Option<&str>,
        texts: Option<&automations::document::OptOut>,
    ) -> Result<bool, crate::outbox::SubmitError> {
        use crate::outbox::{Actor, Draft};
        use i18n::{Lang, customer_text};
        let (page, psid) = (&message.page_id, &message.psid);
        let contact = self.store.contact(page, psid).await?;
        let already_out = contact.as_ref().is_some_and(|c| c.opted_out);
        let lang = Lang::of_customer(locale);
        // The page's own words if its document has them, else Fenestra's.
        let said = |own: Option<&automations::values::Texts>, id: &str| match own {
            Some(t) => t.pick(locale).to_owned(),
            None => customer_text(lang, id, &[]),
        };
        let confirm = |text: &str| {
            let mut d = Draft::text(page, psid, Actor::Automation("opt_out"), text);
            d.dedupe_key = Some(format!("opt_out:{page}:{}", message.mid));
            d
        };
        match keyword {
            Keyword::Stop if already_out => Ok(true),
            Keyword::Stop => {
                self.submit(&confirm(&said(
                    texts.and_then(|t| t.confirmation.as_ref()),
                    "customer-opted-out",
                )))
                .await?;
                self.store
                    .set_opted_out(page, psid, Some(message.at))
                    .await?;
                tracing::info!(page, psid, "the customer opted out");
                Ok(true)
            }
            Keyword::Start if !already_out => Ok(false),
            Keyword::Start => {
                self.store.set_opted_out(page, psid, None).await?;
                self.submit(&confirm(&said(
                    texts.and_then(|t| t.resumed.as_ref()),
                    "customer-opted-in",
                )))
                .await?;
                tracing::info!(page, psid, "the customer opted in again");
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_messages_in_five_languages() {
        for stop in [
            "STOP",
            "stop!",
            " Stop. ",
            "Unsubscribe",
            "DỪNG",
            "dừng lại",
            "Hủy đăng ký",
            "توقف",
            "تَوَقَّف",
            "BERHENTI",
            "Basta!",
            "stop 🙏",
        ] {
            assert_eq!(keyword(stop), Some(Keyword::Stop), "{stop}");
        }
        for start in ["START", "start.", "Bắt đầu", "ابدأ", "mula", "Riprendi"] {
            assert_eq!(keyword(start), Some(Keyword::Start), "{start}");
        }
    }

    #[test]
    fn not_a_word_inside_a_sentence_nor_a_name() {
        for text in [
            "dừng lại ở đâu?",
            "please don't stop sending deals",
            "Dung",
            "stop by the shop tomorrow?",
            "Non basta, voglio il rimborso",
            "",
            "!!!",
        ] {
            assert_eq!(keyword(text), None, "{text}");
        }
    }
}
