//! The bulk actions' driver: carries out what [`Bulk`] decides (see
//! [`crate::state::inbox::bulk`] for the rules) with the inbox service: the pending edit
//! applied at once, each item sent when the queue says, the Undo window's timer. Owned by
//! whoever shows the inbox. When the user leaves, nothing they did is lost: what is not yet
//! answered (the delete in its Undo window too) is sent at once by requests that outlive the
//! page: before a sign-out ([`leave_all`], called by the sign-out itself, while the session is
//! still there), on `pagehide` (the tab closed, the page left), and when the inbox view goes.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use yew::Callback;

use crate::services::inbox::InboxService;
use crate::state::inbox::bulk::{Bulk, BulkOp, BulkView, Command, Outcome};
use crate::state::inbox::{Edit, ItemKey};

/// Handle to the bulk actions of one inbox view. Cheap to clone; equal when it is the same.
#[derive(Clone)]
pub struct BulkService(Rc<Driver>);

impl PartialEq for BulkService {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Requests sent as the user leaves, at most: the browser holds only so many `keepalive`
/// requests of a page at once (Chromium: 256); the rest are put back, never sent.
const LEAVING_AT_MOST: usize = 200;

struct Driver {
    inbox: InboxService,
    /// The session each pending edit was made in (see [`InboxService::tell_as_leaving`]): a
    /// page restored from the back/forward cache may be another session's by now.
    epochs: RefCell<HashMap<u64, u64>>,
    bulk: RefCell<Bulk>,
    timer: RefCell<Option<Timeout>>,
    on_change: Callback<BulkView>,
    _pagehide: Option<gloo_events::EventListener>,
}

thread_local! {
    /// Every live driver, for [`leave_all`].
    static DRIVERS: RefCell<Vec<Weak<Driver>>> = const { RefCell::new(Vec::new()) };
}

/// The user signs out: everything not yet sent of every inbox view of this tab is sent now,
/// while the session's token is still there (see [`Bulk::leave`]).
pub fn leave_all() {
    let drivers: Vec<Rc<Driver>> =
        DRIVERS.with(|d| d.borrow().iter().filter_map(Weak::upgrade).collect());
    for driver in drivers {
        driver.leave();
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn edit_of(op: BulkOp) -> Edit {
    match op {
        BulkOp::MarkRead => Edit::ReadMany,
        BulkOp::Delete => Edit::DeleteMany,
    }
}

impl BulkService {
    /// Bulk actions on `inbox`; `on_change` hears every new [`BulkView`].
    pub fn new(inbox: InboxService, on_change: Callback<BulkView>) -> Self {
        let driver = Rc::new_cyclic(|me: &Weak<Driver>| {
            // The tab closed, or the page left (for good or into the back/forward cache). In
            // the capture phase: before the socket service's own `pagehide` closes the tabs'
            // channel, so that the user's other tabs hear of what is sent.
            let me = me.clone();
            let options = gloo_events::EventListenerOptions {
                phase: gloo_events::EventListenerPhase::Capture,
                passive: true,
            };
            let pagehide = web_sys::window().map(|w| {
                gloo_events::EventListener::new_with_options(&w, "pagehide", options, move |_| {
                    if let Some(me) = me.upgrade() {
                        me.leave();
                    }
                })
            });
            Driver {
                epochs: RefCell::default(),
                inbox,
                bulk: RefCell::default(),
                timer: RefCell::default(),
                on_change,
                _pagehide: pagehide,
            }
        });
        DRIVERS.with(|d| {
            let mut d = d.borrow_mut();
            d.retain(|w| w.strong_count() > 0);
            d.push(Rc::downgrade(&driver));
        });
        Self(driver)
    }

    /// Marks `keys` read: at once here, then told to the server item by item.
    pub fn mark_read(&self, keys: &[ItemKey]) {
        self.0.start(BulkOp::MarkRead, keys);
    }

    /// Deletes `keys` (one or many): gone from view at once, sent after the Undo window.
    pub fn delete(&self, keys: &[ItemKey]) {
        self.0.start(BulkOp::Delete, keys);
    }

    /// Undoes the delete in the Undo window; the keys put back, top to bottom (empty when
    /// there was nothing to undo).
    pub fn undo(&self) -> Vec<ItemKey> {
        let keys = self
            .0
            .bulk
            .borrow()
            .undo_window()
            .map(|w| w.keys.clone())
            .unwrap_or_default();
        let commands = self.0.bulk.borrow_mut().undo();
        self.0.run(commands);
        keys
    }

    /// The user is on the Undo bar: the window waits.
    pub fn hold(&self) {
        let commands = self.0.bulk.borrow_mut().hold(now());
        if !commands.is_empty() {
            self.0.run(commands);
        }
    }

    /// The user left the Undo bar: the window runs on.
    pub fn resume(&self) {
        let commands = self.0.bulk.borrow_mut().resume(now());
        self.0.run(commands);
    }

    /// Forgets the finished runs' failures.
    pub fn dismiss(&self) {
        self.0.bulk.borrow_mut().dismiss();
        self.0.publish();
    }
}

impl Driver {
    fn start(self: &Rc<Self>, op: BulkOp, keys: &[ItemKey]) {
        let set: HashSet<ItemKey> = keys.iter().copied().collect();
        let Some(pending) = self.inbox.edit_many(edit_of(op), &set) else {
            return; // nothing to do (read already, gone meanwhile)
        };
        // Top to bottom, as the user sees them: the items the edit touched, in their order.
        let touched: Vec<ItemKey> = keys
            .iter()
            .copied()
            .filter(|k| pending.touched(*k))
            .collect();
        self.epochs
            .borrow_mut()
            .insert(pending.id, self.inbox.session_epoch());
        let commands = self.bulk.borrow_mut().start(op, pending.id, touched, now());
        self.run(commands);
    }

    /// Carries out `commands` (with nothing borrowed: an answer may come back at once), then
    /// tells the view.
    fn run(self: &Rc<Self>, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Send { op, pending, key } => {
                    let me = Rc::downgrade(self);
                    let done = Callback::from(move |outcome| answered(&me, pending, key, outcome));
                    self.inbox.send_item(pending, edit_of(op), key, done);
                }
                Command::Arm(ms) => {
                    let me = Rc::downgrade(self);
                    let timer = Timeout::new(ms.max(0.0).ceil() as u32, move || {
                        if let Some(me) = me.upgrade() {
                            me.timer.borrow_mut().take();
                            let commands = me.bulk.borrow_mut().timer_fired(now());
                            me.run(commands);
                        }
                    });
                    *self.timer.borrow_mut() = Some(timer);
                }
                other => self.apply(other),
            }
        }
        self.publish();
    }

    /// The user leaves: what is not yet answered is sent by requests that outlive the page,
    /// and the view shows it done.
    fn leave(&self) {
        self.send_leaving();
        self.publish();
    }

    /// [`Driver::leave`] without telling the view.
    fn send_leaving(&self) {
        let (sends, commands) = self.bulk.borrow_mut().leave(LEAVING_AT_MOST);
        let epochs = std::mem::take(&mut *self.epochs.borrow_mut());
        for (op, pending, key) in sends {
            if let (Some(change), Some(&epoch)) =
                (edit_of(op).item_change(key), epochs.get(&pending))
            {
                self.inbox.tell_as_leaving(change, epoch);
            }
        }
        for command in commands {
            self.apply(command);
        }
    }

    /// The commands that only touch the inbox (all [`Bulk::leave`] gives).
    fn apply(&self, command: Command) {
        match command {
            Command::Undo(id) => {
                self.epochs.borrow_mut().remove(&id);
                self.inbox.undo(id);
            }
            Command::UndoItems { pending, keys } => self.inbox.undo_items(pending, keys),
            Command::Settle(id) => {
                self.epochs.borrow_mut().remove(&id);
                self.inbox.settle(id);
            }
            Command::Disarm => {
                self.timer.borrow_mut().take();
            }
            Command::Send { .. } | Command::Arm(_) => {}
        }
    }

    fn publish(&self) {
        let view = self.bulk.borrow().view();
        self.on_change.emit(view);
    }
}

fn answered(me: &Weak<Driver>, pending: u64, key: ItemKey, outcome: Outcome) {
    if let Some(me) = me.upgrade() {
        let commands = me.bulk.borrow_mut().answered(pending, key, outcome);
        me.run(commands);
    }
}

impl Drop for Driver {
    /// The inbox view went away: what is not yet answered is sent as the user leaves (the
    /// view is not told: it is gone).
    fn drop(&mut self) {
        self.send_leaving();
    }
}
