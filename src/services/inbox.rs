//! The inbox service: the inbox's controller, a plain type like
//! [`SocketService`](crate::services::socket::SocketService). It owns the inbox and carries
//! out what the pure parts decide: live frames paced into the inbox
//! ([`crate::state::pacing`]), the history re-read after a connect, a burst or a job's
//! milestone ([`crate::state::burst::Resync`], [`HistoryRequests`]), the user's edits sent to
//! the server and settled or undone ([`answered`]), other tabs' edits replayed, the tab title
//! throttled, and new arrivals told to whoever listens. Every answer is applied only while the
//! session it was asked for lasts (one place: `Driver::for_session`), and signing out stops it
//! all ([`InboxService::stop`]).

use std::cell::RefCell;
use std::future::Future;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use yew::Callback;

use crate::protocol::rest::Change;
use crate::protocol::{FrameKind, LiveNotification, ServerFrame};
use crate::services::session::SessionService;
use crate::services::socket::{SocketService, Subscription};
use crate::services::{diagnostics, notifications};
use crate::state::burst::Resync;
use crate::state::inbox::bulk::Outcome;
use crate::state::inbox::control::{HistoryRequests, HistoryStatus, Listeners, Throttle};
use crate::state::inbox::{
    answered, Answered, Edit, Inbox, InboxAction, ItemKey, Notification, Pending,
};
use crate::state::pacing::{Pacer, Step};

/// The tab title is written at most this often (ms).
const TITLE_EVERY_MS: u32 = 1_000;

/// What the inbox provider shows: the inbox and where its history stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboxView {
    /// The list, newest first, with its derived unread count and transaction index.
    pub inbox: Rc<Inbox>,
    /// The history request's state.
    pub history: HistoryStatus,
}

/// New live notifications, in arrival order (newest last).
pub type ArrivalBatch = Rc<[LiveNotification]>;

/// Handle to the tab's inbox controller. Cheap to clone; equal when it is the same service.
#[derive(Clone)]
pub struct InboxService(Rc<Driver>);

