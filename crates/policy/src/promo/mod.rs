//! Is a text promotional? Phrases in five languages (data files under `words/`, matched in one
//! pass by an Aho-Corasick automaton over folded text), percentages off, and links to domains
//! outside the page's allowed list. Reports what it matched, in the writer's spelling.
//!
//! Deliberately absent: words that only *mention* commerce ("order", "payment", "delivery",
//! "appointment", "account", "code" alone): a message about the customer's own order is not
//! promotional, and these lists are tested against such messages in every language.

mod links;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind as Semantics};
use serde::Serialize;

pub use ::fold::{fold, fold_text, is_plain_ascii};

/// One word list per language: (language code, file contents).
const LISTS: &[(&str, &str)] = &[
    ("en", include_str!("words/en.txt")),
    ("vi", include_str!("words/vi.txt")),
    ("ar", include_str!("words/ar.txt")),
    ("ms", include_str!("words/ms.txt")),
    ("it", include_str!("words/it.txt")),
];

/// Words right before a percentage that make it a discount ("up to 30%", "giảm 30%").
const PERCENT_BEFORE: &[&str] = &[
    "up to",
    "save",
    "giam",
    "risparmia",
    "jimat",
    "fino al",
    "hingga",
    "lên đến",
    "len den",
];
/// Words right after a percentage that make it a discount ("30% off").
const PERCENT_AFTER: &[&str] = &["off", "di sconto"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The matched text as written.
    pub text: String,
    pub kind: Found,
    /// The word list's language, for phrases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    Phrase,
    Percentage,
    Link,
}

struct Pattern {
    lang: &'static str,
    /// Arabic attaches articles and conjunctions to words: match inside words there.
    whole_word: bool,
}

pub struct Detector {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

/// What in `text` is promotional (empty when nothing is).
pub fn detect(text: &str, allowed_domains: &[String]) -> Vec<Match> {
    DETECTOR.detect(text, allowed_domains)
}

impl Detector {
    fn new() -> Detector {
        let mut phrases = Vec::new();
        let mut patterns = Vec::new();
        for (lang, list) in LISTS {
            for line in list
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                phrases.push(fold(line).text);
                patterns.push(Pattern {
                    lang,
                    whole_word: *lang != "ar",
                });
            }
        }
        let automaton = AhoCorasickBuilder::new()
            // Leftmost-longest: "flash sale" rather than "sale"; a DFA, built once, for speed.
            .match_kind(Semantics::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&phrases)
            .expect("word lists build an automaton");
        Detector {
            automaton,
            patterns,
        }
    }

