//! Acting on many items: the queue of per-item requests (the server has only per-item calls)
//! with at most [`MAX_IN_FLIGHT`] in flight, each item's result, and the Undo window a delete
//! waits in before anything is sent. A pure machine like [`crate::state::connection`]: events
//! in (the user acts, an answer arrives, the timer fires), [`Command`]s out (send this item,
//! undo that edit, arm the timer); the inbox service carries them out.
//!
//! Rules:
//! - a bulk action is one pending edit of the inbox (applied at once: the items are read or
//!   gone from view before any request) and one [`Run`] here, which tells the server item by
//!   item, oldest run first, at most [`MAX_IN_FLIGHT`] requests at a time across runs;
//! - a live-only item (no id) is not on the server: it is done without a request;
//! - a delete, of one item or many, first waits [`UNDO_MS`] in the Undo window: nothing is
//!   sent, Undo puts the items back. The window is held while the user is on it (pointer or
//!   focus on the Undo bar) and runs on with what was left when they leave. A second delete
//!   while a window is open sends the first at once (one Undo at a time, for the latest);
//! - every item's answer is kept: done, or failed with why (the item is back in the inbox, the
//!   run lists it until dismissed); a run whose items all answered settles its pending edit;
//! - when the user leaves (signs out, closes or leaves the page), nothing they did is lost:
//!   every item not yet answered, the delete still in its window included, is sent at once
//!   by requests that outlive the page ([`Bulk::leave`]).
//!
//! ```
//! # use herald::state::inbox::bulk::{Bulk, BulkOp, Command};
//! # use herald::state::inbox::ItemKey;
//! let mut bulk = Bulk::default();
//! let keys: Vec<ItemKey> = (1..=6).map(ItemKey::Id).collect();
//! let commands = bulk.start(BulkOp::MarkRead, 7, keys, 0.0);
//! let sends = commands.iter().filter(|c| matches!(c, Command::Send { .. })).count();
//! assert_eq!(sends, 4, "at most four in flight");
//! ```

use std::collections::VecDeque;

use super::ItemKey;
use crate::state::remote::ChangeError;

/// Requests in flight at most, across every run.
pub const MAX_IN_FLIGHT: usize = 4;
/// How long a delete can be undone before it is sent (ms).
pub const UNDO_MS: f64 = 5_000.0;

/// What a bulk action does to each item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkOp {
    /// Mark read.
    MarkRead,
    /// Delete (after the Undo window).
    Delete,
}

/// How one item's request ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Done (or the item was already gone from the server).
    Done,
    /// Refused or unanswered: the item is back in the inbox.
    Failed(ChangeError),
}

/// What the driver does, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Tell the server of item `key` of pending edit `pending`, then call [`Bulk::answered`].
    Send {
        /// What to tell.
        op: BulkOp,
        /// The inbox's pending edit.
        pending: u64,
        /// The item.
        key: ItemKey,
    },
    /// Undo pending edit `pending` wholly (Undo): nothing was sent.
    Undo(u64),
    /// Put these items of pending edit `pending` back: they are never sent.
    UndoItems {
        /// The inbox's pending edit.
        pending: u64,
        /// The items.
        keys: Vec<ItemKey>,
    },
    /// Every item of pending edit `pending` is answered (or will never be): settle it.
    Settle(u64),
    /// Call [`Bulk::timer_fired`] after this many ms (replacing the timer armed before).
    Arm(f64),
    /// No timer is needed.
    Disarm,
}

/// One bulk action being told to the server, or finished with failures to report.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// What it does.
    pub op: BulkOp,
    /// The inbox's pending edit.
    pub pending: u64,
    /// Items in it.
    pub total: usize,
    /// Items done.
    pub done: usize,
    /// Items that failed, with why, in the order they answered.
    pub failed: Vec<(ItemKey, ChangeError)>,
    waiting: VecDeque<ItemKey>,
    in_flight: Vec<ItemKey>,
}

