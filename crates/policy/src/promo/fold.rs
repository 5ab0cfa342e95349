//! Text folding for matching: lower case, accents and tone marks removed (Vietnamese "khuyến
//! mãi" → "khuyen mai", đ → d), Arabic tashkeel and tatweel removed and alef forms folded,
//! typographic apostrophes made plain, runs of white space made one space. Every byte of the
//! folded text remembers where its character started in the original, so matches can be
//! reported in the writer's own spelling.

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

pub fn fold(input: &str) -> Folded {
    let mut text = String::with_capacity(input.len());
    let mut origin = Vec::with_capacity(input.len());
    let mut in_space = false;
    for (at, ch) in input.char_indices() {
        if ch.is_whitespace() {
            if !in_space && !text.is_empty() {
                push(&mut text, &mut origin, ' ', at);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if ch.is_ascii() {
            push(&mut text, &mut origin, ch.to_ascii_lowercase(), at);
            continue;
        }
        match ch {
            'đ' | 'Đ' => push(&mut text, &mut origin, 'd', at),
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => push(&mut text, &mut origin, '\'', at),
            '\u{0640}' => {}                              // tatweel: decoration
            'ى' => push(&mut text, &mut origin, 'ي', at), // alef maksura
            _ => {
                for lower in ch.to_lowercase() {
                    decompose_canonical(lower, |d| {
                        if !is_combining_mark(d) {
                            push(&mut text, &mut origin, d, at);
                        }
                    });
                }
            }
        }
    }
    if text.ends_with(' ') {
        text.pop();
        origin.pop();
    }
    Folded { text, origin }
}

fn push(text: &mut String, origin: &mut Vec<u32>, c: char, at: usize) {
    text.push(c);
    origin.extend(std::iter::repeat_n(at as u32, c.len_utf8()));
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
