//! The inbox service's decisions, pure so they are tested natively: which history answer
//! counts, when the tab title is written, and who hears of new arrivals.

use yew::Callback;

use crate::state::remote::{ApiError, Remote};

/// Where the REST history of this session stands: not asked yet (no connection so far), asked,
/// read (the last read succeeded), or failed (the inbox says so and offers a retry).
pub type HistoryStatus = Remote<(), ApiError>;

/// History requests by number: overlapping reads, and which answer counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryRequests {
    asked: u64,
    merged: u64,
    status: HistoryStatus,
}

impl HistoryRequests {
    /// Where the history stands.
    pub fn status(&self) -> &HistoryStatus {
        &self.status
    }

    /// A new request: its number.
    pub fn ask(&mut self) -> u64 {
        self.asked += 1;
        self.status = Remote::Loading;
        self.asked
    }

    /// The answer to request `request`: the rows to merge, if any. Not when a newer request's
    /// answer was merged (reads overlap; an older snapshot must not bring back what a newer
    /// one removed). Only the newest request's answer sets the status (a request that times
    /// out late must not paint "failed" over a newer success); a session that expired meanwhile
    /// sets nothing.
    pub fn answered<T>(&mut self, request: u64, answer: Result<T, ApiError>) -> Option<T> {
        let (status, rows) = match answer {
            Ok(_) if request < self.merged => return None,
            Ok(rows) => {
                self.merged = request;
                (Remote::Ready(()), Some(rows))
            }
            Err(ApiError::SessionExpired) => return None,
            Err(e) => (Remote::Failed(e), None),
        };
        if request == self.asked {
            self.status = status;
        }
        rows
    }
}

/// At most one write per timer: the latest value waits while a timer runs (the tab title in a
/// burst changes per frame; setting it costs the browser far more than rendering).
#[derive(Clone, Debug, PartialEq)]
pub struct Throttle<T> {
    waiting: Option<T>,
    timer_set: bool,
}

impl<T> Default for Throttle<T> {
    fn default() -> Self {
        Self {
            waiting: None,
            timer_set: false,
        }
    }
}

impl<T> Throttle<T> {
    /// A new value: true when the caller must set its timer (none is running).
    pub fn changed(&mut self, value: T) -> bool {
        self.waiting = Some(value);
        !std::mem::replace(&mut self.timer_set, true)
    }

    /// The timer fired: the value to write, if any.
    pub fn fired(&mut self) -> Option<T> {
        self.timer_set = false;
        self.waiting.take()
    }
}

/// Who hears of something (new arrivals): every listener, until it leaves.
#[derive(Debug)]
pub struct Listeners<T> {
    next: u64,
    all: Vec<(u64, Callback<T>)>,
}

impl<T> Default for Listeners<T> {
    fn default() -> Self {
        Self {
            next: 0,
            all: Vec::new(),
        }
    }
}

impl<T: Clone + 'static> Listeners<T> {
    /// Adds one: its number, to [`Listeners::remove`] it.
    pub fn add(&mut self, callback: Callback<T>) -> u64 {
        self.next += 1;
        self.all.push((self.next, callback));
        self.next
    }

    /// Removes listener `id`.
    pub fn remove(&mut self, id: u64) {
        self.all.retain(|(i, _)| *i != id);
    }

    /// The listeners now, to call once nothing is borrowed (a listener may add or remove one).
    pub fn callbacks(&self) -> Vec<Callback<T>> {
        self.all.iter().map(|(_, c)| c.clone()).collect()
    }

    /// Tells every listener.
    pub fn emit(callbacks: Vec<Callback<T>>, value: T) {
        for c in callbacks {
            c.emit(value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;

    #[test]
    fn the_newest_request_sets_the_status_and_no_older_answer_is_merged() {
        let mut h = HistoryRequests::default();
        assert_eq!(*h.status(), Remote::Idle);
        let first = h.ask();
        let second = h.ask();
        assert_eq!(*h.status(), Remote::Loading);
        assert_eq!(h.answered(second, Ok("new")), Some("new"));
        assert_eq!(*h.status(), Remote::Ready(()));
        assert_eq!(
            h.answered(first, Ok("old")),
            None,
            "older than what was merged"
        );
        assert_eq!(
            h.answered::<()>(first, Err(ApiError::Timeout)),
            None,
            "late"
        );
        assert_eq!(
            *h.status(),
            Remote::Ready(()),
            "a late failure paints nothing"
        );
        let third = h.ask();
        assert_eq!(h.answered::<()>(third, Err(ApiError::Timeout)), None);
        assert_eq!(*h.status(), Remote::Failed(ApiError::Timeout));
        let fourth = h.ask();
        assert_eq!(
            h.answered::<()>(fourth, Err(ApiError::SessionExpired)),
            None
        );
        assert_eq!(
            *h.status(),
            Remote::Loading,
            "an ended session sets nothing"
        );
        // An older answer that is still newer than the last merged one is merged, but the
        // status is the newest request's.
        let fifth = h.ask();
        assert_eq!(h.answered(fourth, Ok(4)), Some(4));
        assert_eq!(*h.status(), Remote::Loading);
        assert_eq!(h.answered(fifth, Ok(5)), Some(5));
        assert_eq!(*h.status(), Remote::Ready(()));
    }

    #[test]
    fn the_title_is_written_once_per_timer_with_the_latest_value() {
        let mut t = Throttle::default();
        assert!(t.changed(1), "set the timer");
        assert!(!t.changed(2));
        assert!(!t.changed(3));
        assert_eq!(t.fired(), Some(3));
        assert_eq!(t.fired(), None);
        assert!(t.changed(4), "a new timer after it fired");
    }

    #[test]
    fn every_listener_hears_every_arrival_until_it_leaves() {
        let mut listeners = Listeners::<Rc<[u32]>>::default();
        let heard = Rc::new(RefCell::new((Vec::new(), Vec::new())));
        let a = {
            let heard = heard.clone();
            listeners.add(Callback::from(move |b: Rc<[u32]>| {
                heard.borrow_mut().0.extend_from_slice(&b)
            }))
        };
        {
            let heard = heard.clone();
            listeners.add(Callback::from(move |b: Rc<[u32]>| {
                heard.borrow_mut().1.extend_from_slice(&b)
            }));
        }
        Listeners::emit(listeners.callbacks(), Rc::from(vec![1, 2]));
        assert_eq!(*heard.borrow(), (vec![1, 2], vec![1, 2]), "both consumers");
        listeners.remove(a);
        Listeners::emit(listeners.callbacks(), Rc::from(vec![3]));
        assert_eq!(*heard.borrow(), (vec![1, 2], vec![1, 2, 3]));
    }
}
