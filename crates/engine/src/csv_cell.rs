//! Cells of the CSV files Fenestra writes (leads, broadcast recipients) hold what customers
//! typed. A spreadsheet runs a cell that starts like a formula (`=HYPERLINK(…)`, `@SUM(…)`,
//! `-2+3+cmd|…`): such cells get a leading `'`, which spreadsheets show as text. Phone numbers
//! (`+84 90 111 2222`) and plain numbers stay as they are.

use std::borrow::Cow;

/// `text`, made safe to open in a spreadsheet.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.all(|c| c.is_ascii_digit() || " .()-".contains(c)),
        _ => false,
    };
    if risky {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("-2+3+cmd|' /C calc'!A0"),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(csv_cell("+84 90 111 2222"), "+84 90 111 2222");
        assert_eq!(csv_cell("-15.5"), "-15.5");
        assert_eq!(csv_cell("Hoa Pham"), "Hoa Pham");
        assert_eq!(csv_cell(""), "");
    }
}
