//! Search as people type. Vietnamese customers and agents often write without tone marks, so
//! the store keeps a folded copy of every message text (`messages.search_text`) and customer
//! name (`contacts.search_name`), folded by the [`fold`] crate (lower case, no accents or tone
//! marks, đ → d, no Arabic tashkeel), and folds the search the same way: "vay" finds "váy",
//! "ao khoac" finds "áo khoác", "dam" finds "đầm". The text index (SQLite FTS5 trigram,
//! PostgreSQL `pg_trgm`) is built over the folded copy.

use crate::Profile;

/// The folded "first last" name, as searched.
pub fn search_name(p: &Profile) -> Option<String> {
    let name = [p.first_name.as_deref(), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(fold::fold_text(&name)).filter(|n| !n.is_empty())
}

/// Rows folded per transaction when folding what older versions wrote.
pub(crate) const FOLD_BATCH: i64 = 1_000;