impl PartialEq for InboxService {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Keeps an arrivals subscription alive; dropping it unsubscribes.
pub struct ArrivalSubscription {
    id: u64,
    driver: Weak<Driver>,
}

impl Drop for ArrivalSubscription {
    fn drop(&mut self) {
        if let Some(d) = self.driver.upgrade() {
            if let Ok(mut a) = d.arrivals.try_borrow_mut() {
                a.remove(self.id);
            }
        }
    }
}

#[derive(Default)]
struct Timers {
    pacing: Option<Timeout>,
    resync: Option<Timeout>,
    title: Option<Timeout>,
    /// While the socket has not connected since the sign-in: the history over REST anyway.
    unconnected: Option<Timeout>,
}

/// A socket that has not connected this long after the sign-in (an office proxy refusing
/// WebSockets, a server refusing the upgrade) does not keep the inbox empty: the history is
/// read over REST then, and again every [`UNCONNECTED_EVERY_MS`] until it connects.
const UNCONNECTED_FIRST_MS: u32 = 4_000;
/// See [`UNCONNECTED_FIRST_MS`].
const UNCONNECTED_EVERY_MS: u32 = 60_000;

struct Driver {
    session: Rc<SessionService>,
    socket: SocketService,
    on_change: Callback<InboxView>,
    /// The tab title for an unread count.
    tab_title: fn(usize) -> String,
    inbox: RefCell<Rc<Inbox>>,
    history: RefCell<HistoryRequests>,
    /// Live frames waiting for the pacer.
    waiting: RefCell<Vec<LiveNotification>>,
    pacer: RefCell<Pacer>,
    resync: RefCell<Resync>,
    /// The unread count the title shows (or is about to).
    title: RefCell<(Option<usize>, Throttle<usize>)>,
    timers: RefCell<Timers>,
    arrivals: RefCell<Listeners<ArrivalBatch>>,
    /// Socket frames and other tabs' changes, while someone is signed in.
    subscriptions: RefCell<Vec<Subscription>>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl InboxService {
    /// A stopped service; `on_change` receives every new [`InboxView`], `tab_title` words
    /// the tab's title for an unread count.
    pub fn new(
        session: Rc<SessionService>,
        socket: SocketService,
        on_change: Callback<InboxView>,
        tab_title: fn(usize) -> String,
    ) -> Self {
        Self(Rc::new(Driver {
            session,
            socket,
            on_change,
            tab_title,
            inbox: RefCell::default(),
            history: RefCell::default(),
            waiting: RefCell::default(),
            pacer: RefCell::default(),
            resync: RefCell::default(),
            title: RefCell::default(),
            timers: RefCell::default(),
            arrivals: RefCell::default(),
            subscriptions: RefCell::default(),
        }))
    }

    /// Someone signed in (or another user took over): starts from `cached` (their cached
    /// inbox) and follows the socket. Nothing of the previous user's carries over.
    pub fn start(&self, cached: Option<Vec<Notification>>) {
        self.stop();
        let d = &self.0;
        if let Some(items) = cached {
            d.update(|inbox| inbox.apply(InboxAction::Restore(items)));
        }
        let frames = {
            let me = Rc::downgrade(d);
            Callback::from(move |frame: Rc<ServerFrame>| {
                if let Some(me) = me.upgrade() {
                    me.frame(&frame);
                }
            })
        };
        let changes = {
            let me = Rc::downgrade(d);
            Callback::from(move |change: Change| {
                if let Some(me) = me.upgrade() {
                    me.replay(change);
                }
            })
        };
        let kinds = [
            FrameKind::Notification,
            FrameKind::ConnectionEstablished,
            FrameKind::Upload,
        ];
        *d.subscriptions.borrow_mut() = vec![
            d.socket.subscribe(&kinds, frames),
            d.socket.subscribe_changes(changes),
        ];
        d.read_until_connected(UNCONNECTED_FIRST_MS);
    }

    /// Signed out: stops following the socket, drops every timer and waiting frame, and clears
    /// the inbox. (The session's requests are aborted by the session service; their answers,
    /// should any arrive, are dropped.)
    pub fn stop(&self) {
        let d = &self.0;
        let subscriptions = std::mem::take(&mut *d.subscriptions.borrow_mut());
        drop(subscriptions);
        {
            let mut timers = d.timers.borrow_mut();
            timers.pacing = None;
            timers.resync = None;
            timers.unconnected = None;
        }
        d.waiting.borrow_mut().clear();
        *d.pacer.borrow_mut() = Pacer::default();
        *d.resync.borrow_mut() = Resync::default();
        *d.history.borrow_mut() = HistoryRequests::default();
        d.update(|inbox| inbox.apply(InboxAction::Clear));
    }

    /// The user's edit: applied at once, sent to the server, undone if refused.
    pub fn edit(&self, edit: Edit) {
        if let Some(pending) = self.0.update(|inbox| inbox.edit(edit)) {
            self.0.send(pending);
        }
    }

    /// A bulk edit ([`Edit::ReadMany`], [`Edit::DeleteMany`]) of the items `keys`: applied at
    /// once and NOT sent; its items are sent one by one with [`InboxService::send_item`] (the
    /// bulk service paces them), and it is settled or undone with the methods below.
    pub fn edit_many(
        &self,
        edit: Edit,
        keys: &std::collections::HashSet<ItemKey>,
    ) -> Option<Rc<Pending>> {
        self.0.update(|inbox| inbox.edit_many(edit, keys))
    }

    /// The session this inbox serves now (see [`InboxService::tell_as_leaving`]).
    pub fn session_epoch(&self) -> u64 {
        self.0.session.epoch()
    }

    /// Tells the server of `change` as the user leaves
    /// ([`notifications::change_as_leaving`]: the request outlives the page), and the user's
    /// other tabs at once (nobody will be here to hear the answer); only while the session of
    /// `epoch` is still signed in, never with another user's token.
    pub fn tell_as_leaving(&self, change: Change, epoch: u64) {
        let session = &self.0.session;
        if let (true, Some(current)) = (session.is_current(epoch), session.current()) {
            notifications::change_as_leaving(session.config(), &current.access, change);
            self.0.socket.tell_tabs(change);
        }
    }

    /// Tells the server of item `key` of the bulk edit `edit` (pending edit `id`) and applies
    /// the answer: done (the user's other tabs are told), gone from the server (a 404: the item
    /// goes, which is done too) or refused (the item is put back). `done` hears which; nothing
    /// is heard once the session that asked has ended.
    pub fn send_item(&self, id: u64, edit: Edit, key: ItemKey, done: Callback<Outcome>) {
        let Some(change) = edit.item_change(key) else {
            done.emit(Outcome::Done);
            return;
        };
        self.0.for_session(
            |me| {
                let session = me.session.clone();
                async move { notifications::change(&session, change).await }
            },
            move |me, result| {
                let outcome = match answered(change, result) {
                    Answered::Settled(told) => {
                        me.socket.tell_tabs(told);
                        Outcome::Done
                    }
                    Answered::Gone(key, told) => {
                        me.update(|inbox| inbox.apply(InboxAction::Gone(key)));
                        me.socket.tell_tabs(told);
                        Outcome::Done
                    }
                    Answered::Failed(why) => {
                        let keys = vec![key];
                        me.update(|inbox| inbox.apply(InboxAction::UndoItems { id, keys }));
                        Outcome::Failed(why)
                    }
                    Answered::Dropped => return,
                };
                done.emit(outcome);
            },
        );
    }

    /// Takes pending edit `id` back wholly (Undo, before anything was sent).
    pub fn undo(&self, id: u64) {
        self.0.update(|inbox| inbox.apply(InboxAction::Undo(id)));
    }

    /// Puts the items `keys` of pending edit `id` back (never sent).
    pub fn undo_items(&self, id: u64, keys: Vec<ItemKey>) {
        self.0
            .update(|inbox| inbox.apply(InboxAction::UndoItems { id, keys }));
    }

    /// Pending edit `id` is answered for every item: it stays as it is.
    pub fn settle(&self, id: u64) {
        self.0.update(|inbox| inbox.apply(InboxAction::Settled(id)));
    }

    /// Hides the inbox's error.
    pub fn dismiss_error(&self) {
        self.0
            .update(|inbox| inbox.apply(InboxAction::DismissError));
    }

    /// Reads the history again (the inbox's "Retry").
    pub fn retry_history(&self) {
        self.0.sync_history();
    }

    /// Calls `callback` with every batch of live notifications that are news to the user,
    /// until the returned subscription is dropped. Every subscriber hears every batch.
    pub fn subscribe_arrivals(&self, callback: Callback<ArrivalBatch>) -> ArrivalSubscription {
        ArrivalSubscription {
            id: self.0.arrivals.borrow_mut().add(callback),
            driver: Rc::downgrade(&self.0),
        }
    }
}

impl Driver {
    /// Changes the inbox, then tells the provider (with nothing borrowed).
    fn update<R>(self: &Rc<Self>, f: impl FnOnce(&mut Inbox) -> R) -> R {
        let (r, owed) = {
            let mut inbox = self.inbox.borrow_mut();
            let inbox = Rc::make_mut(&mut *inbox);
            let r = f(inbox);
            (r, inbox.take_owed())
        };
        self.publish();
        for change in owed {
            self.tell_server(change);
        }
        r
    }

