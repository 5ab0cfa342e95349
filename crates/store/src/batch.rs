//! Multi-row statements for processing webhooks.
//!
//! One statement for many rows saves a round trip per row: on SQLite each statement is a hop to
//! the connection's thread and back, which cost more than the writing itself. Two limits shape
//! the statements: PostgreSQL refuses an upsert (or an `UPDATE … FROM`) that meets the same row
//! twice, and each database caps the values bound to one statement. So rows go in runs in which
//! no key repeats, of at most [`ROWS`] rows. Runs keep the rows' order and SQLite applies a
//! statement's rows in order, so applying the runs one after another writes what applying the
//! rows one by one would.

use std::collections::HashSet;
use std::hash::Hash;

use crate::kinds::Speaker;
use crate::model::{Effect, NewMessage, NormalizedEvent, ThreadFact};
use crate::{Time, outbox_id_from_metadata};

/// Rows per statement: 16 values a row at most, far under either database's cap.
pub(crate) const ROWS: usize = 256;

/// Whether the event's statements are all ones that take many rows: it may then be applied with
/// its neighbours, table by table. Any other event is applied alone, in its place: the echo of
/// our own send (it reconciles the outbox, which receipts also change), receipts, taps, comments
/// and the rest, and thread facts other than "ours" (their pauses do not commute).
pub(crate) fn is_plain(ev: &NormalizedEvent) -> bool {
    let effect = match &ev.effect {
        Effect::None => true,
        Effect::Message(m) => m
            .metadata
            .as_deref()
            .and_then(outbox_id_from_metadata)
            .is_none(),
        _ => false,
    };
    effect && matches!(ev.thread, None | Some(ThreadFact::Ours))
}

/// What applying the event costs, in plain events: one applied alone takes about eight
/// statements, where a run of plain events takes about eight in all. The processor sizes its
/// transactions by it, as a transaction holds SQLite's only write lock.
pub fn apply_cost(ev: &NormalizedEvent) -> usize {
    if is_plain(ev) { 1 } else { 8 }
}

/// A message event to store: its body's inbox id and whether the event is new.
pub(crate) struct MessageRow<'a> {
    pub inbox_id: i64,
    pub ev: &'a NormalizedEvent,
    pub m: &'a NewMessage,
    pub new: bool,
}

/// What a message changes in its conversation.
pub(crate) struct ConversationRow<'a> {
    pub page_id: &'a str,
    pub psid: &'a str,
    pub at: Time,
    /// The list's preview of the message.
    pub preview: Option<String>,
    pub unread: i64,
    pub speaker: Speaker,
}

/// Appends `(a, b, …)`, each bound, for `… IN `.
pub(crate) fn push_list<DB: sqlx::Database, T>(q: &mut sqlx::QueryBuilder<DB>, items: &[T])
where
    T: Clone + for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push("(");
    let mut list = q.separated(", ");
    for item in items {
        list.push_bind(item.clone());
    }
    q.push(")");
}

/// `rows` cut, in order, into runs of at most [`ROWS`] without a repeated `key`.
pub(crate) fn runs<T, K: Eq + Hash>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut seen = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if i - start == ROWS || !seen.insert(key(row)) {
            out.push(&rows[start..i]);
            start = i;
            seen.clear();
            seen.insert(key(row));
        }
    }
    if start < rows.len() {
        out.push(&rows[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_starts_a_new_run() {
        let rows = [1, 2, 3, 2, 4, 1, 1];
        let cut: Vec<&[i32]> = runs(&rows, |r| *r);
        assert_eq!(cut, vec![&[1, 2, 3][..], &[2, 4, 1], &[1]]);
        assert!(runs(&[] as &[i32], |r| *r).is_empty());
    }

    #[test]
    fn runs_hold_at_most_rows_rows() {
        let rows: Vec<usize> = (0..ROWS * 2 + 1).collect();
        let sizes: Vec<usize> = runs(&rows, |r| *r).iter().map(|r| r.len()).collect();
        assert_eq!(sizes, vec![ROWS, ROWS, 1]);
    }
}