    pub fn detect(&self, text: &str, allowed_domains: &[String]) -> Vec<Match> {
        if text.is_empty() {
            return Vec::new();
        }
        let hay = fold_text(text);
        let hay = hay.as_str();
        let mut spans: Vec<(usize, usize, Found, Option<&'static str>)> = Vec::new();
        for m in self.automaton.find_iter(hay) {
            let p = &self.patterns[m.pattern().as_usize()];
            let span = if p.whole_word {
                match right_boundary(hay, m.end()) {
                    Some(end) if left_boundary(hay, m.start()) => (m.start(), end),
                    _ => continue,
                }
            } else {
                enclosing_word(hay, m.start(), m.end())
            };
            spans.push((span.0, span.1, Found::Phrase, Some(p.lang)));
        }
        spans.extend(
            percentages(hay)
                .into_iter()
                .map(|(s, e)| (s, e, Found::Percentage, None)),
        );
        let mut out: Vec<Match> = Vec::new();
        if !spans.is_empty() {
            // Only now map back to the writer's spelling: most texts match nothing, and plain
            // ASCII folds byte for byte.
            let folded = if is_plain_ascii(text) {
                None
            } else {
                Some(fold(text))
            };
            // Keep the longest of overlapping spans ("flash sale" over "sale").
            spans.sort_by_key(|&(s, e, _, _)| (s, std::cmp::Reverse(e)));
            let mut covered_to = 0;
            for (s, e, kind, lang) in spans {
                if s >= covered_to {
                    covered_to = e;
                    let original = match &folded {
                        Some(f) => f.original(text, s, e),
                        None => &text[s..e],
                    };
                    out.push(Match {
                        text: original.to_owned(),
                        kind,
                        lang,
                    });
                }
            }
        }
        out.extend(
            links::external(text, allowed_domains)
                .into_iter()
                .map(|l| Match {
                    text: l,
                    kind: Found::Link,
                    lang: None,
                }),
        );
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn left_boundary(hay: &str, start: usize) -> bool {
    hay[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

/// The end of the word if `end` ends one, allowing a plural "s"/"es" ("coupons", "deals").
fn right_boundary(hay: &str, end: usize) -> Option<usize> {
    let rest = &hay[end..];
    let at_end = |r: &str| r.chars().next().is_none_or(|c| !is_word_char(c));
    if at_end(rest) {
        return Some(end);
    }
    for suffix in ["s", "es"] {
        if let Some(r) = rest.strip_prefix(suffix)
            && at_end(r)
        {
            return Some(end + suffix.len());
        }
    }
    None
}

/// The whole word around `[start, end)`, with attached articles and suffixes.
fn enclosing_word(hay: &str, start: usize, end: usize) -> (usize, usize) {
    let from = hay[..start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(start, |(i, _)| i);
    let to = end
        + hay[end..]
            .chars()
            .take_while(|c| is_word_char(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    (from, to)
}

/// Spans of discount percentages in folded text: "-30%", "30% off", "up to 50%".
fn percentages(hay: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Two single-character searches (memchr) are far faster than one over a set of characters.
    for (pct, sign) in hay.match_indices('%').chain(hay.match_indices('٪')) {
        // The number before the sign (ASCII or Arabic-Indic digits, with . or ,), maybe a space.
        let before = hay[..pct].trim_end_matches(' ');
        let digits_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| {
                c.is_ascii_digit() || ('٠'..='٩').contains(c) || *c == '.' || *c == ','
            })
            .last()
            .map(|(i, _)| i);
        let Some(start) = digits_start else { continue };
        if !before[start..]
            .chars()
            .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
        {
            continue;
        }
        let end = pct + sign.len();
        let prefix = hay[..start].trim_end();
        let suffix = hay[end..].trim_start();
        if hay[..start].ends_with('-') {
            found.push((start - 1, end));
        } else if let Some(word) = PERCENT_AFTER
            .iter()
            .find(|w| suffix.starts_with(*w) && right_boundary(suffix, w.len()).is_some())
        {
            found.push((start, hay.len() - suffix.len() + word.len()));
        } else if let Some(word) = PERCENT_BEFORE
            .iter()
            .find(|w| prefix.ends_with(*w) && left_boundary(prefix, prefix.len() - w.len()))
        {
            found.push((prefix.len() - word.len(), end));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        detect(text, &["shop.example.com".to_owned()])
            .into_iter()
            .map(|m| m.text)
            .collect()
    }

    #[test]
    fn reports_what_it_matched_as_written() {
        assert_eq!(
            texts("Get 20% off your next purchase with code SPRING."),
            ["20% off", "with code"]
        );
        assert_eq!(
            texts("Khuyến mãi lớn cuối tuần: giảm giá 30% toàn bộ cửa hàng!"),
            ["Khuyến mãi", "giảm giá"]
        );
        assert_eq!(texts("FLASH SALE today"), ["FLASH SALE"]);
        assert_eq!(texts("Prices up to 50% lower"), ["up to 50%"]);
        assert_eq!(texts("All shoes -30% this week"), ["-30%"]);
    }

    #[test]
    fn whole_words_only_outside_arabic() {
        assert!(texts("We are a wholesale supplier").is_empty());
        assert!(texts("Your promotional email preferences were updated").is_empty());
        assert_eq!(texts("Two coupons inside"), ["coupons"]);
        // Arabic clitics: "والخصومات" (and the discounts) still matches.
        assert_eq!(texts("والخصومات كبيرة"), ["والخصومات"]);
    }

    #[test]
    fn a_percentage_alone_is_not_a_discount() {
        assert!(texts("Your battery was at 30% when we tested it").is_empty());
        assert!(texts("Payment 50% received, the rest on delivery").is_empty());
    }
}
