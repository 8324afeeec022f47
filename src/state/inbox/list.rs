//! The list of notifications with what is derived from it (the unread count, the transaction
//! index). Every change of the list goes through this type, which keeps both exact: no
//! reducer arm has to remember to recount.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{ItemKey, Notification, MEMORY_BOUND};

/// Where an item stands in the list's order (newest first, then by key).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Place {
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

fn key_order(k: ItemKey) -> (u8, i64) {
    match k {
        ItemKey::Id(id) => (0, id),
        ItemKey::Live(n) => (1, n as i64),
    }
}

/// One entry of the transaction index: what the upload panel shows of one transaction, so a
/// job card never walks the inbox: the first (newest) notification about it, and the
/// transaction code of the first one that carries a code.
#[derive(Clone, Debug, PartialEq)]
pub struct TransactionEntry {
    /// The newest notification about this transaction.
    pub related: ItemKey,
    related_at: Place,
    /// Its code (e.g. FAR-0016), from the newest notification that has one.
    pub code: Option<Rc<str>>,
    code_at: Option<Place>,
}

/// Transaction id → [`TransactionEntry`], for every transaction the inbox mentions.
pub type TransactionIndex = HashMap<i64, TransactionEntry>;

fn index_one(map: &mut TransactionIndex, n: &Notification) {
    let Some(tx) = n.transaction_id else {
        return;
    };
    let at = Place::of(n);
    let code = n.code.as_deref();
    match map.entry(tx) {
        Entry::Vacant(e) => {
            e.insert(TransactionEntry {
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

/// "Is this key in the list?" for a batch: a plain scan for a small batch (the usual live
/// frame: no set of 20,000 keys built for one lookup), a hash set for a big one.
pub(super) enum KnownKeys {
    Scan,
    Set(HashSet<ItemKey>),
}

impl KnownKeys {
    /// Batches up to this size scan the list per lookup.
    const SCAN_UP_TO: usize = 8;

    pub(super) fn of(items: &[Rc<Notification>], batch: usize) -> Self {
        if batch <= Self::SCAN_UP_TO {
            KnownKeys::Scan
        } else {
            KnownKeys::Set(items.iter().map(|n| n.key).collect())
        }
    }

    pub(super) fn contains(&self, items: &[Rc<Notification>], key: ItemKey) -> bool {
        match self {
            KnownKeys::Scan => items.iter().any(|n| n.key == key),
            KnownKeys::Set(set) => set.contains(&key),
        }
    }
}

/// The items, newest first once [`List::sort`] ran, with their unread count and transaction
/// index. Cheap to clone: the list and the index are shared, copy-on-write, and so is each
/// item (a change copies pointers, not every notification's strings).
#[derive(Clone, Debug, Default)]
pub(super) struct List {
    items: Rc<Vec<Rc<Notification>>>,
    unread: usize,
    index: Rc<TransactionIndex>,
    /// Bumped whenever the index changes.
    index_rev: u64,
    /// An indexed item left or changed: the index is rebuilt by [`List::reindex`].
    stale: bool,
}

impl List {
    /// An empty list whose index revision follows `before`'s (a cleared index is a change).
    pub(super) fn cleared(before: &List) -> Self {
        Self {
            index_rev: before.index_rev + 1,
            ..Self::default()
        }
    }

    pub(super) fn items(&self) -> &[Rc<Notification>] {
        &self.items
    }

    /// The same list (not an equal one).
    pub(super) fn same_items(&self, other: &List) -> bool {
        Rc::ptr_eq(&self.items, &other.items)
    }

    pub(super) fn unread(&self) -> usize {
        self.unread
    }

    pub(super) fn index(&self) -> &TransactionIndex {
        &self.index
    }

    pub(super) fn index_rev(&self) -> u64 {
        self.index_rev
    }

    pub(super) fn position(&self, key: ItemKey) -> Option<usize> {
        self.items.iter().position(|n| n.key == key)
    }

    /// Counts `n` in (or, with `add` false, out of) the derived values.
    fn count(&mut self, n: &Notification, add: bool) {
        if !n.is_read {
            if add {
                self.unread += 1;
            } else {
                self.unread -= 1;
            }
        }
        if n.transaction_id.is_some() {
            if add && !self.stale {
                index_one(Rc::make_mut(&mut self.index), n);
                self.index_rev += 1;
            } else {
                self.stale = true;
            }
        }
    }

    /// Appends `n`; the list is in order again after [`List::sort`].
    pub(super) fn push(&mut self, n: Rc<Notification>) {
        self.count(&n, true);
        Rc::make_mut(&mut self.items).push(n);
    }

    /// Takes the item at `at` out.
    pub(super) fn remove(&mut self, at: usize) -> Rc<Notification> {
        let n = Rc::make_mut(&mut self.items).remove(at);
        self.count(&n, false);
        n
    }

    /// Puts `n` in place of the item at `at`.
    pub(super) fn replace(&mut self, at: usize, n: Rc<Notification>) {
        let old = std::mem::replace(&mut Rc::make_mut(&mut self.items)[at], n.clone());
        self.count(&old, false);
        self.count(&n, true);
    }

    /// Keeps only the items `keep` says yes to.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Notification) -> bool) {
        let mut gone = Vec::new();
        Rc::make_mut(&mut self.items).retain(|n| {
            let k = keep(n);
            if !k {
                gone.push(n.clone());
            }
            k
        });
        for n in gone {
            self.count(&n, false);
        }
    }

    /// Replaces every item (the derived values are counted afresh).
    pub(super) fn set_all(&mut self, items: Vec<Rc<Notification>>) {
        self.unread = items.iter().filter(|n| !n.is_read).count();
        self.stale = true;
        self.items = Rc::new(items);
    }

    /// Sorts newest first and lets the oldest beyond [`MEMORY_BOUND`] go.
    pub(super) fn sort(&mut self) {
        let items = Rc::make_mut(&mut self.items);
        items.sort_by(|a, b| Place::of(a).cmp(Place::of(b)));
        if items.len() > MEMORY_BOUND {
            let gone = items.split_off(MEMORY_BOUND);
            for n in gone {
                self.count(&n, false);
            }
        }
    }

    /// Rebuilds the index if an indexed item left or changed since the last call.
    pub(super) fn reindex(&mut self) {
        if !std::mem::take(&mut self.stale) {
            return;
        }
        let mut map = TransactionIndex::with_capacity(self.index.len());
        for n in self.items.iter() {
            index_one(&mut map, n);
        }
        if *self.index != map {
            self.index = Rc::new(map);
            self.index_rev += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, tx: Option<i64>, read: bool, time_ms: f64) -> Rc<Notification> {
        Rc::new(Notification {
            transaction_id: tx,
            code: tx.map(|t| format!("C{t}-{id}")),
            time_ms,
            is_read: read,
            ..Notification::sample(id)
        })
    }

    /// The derived values as a walk of the list finds them.
    fn walked(list: &List) -> (usize, TransactionIndex) {
        let mut map = TransactionIndex::new();
        for n in list.items() {
            index_one(&mut map, n);
        }
        (list.items().iter().filter(|n| !n.is_read).count(), map)
    }

    fn check(list: &mut List) {
        list.reindex();
        let (unread, index) = walked(list);
        assert_eq!(list.unread(), unread);
        assert_eq!(*list.index(), index);
    }

    #[test]
    fn every_change_keeps_the_count_and_the_index() {
        let mut list = List::default();
        list.push(item(1, Some(7), false, 1.0));
        list.push(item(2, Some(7), true, 2.0));
        list.push(item(3, None, false, 3.0));
        list.sort();
        check(&mut list);
        assert_eq!(list.index()[&7].related, ItemKey::Id(2));
        let rev = list.index_rev();
        let gone = list.remove(0);
        assert_eq!(gone.key, ItemKey::Id(3));
        check(&mut list);
        assert_eq!(list.index_rev(), rev, "the index did not change");
        list.remove(0);
        check(&mut list);
        assert_eq!(list.index()[&7].related, ItemKey::Id(1), "falls back");
        assert_ne!(list.index_rev(), rev);
        list.replace(0, item(1, Some(8), true, 1.0));
        check(&mut list);
        assert!(list.index().get(&7).is_none() && list.index().contains_key(&8));
        list.set_all(vec![
            item(4, Some(9), false, 4.0),
            item(5, None, false, 5.0),
        ]);
        check(&mut list);
        list.retain(|n| n.key != ItemKey::Id(4));
        check(&mut list);
        assert!(list.index().is_empty());
        let cleared = List::cleared(&list);
        assert_ne!(cleared.index_rev(), list.index_rev());
    }

    #[test]
    fn the_oldest_beyond_the_bound_go_uncounted() {
        let mut list = List::default();
        for i in 0..(MEMORY_BOUND as i64 + 3) {
            list.push(item(i, Some(i % 5), false, i as f64));
        }
        list.sort();
        check(&mut list);
        assert_eq!(list.items().len(), MEMORY_BOUND);
        assert_eq!(list.unread(), MEMORY_BOUND);
    }
}
