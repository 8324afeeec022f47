//! The inbox: every notification this user has, live and persisted, newest first. Pure reducer;
//! the provider does the REST calls and the caching.
//!
//! Rules: REST is the truth for persisted items (read state, deletion); a live item carrying an
//! id is the same item as its REST row; a live item without an id (the guide's nested shape)
//! stays live-only until the same event turns up with an id (the flattened frame, or a history
//! row with the same transaction and text), which then takes its place. The unread count is
//! derived from the list, so it cannot drift.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::state::time::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::protocol::rest::HistoryRow;
use crate::protocol::LiveNotification;
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
                .and_then(|t| parse_timestamp_ms(t, None))
                .unwrap_or(fallback_time),
            is_read: row.is_read,
            received_ms: fallback_time,
        }
    }
}

/// An optimistic change in flight, kept so it can be rolled back.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Mark one read.
    Read(ItemKey),
    /// Mark all read: the keys that were unread.
    ReadAll(Vec<ItemKey>),
    /// Delete: the item as it was.
    Delete(Box<Notification>),
}

/// What can happen to the inbox.
#[derive(Clone, Debug)]
pub enum InboxAction {
    /// A batch of live frames (one per animation frame under bursts).
    Live {
        /// Decoded notifications, in arrival order.
        batch: Vec<LiveNotification>,
        /// Arrival time.
        now: f64,
        /// The server's UTC offset for naive timestamps, when configured.
        server_offset: Option<FixedOffset>,
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
    /// Optimistic: mark one read.
    MarkRead(ItemKey),
    /// Optimistic: mark all read.
    MarkAllRead,
    /// Optimistic: delete one.
    Delete(ItemKey),
    /// The server accepted `Op`.
    Settled(Op),
    /// The server refused `Op` (or could not be reached): undo it and say why.
    Failed {
        /// What to undo.
        op: Op,
        /// Why.
        message: String,
    },
    /// The server says this item does not exist (a 404: deleted in another tab or on another
    /// device): it goes, with whatever was pending for it, and no error is shown.
    Gone(ItemKey),
    /// Hide the error.
    DismissError,
    /// Sign-out.
    Clear,
}

/// Where an item stands in the list's order (newest first, then by key).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Place {
    time_ms: f64,
    key: ItemKey,
}

impl Place {
    fn of(n: &Notification) -> Self {
        Self {
            time_ms: n.time_ms,
            key: n.key,
        }
    }

    /// The list's order: newest first; equal times by key, the higher first.
    fn cmp(self, other: Self) -> Ordering {
        other
            .time_ms
            .total_cmp(&self.time_ms)
            .then_with(|| key_order(other.key).cmp(&key_order(self.key)))
    }

    fn precedes(self, other: Self) -> bool {
        self.cmp(other) == Ordering::Less
    }
}

/// What the upload panel shows of one transaction, kept by the reducer so a job card never
/// walks the inbox: the first (newest) notification about it, and the transaction code of the
/// first one that carries a code.
#[derive(Clone, Debug, PartialEq)]
pub struct Transaction {
    /// The newest notification about this transaction.
    pub related: ItemKey,
    related_at: Place,
    /// Its code (e.g. FAR-0016), from the newest notification that has one.
    pub code: Option<Rc<str>>,
    code_at: Option<Place>,
}

/// Transaction id → [`Transaction`], for every transaction the inbox mentions.
pub type Transactions = HashMap<i64, Transaction>;

fn index_one(map: &mut Transactions, n: &Notification) {
    let Some(tx) = n.transaction_id else {
        return;
    };
    let at = Place::of(n);
    let code = n.code.as_deref();
    match map.entry(tx) {
        Entry::Vacant(e) => {
            e.insert(Transaction {
                related: n.key,
                related_at: at,
                code: code.map(Rc::from),
                code_at: code.map(|_| at),
            });
        }
        Entry::Occupied(mut e) => {
            let t = e.get_mut();
            if at.precedes(t.related_at) {
                t.related = n.key;
                t.related_at = at;
            }
            if let Some(c) = code {
                if t.code_at.is_none_or(|c_at| at.precedes(c_at)) {
                    t.code = Some(Rc::from(c));
                    t.code_at = Some(at);
                }
            }
        }
    }
}

