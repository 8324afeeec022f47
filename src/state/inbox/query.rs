//! Find and filter (issue #22, items 2 and 3): which items the inbox shows for a search and
//! the filters, how many each filter choice would show, and where a search hits in a text (for
//! the highlight). Pure; the panel's tools (`components/inbox/tools.rs`) wire it.
//!
//! A search matches the message in both languages, the code and the transaction number,
//! ignoring case and digit script ([`fold`]): every word of the query must occur somewhere in
//! the item. Fast over 20,000 items because the work a keystroke would repeat is done once:
//!
//! - each item's searchable text is folded when the item enters the index ([`FindIndex::sync`],
//!   run when the inbox changes), and kept while the item's texts are unchanged (marking it
//!   read does not fold it again);
//! - a query that extends the previous one (the user typed one more character) searches only
//!   the previous query's matches.
//!
//! ```
//! use herald::state::inbox::query::{fold, Query};
//! assert_eq!(fold("FAR-٠٠١٦"), "far-0016");
//! assert!(Query::parse("far 16").matches("transfer far-0016 approved"));
//! ```

use std::ops::Range;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::Notification;

/// Appends `c` as search sees it: lower case, digits in ASCII whatever their script, Arabic
/// letters without their optional marks. Nothing for a character search ignores. `lowered`:
/// `c` comes from a text already in lower case.
fn fold_char(c: char, out: &mut String, lowered: bool) {
    match c {
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // Arabic-Indic and Eastern Arabic-Indic (Persian, Urdu) digits.
        '\u{0660}'..='\u{0669}' => out.push(ascii_digit(c as u32 - 0x0660)),
        '\u{06F0}'..='\u{06F9}' => out.push(ascii_digit(c as u32 - 0x06F0)),
        // Short vowels and other marks (tashkeel), the superscript alef, the tatweel: written
        // or not at the writer's whim.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
        // Invisible formatting: zero-width characters, bidi marks and isolates, soft hyphen.
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
        '\u{FEFF}' | '\u{00AD}' => {}
        // Alef with madda or hamza above or below, alef wasla: the bare alef (users type it
        // without the hamza as often as with it).
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => out.push('\u{0627}'),
        c if lowered || caseless(c) => out.push(c),
        c => lower_char(c, out),
    }
}

fn ascii_digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// Whether `c` is in a block without case (search keeps it as it is): Latin-1 punctuation,
/// Arabic and its presentation forms, general punctuation and symbols, CJK, Hangul. ASCII and
/// these are the texts Herald sees; only the rest asks for Unicode's lower case.
fn caseless(c: char) -> bool {
    matches!(
        c as u32,
        0x00A0..=0x00BF
            | 0x0600..=0x08FF
            | 0x2000..=0x20FF
            | 0x2500..=0x2BFF
            | 0x3000..=0x9FFF
            | 0xAC00..=0xD7AF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF
    )
}

use lower::{lower_char, lower_text};

/// Unicode's lower case, the browser's own in the app (see `query/lower.rs`).
mod lower;

/// `text` as search compares it: lower case, Arabic-Indic digits as ASCII ones, Arabic marks
/// and invisible formatting left out, alef forms as the bare alef.
///
/// ```
/// # use herald::state::inbox::query::fold;
/// assert_eq!(fold("Transaction ٨٦٠"), "transaction 860");
/// assert_eq!(fold("إعادة"), fold("اعادة"));
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

fn fold_into(text: &str, out: &mut String) {
    if text.chars().all(|c| c.is_ascii() || caseless(c)) {
        for c in text.chars() {
            fold_char(c, out, false);
        }
    } else {
        // One call for the whole text, not one per character.
        for c in lower_text(text).chars() {
            fold_char(c, out, true);
        }
    }
}

/// `text` folded, with, for each byte of the folded text, the bytes of `text` it came from
/// (a character search ignores belongs to the one before it, so a highlight never cuts a mark
/// from its letter).
fn fold_mapped(text: &str) -> (String, Vec<Range<usize>>) {
    let mut folded = String::with_capacity(text.len());
    let mut map: Vec<Range<usize>> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        let before = folded.len();
        fold_char(c, &mut folded, false);
        let added = folded.len() - before;
        if added > 0 {
            map.extend(std::iter::repeat_n(at..end, added));
        } else if let Some(start) = map.last().map(|r| r.start) {
            for r in map.iter_mut().rev().take_while(|r| r.start == start) {
                r.end = end;
            }
        }
    }
    (folded, map)
}

/// What the user typed in the search box, folded and cut into words. Every word must occur in
/// an item for it to match, in any order and any of its texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The whole input, folded (to tell whether a query extends the previous one).
    folded: String,
    /// The words, longest first (the likeliest to rule an item out), each once.
    terms: Vec<String>,
}

impl Query {
    /// The query for `input`.
    pub fn parse(input: &str) -> Self {
        let folded = fold(input);
        let mut terms: Vec<String> = Vec::new();
        for word in folded.split_whitespace() {
            if !terms.iter().any(|t| t == word) {
                insert_ordered(&mut terms, word.to_owned(), |a, b| a.len() > b.len());
            }
        }
        Self { folded, terms }
    }

    /// No words: everything matches.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every word occurs in `folded` (a text already [`fold`]ed).
    pub fn matches(&self, folded: &str) -> bool {
        self.terms
            .iter()
            .all(|t| occurs(folded.as_bytes(), t.as_bytes()))
    }

