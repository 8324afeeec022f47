//! The inbox: every notification this user has, live and persisted, newest first. Pure reducer;
//! the inbox service does the REST calls and the caching.
//!
//! Rules: REST is the truth for persisted items (read state, deletion); a live item carrying an
//! id is the same item as its REST row; a live item without an id (the guide's nested shape)
//! stays live-only until the same event turns up with an id (the flattened frame, or a history
//! row with the same transaction and text), which then takes its place. The unread count and
//! the transaction index are derived from the list by the only code that changes it
//! ([`list`]), so they cannot drift.

pub mod bulk;
pub mod control;
pub mod days;
mod edit;
pub mod last_looked;
mod list;
pub mod query;
pub mod selection;
pub mod shortcuts;
pub mod threads;
mod twins;

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use self::edit::Effect;
pub use self::edit::{answered, Answered, Edit, Failure, Pending};
use self::list::{KnownKeys, List};
pub use self::list::{TransactionEntry, TransactionIndex};
pub use self::twins::TWIN_MS;
use self::twins::{absorbed_twins, EventSignature, LiveOnly, RecentArrivals};
use crate::protocol::rest::{Change, HistoryRow};
use crate::protocol::LiveNotification;
use crate::state::remote::ChangeError;
use crate::state::time::parse_timestamp_ms;

/// Items kept in memory (the oldest beyond it are let go).
pub const MEMORY_BOUND: usize = 20_000;
/// Items cached in storage for an instant reload.
pub const CACHE_BOUND: usize = 500;

/// Identity of an item: its REST id, or a per-tab number for live-only items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKey {
    /// Persisted: the REST id.
    Id(i64),
    /// Live-only (no id on the wire).
    Live(u64),
}

impl ItemKey {
    /// A DOM-safe identifier.
    pub fn dom_id(self) -> String {
        match self {
            ItemKey::Id(id) => format!("notification-{id}"),
            ItemKey::Live(n) => format!("notification-live-{n}"),
        }
    }
}

/// One notification as the inbox shows it. In memory it holds the text whole; serialised (the
/// per-user cache is its only serialised form) every text is clipped to
/// [`STORED_TEXT_MAX`](crate::protocol::STORED_TEXT_MAX) characters, so a 200 KB message
/// cannot fill the storage quota.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Identity.
    pub key: ItemKey,
    /// Generic text (fallback).
    #[serde(serialize_with = "stored_text")]
    pub message: String,
    /// English text.
    #[serde(serialize_with = "stored_opt_text")]
    pub eng_message: Option<String>,
    /// Arabic text.
    #[serde(serialize_with = "stored_opt_text")]
    pub ara_message: Option<String>,
    /// Transaction id.
    pub transaction_id: Option<i64>,
    /// Transaction code, e.g. FAR-0016.
    #[serde(serialize_with = "stored_opt_text")]
    pub code: Option<String>,
    /// Transaction type.
    #[serde(serialize_with = "stored_opt_text")]
    pub transaction_type: Option<String>,
    /// Action.
    #[serde(serialize_with = "stored_opt_text")]
    pub action: Option<String>,
    /// When it happened (ms since the epoch), best known.
    pub time_ms: f64,
    /// Read.
    pub is_read: bool,
    /// When this client first saw it.
    pub received_ms: f64,
}

fn stored_text<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::protocol::clip(
        text,
        crate::protocol::STORED_TEXT_MAX,
    ))
}

fn stored_opt_text<S: serde::Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(t) => stored_text(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
impl Notification {
    /// A plain unread notification for tests: key `Id(id)`, text `m{id}`, at `id` ms, nothing
    /// else set (tests set what they need with `..Notification::sample(id)`).
    pub fn sample(id: i64) -> Self {
        Notification {
            key: ItemKey::Id(id),
            message: format!("m{id}"),
            eng_message: None,
            ara_message: None,
            transaction_id: None,
            code: None,
            transaction_type: None,
            action: None,
            time_ms: id as f64,
            is_read: false,
            received_ms: 0.0,
        }
    }
}

impl Notification {
    /// The text in the user's language, falling back to the other, then to `message`.
    pub fn text(&self, arabic: bool) -> &str {
        crate::protocol::text::message_text(
            arabic,
            &self.message,
            self.eng_message.as_deref(),
            self.ara_message.as_deref(),
        )
    }

    fn from_row(row: &HistoryRow, fallback_time: f64) -> Self {
        Self {
            key: ItemKey::Id(row.id),
            message: row.message.clone().unwrap_or_default(),
            eng_message: row.eng_message.clone(),
            ara_message: row.ara_message.clone(),
            transaction_id: row.transaction_id,
            code: None,
            transaction_type: row.transaction_type.clone(),
            action: row.action.clone(),
            time_ms: row
                .created_at
                .as_deref()
                .and_then(parse_timestamp_ms)
                .unwrap_or(fallback_time),
            is_read: row.is_read,
            received_ms: fallback_time,
        }
    }

    /// A live frame, received at `now`. Its time is `created_at`, else a `timestamp` with an
    /// offset (a naive one is the server's local time in an unknown zone), else `now`.
    fn from_live(live: LiveNotification, key: ItemKey, now: f64) -> Self {
        let time_ms = [live.created_at.as_deref(), live.timestamp.as_deref()]
            .into_iter()
            .flatten()
            .find_map(parse_timestamp_ms)
            .unwrap_or(now);
        Self {
            key,
            message: live.message,
            eng_message: live.eng_message,
            ara_message: live.ara_message,
            transaction_id: live.transaction_id,
            code: live.code,
            transaction_type: live.transaction_type,
            action: live.action,
            time_ms,
            is_read: live.is_read.unwrap_or(false),
            received_ms: now,
        }
    }
}

/// What can happen to the inbox.
#[derive(Clone, Debug)]
pub enum InboxAction {
    /// A batch of live frames: a lone frame at once, a burst in a few batches (see
    /// [`crate::state::pacing`]). [`Inbox::live`] also says which were news.
    Live {
        /// Decoded notifications, in arrival order.
        batch: Vec<LiveNotification>,
        /// Arrival time.
        now: f64,
    },
    /// The REST history, fetched after a (re)connect.
    History {
        /// Rows, newest first.
        rows: Vec<HistoryRow>,
        /// When the request was sent: live items with ids seen after it are kept even if the
        /// snapshot misses them.
        requested_at: f64,
    },
    /// The cached list, on load.
    Restore(Vec<Notification>),
    /// The user's edit: applied at once, pending until the server answers ([`Inbox::edit`]
    /// also returns the pending edit).
    Edit(Edit),
    /// The server accepted the pending edit with this id.
    Settled(u64),
    /// The server refused the pending edit with this id (or could not be reached): undo it
    /// and say why.
    Failed {
        /// Which pending edit.
        id: u64,
        /// Why.
        why: ChangeError,
    },
    /// The user's Undo: pending edit `id` is taken back wholly, before anything was sent (no
    /// error).
    Undo(u64),
    /// These items of pending edit `id` are put back: the server refused them (the bulk
    /// action reports it, item by item) or they were never sent.
    UndoItems {
        /// Which pending edit.
        id: u64,
        /// Its items to put back.
        keys: Vec<ItemKey>,
    },
    /// The server says this item does not exist (a 404: deleted in another tab or on another
    /// device): it goes, with whatever was pending for it, and no error is shown.
    Gone(ItemKey),
    /// Hide the error.
    DismissError,
    /// Sign-out.
    Clear,
}

/// The inbox state. Cheap to clone (the list and the index are shared, copy-on-write) and
/// cheap to compare: two states are equal when they are the same revision of the same list.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    list: List,
    next_live: u64,
    /// Edits applied here that the server has not answered yet, oldest first.
    pending: Vec<Rc<Pending>>,
    next_pending: u64,
    /// The last edit's failure, shown until dismissed.
    pub error: Option<Failure>,
    /// Bumped by every action; survives `Clear`.
    rev: u64,
    /// The latest live arrivals, to tell one event reaching the socket in both shapes.
    recent: Rc<RecentArrivals>,
    /// Live-only items the user deleted here (the server could not be told: no id), until
    /// the history shows their event's row, which is then deleted on the server too.
    deleted_live: Rc<VecDeque<LiveOnly>>,
    /// Rows kept out of the list because they are the events of live-only items whose
    /// delete waits in its Undo window (live key → row id): deleted on the server when it
    /// settles.
    held: HashMap<ItemKey, i64>,
    /// What the server is owed for rows that turned out to be live-only items the user had
    /// read or deleted here ([`Inbox::take_owed`]).
    owed: Vec<Change>,
}