/// Live-only items whose event the history has as a row (the nested shape is persisted too):
/// the row is the item. One row per item, newest with newest; a row qualifies when this tab
/// did not have it yet, or got it alongside the live-only item (within [`TWIN_MS`]), so an
/// older row with the same words never swallows a later event.
fn absorbed_twins(
    items: &[Rc<Notification>],
    rows: &[HistoryRow],
    old: &HashMap<ItemKey, &Notification>,
) -> HashSet<ItemKey> {
    let mut absorbed = HashSet::new();
    let live: Vec<(&Notification, Event)> = items
        .iter()
        .filter(|n| matches!(n.key, ItemKey::Live(_)))
        .filter_map(|n| Some((&**n, Event::of(n.transaction_id, &n.message)?)))
        .collect();
    if live.is_empty() {
        return absorbed;
    }
    let mut by_event: HashMap<Event, Vec<&HistoryRow>> = HashMap::new();
    let mut seen = HashSet::with_capacity(rows.len());
    for row in rows.iter().filter(|r| seen.insert(r.id)) {
        if let Some(e) = Event::of(row.transaction_id, row.message.as_deref().unwrap_or("")) {
            by_event.entry(e).or_default().push(row);
        }
    }
    for (n, event) in live {
        let Some(bucket) = by_event.get_mut(&event) else {
            continue;
        };
        let fits = bucket
            .iter()
            .position(|r| match old.get(&ItemKey::Id(r.id)) {
                None => true,
                Some(prev) => (prev.received_ms - n.received_ms).abs() <= TWIN_MS,
            });
        if let Some(i) = fits {
            bucket.remove(i);
            absorbed.insert(n.key);
        }
    }
    absorbed
}

/// The inbox state. Cheap to clone (the list and the index are shared, copy-on-write) and
/// cheap to compare: two states are equal when they are the same revision of the same list.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    // Shared, copy-on-write: snapshots of the inbox (context, cache) are cheap to take.
    // Each item shared too: a change copies pointers, not every notification's strings.
    items: Rc<Vec<Rc<Notification>>>,
    next_live: u64,
    pending_read: HashSet<ItemKey>,
    pending_delete: HashSet<ItemKey>,
    /// The last action's failure, shown until dismissed.
    pub error: Option<String>,
    /// Derived: unread items, kept up to date by every action (never counted per render).
    unread: usize,
    /// Derived: the transaction index.
    transactions: Rc<Transactions>,
    /// Bumped whenever the transaction index changes.
    transactions_rev: u64,
    /// Bumped by every action; survives `Clear`.
    rev: u64,
    /// The latest live arrivals, to tell one event reaching the socket in both shapes.
    recent: Rc<std::collections::VecDeque<Arrival>>,
}

/// Two frames of one event (the nested shape without an id, the flattened one with it) arrive
/// within this long of each other.
pub const TWIN_MS: f64 = 60_000.0;
/// Live arrivals remembered for [`TWIN_MS`] matching.
const RECENT: usize = 64;

/// A live arrival, remembered briefly.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Arrival {
    received_ms: f64,
    event: Event,
    key: ItemKey,
}

/// What makes two notifications one event when only one of them has an id: the transaction
/// and the generic text (the nested shape carries nothing else in common).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Event {
    transaction_id: i64,
    message: u64,
}

impl Event {
    fn of(transaction_id: Option<i64>, message: &str) -> Option<Self> {
        use std::hash::{Hash, Hasher};
        let transaction_id = transaction_id?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        message.trim().hash(&mut h);
        Some(Self {
            transaction_id,
            message: h.finish(),
        })
    }
}

impl PartialEq for Inbox {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev && Rc::ptr_eq(&self.items, &other.items)
    }
}