    /// Tells the server what a history showed it is owed ([`Inbox::take_owed`]), already
    /// shown here; the user's other tabs follow once it is done. Refused or unreachable: the
    /// row shows as the server has it with a later history.
    fn tell_server(self: &Rc<Self>, change: Change) {
        self.for_session(
            |me| {
                let session = me.session.clone();
                async move { notifications::change(&session, change).await }
            },
            move |me, result| match answered(change, result) {
                Answered::Settled(told) => {
                    // An id'd frame of the deleted event may have come meanwhile.
                    if let Change::Delete(id) = told {
                        me.update(|inbox| inbox.apply(InboxAction::Gone(ItemKey::Id(id))));
                    }
                    me.socket.tell_tabs(told);
                }
                Answered::Gone(key, told) => {
                    me.update(|inbox| inbox.apply(InboxAction::Gone(key)));
                    me.socket.tell_tabs(told);
                }
                Answered::Failed(_) | Answered::Dropped => {}
            },
        );
    }

    fn publish(self: &Rc<Self>) {
        let view = InboxView {
            inbox: self.inbox.borrow().clone(),
            history: self.history.borrow().status().clone(),
        };
        self.title(view.inbox.unread());
        self.on_change.emit(view);
    }

    /// "(3) Herald" in the tab title, at most once a second.
    fn title(self: &Rc<Self>, unread: usize) {
        let arm = {
            let (shown, throttle) = &mut *self.title.borrow_mut();
            shown.replace(unread) != Some(unread) && throttle.changed(unread)
        };
        if arm {
            let me = Rc::downgrade(self);
            self.timers.borrow_mut().title = Some(Timeout::new(TITLE_EVERY_MS, move || {
                let Some(me) = me.upgrade() else { return };
                let unread = me.title.borrow_mut().1.fired();
                if let (Some(unread), Some(doc)) =
                    (unread, web_sys::window().and_then(|w| w.document()))
                {
                    doc.set_title(&(me.tab_title)(unread));
                }
            }));
        }
    }