    /// Whether every item matching `self` matches `earlier` too: `self` is `earlier` with more
    /// typed after it (each of `earlier`'s words is then part of one of `self`'s).
    fn narrows(&self, earlier: &Query) -> bool {
        !earlier.is_empty() && self.folded.starts_with(earlier.folded.as_str())
    }

    /// Where the words occur in `text` (not folded): byte ranges of `text`, in order, merged
    /// where they touch or overlap. Empty for an empty query.
    ///
    /// ```
    /// # use herald::state::inbox::query::Query;
    /// let text = "المعاملة ٨٦٠";
    /// let hits = Query::parse("86").highlights(text);
    /// assert_eq!(&text[hits[0].clone()], "٨٦");
    /// ```
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        if self.is_empty() {
            return Vec::new();
        }
        let (folded, map) = fold_mapped(text);
        let mut hits: Vec<Range<usize>> = Vec::new();
        for (at, m) in self
            .terms
            .iter()
            .flat_map(|t| folded.match_indices(t.as_str()))
        {
            if let (Some(first), Some(last)) = (map.get(at), map.get(at + m.len() - 1)) {
                insert_ordered(&mut hits, first.start..last.end, |a, b| {
                    (a.start, a.end) < (b.start, b.end)
                });
            }
        }
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(hits.len());
        for r in hits {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Whether `needle` occurs in `hay`: each place its first byte occurs, compared. For the short
/// words people type this beats `str::contains`, which prepares a searcher for every one of the
/// 20,000 texts.
fn occurs(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(i) = hay
        .get(from..)
        .and_then(|h| h.iter().position(|&b| b == first))
    {
        let at = from + i + 1;
        if hay.get(at..).is_some_and(|h| h.starts_with(rest)) {
            return true;
        }
        from = at;
    }
    false
}

/// A place in a text the page shows in pieces (its text nodes): the piece, and the offset in
/// it in UTF-16 code units (the DOM's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// Which piece.
    pub piece: usize,
    /// UTF-16 code units into it.
    pub offset: u32,
}

/// `hits` (byte ranges of the `pieces` joined, as [`Query::highlights`] gives them for the
/// joined text) as (start, end) places in the pieces: what the page's highlight ranges are
/// made of. A hit may span pieces (a word across a code's edge). Hits out of range, empty or
/// off a character boundary are left out, never a panic.
pub fn hit_spans(pieces: &[&str], hits: &[Range<usize>]) -> Vec<(At, At)> {
    // Where `byte` is, in the piece that holds the character after it (`start`) or before
    // it (an end).
    let at = |byte: usize, start: bool| {
        let mut from = 0;
        for (piece, text) in pieces.iter().enumerate() {
            let to = from + text.len();
            if (start && byte < to) || (!start && byte <= to && byte > from) {
                let offset = text.get(..byte.checked_sub(from)?)?.encode_utf16().count();
                return Some(At {
                    piece,
                    offset: u32::try_from(offset).ok()?,
                });
            }
            from = to;
        }
        None
    };
    hits.iter()
        .filter(|r| r.start < r.end)
        .filter_map(|r| Some((at(r.start, true)?, at(r.end, false)?)))
        .collect()
}

/// The filters the user chose: kept per user across reloads, as they are (a type no item has
/// any more is kept, and shown with a count of 0, until the user changes it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Unread items only ("Show: Unread").
    pub unread_only: bool,
    /// Only this transfer type (`type_of_Trasnction`).
    pub transaction_type: Option<String>,
    /// Only this action (`Type_of_action`).
    pub action: Option<String>,
}

impl Filters {
    /// Nothing filtered out.
    pub fn is_default(&self) -> bool {
        *self == Filters::default()
    }
}

/// One choice of a filter, built from the data: a value and how many items it would show
/// (with the search and the other filters as they are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The value as the data has it (e.g. "FAR", "Approve").
    pub value: Rc<str>,
    /// Items it would show.
    pub count: usize,
}

/// One filter's choices: "all" and each value the inbox holds, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facet {
    /// Items "all" would show.
    pub all: usize,
    /// The values, sorted by name.
    pub choices: Vec<Choice>,
}

/// What the inbox shows for a search and filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Positions in the items (as last given to [`FindIndex::sync`]) of the items shown, in
    /// list order.
    pub shown: Vec<u32>,
    /// The transfer type filter's choices.
    pub types: Facet,
    /// The action filter's choices.
    pub actions: Facet,
}

/// "No value" for a row's type or action.
const NONE: u32 = u32::MAX;

/// One item of the index.
#[derive(Clone, Debug)]
struct Row {
    /// The item as it was folded (compared by pointer: an unchanged item is the same one).
    source: Rc<Notification>,
    /// Its searchable texts, folded, one per line; folded by the first search that needs them,
    /// not by the sync (signing in to 10,000 items does not wait for them).
    text: Option<Rc<str>>,
    /// Its type and action, as numbers in [`Interned`].
    kind: u32,
    action: u32,
    /// Not read (kept here: counting 20,000 rows does not visit 20,000 notifications).
    unread: bool,
}

/// Distinct strings as small numbers, so counting by type is indexing, not hashing. Only
/// grows (by the few distinct types and actions a deployment has).
#[derive(Clone, Debug, Default)]
struct Interned(Vec<Rc<str>>);

impl Interned {
    fn id(&mut self, value: Option<&str>) -> u32 {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return NONE;
        };
        match self.find(value) {
            Some(id) => id,
            None => {
                self.0.push(Rc::from(value));
                u32::try_from(self.0.len() - 1).unwrap_or(NONE)
            }
        }
    }

    fn find(&self, value: &str) -> Option<u32> {
        let at = self.0.iter().position(|v| &**v == value)?;
        u32::try_from(at).ok()
    }
}