/// "Is this key in the list?" for a batch: a plain scan for a small batch (the usual live
/// frame: no set of 20,000 keys built for one lookup), a hash set for a big one.
pub(crate) enum KnownKeys {
    Scan,
    Set(HashSet<ItemKey>),
}

impl KnownKeys {
    /// Batches up to this size scan the list per lookup.
    const SCAN_UP_TO: usize = 8;

    pub(crate) fn of(items: &[Rc<Notification>], batch: usize) -> Self {
        if batch <= Self::SCAN_UP_TO {
            KnownKeys::Scan
        } else {
            KnownKeys::Set(items.iter().map(|n| n.key).collect())
        }
    }

    pub(crate) fn contains(&self, items: &[Rc<Notification>], key: ItemKey) -> bool {
        match self {
            KnownKeys::Scan => items.iter().any(|n| n.key == key),
            KnownKeys::Set(set) => set.contains(&key),
        }
    }
}

impl Inbox {
    /// Items, newest first.
    pub fn items(&self) -> &[Rc<Notification>] {
        &self.items
    }

    /// Unread items (derived by the reducer, so reading it costs nothing).
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// What the inbox knows of a transaction: O(1), for the upload cards.
    pub fn transaction(&self, id: i64) -> Option<&Transaction> {
        self.transactions.get(&id)
    }

    /// The whole transaction index.
    pub fn transactions(&self) -> &Transactions {
        &self.transactions
    }

    /// Changes whenever [`Inbox::transaction`] may answer differently.
    pub fn transactions_rev(&self) -> u64 {
        self.transactions_rev
    }

    /// Recomputes every derived value from the list: O(n), for actions that rebuild it.
    fn derive(&mut self) {
        self.unread = self.items.iter().filter(|n| !n.is_read).count();
        let mut map = Transactions::with_capacity(self.transactions.len());
        for n in self.items.iter() {
            index_one(&mut map, n);
        }
        if *self.transactions != map {
            self.transactions = Rc::new(map);
            self.transactions_rev += 1;
        }
    }

    /// Which frames of `batch` are news to the user (a toast, an announcement), judged on the
    /// inbox before the batch is applied, by the reducer's rules: not an item it has (by id),
    /// not an id repeated in the batch, not the other shape of an event just seen.
    pub fn news(&self, batch: &[LiveNotification], now: f64) -> Vec<bool> {
        let known = KnownKeys::of(&self.items, batch.len());
        let mut seen_ids = HashSet::new();
        // Events earlier in this batch (bounded like the ring), and whether they had an id.
        let mut earlier: std::collections::VecDeque<(Event, bool)> = Default::default();
        batch
            .iter()
            .map(|n| {
                let has_id = n.id.is_some();
                let event = Event::of(n.transaction_id, &n.message);
                let twin = event.is_some_and(|e| {
                    earlier.iter().any(|&(x, id)| x == e && id != has_id)
                        || self.recent.iter().any(|a| {
                            a.event == e
                                && matches!(a.key, ItemKey::Live(_)) == has_id
                                && (0.0..=TWIN_MS).contains(&(now - a.received_ms))
                        })
                });
                if let Some(e) = event {
                    if earlier.len() == RECENT {
                        earlier.pop_front();
                    }
                    earlier.push_back((e, has_id));
                }
                let new = match n.id {
                    None => true,
                    Some(id) => {
                        seen_ids.insert(id) && !known.contains(&self.items, ItemKey::Id(id))
                    }
                };
                new && !twin
            })
            .collect()
    }

    /// The newest [`CACHE_BOUND`] items, for storage.
    pub fn cache(&self) -> &[Rc<Notification>] {
        &self.items[..self.items.len().min(CACHE_BOUND)]
    }

    /// The op an optimistic action will need if it has to be undone (call before dispatching).
    pub fn op_for(&self, action: &InboxAction) -> Option<Op> {
        match action {
            InboxAction::MarkRead(k) => self
                .items
                .iter()
                .any(|n| n.key == *k && !n.is_read)
                .then_some(Op::Read(*k)),
            InboxAction::MarkAllRead => Some(Op::ReadAll(
                self.items
                    .iter()
                    .filter(|n| !n.is_read)
                    .map(|n| n.key)
                    .collect(),
            )),
            InboxAction::Delete(k) => self
                .items
                .iter()
                .find(|n| n.key == *k)
                .map(|n| Op::Delete(Box::new((**n).clone()))),
            _ => None,
        }
    }