    fn frame(self: &Rc<Self>, frame: &ServerFrame) {
        match frame {
            ServerFrame::Notification(n) => {
                self.waiting.borrow_mut().push(n.clone());
                let step = self.pacer.borrow_mut().arrived(now());
                self.pace(step);
                let arm = self.resync.borrow_mut().frame(now());
                self.arm_resync(arm);
            }
            ServerFrame::ConnectionEstablished { .. } => {
                self.timers.borrow_mut().unconnected = None;
                self.resync.borrow_mut().reset();
                self.sync_history();
            }
            // Job milestones are persisted as history rows but not pushed as notifications:
            // re-read the history shortly after (once per burst).
            ServerFrame::Upload(u) if u.phase.is_milestone() => {
                let arm = self.resync.borrow_mut().milestone();
                self.arm_resync(arm);
            }
            _ => {}
        }
    }

    /// Carries out the pacer's step (see [`crate::state::pacing`]).
    fn pace(self: &Rc<Self>, step: Step) {
        match step {
            Step::Now => self.apply_waiting(),
            Step::After(ms) => {
                let me = Rc::downgrade(self);
                let timer = Timeout::new(ms.ceil() as u32, move || {
                    if let Some(me) = me.upgrade() {
                        me.timers.borrow_mut().pacing.take();
                        let step = me.pacer.borrow_mut().timer_fired(now());
                        me.pace(step);
                    }
                });
                self.timers.borrow_mut().pacing = Some(timer);
            }
            Step::Wait => {}
        }
    }

    /// Applies the waiting frames and tells the arrivals' listeners what was news.
    fn apply_waiting(self: &Rc<Self>) {
        self.timers.borrow_mut().pacing.take(); // cancelled: applied here
        self.pacer.borrow_mut().applied(now());
        let batch = std::mem::take(&mut *self.waiting.borrow_mut());
        if batch.is_empty() {
            return;
        }
        let news = self.update(|inbox| inbox.live(batch, now()));
        if !news.is_empty() {
            let listeners = self.arrivals.borrow().callbacks();
            Listeners::emit(listeners, ArrivalBatch::from(news));
        }
    }

