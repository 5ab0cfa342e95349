//! Whether a customer's message says a keyword: by whole words (a keyword of several words must
//! appear as those words in a row), ignoring case and punctuation.
//!
//! Tone marks and accents are ignored only when the customer typed none: someone who writes
//! "GIA ao nay" on a phone without a Vietnamese keyboard means "giá" (price), but someone who
//! writes "tôi muốn tham gia" types marks, so their "gia" (in "tham gia", to take part) is not
//! "giá".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The words of `text` as compared: composed, lower case, split at anything that is not a
/// letter, digit or mark.
fn words(text: &str) -> Vec<String> {
    text.nfc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether the writer used tone marks or accents anywhere (đ counts: it is typed on purpose).
pub fn has_marks(text: &str) -> bool {
    text.nfd()
        .any(|c| is_combining_mark(c) || matches!(c, 'đ' | 'Đ'))
}

/// A customer's message, prepared once for matching against many keywords.
pub struct Message {
    words: Vec<String>,
    folded: bool,
}

impl Message {
    pub fn new(text: &str) -> Message {
        let folded = !has_marks(text);
        let words = if folded {
            words(&fold::fold_text(text))
        } else {
            words(text)
        };
        Message { words, folded }
    }

    /// Whether the message contains `keyword` as whole words.
    pub fn says(&self, keyword: &str) -> bool {
        let kw = if self.folded {
            words(&fold::fold_text(keyword))
        } else {
            words(keyword)
        };
        !kw.is_empty() && self.words.windows(kw.len()).any(|w| w == kw.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::Message;
    use proptest::prelude::*;

    fn says(message: &str, keyword: &str) -> bool {
        Message::new(message).says(keyword)
    }

    #[test]
    fn whole_words_in_any_case() {
        assert!(says("cho em hỏi giá", "giá"));
        assert!(says("GIA ao nay", "giá"), "no marks typed: folded");
        assert!(says("What's the PRICE?", "price"));
        assert!(says("berapa harga baju ini", "harga"));
        assert!(says("qual è il prezzo?", "prezzo"));
        assert!(says("كم سعر هذا", "سعر"));
        assert!(says(
            "I'd like to talk to a person please",
            "talk to a person"
        ));
        assert!(!says("priceless", "price"), "not inside a word");
        assert!(
            !says("tôi muốn tham gia", "giá"),
            "marks typed: gia is not giá"
        );
        assert!(!says("talk to a nice person", "talk to a person"));
        assert!(!says("", "price"));
        assert!(!says("price", ""));
    }

    #[test]
    fn decomposed_input_reads_like_composed() {
        // "giá" typed as g, i, a + combining acute.
        assert!(says("cho em hỏi gia\u{301}", "giá"));
    }

    proptest! {
        /// A keyword written anywhere in a sentence, in any case, is found; glued to other
        /// letters it is not.
        #[test]
        fn a_keyword_is_found_between_any_words(
            before in "[a-z ]{0,20}", after in "[a-z ]{0,20}", upper in any::<bool>()
        ) {
            let kw = if upper { "PRICE" } else { "price" };
            let found = format!("{before} {kw}, {after}");
            prop_assert!(says(&found, "price"));
            let glued = format!("{before}x{kw}x{after}");
            prop_assert!(!says(&glued, "price"));
        }
    }
}