    fn items_mut(&mut self) -> &mut Vec<Rc<Notification>> {
        Rc::make_mut(&mut self.items)
    }

    /// Sorts newest first and lets the oldest beyond [`MEMORY_BOUND`] go; true if any went.
    fn sort(&mut self) -> bool {
        let items = self.items_mut();
        items.sort_by(|a, b| Place::of(a).cmp(Place::of(b)));
        let over = items.len() > MEMORY_BOUND;
        items.truncate(MEMORY_BOUND);
        over
    }

    /// Applies one action (also used by the `Reducible` impl), keeping the derived values
    /// (unread count, transaction index) exact: live batches update them per new item, the
    /// rarer actions that rebuild the list recompute them.
    pub fn apply(&mut self, action: InboxAction) {
        self.rev = self.rev.wrapping_add(1);
        let derive = matches!(
            action,
            InboxAction::History { .. }
                | InboxAction::Restore(_)
                | InboxAction::Delete(_)
                | InboxAction::Gone(_)
                | InboxAction::Failed { .. }
                | InboxAction::Clear
        );
        let recount = matches!(action, InboxAction::MarkRead(_) | InboxAction::MarkAllRead);
        self.apply_inner(action);
        if derive {
            self.derive();
        } else if recount {
            self.unread = self.items.iter().filter(|n| !n.is_read).count();
        }
    }

