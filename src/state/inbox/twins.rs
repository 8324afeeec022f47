//! One event, two frames: the nested shape without an id and the flattened one with it. The
//! rules that tell them apart from two events live here, once, for the reducer and for
//! [`super::Inbox::news`] alike.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{ItemKey, Notification};
use crate::protocol::rest::HistoryRow;

/// Two frames of one event (the nested shape without an id, the flattened one with it) arrive
/// within this long of each other.
pub const TWIN_MS: f64 = 60_000.0;
/// Live arrivals remembered for [`TWIN_MS`] matching.
const RECENT: usize = 64;

/// What makes two notifications one event when only one of them has an id: the transaction
/// and the generic text (the nested shape carries nothing else in common).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct EventSignature {
    transaction_id: i64,
    message: u64,
}

impl EventSignature {
    pub(super) fn of(transaction_id: Option<i64>, message: &str) -> Option<Self> {
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

/// A live arrival, remembered briefly.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RecentArrival {
    received_ms: f64,
    event: EventSignature,
    key: ItemKey,
    /// Whether the frame had an id.
    with_id: bool,
}

/// The latest live arrivals (a bounded ring), to tell one event reaching the socket in both
/// shapes.
#[derive(Clone, Debug, Default)]
pub(super) struct RecentArrivals(VecDeque<RecentArrival>);

impl RecentArrivals {
    /// Remembers an arrival (the oldest beyond the bound is forgotten).
    pub(super) fn push(&mut self, received_ms: f64, event: EventSignature, key: ItemKey) {
        if self.0.len() == RECENT {
            self.0.pop_front();
        }
        self.0.push_back(RecentArrival {
            received_ms,
            event,
            key,
            with_id: matches!(key, ItemKey::Id(_)),
        });
    }

    /// The other shape of `event` (with an id when `with_id` is false, and the reverse)
    /// arrived within [`TWIN_MS`] before `now`: where it is in the ring. Two frames of the
    /// same shape are two events.
    pub(super) fn twin(&self, event: EventSignature, with_id: bool, now: f64) -> Option<usize> {
        self.0.iter().position(|a| {
            a.event == event
                && a.with_id != with_id
                && (0.0..=TWIN_MS).contains(&(now - a.received_ms))
        })
    }

    /// Uses up the twin at `at` (a later frame is another event): its item's key.
    pub(super) fn take(&mut self, at: usize) -> Option<ItemKey> {
        self.0.remove(at).map(|a| a.key)
    }
}

/// A live-only item (or one the user deleted here: [`Inbox`](super::Inbox) remembers those
/// briefly) as [`absorbed_twins`] matches it against the history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LiveOnly {
    pub(super) key: ItemKey,
    pub(super) event: EventSignature,
    pub(super) received_ms: f64,
}

impl LiveOnly {
    /// `n`, when it is live-only and its event can be told (it names a transaction).
    pub(super) fn of(n: &Notification) -> Option<Self> {
        matches!(n.key, ItemKey::Live(_)).then_some(())?;
        Some(Self {
            key: n.key,
            event: EventSignature::of(n.transaction_id, &n.message)?,
            received_ms: n.received_ms,
        })
    }
}

/// Live-only items whose event the history has as a row (the nested shape is persisted too):
/// the row is the item. Each pair is (the live-only item's key, the row's id). One row per
/// item, newest with newest; a row qualifies when this tab did not have it yet, or got it
/// alongside the live-only item (within [`TWIN_MS`]), so an older row with the same words
/// never swallows a later event.
pub(super) fn absorbed_twins(
    live: impl IntoIterator<Item = LiveOnly>,
    rows: &[HistoryRow],
    old: &HashMap<ItemKey, &Notification>,
) -> HashMap<ItemKey, i64> {
    let mut absorbed = HashMap::new();
    let mut live = live.into_iter().peekable();
    if live.peek().is_none() {
        return absorbed;
    }
    let mut by_event: HashMap<EventSignature, Vec<&HistoryRow>> = HashMap::new();
    let mut seen = HashSet::with_capacity(rows.len());
    for row in rows.iter().filter(|r| seen.insert(r.id)) {
        let message = row.message.as_deref().unwrap_or("");
        if let Some(e) = EventSignature::of(row.transaction_id, message) {
            by_event.entry(e).or_default().push(row);
        }
    }
    for n in live {
        let Some(bucket) = by_event.get_mut(&n.event) else {
            continue;
        };
        let fits = bucket
            .iter()
            .position(|r| match old.get(&ItemKey::Id(r.id)) {
                None => true,
                Some(prev) => (prev.received_ms - n.received_ms).abs() <= TWIN_MS,
            });
        if let Some(i) = fits {
            absorbed.insert(n.key, bucket.remove(i).id);
        }
    }
    absorbed
}