/// The searchable texts of `n`, folded, one per line: the message in both languages, the
/// generic message when it says something else, the code, the transaction number.
fn searchable(n: &Notification, labels: Option<Labels>) -> Rc<str> {
    let mut out = String::new();
    let mut seen: Vec<&str> = Vec::with_capacity(4);
    let texts = [
        n.eng_message.as_deref(),
        n.ara_message.as_deref(),
        Some(n.message.as_str()),
        n.code.as_deref(),
    ];
    for text in texts.into_iter().flatten() {
        if text.is_empty() || seen.contains(&text) {
            continue;
        }
        seen.push(text);
        fold_into(text, &mut out);
        out.push('\n');
    }
    if let Some(id) = n.transaction_id {
        match labels {
            // As the row names it, in either language: text copied from a row finds it.
            Some(labels) => {
                for label in labels(id) {
                    fold_into(&label, &mut out);
                    out.push('\n');
                }
            }
            None => out.push_str(&id.to_string()),
        }
    }
    Rc::from(out)
}

/// Whether `a` and `b` search the same (their texts, type and action are equal).
fn same_search(a: &Notification, b: &Notification) -> bool {
    a.key == b.key
        && a.message == b.message
        && a.eng_message == b.eng_message
        && a.ara_message == b.ara_message
        && a.code == b.code
        && a.transaction_id == b.transaction_id
        && a.transaction_type == b.transaction_type
        && a.action == b.action
}

/// How far ahead [`FindIndex::sync`] looks for an item of the last sync (items deleted or
/// arrived in between).
const LOOK_AHEAD: usize = 16;

/// The inbox's items ready to be searched and counted: synced when the inbox changes, queried
/// on every keystroke and filter change.
#[derive(Clone, Debug, Default)]
pub struct FindIndex {
    rows: Vec<Row>,
    types: Interned,
    actions: Interned,
    /// Which types and actions some row has (the choices offered), by number.
    types_present: Vec<bool>,
    actions_present: Vec<bool>,
    /// The searches since the last sync and their matches (positions in `rows`), the latest
    /// last: a query typed again (Backspace) takes its matches as they are, a query extending
    /// one searches only its matches. At most [`SEARCHES_KEPT`].
    searches: Vec<(Query, Rc<Vec<u32>>)>,
    /// How the rows name a transaction (see [`FindIndex::labelled`]).
    labels: Option<Labels>,
}

/// A transaction's name as the rows show it, in each language ("Transaction 857",
/// "المعاملة ٨٥٧"): the words are the UI's (`i18n`), not this layer's.
pub type Labels = fn(i64) -> [String; 2];

/// Searches [`FindIndex`] keeps (at most 80 KB each, with 20,000 items all matching).
const SEARCHES_KEPT: usize = 12;

impl FindIndex {
    /// An empty index whose items' transactions are searchable as `labels` names them (without
    /// it, by their number alone).
    pub fn labelled(labels: Labels) -> Self {
        Self {
            labels: Some(labels),
            ..Self::default()
        }
    }

    /// Takes in `items` (the inbox, newest first). An item already indexed and unchanged (the
    /// same allocation, or equal texts, type and action) keeps its folded text; new or changed
    /// items are folded by the next search. The usual changes (arrivals on top, a few deleted, some
    /// marked read) are found by walking both lists together.
    pub fn sync(&mut self, items: &[Rc<Notification>]) {
        let old = std::mem::take(&mut self.rows);
        let mut rows = Vec::with_capacity(items.len());
        let mut next = 0; // the first row of `old` not yet matched
        for n in items {
            let ahead = &old[next.min(old.len())..old.len().min(next + LOOK_AHEAD)];
            let found = ahead
                .iter()
                .position(|r| Rc::ptr_eq(&r.source, n))
                .or_else(|| ahead.iter().position(|r| r.source.key == n.key));
            let reused = found.and_then(|i| {
                let row = &ahead[i];
                (Rc::ptr_eq(&row.source, n) || same_search(&row.source, n)).then(|| {
                    next += i + 1;
                    Row {
                        source: n.clone(),
                        unread: !n.is_read,
                        ..row.clone()
                    }
                })
            });
            rows.push(reused.unwrap_or_else(|| Row {
                source: n.clone(),
                text: None,
                kind: self.types.id(n.transaction_type.as_deref()),
                action: self.actions.id(n.action.as_deref()),
                unread: !n.is_read,
            }));
        }
        self.types_present = vec![false; self.types.0.len()];
        self.actions_present = vec![false; self.actions.0.len()];
        for r in &rows {
            if let Some(p) = self.types_present.get_mut(r.kind as usize) {
                *p = true;
            }
            if let Some(p) = self.actions_present.get_mut(r.action as usize) {
                *p = true;
            }
        }
        self.rows = rows;
        self.searches.clear();
    }