impl Run {
    fn new(op: BulkOp, pending: u64, keys: Vec<ItemKey>) -> Self {
        let total = keys.len();
        // Live-only items are not on the server: nothing to tell.
        let waiting: VecDeque<ItemKey> = keys
            .into_iter()
            .filter(|k| matches!(k, ItemKey::Id(_)))
            .collect();
        Self {
            op,
            pending,
            total,
            done: total - waiting.len(),
            failed: Vec::new(),
            waiting,
            in_flight: Vec::new(),
        }
    }

    /// Items answered (done or failed): the "3" of "3 of 40".
    pub fn answered(&self) -> usize {
        self.done + self.failed.len()
    }

    /// Every item answered.
    pub fn finished(&self) -> bool {
        self.answered() == self.total
    }
}

/// A delete waiting to be sent, which Undo takes back.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoWindow {
    /// The inbox's pending edit (the items are gone from view already).
    pub pending: u64,
    /// The items, top to bottom.
    pub keys: Vec<ItemKey>,
    /// When it is sent (ms); `None` while held.
    deadline: Option<f64>,
    /// What is left of it while held (ms).
    left: f64,
}

/// What the bulk bar shows: light to copy (no queues), equal while nothing shown changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkView {
    /// The runs being sent and the finished ones with failures, oldest first.
    pub runs: Vec<RunView>,
    /// The delete Undo would take back: (its pending edit, how many items).
    pub undo: Option<(u64, usize)>,
    /// See [`Bulk::last_finished`].
    pub finished: (u64, Option<(BulkOp, usize, usize)>),
}

/// One run as the bulk bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// What it does.
    pub op: BulkOp,
    /// The inbox's pending edit (a key for the bar).
    pub pending: u64,
    /// Items in it.
    pub total: usize,
    /// Items answered.
    pub answered: usize,
    /// Items that failed, with why.
    pub failed: Vec<(ItemKey, ChangeError)>,
}

/// The bulk actions of one inbox: the runs, the Undo window, the requests in flight.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bulk {
    runs: Vec<Run>,
    undo: Option<UndoWindow>,
    in_flight: usize,
    /// Bumped whenever a run finishes, for a polite announcement of it.
    finished: u64,
    last_finished: Option<(BulkOp, usize, usize)>,
}

impl Bulk {
    /// The runs still being sent, and the finished ones with failures not yet dismissed,
    /// oldest first.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The delete that Undo would take back.
    pub fn undo_window(&self) -> Option<&UndoWindow> {
        self.undo.as_ref()
    }