    /// Reads the history in `ms`, and every [`UNCONNECTED_EVERY_MS`] after, until the socket
    /// connects (whose `connection_established` reads it, and cancels this).
    fn read_until_connected(self: &Rc<Self>, ms: u32) {
        let me = Rc::downgrade(self);
        let timer = Timeout::new(ms, move || {
            let Some(me) = me.upgrade() else { return };
            // Offline, the request could only fail (the status says "Offline" already).
            let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
            if online {
                me.sync_history();
            }
            me.read_until_connected(UNCONNECTED_EVERY_MS);
        });
        self.timers.borrow_mut().unconnected = Some(timer);
    }

    fn arm_resync(self: &Rc<Self>, ms: Option<u32>) {
        let Some(ms) = ms else { return };
        let me = Rc::downgrade(self);
        let timer = Timeout::new(ms, move || {
            let Some(me) = me.upgrade() else { return };
            me.timers.borrow_mut().resync.take();
            let fired = me.resync.borrow_mut().fired(now());
            diagnostics::burst_tick(fired.tick);
            me.arm_resync(fired.again);
            if fired.read {
                me.sync_history();
            }
        });
        self.timers.borrow_mut().resync = Some(timer);
    }

    /// Runs the future `start` makes, for the session signed in now (not at all when nobody
    /// is), and `then` with its answer only while that session lasts: one user's answers never
    /// land in the next user's inbox. The session service aborts the session's requests when
    /// it ends. The one place the epoch is checked.
    fn for_session<F: Future + 'static>(
        self: &Rc<Self>,
        start: impl FnOnce(&Rc<Self>) -> F,
        then: impl FnOnce(&Rc<Self>, F::Output) + 'static,
    ) {
        let epoch = self.session.epoch();
        if !self.session.is_current(epoch) {
            return;
        }
        let request = start(self);
        let me = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = request.await;
            if let Some(me) = me.upgrade().filter(|me| me.session.is_current(epoch)) {
                then(&me, answer);
            }
        });
    }

    /// Reads the REST history and merges it (see [`HistoryRequests::answered`]).
    fn sync_history(self: &Rc<Self>) {
        self.for_session(
            |me| {
                let request = me.history.borrow_mut().ask();
                me.publish();
                let session = me.session.clone();
                async move {
                    let requested_at = now();
                    let result = notifications::history(&session).await;
                    diagnostics::history_read(&result);
                    (request, requested_at, result.map(|h| h.rows))
                }
            },
            |me, (request, requested_at, result)| {
                // Not in the `match` scrutinee: its borrow would live through the arms.
                let rows = me.history.borrow_mut().answered(request, result);
                match rows {
                    Some(rows) => {
                        me.update(|inbox| inbox.apply(InboxAction::History { rows, requested_at }))
                    }
                    None => me.publish(),
                }
            },
        );
    }

    /// Tells the server of a pending edit; settles it or undoes it by the answer.
    fn send(self: &Rc<Self>, pending: Rc<Pending>) {
        let id = pending.id;
        let Some(change) = pending.change() else {
            // Only this tab had it: nothing to tell.
            self.update(|inbox| inbox.apply(InboxAction::Settled(id)));
            return;
        };
        self.for_session(
            |me| {
                let session = me.session.clone();
                async move { notifications::change(&session, change).await }
            },
            move |me, result| {
                let (action, tell) = match answered(change, result) {
                    Answered::Settled(told) => (InboxAction::Settled(id), Some(told)),
                    Answered::Gone(key, told) => (InboxAction::Gone(key), Some(told)),
                    Answered::Failed(why) => (InboxAction::Failed { id, why }, None),
                    Answered::Dropped => return,
                };
                me.update(|inbox| inbox.apply(action));
                // The user's other tabs show the same inbox.
                if let Some(change) = tell {
                    me.socket.tell_tabs(change);
                }
            },
        );
    }

    /// A change the user made in another tab, once the server accepted it.
    fn replay(self: &Rc<Self>, change: Change) {
        self.update(|inbox| {
            // Already so here (or never here): nothing is pending.
            if let Some(pending) = inbox.edit(Edit::from_change(change)) {
                inbox.apply(InboxAction::Settled(pending.id));
            }
        });
    }
}