/// Deleted live-only items remembered (the oldest beyond it are forgotten): a bulk delete of
/// a burst's worth.
const DELETED_LIVE: usize = 1_000;
/// A deleted live-only item's row was written when its frame was sent: one written further
/// from the moment it arrived here (clocks differ by minutes at most) is a later event with
/// the same words, never deleted for it.
const DELETED_ROW_WITHIN_MS: f64 = 10.0 * 60_000.0;

impl PartialEq for Inbox {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev && self.list.same_items(&other.list)
    }
}

impl Inbox {
    /// Items, newest first.
    pub fn items(&self) -> &[Rc<Notification>] {
        self.list.items()
    }

    /// Unread items (kept by the list, so reading it costs nothing).
    pub fn unread(&self) -> usize {
        self.list.unread()
    }

    /// What the inbox knows of a transaction: O(1), for the upload cards.
    pub fn transaction(&self, id: i64) -> Option<&TransactionEntry> {
        self.list.index().get(&id)
    }

    /// Changes whenever [`Inbox::transaction`] may answer differently.
    pub fn transactions_rev(&self) -> u64 {
        self.list.index_rev()
    }

    /// What the server must be told, and was not yet: a row that is the event of a live-only
    /// item the user read or deleted here (a frame without an id: the server could not be
    /// told then). The row is already shown so here; the caller sends these (and tells the
    /// user's other tabs), so the row does not come back unread, or at all, with the next
    /// history.
    pub fn take_owed(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.owed)
    }

    /// The newest [`CACHE_BOUND`] items, for storage.
    pub fn cache(&self) -> &[Rc<Notification>] {
        let items = self.list.items();
        &items[..items.len().min(CACHE_BOUND)]
    }

    /// Applies one action.
    pub fn apply(&mut self, action: InboxAction) {
        match action {
            InboxAction::Live { batch, now } => {
                self.live(batch, now);
            }
            InboxAction::Edit(edit) => {
                self.edit(edit);
            }
            action => self.changed(|me| me.apply_other(action)),
        }
    }

    /// Applies a batch of live frames; returns the frames that are news to the user (for
    /// toasts and announcements): not an item the inbox has, not an id repeated in the
    /// batch, not the other shape of an event just seen.
    pub fn live(&mut self, batch: Vec<LiveNotification>, now: f64) -> Vec<LiveNotification> {
        self.changed(|me| me.add_live(batch, now))
    }

    /// Applies the user's `edit` at once; the pending edit to tell the server of and to settle
    /// or fail later, or `None` when it touched nothing (a bulk edit touches nothing here: see
    /// [`Inbox::edit_many`]).
    pub fn edit(&mut self, edit: Edit) -> Option<Rc<Pending>> {
        if edit.is_many() {
            return None;
        }
        self.changed(|me| me.begin(edit, None))
    }

    /// Applies a bulk `edit` ([`Edit::ReadMany`], [`Edit::DeleteMany`]) to the items `keys`
    /// at once, in one walk of the list however many they are; the pending edit, whose items
    /// are told to the server one by one ([`Edit::item_change`]), settled with
    /// [`InboxAction::Settled`] once all answered, or `None` when it touched nothing.
    pub fn edit_many(&mut self, edit: Edit, keys: &HashSet<ItemKey>) -> Option<Rc<Pending>> {
        if !edit.is_many() {
            return None;
        }
        self.changed(|me| me.begin(edit, Some(keys)))
    }

    /// Every change goes through here: a new revision, and the index rebuilt if it went stale.
    fn changed<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.rev = self.rev.wrapping_add(1);
        let r = f(self);
        self.list.reindex();
        r
    }

    fn apply_other(&mut self, action: InboxAction) {
        match action {
            InboxAction::Live { .. } | InboxAction::Edit(_) => {}
            InboxAction::History { rows, requested_at } => self.merge(&rows, requested_at),
            InboxAction::Restore(items) => self.restore(items),
            InboxAction::Settled(id) => self.settled(id),
            InboxAction::Failed { id, why } => {
                if let Some(edit) = self.undo(id, None) {
                    self.error = Some(Failure { edit, why });
                }
            }
            InboxAction::Undo(id) => {
                self.undo(id, None);
            }
            InboxAction::UndoItems { id, keys } => {
                self.undo(id, Some(&keys.into_iter().collect()));
            }
            InboxAction::Gone(key) => self.gone(key),
            InboxAction::DismissError => self.error = None,
            InboxAction::Clear => {
                *self = Inbox {
                    rev: self.rev,
                    // A late answer or Undo for the previous user's edit finds nothing.
                    next_pending: self.next_pending,
                    list: List::cleared(&self.list),
                    ..Inbox::default()
                }
            }
        }
    }

    fn add_live(&mut self, batch: Vec<LiveNotification>, now: f64) -> Vec<LiveNotification> {
        let known = KnownKeys::of(self.list.items(), batch.len());
        let mut news = Vec::new();
        // This batch's items so far: at the end of the list until it is sorted.
        let mut added = 0;
        for live in batch {
            let event = EventSignature::of(live.transaction_id, &live.message);
            // The same event seen lately in the other shape. (Two frames without an id are
            // two items, as two frames with different ids are.)
            let twin = event.and_then(|e| self.recent.twin(e, live.id.is_some(), now));
            let key = match (live.id, twin) {
                (Some(id), _) => ItemKey::Id(id),
                // A frame without an id adds nothing to its id'd twin (once: a later one is
                // another event).
                (None, Some(i)) => {
                    Rc::make_mut(&mut self.recent).take(i);
                    continue;
                }
                (None, None) => {
                    // Wrapping: a restored key near the maximum cannot overflow (a collision
                    // is skipped below as a repeat, never a panic).
                    self.next_live = self.next_live.wrapping_add(1);
                    ItemKey::Live(self.next_live)
                }
            };
            let items = self.list.items();
            let this_batch = &items[items.len() - added..];
            if known.contains(items, key) || this_batch.iter().any(|n| n.key == key) {
                continue; // a repeat: the same item
            }
            let fresh = twin.is_none().then(|| live.clone());
            let Some(n) = self.rebased(Rc::new(Notification::from_live(live, key, now))) else {
                continue; // deleted here, the server not told yet
            };
            // The id'd frame of an event first seen without one: it takes the live-only
            // item's place (one item, which REST knows).
            let gone = twin.and_then(|i| Rc::make_mut(&mut self.recent).take(i));
            if let Some(at) = gone.and_then(|k| self.list.position(k)) {
                // It may be one of this batch's, not yet sorted in.
                if at >= self.list.items().len() - added {
                    added -= 1;
                }
                self.list.remove(at);
            }
            if let Some(event) = event {
                Rc::make_mut(&mut self.recent).push(now, event, key);
            }
            self.list.push(n);
            added += 1;
            news.extend(fresh);
        }
        if added > 0 {
            self.list.sort();
        }
        news
    }

    /// `n` with the pending edits applied (`None`: one of them deletes it), so a newer
    /// history or a repeated frame does not undo what the server has not answered yet.
    fn rebased(&self, mut n: Rc<Notification>) -> Option<Rc<Notification>> {
        let key = n.key;
        for p in self.pending.iter().filter(|p| p.keys.contains(&key)) {
            match p.edit.effect(&n) {
                Some(Effect::Becomes(m)) => n = Rc::new(m),
                Some(Effect::Goes) => return None,
                None => {}
            }
        }
        Some(n)
    }

    fn merge(&mut self, rows: &[HistoryRow], requested_at: f64) {
        let rest_ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
        let items = self.list.items();
        let old: HashMap<ItemKey, &Notification> = items.iter().map(|n| (n.key, &**n)).collect();
        // Live-only items whose event is a row now: those in the list, those deleted here
        // (settled) and those whose delete waits in its Undo window.
        let deleting: Vec<LiveOnly> = self
            .pending
            .iter()
            .filter(|p| p.edit.deletes())
            .flat_map(|p| p.before.iter().filter_map(|n| LiveOnly::of(n)))
            .collect();
        let live = items.iter().filter_map(|n| LiveOnly::of(n));
        let candidates = live
            .chain(self.deleted_live.iter().copied())
            .chain(deleting);
        let absorbed = absorbed_twins(candidates, rows, &old);
        // What the user did here to a live-only item is done to its row, and the server told.
        let mut read_here = HashSet::new();
        let mut hidden = HashSet::new();
        for (key, &id) in &absorbed {
            match old.get(key) {
                Some(n) => {
                    if n.is_read && rows.iter().any(|r| r.id == id && !r.is_read) {
                        read_here.insert(id);
                        self.owed.push(Change::ReadOne(id));
                    }
                }
                None => {
                    if let Some(d) = self.deleted_live.iter().find(|d| d.key == *key) {
                        let written = rows
                            .iter()
                            .find(|r| r.id == id)
                            .and_then(|r| r.created_at.as_deref())
                            .and_then(parse_timestamp_ms);
                        if written
                            .is_some_and(|w| (w - d.received_ms).abs() <= DELETED_ROW_WITHIN_MS)
                        {
                            hidden.insert(id);
                            self.owed.push(Change::Delete(id));
                        }
                        continue;
                    }
                    // Its delete may still be undone: the row waits out of sight.
                    hidden.insert(id);
                    self.held.insert(*key, id);
                }
            }
        }
        if !self.deleted_live.is_empty() {
            Rc::make_mut(&mut self.deleted_live).retain(|d| !absorbed.contains_key(&d.key));
        }
        let mut merged: Vec<Rc<Notification>> = Vec::with_capacity(rows.len() + 16);
        let mut seen = HashSet::with_capacity(rows.len());
        // A repeated row (a paging glitch) is one item: the first, newest, wins.
        for row in rows.iter().filter(|r| seen.insert(r.id)) {
            if hidden.contains(&row.id) {
                continue;
            }
            let mut n = Notification::from_row(row, requested_at);
            n.is_read |= read_here.contains(&row.id);
            if let Some(prev) = old.get(&n.key) {
                // Keep what only the live frame knew.
                n.code = n.code.or_else(|| prev.code.clone());
                n.received_ms = prev.received_ms;
                if row.created_at.is_none() {
                    n.time_ms = prev.time_ms;
                }
            }
            merged.extend(self.rebased(Rc::new(n)));
        }
        merged.extend(
            items
                .iter()
                .filter(|n| match n.key {
                    ItemKey::Live(_) => !absorbed.contains_key(&n.key),
                    // Missing from REST: deleted, unless it arrived after the snapshot.
                    ItemKey::Id(id) => !rest_ids.contains(&id) && n.received_ms >= requested_at,
                })
                .cloned(),
        );
        self.list.set_all(merged);
        self.list.sort();
    }

    /// Pending edit `id` is done. A live-only item it deleted: its row, held or still to come
    /// with a history, is deleted on the server too.
    fn settled(&mut self, id: u64) {
        let Some(at) = self.pending.iter().position(|p| p.id == id) else {
            return;
        };
        let p = self.pending.remove(at);
        if !p.edit.deletes() {
            return;
        }
        for d in p.before.iter().filter_map(|n| LiveOnly::of(n)) {
            match self.held.remove(&d.key) {
                Some(row) => self.owed.push(Change::Delete(row)),
                None => {
                    let ring = Rc::make_mut(&mut self.deleted_live);
                    if ring.len() == DELETED_LIVE {
                        ring.pop_front();
                    }
                    ring.push_back(d);
                }
            }
        }
    }

    fn restore(&mut self, items: Vec<Notification>) {
        if !self.list.items().is_empty() {
            return;
        }
        self.next_live = items
            .iter()
            .filter_map(|n| match n.key {
                ItemKey::Live(k) => Some(k),
                ItemKey::Id(_) => None,
            })
            .max()
            .unwrap_or(0);
        // A cache is storage, not the server: repeated keys are kept once.
        let mut seen = HashSet::with_capacity(items.len());
        let items = items.into_iter().filter(|n| seen.insert(n.key));
        self.list.set_all(items.map(Rc::new).collect());
        self.list.sort();
    }

    /// Applies `edit` (to the items `within` only, when given) in one walk of the list.
    fn begin(&mut self, edit: Edit, within: Option<&HashSet<ItemKey>>) -> Option<Rc<Pending>> {
        let mut before = Vec::new();
        let mut goes = HashSet::new();
        for at in 0..self.list.items().len() {
            let n = &self.list.items()[at];
            if within.is_some_and(|w| !w.contains(&n.key)) {
                continue;
            }
            let Some(effect) = edit.effect(n) else {
                continue;
            };
            let n = n.clone();
            match effect {
                Effect::Becomes(m) => self.list.replace(at, Rc::new(m)),
                Effect::Goes => {
                    goes.insert(n.key);
                }
            }
            before.push(n);
        }
        if before.is_empty() {
            return None;
        }
        // One pass however many go (a bulk delete of thousands is not thousands of shifts).
        if !goes.is_empty() {
            self.list.retain(|n| !goes.contains(&n.key));
        }
        self.next_pending += 1;
        let pending = Rc::new(Pending {
            id: self.next_pending,
            edit,
            keys: before.iter().map(|n| n.key).collect(),
            before,
        });
        self.pending.push(pending.clone());
        Some(pending)
    }

    /// Undoes pending edit `id` (only its items `only`, when given): what it changed is as it
    /// was, what it deleted is back. The edit, when there was one.
    fn undo(&mut self, id: u64, only: Option<&HashSet<ItemKey>>) -> Option<Edit> {
        let at = self.pending.iter().position(|p| p.id == id)?;
        let (edit, back) = match only {
            None => {
                let p = self.pending.remove(at);
                (p.edit, p.before.clone())
            }
            Some(only) => {
                let p = Rc::make_mut(&mut self.pending[at]);
                let (back, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut p.before)
                    .into_iter()
                    .partition(|n| only.contains(&n.key));
                p.before = keep;
                for n in &back {
                    p.keys.remove(&n.key);
                }
                let edit = p.edit;
                if p.before.is_empty() {
                    self.pending.remove(at);
                }
                (edit, back)
            }
        };
        // A row held for an item put back shows with the next history, as that item.
        for n in &back {
            self.held.remove(&n.key);
        }
        // Where each item is now: one map for many, not one walk of the list per item.
        let positions: HashMap<ItemKey, usize> = if back.len() > 8 {
            let items = self.list.items();
            items.iter().enumerate().map(|(i, n)| (n.key, i)).collect()
        } else {
            HashMap::new()
        };
        for n in &back {
            let at = if back.len() > 8 {
                positions.get(&n.key).copied()
            } else {
                self.list.position(n.key)
            };
            match at {
                Some(at) => self.list.replace(at, n.clone()),
                None if edit.effect(n) == Some(Effect::Goes) => self.list.push(n.clone()),
                None => {}
            }
        }
        // An item put back as it was may carry an older time than a history read gave it
        // since (and one deleted comes back at the end): the list is newest first again.
        self.list.sort();
        Some(edit)
    }

    fn gone(&mut self, key: ItemKey) {
        self.list.retain(|n| n.key != key);
        let pending = std::mem::take(&mut self.pending);
        self.pending = pending
            .into_iter()
            .filter_map(|p| {
                if !p.keys.contains(&key) {
                    return Some(p);
                }
                let mut p = Rc::unwrap_or_clone(p);
                p.keys.remove(&key);
                p.before.retain(|n| n.key != key);
                (!p.before.is_empty()).then(|| Rc::new(p))
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::rest::Change;
    use crate::protocol::{decode_frame, ServerFrame};
    use crate::state::remote::ApiError;

    fn live(text: &str) -> LiveNotification {
        match decode_frame(text).unwrap() {
            ServerFrame::Notification(n) => n,
            other => panic!("{other:?}"),
        }
    }

    fn push(inbox: &mut Inbox, frames: &[&str], now: f64) {
        inbox.apply(InboxAction::Live {
            batch: frames.iter().map(|f| live(f)).collect(),
            now,
        });
    }

    fn row(id: i64, read: bool, created: &str) -> HistoryRow {
        HistoryRow {
            id,
            message: Some(format!("row {id}")),
            is_read: read,
            created_at: Some(created.into()),
            ..Default::default()
        }
    }

    const NESTED: &str = r#"{"type":"notification","message":"New budget transfer request created with code FAR-0016","data":{"transaction_id":860,"code":"FAR-0016"},"timestamp":"2025-12-30T12:40:49.474292"}"#;
    const FLAT: &str = r#"{"type":"notification","message":"m","eng_message":"Hello","ara_message":"مرحبا","timestamp":"2025-12-30T12:40:49.474292","id":91,"is_read":false,"created_at":"2025-12-30T12:40:49.474292+00:00","Transaction_id":860,"type_of_Trasnction":"FAR","Type_of_action":"List","code":"FAR-0016"}"#;

    #[test]
    fn both_wire_shapes_are_inserted_newest_first() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT], 2_000_000_000_000.0);
        push(&mut inbox, &[NESTED], 2_000_000_001_000.0);
        let items = inbox.items();
        assert_eq!(items.len(), 2);
        // The nested one has only a naive timestamp: its arrival time, the newest.
        assert_eq!(items[0].key, ItemKey::Live(1));
        assert_eq!(items[0].code.as_deref(), Some("FAR-0016"));
        assert_eq!(items[0].transaction_id, Some(860));
        assert_eq!(items[1].key, ItemKey::Id(91));
        assert_eq!(items[1].time_ms, 1_767_098_449_474.0, "created_at is exact");
        assert_eq!(items[1].text(false), "Hello");
        assert_eq!(items[1].text(true), "مرحبا");
        assert_eq!(
            items[0].text(true),
            "New budget transfer request created with code FAR-0016"
        );
        assert_eq!(inbox.unread(), 2);
    }

    #[test]
    fn repeated_ids_are_one_item() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT, FLAT], 1.0);
        push(&mut inbox, &[FLAT], 2.0);
        assert_eq!(inbox.items().len(), 1);
        // Frames without ids are never merged: each is its own live-only item.
        push(&mut inbox, &[NESTED, NESTED], 3.0);
        assert_eq!(inbox.items().len(), 3);
        // A big batch (looked up through a set, not a scan) dedupes the same way.
        push(&mut inbox, &[FLAT; 20], 4.0);
        assert_eq!(inbox.items().len(), 3);
    }

    #[test]
    fn a_change_copies_only_what_it_touches() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED, NESTED, FLAT], 5.0);
        let before = inbox.clone();
        // A new arrival: every earlier item is shared with the snapshot, not copied.
        push(&mut inbox, &[NESTED], 6.0);
        assert_eq!(inbox.items().len(), 4);
        for old in before.items() {
            assert!(
                inbox.items().iter().any(|n| Rc::ptr_eq(n, old)),
                "{:?} was copied",
                old.key
            );
        }
        // Reading one copies that one only; the snapshot keeps its unread version.
        let target = inbox.items()[1].key;
        let snapshot = inbox.clone();
        inbox.apply(InboxAction::Edit(Edit::MarkRead(target)));
        let shared = inbox
            .items()
            .iter()
            .zip(snapshot.items())
            .filter(|(a, b)| Rc::ptr_eq(a, b))
            .count();
        assert_eq!(shared, 3);
        assert!(!snapshot.items()[1].is_read && inbox.items()[1].is_read);
    }

    fn keys(inbox: &Inbox) -> Vec<ItemKey> {
        inbox.items().iter().map(|n| n.key).collect()
    }

    #[test]
    fn rest_merge_is_the_truth_for_persisted_items() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT, NESTED], 100.0);
        inbox.apply(InboxAction::History {
            rows: vec![
                row(91, true, "2025-12-30T12:40:49.474292+00:00"),
                row(50, false, "2025-12-29T10:00:00Z"),
            ],
            requested_at: 200.0,
        });
        assert_eq!(
            keys(&inbox),
            vec![ItemKey::Id(91), ItemKey::Id(50), ItemKey::Live(1)]
        );
        let id91 = &inbox.items()[0];
        assert!(id91.is_read, "read on the server");
        assert_eq!(
            id91.code.as_deref(),
            Some("FAR-0016"),
            "what only the frame knew is kept"
        );
        assert_eq!(inbox.unread(), 2);
    }

    #[test]
    fn ids_missing_from_rest_are_deleted_unless_newer_than_the_snapshot() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-01T00:00:00Z"),
                row(2, false, "2025-01-02T00:00:00Z"),
            ],
            requested_at: 10.0,
        });
        // id 3 arrives live after the next request was sent, before its answer.
        push(
            &mut inbox,
            &[
                r#"{"type":"notification","id":3,"message":"new","created_at":"2025-01-03T00:00:00Z"}"#,
            ],
            25.0,
        );
        inbox.apply(InboxAction::History {
            rows: vec![row(2, false, "2025-01-02T00:00:00Z")],
            requested_at: 20.0,
        });
        assert_eq!(
            keys(&inbox),
            vec![ItemKey::Id(3), ItemKey::Id(2)],
            "1 was deleted elsewhere; 3 is newer than the snapshot"
        );
        inbox.apply(InboxAction::History {
            rows: vec![row(2, false, "2025-01-02T00:00:00Z")],
            requested_at: 30.0,
        });
        assert_eq!(
            keys(&inbox),
            vec![ItemKey::Id(2)],
            "3 was seen before this snapshot: deleted"
        );
    }

    #[test]
    fn items_sent_while_disconnected_appear_once_after_reconnect() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![row(1, false, "2025-01-01T00:00:00Z")],
            requested_at: 10.0,
        });
        let rows = vec![
            row(3, false, "2025-01-03T00:00:00Z"),
            row(2, false, "2025-01-02T00:00:00Z"),
            row(1, false, "2025-01-01T00:00:00Z"),
        ];
        inbox.apply(InboxAction::History {
            rows: rows.clone(),
            requested_at: 20.0,
        });
        inbox.apply(InboxAction::History {
            rows,
            requested_at: 30.0,
        });
        assert_eq!(
            keys(&inbox),
            vec![ItemKey::Id(3), ItemKey::Id(2), ItemKey::Id(1)]
        );
        assert_eq!(inbox.unread(), 3);
    }

    #[test]
    fn a_rollback_after_a_newer_history_keeps_the_list_newest_first() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![
                row(2, false, "2025-01-02T00:00:00Z"),
                row(1, false, "2025-01-01T00:00:00Z"),
            ],
            requested_at: 0.0,
        });
        let op = inbox.edit(Edit::MarkRead(ItemKey::Id(1))).unwrap();
        // The server's time for 1 moves past 2's before the edit is refused.
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-03T00:00:00Z"),
                row(2, false, "2025-01-02T00:00:00Z"),
            ],
            requested_at: 1.0,
        });
        assert_eq!(keys(&inbox), vec![ItemKey::Id(1), ItemKey::Id(2)]);
        inbox.apply(InboxAction::Failed {
            id: op.id,
            why: ChangeError::Api(ApiError::Timeout),
        });
        assert_eq!(inbox.unread(), 2, "rolled back");
        let items = inbox.items();
        assert!(
            items.windows(2).all(|w| w[0].time_ms >= w[1].time_ms),
            "newest first after the rollback: {:?}",
            keys(&inbox)
        );
    }

    #[test]
    fn mark_read_all_delete_and_their_rollbacks() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-01T00:00:00Z"),
                row(2, false, "2025-01-02T00:00:00Z"),
                row(3, true, "2025-01-03T00:00:00Z"),
            ],
            requested_at: 0.0,
        });
        assert_eq!(inbox.unread(), 2);

        let op = inbox.edit(Edit::MarkRead(ItemKey::Id(1))).unwrap();
        assert_eq!(op.change(), Some(Change::ReadOne(1)));
        assert_eq!(inbox.unread(), 1);
        // A REST snapshot taken before the server applied it does not undo it.
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-01T00:00:00Z"),
                row(2, false, "2025-01-02T00:00:00Z"),
                row(3, true, "2025-01-03T00:00:00Z"),
            ],
            requested_at: 1.0,
        });
        assert_eq!(inbox.unread(), 1);
        let why = ChangeError::Refused {
            status: 400,
            message: Some("Notification not found.".into()),
        };
        inbox.apply(InboxAction::Failed {
            id: op.id,
            why: why.clone(),
        });
        assert_eq!(inbox.unread(), 2, "rolled back");
        assert_eq!(
            inbox.error,
            Some(Failure {
                edit: Edit::MarkRead(ItemKey::Id(1)),
                why
            })
        );
        inbox.apply(InboxAction::DismissError);
        assert_eq!(inbox.error, None);

        let op = inbox.edit(Edit::MarkAllRead).unwrap();
        let touched: Vec<ItemKey> = op.before.iter().map(|n| n.key).collect();
        assert_eq!(touched, vec![ItemKey::Id(2), ItemKey::Id(1)]);
        assert_eq!(inbox.unread(), 0);
        inbox.apply(InboxAction::Failed {
            id: op.id,
            why: ChangeError::Api(ApiError::Timeout),
        });
        assert_eq!(inbox.unread(), 2, "only what was unread comes back");
        assert!(inbox.items()[0].is_read, "3 was read before");

        let op = inbox.edit(Edit::Delete(ItemKey::Id(2))).unwrap();
        assert_eq!(keys(&inbox), vec![ItemKey::Id(3), ItemKey::Id(1)]);
        // A snapshot from before the delete does not resurrect it...
        inbox.apply(InboxAction::History {
            rows: vec![
                row(2, false, "2025-01-02T00:00:00Z"),
                row(1, false, "2025-01-01T00:00:00Z"),
            ],
            requested_at: 2.0,
        });
        assert_eq!(keys(&inbox), vec![ItemKey::Id(1)]);
        // ...and a refusal puts it back where it was.
        inbox.apply(InboxAction::Failed {
            id: op.id,
            why: ChangeError::Api(ApiError::Timeout),
        });
        assert_eq!(keys(&inbox), vec![ItemKey::Id(2), ItemKey::Id(1)]);

        let op = inbox.edit(Edit::Delete(ItemKey::Id(1))).unwrap();
        inbox.apply(InboxAction::Settled(op.id));
        assert!(inbox.pending.is_empty());
        assert_eq!(keys(&inbox), vec![ItemKey::Id(2)]);
        // Nothing to do: no pending edit.
        assert_eq!(inbox.edit(Edit::MarkRead(ItemKey::Id(1))), None);
        assert_eq!(inbox.edit(Edit::Delete(ItemKey::Id(9))), None);
    }

    #[test]
    fn live_only_items_are_read_and_deleted_locally() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED], 5.0);
        let op = inbox.edit(Edit::MarkRead(ItemKey::Live(1))).unwrap();
        assert_eq!(inbox.unread(), 0);
        assert_eq!(op.change(), None, "nothing to tell the server");
        inbox.apply(InboxAction::Settled(op.id));
        inbox.apply(InboxAction::History {
            rows: vec![],
            requested_at: 6.0,
        });
        assert_eq!(
            inbox.items().len(),
            1,
            "live-only items survive a REST merge"
        );
        assert!(inbox.items()[0].is_read);
    }

    /// The nested frame and its flattened twin: one event, as PROTOCOL.md shows it.
    const NESTED_860: &str = r#"{"type":"notification","message":"Transfer FAR-0016 created","data":{"transaction_id":860,"code":"FAR-0016"},"timestamp":"2025-12-30T12:40:49.474292"}"#;
    const FLAT_860: &str = r#"{"type":"notification","message":"Transfer FAR-0016 created","eng_message":"Transfer FAR-0016 created","timestamp":"2025-12-30T12:40:49.474292","id":91,"is_read":false,"created_at":"2025-12-30T12:40:49.474292+00:00","Transaction_id":860,"code":"FAR-0016"}"#;

    fn row_860(id: i64, read: bool) -> HistoryRow {
        HistoryRow {
            id,
            message: Some("Transfer FAR-0016 created".into()),
            transaction_id: Some(860),
            is_read: read,
            created_at: Some("2025-12-30T12:40:49.474292+00:00".into()),
            ..Default::default()
        }
    }

    #[test]
    fn one_event_in_both_shapes_is_one_item_whichever_comes_first() {
        for order in [[NESTED_860, FLAT_860], [FLAT_860, NESTED_860]] {
            let mut inbox = Inbox::default();
            push(&mut inbox, &[order[0]], 1_000.0);
            push(&mut inbox, &[order[1]], 1_050.0);
            assert_eq!(inbox.items().len(), 1, "{order:?}");
            assert_eq!(inbox.items()[0].key, ItemKey::Id(91), "REST's item stays");
            assert_eq!(inbox.unread(), 1);
            assert_eq!(inbox.list.index().len(), 1);
        }
        // Both in one batch.
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860, FLAT_860], 1_000.0);
        assert_eq!(inbox.items().len(), 1);
        assert_eq!(inbox.items()[0].key, ItemKey::Id(91));
        assert_eq!(inbox.unread(), 1);
    }

    #[test]
    fn only_the_other_shape_of_the_same_event_soon_after_is_a_twin() {
        // Long after: a new event with the same words (e.g. a second request).
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT_860], 1_000.0);
        push(&mut inbox, &[NESTED_860], 1_000.0 + TWIN_MS + 1.0);
        assert_eq!(inbox.items().len(), 2);
        assert_eq!(inbox.unread(), 2);
        // Different transaction or different words: different events.
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT_860], 1_000.0);
        push(&mut inbox, &[&NESTED_860.replace("860", "861")], 1_001.0);
        push(
            &mut inbox,
            &[&NESTED_860.replace("created", "approved")],
            1_002.0,
        );
        assert_eq!(inbox.items().len(), 3);
        // Two nested frames are two items; the flattened one replaces one of them.
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860, NESTED_860], 1_000.0);
        assert_eq!(inbox.items().len(), 2);
        push(&mut inbox, &[FLAT_860], 1_001.0);
        let keys: Vec<ItemKey> = inbox.items().iter().map(|n| n.key).collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.contains(&ItemKey::Id(91)));
        assert_eq!(inbox.unread(), 2);
    }

    #[test]
    fn the_second_shape_of_an_event_is_no_news() {
        let other = FLAT.replace(r#""id":91"#, r#""id":92"#);
        // Which frames of a batch were news, by their messages.
        fn news(inbox: &mut Inbox, frames: &[&str], now: f64) -> Vec<String> {
            let batch = frames.iter().map(|f| live(f)).collect();
            inbox
                .live(batch, now)
                .into_iter()
                .map(|n| n.message)
                .collect()
        }
        let mut inbox = Inbox::default();
        // In one batch: the flattened twin is no toast of its own.
        assert_eq!(
            news(&mut inbox, &[NESTED_860, FLAT_860, &other], 1_000.0),
            vec!["Transfer FAR-0016 created", "m"]
        );
        // Across batches.
        let mut inbox2 = Inbox::default();
        assert_eq!(news(&mut inbox2, &[FLAT_860], 1_000.0).len(), 1);
        assert!(news(&mut inbox2, &[NESTED_860], 1_010.0).is_empty());
        assert_eq!(inbox2.items().len(), 1);
        // The twin was used up: the next nested frame is another event, and news.
        assert_eq!(news(&mut inbox2, &[NESTED_860], 1_020.0).len(), 1);
        assert_eq!(inbox2.items().len(), 2);
        // Ids already held, or repeated in a batch, are no news either.
        assert_eq!(
            news(&mut inbox2, &[FLAT_860, &other, &other], 1_030.0),
            vec!["m"]
        );
        // Long after: a new event.
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860], 1_000.0);
        assert_eq!(
            news(&mut inbox, &[FLAT_860], 1_000.0 + TWIN_MS + 1.0).len(),
            1
        );
        // An item deleted here (the server not told yet) is no news when it comes again.
        let op = inbox.edit(Edit::Delete(ItemKey::Id(91))).unwrap();
        assert!(news(&mut inbox, &[FLAT_860], 1_000.0 + 2.0 * TWIN_MS).is_empty());
        assert!(inbox.items().iter().all(|n| n.key != ItemKey::Id(91)));
        inbox.apply(InboxAction::Settled(op.id));
    }

    #[test]
    fn a_nested_item_is_replaced_by_its_history_row() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860], 1_000.0);
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, false), row(7, true, "2025-01-01T00:00:00Z")],
            requested_at: 2_000.0,
        });
        let keys: Vec<ItemKey> = inbox.items().iter().map(|n| n.key).collect();
        assert_eq!(keys, vec![ItemKey::Id(91), ItemKey::Id(7)]);
        assert_eq!(inbox.unread(), 1, "the server's count, not one more");
        // The row's read state is the truth.
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860], 1_000.0);
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 2_000.0,
        });
        assert_eq!(inbox.unread(), 0);
        assert_eq!(inbox.items().len(), 1);
    }

    #[test]
    fn a_nested_item_read_here_stays_read_and_its_row_is_read_on_the_server() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860], 1_000.0);
        let live = inbox.items()[0].key;
        let pending = inbox.edit(Edit::MarkRead(live)).unwrap();
        assert_eq!(
            pending.change(),
            None,
            "no id: the server cannot be told yet"
        );
        inbox.apply(InboxAction::Settled(pending.id));
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, false)],
            requested_at: 2_000.0,
        });
        assert_eq!(inbox.take_owed(), vec![Change::ReadOne(91)]);
        let keys: Vec<ItemKey> = inbox.items().iter().map(|n| n.key).collect();
        assert_eq!(keys, vec![ItemKey::Id(91)]);
        assert_eq!(inbox.unread(), 0, "the row does not bring it back unread");
        // Told once: the next history (the row read by then) owes nothing.
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 3_000.0,
        });
        assert!(inbox.take_owed().is_empty());
        // Read there already, or unread here: nothing owed.
        for (read_here, read_there) in [(true, true), (false, false)] {
            let mut inbox = Inbox::default();
            push(&mut inbox, &[NESTED_860], 1_000.0);
            if read_here {
                let key = inbox.items()[0].key;
                inbox.edit(Edit::MarkRead(key)).unwrap();
            }
            inbox.apply(InboxAction::History {
                rows: vec![row_860(91, read_there)],
                requested_at: 2_000.0,
            });
            assert!(inbox.take_owed().is_empty(), "{read_here} {read_there}");
            assert_eq!(inbox.unread(), usize::from(!read_there));
        }
    }

    /// When `row_860` was written (its `created_at`); the nested frame arrives then.
    fn written_860() -> f64 {
        parse_timestamp_ms("2025-12-30T12:40:49.474292+00:00").unwrap()
    }

    /// The key of the (first) live-only item.
    fn live_key(inbox: &Inbox) -> ItemKey {
        let live = inbox
            .items()
            .iter()
            .find(|n| matches!(n.key, ItemKey::Live(_)));
        live.unwrap().key
    }

    fn delete_nested(inbox: &mut Inbox, bulk: bool) -> u64 {
        push(inbox, &[NESTED_860], written_860() + 2_000.0);
        let live = live_key(inbox);
        let pending = if bulk {
            inbox.edit_many(Edit::DeleteMany, &HashSet::from([live]))
        } else {
            inbox.edit(Edit::Delete(live))
        };
        pending.unwrap().id
    }

    #[test]
    fn a_nested_item_deleted_here_is_deleted_on_the_server_when_its_row_shows() {
        let seeded = || row(7, true, "2025-01-01T00:00:00Z");
        for bulk in [false, true] {
            // Settled before the history came.
            let mut inbox = Inbox::default();
            let id = delete_nested(&mut inbox, bulk);
            inbox.apply(InboxAction::Settled(id));
            assert!(inbox.items().is_empty());
            inbox.apply(InboxAction::History {
                rows: vec![row_860(91, false), seeded()],
                requested_at: 2_000.0,
            });
            assert_eq!(inbox.take_owed(), vec![Change::Delete(91)], "bulk {bulk}");
            assert_eq!(
                keys(&inbox),
                vec![ItemKey::Id(7)],
                "the row does not bring it back"
            );
            // Once: a later history without the row owes nothing more.
            inbox.apply(InboxAction::History {
                rows: vec![seeded()],
                requested_at: 3_000.0,
            });
            assert!(inbox.take_owed().is_empty());

            // The history came in the Undo window: the row waits out of sight, and is
            // deleted once the delete settles.
            let mut inbox = Inbox::default();
            let id = delete_nested(&mut inbox, bulk);
            inbox.apply(InboxAction::History {
                rows: vec![row_860(91, false), seeded()],
                requested_at: 2_000.0,
            });
            assert!(
                inbox.take_owed().is_empty(),
                "not before the window is over"
            );
            assert_eq!(keys(&inbox), vec![ItemKey::Id(7)]);
            inbox.apply(InboxAction::Settled(id));
            assert_eq!(inbox.take_owed(), vec![Change::Delete(91)]);
            assert_eq!(keys(&inbox), vec![ItemKey::Id(7)]);

            // Undone in the window: the item is back, and with the next history it is its row.
            let mut inbox = Inbox::default();
            let id = delete_nested(&mut inbox, bulk);
            inbox.apply(InboxAction::History {
                rows: vec![row_860(91, false), seeded()],
                requested_at: 2_000.0,
            });
            inbox.apply(InboxAction::Undo(id));
            assert!(inbox.take_owed().is_empty());
            assert_eq!(
                inbox.items().len(),
                2,
                "the item put back, the row still out"
            );
            inbox.apply(InboxAction::History {
                rows: vec![row_860(91, false), seeded()],
                requested_at: 3_000.0,
            });
            assert!(inbox.take_owed().is_empty());
            assert_eq!(keys(&inbox), vec![ItemKey::Id(91), ItemKey::Id(7)]);
        }
        // A row known long before the deleted event is another event: not deleted.
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 1_000.0,
        });
        push(&mut inbox, &[NESTED_860], 1_000.0 + 10.0 * TWIN_MS);
        let live = live_key(&inbox);
        let pending = inbox.edit(Edit::Delete(live)).unwrap();
        inbox.apply(InboxAction::Settled(pending.id));
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 2_000.0 + 10.0 * TWIN_MS,
        });
        assert!(inbox.take_owed().is_empty());
        assert_eq!(keys(&inbox), vec![ItemKey::Id(91)]);
        // A row with the same words written long after the deleted event (its own row never
        // came) is a later event: it shows, and is not deleted.
        let mut inbox = Inbox::default();
        let deleted_at = written_860() - 60.0 * 60_000.0;
        push(&mut inbox, &[NESTED_860], deleted_at);
        let live = inbox.items()[0].key;
        let pending = inbox.edit(Edit::Delete(live)).unwrap();
        inbox.apply(InboxAction::Settled(pending.id));
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, false)],
            requested_at: written_860() + 1_000.0,
        });
        assert!(inbox.take_owed().is_empty());
        assert_eq!(keys(&inbox), vec![ItemKey::Id(91)]);
    }

    #[test]
    fn an_old_row_with_the_same_words_does_not_swallow_a_new_event() {
        let mut inbox = Inbox::default();
        // The row was known long before the live-only event arrived.
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 1_000.0,
        });
        push(&mut inbox, &[NESTED_860], 1_000.0 + 10.0 * TWIN_MS);
        inbox.apply(InboxAction::History {
            rows: vec![row_860(91, true)],
            requested_at: 2_000.0 + 10.0 * TWIN_MS,
        });
        assert_eq!(
            inbox.items().len(),
            2,
            "the new event is not persisted: it stays"
        );
        assert_eq!(inbox.unread(), 1);
    }

    #[test]
    fn each_row_absorbs_one_live_item_newest_with_newest() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED_860], 1_000.0);
        push(&mut inbox, &[NESTED_860], 1_000.0 + 2.0 * TWIN_MS);
        assert_eq!(inbox.items().len(), 2);
        // Only the newer event was persisted (so far).
        inbox.apply(InboxAction::History {
            rows: vec![row_860(92, false)],
            requested_at: 1_000.0 + 3.0 * TWIN_MS,
        });
        let keys: Vec<ItemKey> = inbox.items().iter().map(|n| n.key).collect();
        assert_eq!(keys.len(), 2);
        assert!(keys.contains(&ItemKey::Id(92)));
        assert!(
            keys.contains(&ItemKey::Live(1)),
            "the older one stays: {keys:?}"
        );
        // Both persisted: both absorbed.
        inbox.apply(InboxAction::History {
            rows: vec![row_860(92, false), row_860(90, false)],
            requested_at: 1_000.0 + 4.0 * TWIN_MS,
        });
        let keys: Vec<ItemKey> = inbox.items().iter().map(|n| n.key).collect();
        assert_eq!(keys, vec![ItemKey::Id(92), ItemKey::Id(90)]);
    }

    #[test]
    fn an_item_the_server_no_longer_has_goes_without_an_error() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-01T00:00:01Z"),
                row(2, false, "2025-01-01T00:00:00Z"),
            ],
            requested_at: 1.0,
        });
        // Read here, while another device deleted it: the read answers 404.
        inbox.apply(InboxAction::Edit(Edit::MarkRead(ItemKey::Id(1))));
        inbox.apply(InboxAction::Gone(ItemKey::Id(1)));
        assert_eq!(inbox.items().len(), 1);
        assert_eq!(inbox.unread(), 1);
        assert!(inbox.error.is_none());
        assert!(inbox.pending.is_empty());
        // A delete answered 404 is done too; the next history agrees.
        inbox.apply(InboxAction::Edit(Edit::Delete(ItemKey::Id(2))));
        inbox.apply(InboxAction::Gone(ItemKey::Id(2)));
        assert!(inbox.pending.is_empty());
        inbox.apply(InboxAction::History {
            rows: vec![],
            requested_at: 2.0,
        });
        assert!(inbox.items().is_empty());
        assert_eq!(inbox.unread(), 0);
    }

    #[test]
    fn a_burst_of_2000_keeps_every_item_and_an_exact_count() {
        let mut inbox = Inbox::default();
        let frames: Vec<String> = (1..=2000).map(|i| format!(r#"{{"type":"notification","id":{i},"message":"Flood {i}","created_at":"2025-01-01T00:00:00Z","seq":{i}}}"#)).collect();
        for chunk in frames.chunks(137) {
            let batch = chunk.iter().map(|f| live(f)).collect();
            inbox.apply(InboxAction::Live { batch, now: 1.0 });
        }
        assert_eq!(inbox.items().len(), 2000);
        assert_eq!(inbox.unread(), 2000);
        assert_eq!(
            inbox.items()[0].key,
            ItemKey::Id(2000),
            "same time: higher id first"
        );
        assert_eq!(inbox.cache().len(), CACHE_BOUND);
        assert_eq!(
            inbox.cache()[0].key,
            ItemKey::Id(2000),
            "the cache keeps the newest"
        );
    }

    #[test]
    fn repeated_rows_and_cached_duplicates_are_one_item() {
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::History {
            rows: vec![
                row(1, false, "2025-01-01T00:00:00Z"),
                row(1, true, "2025-01-01T00:00:00Z"),
                row(2, false, "2025-01-02T00:00:00Z"),
                row(1, false, "2025-01-03T00:00:00Z"),
            ],
            requested_at: 0.0,
        });
        assert_eq!(keys(&inbox), vec![ItemKey::Id(2), ItemKey::Id(1)]);
        assert_eq!(inbox.unread(), 2, "the first row of an id wins");
        let twice: Vec<Notification> = inbox
            .items()
            .iter()
            .chain(inbox.items())
            .map(|n| (**n).clone())
            .collect();
        let mut restored = Inbox::default();
        restored.apply(InboxAction::Restore(twice));
        assert_eq!(keys(&restored), vec![ItemKey::Id(2), ItemKey::Id(1)]);
    }

    #[test]
    fn a_live_key_at_the_maximum_wraps_instead_of_panicking() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED], 1.0);
        let mut item = (*inbox.items()[0]).clone();
        item.key = ItemKey::Live(u64::MAX);
        let mut restored = Inbox::default();
        restored.apply(InboxAction::Restore(vec![item]));
        push(&mut restored, &[NESTED, NESTED], 2.0);
        assert_eq!(restored.items().len(), 3);
    }

    #[test]
    fn the_cache_clips_huge_texts_but_the_inbox_keeps_them_whole() {
        let mut inbox = Inbox::default();
        let huge = "ع".repeat(10 * 1024);
        push(
            &mut inbox,
            &[&format!(
                r#"{{"type":"notification","id":7,"message":"{huge}","eng_message":"{huge}","ara_message":"{huge}","code":"{huge}","type_of_Trasnction":"{huge}","Type_of_action":"{huge}"}}"#
            )],
            1.0,
        );
        assert_eq!(inbox.items()[0].message, huge, "shown whole");
        let json = serde_json::to_string(inbox.cache()).unwrap();
        let limit = crate::protocol::STORED_TEXT_MAX;
        assert!(json.chars().count() < 6 * limit + 500, "{}", json.len());
        let back: Vec<Notification> = serde_json::from_str(&json).unwrap();
        let n = &back[0];
        for text in [
            Some(&n.message),
            n.eng_message.as_ref(),
            n.ara_message.as_ref(),
            n.code.as_ref(),
            n.transaction_type.as_ref(),
            n.action.as_ref(),
        ] {
            let text = text.unwrap();
            assert_eq!(text.chars().count(), limit);
            assert!(text.ends_with('…') && text.starts_with("ععع"));
        }
    }

    #[test]
    fn impossible_timestamps_fall_back_to_arrival() {
        let mut inbox = Inbox::default();
        push(
            &mut inbox,
            &[
                r#"{"type":"notification","id":1,"created_at":"+99999-01-01T00:00:00+00:00","timestamp":"+99999-01-01T00:00:00"}"#,
                r#"{"type":"notification","id":2,"created_at":"garbage","timestamp":-5}"#,
            ],
            5_000.0,
        );
        assert!(inbox.items().iter().all(|n| n.time_ms == 5_000.0));
        let mut inbox = Inbox::default();
        inbox.apply(InboxAction::Live {
            batch: vec![live(
                r#"{"type":"notification","id":3,"timestamp":"+99999-01-01T00:00:00"}"#,
            )],
            now: 6_000.0,
        });
        assert_eq!(inbox.items()[0].time_ms, 6_000.0);
    }

    #[test]
    fn restore_then_sync_and_clear() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT, NESTED], 5.0);
        let cached = inbox.cache().to_vec();
        let json = serde_json::to_string(&cached).unwrap();
        let mut reloaded = Inbox::default();
        reloaded.apply(InboxAction::Restore(serde_json::from_str(&json).unwrap()));
        assert_eq!(reloaded.items(), inbox.items());
        push(&mut reloaded, &[NESTED], 6.0);
        assert!(
            reloaded.items().iter().any(|n| n.key == ItemKey::Live(2)),
            "live keys continue after restore"
        );
        let before = reloaded.clone();
        reloaded.apply(InboxAction::Clear);
        assert!(reloaded.items().is_empty() && reloaded.error.is_none());
        assert_eq!((reloaded.unread(), reloaded.list.index().len()), (0, 0));
        assert_eq!(reloaded.next_live, 0);
        assert_ne!(reloaded, before, "a cleared inbox is a new state");
    }

    fn flat(id: i64, tx: i64, code: Option<&str>, created: &str) -> String {
        let code = code.map_or("null".to_owned(), |c| format!("\"{c}\""));
        format!(
            r#"{{"type":"notification","message":"m{id}","id":{id},"is_read":false,"created_at":"{created}","Transaction_id":{tx},"code":{code}}}"#
        )
    }

    #[test]
    fn the_transaction_index_follows_the_list() {
        let mut inbox = Inbox::default();
        let rev = inbox.transactions_rev();
        // Oldest first on the wire; the code is only on the older one.
        let a = flat(1, 860, Some("FAR-0016"), "2025-12-30T10:00:00+00:00");
        let b = flat(2, 860, None, "2025-12-30T11:00:00+00:00");
        push(&mut inbox, &[&a], 1.0);
        push(&mut inbox, &[&b], 2.0);
        let t = inbox.transaction(860).unwrap();
        assert_eq!(t.related, ItemKey::Id(2), "the newest notification");
        assert_eq!(t.code.as_deref(), Some("FAR-0016"), "the newest code");
        assert_ne!(inbox.transactions_rev(), rev);
        // An older frame arriving late changes neither.
        let c = flat(3, 860, Some("FAR-OLD"), "2025-12-30T09:00:00+00:00");
        push(&mut inbox, &[&c], 3.0);
        let t = inbox.transaction(860).unwrap();
        assert_eq!(
            (t.related, t.code.as_deref()),
            (ItemKey::Id(2), Some("FAR-0016"))
        );
        // Deleting the newest falls back to the next; a refused delete restores it.
        inbox.apply(InboxAction::Edit(Edit::Delete(ItemKey::Id(2))));
        assert_eq!(inbox.transaction(860).unwrap().related, ItemKey::Id(1));
        let id = inbox.pending[0].id;
        let rev = inbox.transactions_rev();
        inbox.apply(InboxAction::Failed {
            id,
            why: ChangeError::Api(ApiError::Timeout),
        });
        assert_ne!(inbox.transactions_rev(), rev);
        assert_eq!(inbox.transaction(860).unwrap().related, ItemKey::Id(2));
        // The REST history is the truth: a transaction no row mentions leaves the index.
        inbox.apply(InboxAction::History {
            rows: vec![row(7, false, "2025-12-30T12:00:00+00:00")],
            requested_at: 10.0,
        });
        assert!(inbox.transaction(860).is_none());
        assert!(inbox.list.index().is_empty());
    }

    #[test]
    fn the_unread_count_is_kept_not_counted() {
        let mut inbox = Inbox::default();
        let frames: Vec<String> = (1..=5)
            .map(|i| flat(i, 900 + i, None, "2025-12-30T10:00:00+00:00"))
            .collect();
        push(
            &mut inbox,
            &frames.iter().map(String::as_str).collect::<Vec<_>>(),
            1.0,
        );
        assert_eq!(inbox.unread(), 5);
        inbox.apply(InboxAction::Edit(Edit::MarkRead(ItemKey::Id(3))));
        assert_eq!(inbox.unread(), 4);
        let id = inbox.pending[0].id;
        inbox.apply(InboxAction::Failed {
            id,
            why: ChangeError::Api(ApiError::Timeout),
        });
        assert_eq!(inbox.unread(), 5);
        inbox.apply(InboxAction::Edit(Edit::MarkAllRead));
        assert_eq!(inbox.unread(), 0);
        inbox.apply(InboxAction::Edit(Edit::Delete(ItemKey::Id(1))));
        assert_eq!((inbox.unread(), inbox.items().len()), (0, 4));
    }

    #[test]
    fn equality_is_by_revision_not_by_walking_the_list() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT], 1.0);
        let snapshot = inbox.clone();
        assert_eq!(snapshot, inbox);
        inbox.apply(InboxAction::Edit(Edit::MarkRead(ItemKey::Id(91))));
        assert_ne!(snapshot, inbox, "any action makes a new revision");
    }

    fn history(inbox: &mut Inbox, ids: &[i64], read: bool, at: f64) {
        inbox.apply(InboxAction::History {
            rows: ids
                .iter()
                .map(|&i| row(i, read, &format!("2025-01-01T00:00:{:02}Z", i % 60)))
                .collect(),
            requested_at: at,
        });
    }

    fn set(ids: &[i64]) -> HashSet<ItemKey> {
        ids.iter().map(|&i| ItemKey::Id(i)).collect()
    }

    #[test]
    fn a_bulk_edit_touches_only_the_chosen_and_waits_through_a_new_history() {
        let mut inbox = Inbox::default();
        history(&mut inbox, &[1, 2, 3, 4, 5], false, 1.0);
        assert!(
            inbox.edit(Edit::DeleteMany).is_none(),
            "a bulk edit without its items touches nothing"
        );
        let op = inbox.edit_many(Edit::DeleteMany, &set(&[2, 4])).unwrap();
        assert_eq!(keys(&inbox), [5, 3, 1].map(ItemKey::Id));
        assert_eq!(op.keys, set(&[2, 4]));
        assert_eq!(inbox.unread(), 3);
        // Not sent yet (the Undo window): the server still has them, the view does not.
        history(&mut inbox, &[1, 2, 3, 4, 5], false, 2.0);
        assert_eq!(keys(&inbox), [5, 3, 1].map(ItemKey::Id));
        // Undo: back, in place, no error.
        inbox.apply(InboxAction::Undo(op.id));
        assert_eq!(keys(&inbox), [5, 4, 3, 2, 1].map(ItemKey::Id));
        assert!(inbox.error.is_none() && inbox.pending.is_empty());
        // Read many: only the unread among the chosen change; one pending edit.
        let op = inbox.edit_many(Edit::ReadMany, &set(&[1, 2, 9])).unwrap();
        assert_eq!(op.keys, set(&[1, 2]));
        assert_eq!(inbox.unread(), 3);
        assert!(
            inbox.edit_many(Edit::ReadMany, &set(&[1, 2])).is_none(),
            "read already"
        );
        assert!(inbox
            .edit_many(Edit::Delete(ItemKey::Id(1)), &set(&[1]))
            .is_none());
    }

    #[test]
    fn a_bulk_edit_settles_as_a_whole_and_undoes_item_by_item() {
        let mut inbox = Inbox::default();
        history(&mut inbox, &[1, 2, 3, 4], false, 1.0);
        let op = inbox.edit_many(Edit::ReadMany, &set(&[1, 2, 3])).unwrap();
        assert_eq!(inbox.unread(), 1);
        // Item 2 refused: it alone is unread again; no banner (the bulk bar reports it).
        inbox.apply(InboxAction::UndoItems {
            id: op.id,
            keys: vec![ItemKey::Id(2)],
        });
        assert_eq!(inbox.unread(), 2);
        assert!(inbox.error.is_none());
        assert_eq!(inbox.pending[0].keys, set(&[1, 3]));
        // A newer history that has not caught up keeps the rest read while it is pending.
        history(&mut inbox, &[1, 2, 3, 4], false, 2.0);
        assert_eq!(inbox.unread(), 2);
        inbox.apply(InboxAction::Settled(op.id));
        assert!(inbox.pending.is_empty());
        // A bulk delete refused for some of many (the map path) puts those back in order.
        let many: Vec<i64> = (10..40).collect();
        history(&mut inbox, &many, false, 3.0);
        let op = inbox.edit_many(Edit::DeleteMany, &set(&many)).unwrap();
        assert!(inbox.items().is_empty());
        inbox.apply(InboxAction::UndoItems {
            id: op.id,
            keys: many[..20].iter().map(|&i| ItemKey::Id(i)).collect(),
        });
        let expected: Vec<ItemKey> = many[..20].iter().rev().map(|&i| ItemKey::Id(i)).collect();
        assert_eq!(keys(&inbox), expected);
        assert_eq!(inbox.unread(), 20);
        inbox.apply(InboxAction::UndoItems {
            id: op.id,
            keys: many[20..].iter().map(|&i| ItemKey::Id(i)).collect(),
        });
        assert!(inbox.pending.is_empty(), "all put back: nothing pending");
        assert_eq!(inbox.items().len(), 30);
    }

    #[test]
    fn pending_ids_are_not_reused_after_sign_out() {
        let mut inbox = Inbox::default();
        history(&mut inbox, &[1], false, 1.0);
        let old = inbox.edit_many(Edit::DeleteMany, &set(&[1])).unwrap();
        inbox.apply(InboxAction::Clear);
        history(&mut inbox, &[1, 2], false, 2.0);
        let new = inbox.edit(Edit::Delete(ItemKey::Id(2))).unwrap();
        assert_ne!(old.id, new.id);
        // The old user's late Undo finds nothing of the new user's.
        inbox.apply(InboxAction::Undo(old.id));
        assert_eq!(keys(&inbox), [ItemKey::Id(1)]);
    }
}