    /// Items indexed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No items.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Positions of the rows matching `query` (not empty): an earlier search's as they are
    /// when it is the same query, else the rows of the fewest earlier matches it narrows, else
    /// all rows, searched.
    fn search(&mut self, query: &Query) -> Rc<Vec<u32>> {
        if let Some(i) = self.searches.iter().position(|(q, _)| q == query) {
            let again = self.searches.remove(i);
            let hits = again.1.clone();
            self.searches.push(again);
            return hits;
        }
        let labels = self.labels;
        for row in self.rows.iter_mut().filter(|r| r.text.is_none()) {
            row.text = Some(searchable(&row.source, labels));
        }
        let rows = &self.rows;
        let hit = |&p: &u32| {
            rows.get(p as usize)
                .and_then(|r| r.text.as_deref())
                .is_some_and(|text| query.matches(text))
        };
        let narrowed = self
            .searches
            .iter()
            .filter(|(q, _)| query.narrows(q))
            .map(|(_, hits)| hits)
            .min_by_key(|hits| hits.len());
        let hits: Rc<Vec<u32>> = Rc::new(match narrowed {
            Some(hits) => hits.iter().copied().filter(hit).collect(),
            None => (0..rows.len() as u32).filter(hit).collect(),
        });
        if self.searches.len() == SEARCHES_KEPT {
            self.searches.remove(0);
        }
        self.searches.push((query.clone(), hits.clone()));
        hits
    }

    /// What to show for `query` and `filters`, with each filter's choices counted as if it
    /// alone changed (the search, the read filter and the other filter as they are).
    pub fn run(&mut self, query: &Query, filters: &Filters) -> Outcome {
        let searched = (!query.is_empty()).then(|| self.search(query));
        // A chosen value no item has: nothing matches it (`Some(None)` equals no row's value).
        let want_type = filters
            .transaction_type
            .as_deref()
            .map(|t| self.types.find(t.trim()));
        let want_action = filters
            .action
            .as_deref()
            .map(|a| self.actions.find(a.trim()));
        let mut type_counts = vec![0usize; self.types.0.len()];
        let mut action_counts = vec![0usize; self.actions.0.len()];
        let (mut all_types, mut all_actions) = (0, 0);
        let mut shown = Vec::new();
        let mut visit = |p: u32| {
            let Some(row) = self.rows.get(p as usize) else {
                return;
            };
            if filters.unread_only && !row.unread {
                return;
            }
            let type_ok = want_type.is_none_or(|w| w == Some(row.kind));
            let action_ok = want_action.is_none_or(|w| w == Some(row.action));
            if action_ok {
                all_types += 1;
                if let Some(c) = type_counts.get_mut(row.kind as usize) {
                    *c += 1;
                }
            }
            if type_ok {
                all_actions += 1;
                if let Some(c) = action_counts.get_mut(row.action as usize) {
                    *c += 1;
                }
            }
            if type_ok && action_ok {
                shown.push(p);
            }
        };
        match &searched {
            Some(hits) => hits.iter().copied().for_each(&mut visit),
            None => (0..self.rows.len() as u32).for_each(&mut visit),
        }
        // Choices: the values some item has (the whole index, not the search), and the chosen
        // one whatever it is.
        Outcome {
            shown,
            types: facet(
                &self.types,
                &self.types_present,
                &type_counts,
                all_types,
                filters.transaction_type.as_deref(),
            ),
            actions: facet(
                &self.actions,
                &self.actions_present,
                &action_counts,
                all_actions,
                filters.action.as_deref(),
            ),
        }
    }
}

fn facet(
    interned: &Interned,
    present: &[bool],
    counts: &[usize],
    all: usize,
    chosen: Option<&str>,
) -> Facet {
    let by_name = |a: &Choice, b: &Choice| a.value < b.value;
    let mut choices: Vec<Choice> = Vec::new();
    for (value, (_, &count)) in interned
        .0
        .iter()
        .zip(present.iter().zip(counts))
        .filter(|(_, (present, _))| **present)
    {
        let value = value.clone();
        insert_ordered(&mut choices, Choice { value, count }, by_name);
    }
    if let Some(chosen) = chosen.map(str::trim).filter(|c| !c.is_empty()) {
        if !choices.iter().any(|c| &*c.value == chosen) {
            let value = Rc::from(chosen);
            insert_ordered(&mut choices, Choice { value, count: 0 }, by_name);
        }
    }
    Facet { all, choices }
}

/// Inserts `x` into `v` after every element not `before` it (a stable insertion sort: these
/// lists hold a handful of elements, and the standard sort would cost the wasm 3 KB a type).
fn insert_ordered<T>(v: &mut Vec<T>, x: T, before: impl Fn(&T, &T) -> bool) {
    let at = v.iter().position(|y| before(&x, y)).unwrap_or(v.len());
    v.insert(at, x);
}