    /// What the bulk bar shows.
    pub fn view(&self) -> BulkView {
        BulkView {
            runs: self
                .runs
                .iter()
                .map(|r| RunView {
                    op: r.op,
                    pending: r.pending,
                    total: r.total,
                    answered: r.answered(),
                    failed: r.failed.clone(),
                })
                .collect(),
            undo: self.undo.as_ref().map(|w| (w.pending, w.keys.len())),
            finished: self.last_finished(),
        }
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The last run to finish: (what, done, failed), and a number that changes with each.
    pub fn last_finished(&self) -> (u64, Option<(BulkOp, usize, usize)>) {
        (self.finished, self.last_finished)
    }

    /// The user's bulk action on `keys` (top to bottom), applied to the inbox as pending edit
    /// `pending`: a delete opens the Undo window, anything else is sent at once.
    pub fn start(
        &mut self,
        op: BulkOp,
        pending: u64,
        keys: Vec<ItemKey>,
        now: f64,
    ) -> Vec<Command> {
        let mut out = Vec::new();
        match op {
            BulkOp::Delete => {
                // One Undo at a time: the earlier delete goes now.
                if let Some(w) = self.undo.take() {
                    self.runs.push(Run::new(BulkOp::Delete, w.pending, w.keys));
                }
                self.undo = Some(UndoWindow {
                    pending,
                    keys,
                    deadline: Some(now + UNDO_MS),
                    left: UNDO_MS,
                });
                out.push(Command::Arm(UNDO_MS));
            }
            BulkOp::MarkRead => self.runs.push(Run::new(op, pending, keys)),
        }
        self.pump(&mut out);
        out
    }

    /// Undo: the delete in the window is taken back (nothing was sent).
    pub fn undo(&mut self) -> Vec<Command> {
        match self.undo.take() {
            Some(w) => vec![Command::Undo(w.pending), Command::Disarm],
            None => Vec::new(),
        }
    }

    /// The timer armed by [`Command::Arm`] fired.
    pub fn timer_fired(&mut self, now: f64) -> Vec<Command> {
        let mut out = Vec::new();
        match self.undo.as_ref().map(|w| w.deadline) {
            // Timers are not exact: a millisecond early is on time.
            Some(Some(deadline)) if now + 1.0 >= deadline => {
                if let Some(w) = self.undo.take() {
                    self.runs.push(Run::new(BulkOp::Delete, w.pending, w.keys));
                }
                out.push(Command::Disarm);
                self.pump(&mut out);
            }
            Some(Some(deadline)) => out.push(Command::Arm(deadline - now)),
            // Held, or nothing waits.
            Some(None) | None => out.push(Command::Disarm),
        }
        out
    }

    /// The user is on the Undo bar (pointer or focus): the window waits for them.
    pub fn hold(&mut self, now: f64) -> Vec<Command> {
        match &mut self.undo {
            // Held already (the pointer moving on the bar says so again and again): nothing.
            Some(w) => match w.deadline.take() {
                Some(deadline) => {
                    w.left = (deadline - now).max(0.0);
                    vec![Command::Disarm]
                }
                None => Vec::new(),
            },
            None => Vec::new(),
        }
    }

    /// The user left the Undo bar: the window runs on with what was left.
    pub fn resume(&mut self, now: f64) -> Vec<Command> {
        match &mut self.undo {
            Some(w) if w.deadline.is_none() => {
                w.deadline = Some(now + w.left);
                vec![Command::Arm(w.left)]
            }
            _ => Vec::new(),
        }
    }

    /// The server answered item `key` of pending edit `pending` (the inbox has applied it).
    pub fn answered(&mut self, pending: u64, key: ItemKey, outcome: Outcome) -> Vec<Command> {
        let mut out = Vec::new();
        let Some(run) = self.runs.iter_mut().find(|r| r.pending == pending) else {
            return out; // abandoned meanwhile
        };
        let Some(at) = run.in_flight.iter().position(|k| *k == key) else {
            return out; // not asked, or answered already
        };
        run.in_flight.swap_remove(at);
        self.in_flight -= 1;
        match outcome {
            Outcome::Done => run.done += 1,
            Outcome::Failed(why) => run.failed.push((key, why)),
        }
        if run.finished() {
            out.push(Command::Settle(pending));
            self.finished += 1;
            self.last_finished = Some((run.op, run.done, run.failed.len()));
            let failed = !run.failed.is_empty();
            if !failed {
                self.runs.retain(|r| r.pending != pending);
            }
        }
        self.pump(&mut out);
        out
    }

    /// Forgets the finished runs (their failures were read).
    pub fn dismiss(&mut self) {
        self.runs.retain(|r| !r.finished());
    }

    /// The user leaves (signs out, closes or leaves the page): what they did is not lost. The
    /// items not yet answered are returned, as (what, pending edit, item), to be sent at once
    /// by requests that outlive the page: the delete in its Undo window first, then the runs,
    /// oldest first (those in flight too: their requests die with the page, and a request
    /// repeated is harmless: read is read, a delete of what is gone is "gone"). At most
    /// `cap` of them (the browser holds only so many such requests); the rest are put back,
    /// never sent. Every pending edit is settled; answers still to come are ignored.
    pub fn leave(&mut self, cap: usize) -> (Vec<(BulkOp, u64, ItemKey)>, Vec<Command>) {
        let mut sends = Vec::new();
        let mut out = Vec::new();
        let window = self.undo.take().map(|w| {
            let keys: Vec<ItemKey> = w
                .keys
                .into_iter()
                .filter(|k| matches!(k, ItemKey::Id(_)))
                .collect();
            (BulkOp::Delete, w.pending, keys)
        });
        let runs = std::mem::take(&mut self.runs)
            .into_iter()
            .filter(|r| !r.finished())
            .map(|r| {
                let keys = r.in_flight.into_iter().chain(r.waiting).collect();
                (r.op, r.pending, keys)
            });
        for (op, pending, mut keys) in window.into_iter().chain(runs) {
            let room = cap.saturating_sub(sends.len());
            let never = keys.split_off(keys.len().min(room));
            sends.extend(keys.into_iter().map(|k| (op, pending, k)));
            if !never.is_empty() {
                out.push(Command::UndoItems {
                    pending,
                    keys: never,
                });
            }
            out.push(Command::Settle(pending));
        }
        self.in_flight = 0;
        out.push(Command::Disarm);
        (sends, out)
    }

    /// Starts requests while fewer than [`MAX_IN_FLIGHT`] are in flight, oldest run first.
    /// A run with nothing to send (all live-only) finishes here.
    fn pump(&mut self, out: &mut Vec<Command>) {
        for run in &mut self.runs {
            while self.in_flight < MAX_IN_FLIGHT {
                let Some(key) = run.waiting.pop_front() else {
                    break;
                };
                run.in_flight.push(key);
                self.in_flight += 1;
                out.push(Command::Send {
                    op: run.op,
                    pending: run.pending,
                    key,
                });
            }
        }
        // Runs with nothing on the server to tell (live-only items): finished without a
        // request. (A run finished by an answer is settled or kept for its failures there.)
        let settled: Vec<(u64, BulkOp, usize)> = self
            .runs
            .iter()
            .filter(|r| r.done == r.total)
            .map(|r| (r.pending, r.op, r.done))
            .collect();
        for (pending, op, done) in settled {
            out.push(Command::Settle(pending));
            self.finished += 1;
            self.last_finished = Some((op, done, 0));
            self.runs.retain(|r| r.pending != pending);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::remote::ApiError;

    fn ids(range: std::ops::RangeInclusive<i64>) -> Vec<ItemKey> {
        range.map(ItemKey::Id).collect()
    }

    fn sends(commands: &[Command]) -> Vec<ItemKey> {
        commands
            .iter()
            .filter_map(|c| match c {
                Command::Send { key, .. } => Some(*key),
                _ => None,
            })
            .collect()
    }

    fn timeout() -> ChangeError {
        ChangeError::Api(ApiError::Timeout)
    }

    #[test]
    fn never_more_than_four_in_flight_and_every_answer_starts_the_next() {
        let mut bulk = Bulk::default();
        let first = bulk.start(BulkOp::MarkRead, 1, ids(1..=10), 0.0);
        assert_eq!(sends(&first), ids(1..=4), "top to bottom, four at once");
        assert_eq!(bulk.in_flight(), 4);
        let mut sent = sends(&first);
        let mut answered = 0;
        while let Some(key) = sent.get(answered).copied() {
            let next = bulk.answered(1, key, Outcome::Done);
            assert!(bulk.in_flight() <= MAX_IN_FLIGHT);
            sent.extend(sends(&next));
            answered += 1;
            let run = bulk.runs().first();
            if answered < 10 {
                assert_eq!(run.map(Run::answered), Some(answered), "progress");
                assert_eq!(run.map(|r| r.total), Some(10));
                assert!(!next.contains(&Command::Settle(1)));
            } else {
                assert_eq!(next, vec![Command::Settle(1)], "the last answer settles it");
            }
        }
        assert_eq!(sent, ids(1..=10), "each item once, in order");
        assert!(
            bulk.runs().is_empty(),
            "done without failures: nothing to report"
        );
        assert_eq!(bulk.last_finished().1, Some((BulkOp::MarkRead, 10, 0)));
    }

    #[test]
    fn the_limit_is_shared_across_runs_oldest_first() {
        let mut bulk = Bulk::default();
        let a = bulk.start(BulkOp::MarkRead, 1, ids(1..=3), 0.0);
        let b = bulk.start(BulkOp::MarkRead, 2, ids(11..=13), 0.0);
        assert_eq!(sends(&a), ids(1..=3));
        assert_eq!(sends(&b), vec![ItemKey::Id(11)], "one slot left");
        let next = bulk.answered(2, ItemKey::Id(11), Outcome::Done);
        assert_eq!(sends(&next), vec![ItemKey::Id(12)]);
        // Answers for items never asked (or asked twice) change nothing.
        assert!(bulk.answered(2, ItemKey::Id(13), Outcome::Done).is_empty());
        assert!(bulk.answered(2, ItemKey::Id(11), Outcome::Done).is_empty());
        assert!(bulk.answered(9, ItemKey::Id(1), Outcome::Done).is_empty());
        assert_eq!(bulk.in_flight(), 4);
    }

    #[test]
    fn failures_are_kept_item_by_item_until_dismissed() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::MarkRead, 1, ids(1..=3), 0.0);
        bulk.answered(1, ItemKey::Id(1), Outcome::Done);
        bulk.answered(1, ItemKey::Id(2), Outcome::Failed(timeout()));
        let last = bulk.answered(1, ItemKey::Id(3), Outcome::Failed(timeout()));
        assert_eq!(last, vec![Command::Settle(1)]);
        let run = &bulk.runs()[0];
        assert!(run.finished());
        assert_eq!((run.done, run.answered(), run.total), (1, 3, 3));
        assert_eq!(
            run.failed,
            vec![(ItemKey::Id(2), timeout()), (ItemKey::Id(3), timeout())]
        );
        assert_eq!(bulk.last_finished().1, Some((BulkOp::MarkRead, 1, 2)));
        let view = bulk.view();
        assert_eq!((view.runs[0].answered, view.runs[0].total), (3, 3));
        assert_eq!(view.runs[0].failed.len(), 2);
        assert_eq!(view.undo, None);
        // A new action does not hide the report; dismissing does.
        bulk.start(BulkOp::MarkRead, 2, ids(5..=5), 0.0);
        assert_eq!(bulk.runs().len(), 2);
        bulk.dismiss();
        assert_eq!(bulk.runs().len(), 1, "the running one stays");
        assert_eq!(bulk.runs()[0].pending, 2);
    }

    #[test]
    fn live_only_items_are_done_without_a_request() {
        let mut bulk = Bulk::default();
        let out = bulk.start(
            BulkOp::MarkRead,
            1,
            vec![ItemKey::Live(1), ItemKey::Id(2), ItemKey::Live(3)],
            0.0,
        );
        assert_eq!(sends(&out), vec![ItemKey::Id(2)]);
        assert_eq!(bulk.runs()[0].answered(), 2);
        assert_eq!(
            bulk.answered(1, ItemKey::Id(2), Outcome::Done),
            vec![Command::Settle(1)]
        );
        // Nothing on the server at all: settled at once.
        let out = bulk.start(BulkOp::MarkRead, 2, vec![ItemKey::Live(4)], 0.0);
        assert_eq!(out, vec![Command::Settle(2)]);
        assert!(bulk.runs().is_empty());
    }

    #[test]
    fn a_delete_waits_five_seconds_before_anything_is_sent() {
        let mut bulk = Bulk::default();
        let out = bulk.start(BulkOp::Delete, 1, ids(1..=6), 1_000.0);
        assert_eq!(out, vec![Command::Arm(UNDO_MS)], "nothing sent yet");
        assert_eq!(bulk.undo_window().map(|w| w.keys.len()), Some(6));
        assert_eq!(bulk.view().undo, Some((1, 6)));
        // Early (a timer re-armed for another reason): wait the rest.
        assert_eq!(
            bulk.timer_fired(3_000.0),
            vec![Command::Arm(UNDO_MS - 2_000.0)]
        );
        let out = bulk.timer_fired(1_000.0 + UNDO_MS);
        assert_eq!(out[0], Command::Disarm);
        assert_eq!(sends(&out), ids(1..=4));
        assert!(bulk.undo_window().is_none());
        assert_eq!(bulk.runs()[0].op, BulkOp::Delete);
    }

    #[test]
    fn undo_takes_the_delete_back_and_nothing_is_sent() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::Delete, 1, ids(1..=2), 0.0);
        assert_eq!(bulk.undo(), vec![Command::Undo(1), Command::Disarm]);
        assert!(bulk.undo().is_empty(), "once");
        assert_eq!(bulk.timer_fired(UNDO_MS), vec![Command::Disarm]);
        assert!(bulk.runs().is_empty());
        assert_eq!(bulk.in_flight(), 0);
    }

    #[test]
    fn the_window_waits_while_the_user_is_on_it() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::Delete, 1, ids(1..=1), 0.0);
        assert_eq!(bulk.hold(1_000.0), vec![Command::Disarm]);
        // Held again (every move of the pointer on the bar): nothing, and the time left kept.
        assert!(bulk.hold(3_000.0).is_empty(), "held already");
        assert_eq!(bulk.timer_fired(60_000.0), vec![Command::Disarm], "held");
        assert!(bulk.runs().is_empty());
        assert_eq!(bulk.resume(60_000.0), vec![Command::Arm(4_000.0)]);
        assert!(bulk.resume(60_001.0).is_empty(), "running already");
        let out = bulk.timer_fired(64_000.0);
        assert_eq!(sends(&out), ids(1..=1));
        assert!(bulk.hold(64_001.0).is_empty(), "no window");
    }

    #[test]
    fn a_second_delete_sends_the_first_at_once() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::Delete, 1, ids(1..=2), 0.0);
        let out = bulk.start(BulkOp::Delete, 2, ids(3..=3), 2_000.0);
        assert_eq!(
            out[0],
            Command::Arm(UNDO_MS),
            "a full window for the second"
        );
        assert_eq!(sends(&out), ids(1..=2));
        assert_eq!(bulk.undo_window().map(|w| w.pending), Some(2));
        assert_eq!(bulk.undo(), vec![Command::Undo(2), Command::Disarm]);
    }

    #[test]
    fn leaving_sends_everything_not_answered_the_window_first() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::MarkRead, 1, ids(1..=6), 0.0);
        // One answered: not sent again.
        bulk.answered(1, ItemKey::Id(1), Outcome::Done);
        let mut keys = ids(7..=8);
        keys.push(ItemKey::Live(9));
        bulk.start(BulkOp::Delete, 2, keys, 0.0);
        let (sends, out) = bulk.leave(100);
        let (window, run) = sends.split_at(2);
        assert_eq!(
            window,
            [
                (BulkOp::Delete, 2, ItemKey::Id(7)),
                (BulkOp::Delete, 2, ItemKey::Id(8))
            ],
            "the window first, without its live-only item"
        );
        let mut run: Vec<_> = run.to_vec();
        run.sort_by_key(|(_, _, k)| format!("{k:?}"));
        assert_eq!(
            run,
            (2..=6)
                .map(|i| (BulkOp::MarkRead, 1, ItemKey::Id(i)))
                .collect::<Vec<_>>(),
            "in flight and waiting"
        );
        assert_eq!(
            out,
            vec![Command::Settle(2), Command::Settle(1), Command::Disarm]
        );
        assert!(bulk.runs().is_empty() && bulk.undo_window().is_none());
        assert_eq!(bulk.in_flight(), 0);
        // The answers of what was in flight change nothing here.
        assert!(bulk.answered(1, ItemKey::Id(2), Outcome::Done).is_empty());
        // Nothing more to leave with.
        assert!(bulk.leave(100).0.is_empty());
    }

    #[test]
    fn leaving_sends_at_most_the_cap_and_puts_the_rest_back() {
        let mut bulk = Bulk::default();
        bulk.start(BulkOp::MarkRead, 1, ids(1..=10), 0.0);
        bulk.start(BulkOp::Delete, 2, ids(11..=13), 0.0);
        let (sends, out) = bulk.leave(5);
        assert_eq!(sends.len(), 5);
        assert!(sends[..3]
            .iter()
            .all(|(op, p, _)| *op == BulkOp::Delete && *p == 2));
        assert_eq!(out[0], Command::Settle(2), "the window wholly sent");
        let back = match &out[1] {
            Command::UndoItems { pending: 1, keys } => keys.len(),
            other => panic!("{other:?}"),
        };
        assert_eq!(back, 8, "ten read, two sent");
        assert_eq!(out[2..], [Command::Settle(1), Command::Disarm]);
    }
}
