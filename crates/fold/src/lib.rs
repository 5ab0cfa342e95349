//! Text folding for matching: lower case, accents and tone marks removed (Vietnamese "khuyến
//! mãi" → "khuyen mai", đ → d), Arabic tashkeel and tatweel removed and alef forms folded,
//! typographic apostrophes made plain, runs of white space made one space. Every byte of the
//! folded text remembers where its character started in the original, so matches can be
//! reported in the writer's own spelling.
//!
//! One folding for everything that matches text: the policy's promotional words, the inbox's
//! search ("vay" finds "váy", "dam" finds "đầm"), opt-out keywords.

use std::sync::LazyLock;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset of its source character in the original.
    origin: Vec<u32>,
}

impl Folded {
    /// The original text behind `text[start..end]`.
    pub fn original<'a>(&self, original: &'a str, start: usize, end: usize) -> &'a str {
        let from = self.origin[start] as usize;
        let last = self.origin[end - 1] as usize;
        let to = last + original[last..].chars().next().map_or(0, char::len_utf8);
        &original[from..to]
    }
}

/// The folded text with, for each byte, where it came from in `input`.
pub fn fold(input: &str) -> Folded {
    let mut origin = Vec::with_capacity(input.len());
    let text = fold_into(input, &mut origin);
    Folded { text, origin }
}

/// The folded text alone (no offset map), for searching.
pub fn fold_text(input: &str) -> String {
    if is_plain_ascii(input) {
        input.to_ascii_lowercase()
    } else {
        fold_into(input, &mut ())
    }
}

/// ASCII with single spaces between words only: folding is lower-casing, byte for byte.
pub fn is_plain_ascii(input: &str) -> bool {
    let b = input.as_bytes();
    // Whole-slice checks, each a fast loop, rather than one branchy pass.
    input.is_ascii()
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.iter().fold(false, |other_space, &c| {
            other_space | matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r')
        })
        && !input.contains("  ")
}

/// Where folded bytes came from: recorded by `fold`, ignored (compiled away) by `fold_text`.
trait Origins {
    fn record(&mut self, at: usize, len: usize);
    fn pop(&mut self);
}

impl Origins for () {
    #[inline(always)]
    fn record(&mut self, _: usize, _: usize) {}
    #[inline(always)]
    fn pop(&mut self) {}
}

impl Origins for Vec<u32> {
    #[inline(always)]
    fn record(&mut self, at: usize, len: usize) {
        self.extend(std::iter::repeat_n(at as u32, len));
    }
    #[inline(always)]
    fn pop(&mut self) {
        Vec::pop(self);
    }
}

fn fold_into(input: &str, origin: &mut impl Origins) -> String {
    let table: &[u32] = &TABLE;
    let mut out = String::with_capacity(input.len());
    let mut in_space = false;
    for (at, ch) in input.char_indices() {
        let class = if ch.is_ascii() {
            if !ch.is_ascii_whitespace() {
                // ASCII, most of any text, straight through.
                out.push(ch.to_ascii_lowercase());
                origin.record(at, 1);
                in_space = false;
                continue;
            }
            SPACE
        } else {
            table
                .get(ch as usize - 0x80)
                .copied()
                .unwrap_or(if ch.is_whitespace() { SPACE } else { SEVERAL })
        };
        match class {
            SPACE => {
                if !in_space && !out.is_empty() {
                    out.push(' ');
                    origin.record(at, 1);
                }
                in_space = true;
                continue;
            }
            REMOVED => {}
            SEVERAL => fold_slow(ch, |c| emit(&mut out, origin, c, at)),
            one => emit(
                &mut out,
                origin,
                char::from_u32(one).expect("the table holds chars"),
                at,
            ),
        }
        in_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
        origin.pop();
    }
    out
}

#[inline]
fn emit(out: &mut String, origin: &mut impl Origins, c: char, at: usize) {
    out.push(c);
    origin.record(at, c.len_utf8());
}

/// Table entry for a character that folds to nothing (a combining mark, tatweel).
const REMOVED: u32 = 0;
/// Table entry for a character that folds to several: take the slow path.
const SEVERAL: u32 = u32::MAX;
/// Table entry for white space.
const SPACE: u32 = u32::MAX - 1;
/// Characters from U+0080 below this are folded through [`TABLE`].
const TABLE_END: u32 = 0x2000;

/// The fold of every character in U+0080..U+2000 (Latin-1, Latin Extended, Arabic, Vietnamese),
/// computed once from [`fold_slow`].
static TABLE: LazyLock<Vec<u32>> = LazyLock::new(|| {
    (0x80..TABLE_END)
        .map(|cp| {
            let Some(ch) = char::from_u32(cp) else {
                return SEVERAL;
            };
            if ch.is_whitespace() {
                return SPACE;
            }
            let mut out = Vec::new();
            fold_slow(ch, |c| out.push(c));
            match out.as_slice() {
                [] => REMOVED,
                [one] => *one as u32,
                _ => SEVERAL,
            }
        })
        .collect()
});

/// The fold of one non-ASCII, non-space character.
fn fold_slow(ch: char, mut emit: impl FnMut(char)) {
    match ch {
        'đ' | 'Đ' => emit('d'),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => emit('\''),
        '\u{0640}' => {}  // tatweel: decoration
        'ى' => emit('ي'), // alef maksura
        _ => {
            for lower in ch.to_lowercase() {
                decompose_canonical(lower, |d| {
                    if !is_combining_mark(d) {
                        emit(d);
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_marks_and_space() {
        assert_eq!(fold("KHUYẾN  MÃI\nlớn").text, "khuyen mai lon");
        assert_eq!(fold("Đơn hàng đã giao").text, "don hang da giao");
        assert_eq!(fold("Città è più").text, "citta e piu");
        // Arabic with tashkeel, tatweel and hamza on alef folds to the bare form.
        assert_eq!(fold("خَصْـمٌ").text, "خصم");
        assert_eq!(fold("اشترِ الآن").text, fold("اشتر الان").text);
        assert_eq!(fold("don’t").text, "don't");
    }

    #[test]
    fn plain_ascii_takes_the_short_way_to_the_same_result() {
        for text in [
            "Flash SALE today",
            " Flash  sale\n",
            "Giảm giá",
            "a\tb",
            "a\x0Bb",
            "trailing ",
            "x ـ y ـ",
            "\u{00A0}Città\u{2003}è  più ",
            "ĐẦM ﬁ ẞ",
        ] {
            assert_eq!(fold_text(text), fold(text).text, "{text:?}");
            // The offsets still point into the original.
            let f = fold(text);
            if !f.text.is_empty() {
                assert!(!f.original(text, 0, f.text.len()).is_empty(), "{text:?}");
            }
        }
        assert!(
            is_plain_ascii("Flash SALE today")
                && !is_plain_ascii("two  spaces")
                && !is_plain_ascii("line\nbreak")
                && !is_plain_ascii(" lead")
                && !is_plain_ascii("trail ")
                && !is_plain_ascii("tab\there")
                && !is_plain_ascii("café")
        );
    }

    #[test]
    fn maps_back_to_the_original() {
        let original = "Giảm GIÁ 30%";
        let f = fold(original);
        let start = f.text.find("giam gia").unwrap();
        assert_eq!(
            f.original(original, start, start + "giam gia".len()),
            "Giảm GIÁ"
        );
    }
}