    fn apply_inner(&mut self, action: InboxAction) {
        match action {
            InboxAction::Live {
                batch,
                now,
                server_offset,
            } => {
                let known = KnownKeys::of(&self.items, batch.len());
                let mut added = 0;
                let mut replaced = false;
                for live in batch {
                    let event = Event::of(live.transaction_id, &live.message);
                    // The same event seen lately in the other shape. (Two frames without an
                    // id are two items, as two frames with different ids are.)
                    let twin = event.and_then(|e| {
                        self.recent.iter().position(|a| {
                            a.event == e
                                && matches!(a.key, ItemKey::Live(_)) == live.id.is_some()
                                && (0.0..=TWIN_MS).contains(&(now - a.received_ms))
                        })
                    });
                    let key = match live.id {
                        Some(id) => ItemKey::Id(id),
                        // A frame without an id adds nothing to its id'd twin (once: a
                        // later one is another event).
                        None if twin.is_some() => {
                            if let Some(i) = twin {
                                Rc::make_mut(&mut self.recent).remove(i);
                            }
                            continue;
                        }
                        None => {
                            // Wrapping: a restored key near the maximum cannot overflow (a
                            // collision is skipped below as a repeat, never a panic).
                            self.next_live = self.next_live.wrapping_add(1);
                            ItemKey::Live(self.next_live)
                        }
                    };
                    if known.contains(&self.items, key)
                        || self.pending_delete.contains(&key)
                        || self.items[self.items.len().saturating_sub(added)..]
                            .iter()
                            .any(|n| n.key == key)
                    {
                        continue; // a repeat: the same item
                    }
                    // The id'd frame of an event first seen without one: it takes the
                    // live-only item's place (one item, which REST knows).
                    if let Some(i) = twin {
                        let gone = self.recent[i].key;
                        Rc::make_mut(&mut self.recent).remove(i);
                        if let Some(at) = self.items.iter().position(|n| n.key == gone) {
                            // It may be one of this batch's, not yet sorted in.
                            if at >= self.items.len() - added {
                                added -= 1;
                            }
                            self.items_mut().remove(at);
                            replaced = true;
                        }
                    }
                    let time_ms = live
                        .created_at
                        .as_deref()
                        .and_then(|t| parse_timestamp_ms(t, None))
                        .or_else(|| {
                            live.timestamp
                                .as_deref()
                                .and_then(|t| parse_timestamp_ms(t, server_offset))
                        })
                        .unwrap_or(now);
                    let n = Notification {
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
                    };
                    if !n.is_read {
                        self.unread += 1;
                    }
                    if n.transaction_id.is_some() {
                        index_one(Rc::make_mut(&mut self.transactions), &n);
                        self.transactions_rev += 1;
                    }
                    if let Some(event) = event {
                        let recent = Rc::make_mut(&mut self.recent);
                        if recent.len() == RECENT {
                            recent.pop_front();
                        }
                        recent.push_back(Arrival {
                            received_ms: now,
                            event,
                            key,
                        });
                    }
                    self.items_mut().push(Rc::new(n));
                    added += 1;
                }
                if (added > 0 && self.sort()) || replaced {
                    // Items went (the oldest, or a twin): they may have been counted or
                    // indexed.
                    self.derive();
                }
            }
            InboxAction::History { rows, requested_at } => {
                let rest_ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
                let old: std::collections::HashMap<ItemKey, &Notification> =
                    self.items.iter().map(|n| (n.key, &**n)).collect();
                let mut merged: Vec<Rc<Notification>> = Vec::with_capacity(rows.len() + 16);
                let mut seen = HashSet::with_capacity(rows.len());
                for row in &rows {
                    let key = ItemKey::Id(row.id);
                    // A repeated row (a paging glitch) is one item: the first, newest, wins.
                    if self.pending_delete.contains(&key) || !seen.insert(row.id) {
                        continue;
                    }
                    let mut n = Notification::from_row(row, requested_at);
                    if let Some(prev) = old.get(&key) {
                        // Keep what only the live frame knew.
                        n.code = n.code.or_else(|| prev.code.clone());
                        n.received_ms = prev.received_ms;
                        if row.created_at.is_none() {
                            n.time_ms = prev.time_ms;
                        }
                    }
                    if self.pending_read.contains(&key) {
                        n.is_read = true;
                    }
                    merged.push(Rc::new(n));
                }
                let absorbed = absorbed_twins(&self.items, &rows, &old);
                for n in self.items.iter() {
                    let keep = match n.key {
                        ItemKey::Live(_) => !absorbed.contains(&n.key),
                        // Missing from REST: deleted, unless it arrived after the snapshot.
                        ItemKey::Id(id) => !rest_ids.contains(&id) && n.received_ms >= requested_at,
                    };
                    if keep {
                        merged.push(n.clone());
                    }
                }
                self.items = Rc::new(merged);
                let _ = self.sort();
            }
            InboxAction::Restore(items) => {
                if self.items.is_empty() {
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
                    self.items = Rc::new(
                        items
                            .into_iter()
                            .filter(|n| seen.insert(n.key))
                            .map(Rc::new)
                            .collect(),
                    );
                    let _ = self.sort();
                }
            }
            InboxAction::MarkRead(key) => {
                if let Some(n) = self.items_mut().iter_mut().find(|n| n.key == key) {
                    Rc::make_mut(n).is_read = true;
                    if let ItemKey::Id(_) = key {
                        self.pending_read.insert(key);
                    }
                }
            }
            InboxAction::MarkAllRead => {
                let mut pending = Vec::new();
                for n in self.items_mut().iter_mut().filter(|n| !n.is_read) {
                    Rc::make_mut(n).is_read = true;
                    if let ItemKey::Id(_) = n.key {
                        pending.push(n.key);
                    }
                }
                self.pending_read.extend(pending);
            }
            InboxAction::Delete(key) => {
                self.items_mut().retain(|n| n.key != key);
                if let ItemKey::Id(_) = key {
                    self.pending_delete.insert(key);
                }
            }
            InboxAction::Gone(key) => {
                self.items_mut().retain(|n| n.key != key);
                self.pending_read.remove(&key);
                self.pending_delete.remove(&key);
            }
            InboxAction::Settled(op) => match op {
                Op::Read(k) => {
                    self.pending_read.remove(&k);
                }
                Op::ReadAll(keys) => {
                    for k in keys {
                        self.pending_read.remove(&k);
                    }
                }
                Op::Delete(n) => {
                    self.pending_delete.remove(&n.key);
                }
            },
            InboxAction::Failed { op, message } => {
                match op {
                    Op::Read(k) => {
                        self.pending_read.remove(&k);
                        if let Some(n) = self.items_mut().iter_mut().find(|n| n.key == k) {
                            Rc::make_mut(n).is_read = false;
                        }
                    }
                    Op::ReadAll(keys) => {
                        let keys: HashSet<ItemKey> = keys.into_iter().collect();
                        for k in &keys {
                            self.pending_read.remove(k);
                        }
                        for n in self
                            .items_mut()
                            .iter_mut()
                            .filter(|n| keys.contains(&n.key))
                        {
                            Rc::make_mut(n).is_read = false;
                        }
                    }
                    Op::Delete(n) => {
                        self.pending_delete.remove(&n.key);
                        if !self.items.iter().any(|i| i.key == n.key) {
                            self.items_mut().push(Rc::new(*n));
                            let _ = self.sort();
                        }
                    }
                }
                self.error = Some(message);
            }
            InboxAction::DismissError => self.error = None,
            InboxAction::Clear => {
                *self = Inbox {
                    rev: self.rev,
                    transactions_rev: self.transactions_rev + 1,
                    ..Inbox::default()
                }
            }
        }
    }
}