/// Whether a key press is the `/` that moves focus to the search box: `/` alone (no Ctrl, Alt
/// or Meta: those are the browser's and the system's), and never while the user types in a
/// field (`in_field`), where `/` is a character.
pub fn focuses_search(key: &str, ctrl: bool, alt: bool, meta: bool, in_field: bool) -> bool {
    key == "/" && !ctrl && !alt && !meta && !in_field
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::inbox::ItemKey;

    fn item(id: i64, eng: &str, ara: &str) -> Notification {
        Notification {
            key: ItemKey::Id(id),
            message: eng.to_owned(),
            eng_message: Some(eng.to_owned()),
            ara_message: Some(ara.to_owned()),
            transaction_id: Some(800 + id),
            code: Some(format!("FAR-{id:04}")),
            transaction_type: Some("FAR".into()),
            action: Some("List".into()),
            time_ms: id as f64,
            is_read: false,
            received_ms: 0.0,
        }
    }

    fn with(n: Notification, kind: &str, action: &str, read: bool) -> Notification {
        Notification {
            transaction_type: Some(kind.into()),
            action: Some(action.into()),
            is_read: read,
            ..n
        }
    }

    fn index(items: &[Rc<Notification>]) -> FindIndex {
        let mut index =
            FindIndex::labelled(|id| [format!("Transaction {id}"), format!("المعاملة {id}")]);
        index.sync(items);
        index
    }

    fn keys(items: &[Rc<Notification>], outcome: &Outcome) -> Vec<ItemKey> {
        outcome
            .shown
            .iter()
            .map(|&p| items[p as usize].key)
            .collect()
    }

    fn shown(items: &[Rc<Notification>], query: &str, filters: &Filters) -> Vec<ItemKey> {
        keys(items, &index(items).run(&Query::parse(query), filters))
    }

    fn ids(ids: &[i64]) -> Vec<ItemKey> {
        ids.iter().map(|&i| ItemKey::Id(i)).collect()
    }

    #[test]
    fn folding_ignores_case_digit_script_marks_and_invisible_formatting() {
        assert_eq!(fold("FAR-0016 Approved"), "far-0016 approved");
        assert_eq!(fold("٠١٢٣٤٥٦٧٨٩"), "0123456789", "Arabic-Indic digits");
        assert_eq!(
            fold("۰۱۲۳۴۵۶۷۸۹"),
            "0123456789",
            "Eastern Arabic-Indic digits"
        );
        assert_eq!(fold("مُنَاقَلَة"), "مناقلة", "short vowels");
        assert_eq!(fold("مـنـاقـلـة"), "مناقلة", "tatweel");
        assert_eq!(fold("أإآٱا"), "ااااا", "alef forms");
        assert_eq!(
            fold("\u{2068}FAR-0016\u{2069}\u{200F}"),
            "far-0016",
            "isolates"
        );
        assert_eq!(fold("ÉTÉ Straße"), "été straße", "Unicode lower case");
        assert_eq!(fold("ΣΟΦΙΑ Ⅻ Ⓐ"), "σοφια ⅻ ⓐ");
        assert_eq!(fold("مُناقلة ÉTÉ"), "مناقلة été", "mixed scripts");
        // Arabic letters other than alef, and punctuation, are themselves.
        assert_eq!(fold("تمت الموافقة، FAR"), "تمت الموافقة، far");
    }

    #[test]
    fn the_blocks_taken_as_caseless_have_no_lower_case() {
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| caseless(c))
        {
            assert!(
                c.to_lowercase().eq(std::iter::once(c)),
                "U+{:04X} has a lower case",
                c as u32
            );
        }
    }

    #[test]
    fn a_word_occurs_where_str_contains_finds_it() {
        let hays = ["", "a", "aab", "abab", "far-0016\nمناقلة", "xxabc", "ab"];
        let needles = [
            "",
            "a",
            "ab",
            "aab",
            "abc",
            "b",
            "مناقلة",
            "ناق",
            "0016\nم",
            "abab",
        ];
        for hay in hays {
            for needle in needles {
                assert_eq!(
                    occurs(hay.as_bytes(), needle.as_bytes()),
                    hay.contains(needle),
                    "{needle:?} in {hay:?}"
                );
            }
        }
    }

    #[test]
    fn ordered_inserts_keep_equal_elements_in_arrival_order() {
        let mut v = Vec::new();
        for x in [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')] {
            insert_ordered(&mut v, x, |a, b| a.0 < b.0);
        }
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn a_query_is_its_folded_words_each_once() {
        let q = Query::parse("  FAR  ٠٠١٦ far ");
        assert_eq!(q.terms, vec!["0016".to_owned(), "far".to_owned()]);
        assert!(Query::parse(" \t ").is_empty());
        assert!(Query::parse("").matches("anything"));
        assert!(
            Query::parse("\u{200F}").is_empty(),
            "only invisible formatting"
        );
    }

    #[test]
    fn a_search_matches_either_language_the_code_and_the_transaction_number() {
        let items: Vec<Rc<Notification>> = vec![
            Rc::new(item(16, "Transfer approved", "تمت الموافقة على المناقلة")),
            Rc::new(item(15, "Transfer returned for changes", "أُعيدت المناقلة")),
            Rc::new(Notification {
                code: None,
                transaction_id: None,
                ..item(3, "Upload finished", "اكتمل الرفع")
            }),
        ];
        let all = Filters::default();
        assert_eq!(
            shown(&items, "APPROVED", &all),
            ids(&[16]),
            "English, any case"
        );
        assert_eq!(
            shown(&items, "الموافقة", &all),
            ids(&[16]),
            "Arabic, whichever language the UI shows"
        );
        assert_eq!(
            shown(&items, "اعيدت", &all),
            ids(&[15]),
            "without hamza or vowels"
        );
        assert_eq!(shown(&items, "far-0015", &all), ids(&[15]), "the code");
        assert_eq!(
            shown(&items, "816", &all),
            ids(&[16]),
            "the transaction number"
        );
        assert_eq!(
            shown(&items, "٨١٥", &all),
            ids(&[15]),
            "Arabic-Indic digits match ASCII ones"
        );
        // As the row names it, copied from the row.
        assert_eq!(shown(&items, "Transaction 816", &all), ids(&[16]));
        assert_eq!(shown(&items, "المعاملة ٨١٦", &all), ids(&[16]));
        assert_eq!(
            shown(&items, "transfer", &all),
            ids(&[16, 15]),
            "list order"
        );
        assert_eq!(
            shown(&items, "changes far-0015", &all),
            ids(&[15]),
            "every word, in any order and any text"
        );
        assert_eq!(shown(&items, "approved far-0015", &all), ids(&[]));
        assert_eq!(shown(&items, "", &all), ids(&[16, 15, 3]));
        // One word cannot join two texts: "approved" ends one line, "تمت" starts the next.
        assert_eq!(shown(&items, "approvedتمت", &all), ids(&[]));
    }

    #[test]
    fn arabic_indic_digits_in_the_data_match_ascii_ones_typed() {
        let items = vec![Rc::new(Notification {
            code: Some("FAR-٠٠٢٢".into()),
            ..item(22, "Transfer", "المعاملة ٩٩٠")
        })];
        assert_eq!(shown(&items, "far-0022", &Filters::default()), ids(&[22]));
        assert_eq!(shown(&items, "990", &Filters::default()), ids(&[22]));
    }

    #[test]
    fn highlights_are_ranges_of_the_text_shown_whatever_it_folds_to() {
        let hl = |q: &str, text: &str| -> Vec<String> {
            Query::parse(q)
                .highlights(text)
                .into_iter()
                .map(|r| text[r].to_owned())
                .collect()
        };
        assert_eq!(hl("far", "FAR-0016 far"), ["FAR", "far"]);
        assert_eq!(hl("0016", "المعاملة FAR-٠٠١٦"), ["٠٠١٦"]);
        assert_eq!(hl("٨٦", "Transaction 860"), ["86"]);
        // A mark search ignores stays with its letter, inside the highlight.
        assert_eq!(hl("مناقلة", "المُناقَلَةُ"), ["مُناقَلَةُ"]);
        // Overlapping and touching words are one highlight.
        assert_eq!(hl("far-00 0016", "FAR-0016!"), ["FAR-0016"]);
        assert_eq!(hl("ab bc", "abc abd"), ["abc", "ab"]);
        assert!(hl("", "text").is_empty());
        assert!(hl("zzz", "text").is_empty());
        // Lower case longer than the upper case (İ → i̇): the range is still the letter.
        assert_eq!(hl("i", "İx"), ["İ"]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn hits_become_places_in_the_pieces_the_page_shows() {
        let at = |piece, offset| At { piece, offset };
        // "Approved FAR-0016 far" shown as text, code, text.
        let pieces = ["Approved ", "FAR-0016", " far"];
        let joined = pieces.concat();
        let hits = Query::parse("far").highlights(&joined);
        assert_eq!(
            hit_spans(&pieces, &hits),
            [(at(1, 0), at(1, 3)), (at(2, 1), at(2, 4))]
        );
        // A hit across a code's edge starts in one piece and ends in the next.
        assert_eq!(hit_spans(&pieces, &[7..12]), [(at(0, 7), at(1, 3))]);
        // Offsets in UTF-16: Arabic letters are one unit, a character beyond the BMP two.
        let pieces = ["المعاملة ", "٨٦٠", " 𝐀x"];
        let joined = pieces.concat();
        let hits = Query::parse("86").highlights(&joined);
        assert_eq!(hit_spans(&pieces, &hits), [(at(1, 0), at(1, 2))]);
        let x = joined.find('x').unwrap();
        assert_eq!(hit_spans(&pieces, &[x..x + 1]), [(at(2, 3), at(2, 4))]);
        // Off a character boundary, reversed, empty, out of range: left out.
        #[allow(clippy::reversed_empty_ranges)]
        let bad = [1..3, 5..2, 4..4, 40..50];
        assert!(hit_spans(&pieces, &bad).is_empty());
        assert!(hit_spans(&[], &[0..1]).is_empty());
    }

    fn sample() -> Vec<Rc<Notification>> {
        vec![
            Rc::new(with(item(6, "a approved", "x"), "FAR", "Approve", false)),
            Rc::new(with(item(5, "b returned", "x"), "FAR", "Reject", true)),
            Rc::new(with(item(4, "c approved", "x"), "AFR", "Approve", false)),
            Rc::new(with(item(3, "d listed", "x"), "AFR", "List", false)),
            Rc::new(with(item(2, "e approved", "x"), "DFR", "Approve", true)),
            Rc::new(Notification {
                transaction_type: None,
                action: None,
                ..item(1, "f no kind", "x")
            }),
        ]
    }

    fn counts(facet: &Facet) -> Vec<(String, usize)> {
        facet
            .choices
            .iter()
            .map(|c| (c.value.to_string(), c.count))
            .collect()
    }

    fn pairs(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(v, n)| (v.to_string(), *n)).collect()
    }

    #[test]
    fn the_choices_come_from_the_data_with_counts() {
        let items = sample();
        let out = index(&items).run(&Query::default(), &Filters::default());
        assert_eq!(out.shown.len(), 6);
        assert_eq!(out.types.all, 6);
        assert_eq!(
            counts(&out.types),
            pairs(&[("AFR", 2), ("DFR", 1), ("FAR", 2)])
        );
        assert_eq!(out.actions.all, 6);
        assert_eq!(
            counts(&out.actions),
            pairs(&[("Approve", 3), ("List", 1), ("Reject", 1)])
        );
    }

    #[test]
    fn filters_combine_with_each_other_the_read_filter_and_the_search() {
        let items = sample();
        let mut index = index(&items);
        let far = Filters {
            transaction_type: Some("FAR".into()),
            ..Filters::default()
        };
        let out = index.run(&Query::default(), &far);
        assert_eq!(keys(&items, &out), ids(&[6, 5]));
        // The type's own choices are counted without it; the actions within it.
        assert_eq!(out.types.all, 6);
        assert_eq!(
            counts(&out.actions),
            pairs(&[("Approve", 1), ("List", 0), ("Reject", 1)])
        );
        assert_eq!(out.actions.all, 2);

        let approved_unread = Filters {
            unread_only: true,
            action: Some("Approve".into()),
            ..Filters::default()
        };
        let out = index.run(&Query::default(), &approved_unread);
        assert_eq!(keys(&items, &out), ids(&[6, 4]));
        assert_eq!(
            counts(&out.types),
            pairs(&[("AFR", 1), ("DFR", 0), ("FAR", 1)])
        );
        assert_eq!(
            counts(&out.actions),
            pairs(&[("Approve", 2), ("List", 1), ("Reject", 0)])
        );
        assert_eq!((out.types.all, out.actions.all), (2, 4));

        // And the search.
        let out = index.run(&Query::parse("approved"), &approved_unread);
        assert_eq!(keys(&items, &out), ids(&[6, 4]));
        let out = index.run(
            &Query::parse("approved"),
            &Filters {
                transaction_type: Some("AFR".into()),
                ..approved_unread.clone()
            },
        );
        assert_eq!(keys(&items, &out), ids(&[4]));
        assert_eq!(
            counts(&out.types),
            pairs(&[("AFR", 1), ("DFR", 0), ("FAR", 1)])
        );
        assert_eq!(
            counts(&out.actions),
            pairs(&[("Approve", 1), ("List", 0), ("Reject", 0)])
        );
        let out = index.run(&Query::parse("returned"), &approved_unread);
        assert!(out.shown.is_empty());
    }

    #[test]
    fn a_chosen_value_no_item_has_is_kept_with_a_count_of_zero_and_matches_nothing() {
        let items = sample();
        let gone = Filters {
            transaction_type: Some("XYZ".into()),
            ..Filters::default()
        };
        let out = index(&items).run(&Query::default(), &gone);
        assert!(out.shown.is_empty());
        assert_eq!(
            counts(&out.types),
            pairs(&[("AFR", 2), ("DFR", 1), ("FAR", 2), ("XYZ", 0)])
        );
        assert_eq!(out.actions.all, 0);
        // A value that left the inbox is no longer offered (unless chosen).
        let mut index = index(&items);
        index.sync(&items[..2]);
        let out = index.run(&Query::default(), &Filters::default());
        assert_eq!(counts(&out.types), pairs(&[("FAR", 2)]));
    }

    #[test]
    fn blank_values_are_no_value_and_values_are_trimmed() {
        let items = vec![
            Rc::new(with(item(2, "a", "x"), " FAR ", "", false)),
            Rc::new(with(item(1, "b", "x"), "FAR", "  ", false)),
        ];
        let out = index(&items).run(&Query::default(), &Filters::default());
        assert_eq!(counts(&out.types), pairs(&[("FAR", 2)]));
        assert!(out.actions.choices.is_empty());
        assert_eq!(out.actions.all, 2);
    }

    /// What a fresh index says, for comparing with one kept in sync.
    fn fresh(items: &[Rc<Notification>], q: &Query, f: &Filters) -> Vec<ItemKey> {
        keys(items, &index(items).run(q, f))
    }

    #[test]
    fn a_search_folds_only_new_and_changed_items() {
        let mut items = sample();
        let mut index = index(&items);
        // Nothing is folded until a search needs it.
        assert!(index.rows.iter().all(|r| r.text.is_none()));
        index.run(&Query::parse(""), &Filters::default());
        assert!(index.rows.iter().all(|r| r.text.is_none()));
        index.run(&Query::parse("a"), &Filters::default());
        let before: Vec<Rc<str>> = index.rows.iter().map(|r| r.text.clone().unwrap()).collect();
        // One arrives on top, one is marked read, one is deleted, one's text changes.
        items.insert(0, Rc::new(item(7, "g arrived", "x")));
        items[2] = Rc::new(Notification {
            is_read: true,
            ..(*items[2]).clone()
        });
        items.remove(4);
        items[4] = Rc::new(Notification {
            eng_message: Some("changed".into()),
            ..(*items[4]).clone()
        });
        index.sync(&items);
        let reused = |key: i64| {
            let at = items
                .iter()
                .position(|n| n.key == ItemKey::Id(key))
                .unwrap();
            let text = index.rows[at].text.as_ref();
            before
                .iter()
                .any(|t| text.is_some_and(|u| Rc::ptr_eq(t, u)))
        };
        assert!(
            reused(6) && reused(5) && reused(4),
            "unchanged or only read"
        );
        assert!(!reused(7) && !reused(2), "new or changed");
        for (q, f) in [
            ("", Filters::default()),
            ("changed", Filters::default()),
            (
                "approved",
                Filters {
                    unread_only: true,
                    ..Filters::default()
                },
            ),
        ] {
            let q = Query::parse(q);
            assert_eq!(keys(&items, &index.run(&q, &f)), fresh(&items, &q, &f));
        }
        assert!(
            index
                .run(&Query::parse("changed"), &Filters::default())
                .shown
                == vec![4]
        );
    }

    #[test]
    fn an_index_kept_in_sync_through_any_changes_agrees_with_a_fresh_one() {
        // Deterministic pseudo-random edits: arrivals, deletions, reads, reorders, text edits.
        let mut seed = 0x2545_f491_u64;
        let mut rand = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let words = ["approved", "returned", "listed", "٨٦", "far"];
        let kinds = ["FAR", "AFR", "DFR"];
        let mut next_id = 0;
        let mut make = |rand: &mut dyn FnMut(usize) -> usize| {
            next_id += 1;
            let text = format!("{} {}", words[rand(5)], words[rand(5)]);
            Rc::new(with(
                item(next_id, &text, words[rand(5)]),
                kinds[rand(3)],
                kinds[rand(3)],
                rand(2) == 0,
            ))
        };
        let mut items: Vec<Rc<Notification>> = (0..40).map(|_| make(&mut rand)).collect();
        let mut index = FindIndex::default();
        index.sync(&items);
        for round in 0..300 {
            match rand(6) {
                0 => {
                    let n = make(&mut rand);
                    items.insert(rand(items.len() + 1), n);
                }
                1 if !items.is_empty() => {
                    items.remove(rand(items.len()));
                }
                2 if !items.is_empty() => {
                    let at = rand(items.len());
                    items[at] = Rc::new(Notification {
                        is_read: !items[at].is_read,
                        ..(*items[at]).clone()
                    });
                }
                3 if items.len() > 1 => {
                    let (a, b) = (rand(items.len()), rand(items.len()));
                    items.swap(a, b);
                }
                4 if !items.is_empty() => {
                    let at = rand(items.len());
                    let text = words[rand(5)].to_owned();
                    items[at] = Rc::new(with(
                        Notification {
                            ara_message: Some(text),
                            ..(*items[at]).clone()
                        },
                        kinds[rand(3)],
                        "List",
                        items[at].is_read,
                    ));
                }
                _ => {}
            }
            index.sync(&items);
            // A few keystrokes each round (extending, then not), with filters.
            let filters = Filters {
                unread_only: rand(2) == 0,
                transaction_type: (rand(2) == 0).then(|| kinds[rand(3)].to_owned()),
                action: (rand(3) == 0).then(|| "List".to_owned()),
            };
            for typed in ["a", "ap", "app", "appr ٨", "appr ٨٦", "r", ""] {
                let q = Query::parse(typed);
                let got = index.run(&q, &filters);
                let want = FindIndex::default().tap_sync(&items).run(&q, &filters);
                assert_eq!(got, want, "round {round}, {typed:?}, {filters:?}");
            }
        }
    }

    impl FindIndex {
        fn tap_sync(mut self, items: &[Rc<Notification>]) -> Self {
            self.sync(items);
            self
        }
    }

    /// Poisons the matches `index` keeps for `query`: a search that reads them finds item 0.
    fn poison(index: &mut FindIndex, query: &str) {
        let kept = index
            .searches
            .iter_mut()
            .find(|(q, _)| *q == Query::parse(query));
        kept.expect("kept").1 = Rc::new(vec![0u32]);
    }

    #[test]
    fn a_query_extending_an_earlier_one_searches_its_matches_only() {
        let items = sample();
        let mut index = index(&items);
        index.run(&Query::parse("appr"), &Filters::default());
        poison(&mut index, "appr");
        let out = index.run(&Query::parse("approved"), &Filters::default());
        assert_eq!(out.shown, vec![0], "narrowed");
        let out = index.run(&Query::parse("p"), &Filters::default());
        assert_eq!(
            out.shown,
            vec![0, 2, 4],
            "shorter, never searched: searched anew"
        );
        // A sync forgets the searches.
        index.sync(&items);
        assert!(index.searches.is_empty());
        let out = index.run(&Query::parse("approve"), &Filters::default());
        assert_eq!(out.shown, vec![0, 2, 4]);
    }

    #[test]
    fn a_query_typed_again_takes_its_earlier_matches() {
        let items = sample();
        let mut index = index(&items);
        for q in ["ap", "a"] {
            index.run(&Query::parse(q), &Filters::default());
        }
        poison(&mut index, "ap");
        // "app" extends both: it narrows the fewer matches ("ap", poisoned), not the latest
        // search's ("a").
        assert_eq!(
            index.run(&Query::parse("app"), &Filters::default()).shown,
            vec![0]
        );
        // Backspace: "a" again is its kept matches as they are.
        poison(&mut index, "a");
        assert_eq!(
            index.run(&Query::parse("a"), &Filters::default()).shown,
            vec![0]
        );
        // Only so many are kept: the oldest go first ("ap", then "app"); "a", searched
        // again after "app", is newer.
        let kept =
            |index: &FindIndex, q: &str| index.searches.iter().any(|(k, _)| *k == Query::parse(q));
        for i in 0..SEARCHES_KEPT - 2 {
            index.run(&Query::parse(&format!("x{i}")), &Filters::default());
        }
        assert_eq!(index.searches.len(), SEARCHES_KEPT);
        assert!(!kept(&index, "ap") && kept(&index, "app") && kept(&index, "a"));
        index.run(&Query::parse("y"), &Filters::default());
        assert!(!kept(&index, "app") && kept(&index, "a"));
    }

    #[test]
    fn filters_are_stored_as_json_and_anything_unreadable_is_no_filter() {
        let f = Filters {
            unread_only: true,
            transaction_type: Some("FAR".into()),
            action: None,
        };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Filters>(&json).unwrap(), f);
        assert_eq!(
            serde_json::from_str::<Filters>(r#"{"action":"List"}"#).unwrap(),
            Filters {
                action: Some("List".into()),
                ..Filters::default()
            }
        );
        assert!(serde_json::from_str::<Filters>(r#"{"unread_only":"yes"}"#).is_err());
        assert!(Filters::default().is_default() && !f.is_default());
    }

    #[test]
    fn slash_focuses_the_search_only_outside_fields_and_without_modifiers() {
        assert!(focuses_search("/", false, false, false, false));
        assert!(!focuses_search("/", false, false, false, true), "typing");
        assert!(!focuses_search("/", true, false, false, false));
        assert!(!focuses_search("/", false, true, false, false));
        assert!(!focuses_search("/", false, false, true, false));
        assert!(!focuses_search("?", false, false, false, false));
    }
}