fn key_order(k: ItemKey) -> (u8, i64) {
    match k {
        ItemKey::Id(id) => (0, id),
        ItemKey::Live(n) => (1, n as i64),
    }
}

impl yew::Reducible for Inbox {
    type Action = InboxAction;

    fn reduce(self: Rc<Self>, action: InboxAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{decode_frame, ServerFrame};

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
            server_offset: None,
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
        inbox.apply(InboxAction::MarkRead(target));
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

        let action = InboxAction::MarkRead(ItemKey::Id(1));
        let op = inbox.op_for(&action).unwrap();
        inbox.apply(action);
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
        inbox.apply(InboxAction::Failed {
            op,
            message: "Notification not found.".into(),
        });
        assert_eq!(inbox.unread(), 2, "rolled back");
        assert_eq!(inbox.error.as_deref(), Some("Notification not found."));
        inbox.apply(InboxAction::DismissError);
        assert_eq!(inbox.error, None);

        let action = InboxAction::MarkAllRead;
        let op = inbox.op_for(&action).unwrap();
        assert_eq!(op, Op::ReadAll(vec![ItemKey::Id(2), ItemKey::Id(1)]));
        inbox.apply(action);
        assert_eq!(inbox.unread(), 0);
        inbox.apply(InboxAction::Failed {
            op,
            message: "Cannot reach the server".into(),
        });
        assert_eq!(inbox.unread(), 2, "only what was unread comes back");
        assert!(inbox.items()[0].is_read, "3 was read before");

        let action = InboxAction::Delete(ItemKey::Id(2));
        let op = inbox.op_for(&action).unwrap();
        inbox.apply(action);
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
            op,
            message: "x".into(),
        });
        assert_eq!(keys(&inbox), vec![ItemKey::Id(2), ItemKey::Id(1)]);

        let action = InboxAction::Delete(ItemKey::Id(1));
        let op = inbox.op_for(&action).unwrap();
        inbox.apply(action);
        inbox.apply(InboxAction::Settled(op));
        assert_eq!(keys(&inbox), vec![ItemKey::Id(2)]);
    }

    #[test]
    fn live_only_items_are_read_and_deleted_locally() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[NESTED], 5.0);
        inbox.apply(InboxAction::MarkRead(ItemKey::Live(1)));
        assert_eq!(inbox.unread(), 0);
        assert!(inbox.pending_read.is_empty(), "nothing to tell the server");
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
            assert_eq!(inbox.transactions().len(), 1);
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
        let mut inbox = Inbox::default();
        // In one batch: the flattened twin is no toast of its own.
        let batch = vec![live(NESTED_860), live(FLAT_860), live(&other)];
        assert_eq!(inbox.news(&batch, 1_000.0), vec![true, false, true]);
        // Across batches, judged on the inbox before each.
        let mut inbox2 = Inbox::default();
        assert_eq!(inbox2.news(&[live(FLAT_860)], 1_000.0), vec![true]);
        push(&mut inbox2, &[FLAT_860], 1_000.0);
        assert_eq!(inbox2.news(&[live(NESTED_860)], 1_010.0), vec![false]);
        push(&mut inbox2, &[NESTED_860], 1_010.0);
        assert_eq!(inbox2.items().len(), 1);
        // The twin was used up: the next nested frame is another event, and news.
        assert_eq!(inbox2.news(&[live(NESTED_860)], 1_020.0), vec![true]);
        push(&mut inbox2, &[NESTED_860], 1_020.0);
        assert_eq!(inbox2.items().len(), 2);
        // Ids already held, or repeated in a batch, are no news either.
        assert_eq!(
            inbox2.news(&[live(FLAT_860), live(&other), live(&other)], 1_030.0),
            vec![false, true, false]
        );
        push(&mut inbox, &[NESTED_860], 1_000.0);
        assert_eq!(
            inbox.news(&[live(FLAT_860)], 1_000.0 + TWIN_MS + 1.0),
            vec![true]
        );
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
        inbox.apply(InboxAction::MarkRead(ItemKey::Id(1)));
        inbox.apply(InboxAction::Gone(ItemKey::Id(1)));
        assert_eq!(inbox.items().len(), 1);
        assert_eq!(inbox.unread(), 1);
        assert!(inbox.error.is_none());
        assert!(inbox.pending_read.is_empty());
        // A delete answered 404 is done too; the next history agrees.
        inbox.apply(InboxAction::Delete(ItemKey::Id(2)));
        inbox.apply(InboxAction::Gone(ItemKey::Id(2)));
        assert!(inbox.pending_delete.is_empty());
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
            inbox.apply(InboxAction::Live {
                batch,
                now: 1.0,
                server_offset: None,
            });
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
            server_offset: FixedOffset::east_opt(0),
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
        assert_eq!((reloaded.unread(), reloaded.transactions().len()), (0, 0));
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
        inbox.apply(InboxAction::Delete(ItemKey::Id(2)));
        assert_eq!(inbox.transaction(860).unwrap().related, ItemKey::Id(1));
        let op = Op::Delete(Box::new(Notification {
            key: ItemKey::Id(2),
            ..(*inbox.items()[0]).clone()
        }));
        let rev = inbox.transactions_rev();
        inbox.apply(InboxAction::Failed {
            op,
            message: "no".into(),
        });
        assert_ne!(inbox.transactions_rev(), rev);
        // The REST history is the truth: a transaction no row mentions leaves the index.
        inbox.apply(InboxAction::History {
            rows: vec![row(7, false, "2025-12-30T12:00:00+00:00")],
            requested_at: 10.0,
        });
        assert!(inbox.transaction(860).is_none());
        assert!(inbox.transactions().is_empty());
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
        inbox.apply(InboxAction::MarkRead(ItemKey::Id(3)));
        assert_eq!(inbox.unread(), 4);
        inbox.apply(InboxAction::Failed {
            op: Op::Read(ItemKey::Id(3)),
            message: "no".into(),
        });
        assert_eq!(inbox.unread(), 5);
        inbox.apply(InboxAction::MarkAllRead);
        assert_eq!(inbox.unread(), 0);
        inbox.apply(InboxAction::Delete(ItemKey::Id(1)));
        assert_eq!((inbox.unread(), inbox.items().len()), (0, 4));
    }

    #[test]
    fn equality_is_by_revision_not_by_walking_the_list() {
        let mut inbox = Inbox::default();
        push(&mut inbox, &[FLAT], 1.0);
        let snapshot = inbox.clone();
        assert_eq!(snapshot, inbox);
        inbox.apply(InboxAction::MarkRead(ItemKey::Id(91)));
        assert_ne!(snapshot, inbox, "any action makes a new revision");
    }
}
